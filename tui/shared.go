package tui

import (
	"image/color"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/sampler"
)

// shared is what every pane reads and none owns (after gh-dash's ProgramContext): the styles
// and keys, the layout, focus and view, the clock, what the backend said of itself, the distro
// list and the selection, the sample history and the reclaim log, the actions in flight, and
// the render cache. The root model embeds it and is the only one that changes it; panes read
// it through a pointer (to draw, and in onKey through host.ctxt) and ask the root for a change
// (host.focusOn, host.setFlash, …).
type shared struct {
	styles  *Styles
	keys    KeyMap
	noColor bool

	layout Layout
	view   View
	focus  Pane

	clock   sampler.Clock
	now     time.Time
	refresh time.Duration
	cad     cadence // live or idle cadence (cadence.go)

	info backend.Info
	caps backend.Capabilities

	distros  []backend.Distro // the newest list, unfiltered (the distros pane filters it)
	selected string           // the selected distro's name, kept across refreshes

	hist      *sampler.History
	sampleErr string
	rec       *reclaimState // reclaim events and idle time, fed in Update (reclaim.go)
	gate      gateState     // WSL's reclaim gate, live (gate.go)
	probe     probeKind     // what reads the VM (the wsl backend's probe), from the samples

	pending   map[string]pendingOp // by target: distro name, vmKey, or pidKey(pid)
	spinFrame int

	cache *renderCache
}

// pane is one region of the screen with its own state: it draws itself into the frame.
type pane interface {
	render(sh *shared, r Rect)
}

// listPane is a pane that is a list (the shared list component): the root moves its cursor
// with the keys, clicks and the wheel.
type listPane interface {
	pane
	scroll() scroller
	// chrome is how many of the pane's rows are not list rows (borders, header, status line);
	// rows above the list are chrome-1 (the bottom border is the other one).
	chrome() int
}

// keyPane is a pane with keys of its own; it reports whether it took the key.
type keyPane interface {
	onKey(h host, msg tea.KeyPressMsg) (tea.Cmd, bool)
}

// host is what a pane may ask of the root model, which owns requests, dialogs, actions and the
// status line: panes never run I/O or open dialogs themselves.
type host interface {
	setFlash(k flashKind, text string)
	refuse(a backend.Action) bool
	startAction(o op) tea.Cmd
	openDialog(d *dialog)
	focusOn(p Pane) // moves the focus to p (the root owns shared; panes never write it)
	selectionChanged(before string) tea.Cmd
	detailsChanged() tea.Cmd
	shell() tea.Cmd
	manage(a backend.Action, d backend.Distro) tea.Cmd // the management dialogs (manage.go)
	ctxt() *shared
}

// paneOf is the pane of a screen region (nil for PaneNone), as its entry in panes says.
func (m *Model) paneOf(p Pane) pane {
	if p <= PaneNone || p >= paneCount {
		return nil
	}
	return panes[p].of(m)
}

// listOf is the list of pane p, or nil when p is not a list.
func (m *Model) listOf(p Pane) listPane {
	lp, _ := m.paneOf(p).(listPane)
	return lp
}

func (m *Model) openDialog(d *dialog) { m.dialog = d }
func (m *Model) focusOn(p Pane)       { m.focus = p }
func (m *Model) ctxt() *shared        { return &m.shared }

// detailsChanged asks again for what the detail panes show (the process list's target changed).
func (m *Model) detailsChanged() tea.Cmd { return tea.Batch(m.detailCmds(true)...) }

// paneBox writes a bordered pane: the title (and a note) in the top border, body lines inside.
// Body lines must be exactly r.W-2 cells wide (use fit when unsure); missing lines are blank.
func (sh *shared) paneBox(r Rect, p Pane, title, note string, body []string) {
	st := sh.styles
	focused := sh.focus == p
	bp := st.P.border
	ts := st.PaneTitle
	if focused {
		bp, ts = st.P.borderFocus, st.PaneTitleFocus
	}
	iw := r.W - 2
	rows := sh.cache.rows
	// Top border: ╭─ Title ─ note ───╮
	t := ts.Render(title)
	tw := ansi.StringWidth(t)
	head := bp.s("╭─") + " " + t + " "
	used := 2 + 1 + tw + 1
	if note != "" && used+4 < r.W {
		nt := ansi.Truncate(note, r.W-used-4, "…")
		head += bp.s("─") + " " + st.PaneNote.Render(nt) + " "
		used += 3 + ansi.StringWidth(nt)
	}
	if used > r.W-1 {
		head = ansi.Truncate(head, r.W-1, "")
		used = r.W - 1
	}
	rows[r.Y].WriteString(head)
	rows[r.Y].WriteString(bp.s(strings.Repeat("─", r.W-1-used) + "╮"))
	side := bp.s("│")
	for i := 0; i < r.H-2; i++ {
		row := &rows[r.Y+1+i]
		row.WriteString(side)
		if i < len(body) {
			row.WriteString(body[i])
		} else {
			row.WriteString(spaces(iw))
		}
		row.WriteString(side)
	}
	rows[r.Y+r.H-1].WriteString(bp.s("╰" + strings.Repeat("─", max(r.W-2, 0)) + "╯"))
}

// rowPaint is the paint of a list row: selected (focused or not) or plain.
func (sh *shared) rowPaint(sel bool, p Pane) paint {
	switch {
	case !sel:
		return sh.styles.P.cell
	case sh.focus == p:
		return sh.styles.P.sel
	}
	return sh.styles.P.selDim
}

// listRows appends the rows of l on screen to body, each drawn by line (plain text starting
// with mark, the cursor's marker) and painted as a list row of pane p; an empty list gets one
// line saying why (none, an error, or loading).
func listRows[T any](sh *shared, body []string, l *list[T], p Pane, iw int, none string, line func(mark string, it *T) string) []string {
	from, to := l.window()
	for i := from; i < to; i++ {
		mark := "  "
		if i == l.cur {
			mark = "▸ "
		}
		body = append(body, sh.rowPaint(i == l.cur, p).s(fit(line(mark, l.At(i)), iw)))
	}
	if l.Len() == 0 {
		body = append(body, fit(sh.styles.P.muted.s("  "+l.emptyText(none)), iw))
	}
	return body
}

// spinner is the current frame of the pending-action spinner.
func (sh *shared) spinner() string {
	return spinnerFrames.Frames[sh.spinFrame%len(spinnerFrames.Frames)]
}

func (sh *shared) seriesStyle(c color.Color) lipgloss.Style {
	if sh.styles.NoColor || c == nil {
		return lipgloss.NewStyle()
	}
	return lipgloss.NewStyle().Foreground(c)
}

func (sh *shared) swatch(clr lipgloss.Style, label, value string) string {
	st := sh.styles
	return clr.Render("■") + " " + st.Muted.Render(label) + " " + st.Cell.Render(value)
}

// distroColor is the colour of the i-th distro, cycling through the palette's accents.
func (sh *shared) distroColor(i int) color.Color {
	p := sh.styles.Palette
	cs := []color.Color{p.Accent, p.OK, p.Warn, p.CPU, p.Err}
	return cs[i%len(cs)]
}

// detailFor names what the detail panes show: the selected distro, or this machine.
func (sh *shared) detailFor() string {
	if sh.selected != "" {
		return sh.selected
	}
	if sh.info.ThisMachine {
		return "this machine"
	}
	return ""
}

func (sh *shared) defaultDistro() string {
	for _, d := range sh.distros {
		if d.Default {
			return d.Name
		}
	}
	return sh.info.DefaultDistro
}
