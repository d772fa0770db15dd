package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Layouts tile the screen: every cell between header and footer belongs to exactly one pane.
func TestLayoutTiles(t *testing.T) {
	for v := range viewCount {
		for w := MinWidth; w <= 320; w += 13 {
			for h := MinHeight; h <= 110; h += 7 {
				l := ComputeLayout(w, h, v, (w+h)%70)
				if l.TooSmall {
					t.Fatalf("%v %dx%d: too small", v, w, h)
				}
				cover := make([]int, w*h)
				mark := func(r Rect) {
					for y := r.Y; y < r.Y+r.H; y++ {
						for x := r.X; x < r.X+r.W; x++ {
							if x < 0 || y < 0 || x >= w || y >= h {
								t.Fatalf("%v %dx%d: rect %v out of the screen", v, w, h, r)
							}
							cover[y*w+x]++
						}
					}
				}
				mark(l.Header)
				mark(l.Footer)
				for p := PaneDistros; p < paneCount; p++ {
					r := l.Rect(p)
					if r.Empty() {
						continue
					}
					if r.W < 20 || r.H < 4 {
						t.Fatalf("%v %dx%d: %v is only %dx%d", v, w, h, p, r.W, r.H)
					}
					mark(r)
				}
				for i, c := range cover {
					if c != 1 {
						t.Fatalf("%v %dx%d: cell (%d,%d) covered %d times", v, w, h, i%w, i/w, c)
					}
				}
				// A view with the distros shows them, but for the memory view on a short screen.
				if !l.Visible(PaneDistros) && slices.Contains(views[v].panes, PaneDistros) && (v != ViewMemory || h >= 34) {
					t.Fatalf("%v %dx%d: the distros table is hidden", v, w, h)
				}
			}
		}
	}
}

func TestLayoutViews(t *testing.T) {
	tests := []struct {
		v       View
		visible []Pane
		hidden  []Pane
		biggest Pane
	}{
		{ViewOverview, []Pane{PaneDistros, PaneProcs, PaneMemory, PaneCPU, PaneMounts}, nil, PaneNone},
		{ViewMemory, []Pane{PaneDistros, PaneMemory, PaneReclaim, PaneEvents, PaneDistroMem}, []Pane{PaneProcs, PaneMounts, PaneCPU}, PaneMemory},
		{ViewPorts, []Pane{PanePorts}, []Pane{PaneDistros, PaneProcs, PaneMemory, PaneDistroMem}, PanePorts},
		{ViewVMs, []Pane{PaneVMs}, []Pane{PaneDistros, PaneProcs, PaneMemory, PanePorts}, PaneVMs},
		{ViewDisks, []Pane{PaneDisks, PaneAdvice, PaneTrash}, []Pane{PaneDistros, PaneProcs, PaneMemory, PaneCatalog}, PaneTrash},
		{ViewCatalog, []Pane{PaneCatalog}, []Pane{PaneDistros, PaneProcs, PaneDisks, PaneTrash}, PaneCatalog},
		{ViewConfig, []Pane{PaneDistros, PaneWSLConfig, PaneWSLConf}, []Pane{PaneProcs, PaneMounts, PaneCPU, PaneMemory}, PaneWSLConfig},
		{ViewProcesses, []Pane{PaneDistros, PaneProcs}, []Pane{PaneMemory, PaneCPU, PaneMounts}, PaneProcs},
		{ViewMounts, []Pane{PaneDistros, PaneMounts}, []Pane{PaneMemory, PaneCPU, PaneProcs}, PaneMounts},
	}
	for _, tt := range tests {
		t.Run(tt.v.String(), func(t *testing.T) {
			l := ComputeLayout(120, 40, tt.v, 6)
			for _, p := range tt.visible {
				if !l.Visible(p) {
					t.Errorf("%v hidden", p)
				}
			}
			for _, p := range tt.hidden {
				if l.Visible(p) {
					t.Errorf("%v visible", p)
				}
			}
			area := func(r Rect) int { return r.W * r.H }
			for p := PaneDistros; p < paneCount && tt.biggest != PaneNone; p++ {
				if area(l.Rect(p)) > area(l.Rect(tt.biggest)) {
					t.Errorf("%v is bigger than %v", p, tt.biggest)
				}
			}
		})
	}
	// No distros (local): no memory-by-distro pane; at 80x24 it still fits beside the event log.
	if ComputeLayout(120, 40, ViewMemory, 0).Visible(PaneDistroMem) || !ComputeLayout(80, 24, ViewMemory, 6).Visible(PaneDistroMem) {
		t.Error("memory by distro: shown without distros, or hidden at 80x24")
	}
	// At 80x24 the overview has no room for mounts; bigger screens get bigger graphs.
	if ComputeLayout(80, 24, ViewOverview, 6).Visible(PaneMounts) {
		t.Error("mounts squeezed into 80x24")
	}
	small, big := ComputeLayout(80, 24, ViewOverview, 6).Rect(PaneMemory), ComputeLayout(200, 60, ViewOverview, 6).Rect(PaneMemory)
	if big.W <= small.W || big.H <= small.H {
		t.Errorf("memory graph does not grow: %v vs %v", small, big)
	}
}

