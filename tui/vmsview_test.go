package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wsldash/wsldash/backend"
)

// TestGoldenVMs pins the VMs view (7) on the demo at 120x40 and 80x24, light and dark.
func TestGoldenVMs(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, dark := range []bool{true, false} {
			mode := map[bool]string{true: "dark", false: "light"}[dark]
			t.Run(fmt.Sprintf("vms/%dx%d/%s", size[0], size[1], mode), func(t *testing.T) {
				h := newCLIDemoHarness(t, size[0], size[1])
				h.send(bgMsg(dark))
				h.key("7")
				out := h.m.View().Content
				assertFrame(t, out, size[0], size[1])
				golden.RequireEqual(t, ansi.Strip(out))
			})
		}
	}
}

// collectMsgs runs cmd (through batches) and returns the messages it yields, without sending them.
func collectMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, collectMsgs(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

// Pressing 7 opens the VMs view, focuses it and asks the backend for the list with a request
// id; the answer fills the table.
func TestVMsKeyRequestsTheList(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	nm, cmd := h.m.Update(keyMsg("7"))
	h.m = nm.(Model)
	if h.m.view != ViewVMs || h.m.focus != PaneVMs {
		t.Fatalf("view %v focus %v", h.m.view, h.m.focus)
	}
	if h.m.vms.id == 0 {
		t.Fatal("no request in flight after 7")
	}
	if s := h.screen(); !strings.Contains(s, "loading…") {
		t.Errorf("no loading note before the answer:\n%s", s)
	}
	var got *vmsMsg
	for _, msg := range collectMsgs(cmd) {
		if v, ok := msg.(vmsMsg); ok {
			got = &v
		}
	}
	if got == nil || got.id != h.m.vms.id || got.err != nil || len(got.val.VMs) == 0 {
		t.Fatalf("7 did not request the VMs: %+v", got)
	}
	h.send(*got)
	s := h.screen()
	for _, want := range []string{"VMs", "WSL's VM", "vmmemWSL", "WSL containers", "vmmemwslc", "Hyper-V VM",
		"Windows 11 dev", "Windows Sandbox", "Madrid", "5E0C7D2A", "Running", "read-only",
		"statistics need an elevated prompt"} {
		if !strings.Contains(s, want) {
			t.Errorf("VMs view lacks %q:\n%s", want, s)
		}
	}
	// The Sandbox's HCS figures are unknown: its row says "—", never 0.
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "Windows Sandbox") && strings.Contains(line, "Madrid") {
			if strings.Count(line, "—") < 2 || strings.Contains(line, " 0 B") {
				t.Errorf("Sandbox row does not show unknown as —: %q", line)
			}
		}
	}
	h.key("j")
	if h.m.vms.list.cur != 1 {
		t.Errorf("cursor %d after j", h.m.vms.list.cur)
	}
}

// An answer for an older request is dropped; an error (the wsl backend outside Windows) empties
// the table and says why; a backend without VMLister says it cannot.
func TestVMsStaleErrorAndUnsupported(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	h.key("7")
	n := len(h.m.vms.val.VMs)
	if n == 0 {
		t.Fatal("no VMs")
	}
	h.send(vmsMsg{id: h.m.vms.id + 99})
	if len(h.m.vms.val.VMs) != n {
		t.Fatal("a stale answer replaced the table")
	}
	h.m.vms.id = h.m.nextID()
	h.send(vmsMsg{id: h.m.vms.id, err: &backend.Error{Kind: backend.KindUnsupported, Op: "list VMs",
		Message: "listing the host's VMs (HCS, vmmem processes) works only in the Windows build of wsldash"}})
	if len(h.m.vms.val.VMs) != 0 || !strings.Contains(h.screen(), "works only in the Windows build") {
		t.Fatalf("error not shown:\n%s", h.screen())
	}

	fh, _ := newFakeHarness(t, 120, 40)
	fh.key("7")
	if _, ok := fh.m.be.(backend.VMLister); ok {
		t.Skip("the fake backend lists VMs")
	}
	if !strings.Contains(fh.screen(), "cannot list the Windows host's VMs") {
		t.Errorf("no unsupported note:\n%s", fh.screen())
	}
}
