package tui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
	dlg "github.com/wsldash/wsldash/tui/dialog"
)

// The disks view (8): each distro's disk as Windows holds it (the ext4.vhdx) beside what df sees
// inside (running distros only: DiskUsage never starts one), the difference a compact could give
// back, how to get it back for the selected distro, and the trash (restore u, purge P). Fetched
// in one Cmd while the view is open, every fetchEvery refreshes, and after each trash job.
// Moving the disks cursor moves the dashboard's selection, so the distro keys act on that row.

// diskState is the disks view's data and its three panes; the root model holds a pointer.
type diskState struct {
	fetched[diskData]
	disks  disksPane
	advice advicePane
	trash  trashPane
	// follow puts the disks cursor on the selected distro when the next answer arrives (the
	// view was just opened).
	follow bool
}

// diskData is one answer: every distro's disk, the trash and where each entry would go back to.
type diskData struct {
	disks    []diskRow
	trash    []backend.TrashEntry
	trashErr string
	restore  map[string]string // RestoreDir by trashed name ("" when it could not be said)
}

type disksMsg = fetchMsg[diskData]

func newDiskState() *diskState {
	s := &diskState{}
	s.advice.st = s
	s.disks.trash = &s.trash
	return s
}

// diskRow is one distro's disk, or why it could not be looked at.
type diskRow struct {
	backend.DiskUsage
	err string
}

// disksPane is the table of disks.
type disksPane struct {
	list  list[diskRow]
	trash *trashPane // u and P work from the disks too
}

func (p *disksPane) scroll() scroller { return &p.list }
func (p *disksPane) chrome() int      { return 4 }

// advicePane says how to get the selected distro's space back.
type advicePane struct{ st *diskState }

// trashPane is the trash: what unregister kept, restorable (u) or purged for good (P).
type trashPane struct {
	list list[backend.TrashEntry]
	err  string
	dirs map[string]string
}

func (p *trashPane) scroll() scroller { return &p.list }
func (p *trashPane) chrome() int      { return 3 }

func (p *disksPane) filterWhat() string { return "disks: distro, state" }
func (p *disksPane) filter(q string) {
	p.list.filter(q, func(u *diskRow, q string) bool { return anyContains(q, u.Distro, string(u.State)) })
}

func (p *trashPane) filterWhat() string { return "trash: name, state" }
func (p *trashPane) filter(q string) {
	p.list.filter(q, func(e *backend.TrashEntry, q string) bool { return anyContains(q, e.Name, trashState(e)) })
}

func disksCmd(ctx context.Context, be backend.Backend, id uint64, distros []backend.Distro) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		var msg disksMsg
		msg.id = id
		// The list afresh: the snapshot may predate the job that asked (a restore adds one).
		if ds, err := be.Distros(ctx); err == nil {
			distros = ds
		}
		if dr, ok := be.(backend.DiskReporter); ok {
			rows := backend.DiskReport(ctx, dr, distros)
			msg.val.disks = make([]diskRow, len(rows))
			for i, r := range rows {
				msg.val.disks[i] = diskRow{DiskUsage: r.DiskUsage}
				if r.Err != nil { // the distro as listed, and why no figures
					msg.val.disks[i] = diskRow{DiskUsage: backend.DiskUsage{Distro: r.Distro, State: r.State, Version: r.Version}, err: errText(r.Err)}
				}
			}
		} else {
			msg.err = &backend.Error{Kind: backend.KindUnsupported, Op: "disk usage", Message: "this backend cannot measure disks"}
		}
		if ar, ok := be.(backend.Archiver); ok {
			t, err := ar.TrashList()
			if err != nil {
				msg.val.trashErr = errText(err)
			}
			msg.val.trash = t
			msg.val.restore = map[string]string{}
			for _, e := range t {
				if _, done := msg.val.restore[e.Name]; !done {
					dir, _ := ar.RestoreDir(e.Name)
					msg.val.restore[e.Name] = dir
				}
			}
		} else {
			msg.val.trashErr = "this backend has no trash"
		}
		return msg
	}
}

