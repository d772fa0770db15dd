package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/demo"
	"github.com/wsldash/wsldash/backend/sampler"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// t0 is the fixed time every test starts at.
var t0 = time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)

// armedMsg stands for a timer the model asked for; the harness never lets timers run.
type armedMsg struct {
	d       time.Duration
	then    tea.Cmd
	refresh bool // the refresh loop's wait (afterRefresh)
}

// harness drives a Model the way a Program would, synchronously: every Cmd the model returns is
// run at once and its message fed back, except timers (recorded in armed) and Quit (quit).
type harness struct {
	t     testing.TB
	m     Model
	clock *sampler.FixedClock
	armed []armedMsg
	quit  bool
	execs int
}

type harnessOpt func(*Options)

func withTheme(name string) harnessOpt { return func(o *Options) { o.Theme = name } }
func noColor() harnessOpt              { return func(o *Options) { o.NoColor = true } }
func withKeys(k map[string][]string) harnessOpt {
	return func(o *Options) { o.Config.Keys = k }
}

func newHarness(t testing.TB, be backend.Backend, w, h int, opts ...harnessOpt) *harness {
	t.Helper()
	o := Options{Backend: be, Clock: sampler.NewFixedClock(t0), Config: DefaultConfig(), Refresh: time.Second}
	for _, f := range opts {
		f(&o)
	}
	clock := o.Clock.(*sampler.FixedClock)
	hs := &harness{t: t, clock: clock}
	hs.m = New(o)
	hs.m.after = func(d time.Duration, then tea.Cmd) tea.Cmd {
		return func() tea.Msg { return armedMsg{d: d, then: then} }
	}
	hs.m.afterRefresh = func(d time.Duration, then tea.Cmd) tea.Cmd {
		return func() tea.Msg { return armedMsg{d: d, then: then, refresh: true} }
	}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(hs.m.Init())
	return hs
}

// demoBackend is the demo on the harness's fixed clock: actions advance the clock instead of
// sleeping.
func demoBackend(clock *sampler.FixedClock) *demo.Backend {
	return demo.New(demo.Options{Seed: 7, Clock: clock, Warmup: 5 * time.Minute,
		Wait: func(ctx context.Context, d time.Duration) error { clock.Advance(d); return nil }})
}

// newDemoHarness runs the model on the demo backend sharing the harness clock.
func newDemoHarness(t testing.TB, w, h int, opts ...harnessOpt) *harness {
	clock := sampler.NewFixedClock(t0)
	be := demoBackend(clock)
	return newHarness(t, be, w, h, append([]harnessOpt{func(o *Options) { o.Clock = clock }}, opts...)...)
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	nm, cmd := h.m.Update(msg)
	h.m = nm.(Model)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	case armedMsg:
		h.armed = append(h.armed, msg)
	case tea.QuitMsg:
		h.quit = true
	default:
		if strings.Contains(fmt.Sprintf("%T", msg), "execMsg") {
			h.execs++ // tea.ExecProcess: a real Program would hand the terminal over here
			return
		}
		h.send(msg)
	}
}

// key sends one key press: "s", "enter", "esc", "ctrl+c", "tab", "shift+tab", "up", …
func (h *harness) key(k string) {
	h.t.Helper()
	h.send(keyMsg(k))
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEsc}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("keyMsg: unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// tick fires the refresh timer once, advancing the clock by the refresh interval. There is
// always exactly one refresh armed: the loop never stops and never doubles.
func (h *harness) tick() {
	h.t.Helper()
	d, then := h.armedRefresh()
	h.clock.Advance(d)
	h.run(then)
}

// takeRefresh removes the armed refresh and returns its Cmd, to run now or later.
func (h *harness) takeRefresh() tea.Cmd {
	h.t.Helper()
	_, then := h.armedRefresh()
	return then
}

// armedRefresh removes the armed refresh and returns its wait and its Cmd.
func (h *harness) armedRefresh() (time.Duration, tea.Cmd) {
	h.t.Helper()
	at := -1
	for i, a := range h.armed {
		if a.refresh {
			if at >= 0 {
				h.t.Fatal("two refreshes armed")
			}
			at = i
		}
	}
	if at < 0 {
		h.t.Fatal("no refresh armed")
	}
	a := h.armed[at]
	h.armed = append(h.armed[:at], h.armed[at+1:]...)
	return a.d, a.then
}

func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

// selectDistro moves the distro cursor to name.
func (h *harness) selectDistro(name string) {
	h.t.Helper()
	for i := range h.m.distroPane.list.Len() {
		if h.m.distroPane.list.At(i).Name == name {
			h.send(tea.KeyPressMsg{Code: 'g', Text: "g"})
			for j := 0; j < i; j++ {
				h.key("j")
			}
			if h.m.selected != name {
				h.t.Fatalf("selected %q, want %q", h.m.selected, name)
			}
			return
		}
	}
	h.t.Fatalf("no distro %q in %v", name, h.m.distros)
}

func (h *harness) distro(name string) backend.Distro {
	for _, d := range h.m.distros {
		if d.Name == name {
			return d
		}
	}
	h.t.Fatalf("no distro %q", name)
	return backend.Distro{}
}

func newFakeHarness(t testing.TB, w, h int, opts ...harnessOpt) (*harness, *fake.Backend) {
	be := fake.New()
	return newHarness(t, be, w, h, opts...), be
}

// sendHeld updates the model but holds the returned Cmd back, to look at in-flight state.
func (h *harness) sendHeld(msg tea.Msg) tea.Cmd {
	nm, cmd := h.m.Update(msg)
	h.m = nm.(Model)
	return cmd
}

func (h *harness) called(call string) bool {
	for _, c := range h.m.be.(*fake.Backend).Calls() {
		if c == call {
			return true
		}
	}
	return false
}

func (h *harness) countCalls(prefix string) int {
	n := 0
	for _, c := range h.m.be.(*fake.Backend).Calls() {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// lastCall is the last recorded backend call that starts with prefix, or "".
func (h *harness) lastCall(prefix string) string {
	be, ok := h.m.be.(*fake.Backend)
	if !ok {
		return ""
	}
	last := ""
	for _, c := range be.Calls() {
		if strings.HasPrefix(c, prefix) {
			last = c
		}
	}
	return last
}
