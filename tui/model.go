package tui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/sampler"
	"github.com/wsldash/wsldash/themes"
)

// Options configure the dashboard.
type Options struct {
	Backend backend.Backend
	Refresh time.Duration // sample interval (default: the config's, else 1s)
	Theme   string        // "" = from the config file, else a themes.Names() name
	Config  *Config       // nil = LoadConfig(ConfigPath())
	Clock   sampler.Clock // nil = the system clock (tests inject a FixedClock)
	NoColor bool          // no colours at all (NO_COLOR)
}

// Run runs the dashboard until the user quits (nil) or ctx ends (nil). It restores the terminal
// in every case. A bad config file or theme name is an error before anything is drawn.
func Run(ctx context.Context, opts Options) error {
	if opts.Backend == nil {
		return fmt.Errorf("tui: no backend")
	}
	if opts.Config == nil {
		path, err := ConfigPath()
		if err != nil {
			return err
		}
		if opts.Config, err = LoadConfig(path); err != nil {
			return err
		}
	}
	if _, err := themes.Get(cmp.Or(opts.Theme, opts.Config.Theme), true); err != nil {
		return err
	}
	m := New(opts)
	m.ctx = ctx
	if _, ok := opts.Backend.(backend.Backfiller); ok {
		// The demo lives in memory and answers at once: its first frame says "demo" too.
		if info, err := opts.Backend.Info(ctx); err == nil {
			m.info = info
			m.syncGate()
		}
	}
	// lipgloss detected the terminal's colour profile when it was loaded (inside tmux that runs
	// `tmux info`, a fork and exec); the first frame and Bubble Tea reuse it rather than each
	// detecting it again before anything is on screen.
	profile := lipgloss.Writer.Profile
	// Knowing the size now lets Bubble Tea's first render, before its event loop runs, be the
	// whole screen instead of an empty frame followed by the real one a frame later.
	painted := false
	if w, h, err := term.GetSize(os.Stdout.Fd()); err == nil {
		m.width, m.height = w, h
		m.relayout()
		painted = prePaint(os.Stdout, m.View().Content, profile)
	}
	// Each frame tick is a wake-up whether or not anything changed (see DefaultFPS), and the
	// first frame does not wait for one (prePaint), so a dashboard that changes once a second
	// runs at the config's fps.
	fps := opts.Config.FPS
	if fps < 1 || fps > MaxFPS {
		fps = DefaultFPS
	}
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithFPS(fps), tea.WithColorProfile(profile))
	_, err := p.Run()
	if err != nil && painted && !errors.Is(err, tea.ErrProgramKilled) {
		leavePaint(os.Stdout) // Bubble Tea never took the screen over: give it back
	}
	if err != nil && ctx.Err() != nil {
		return nil // cancelled by the caller (a signal): a normal way to leave
	}
	return err
}

// prePaint draws the first frame straight to the terminal before Bubble Tea starts, since its
// renderer flushes only on a frame tick: the dashboard shows at process start instead of one
// or two ticks later. Bubble Tea then takes the alternate screen over and repaints it whole.
// Colours go through colorprofile, which downsamples them to what the terminal supports.
func prePaint(f *os.File, content string, profile colorprofile.Profile) bool {
	if content == "" || !term.IsTerminal(f.Fd()) {
		return false
	}
	var b strings.Builder
	b.WriteString(ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.EraseEntireScreen + ansi.CursorHomePosition)
	b.WriteString(strings.ReplaceAll(content, "\n", "\r\n"))
	w := &colorprofile.Writer{Forward: f, Profile: profile}
	_, err := io.WriteString(w, b.String())
	return err == nil
}

// leavePaint undoes prePaint when the program could not start.
func leavePaint(f *os.File) {
	io.WriteString(f, ansi.ResetModeAltScreenSaveCursor+ansi.ShowCursor)
}

// Model is the root model: it routes messages, owns focus, layout, dialogs and every request in
// flight, and holds the panes (shared.go, pane_*.go). What every pane reads is in the embedded
// shared context; each pane keeps its own state, keys and rendering.
type Model struct {
	shared
	viewState // the views' own state (views.go)

	ctx context.Context
	be  backend.Backend
	// after runs then once d has passed; afterRefresh the same for the refresh loop, whose
	// wait the cadence can cut short (cadence.go). Tests replace both so that no timer runs.
	after        func(d time.Duration, then tea.Cmd) tea.Cmd
	afterRefresh func(d time.Duration, then tea.Cmd) tea.Cmd

	themeName string
	isDark    bool

	width, height int
	showHelp      bool
	helpScroll    int // the help screen's first line shown (help.go)
	dialog        *dialog

	// The panes around the distro table. Their data arrives in messages the root model routes
	// to them.
	distroPane distrosPane
	procPane   procsPane
	filter     filterInput // the / prompt, on whichever list has focus
	mountPane  mountsPane

	seq uint64
	req requests

	spinning bool
	flash    flash
	ticks    int

	job          *job // the long operation in flight (jobs.go), nil = none
	quitAfterJob bool // ctrl+c came while a job ran: quit once it has cleaned up
}

