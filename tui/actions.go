package tui

import (
	"time"

	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
	"github.com/wsldash/wsldash/internal/units"
	"github.com/wsldash/wsldash/themes"
	dlg "github.com/wsldash/wsldash/tui/dialog"
)

// dialog is the dialog on screen: one tui/dialog component (confirm, choose, typed name, form,
// progress) and what the root does with its answer. The root owns it; panes ask for one through
// host.openDialog.
type dialog struct {
	d           dlg.Dialog
	title, body string
	op          op             // what a confirm or choose starts (startAction), unless then is set
	choices     []dialogChoice // a choose dialog's choices, by index
	job         uint64         // a progress dialog's job
	// then handles a confirmed answer instead of starting op (forms, typed names, menus).
	then func(m *Model, r dlg.Result) tea.Cmd
}

// dialogChoice is one option of a choice dialog: a reclaim mode, a signal, a menu entry.
type dialogChoice struct {
	label, desc string
	disabled    string // why it cannot be chosen ("" = it can)
	mode        backend.ReclaimMode
	sig         backend.Signal
}

// confirmDialog asks yes or no before starting o; danger focuses No first.
func confirmDialog(title, body string, o op, danger bool) *dialog {
	return &dialog{d: dlg.NewConfirm(title, body, danger), title: title, body: body, op: o}
}

// chooseDialog offers choices; confirming one starts o with the choice's mode or signal.
func chooseDialog(title, body, verb string, choices []dialogChoice, o op) *dialog {
	cs := make([]dlg.Choice, len(choices))
	for i, c := range choices {
		cs[i] = dlg.Choice{Label: c.label, Desc: c.desc, Disabled: c.disabled}
	}
	return &dialog{d: dlg.NewChoose(title, body, verb, cs), title: title, body: body, op: o, choices: choices}
}

// formDialog asks for fields; then gets their values.
func formDialog(title, body, verb string, fields []dlg.Field, then func(m *Model, r dlg.Result) tea.Cmd) *dialog {
	return &dialog{d: dlg.NewForm(title, body, verb, fields), title: title, body: body, then: then}
}

// typedNameDialog confirms a destructive action once name is typed.
func typedNameDialog(title, body, name string, then func(m *Model, r dlg.Result) tea.Cmd) *dialog {
	return &dialog{d: dlg.NewTypedName(title, body, name), title: title, body: body, then: then}
}

// progressDialog shows job id's progress.
func progressDialog(title, body string, total int64, started time.Time, id uint64) *dialog {
	return &dialog{d: dlg.NewProgress(title, body, total, started), title: title, body: body, job: id}
}

// choice is the highlighted choice of a choose dialog.
func (d *dialog) choice() int { return d.d.Cursor() }

// keepChoice is the quit dialog's "keep and quit" (a mode no reclaim has).
const keepChoice backend.ReclaimMode = "keep-and-quit"

// reclaimChoices are the manual reclaims, the default first.
var reclaimChoices = []dialogChoice{
	{label: "dropcache", desc: "drop the clean page cache now (drop_caches)", mode: backend.ReclaimDropCache},
	{label: "gradual", desc: "reclaim cache via cgroup memory.reclaim, like WSL's gradual", mode: backend.ReclaimGradual},
	{label: "compact", desc: "compact free memory so it returns in whole blocks; drops no cache", mode: backend.ReclaimCompact},
}

// killChoices are the signals a process can be sent: the polite one first, so that KILL is
// always a separate, explicit choice.
var killChoices = []dialogChoice{
	{label: "terminate", desc: "SIGTERM: ask it to exit; it can clean up or ignore it", sig: backend.SigTerm},
	{label: "kill", desc: "SIGKILL: end it now; no clean-up, unsaved work lost", sig: backend.SigKill},
}

var verbs = map[backend.Action][2]string{ // action -> (pending label, done message)
	backend.ActStart:      {"starting", "started"},
	backend.ActTerminate:  {"stopping", "terminated"},
	backend.ActSetDefault: {"setting default", "is now the default"},
	backend.ActShutdown:   {"shutting down", "WSL VM shut down"},
	backend.ActReclaim:    {"reclaiming", "reclaimed"},
	backend.ActKill:       {"killing", "killed"},
	backend.ActKeep:       {"keeping", "kept: it stays running after wsldash quits (R releases it)"},
	backend.ActRelease:    {"releasing", "released: WSL stops it once no client is left"},
}

