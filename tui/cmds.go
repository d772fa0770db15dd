package tui

import (
	"cmp"
	"context"
	"os/exec"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// Every async result carries the id of its request; Update drops results whose id is not the
// one it is waiting for. The closures capture copies of their inputs, never the model.

type infoMsg struct {
	id   uint64
	info backend.Info
	err  error
}

type distrosMsg struct {
	id      uint64
	distros []backend.Distro
	caps    backend.Capabilities // asked at the same time: what is possible may change
	err     error
}

type sampleMsg struct {
	id     uint64
	sample backend.Sample
	err    error
	probe  probeKind // the guest reader in use, where the backend has one
}

// probeKind is backend.GuestProber's answer.
type probeKind struct{ kind, why string }

type procsMsg struct {
	id     uint64
	distro string
	procs  []backend.Process
	err    error
	by     sortBy
}

type mountsMsg struct {
	id     uint64
	distro string
	mounts []backend.Mount
	err    error
}

type actionMsg struct {
	id      uint64
	key     string // the pending map's key
	act     backend.Action
	target  string // distro (or process name for kill)
	pid     int
	sig     backend.Signal // for kill: the signal sent
	err     error
	reclaim backend.ReclaimResult
}

type shellReadyMsg struct {
	distro string
	cmd    *exec.Cmd
	err    error
}

type shellDoneMsg struct {
	distro string
	err    error
}

// refreshMsg is one refresh: the answers to its requests that came back within the gather
// budget, in the order they came, and a Cmd that delivers the slower ones one by one.
type refreshMsg struct {
	msgs []tea.Msg
	late tea.Cmd
}

func spinCmd() tea.Msg { return spinMsg{} }

// gatherBudget is how long a refresh waits for all of its answers before it is shown with the
// ones it has. The local and demo backends answer in microseconds; a slow wsl.exe call (up to
// its timeout) is delivered late instead of holding the graphs back.
const gatherBudget = 100 * time.Millisecond

// gather runs parts concurrently and returns one refreshMsg with every answer that came within
// budget. Bubble Tea renders after each message, so a refresh of four requests costs one
// render instead of four. Each answer keeps its own request id, so gathering changes nothing
// about which answers are stale.
func gather(ctx context.Context, budget time.Duration, parts ...tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, len(parts))
		for _, p := range parts {
			go func() { ch <- p() }()
		}
		msgs := make([]tea.Msg, 0, len(parts))
		t := time.NewTimer(budget)
		defer t.Stop()
		for len(msgs) < len(parts) {
			select {
			case msg := <-ch:
				msgs = append(msgs, msg)
			case <-t.C:
				return refreshMsg{msgs: msgs, late: lateCmds(ctx, ch, len(parts)-len(msgs))}
			case <-ctx.Done():
				return nil
			}
		}
		return refreshMsg{msgs: msgs}
	}
}

// lateCmds delivers n more answers from ch, each as its own message.
func lateCmds(ctx context.Context, ch <-chan tea.Msg, n int) tea.Cmd {
	cmds := make([]tea.Cmd, n)
	for i := range cmds {
		cmds[i] = func() tea.Msg {
			select {
			case msg := <-ch:
				return msg
			case <-ctx.Done():
				return nil
			}
		}
	}
	return tea.Batch(cmds...)
}

// Timeouts keep a hung backend from holding a request slot forever.
const (
	fetchTimeout  = 15 * time.Second
	actionTimeout = 2 * time.Minute
)

func infoCmd(ctx context.Context, be backend.Backend, id uint64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		info, err := be.Info(ctx)
		return infoMsg{id: id, info: info, err: err}
	}
}

func distrosCmd(ctx context.Context, be backend.Backend, id uint64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		ds, err := be.Distros(ctx)
		return distrosMsg{id: id, distros: ds, caps: be.Capabilities(), err: err}
	}
}

func sampleCmd(ctx context.Context, be backend.Backend, id uint64, refresh time.Duration) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, max(fetchTimeout, 3*refresh))
		defer cancel()
		s, err := be.Sample(ctx)
		msg := sampleMsg{id: id, sample: s, err: err}
		if gp, ok := be.(backend.GuestProber); ok {
			msg.probe.kind, msg.probe.why = gp.ProbeKind()
		}
		return msg
	}
}

func procsCmd(ctx context.Context, be backend.Backend, id uint64, distro string, by sortBy) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		ps, err := fetchProcs(ctx, be, distro)
		sortProcs(ps, by) // here, so that Update and View stay cheap
		return procsMsg{id: id, distro: distro, procs: ps, err: err, by: by}
	}
}

// sortBy is the process list's order.
type sortBy int

const (
	byCPU sortBy = iota
	byMemory
	byPID
	byName
	sortModes
)

func (s sortBy) String() string { return [...]string{"cpu", "memory", "pid", "name"}[s] }

// sortProcs orders processes busiest first (or by memory, pid, name), ties broken by pid.
func sortProcs(ps []backend.Process, by sortBy) {
	slices.SortStableFunc(ps, func(a, b backend.Process) int {
		var c int
		switch by {
		case byCPU:
			if c = cmp.Compare(b.CPUPercent, a.CPUPercent); c == 0 {
				c = cmp.Compare(b.RSSBytes, a.RSSBytes)
			}
		case byMemory:
			c = cmp.Compare(b.RSSBytes, a.RSSBytes)
		case byName:
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.PID, b.PID)
	})
}

func mountsCmd(ctx context.Context, be backend.Backend, id uint64, distro string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		ms, err := be.Mounts(ctx, distro)
		return mountsMsg{id: id, distro: distro, mounts: ms, err: err}
	}
}

// op is an action the user asked for.
type op struct {
	act    backend.Action
	distro string
	pid    int
	name   string              // process name, for messages
	mode   backend.ReclaimMode // for reclaim
	sig    backend.Signal      // for kill
}

func (o op) key() string {
	switch o.act {
	case backend.ActShutdown, backend.ActReclaim:
		return vmKey
	case backend.ActKill:
		return pidKey(o.pid)
	}
	return o.distro
}

func actionCmd(ctx context.Context, be backend.Backend, id uint64, o op) tea.Cmd {
	key := o.key()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		msg := actionMsg{id: id, key: key, act: o.act, target: o.distro, pid: o.pid, sig: o.sig}
		switch o.act {
		case backend.ActStart:
			msg.err = be.Start(ctx, o.distro)
		case backend.ActTerminate:
			msg.err = be.Terminate(ctx, o.distro)
		case backend.ActSetDefault:
			msg.err = be.SetDefault(ctx, o.distro)
		case backend.ActShutdown:
			msg.err = be.Shutdown(ctx, false)
		case backend.ActReclaim:
			msg.reclaim, msg.err = be.Reclaim(ctx, cmp.Or(o.mode, backend.ReclaimDropCache))
		case backend.ActKill:
			msg.target = o.name
			msg.err = be.KillProcess(ctx, o.distro, o.pid, o.sig)
		case backend.ActKeep, backend.ActRelease:
			msg.err = keepOrRelease(ctx, be, o)
		}
		return msg
	}
}
