package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// TestUnknownIsShownAsUnknown: no invented numbers. The first sample of a real backend has no
// CPU figure (one reading gives no rate): the legend says "—", not 0.0%. Once the VM stops, the
// legends no longer show the last values.
func TestUnknownIsShownAsUnknown(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	if h.m.hist.Len() != 1 {
		t.Fatalf("%d samples after the first refresh, want 1", h.m.hist.Len())
	}
	scr := h.screen()
	if !strings.Contains(scr, "guest —") || strings.Contains(scr, "guest 0.0%") {
		t.Fatalf("first CPU figure not shown as unknown:\n%s", scr)
	}
	h.tick()
	want := fake.SampleAt(t0, 1)
	if scr := h.screen(); !strings.Contains(scr, "guest 18.0%") || *want.CPUPercent != 18 {
		t.Fatalf("second sample's CPU not shown:\n%s", scr)
	}

	// The VM stops: the next sample fails, and the legends say "—" instead of the last values.
	h.m.req.sample = 4242
	h.send(sampleMsg{id: 4242, err: &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "no distro is running; the VM is stopped"}})
	scr = h.screen()
	for _, s := range []string{"guest —", "used —", "cache —", "free —", "vmmemWSL —"} {
		if !strings.Contains(scr, s) {
			t.Errorf("after the VM stopped the screen lacks %q", s)
		}
	}
	if strings.Contains(scr, "guest 18.0%") {
		t.Errorf("the last CPU figure is still shown after the VM stopped:\n%s", scr)
	}
}

// TestGapMostlyCacheOnlyWhenItIs: "mostly cache" is said only when the page cache is more than
// half of the gap between the VM process and the guest's used memory.
func TestGapMostlyCacheOnlyWhenItIs(t *testing.T) {
	for _, c := range []struct {
		gap, cache uint64
		mostly     bool
	}{{4 * gib, 3 * gib, true}, {4 * gib, 1 * gib, false}, {4 * gib, 0, false}, {4 * gib, 2 * gib, false}} {
		got := gapText(c.gap, c.cache)
		if strings.Contains(got, "mostly cache") != c.mostly {
			t.Errorf("gap %d, cache %d: %q", c.gap>>30, c.cache>>30, got)
		}
	}
	// On screen: a VM process far above used + cache (memory freed but not yet handed back).
	h, _ := newFakeHarness(t, 120, 40)
	h.key("2")
	s := memSample(t0, 512<<20, 3)
	s.Host.VMProcessBytes = s.Guest.UsedBytes + 6*gib
	h.m.hist.Add(s)
	h.m.rec.observe(s)
	scr := h.screen()
	if strings.Contains(scr, "mostly cache") || !strings.Contains(scr, "vmmem − used; cache 512 MiB") {
		t.Fatalf("the reclaim pane misnames the gap:\n%s", scr)
	}
}

// TestIdleUnknownWithoutCPU: with no CPU figure the reclaim pane does not claim the CPU is busy.
func TestIdleUnknownWithoutCPU(t *testing.T) {
	r := newReclaimState()
	s := memSample(t0, gib, 0)
	s.CPUPercent = nil
	r.observe(s)
	if h := r.idleHint(backend.ReclaimDropCache, ""); !strings.Contains(h, "not measured") {
		t.Fatalf("idle hint with no CPU figure: %q", h)
	}
	s2 := memSample(t0.Add(time.Second), gib, 0.1)
	r.observe(s2)
	if h := r.idleHint(backend.ReclaimDropCache, ""); !strings.Contains(h, "CPU idle for at least 0s") {
		t.Fatalf("idle since the first measured sample: %q", h)
	}
}

// TestProcessCPUUnknownShownAsDash: a process seen for the first time has no CPU rate yet.
func TestProcessCPUUnknownShownAsDash(t *testing.T) {
	h, be := newFakeHarness(t, 120, 40)
	be.SetProcesses([]backend.Process{
		{PID: 4242, Name: "fresh-proc", User: "dev", CPUUnknown: true, RSSBytes: 64 << 20},
		{PID: 4343, Name: "idle-proc", User: "dev", RSSBytes: 32 << 20},
	})
	h.key("3")
	h.tick()
	h.tick()
	h.tick()
	var fresh, idle string
	for _, l := range strings.Split(h.screen(), "\n") {
		switch {
		case strings.Contains(l, "fresh-proc"):
			fresh = l
		case strings.Contains(l, "idle-proc"):
			idle = l
		}
	}
	if !strings.Contains(fresh, "—") || strings.Contains(fresh, "0.0") {
		t.Errorf("a process with no rate yet: %q", fresh)
	}
	if !strings.Contains(idle, "0.0") {
		t.Errorf("a measured idle process: %q", idle)
	}
}