func (m Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := &m.keys
	if msg.String() == "ctrl+c" {
		if m.job != nil && !m.quitAfterJob {
			// Quitting now would orphan the job's wsl.exe and leave its partial file: cancel it,
			// let the backend clean up, then quit (a second ctrl+c quits at once).
			m.quitAfterJob = true
			m.cancelJob()
			m.setFlash(flashInfo, "cancelling "+m.job.title+" before quitting (ctrl+c again quits now)")
			return m, nil
		}
		return m, tea.Quit
	}
	if m.dialog != nil {
		return m, m.onDialogKey(msg)
	}
	if m.filter.typing() {
		return m, m.onFilterInput(msg)
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Quit):
			return m, m.quit()
		case key.Matches(msg, k.Help, k.Cancel):
			m.showHelp = false
		default:
			m.onHelpKey(msg)
		}
		return m, nil
	}
	sc := m.scope()
	if b := k.match(msg); b != nil && !k.offers(sc, b) {
		// Not a key of what is on screen and focused: say where it works, never act on a
		// selection the user cannot see.
		m.setFlash(flashInfo, k.whyNot(sc, b))
		return m, nil
	}
	for v := range viewCount {
		if key.Matches(msg, k.Views[v]) {
			return m, m.setView(v)
		}
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m, m.quit()
	case key.Matches(msg, k.Help):
		m.showHelp, m.helpScroll = true, 0
	case key.Matches(msg, k.Filter):
		return m, m.startFilter()
	case msg.String() == "esc":
		cmd, _ := m.clearFilter()
		return m, cmd
	case key.Matches(msg, k.FocusNext):
		m.cycleFocus(1)
	case key.Matches(msg, k.FocusPrev):
		m.cycleFocus(-1)
	case key.Matches(msg, k.Up):
		return m, m.move(m.focus, -1)
	case key.Matches(msg, k.Down):
		return m, m.move(m.focus, 1)
	case key.Matches(msg, k.PageUp, k.PageDown, k.Top, k.Bottom):
		lp := m.listOf(m.focus)
		if lp == nil {
			return m, nil
		}
		l := lp.scroll()
		delta := map[bool]int{true: l.Visible(), false: l.Len() + 1}[key.Matches(msg, k.PageUp, k.PageDown)]
		if key.Matches(msg, k.PageUp, k.Top) {
			delta = -delta
		}
		return m, m.move(m.focus, delta)
	case key.Matches(msg, k.Theme):
		names := themes.Names()
		next := names[0]
		for i, n := range names {
			if n == m.themeName {
				next = names[(i+1)%len(names)]
			}
		}
		m.themeName = next
		m.applyStyles()
		m.setFlash(flashInfo, "theme "+next)
	case key.Matches(msg, k.Shutdown):
		if m.refuse(backend.ActShutdown) {
			return m, nil
		}
		m.dialog = confirmDialog("Shut down WSL?",
			"Every running distro stops and the VM shuts down (wsl --shutdown)."+dockerNote(backend.ActShutdown, "", m.distros),
			op{act: backend.ActShutdown}, true)
	case key.Matches(msg, k.Reclaim):
		if m.refuse(backend.ActReclaim) {
			return m, nil
		}
		body := reclaimAsk(m.info.ThisMachine)
		if s, ok := m.hist.Last(); ok {
			body += fmt.Sprintf(" About %s of page cache can be dropped now.", units.HumanBytes(float64(s.Guest.Reclaimable())))
		}
		m.dialog = chooseDialog("Reclaim memory?", body, "reclaim", reclaimChoicesFor(m.info.ThisMachine), op{act: backend.ActReclaim})
	case key.Matches(msg, k.Import): // a new distro from a file: it acts on no row
		return m, m.manage(backend.ActImport, backend.Distro{})
	default:
		// The panes' own keys: the focused pane's first, then those of the panes on screen
		// whose keys reach across the view (the distro table's, the process list's).
		for _, p := range sc.keyPanes() {
			if kp := m.keyHandler(p); kp != nil {
				if cmd, ok := kp.onKey(&m, msg); ok {
					return m, cmd
				}
			}
		}
	}
	return m, nil
}

// scope is where a key pressed now lands: the open view, the focus, the panes on screen.
func (m *Model) scope() scope { return scope{view: m.view, focus: m.focus, shown: m.layout.Visible} }