// diskCmds asks for the disks and the trash when the disks view is open and no request is out
// (force: in any case, superseding it).
func (m *Model) diskCmds(force bool) []tea.Cmd {
	if m.view != ViewDisks || (!force && m.disk.id != 0) {
		return nil
	}
	m.disk.id = m.nextID()
	return []tea.Cmd{disksCmd(m.ctx, m.be, m.disk.id, append([]backend.Distro(nil), m.distros...))}
}

// openDisks is setView's hook for the disks view.
func (m *Model) openDisks() []tea.Cmd {
	m.disk.follow = true
	return m.diskCmds(true)
}

func sameDisk(a, b *diskRow) bool { return strings.EqualFold(a.Distro, b.Distro) }
func sameTrash(a, b *backend.TrashEntry) bool {
	return a.Name == b.Name && a.Trashed.Equal(b.Trashed)
}

func (m *Model) onDisks(msg disksMsg) {
	ds := m.disk
	if !ds.accept(msg) {
		return
	}
	ds.disks.list.Set(ds.val.disks, ds.err, sameDisk)
	ds.trash.list.Set(msg.val.trash, msg.val.trashErr, sameTrash)
	ds.trash.err, ds.trash.dirs = msg.val.trashErr, msg.val.restore
	if ds.follow {
		ds.follow = false
		for i := range ds.disks.list.Len() {
			if ds.disks.list.At(i).Distro == m.selected {
				ds.disks.list.MoveTo(i)
			}
		}
	}
}

// followDisk makes the distro under the disks cursor the dashboard's selection (the distros
// pane's cursor goes there), so that the distro keys act on it.
func (m *Model) followDisk() tea.Cmd {
	u, ok := m.disk.disks.list.Selected()
	if !ok {
		return nil
	}
	before := m.selected
	l := &m.distroPane.list
	for i := range l.Len() {
		if l.At(i).Name == u.Distro {
			l.MoveTo(i)
			return m.selectionChanged(before)
		}
	}
	if before != "" { // hidden by the distros filter: say which distro the keys act on
		m.setFlash(flashInfo, u.Distro+" is hidden by the distros filter: the distro keys act on "+before)
	}
	return nil
}

// diskNote is a disk row's short note: why a figure is unknown, whose disk it is.
func diskNote(u *diskRow) string {
	var parts []string
	if backend.IsDockerDistro(u.Distro) {
		parts = append(parts, "Docker Desktop's")
	}
	switch {
	case u.err != "":
		parts = append(parts, "could not look: "+u.err)
	case u.Version == 1:
		parts = append(parts, "WSL 1: no virtual disk")
	case u.Inside == nil && u.State == backend.StateStopped:
		parts = append(parts, "stopped: start it to look inside")
	case u.Inside == nil && u.State != backend.StateRunning && u.State != "":
		parts = append(parts, strings.ToLower(string(u.State))+": not running")
	case u.VHDXBytes == nil && u.Inside == nil && u.Note != "":
		parts = append(parts, u.Note)
	case u.VHDXBytes == nil:
		parts = append(parts, "disk file's size unknown")
	case u.Inside == nil && u.Note != "":
		parts = append(parts, u.Note)
	}
	return strings.Join(parts, " · ")
}