func TestLayoutTooSmall(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {-5, 3}, {30, 10}, {59, 14}, {59, 40}, {200, 14}} {
		l := ComputeLayout(sz[0], sz[1], ViewOverview, 6)
		if !l.TooSmall {
			t.Errorf("%v: not too small", sz)
		}
		for p := PaneDistros; p < paneCount; p++ {
			if l.Visible(p) {
				t.Errorf("%v: %v visible", sz, p)
			}
		}
	}
	if ComputeLayout(60, 15, ViewOverview, 6).TooSmall {
		t.Error("60x15 must be usable")
	}
}

func TestPaneAt(t *testing.T) {
	l := ComputeLayout(120, 40, ViewOverview, 6)
	for p := PaneDistros; p < paneCount; p++ {
		r := l.Rect(p)
		if r.Empty() {
			continue // not in this view
		}
		if got := l.PaneAt(r.X+r.W/2, r.Y+r.H/2); got != p {
			t.Errorf("PaneAt(centre of %v) = %v", p, got)
		}
	}
	if got := l.PaneAt(0, 0); got != PaneNone {
		t.Errorf("header is %v", got)
	}
	_ = fmt.Sprint(l)
}

// A short table gives its spare rows to the processes; a long one is capped.
func TestLayoutTableHeight(t *testing.T) {
	short := ComputeLayout(200, 60, ViewOverview, 3)
	long := ComputeLayout(200, 60, ViewOverview, 60)
	if short.Rect(PaneDistros).H != 6 || short.Rect(PaneProcs).H <= long.Rect(PaneProcs).H {
		t.Fatalf("short %v/%v long %v/%v", short.Rect(PaneDistros), short.Rect(PaneProcs), long.Rect(PaneDistros), long.Rect(PaneProcs))
	}
	if long.Rect(PaneDistros).H != long.Rect(PaneMemory).H {
		t.Fatalf("a long table should fill the top row: %v vs %v", long.Rect(PaneDistros), long.Rect(PaneMemory))
	}
}

// A WSL 1 distro's "no VM" note keeps a space before the next column (at 120 columns it ran
// into the install folder: "— no VM…oupLimited").
func TestNoVMNoteKeepsItsColumn(t *testing.T) {
	for _, view := range []string{"1", "3", "5"} {
		h := newDemoHarness(t, 120, 40)
		h.key(view)
		for _, line := range strings.Split(h.screen(), "\n") {
			if i := strings.Index(line, "no VM"); i >= 0 && !strings.HasPrefix(line[i+len("no VM"):], " ") {
				t.Errorf("view %s: %q runs into the next column", view, strings.TrimSpace(line))
			}
		}
	}
}
