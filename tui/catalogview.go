package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	dlg "github.com/wsldash/wsldash/tui/dialog"
)

// The catalogue view (9): the distros wsl --install offers (backend.Manager.OnlineDistros),
// fetched each time the view opens (it downloads a manifest; a failure is the table's note, not
// fatal) and never refreshed meanwhile. `i` on a row asks for the new distro's name, folder and
// source, then installs it as a job that shows wsl.exe's phase and the time elapsed (it gives no
// byte counts through a pipe) and ends with how to finish the first-run user set-up: wsldash
// never waits for it.

// catalogState is the catalogue view's data and pane; the root model holds a pointer.
type catalogState struct {
	fetched[[]backend.OnlineDistro]
	list list[backend.OnlineDistro]
	// install is the running install's phase feed (nil = none).
	install *phaseFeed
}

func (cs *catalogState) scroll() scroller { return &cs.list }
func (cs *catalogState) chrome() int      { return 4 }

type catalogMsg struct {
	id   uint64
	list []backend.OnlineDistro
	err  error
}

func catalogCmd(ctx context.Context, be backend.Backend, id uint64) tea.Cmd {
	return func() tea.Msg {
		mg, ok := be.(backend.Manager)
		if !ok {
			return catalogMsg{id: id, err: &backend.Error{Kind: backend.KindUnsupported, Op: "install --list", Message: "this backend has no online catalogue"}}
		}
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		l, err := mg.OnlineDistros(ctx)
		return catalogMsg{id: id, list: l, err: err}
	}
}

// catalogCmds asks for the catalogue (setView's hook: on each open, superseding a request out).
func (m *Model) catalogCmds() []tea.Cmd {
	if m.view != ViewCatalog {
		return nil
	}
	m.catalog.id = m.nextID()
	m.catalog.list.reset()
	return []tea.Cmd{catalogCmd(m.ctx, m.be, m.catalog.id)}
}

func (m *Model) onCatalog(msg catalogMsg) {
	if m.catalog.accept(msg.id, msg.list, msg.err) {
		m.catalog.list.Set(m.catalog.val, m.catalog.err, func(a, b *backend.OnlineDistro) bool { return a.Name == b.Name })
	}
}

// registered reports whether a distro of this name is registered (WSL's names ignore case).
func (sh *shared) registered(name string) bool {
	for _, d := range sh.distros {
		if strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

func (cs *catalogState) render(sh *shared, r Rect) {
	P := &sh.styles.P
	iw := r.W - 2
	const statW = 11
	nameW := min(max(iw*30/100, 12), 34)
	friendW := max(iw-2-nameW-statW, 10)
	body := make([]string, 0, r.H-2)
	status := " " + P.muted.s("what wsl --install offers (wsl --list --online) · i installs one; its first-run user set-up is left to its shell")
	body = append(body, fit(status, iw))
	hdr := "  " + col("NAME", nameW, false) + col("FRIENDLY NAME", friendW, false) + col("", statW, false)
	body = append(body, P.header.s(fit(hdr, iw)))
	body = listRows(sh, body, &cs.list, PaneCatalog, iw, "the catalogue is empty", func(mark string, o *backend.OnlineDistro) string {
		st := ""
		if sh.registered(o.Name) {
			st = "installed"
		}
		return mark + col(o.Name, nameW-1, false) + " " + col(cmpOr(o.FriendlyName, "—"), friendW-1, false) + " " + col(st, statW, false)
	})
	note := "fetched when the view opens"
	if n := len(cs.val); n > 0 {
		inst := 0
		for i := range cs.val {
			if sh.registered(cs.val[i].Name) {
				inst++
			}
		}
		note = strconv.Itoa(n) + " distros · " + strconv.Itoa(inst) + " installed"
	}
	if cs.err != "" {
		note = "could not fetch the catalogue"
	}
	sh.paneBox(r, PaneCatalog, "Catalogue", note, body)
}

func (cs *catalogState) onKey(h host, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	sh := h.ctxt()
	if !key.Matches(msg, sh.keys.Install) {
		return nil, false
	}
	if h.refuse(backend.ActInstall) {
		return nil, true
	}
	o, ok := cs.list.Selected()
	if !ok {
		h.setFlash(flashInfo, "no catalogue entry selected")
		return nil, true
	}
	if sh.registered(o.Name) {
		h.setFlash(flashInfo, o.Name+" is already installed")
		return nil, true
	}
	src := *o
	taken := make([]string, 0, len(sh.distros))
	for _, d := range sh.distros {
		taken = append(taken, d.Name)
	}
	fields := []dlg.Field{
		{Label: "Name", Value: src.Name, Validate: func(s string) error { return validDistroName(strings.TrimSpace(s), taken) }},
		{Label: "Location", Placeholder: "WSL's default folder"},
		{Label: "Web download", Value: "no", Choices: []string{"no", "yes"}},
	}
	body := "Install " + cmpOr(src.FriendlyName, src.Name) + " (wsl --install " + src.Name + " --no-launch). Location: a folder for its disk, empty for WSL's default. Web download: from the web instead of the Microsoft Store."
	h.openDialog(formDialog("Install "+src.Name+"?", body, "install", fields, func(m *Model, r dlg.Result) tea.Cmd {
		opts := backend.InstallOptions{Distro: src.Name, Name: strings.TrimSpace(r.Values[0]),
			Location: strings.TrimSpace(r.Values[1]), WebDownload: r.Values[2] == "yes"}
		return m.installJob(opts)
	}))
	return nil, true
}

// validDistroName refuses a name WSL would refuse, or one already registered.
func validDistroName(s string, taken []string) error {
	if s == "" {
		return fmt.Errorf("give it a name")
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return fmt.Errorf("letters, digits, '.', '_' and '-' only")
		}
	}
	for _, t := range taken {
		if strings.EqualFold(t, s) {
			return fmt.Errorf("%s is already registered", t)
		}
	}
	return nil
}

// phaseFeed carries an install's newest progress line from its goroutine to Update (like
// jobFeed: the newest only, never queued).
type phaseFeed struct {
	mu    sync.Mutex
	text  string
	fresh bool
	done  bool
	wake  chan struct{}
}

func (f *phaseFeed) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *phaseFeed) set(text string) {
	f.mu.Lock()
	f.text, f.fresh = text, true
	f.mu.Unlock()
	f.poke()
}

