package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// distrosPane is the distro table: the list of every registered distro (filtered with /), whose
// cursor is the dashboard's selection, and the keys that act on the selected distro.
type distrosPane struct {
	list    list[backend.Distro]
	listErr string // the last list request's error (the list shown is the one before it)
}

func newDistrosPane() distrosPane { return distrosPane{} }

func (p *distrosPane) scroll() scroller { return &p.list }
func (p *distrosPane) chrome() int      { return 3 }

func sameDistro(a, b *backend.Distro) bool { return a.Name == b.Name }

// set takes a new list; the cursor stays on the distro it was on.
func (p *distrosPane) set(ds []backend.Distro) {
	p.list.Set(ds, "", sameDistro)
}

func (p *distrosPane) filterWhat() string { return "distros: name" }
func (p *distrosPane) filter(q string) {
	p.list.filter(q, func(d *backend.Distro, q string) bool { return anyContains(q, d.Name) })
}

// selectedName is the distro under the cursor ("" = none).
func (p *distrosPane) selectedName() string {
	if d, ok := p.list.Selected(); ok {
		return d.Name
	}
	return ""
}

// onKey takes the keys that act on the selected distro: the distro table's, and the disk
// table's, whose cursor moves the selection (the registry says where they reach).
func (p *distrosPane) onKey(h host, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := &h.ctxt().keys
	switch {
	case key.Matches(msg, k.Start):
		return p.act(h, backend.ActStart), true
	case key.Matches(msg, k.Terminate):
		return p.act(h, backend.ActTerminate), true
	case key.Matches(msg, k.SetDefault):
		return p.act(h, backend.ActSetDefault), true
	case key.Matches(msg, k.Keep):
		return p.keepAction(h, backend.ActKeep), true
	case key.Matches(msg, k.Release):
		return p.keepAction(h, backend.ActRelease), true
	case key.Matches(msg, k.Shell):
		return h.shell(), true
	case key.Matches(msg, k.Export):
		return p.manage(h, backend.ActExport), true
	case key.Matches(msg, k.Clone):
		return p.manage(h, backend.ActClone), true
	case key.Matches(msg, k.Unregister):
		return p.manage(h, backend.ActUnregister), true
	case key.Matches(msg, k.Manage):
		return p.manage(h, actManage), true
	}
	return nil, false
}

// manage opens the dialog of a management action on the selected distro.
func (p *distrosPane) manage(h host, a backend.Action) tea.Cmd {
	d, ok := p.target(h, a, false)
	if !ok {
		return nil
	}
	return h.manage(a, d)
}

// target is the selected distro for action a, or false with the reason said: the backend
// cannot do a, nothing is selected, or (unless busyOK) the distro is busy.
func (p *distrosPane) target(h host, a backend.Action, busyOK bool) (backend.Distro, bool) {
	if a != actManage && h.refuse(a) {
		return backend.Distro{}, false
	}
	d, ok := p.selectedFor(h)
	if ok && !busyOK && d.State.Busy() {
		h.setFlash(flashInfo, fmt.Sprintf("%s is %s", d.Name, strings.ToLower(string(d.State))))
		return d, false
	}
	return d, ok
}

// selectedFor is the selected distro for an action, or a message saying why there is none.
func (p *distrosPane) selectedFor(h host) (backend.Distro, bool) {
	d, ok := p.list.Selected()
	if !ok {
		h.setFlash(flashInfo, "no distro selected")
		return backend.Distro{}, false
	}
	return *d, true
}

// act starts, terminates or makes default the selected distro, after the checks that make the
// key say what is wrong instead of failing in wsl.exe.
func (p *distrosPane) act(h host, a backend.Action) tea.Cmd {
	d, ok := p.target(h, a, false)
	if !ok {
		return nil
	}
	switch {
	case a == backend.ActStart && d.State == backend.StateRunning:
		h.setFlash(flashInfo, d.Name+" is already running")
		return nil
	case a == backend.ActTerminate && d.State == backend.StateStopped:
		h.setFlash(flashInfo, d.Name+" is not running")
		return nil
	case a == backend.ActSetDefault && d.Default:
		h.setFlash(flashInfo, d.Name+" is already the default")
		return nil
	case a == backend.ActTerminate:
		// Like killing a process, it ends work the user may have open: ask, No first.
		body := "Every process in " + d.Name + " stops, the user's shells in it too (wsl --terminate)."
		if backend.IsDockerDistro(d.Name) {
			body += " It is Docker Desktop's distro." + dockerNote(a, d.Name, h.ctxt().distros)
		}
		h.openDialog(confirmDialog("Terminate "+d.Name+"?", body, op{act: a, distro: d.Name}, true))
		return nil
	}
	return h.startAction(op{act: a, distro: d.Name})
}

// keepAction is K (keep) and R (release) on the selected distro.
func (p *distrosPane) keepAction(h host, a backend.Action) tea.Cmd {
	d, ok := p.target(h, a, true)
	if !ok {
		return nil
	}
	switch {
	case a == backend.ActKeep && d.Kept:
		h.setFlash(flashInfo, d.Name+" is already kept (R releases it)")
		return nil
	case a == backend.ActRelease && !d.Kept && !d.Held:
		h.setFlash(flashInfo, d.Name+" is neither held nor kept by wsldash")
		return nil
	}
	return h.startAction(op{act: a, distro: d.Name})
}