// keyHandler is what takes pane p's keys: its entry's handler, else the pane itself.
func (m *Model) keyHandler(p Pane) keyPane {
	if h := panes[p].handler; h != nil {
		return h(m)
	}
	kp, _ := m.paneOf(p).(keyPane)
	return kp
}

// dialogKeys are the KeyMap's bindings the dialog component reacts to.
func (m *Model) dialogKeys() dlg.Keys {
	k := &m.keys
	return dlg.Keys{Up: k.Up, Down: k.Down, Next: k.FocusNext, Prev: k.FocusPrev, Confirm: k.Confirm, Cancel: k.Cancel}
}

func (m *Model) onDialogKey(msg tea.KeyPressMsg) tea.Cmd {
	d := m.dialog
	nd, res, cmd := d.d.Update(msg, m.dialogKeys())
	if !res.Done {
		d.d = nd
		return cmd
	}
	m.dialog = nil
	if d.job != 0 {
		if !res.OK && m.job != nil && m.job.id == d.job { // cancel asked while it runs
			m.cancelJob()
		}
		return cmd
	}
	if !res.OK {
		return cmd
	}
	if d.then != nil {
		return tea.Batch(cmd, d.then(m, res))
	}
	o := d.op
	if len(d.choices) > 0 {
		c := d.choices[res.Choice]
		if o.act == actQuit {
			return m.quitWith(c.mode == keepChoice)
		}
		o.mode, o.sig = c.mode, c.sig
	}
	return tea.Batch(cmd, m.startAction(o))
}

// selectionChanged fetches details when the cursor now points at another distro than before.
func (m *Model) selectionChanged(before string) tea.Cmd {
	m.syncSelected()
	if m.selected != before {
		return m.fetchDetails(true)
	}
	return nil
}

// setView opens view v: its first focusable pane takes the keyboard, and what it shows is asked
// for (its entry's open, and the detail panes that came on screen).
func (m *Model) setView(v View) tea.Cmd {
	vd := &views[v]
	m.view = v
	m.watchDistroMemory()
	m.focus = vd.focus[0]
	before := m.layout
	m.relayout()
	cmd := m.revealed(before)
	if vd.open == nil {
		return cmd
	}
	return tea.Batch(append(vd.open(m), cmd)...)
}

// cycleFocus moves the keyboard to the view's next (dir 1) or previous (-1) pane on screen.
func (m *Model) cycleFocus(dir int) {
	var vis []Pane
	for _, p := range views[m.view].focus {
		if m.layout.Visible(p) {
			vis = append(vis, p)
		}
	}
	if len(vis) == 0 {
		return
	}
	i := 0
	for j, p := range vis {
		if p == m.focus {
			i = j
		}
	}
	m.focus = vis[(i+dir+len(vis))%len(vis)]
}

// refuse shows why an action is unavailable and reports whether it is.
func (m *Model) refuse(a backend.Action) bool {
	if r := m.caps.Reason(a); r != "" {
		m.setFlash(flashErr, fmt.Sprintf("%s: %s", a, r))
		return true
	}
	return false
}

// startAction marks the target pending and runs the action in a Cmd.
func (m *Model) startAction(o op) tea.Cmd {
	if p, busy := m.pending[o.key()]; busy {
		m.setFlash(flashInfo, "still "+p.label+"…")
		return nil
	}
	id := m.nextID()
	m.pending[o.key()] = pendingOp{id: id, act: o.act, label: verbs[o.act][0], at: m.clock.Now()}
	return tea.Batch(actionCmd(m.ctx, m.be, id, o), m.startSpinner())
}

func (m *Model) onAction(msg actionMsg) tea.Cmd {
	p, ok := m.pending[msg.key]
	if !ok || p.id != msg.id {
		return nil // stale
	}
	delete(m.pending, msg.key)
	if msg.err != nil {
		m.setFlash(flashErr, errText(msg.err))
		return m.refreshList()
	}
	done := verbs[msg.act][1]
	switch msg.act { // what frees memory, for the reclaim detector's attribution
	case backend.ActTerminate:
		m.rec.hint(p.at, reclaim.SourceDistroStopped)
	case backend.ActShutdown:
		m.rec.hint(p.at, reclaim.SourceVMShutdown)
	case backend.ActReclaim:
		m.rec.manual(p.at, msg.reclaim.Freed())
	}
	switch msg.act {
	case backend.ActShutdown:
		m.setFlash(flashOK, done)
	case backend.ActReclaim:
		m.setFlash(flashOK, reclaimText(msg.reclaim))
	case backend.ActKill:
		done = "sent SIGKILL to"
		if msg.sig == backend.SigTerm {
			done = "sent SIGTERM to" // asked, not killed: it may still be running
		}
		m.setFlash(flashOK, fmt.Sprintf("%s %s (pid %d)", done, msg.target, msg.pid))
		return tea.Batch(m.refreshList(), m.fetchDetails(true))
	default:
		m.setFlash(flashOK, msg.target+" "+done)
	}
	cmds := []tea.Cmd{m.refreshList()}
	if msg.act == backend.ActSetDefault || msg.act == backend.ActShutdown {
		cmds = append(cmds, m.refreshInfo())
	}
	if msg.act == backend.ActShutdown || msg.target == m.selected {
		cmds = append(cmds, m.fetchDetails(true)) // its processes and mounts changed
	}
	return tea.Batch(cmds...)
}