// requests holds the id of the request in flight of each kind (0 = none). A result whose id is
// not the current one is stale and dropped.
type requests struct{ info, list, sample, procs, mounts uint64 }

type pendingOp struct {
	id    uint64
	act   backend.Action
	label string
	at    time.Time // when it started (a reclaim hint's time)
}

type flashKind int

const (
	flashInfo flashKind = iota
	flashOK
	flashErr
)

type flash struct {
	text  string
	kind  flashKind
	until time.Time
}

const (
	vmKey = "\x00vm"
	// fetchEvery is how many refresh ticks pass between process/mount refreshes.
	fetchEvery   = 3
	flashFor     = 5 * time.Second
	flashErrFor  = 10 * time.Second
	spinInterval = 120 * time.Millisecond
)

func pidKey(pid int) string { return fmt.Sprintf("\x00pid:%d", pid) }

// New builds the root model. It does no I/O beyond reading the config file when opts.Config is
// nil; Init starts the first requests.
func New(opts Options) Model {
	cfg := opts.Config
	var cfgErr error
	if cfg == nil {
		cfg = DefaultConfig()
		if path, err := ConfigPath(); err == nil {
			if c, err := LoadConfig(path); err == nil {
				cfg = c
			} else {
				cfgErr = err
			}
		}
	}
	clock := opts.Clock
	if clock == nil {
		clock = sampler.SystemClock{}
	}
	refresh := cmp.Or(opts.Refresh, cfg.Refresh.Duration, DefaultRefresh)
	refresh = max(refresh, MinRefresh)
	wake := make(chan struct{}, 1)
	m := Model{
		shared: shared{
			keys:    DefaultKeyMap(),
			noColor: opts.NoColor,
			focus:   PaneDistros,
			clock:   clock,
			now:     clock.Now(),
			refresh: refresh,
			cad:     cadence{idle: max(cmp.Or(cfg.IdleRefresh.Duration, DefaultIdleRefresh), refresh), wake: wake},
			hist:    sampler.NewHistory(sampler.DefaultCapacity),
			rec:     newReclaimState(),
			pending: map[string]pendingOp{},
			cache:   &renderCache{},
		},
		ctx:          context.Background(),
		be:           opts.Backend,
		after:        realAfter,
		afterRefresh: afterWake(wake),
		themeName:    cmp.Or(opts.Theme, cfg.Theme, themes.DefaultName),
		isDark:       true,
		distroPane:   newDistrosPane(),
		filter:       newFilterInput(),
		viewState:    newViewState(),
	}
	if m.be == nil {
		m.be = nopBackend{}
	}
	if err := m.keys.Apply(cfg.Keys); err != nil {
		cfgErr = err
		m.keys = DefaultKeyMap()
	}
	if _, err := themes.Get(m.themeName, true); err != nil {
		cfgErr = err
		m.themeName = themes.DefaultName
	}
	m.caps = m.be.Capabilities()
	m.applyStyles()
	if bf, ok := m.be.(backend.Backfiller); ok {
		for _, s := range bf.Backfill() {
			m.hist.Add(s)
			m.rec.observe(s)
		}
	}
	if cfgErr != nil {
		m.setFlash(flashErr, "config: "+cfgErr.Error())
	}
	m.req.info = m.nextID()
	m.req.list = m.nextID()
	m.req.sample = m.nextID()
	m.req.procs = m.nextID()
	m.req.mounts = m.nextID()
	m.watchDistroMemory()
	m.layout = ComputeLayout(0, 0, m.view, 0)
	return m
}

// realAfter sleeps d, then runs then in the same goroutine. (A Program that
// quits does not wait for its Cmds, so a pending wait never holds up the exit.)
func realAfter(d time.Duration, then tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		time.Sleep(d)
		return then()
	}
}

func (m *Model) nextID() uint64 { m.seq++; return m.seq }

// applyStyles rebuilds the styles from the theme and pushes them into the bubbles.
func (m *Model) applyStyles() {
	p, err := themes.Get(m.themeName, m.isDark)
	if err != nil {
		p = themes.Default(m.isDark)
	}
	st := NewStyles(p, m.noColor)
	m.styles = &st
	m.filter.input.SetStyles(st.Input)
	m.cache.invalidate()
}

