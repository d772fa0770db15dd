package tui

// Rect is a cell rectangle.
type Rect struct{ X, Y, W, H int }

// Empty reports whether r has no cells.
func (r Rect) Empty() bool { return r.W <= 0 || r.H <= 0 }

// Contains reports whether the cell (x, y) is inside r.
func (r Rect) Contains(x, y int) bool {
	return !r.Empty() && x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// Minimum usable terminal size.
const (
	MinWidth  = 60
	MinHeight = 15
)

// Layout is where everything goes for one terminal size and view. Hidden panes have an empty
// Rect. Header, Footer and the visible panes tile the screen exactly.
type Layout struct {
	Width, Height  int
	View           View
	TooSmall       bool
	Header, Footer Rect
	Panes          [paneCount]Rect
}

// Rect is the rectangle of pane p (empty when hidden).
func (l Layout) Rect(p Pane) Rect { return l.Panes[p] }

// Visible reports whether pane p is on screen.
func (l Layout) Visible(p Pane) bool { return !l.Panes[p].Empty() }

// PaneAt is the pane under the cell (x, y), or PaneNone.
func (l Layout) PaneAt(x, y int) Pane {
	for p := PaneDistros; p < paneCount; p++ {
		if l.Panes[p].Contains(x, y) {
			return p
		}
	}
	return PaneNone
}

// set places pane p.
func (l *Layout) set(p Pane, r Rect) { l.Panes[p] = r }

// ComputeLayout is a pure function of the terminal size, the view and the number of distros
// (so that a short table gives its spare rows to the process list). The view's entry (views.go)
// places its panes in the body, between header and footer; an unknown view is laid out as the
// overview.
func ComputeLayout(w, h int, v View, distros int) Layout {
	l := Layout{Width: max(w, 0), Height: max(h, 0), View: v}
	if w < MinWidth || h < MinHeight {
		l.TooSmall = true
		return l
	}
	l.Header = Rect{0, 0, w, 1}
	l.Footer = Rect{0, h - 1, w, 1}
	if v < 0 || v >= viewCount {
		v = ViewOverview
	}
	views[v].layout(&l, Rect{0, 1, w, h - 2}, distros)
	return l
}

// leftWidth is the left column's width in the two-column views.
func leftWidth(w int) int { return max(w*45/100, min(46, w/2)) }

// layoutOverview: the distros over the processes on the left; memory, then CPU and mounts (when
// there is room) on the right.
func layoutOverview(l *Layout, b Rect, distros int) {
	w, top, bh := b.W, b.Y, b.H
	leftW := leftWidth(w)
	rightW := w - leftW
	topH := max(bh*55/100, 6)
	// The table takes what it needs (header, rows, borders) up to topH; processes get the rest.
	dh := min(topH, max(distros+3, 6))
	l.set(PaneDistros, Rect{0, top, leftW, dh})
	l.set(PaneProcs, Rect{0, top + dh, leftW, bh - dh})
	l.set(PaneMemory, Rect{leftW, top, rightW, topH})
	rem := bh - topH
	if rem >= 16 {
		cpuH := rem * 45 / 100
		l.set(PaneCPU, Rect{leftW, top + topH, rightW, cpuH})
		l.set(PaneMounts, Rect{leftW, top + topH + cpuH, rightW, rem - cpuH})
	} else {
		l.set(PaneCPU, Rect{leftW, top + topH, rightW, rem})
	}
}

// layoutMemory: the graph on top; below it the reclaim status (and the distros when there is
// room) on the left, the event log on the right.
func layoutMemory(l *Layout, b Rect, distros int) {
	w, top, bh := b.W, b.Y, b.H
	leftW := leftWidth(w)
	rightW := w - leftW
	memH := max(bh*52/100, 6)
	rem := bh - memH
	statH := min(rem, 10)
	l.set(PaneMemory, Rect{0, top, w, memH})
	l.set(PaneReclaim, Rect{0, top + memH, leftW, statH})
	if rem-statH >= 5 {
		l.set(PaneDistros, Rect{0, top + memH + statH, leftW, rem - statH})
	} else {
		l.set(PaneReclaim, Rect{0, top + memH, leftW, rem})
	}
	// Memory by distro above the event log, as tall as its rows (a bar, the distros, the
	// remainder) when the log keeps at least 4 rows.
	dm := min(distroMemRows(distros), rem-4)
	if distros > 0 && dm >= 4 {
		l.set(PaneDistroMem, Rect{leftW, top + memH, rightW, dm})
		l.set(PaneEvents, Rect{leftW, top + memH + dm, rightW, rem - dm})
	} else {
		l.set(PaneEvents, Rect{leftW, top + memH, rightW, rem})
	}
}

// layoutConfig: the distros (whose wsl.conf is shown) on top, .wslconfig and wsl.conf side by
// side.
func layoutConfig(l *Layout, b Rect, distros int) {
	w, top, bh := b.W, b.Y, b.H
	dh := min(max(bh*25/100, 5), 10, max(distros+3, 5))
	cw := w * 58 / 100
	l.set(PaneDistros, Rect{0, top, w, dh})
	l.set(PaneWSLConfig, Rect{0, top + dh, cw, bh - dh})
	l.set(PaneWSLConf, Rect{cw, top + dh, w - cw, bh - dh})
}

// layoutDetail is the processes and mounts views: the distros on top, p below.
func layoutDetail(p Pane) func(*Layout, Rect, int) {
	return func(l *Layout, b Rect, distros int) {
		dh := min(max(b.H*30/100, 5), 14, max(distros+3, 5))
		l.set(PaneDistros, Rect{0, b.Y, b.W, dh})
		l.set(p, Rect{0, b.Y + dh, b.W, b.H - dh})
	}
}

// layoutDisks: the disks as tall as their rows, the advice for the selected one (three lines
// when there is room), the trash below with the rest (at least 4 rows).
func layoutDisks(l *Layout, b Rect, distros int) {
	w, top, bh := b.W, b.Y, b.H
	ah := 5
	if bh < 24 {
		ah = 4
	}
	dh := min(max(distros+4, 5), bh-ah-4)
	l.set(PaneDisks, Rect{0, top, w, dh})
	l.set(PaneAdvice, Rect{0, top + dh, w, ah})
	l.set(PaneTrash, Rect{0, top + dh + ah, w, bh - dh - ah})
}

// fullScreen is a view of one pane filling the body.
func fullScreen(p Pane) func(*Layout, Rect, int) {
	return func(l *Layout, b Rect, _ int) { l.set(p, b) }
}
