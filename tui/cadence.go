package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// The refresh cadence. WSL gives the VM's memory back only while the whole VM is idle (its
// non-idle CPU under 0.5 % of its CPUs), so a dashboard that samples every second all day can
// be the very thing that keeps reclaim from happening. The dashboard therefore drops to an idle
// cadence when nobody is looking:
//
//   - the terminal lost focus (Bubble Tea reports focus; tmux needs `focus-events on`);
//   - or WSL's idle window is running (the reclaim gate says "settling" or "idle") and no key,
//     click or wheel came for liveAfterInput: a user who is reading the screen keeps it live.
//
// A key, a click or the focus coming back returns to the live refresh at once: the sleeping
// refresh is woken (wake), so the next sample does not wait out the idle interval. The header
// says which cadence is in force and why.
type cadence struct {
	idle      time.Duration // the idle cadence (config idle_refresh); never faster than refresh
	blurred   bool          // the terminal said it lost focus
	lastInput time.Time     // the last key, click or wheel
	// gatePending is true while WSL's idle window is running (from the reclaim gate).
	gatePending bool
	// soon shortens liveAfterInput: set when the guest side is the costly sh probe.
	soon bool
	// wake cuts the sleeping refresh short (buffered 1: a wake while none sleeps makes the next
	// sleep short, one early refresh at worst).
	wake chan struct{}
	// told is the cadence the backend was last told (backend.Paced), 0 before.
	told time.Duration
}

const (
	// DefaultIdleRefresh is the idle cadence's default.
	DefaultIdleRefresh = 10 * time.Second
	// liveAfterInput is how long a key keeps the live cadence while WSL's idle window runs.
	liveAfterInput = time.Minute
	// liveAfterInputSoon is the same with the sh probe, whose every sample costs more.
	liveAfterInputSoon = 15 * time.Second
)

// idleReason is why the dashboard runs at the idle cadence now, "" when it is live.
func (m *Model) idleReason() string {
	c := &m.cad
	if c.idle <= m.refresh {
		return ""
	}
	if c.blurred {
		return "unfocused"
	}
	after := liveAfterInput
	if c.soon {
		after = liveAfterInputSoon
	}
	if c.gatePending && m.now.Sub(c.lastInput) >= after {
		return "WSL's idle window"
	}
	return ""
}

// interval is the wait before the next refresh.
func (m *Model) interval() time.Duration {
	if m.idleReason() != "" {
		return m.cad.idle
	}
	return m.refresh
}

// onInput notes a key, click or wheel: the dashboard is being used, so it is live (a key means
// the terminal has focus, whatever it reported); a refresh sleeping out the idle interval is
// woken.
func (m *Model) onInput() {
	idle := m.idleReason() != ""
	m.cad.lastInput = m.clock.Now()
	m.cad.blurred = false
	if idle {
		m.wakeRefresh()
	}
}

// onFocus handles the terminal's focus reports.
func (m *Model) onFocus(focused bool) {
	idle := m.idleReason() != ""
	m.cad.blurred = !focused
	if focused {
		m.cad.lastInput = m.clock.Now()
	}
	if idle != (m.idleReason() != "") {
		m.cache.invalidate()
		if idle {
			m.wakeRefresh()
		}
	}
}

// tellCadence passes the cadence on to a backend that streams on its own (backend.Paced: the
// host helper inside WSL, the per-distro memory looks), when it changed; from a Cmd.
func (m *Model) tellCadence(d time.Duration) tea.Cmd {
	p, ok := m.be.(backend.Paced)
	if !ok || d == m.cad.told {
		return nil
	}
	m.cad.told = d
	return func() tea.Msg {
		p.SetCadence(d)
		return nil
	}
}

func (m *Model) wakeRefresh() {
	select {
	case m.cad.wake <- struct{}{}:
	default:
	}
}

// afterWake is realAfter for the refresh loop: the wait ends early when wake fires.
func afterWake(wake <-chan struct{}) func(time.Duration, tea.Cmd) tea.Cmd {
	return func(d time.Duration, then tea.Cmd) tea.Cmd {
		return func() tea.Msg {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-wake:
			}
			return then()
		}
	}
}