func (p *disksPane) render(sh *shared, r Rect) {
	if needsWindows(sh, r, PaneDisks, "Disks", "WSL distros' VHDX disks") {
		return
	}
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	stateW, numW := 12, 11
	if iw < 100 {
		stateW, numW = 10, 9
	}
	nameW := min(max(iw*22/100, 10), 28)
	noteW := max(iw-4-nameW-stateW-4*numW, 6)
	recHdr := "RECLAIMABLE"
	if numW < len(recHdr) {
		recHdr = "RECLAIM"
	}
	body := make([]string, 0, r.H-2)
	status := " " + P.muted.s("VHDX: what the disk file holds on Windows · USED, FREE: df inside, running distros only (none is started to look)")
	body = append(body, fit(status, iw))
	hdr := "  " + col("NAME", nameW, false) + col("STATE", stateW, false) + col("VHDX", numW-1, true) + " " +
		col("USED", numW-1, true) + " " + col("FREE", numW-1, true) + " " + col(recHdr, numW, true) + "  " + "NOTE"
	body = append(body, P.header.s(fit(hdr, iw)))
	body = listRows(sh, body, &p.list, PaneDisks, iw, "no distros", func(mark string, u *diskRow) string {
		used, free := "—", "—"
		if u.Inside != nil {
			used, free = units.HumanBytes(float64(u.Inside.UsedBytes)), units.HumanBytes(float64(u.Inside.AvailBytes))
		}
		return mark + col(u.Distro, nameW-1, false) + " " + col(cmpOr(string(u.State), "—"), stateW-1, false) + " " +
			col(optBytes(u.VHDXBytes), numW-1, true) + " " + col(used, numW-1, true) + " " + col(free, numW-1, true) + " " +
			col(optBytes(u.Reclaimable), numW, true) + "  " + col(diskNote(u), noteW, false)
	})
	var total int64
	known, unknown := 0, 0
	for i := range p.list.items {
		if rc := p.list.items[i].Reclaimable; rc != nil {
			total += *rc
			known++
		} else if p.list.items[i].Version != 1 { // WSL 1 has no disk to give back
			unknown++
		}
	}
	note := ""
	if n := len(p.list.items); n > 0 {
		note = strconv.Itoa(n) + " distros"
		switch {
		case known > 0 && unknown > 0:
			note += " · at least " + units.HumanBytes(float64(total)) + " reclaimable (" + strconv.Itoa(unknown) + " unknown)"
		case known > 0:
			note += " · " + units.HumanBytes(float64(total)) + " reclaimable"
		}
	}
	sh.paneBox(r, PaneDisks, p.list.title("Disks"), note, body)
}

func (p advicePane) render(sh *shared, r Rect) {
	if needsWindows(sh, r, PaneAdvice, "Getting the space back", "shrinking a VHDX") {
		return
	}
	P := &sh.styles.P
	iw := r.W - 2
	body := make([]string, 0, r.H-2)
	title, text := "Getting the space back", ""
	u, ok := p.st.disks.list.Selected()
	switch {
	case !ok:
		text = "select a distro above"
	case u.Version == 1:
		text = "WSL 1 keeps its files in a Windows folder: there is no virtual disk to compact."
	case u.Reclaim != "":
		text = u.Reclaim
	default:
		text = "the disk file never shrinks by itself (microsoft/WSL#4699): wsldash compact " + u.Distro + " (the Windows step, Optimize-VHD, needs an elevated prompt)"
	}
	for _, l := range wrapWords(text, iw-2, r.H-2) {
		body = append(body, fit(" "+P.cell.s(l), iw))
	}
	note := ""
	if ok {
		note = u.Distro
	}
	sh.paneBox(r, PaneAdvice, title, note, body)
}

