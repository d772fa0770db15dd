package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/tui/internal/fake"

	tea "charm.land/bubbletea/v2"
)

// Every entry of the registry is complete and names only what exists.
func TestViewRegistry(t *testing.T) {
	m := New(Options{Config: DefaultConfig()})
	km := DefaultKeyMap()
	seen := map[string]View{}
	for v := range viewCount {
		e := &views[v]
		for _, s := range []string{e.name, e.key.name, e.key.key} {
			if prev, dup := seen[s]; s == "" || dup {
				t.Errorf("view %d: %q empty or also view %d's", v, s, prev)
			}
			seen[s] = v
		}
		if e.layout == nil || len(e.panes) == 0 || len(e.focus) == 0 {
			t.Errorf("%v: no layout, panes or focus", v)
		}
		for i, p := range e.panes {
			if p <= PaneNone || p >= paneCount || slices.Contains(e.panes[:i], p) {
				t.Errorf("%v: pane %d listed twice or unknown", v, p)
			}
		}
		for _, p := range e.focus {
			if !slices.Contains(e.panes, p) || m.listOf(p) == nil {
				t.Errorf("%v: focus on %v, which it does not show or which is not a list", v, p)
			}
		}
		if n := len(e.footer); n < 2 || e.footer[n-2] != "help" || e.footer[n-1] != "quit" {
			t.Errorf("%v: the footer does not end with help and quit: %v", v, e.footer)
		}
		if got := km.named(e.footer); len(got) != len(e.footer) {
			t.Errorf("%v: the footer names an unknown key: %v", v, e.footer)
		}
		for _, f := range e.focus {
			for _, b := range km.shortHelp(everywhere(v, f)) {
				if !km.offers(everywhere(v, f), b) {
					t.Errorf("%v focus %v: the footer shows %q, which does not act there", v, f, b.Help().Desc)
				}
			}
		}
		for _, g := range e.keys {
			if got := km.named(g.keys); len(got) != len(g.keys) {
				t.Errorf("%v: help group %q names an unknown key: %v", v, g.title, g.keys)
			}
		}
	}
	names := map[string]bool{}
	for p := PaneNone + 1; p < paneCount; p++ {
		d := panes[p]
		if d.name == "" || d.of == nil || names[d.name] || m.paneOf(p) == nil {
			t.Errorf("pane %d: no name, no pane, or a name used twice (%q)", p, d.name)
		}
		names[d.name] = true
		if len(d.keys) > 0 && m.keyHandler(p) == nil {
			t.Errorf("%v lists keys but nothing takes them", p)
		}
		for _, g := range d.keys {
			if got := km.named(g.keys); len(got) != len(g.keys) {
				t.Errorf("%v: key group %q names an unknown key: %v", p, g.title, g.keys)
			}
		}
		if got := km.named(d.footer); len(got) != len(d.footer) {
			t.Errorf("%v: the footer names an unknown key: %v", p, d.footer)
		}
	}
}

// An entry lists every pane its layout places (the others would not be drawn), in x order: of
// two panes sharing screen rows, the one on the left is drawn first, so each row is written
// left to right.
func TestViewPanesInDrawingOrder(t *testing.T) {
	for v := range viewCount {
		for w := MinWidth; w <= 320; w += 13 {
			for h := MinHeight; h <= 110; h += 7 {
				l := ComputeLayout(w, h, v, (w+h)%70)
				for p := PaneNone + 1; p < paneCount; p++ {
					if l.Visible(p) && !slices.Contains(views[v].panes, p) {
						t.Fatalf("%v %dx%d: %v is placed but not listed", v, w, h, p)
					}
				}
				for i, a := range views[v].panes {
					for _, b := range views[v].panes[i+1:] {
						ra, rb := l.Rect(a), l.Rect(b)
						rows := ra.Y < rb.Y+rb.H && rb.Y < ra.Y+ra.H
						if !ra.Empty() && !rb.Empty() && rows && ra.X >= rb.X {
							t.Fatalf("%v %dx%d: %v (%v) is drawn before %v (%v) on its left", v, w, h, a, ra, b, rb)
						}
					}
				}
			}
		}
	}
}

