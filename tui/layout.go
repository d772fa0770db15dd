package tui

// View is one full-screen arrangement of the panes.
type View int

const (
	ViewOverview View = iota
	ViewMemory
	ViewProcesses
	ViewMounts
	ViewConfig
	ViewPorts
	ViewVMs
	ViewDisks   // disks & trash (diskview.go)
	ViewCatalog // the online catalogue (catalogview.go)
	viewCount
)

func (v View) String() string {
	return [viewCount]string{"overview", "memory", "processes", "mounts", "config", "ports", "vms", "disks", "catalogue"}[v]
}

// Pane names a region of the screen.
type Pane int

const (
	PaneNone Pane = iota
	PaneDistros
	PaneMemory
	PaneCPU
	PaneProcs
	PaneMounts
	PaneReclaim   // the memory view's reclaim status
	PaneEvents    // the memory view's reclaim event log
	PaneWSLConfig // the config view's .wslconfig
	PaneWSLConf   // the config view's /etc/wsl.conf
	PanePorts     // the ports view's listening sockets (portsview.go)
	PaneDistroMem // the memory view's memory by distro (distromem.go)
	PaneVMs       // the VMs view's every VM on the Windows host (vmsview.go)
	PaneDisks     // the disks view's disk per distro (diskview.go)
	PaneAdvice    // the disks view's how to get the selected disk's space back
	PaneTrash     // the disks view's trash
	PaneCatalog   // the catalogue view (catalogview.go)
	paneCount
)

func (p Pane) String() string {
	return [...]string{"none", "distros", "memory", "cpu", "processes", "mounts", "reclaim", "events", "wslconfig", "wsl.conf", "ports", "by distro", "vms", "disks", "reclaim advice", "trash", "catalogue"}[p]
}

// focusable are the panes that take the keyboard, in tab order.
var focusable = []Pane{PaneDistros, PaneProcs, PaneMounts, PaneWSLConfig, PaneWSLConf, PanePorts, PaneVMs, PaneDisks, PaneTrash, PaneCatalog}

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

// ComputeLayout is a pure function of the terminal size, the view and the number of distros
// (so that a short table gives its spare rows to the process list).
func ComputeLayout(w, h int, v View, distros int) Layout {
	l := Layout{Width: max(w, 0), Height: max(h, 0), View: v}
	if w < MinWidth || h < MinHeight {
		l.TooSmall = true
		return l
	}
	l.Header = Rect{0, 0, w, 1}
	l.Footer = Rect{0, h - 1, w, 1}
	top, bh := 1, h-2
	leftW := max(w*45/100, min(46, w/2))
	rightW := w - leftW
	set := func(p Pane, r Rect) { l.Panes[p] = r }

	switch v {
	case ViewMemory:
		// The graph on top; below it the reclaim status (and the distros when there is room)
		// on the left, the event log on the right.
		memH := max(bh*52/100, 6)
		rem := bh - memH
		statH := min(rem, 10)
		set(PaneMemory, Rect{0, top, w, memH})
		set(PaneReclaim, Rect{0, top + memH, leftW, statH})
		if rem-statH >= 5 {
			set(PaneDistros, Rect{0, top + memH + statH, leftW, rem - statH})
		} else {
			set(PaneReclaim, Rect{0, top + memH, leftW, rem})
		}
		// Memory by distro above the event log, as tall as its rows (a bar, the distros, the
		// remainder) when the log keeps at least 4 rows.
		dm := min(distroMemRows(distros), rem-4)
		if distros > 0 && dm >= 4 {
			set(PaneDistroMem, Rect{leftW, top + memH, rightW, dm})
			set(PaneEvents, Rect{leftW, top + memH + dm, rightW, rem - dm})
		} else {
			set(PaneEvents, Rect{leftW, top + memH, rightW, rem})
		}
	case ViewConfig:
		// The distros (whose wsl.conf is shown) on top, .wslconfig and wsl.conf side by side.
		dh := min(max(bh*25/100, 5), 10, max(distros+3, 5))
		cw := w * 58 / 100
		set(PaneDistros, Rect{0, top, w, dh})
		set(PaneWSLConfig, Rect{0, top + dh, cw, bh - dh})
		set(PaneWSLConf, Rect{cw, top + dh, w - cw, bh - dh})
	case ViewPorts:
		set(PanePorts, Rect{0, top, w, bh})
	case ViewVMs:
		set(PaneVMs, Rect{0, top, w, bh})
	case ViewDisks:
		// The disks as tall as their rows, the advice for the selected one (three lines when
		// there is room), the trash below with the rest (at least 4 rows).
		ah := 5
		if bh < 24 {
			ah = 4
		}
		dh := min(max(distros+4, 5), bh-ah-4)
		set(PaneDisks, Rect{0, top, w, dh})
		set(PaneAdvice, Rect{0, top + dh, w, ah})
		set(PaneTrash, Rect{0, top + dh + ah, w, bh - dh - ah})
	case ViewCatalog:
		set(PaneCatalog, Rect{0, top, w, bh})
	case ViewProcesses, ViewMounts:
		dh := min(max(bh*30/100, 5), 14, max(distros+3, 5))
		set(PaneDistros, Rect{0, top, w, dh})
		p := PaneProcs
		if v == ViewMounts {
			p = PaneMounts
		}
		set(p, Rect{0, top + dh, w, bh - dh})
	default:
		topH := max(bh*55/100, 6)
		// The table takes what it needs (header, rows, borders) up to topH; processes get the rest.
		dh := min(topH, max(distros+3, 6))
		set(PaneDistros, Rect{0, top, leftW, dh})
		set(PaneProcs, Rect{0, top + dh, leftW, bh - dh})
		set(PaneMemory, Rect{leftW, top, rightW, topH})
		rem := bh - topH
		if rem >= 16 {
			cpuH := rem * 45 / 100
			set(PaneCPU, Rect{leftW, top + topH, rightW, cpuH})
			set(PaneMounts, Rect{leftW, top + topH + cpuH, rightW, rem - cpuH})
		} else {
			set(PaneCPU, Rect{leftW, top + topH, rightW, rem})
		}
	}
	return l
}
