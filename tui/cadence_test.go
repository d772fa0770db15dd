package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// nextWait is the wait of the refresh armed now.
func (h *harness) nextWait() time.Duration {
	h.t.Helper()
	for _, a := range h.armed {
		if a.refresh {
			return a.d
		}
	}
	h.t.Fatal("no refresh armed")
	return 0
}

// woken reports (and takes) a wake of the sleeping refresh.
func (h *harness) woken() bool {
	select {
	case <-h.m.cad.wake:
		return true
	default:
		return false
	}
}

func TestCadence(t *testing.T) {
	type step struct {
		do       func(h *harness)
		wait     time.Duration // the refresh armed after the step (after one tick)
		header   string        // in the header line ("" = no idle mark)
		woken    bool          // the step woke a sleeping refresh
		noTickOK bool          // check the armed wait without a tick (a wake runs it early)
	}
	blur := func(h *harness) { h.send(tea.BlurMsg{}) }
	focus := func(h *harness) { h.send(tea.FocusMsg{}) }
	pending := func(on bool) func(h *harness) { return func(h *harness) { h.m.cad.gatePending = on } }
	pass := func(d time.Duration) func(h *harness) { return func(h *harness) { h.clock.Advance(d) } }
	key := func(h *harness) { h.key("j") }
	nothing := func(h *harness) {}
	cases := []struct {
		name  string
		steps []step
	}{
		{"live by default", []step{{do: nothing, wait: time.Second}}},
		{"unfocused is idle, focus is live at once", []step{
			{do: blur, wait: 10 * time.Second, header: "idle 10s (unfocused)"},
			{do: focus, wait: time.Second, woken: true, noTickOK: true},
		}},
		{"a key while unfocused is live (a key means someone is there)", []step{
			{do: blur, wait: 10 * time.Second, header: "idle 10s (unfocused)"},
			{do: key, wait: time.Second, woken: true, noTickOK: true},
		}},
		{"WSL's idle window: live while keys come, idle a minute after the last", []step{
			{do: key, wait: time.Second},
			{do: pending(true), wait: time.Second},
			{do: pass(59 * time.Second), wait: 10 * time.Second, header: "idle 10s (WSL's idle window)"},
			{do: key, wait: time.Second, woken: true},
			{do: pending(false), wait: time.Second},
		}},
		{"the idle window ends: live again", []step{
			{do: pending(true), wait: 10 * time.Second, header: "idle 10s (WSL's idle window)"},
			{do: pending(false), wait: time.Second},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.New(), 120, 40) // no reclaim mode: no gate, the steps set it
			h.m.cad.lastInput = time.Time{}
			for i, s := range tc.steps {
				s.do(h)
				if got := h.woken(); got != s.woken {
					t.Fatalf("step %d: woken = %v, want %v", i, got, s.woken)
				}
				if !s.noTickOK {
					h.tick()
				}
				h.tick() // the wait armed by a refresh that ran after the step
				if got := h.nextWait(); got != s.wait {
					t.Fatalf("step %d: next refresh in %s, want %s", i, got, s.wait)
				}
				head := strings.SplitN(h.screen(), "\n", 2)[0]
				if s.header == "" && strings.Contains(head, "idle ") {
					t.Fatalf("step %d: header says idle: %q", i, head)
				}
				if s.header != "" && !strings.Contains(head, s.header) {
					t.Fatalf("step %d: header %q lacks %q", i, head, s.header)
				}
			}
		})
	}
}

// The idle cadence is never faster than the live one.
func TestCadenceNeverFasterThanRefresh(t *testing.T) {
	h := newDemoHarness(t, 120, 40, func(o *Options) { o.Refresh = 30 * time.Second })
	h.send(tea.BlurMsg{})
	h.tick()
	if got := h.nextWait(); got != 30*time.Second {
		t.Fatalf("next refresh in %s, want the 30s refresh", got)
	}
	if head := strings.SplitN(h.screen(), "\n", 2)[0]; strings.Contains(head, "idle ") {
		t.Fatalf("header says idle at a refresh slower than the idle cadence: %q", head)
	}
}

func TestIdleRefreshConfig(t *testing.T) {
	cfg, err := ParseConfig("c.toml", []byte(`idle_refresh = "30s"`))
	if err != nil || cfg.IdleRefresh.Duration != 30*time.Second {
		t.Fatalf("idle_refresh 30s: %v %v", cfg, err)
	}
	if _, err := ParseConfig("c.toml", []byte(`idle_refresh = "10ms"`)); err == nil || !strings.Contains(err.Error(), "idle_refresh") {
		t.Fatalf("idle_refresh 10ms: %v", err)
	}
	h := newDemoHarness(t, 120, 40, func(o *Options) { o.Config.IdleRefresh = Duration{time.Minute} })
	h.send(tea.BlurMsg{})
	h.tick()
	if got := h.nextWait(); got != time.Minute {
		t.Fatalf("next refresh in %s, want the configured minute", got)
	}
}

// The view asks the terminal for focus reports: without them the idle cadence never starts.
func TestViewReportsFocus(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	if !h.m.View().ReportFocus {
		t.Fatal("View does not ask for focus reports")
	}
}

// gateBackend is the fake with a WSL VM whose CPU is quiet or busy: the reclaim gate decides.
type gateBackend struct {
	*fake.Backend
	busy  *bool
	clock interface{ Now() time.Time }
	c     backend.CPUCounters
	self  uint64 // wsldash's own ticks so far
	mine  bool   // the busy ticks are wsldash's own
}