func (p *distrosPane) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	// Columns: marker 2, name flex, state 13, ver 4, disk 9, held 6 ("no VM" and a space before
	// the location).
	const stateW, verW, diskW, heldW = 13, 4, 9, 6
	showDisk := iw >= 2+14+stateW+verW+diskW
	showHeld := iw >= 2+16+stateW+verW+diskW+heldW
	restW := verW
	if showDisk {
		restW += diskW
	}
	if showHeld {
		restW += heldW
	}
	nameW := max(iw-2-stateW-restW, 4)
	// On wide screens the name column stops growing and the install folder gets the rest.
	const maxNameW, minLocW = 28, 16
	locW := 0
	if nameW > maxNameW+minLocW {
		locW = nameW - maxNameW
		nameW = maxNameW
		restW += locW
	}
	exact := 2+nameW+stateW+restW == iw
	body := make([]string, 0, r.H-2)
	hdr := "  " + col("NAME", nameW, false) + col("STATE", stateW, false) + col("WSL", verW, false)
	if showDisk {
		hdr += col("DISK", diskW-1, true) + " "
	}
	if showHeld {
		hdr += col("", heldW-1, false) + " "
	}
	if locW > 0 {
		hdr += col("LOCATION", locW, false)
	}
	body = append(body, P.header.s(fit(hdr, iw)))
	l := &p.list
	from, to := l.window()
	for i := from; i < to; i++ {
		d := l.At(i)
		sel := i == l.cur
		name := d.Name
		if d.Default {
			name += " ★"
		}
		if backend.IsDockerDistro(d.Name) && textWidth(name)+len(" (Docker)") <= nameW-1 {
			name += " (Docker)" // where there is room; the memory and ports views always say so
		}
		stateText, stPaint := sh.stateCell(d)
		mark := "  "
		if sel {
			mark = "▸ "
		}
		rest := col(strconv.Itoa(d.Version), verW, false)
		if showDisk {
			disk := "—"
			if d.DiskBytes > 0 {
				disk = units.HumanBytes(float64(d.DiskBytes))
			}
			rest += col(disk, diskW-1, true) + " "
		}
		if showHeld {
			held := ""
			switch {
			case d.Kept:
				held = "kept"
			case d.Held:
				held = "held"
			case d.Version == 1: // outside the VM: no VM figures come from it
				held = "no VM"
			}
			rest += col(held, heldW-1, false) + " "
		}
		if locW > 0 {
			loc := d.BasePath
			if loc == "" {
				loc = d.DiskPath
			}
			rest += colTail(shortPath(loc), locW)
		}
		left := mark + col(name, nameW-1, false) + " "
		stateCol := col(stateText, stateW, false)
		var line string
		if sel {
			sst := st.SelectedDim
			if sh.focus == PaneDistros {
				sst = st.Selected
			}
			line = sst.Render(left) + sh.stateStyle(d).Inherit(sst).Render(stateCol) + sst.Render(rest)
		} else {
			line = P.cell.s(left) + stPaint.s(stateCol) + P.muted.s(rest)
		}
		if !exact {
			line = fit(line, iw)
		}
		body = append(body, line)
	}
	if l.Len() == 0 {
		msg := "no distros"
		switch {
		case p.listErr != "":
			msg = p.listErr
		case l.Query() != "" && len(l.items) > 0:
			msg = l.emptyText("")
		case !l.have && sh.distros == nil:
			msg = "loading…"
		case sh.info.ThisMachine:
			msg = "this machine has no WSL distros"
		}
		body = append(body, fit(P.muted.s("  "+msg), iw))
	}
	running := 0
	for i := range sh.distros {
		if sh.distros[i].State == backend.StateRunning {
			running++
		}
	}
	note := fmt.Sprintf("%d running · %d", running, len(sh.distros))
	if l.Query() != "" {
		note = fmt.Sprintf("%d of %d", l.Len(), len(sh.distros))
	}
	if p.listErr != "" && l.Len() > 0 {
		note = p.listErr
	}
	sh.paneBox(r, PaneDistros, l.title("Distros"), note, body)
}

// stateCell is the state column: a pending action's spinner, else a coloured dot and the state.
func (sh *shared) stateCell(d *backend.Distro) (string, paint) {
	st := sh.styles
	if p, ok := sh.pending[d.Name]; ok {
		return sh.spinner() + " " + p.label + "…", st.P.pending
	}
	if p, ok := sh.pending[vmKey]; ok && p.act == backend.ActShutdown && d.State == backend.StateRunning {
		return sh.spinner() + " stopping…", st.P.pending
	}
	dot := "○ "
	switch {
	case d.State == backend.StateRunning:
		dot = "● "
	case d.State.Busy():
		dot = "◌ "
	}
	return dot + string(d.State), st.statePaint(d.State)
}

// stateStyle is the style of a row's state cell (for the selected row, which is re-rendered).
func (sh *shared) stateStyle(d *backend.Distro) lipgloss.Style {
	if _, ok := sh.pending[d.Name]; ok {
		return sh.styles.Pending
	}
	return sh.styles.stateStyle(d.State)
}