type spinMsg struct{}

// Init asks for the terminal background and makes the first requests, gathered into one
// refreshMsg, whose arrival starts the refresh loop.
func (m Model) Init() tea.Cmd {
	return tea.Batch(
		tea.RequestBackgroundColor,
		gather(m.ctx, gatherBudget,
			infoCmd(m.ctx, m.be, m.req.info),
			distrosCmd(m.ctx, m.be, m.req.list),
			sampleCmd(m.ctx, m.be, m.req.sample, m.refresh),
			procsCmd(m.ctx, m.be, m.req.procs, "", m.procPane.sortBy),
			mountsCmd(m.ctx, m.be, m.req.mounts, "")),
	)
}

// Update handles one message. It never blocks: all I/O is in the returned Cmds.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		before := m.layout
		m.relayout()
		if before.Width == 0 { // the first size: Init's requests are out already
			return m, nil
		}
		return m, m.revealed(before)
	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.isDark {
			m.isDark = dark
			m.applyStyles()
		}
		return m, nil
	case refreshMsg:
		return m.onRefresh(msg)
	case spinMsg:
		if len(m.pending) == 0 {
			m.spinning = false
			return m, nil
		}
		m.spinFrame = (m.spinFrame + 1) % len(spinnerFrames.Frames)
		return m, m.after(spinInterval, spinCmd)
	case infoMsg:
		if msg.id == 0 || msg.id != m.req.info {
			return m, nil
		}
		m.req.info = 0
		if msg.err == nil {
			m.info = msg.info
			m.syncGate()
			m.cache.invalidate()
			if r := views[m.view].refetch; r != nil {
				return m, r(&m)
			}
		}
		return m, nil
	case distrosMsg:
		return m, m.onDistros(msg)
	case sampleMsg:
		if msg.id == 0 || msg.id != m.req.sample {
			return m, nil
		}
		m.req.sample = 0
		if msg.probe != m.probe {
			m.probe = msg.probe
			m.cad.soon = strings.HasPrefix(m.probe.kind, "sh") // each sample costs more: idle sooner
			m.cache.invalidate()
		}
		if msg.err != nil {
			m.sampleErr = errText(msg.err)
			if backend.KindOf(msg.err) == backend.KindNotRunning {
				m.rec.vmStopped(m.clock.Now())
			}
			return m, nil
		}
		m.sampleErr = ""
		s := msg.sample
		if s.Time.IsZero() {
			s.Time = m.clock.Now()
		}
		m.hist.Add(s)
		m.rec.observe(s)
		m.observeGate(s)
		return m, nil
	case procsMsg:
		if msg.id == 0 || msg.id != m.req.procs {
			return m, nil
		}
		m.req.procs = 0
		m.procPane.set(msg)
		return m, nil
	case mountsMsg:
		if msg.id == 0 || msg.id != m.req.mounts {
			return m, nil
		}
		m.req.mounts = 0
		m.mountPane.set(msg)
		return m, nil
	case actionMsg:
		return m, m.onAction(msg)
	case jobProgressMsg:
		return m, m.onJobProgress(msg)
	case jobDoneMsg:
		return m, m.onJobDone(msg)
	case keptAllMsg:
		return m, m.onKeptAll(msg)
	case shellReadyMsg:
		return m, m.onShellReady(msg)
	case shellDoneMsg:
		if msg.err != nil {
			m.setFlash(flashErr, fmt.Sprintf("shell %s: %s", msg.distro, errText(msg.err)))
		}
		return m, m.refreshList()
	case tea.FocusMsg:
		m.onFocus(true)
		return m, nil
	case tea.BlurMsg:
		m.onFocus(false)
		return m, nil
	case tea.KeyPressMsg:
		m.onInput()
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.filter.typing() {
			return m, m.onFilterInput(msg)
		}
		return m, nil
	case tea.MouseClickMsg:
		m.onInput()
		return m, m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		m.onInput()
		return m, m.onWheel(msg.Mouse())
	}
	for i := range views { // the views' own answers
		if u := views[i].update; u != nil {
			u(&m, msg)
		}
	}
	return m, nil
}

func (m *Model) relayout() {
	m.layout = ComputeLayout(m.width, m.height, m.view, len(m.distros))
	m.filter.input.SetWidth(min(max(m.width-40, 8), 48))
	if !m.layout.Visible(m.focus) {
		// The first of the view's panes on screen takes the keys; with none (a small terminal
		// on the memory view), none does: no key acts on a row that is not drawn.
		m.focus = PaneNone
		for _, p := range views[m.view].focus {
			if m.layout.Visible(p) {
				m.focus = p
				break
			}
		}
	}
	for p := range paneCount {
		if lp := m.listOf(p); lp != nil {
			lp.scroll().setVisible(m.layout.Rect(p).H - lp.chrome())
		}
	}
	m.cache.invalidate()
}

