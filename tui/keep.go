package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// Held and kept (README "Held and kept"). A distro the dashboard starts, or watches through its
// probe, is held: wsldash keeps it running only while it is open. K keeps it: a detached
// keep-alive holds it running after wsldash quits, until R releases it. Quitting while distros
// are held says which will stop and offers to keep them.

// actQuit is the quit dialog's op (never sent to a backend).
const actQuit backend.Action = "quit"

// heldOnly lists the distros held (not kept) by wsldash: they stop after it quits unless
// something else holds them.
func (m *Model) heldOnly() []string {
	var out []string
	for _, d := range m.distros {
		if d.Held && !d.Kept {
			out = append(out, d.Name)
		}
	}
	return out
}

// idleText is "about 15 s" (WSL's instanceIdleTimeout), or "" when unknown or never.
func (m *Model) idleText() string {
	if i, ok := m.be.(backend.Idler); ok {
		if d, never, _ := i.InstanceIdle(); !never {
			return fmt.Sprintf("about %d s", int(d.Round(time.Second)/time.Second))
		}
	}
	return ""
}

// quit quits, or first asks when wsldash holds distros that would then stop.
func (m *Model) quit() tea.Cmd {
	held := m.heldOnly()
	if _, ok := m.be.(backend.Keeper); !ok || len(held) == 0 || m.caps.Reason(backend.ActKeep) != "" {
		return tea.Quit
	}
	when := "soon after wsldash quits"
	if t := m.idleText(); t != "" {
		when = t + " after wsldash quits"
	}
	m.dialog = chooseDialog("Quit wsldash?",
		fmt.Sprintf("wsldash holds %s: with no other client, WSL stops %s %s.", strings.Join(held, ", "), them(len(held)), when),
		"choose", []dialogChoice{
			{label: "quit", desc: "let " + them(len(held)) + " stop"},
			{label: "keep and quit", desc: "keep " + them(len(held)) + " running after wsldash quits (wsldash release NAME)", mode: keepChoice},
		}, op{act: actQuit})
	return nil
}

func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// keptAllMsg ends the quit dialog's "keep and quit".
type keptAllMsg struct{ err error }

// quitWith quits, keeping the held distros first when keep is set; a failure stays open.
func (m *Model) quitWith(keep bool) tea.Cmd {
	if !keep {
		return tea.Quit
	}
	k, _ := m.be.(backend.Keeper)
	names, ctx := m.heldOnly(), m.ctx
	m.setFlash(flashInfo, "keeping "+strings.Join(names, ", ")+"…")
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, actionTimeout)
		defer cancel()
		for _, n := range names {
			if err := k.Keep(c, n); err != nil {
				return keptAllMsg{err: err}
			}
		}
		return keptAllMsg{}
	}
}

func (m *Model) onKeptAll(msg keptAllMsg) tea.Cmd {
	if msg.err != nil {
		m.setFlash(flashErr, "not quitting: "+errText(msg.err))
		return m.refreshList()
	}
	return tea.Quit
}

// keepOrRelease runs in an action Cmd. Release ends a keep-alive, and lets go of what the
// dashboard holds itself.
func keepOrRelease(ctx context.Context, be backend.Backend, o op) error {
	k, ok := be.(backend.Keeper)
	if !ok {
		return &backend.Error{Kind: backend.KindUnsupported, Op: string(o.act), Distro: o.distro, Message: "not supported by this backend"}
	}
	if o.act == backend.ActKeep {
		return k.Keep(ctx, o.distro)
	}
	if _, err := k.Unkeep(o.distro); err != nil {
		return err
	}
	if r, ok := be.(backend.Releaser); ok {
		r.Release(o.distro)
	}
	return nil
}