func (f *phaseFeed) finish() {
	f.mu.Lock()
	f.done = true
	f.mu.Unlock()
	f.poke()
}

// next waits for the next report; nil once the install has ended and every report was taken.
func (f *phaseFeed) next(id uint64) tea.Msg {
	for {
		f.mu.Lock()
		if f.fresh {
			f.fresh = false
			t := f.text
			f.mu.Unlock()
			return installPhaseMsg{id: id, text: t}
		}
		if f.done {
			f.mu.Unlock()
			return nil
		}
		f.mu.Unlock()
		<-f.wake
	}
}

// installPhaseMsg is an install job's report: wsl.exe's phase line.
type installPhaseMsg struct {
	id   uint64
	text string
}

func (m *Model) installJob(o backend.InstallOptions) tea.Cmd {
	mg, ok := m.be.(backend.Manager)
	if !ok {
		m.setFlash(flashErr, "install: this backend cannot install distros")
		return nil
	}
	name := cmpOr(o.Name, o.Distro)
	feed := &phaseFeed{wake: make(chan struct{}, 1)}
	cmd := m.startJob(jobSpec{title: "Install " + name, body: "Starting wsl --install " + o.Distro + "…", target: name, label: "installing",
		run: func(ctx context.Context, _ *jobFeed) (string, error) {
			defer feed.finish()
			res, err := mg.Install(ctx, o, func(p backend.InstallProgress) {
				text := p.Text
				if text == "" {
					text = cmpOr(p.Phase, "waiting for wsl.exe") + "…"
				}
				feed.set(text)
			})
			if err != nil {
				return "", err
			}
			text := "installed " + res.Distro
			if res.Source != "" && !strings.EqualFold(res.Source, res.Distro) {
				text += " from " + res.Source
			}
			if res.FirstRun != "" {
				text += ". " + res.FirstRun
			}
			return text, nil
		}})
	if m.job == nil || cmd == nil {
		return cmd
	}
	m.noBytes()
	m.catalog.install = feed
	id := m.job.id
	return tea.Batch(cmd, func() tea.Msg { return feed.next(id) })
}

func (m *Model) onInstallPhase(msg installPhaseMsg) tea.Cmd {
	if m.job == nil || m.job.id != msg.id {
		return nil // ended: its last report says nothing the result does not
	}
	if d := m.dialog; d != nil && d.job == msg.id && !d.d.Finished() {
		d.d.SetBody(msg.text)
		d.d.SetProgress(0, m.clock.Now()) // the elapsed time moves on
	}
	feed := m.catalog.install
	if feed == nil {
		return nil
	}
	return func() tea.Msg { return feed.next(msg.id) }
}
