package tui

import (
	"fmt"
	"math"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
)

// WSL's reclaim gate, live (backend/reclaim Gate): fed with every sample, it says how long the
// VM has been quiet against the window WSL needs, the busy share against 0.5 %, wsldash's own
// part of it and what WSL will do next. It exists where the backend knows the autoMemoryReclaim
// mode in force (a WSL VM, or the demo's); its rule follows the installed WSL's version.
type gateState struct {
	g     *reclaim.Gate
	key   [3]string // the WSL version, mode and time scale it was made for
	state reclaim.GateState
	have  bool
}

// syncGate makes the gate for what the backend says now, replaying the history when it is new
// (the info may come after the first samples).
func (m *Model) syncGate() {
	key := [3]string{m.info.WSLVersion, string(m.info.ReclaimMode), fmt.Sprint(m.info.TimeScale)}
	if m.gate.g != nil && m.gate.key == key {
		return
	}
	m.gate = gateState{g: reclaim.ForInfo(m.info), key: key}
	if m.gate.g == nil {
		m.cad.gatePending = false
		return
	}
	n := m.hist.Len()
	for i := 0; i < n; i++ {
		m.gate.g.Add(m.hist.At(i))
	}
	m.refreshGate()
}

// observeGate adds a sample to the gate.
func (m *Model) observeGate(s backend.Sample) {
	if m.gate.g == nil {
		return
	}
	m.gate.g.Add(s)
	m.refreshGate()
}

func (m *Model) refreshGate() {
	m.gate.state = m.gate.g.State()
	m.gate.have = m.gate.state.State != reclaim.GateUnknown
	// The idle cadence while WSL's window runs (cadence.go): settling towards the gate, or at
	// it with reclaim still to come.
	m.cad.gatePending = m.gate.state.State == reclaim.GateSettling || m.gate.state.State == reclaim.GateIdle
}

// gateLines are the reclaim pane's lines for the gate: where the VM stands against WSL's idle
// window, its busy share against the threshold with wsldash's own part, what comes next and
// when, a warning when wsldash itself holds the gate shut, and the rule assumed.
func gateLines(sh *shared, line func(label, value string), wrapped func(label, value string, p paint)) {
	st := sh.styles
	P := &st.P
	g := sh.gate.state
	win := time.Duration(g.WindowSeconds) * time.Second
	quiet := "—"
	if g.QuietSeconds != nil {
		quiet = shortDur(time.Duration(*g.QuietSeconds * float64(time.Second)))
	}
	switch g.State {
	case reclaim.GateIdle:
		line("WSL's gate", st.MsgOK.Render("open")+P.muted.s(" · quiet "+quiet+" ≥ "+shortDur(win)))
	case reclaim.GateSettling:
		line("WSL's gate", P.cell.s("quiet "+quiet+" of "+shortDur(win))+P.muted.s(" · settling"))
	case reclaim.GateDisabled:
		line("WSL's gate", P.muted.s("reclaim disabled · quiet "+quiet))
	default:
		why := "busy"
		if g.BlockedBy == "poll" {
			why = "busy this " + shortDur(time.Duration(g.PollSeconds)*time.Second)
		}
		line("WSL's gate", st.MsgErr.Render(why)+P.muted.s(" · quiet "+quiet+" of "+shortDur(win)))
	}
	if g.WindowBusyPercent != nil {
		v := P.cell.s(fmt.Sprintf("%.2f%%", *g.WindowBusyPercent)) + P.muted.s(fmt.Sprintf(" · limit %.3g%%", g.WindowThresholdPercent))
		if g.SelfPercent != nil {
			v += P.muted.s(" · wsldash ") + P.cell.s(fmt.Sprintf("%.3f%%", *g.SelfPercent))
		}
		line("VM busy", v)
	}
	if g.SelfBlocks {
		wrapped("!", "wsldash's own CPU keeps the VM busy: unfocus it (idle cadence) or raise refresh", mkPaint(st.MsgErr))
	}
	next := g.NextAction
	if g.NextInSeconds != nil {
		next += " within " + shortDur(time.Duration(math.Ceil(*g.NextInSeconds))*time.Second)
		switch g.State {
		case reclaim.GateBusy:
			next += " if the VM goes quiet"
		case reclaim.GateSettling:
			next += " if it stays quiet"
		}
	}
	wrapped("next", next, P.cell)
	wrapped("rule", g.RuleReason, P.muted)
}