// onRefresh applies one refresh: the clock moves on, the answers that came with it are applied
// in order, and the next refresh is scheduled. It is one message, so one refresh is one render.
func (m Model) onRefresh(msg refreshMsg) (tea.Model, tea.Cmd) {
	m.now = m.clock.Now()
	m.ticks++
	if m.flash.text != "" && !m.now.Before(m.flash.until) {
		m.flash = flash{}
	}
	cmds := make([]tea.Cmd, 0, len(msg.msgs)+2)
	for _, part := range msg.msgs {
		nm, cmd := m.Update(part)
		m = nm.(Model)
		cmds = append(cmds, cmd)
	}
	m.jobTick()
	cmds = append(cmds, msg.late, m.scheduleRefresh())
	return m, tea.Batch(cmds...)
}

// scheduleRefresh makes the next refresh's requests: a sample each time, the distro list every
// other time (cheap: the wsl backend answers from its cache and asks wsl.exe only when the list
// can have changed or on its slow period; actions ask for it at once), and every fetchEvery
// times the processes and mounts, each only while its pane is on screen, and what the open
// view's entry asks for (every). A kind whose last request is still out is not asked again. The
// requests run when the refresh interval has passed, together (see gather).
func (m *Model) scheduleRefresh() tea.Cmd {
	next := m.ticks + 1
	parts := make([]tea.Cmd, 0, 4)
	if m.req.sample == 0 {
		m.req.sample = m.nextID()
		parts = append(parts, sampleCmd(m.ctx, m.be, m.req.sample, m.refresh))
	}
	if m.req.list == 0 && next%2 == 0 {
		m.req.list = m.nextID()
		parts = append(parts, distrosCmd(m.ctx, m.be, m.req.list))
	}
	if next%fetchEvery == 0 {
		parts = append(parts, m.detailCmds(false)...)
		if e := views[m.view].every; e != nil {
			parts = append(parts, e(m)...)
		}
	}
	d := m.interval()
	return tea.Batch(m.tellCadence(d), m.afterRefresh(d, gather(m.ctx, gatherBudget, parts...)))
}

// fetchDetails asks for the processes and mounts of the selected distro, and with force what
// the open view shows of it (its entry's refetch). With force, a request in flight is
// superseded (its result will be dropped); without, it is left alone.
func (m *Model) fetchDetails(force bool) tea.Cmd {
	cmds := m.detailCmds(force)
	if r := views[m.view].refetch; force && r != nil {
		cmds = append(cmds, r(m))
	}
	return tea.Batch(cmds...)
}

// detailCmds asks for the processes and mounts of the selected distro, each only when its pane
// is visible: on the wsl backend each answer is a section of the probe's stream (or, for
// another distro, one wsl.exe call), so a hidden pane must not cost anything.
func (m *Model) detailCmds(force bool) []tea.Cmd {
	var cmds []tea.Cmd
	name := m.procPane.target(m.selected)
	if force { // another distro, or its state changed: what is shown is no longer its answer
		m.procPane.list.reset()
		m.mountPane.list.reset()
	}
	if m.layout.Visible(PaneProcs) && (force || m.req.procs == 0) {
		m.req.procs = m.nextID()
		cmds = append(cmds, procsCmd(m.ctx, m.be, m.req.procs, name, m.procPane.sortBy))
	} else if force {
		m.req.procs = 0 // drop the answer in flight: it is for what was selected before
	}
	if m.layout.Visible(PaneMounts) && (force || m.req.mounts == 0) {
		m.req.mounts = m.nextID()
		cmds = append(cmds, mountsCmd(m.ctx, m.be, m.req.mounts, m.selected))
	} else if force {
		m.req.mounts = 0
	}
	return cmds
}

// revealed asks for what a pane that has just come on screen (another view, a taller terminal)
// shows, unless it is already on its way: its last answer may be many refreshes old.
func (m *Model) revealed(before Layout) tea.Cmd {
	var cmds []tea.Cmd
	if m.layout.Visible(PaneProcs) && !before.Visible(PaneProcs) && m.req.procs == 0 {
		m.req.procs = m.nextID()
		cmds = append(cmds, procsCmd(m.ctx, m.be, m.req.procs, m.procPane.target(m.selected), m.procPane.sortBy))
	}
	if m.layout.Visible(PaneMounts) && !before.Visible(PaneMounts) && m.req.mounts == 0 {
		m.req.mounts = m.nextID()
		cmds = append(cmds, mountsCmd(m.ctx, m.be, m.req.mounts, m.selected))
	}
	return tea.Batch(cmds...)
}