func (m *Model) shell() tea.Cmd {
	if m.refuse(backend.ActShell) {
		return nil
	}
	name := m.distroPane.selectedName()
	if name == "" && len(m.distros) > 0 {
		m.setFlash(flashInfo, "no distro selected")
		return nil
	}
	// ShellCommand may look for wsl.exe on disk: build the command in a Cmd, then hand the
	// terminal over when it is ready.
	be := m.be
	return func() tea.Msg {
		c, err := be.ShellCommand(name)
		return shellReadyMsg{distro: name, cmd: c, err: err}
	}
}

func (m *Model) onShellReady(msg shellReadyMsg) tea.Cmd {
	if msg.err != nil {
		m.setFlash(flashErr, errText(msg.err))
		return nil
	}
	if msg.cmd == nil {
		return nil
	}
	name := msg.distro
	return execShell(msg.cmd, shellBanner(name, m.info.ThisMachine, m.info.Hostname), func(err error) tea.Msg { return shellDoneMsg{distro: name, err: err} })
}

func (m *Model) onClick(ms tea.Mouse) tea.Cmd {
	if m.dialog != nil || m.showHelp || m.layout.TooSmall || ms.Button != tea.MouseLeft {
		return nil
	}
	p := m.layout.PaneAt(ms.X, ms.Y)
	lp := m.listOf(p)
	if lp == nil {
		return nil
	}
	m.focus = p
	l := lp.scroll()
	row := ms.Y - m.layout.Rect(p).Y - (lp.chrome() - 1) // the top border, a header, a status line
	if row < 0 || row >= l.Visible() {
		return nil
	}
	if idx := l.Offset() + row; idx < l.Len() {
		return m.move(p, idx-l.Cursor())
	}
	return nil
}

func (m *Model) onWheel(ms tea.Mouse) tea.Cmd {
	if m.dialog != nil || m.showHelp || m.layout.TooSmall {
		return nil
	}
	p := m.layout.PaneAt(ms.X, ms.Y)
	switch ms.Button {
	case tea.MouseWheelUp:
		return m.move(p, -1)
	case tea.MouseWheelDown:
		return m.move(p, 1)
	}
	return nil
}

// reclaimText says how much a manual reclaim gave back, in the words of its mode.
func reclaimText(r backend.ReclaimResult) string {
	freed := units.HumanBytes(float64(r.Freed()))
	where := ""
	if r.Where != "" {
		where = " in " + r.Where
	}
	around := fmt.Sprintf(" (cache %s → %s)", units.HumanBytes(float64(r.CacheBefore)), units.HumanBytes(float64(r.CacheAfter)))
	switch r.Mode {
	case backend.ReclaimGradual:
		return "memory.reclaim gave back " + freed + " of page cache" + where + around
	case backend.ReclaimCompact:
		return "compacted memory" + where + around
	}
	return "dropped " + freed + " of page cache" + where + around
}

// dockerNote is the sentence a dialog adds when the action stops Docker Desktop.
func dockerNote(a backend.Action, distro string, ds []backend.Distro) string {
	if w := backend.DockerWarning(a, distro, ds); w != "" {
		return " " + w + "."
	}
	return ""
}

// watchDistroMemory tells a backend whose per-distro memory costs a look into each distro (wsl)
// whether it is shown now: only while a view whose entry asks for it is open. It only sets a flag
// in the backend.
func (m *Model) watchDistroMemory() {
	if w, ok := m.be.(backend.MemoryWatcher); ok {
		w.WatchDistroMemory(views[m.view].distroMemory)
	}
}
