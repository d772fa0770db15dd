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

	"charm.land/bubbles/v2/textinput"
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
	if _, ok := opts.Backend.(backfiller); ok {
		// The demo lives in memory and answers at once: its first frame says "demo" too.
		if info, err := opts.Backend.Info(ctx); err == nil {
			m.info = info
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

// Model is the root model: it owns focus, layout, dialogs, the sample history and every
// request in flight. Panes are plain renderers over its state.
type Model struct {
	ctx     context.Context
	be      backend.Backend
	clock   sampler.Clock
	refresh time.Duration
	// after runs then once d has passed. Tests replace it so that no timer ever runs.
	after func(d time.Duration, then tea.Cmd) tea.Cmd

	keys      KeyMap
	themeName string
	isDark    bool
	noColor   bool
	styles    *Styles

	width, height int
	layout        Layout
	view          View
	focus         Pane
	showHelp      bool
	dialog        *dialog

	now  time.Time
	info backend.Info
	caps backend.Capabilities

	distros  []backend.Distro
	rows     []int  // indices into distros that pass the filter
	cursor   int    // index into rows
	dOff     int    // first table row shown
	selected string // the selected distro's name, kept across refreshes
	listErr  string

	filter    textinput.Model
	filtering bool

	hist      *sampler.History
	sampleErr string
	rec       *reclaimState // reclaim events and idle time, fed in Update (reclaim.go)
	conf      *configState  // the config view's files, read in Cmds (configview.go)

	procs     []backend.Process
	sortBy    sortBy
	pCursor   int
	pOff      int
	procsFor  string
	procsErr  string
	mounts    []backend.Mount
	mCursor   int
	mOff      int
	mountsFor string
	mountsErr string
	ports     *portsState // the ports view (portsview.go)
	vms       *vmsState   // the VMs view (vmsview.go)
	allProcs  bool        // the process list shows every running distro (a)

	seq     uint64
	req     requests
	have    answered
	pending map[string]pendingOp // by target: distro name, vmKey, or pidKey(pid)

	spinFrame int
	spinning  bool
	flash     flash
	ticks     int

	cache *renderCache
}

// requests holds the id of the request in flight of each kind (0 = none). A result whose id is
// not the current one is stale and dropped.
type requests struct{ info, list, sample, procs, mounts uint64 }

// answered says which lists have an answer for what they show now (false: "loading…"). A
// request id alone cannot say it: the refresh loop asks a refresh ahead.
type answered struct{ list, procs, mounts bool }

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

// backfiller is implemented by backends that can open on a history (the demo).
type backfiller interface{ Backfill() []backend.Sample }

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
	m := Model{
		ctx:       context.Background(),
		be:        opts.Backend,
		clock:     clock,
		refresh:   refresh,
		after:     realAfter,
		keys:      DefaultKeyMap(),
		themeName: cmp.Or(opts.Theme, cfg.Theme, themes.DefaultName),
		isDark:    true,
		noColor:   opts.NoColor,
		focus:     PaneDistros,
		now:       clock.Now(),
		hist:      sampler.NewHistory(sampler.DefaultCapacity),
		rec:       newReclaimState(),
		conf:      &configState{},
		ports:     &portsState{},
		vms:       &vmsState{},
		pending:   map[string]pendingOp{},
		cache:     &renderCache{},
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
	m.filter = textinput.New()
	m.filter.Prompt = "/"
	m.filter.Placeholder = "filter distros"
	m.filter.CharLimit = 64
	m.applyStyles()
	if bf, ok := m.be.(backfiller); ok {
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
	m.filter.SetStyles(st.Input)
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
			procsCmd(m.ctx, m.be, m.req.procs, "", m.sortBy),
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
			m.cache.invalidate()
			if m.view == ViewConfig { // the demo's files follow its Info
				return m, m.loadConfig()
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
		return m, nil
	case procsMsg:
		if msg.id == 0 || msg.id != m.req.procs {
			return m, nil
		}
		m.req.procs = 0
		m.have.procs = true
		m.procsFor = msg.distro
		if msg.err != nil {
			m.procsErr = detailErr(msg.distro, msg.err)
			m.procs = nil
		} else {
			m.procsErr = ""
			keep := m.selectedPID()
			m.procs = msg.procs
			if msg.by != m.sortBy { // the order changed while this list was on its way
				sortProcs(m.procs, m.sortBy)
			}
			m.pCursor = 0
			for i, p := range m.procs {
				if p.PID == keep {
					m.pCursor = i
				}
			}
		}
		m.clampPane(PaneProcs)
		return m, nil
	case mountsMsg:
		if msg.id == 0 || msg.id != m.req.mounts {
			return m, nil
		}
		m.req.mounts = 0
		m.have.mounts = true
		m.mountsFor = msg.distro
		if msg.err != nil {
			m.mountsErr = detailErr(msg.distro, msg.err)
			m.mounts = nil
		} else {
			m.mountsErr = ""
			m.mounts = msg.mounts
		}
		m.clampPane(PaneMounts)
		return m, nil
	case portsMsg:
		m.onPorts(msg)
		return m, nil
	case vmsMsg:
		m.onVMs(msg)
		return m, nil
	case actionMsg:
		return m, m.onAction(msg)
	case keptAllMsg:
		return m, m.onKeptAll(msg)
	case configMsg:
		m.onConfig(msg)
		return m, nil
	case shellReadyMsg:
		return m, m.onShellReady(msg)
	case shellDoneMsg:
		if msg.err != nil {
			m.setFlash(flashErr, fmt.Sprintf("shell %s: %s", msg.distro, errText(msg.err)))
		}
		return m, m.refreshList()
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		if m.filtering {
			before := m.selected
			var cmd tea.Cmd
			m.filter, cmd = m.filter.Update(msg)
			m.refilter()
			return m, tea.Batch(cmd, m.selectionChanged(before))
		}
		return m, nil
	case tea.MouseClickMsg:
		return m, m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		return m, m.onWheel(msg.Mouse())
	}
	return m, nil
}

func (m *Model) relayout() {
	m.layout = ComputeLayout(m.width, m.height, m.view, len(m.distros))
	m.filter.SetWidth(min(max(m.width-40, 8), 32))
	if !m.layout.Visible(m.focus) {
		m.focus = PaneDistros
	}
	for _, p := range focusable {
		m.clampPane(p)
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
	cmds = append(cmds, msg.late, m.scheduleRefresh())
	return m, tea.Batch(cmds...)
}

// scheduleRefresh makes the next refresh's requests: a sample each time, the distro list every
// other time (cheap: the wsl backend answers from its cache and asks wsl.exe only when the list
// can have changed or on its slow period; actions ask for it at once), and every fetchEvery
// times the processes and mounts, each only while its pane is on screen. A kind whose last
// request is still out is not asked again. The requests run when the refresh interval has
// passed, together (see gather).
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
		parts = append(parts, m.portsCmds(false)...)
		parts = append(parts, m.vmsCmds(false)...)
	}
	return m.after(m.refresh, gather(m.ctx, gatherBudget, parts...))
}

// fetchDetails asks for the processes and mounts of the selected distro. With force, a request
// in flight is superseded (its result will be dropped); without, it is left alone.
func (m *Model) fetchDetails(force bool) tea.Cmd {
	cmds := m.detailCmds(force)
	if force && m.view == ViewConfig { // another distro's wsl.conf
		cmds = append(cmds, m.loadConfig())
	}
	return tea.Batch(cmds...)
}

// detailCmds asks for the processes and mounts of the selected distro, each only when its pane
// is visible: on the wsl backend each answer is a section of the probe's stream (or, for
// another distro, one wsl.exe call), so a hidden pane must not cost anything.
func (m *Model) detailCmds(force bool) []tea.Cmd {
	var cmds []tea.Cmd
	name := m.procsTarget()
	if force { // another distro, or its state changed: what is shown is no longer its answer
		m.have.procs, m.have.mounts = false, false
	}
	if m.layout.Visible(PaneProcs) && (force || m.req.procs == 0) {
		m.req.procs = m.nextID()
		cmds = append(cmds, procsCmd(m.ctx, m.be, m.req.procs, name, m.sortBy))
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
		cmds = append(cmds, procsCmd(m.ctx, m.be, m.req.procs, m.selected, m.sortBy))
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
	m.have.list = true
	if msg.caps != nil && !maps.Equal(msg.caps, m.caps) {
		m.caps = msg.caps
		m.cache.invalidate()
	}
	if msg.err != nil {
		m.listErr = errText(msg.err)
		return nil
	}
	m.listErr = ""
	grew := len(msg.distros) != len(m.distros)
	m.distros = msg.distros
	before := m.selected
	m.refilter()
	if grew {
		m.relayout()
	}
	if m.selected != before {
		return m.fetchDetails(true)
	}
	return nil
}

// refilter recomputes the visible rows, keeping the selected distro when it is still shown.
func (m *Model) refilter() {
	q := strings.ToLower(strings.TrimSpace(m.filter.Value()))
	m.rows = m.rows[:0]
	for i, d := range m.distros {
		if q == "" || strings.Contains(strings.ToLower(d.Name), q) {
			m.rows = append(m.rows, i)
		}
	}
	m.cursor = 0
	for i, r := range m.rows {
		if m.distros[r].Name == m.selected {
			m.cursor = i
		}
	}
	m.syncSelected()
	m.clampPane(PaneDistros)
}

func (m *Model) syncSelected() {
	if d, ok := m.selectedDistro(); ok {
		m.selected = d.Name
	} else {
		m.selected = ""
	}
}

func (m *Model) selectedDistro() (backend.Distro, bool) {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return backend.Distro{}, false
	}
	return m.distros[m.rows[m.cursor]], true
}

func (m *Model) selectedPID() int {
	if m.pCursor >= 0 && m.pCursor < len(m.procs) {
		return m.procs[m.pCursor].PID
	}
	return 0
}

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

// paneLen is the number of rows of a list pane; paneRows how many fit on screen.
func (m *Model) paneLen(p Pane) int {
	switch p {
	case PaneDistros:
		return len(m.rows)
	case PaneProcs:
		return len(m.procs)
	case PaneMounts:
		return len(m.mounts)
	case PaneWSLConfig:
		return len(m.conf.res.config.rows)
	case PaneWSLConf:
		return len(m.conf.res.distro.rows)
	case PanePorts:
		return len(m.ports.val.Ports)
	case PaneVMs:
		return len(m.vms.val.VMs)
	}
	return 0
}

func (m *Model) paneRows(p Pane) int {
	if p == PaneWSLConfig || p == PaneWSLConf || p == PanePorts || p == PaneVMs { // a status line above the header
		return max(m.layout.Rect(p).H-4, 1)
	}
	return max(m.layout.Rect(p).H-3, 1)
}

func (m *Model) cursorOf(p Pane) (cur, off *int) {
	switch p {
	case PaneProcs:
		return &m.pCursor, &m.pOff
	case PaneMounts:
		return &m.mCursor, &m.mOff
	case PaneWSLConfig:
		return &m.conf.wcCur, &m.conf.wcOff
	case PaneWSLConf:
		return &m.conf.wfCur, &m.conf.wfOff
	case PanePorts:
		return &m.ports.cur, &m.ports.off
	case PaneVMs:
		return &m.vms.cur, &m.vms.off
	}
	return &m.cursor, &m.dOff
}

// clampPane keeps a pane's cursor in range and on screen.
func (m *Model) clampPane(p Pane) {
	cur, off := m.cursorOf(p)
	n, vis := m.paneLen(p), m.paneRows(p)
	*cur = min(max(*cur, 0), max(n-1, 0))
	if *cur < *off {
		*off = *cur
	}
	if *cur >= *off+vis {
		*off = *cur - vis + 1
	}
	*off = min(max(*off, 0), max(n-vis, 0))
}

// move moves the cursor of pane p by delta rows; moving the distro cursor changes the selection,
// which fetches that distro's processes and mounts.
func (m *Model) move(p Pane, delta int) tea.Cmd {
	cur, _ := m.cursorOf(p)
	*cur += delta
	m.clampPane(p)
	if p == PaneDistros {
		before := m.selected
		m.syncSelected()
		if m.selected != before {
			return m.fetchDetails(true)
		}
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