// refreshList asks for the distro list now, superseding a request in flight.
func (m *Model) refreshList() tea.Cmd {
	m.req.list = m.nextID()
	return distrosCmd(m.ctx, m.be, m.req.list)
}

func (m *Model) refreshInfo() tea.Cmd {
	m.req.info = m.nextID()
	return infoCmd(m.ctx, m.be, m.req.info)
}

func (m *Model) onDistros(msg distrosMsg) tea.Cmd {
	if msg.id == 0 || msg.id != m.req.list {
		return nil
	}
	m.req.list = 0
	m.distroPane.list.have = true
	if msg.caps != nil && !maps.Equal(msg.caps, m.caps) {
		m.caps = msg.caps
		m.cache.invalidate()
	}
	if msg.err != nil {
		m.distroPane.listErr = errText(msg.err)
		return nil
	}
	m.distroPane.listErr = ""
	grew := len(msg.distros) != len(m.distros)
	m.distros = msg.distros
	before := m.selected
	m.distroPane.set(msg.distros)
	m.syncSelected()
	if grew {
		m.relayout()
	}
	if m.selected != before {
		return m.fetchDetails(true)
	}
	return nil
}

// syncSelected makes the distro under the distros pane's cursor the selection.
func (m *Model) syncSelected() { m.selected = m.distroPane.selectedName() }

func (m *Model) setFlash(k flashKind, text string) {
	d := flashFor
	if k == flashErr {
		d = flashErrFor
	}
	m.flash = flash{text: text, kind: k, until: m.clock.Now().Add(d)}
}

// errText is an error for the status line: one line, WSL's code included (backend.Error puts it
// in parentheses; other errors get it appended when CodeOf finds one).
func errText(err error) string {
	s := err.Error()
	if code := backend.CodeOf(err); code != "" && !strings.Contains(s, code) {
		s += " (" + code + ")"
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// detailErr is the message of a failed process or mount fetch; a stopped distro is not an error.
func detailErr(distro string, err error) string {
	if backend.KindOf(err) == backend.KindNotRunning && distro != "" {
		return distro + " is not running (s starts it)"
	}
	return errText(err)
}

// move moves the cursor of list pane p by delta rows, then runs the pane's moved hook: moving
// the distro cursor changes the selection, which fetches that distro's processes and mounts.
func (m *Model) move(p Pane, delta int) tea.Cmd {
	lp := m.listOf(p)
	if lp == nil {
		return nil
	}
	l := lp.scroll()
	l.MoveTo(l.Cursor() + delta)
	if mv := panes[p].moved; mv != nil {
		return mv(m)
	}
	return nil
}

func (m *Model) startSpinner() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.after(spinInterval, spinCmd)
}

// nopBackend stands in for a nil Backend so that nothing panics.
type nopBackend struct{}

func (nopBackend) err() error {
	return &backend.Error{Kind: backend.KindUnsupported, Message: "no backend"}
}
func (n nopBackend) Info(context.Context) (backend.Info, error) {
	return backend.Info{Label: "none"}, nil
}
func (n nopBackend) Capabilities() backend.Capabilities                      { return backend.Capabilities{} }
func (n nopBackend) Distros(context.Context) ([]backend.Distro, error)       { return nil, nil }
func (n nopBackend) Sample(context.Context) (backend.Sample, error)          { return backend.Sample{}, n.err() }
func (n nopBackend) Mounts(context.Context, string) ([]backend.Mount, error) { return nil, nil }
func (n nopBackend) Processes(context.Context, string) ([]backend.Process, error) {
	return nil, nil
}
func (n nopBackend) Start(context.Context, string) error     { return n.err() }
func (n nopBackend) Terminate(context.Context, string) error { return n.err() }
func (n nopBackend) Shutdown(context.Context, bool) error    { return n.err() }
func (n nopBackend) SetDefault(context.Context, string) error {
	return n.err()
}
func (n nopBackend) Reclaim(context.Context, backend.ReclaimMode) (backend.ReclaimResult, error) {
	return backend.ReclaimResult{}, n.err()
}
func (n nopBackend) KillProcess(context.Context, string, int, backend.Signal) error {
	return n.err()
}
func (n nopBackend) ShellCommand(string) (*exec.Cmd, error) { return nil, n.err() }
func (n nopBackend) Close() error                           { return nil }

var _ backend.Backend = nopBackend{}