// No key is dead: every binding of the main screen is one some view takes.
func TestEveryKeyHasAView(t *testing.T) {
	km := DefaultKeyMap()
	for _, e := range km.bindings() {
		if e.Name == "confirm" || e.Name == "cancel" {
			continue
		}
		taken := false
		for v := range viewCount {
			for _, f := range views[v].focus {
				taken = taken || km.offers(everywhere(v, f), e.B)
			}
		}
		if !taken {
			t.Errorf("no view takes %q", e.Name)
		}
	}
}

// Opening a view focuses its first pane; tab and shift+tab go round its panes on screen in the
// entry's order.
func TestViewFocusOrder(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	for v := range viewCount {
		h.key(views[v].key.key)
		if h.m.view != v || h.m.focus != views[v].focus[0] {
			t.Fatalf("key %s: view %v focus %v, want %v and %v", views[v].key.key, h.m.view, h.m.focus, v, views[v].focus[0])
		}
		var want []Pane
		for _, p := range views[v].focus {
			if h.m.layout.Visible(p) {
				want = append(want, p)
			}
		}
		for i := range want {
			if h.m.focus != want[i] {
				t.Fatalf("%v: tab %d reaches %v, want %v", v, i, h.m.focus, want[i])
			}
			h.key("tab")
		}
		if h.m.focus != want[0] {
			t.Fatalf("%v: tab does not wrap to %v", v, want[0])
		}
		h.key("shift+tab")
		if h.m.focus != want[len(want)-1] {
			t.Fatalf("%v: shift+tab reaches %v, want %v", v, h.m.focus, want[len(want)-1])
		}
	}
}

type probeMsg struct{ n int }

// A view is its entry: a stand-in entry in the VMs view's place is opened by its key, asked for
// its data on opening, every fetchEvery refreshes while open and never after, asked again when
// the selection changes, and gets its answers; a pane it does not list is not drawn.
func TestViewEntryDrivesTheView(t *testing.T) {
	saved := views[ViewVMs]
	t.Cleanup(func() { views[ViewVMs] = saved })
	var opened, every, refetched int
	got := map[int]int{} // answers taken, by kind: 1 open, 2 every, 3 refetch
	answer := func(n int) tea.Cmd { return func() tea.Msg { return probeMsg{n} } }
	views[ViewVMs] = viewDef{
		name:    "probe",
		key:     viewKey{"view_vms", "7", "probe"},
		panes:   []Pane{PaneDistros},
		focus:   []Pane{PaneDistros},
		layout:  layoutDetail(PaneCPU),
		open:    func(*Model) []tea.Cmd { opened++; return []tea.Cmd{answer(1)} },
		every:   func(*Model) []tea.Cmd { every++; return []tea.Cmd{answer(2)} },
		refetch: func(*Model) tea.Cmd { refetched++; return answer(3) },
		update:  answers(func(_ *Model, msg probeMsg) { got[msg.n]++ }),
		footer:  []string{"help", "quit"},
		keys:    viewKeys,
	}
	h, _ := newFakeHarness(t, 120, 40)
	h.tick()
	if opened+every+refetched+len(got) != 0 {
		t.Fatalf("a closed view fetched: open %d every %d refetch %d answers %d", opened, every, refetched, got)
	}
	h.key("7")
	if h.m.view != ViewVMs || opened != 1 || got[1] != 1 {
		t.Fatalf("view %v: opened %d times, answers %d", h.m.view, opened, got)
	}
	if scr := h.screen(); strings.Contains(scr, "CPU") || !strings.Contains(scr, "s start") || strings.Contains(scr, "r reclaim") {
		t.Fatalf("the screen is not the entry's (no CPU pane; its footer: the distro pane's keys, no reclaim):\n%s", scr)
	}
	for range 2 * fetchEvery {
		h.tick()
	}
	if every != 2 || got[2] == 0 { // the last one's answer comes with the next refresh
		t.Fatalf("%d periodic fetches in %d refreshes (answers %v), want 2", every, 2*fetchEvery, got)
	}
	h.key("j")
	if refetched != 1 || got[3] != 1 {
		t.Fatalf("a new selection refetched %d times (answers %v), want 1", refetched, got)
	}
	h.key("1")
	for range 2 * fetchEvery {
		h.tick()
	}
	if every != 2 || opened != 1 {
		t.Fatalf("fetched after closing: every %d open %d", every, opened)
	}
}