func (b *gateBackend) Info(ctx context.Context) (backend.Info, error) {
	i, err := b.Backend.Info(ctx)
	i.WSLVersion, i.ReclaimMode = "2.9.4.0", backend.ReclaimDropCache
	return i, err
}

func (b *gateBackend) Sample(ctx context.Context) (backend.Sample, error) {
	s, err := b.Backend.Sample(ctx)
	s.Time = b.clock.Now()
	// A second of a 2-CPU VM per call: 200 ticks, all idle unless busy (10 %).
	if *b.busy {
		b.c.User += 20
		b.c.Idle += 180
		if b.mine {
			b.self += 20
		}
	} else {
		b.c.Idle += 200
	}
	b.c.CPUs = 2
	c := b.c
	s.CPU = &c
	self := b.self
	s.SelfTicks = &self
	return s, err
}

// The gate, not a flag, moves the cadence: a quiet VM settling towards WSL's window is idle a
// minute after the last key; a busy one stays live.
func TestCadenceFollowsTheGate(t *testing.T) {
	for _, busy := range []bool{false, true} {
		b := busy
		h := newDemoHarness(t, 120, 40) // for its clock
		gb := &gateBackend{Backend: fake.New(), busy: &b, clock: h.clock}
		h = newHarness(t, gb, 120, 40, func(o *Options) { o.Clock = h.clock })
		h.m.cad.lastInput = h.clock.Now()
		for i := 0; i < 70; i++ {
			h.tick()
		}
		want := 10 * time.Second
		if busy {
			want = time.Second
		}
		if got := h.nextWait(); got != want {
			t.Fatalf("busy=%v: next refresh in %s, want %s (gate %q)", busy, got, want, h.m.gate.state.State)
		}
	}
}

// shProbe is the fake with the wsl backend's sh fallback reading the VM.
type shProbe struct{ *fake.Backend }

func (shProbe) ProbeKind() (string, string) { return "sh", "no Linux build beside wsldash.exe" }

// With the sh probe, each sample costs the VM more: the header says so, and the idle cadence
// comes after 15 s without a key instead of a minute.
func TestCadenceSoonerWithTheShProbe(t *testing.T) {
	h := newHarness(t, shProbe{fake.New()}, 120, 40)
	h.tick()
	if head := strings.SplitN(h.screen(), "\n", 2)[0]; !strings.Contains(head, "probe sh") {
		t.Fatalf("header does not say the sh probe reads the VM: %q", head)
	}
	h.m.cad.lastInput = h.clock.Now()
	h.m.cad.gatePending = true
	for i := 0; i < 16; i++ {
		h.tick()
	}
	if got := h.nextWait(); got != 10*time.Second {
		t.Fatalf("sh probe, 16 s after the last key, gate pending: next refresh in %s, want 10s", got)
	}
}

// pacedBackend records the cadences it is told.
type pacedBackend struct {
	*fake.Backend
	told []time.Duration
}

func (p *pacedBackend) SetCadence(d time.Duration) { p.told = append(p.told, d) }

// A backend that streams on its own (the host helper inside WSL) is told the cadence, once per
// change: the live refresh, the idle one when the terminal loses focus, live again on focus.
func TestCadenceIsPassedToTheBackend(t *testing.T) {
	pb := &pacedBackend{Backend: fake.New()}
	h := newHarness(t, pb, 120, 40)
	h.tick()
	h.tick()
	h.send(tea.BlurMsg{})
	h.tick()
	h.tick()
	h.send(tea.FocusMsg{})
	h.tick()
	want := []time.Duration{time.Second, 10 * time.Second, time.Second}
	if len(pb.told) != len(want) {
		t.Fatalf("told %v, want %v", pb.told, want)
	}
	for i := range want {
		if pb.told[i] != want[i] {
			t.Fatalf("told %v, want %v", pb.told, want)
		}
	}
}

// The reclaim pane draws the gate in each of its states: settling towards the window, busy,
// and busy only because of wsldash itself (with the warning).
func TestReclaimPaneShowsTheGate(t *testing.T) {
	for _, tc := range []struct {
		name       string
		busy, mine bool
		want       []string
		not        []string
	}{
		{"settling", false, false, []string{"WSL's gate   quiet 2m40s of 10m · settling", "VM busy      0.00% · limit 0.525% · wsldash 0.000%", "drop the page cache within 7m50s", "stays quiet"}, []string{"keeps the VM busy"}},
		{"busy", true, false, []string{"WSL's gate   busy · quiet 0s of 10m", "VM busy      10.00% · limit 0.525% · wsldash 0.000%", "the VM goes quiet"}, []string{"keeps the VM busy"}},
		{"busy with wsldash", true, true, []string{"WSL's gate   busy", "wsldash 10.00", "wsldash's own CPU keeps the VM busy"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.busy
			h := newDemoHarness(t, 120, 40)
			gb := &gateBackend{Backend: fake.New(), busy: &b, clock: h.clock, mine: tc.mine}
			h = newHarness(t, gb, 120, 40, func(o *Options) { o.Clock = h.clock })
			h.key("2")
			for i := 0; i < 70; i++ {
				h.tick()
			}
			s := h.screen()
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("lacks %q:\n%s", w, s)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(s, w) {
					t.Errorf("has %q:\n%s", w, s)
				}
			}
		})
	}
}
