package tui

import "testing"

// Processes and mounts are asked only while their pane is on screen (on the wsl backend each
// is a section of the probe's stream, or a wsl.exe call for another distro), and a pane that
// comes on screen is asked at once instead of showing an answer many refreshes old.
func TestDetailsOnlyForVisiblePanes(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.tick()
	if !h.m.layout.Visible(PaneProcs) || !h.m.layout.Visible(PaneMounts) {
		t.Fatal("the overview at 120x40 shows processes and mounts")
	}
	count := func() (int, int) { return h.countCalls("processes"), h.countCalls("mounts") }
	steady := func(view string, wantProcs, wantMounts int) {
		t.Helper()
		h.tick() // the refresh armed before the switch was made for the view before
		p0, m0 := count()
		for i := 0; i < 2*fetchEvery; i++ {
			h.tick()
		}
		p1, m1 := count()
		if p1-p0 != wantProcs || m1-m0 != wantMounts {
			t.Fatalf("%s: %d process and %d mount fetches in %d ticks, want %d and %d",
				view, p1-p0, m1-m0, 2*fetchEvery, wantProcs, wantMounts)
		}
	}
	steady("overview", 2, 2)

	h.key("3") // the processes view: no mounts pane
	steady("processes view", 2, 0)

	_, m0 := count()
	h.key("4") // the mounts view: asked at once, then at the pane's period
	if _, m1 := count(); m1 != m0+1 {
		t.Fatalf("the mounts view did not ask for mounts when it opened (%d)", m1-m0)
	}
	steady("mounts view", 0, 2)

	h.key("2") // the memory view: neither
	steady("memory view", 0, 0)
}
