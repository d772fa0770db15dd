package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wsldash/wsldash/backend"
)

// TestGoldenPortsAndDistroMemory pins the ports view (6) and the memory view (2) with its
// memory-by-distro pane and per-distro lines, at 120x40 and 80x24, light and dark.
func TestGoldenPortsAndDistroMemory(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, view := range []string{"6", "2"} {
			for _, dark := range []bool{true, false} {
				mode := map[bool]string{true: "dark", false: "light"}[dark]
				name := map[string]string{"6": "ports", "2": "distromem"}[view]
				t.Run(fmt.Sprintf("%s/%dx%d/%s", name, size[0], size[1], mode), func(t *testing.T) {
					h := newCLIDemoHarness(t, size[0], size[1])
					h.send(bgMsg(dark))
					h.key(view)
					out := h.m.View().Content
					assertFrame(t, out, size[0], size[1])
					golden.RequireEqual(t, ansi.Strip(out))
				})
			}
		}
	}
}

func TestPortsViewShowsEveryDistroAndDocker(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	h.key("6")
	s := h.screen()
	for _, want := range []string{"Ports", "networking mode nat", "172.23.148.117/20", "postgres", "docker-desktop (Docker)", "Ubuntu-24.04", "5432", "10.255.255.254"} {
		if !strings.Contains(s, want) {
			t.Errorf("ports view lacks %q:\n%s", want, s)
		}
	}
	if h.m.focus != PanePorts {
		t.Errorf("focus %v", h.m.focus)
	}
	// The cursor moves over the sockets.
	h.key("j")
	if h.m.ports.list.cur != 1 {
		t.Errorf("cursor %d after j", h.m.ports.list.cur)
	}
}

func TestDistroMemoryPane(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	h.key("2")
	s := h.screen()
	for _, want := range []string{"Memory by distro", "Ubuntu-24.04", "cgroup", "docker-desktop (Docker)", "≈", "estimate", "kernel & WSL"} {
		if !strings.Contains(s, want) {
			t.Errorf("memory view lacks %q:\n%s", want, s)
		}
	}
}

func TestAllProcessesToggle(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	h.key("3")
	h.key("a")
	if !h.m.procPane.all || h.m.procPane.of != allDistros {
		t.Fatalf("allProcs %v procsFor %q", h.m.procPane.all, h.m.procPane.of)
	}
	seen := map[string]bool{}
	for _, p := range h.m.procPane.list.items {
		seen[p.Distro] = true
	}
	if !seen["Ubuntu-24.04"] || !seen["docker-desktop"] {
		t.Fatalf("distros in the list: %v", seen)
	}
	s := h.screen()
	if !strings.Contains(s, "DISTRO") || !strings.Contains(s, "all running distros") {
		t.Errorf("no distro column:\n%s", s)
	}
	// Kill targets the process's own distro.
	for i, p := range h.m.procPane.list.items {
		if p.Distro == "docker-desktop" {
			h.m.procPane.list.cur = i
			break
		}
	}
	h.key("x")
	if h.m.dialog == nil || h.m.dialog.op.distro != "docker-desktop" {
		t.Fatalf("kill dialog %+v", h.m.dialog)
	}
	h.key("esc")
	h.key("a")
	if h.m.procPane.all || h.m.procPane.of == allDistros {
		t.Fatal("a did not switch back")
	}
}

func TestDockerDistroTerminateAsks(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	for i := range h.m.distroPane.list.Len() {
		if h.m.distroPane.list.At(i).Name == "docker-desktop" {
			h.m.distroPane.list.MoveTo(i)
			h.m.syncSelected()
		}
	}
	h.key("t")
	if h.m.dialog == nil || !strings.Contains(h.m.dialog.body, "Docker Desktop will stop") {
		t.Fatalf("no Docker warning: %+v", h.m.dialog)
	}
	h.key("esc")
	h.key("S")
	if h.m.dialog == nil || !strings.Contains(h.m.dialog.body, "Docker Desktop will stop") {
		t.Fatalf("shutdown without Docker warning: %+v", h.m.dialog)
	}
	if backend.DockerWarning(backend.ActTerminate, "Ubuntu-24.04", nil) != "" {
		t.Fatal("Ubuntu is not Docker's")
	}
}

// A ports answer for an older request is dropped; an error empties the table and says why.
func TestPortsStaleAndError(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	h.key("6")
	n := len(h.m.ports.val.Ports)
	if n == 0 {
		t.Fatal("no ports")
	}
	h.send(portsMsg{id: h.m.ports.id + 99, val: backend.Network{}})
	if len(h.m.ports.val.Ports) != n {
		t.Fatal("a stale answer replaced the table")
	}
	h.m.ports.id = h.m.nextID()
	h.send(portsMsg{id: h.m.ports.id, err: &backend.Error{Kind: backend.KindTimeout, Message: "wsl.exe timed out"}})
	if len(h.m.ports.val.Ports) != 0 || !strings.Contains(h.screen(), "wsl.exe timed out") {
		t.Fatalf("error not shown:\n%s", h.screen())
	}
}