// The keys that act are the registry's for what is on screen: the focused pane's, the view's,
// and those of the panes on screen whose entry says they reach; the footer and `?` follow the
// focus. A stand-in entry whose distro table does not reach shows it: with the process list
// focused, s neither starts the selection nor is silent.
func TestKeysFollowFocus(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.selectDistro("kali-linux")
	footer := func() string {
		scr := strings.Split(strings.TrimRight(h.screen(), "\n"), "\n")
		return scr[len(scr)-1]
	}
	if f := footer(); !strings.HasPrefix(strings.TrimSpace(f), "s start") {
		t.Fatalf("the distro table has focus, the footer starts elsewhere: %q", f)
	}
	h.key("tab") // the processes
	if h.m.focus != PaneProcs {
		t.Fatalf("tab focused %v", h.m.focus)
	}
	if f := footer(); !strings.HasPrefix(strings.TrimSpace(f), "x kill  o sort processes  a all") {
		t.Fatalf("the process list has focus, the footer does not start with its keys: %q", f)
	}
	h.key("?")
	if scr := h.screen(); !strings.Contains(scr, "Processes") || !strings.Contains(scr, "Distro") {
		t.Fatalf("help does not list the process list's and the distro table's keys:\n%s", scr)
	}
	h.key("?")

	saved := panes[PaneDistros]
	t.Cleanup(func() { panes[PaneDistros] = saved })
	panes[PaneDistros].reach = false
	h.m.cache.invalidate()
	h.key("s")
	mustNotCallPrefix(t, h, "start")
	if !strings.Contains(h.m.flash.text, "works in the distros pane: tab to it") {
		t.Fatalf("s off its pane says %q", h.m.flash.text)
	}
	if f := footer(); strings.Contains(f, "s start") {
		t.Fatalf("the footer offers start, which does not act here: %q", f)
	}
	h.key("tab") // the mounts
	h.key("tab") // the distros
	h.key("s")
	mustCall(t, h, "start kali-linux")
}

// Every view is offered the messages the root does not take: two views asking for the same
// kind of answer each get theirs (their request ids tell them apart).
func TestViewsShareAMessageType(t *testing.T) {
	savedPorts, savedVMs := views[ViewPorts], views[ViewVMs]
	t.Cleanup(func() { views[ViewPorts], views[ViewVMs] = savedPorts, savedVMs })
	var ports, vms int
	views[ViewPorts].update = answers(func(_ *Model, msg probeMsg) { ports += msg.n })
	views[ViewVMs].update = answers(func(_ *Model, msg probeMsg) { vms += msg.n })
	h, _ := newFakeHarness(t, 120, 40)
	h.send(probeMsg{1})
	if ports != 1 || vms != 1 {
		t.Fatalf("ports took %d, VMs %d; want 1 each", ports, vms)
	}
}

// watching records what the dashboard tells a backend whose per-distro memory costs work in the
// VM (backend.MemoryWatcher).
type watching struct {
	*fake.Backend
	calls []bool
}

func (w *watching) WatchDistroMemory(on bool) { w.calls = append(w.calls, on) }

// Per-distro memory is watched exactly while a view whose entry asks for it is open (the memory
// view), and let go of as soon as another view opens: each look runs in the VM.
func TestDistroMemoryWatchedOnlyWhereTheEntrySaysSo(t *testing.T) {
	be := &watching{Backend: fake.New()}
	h := newHarness(t, be, 120, 40)
	for v := range viewCount {
		h.key(views[v].key.key)
		if len(be.calls) == 0 {
			t.Fatalf("opening %s told the backend nothing", v)
		}
		if got, want := be.calls[len(be.calls)-1], views[v].distroMemory; got != want {
			t.Errorf("after opening %s the backend was told to watch = %v, want %v", v, got, want)
		}
	}
	if !views[ViewMemory].distroMemory {
		t.Error("the memory view no longer asks for per-distro memory, which it draws")
	}
}