// trashWhen is when an entry was trashed, in the dashboard clock's zone: "2026-11-25 14:03".
func trashWhen(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// trashState says what an entry is: restorable, or why not.
func trashState(e *backend.TrashEntry) string {
	switch e.State {
	case backend.TrashExporting:
		return "incomplete: its export never finished (not restorable; P purges it)"
	case backend.TrashVerified:
		return "verified archive; the unregister had not started"
	case backend.TrashUnregistering:
		return "archive verified; unregister was under way"
	}
	return "trashed"
}

func (p *trashPane) render(sh *shared, r Rect) {
	if needsWindows(sh, r, PaneTrash, "Trash", "the trash of WSL distros") {
		return
	}
	P := &sh.styles.P
	iw := r.W - 2
	const whenW, sizeW = 18, 10
	nameW := min(max(iw*22/100, 10), 28)
	stateW := max(iw-2-nameW-whenW-sizeW-1, 6)
	body := make([]string, 0, r.H-2)
	hdr := "  " + col("NAME", nameW, false) + col("TRASHED", whenW, false) + col("SIZE", sizeW-1, true) + "  " + col("STATE", stateW, false)
	body = append(body, P.header.s(fit(hdr, iw)))
	body = listRows(sh, body, &p.list, PaneTrash, iw, "the trash is empty (U unregisters a distro into it)", func(mark string, e *backend.TrashEntry) string {
		size := "—"
		if e.Bytes > 0 {
			size = units.HumanBytes(float64(e.Bytes))
		}
		return mark + col(e.Name, nameW-1, false) + " " + col(trashWhen(e.Trashed, sh.now.Location()), whenW-1, false) + " " +
			col(size, sizeW-1, true) + "  " + col(trashState(e), stateW, false)
	})
	note := "u restores · P purges for good"
	if n := len(p.list.items); n > 0 {
		note = strconv.Itoa(n) + " kept · " + note
	}
	if p.err != "" && len(p.list.items) > 0 {
		note = p.err
	}
	sh.paneBox(r, PaneTrash, p.list.title("Trash"), note, body)
}

func (p *trashPane) onKey(h host, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := &h.ctxt().keys
	restore := key.Matches(msg, k.Restore)
	if !restore && !key.Matches(msg, k.Purge) {
		return nil, false
	}
	if h.refuse(backend.ActUnregister) {
		return nil, true
	}
	e, ok := p.list.Selected()
	if !ok {
		h.setFlash(flashInfo, "the trash is empty")
		return nil, true
	}
	name := e.Name
	if !restore {
		h.openDialog(typedNameDialog("Purge "+name+" from the trash?",
			"Every trashed archive of "+name+" is deleted for good: nothing can bring it back. Type the distro's name to purge it.",
			name, func(m *Model, _ dlg.Result) tea.Cmd { return m.purgeJob(name) }))
		return nil, true
	}
	if !e.Restorable() {
		h.setFlash(flashErr, "restore "+name+": "+trashState(e))
		return nil, true
	}
	for _, d := range h.ctxt().distros {
		if strings.EqualFold(d.Name, name) {
			h.setFlash(flashErr, "restore "+name+": a distro of that name is registered; unregister or rename it first")
			return nil, true
		}
	}
	where := p.dirs[name]
	body := "Import the newest archive of " + name + " back under its name"
	if where != "" {
		body += ", installed in " + where
	} else {
		body += " (where: the backend could not say)"
	}
	body += ", and remove it from the trash."
	h.openDialog(&dialog{d: dlg.NewConfirm("Restore "+name+"?", body, false), title: "Restore " + name + "?", body: body,
		then: func(m *Model, _ dlg.Result) tea.Cmd { return m.restoreJob(name, where) }})
	return nil, true
}

// afterTrash re-reads the disks and the trash once a trash job ended.
func afterTrash(m *Model) tea.Cmd { return tea.Batch(m.diskCmds(true)...) }

func (m *Model) restoreJob(name, where string) tea.Cmd {
	ar, ok := m.be.(backend.Archiver)
	if !ok {
		m.setFlash(flashErr, "restore: this backend has no trash")
		return nil
	}
	return m.startJob(jobSpec{title: "Restore " + name, body: "Importing the trashed archive…", target: name, label: "restoring",
		run: func(ctx context.Context, feed *jobFeed) (string, error) {
			if err := ar.TrashRestore(ctx, name); err != nil {
				return "", err
			}
			if where != "" {
				return "restored " + name + " into " + where, nil
			}
			return "restored " + name, nil
		}, after: afterTrash, noBytes: true})
}

func (m *Model) purgeJob(name string) tea.Cmd {
	ar, ok := m.be.(backend.Archiver)
	if !ok {
		m.setFlash(flashErr, "purge: this backend has no trash")
		return nil
	}
	return m.startJob(jobSpec{title: "Purge " + name, body: "Deleting its trashed archives…", label: "purging",
		run: func(context.Context, *jobFeed) (string, error) {
			if err := ar.TrashPurge(name); err != nil {
				return "", err
			}
			return "purged " + name + " from the trash for good", nil
		}, after: afterTrash, noBytes: true})
}
