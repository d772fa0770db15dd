package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
	"github.com/wsldash/wsldash/backend/wslconfig"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

const gib = 1 << 30

// memSample is a sample at t with the given cache (total 16 GiB, used 4 GiB, VM process = used +
// cache + 1 GiB) and CPU.
func memSample(t time.Time, cache uint64, cpu float64) backend.Sample {
	const total, used = 16 * gib, 4 * gib
	return backend.Sample{Time: t, CPUPercent: backend.Percent(cpu),
		Guest: backend.GuestMemory{TotalBytes: total, UsedBytes: used, CacheBytes: cache, FreeBytes: total - used - cache},
		Host:  &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: used + cache + gib}}
}

// feed delivers s as the answer to a sample request, advancing the clock to its time.
func (h *harness) feed(s backend.Sample) {
	h.t.Helper()
	h.clock.Set(s.Time)
	h.m.req.sample = h.m.nextID()
	h.send(sampleMsg{id: h.m.req.sample, sample: s})
}

// feedFlat feeds n samples a second apart at the given cache level, from the clock's now + 1 s.
func (h *harness) feedLevel(n int, cache uint64, cpu float64) {
	for i := 0; i < n; i++ {
		h.feed(memSample(h.clock.Now().Add(time.Second), cache, cpu))
	}
}

func TestReclaimDialogChoice(t *testing.T) {
	tests := []struct {
		keys  []string
		call  string // "" = no reclaim
		flash string
	}{
		{[]string{"r", "enter"}, "reclaim dropcache", "dropped 2.0 GiB of page cache in Ubuntu-24.04"},
		{[]string{"r", "y"}, "reclaim dropcache", "dropped 2.0 GiB"},
		{[]string{"r", "j", "enter"}, "reclaim gradual", "memory.reclaim gave back 2.0 GiB"},
		{[]string{"r", "down", "down", "enter"}, "reclaim compact", "compacted memory"},
		{[]string{"r", "down", "down", "down", "enter"}, "reclaim dropcache", "dropped"},
		{[]string{"r", "up", "enter"}, "reclaim compact", "compacted"},
		{[]string{"r", "tab", "enter"}, "reclaim gradual", "memory.reclaim"},
		{[]string{"r", "esc"}, "", ""},
		{[]string{"r", "n"}, "", ""},
		{[]string{"r", "j", "esc", "enter"}, "", ""}, // enter after esc opens a shell, not a reclaim
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.keys, " "), func(t *testing.T) {
			h, _ := newFakeHarness(t, 120, 40)
			for _, k := range tt.keys {
				h.key(k)
			}
			if tt.call == "" {
				mustNotCallPrefix(t, h, "reclaim")
				if h.m.dialog != nil {
					t.Fatal("dialog left open")
				}
				return
			}
			mustCall(t, h, tt.call)
			if n := h.countCalls("reclaim"); n != 1 {
				t.Fatalf("%d reclaim calls", n)
			}
			mustFlash(t, h, flashOK, tt.flash)
		})
	}
}

func TestReclaimDialogShowsChoices(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.key("r")
	s := h.screen()
	for _, want := range []string{"Reclaim memory?", "▸ dropcache", "gradual", "compact", "choose", "cancel"} {
		if !strings.Contains(s, want) {
			t.Fatalf("dialog lacks %q:\n%s", want, s)
		}
	}
	h.key("j")
	if !strings.Contains(h.screen(), "▸ gradual") {
		t.Fatal("the highlight did not move to gradual")
	}
}

// Rebinding up/down moves the dialog's choice too: the dialog's keys come from the KeyMap.
func TestReclaimDialogKeysAreData(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40, withKeys(map[string][]string{"down": {"J"}}))
	h.key("r")
	h.key("j") // no longer bound
	h.key("J")
	h.key("enter")
	mustCall(t, h, "reclaim gradual")
}

func TestEventsArriveFromSamples(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.key("2")
	h.feedLevel(20, 4*gib, 20)
	if n := len(h.m.rec.log); n != 0 {
		t.Fatalf("%d events on a flat line", n)
	}
	h.feedLevel(5, gib, 20)
	log := h.m.rec.log
	if len(log) != 1 {
		t.Fatalf("events = %+v, want one (cache and vm merged)", log)
	}
	e := log[0]
	if e.Source != reclaim.SourceAutomatic || e.Cache != 3*gib || e.VM != 3*gib {
		t.Fatalf("event = %+v", e)
	}
	s := h.screen()
	for _, want := range []string{"Reclaim events", "FREED", "automatic", "cache 3.0 GiB · vm 3.0 GiB", "-3.0 GiB auto", "▼"} {
		if !strings.Contains(s, want) {
			t.Fatalf("screen lacks %q:\n%s", want, s)
		}
	}
	// Under the FREED header an amount is what came back: no minus (a double negative).
	if strings.Contains(s, "cache -") || strings.Contains(s, "vm -") {
		t.Fatalf("the event log negates what it calls freed:\n%s", s)
	}
}

// Actions that free memory name the source of the drop that follows them.
func TestHintsAttributeSources(t *testing.T) {
	tests := []struct {
		name string
		act  func(h *harness)
		// after the action: the samples that show the drop
		after func(h *harness)
		want  reclaim.Source
	}{
		{"no action", func(h *harness) {}, func(h *harness) { h.feedLevel(5, gib, 20) }, reclaim.SourceAutomatic},
		{"manual reclaim", func(h *harness) { h.key("r"); h.key("enter") },
			func(h *harness) { h.feedLevel(5, gib, 20) }, reclaim.SourceManual},
		{"terminate", func(h *harness) { h.key("t"); h.key("y") }, func(h *harness) { h.feedLevel(5, gib, 20) }, reclaim.SourceDistroStopped},
		{"shutdown", func(h *harness) { h.key("S"); h.key("y") }, func(h *harness) {
			for i := 0; i < 5; i++ {
				h.clock.Advance(time.Second)
				h.m.req.sample = h.m.nextID()
				h.send(sampleMsg{id: h.m.req.sample, err: &backend.Error{Kind: backend.KindNotRunning, Message: "VM stopped"}})
			}
		}, reclaim.SourceVMShutdown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newFakeHarness(t, 120, 40)
			h.feedLevel(20, 4*gib, 20)
			tt.act(h)
			tt.after(h)
			log := h.m.rec.log
			if len(log) == 0 {
				t.Fatal("no event")
			}
			for _, e := range log {
				if e.Source != tt.want {
					t.Fatalf("events %+v, want all %s", log, tt.want)
				}
			}
			h.key("2")
			if down := strings.Contains(h.screen(), "Windows has all of its memory back"); down != (tt.want == reclaim.SourceVMShutdown) {
				t.Fatalf("the reclaim pane says VM stopped = %v:\n%s", down, h.screen())
			}
			if tt.want == reclaim.SourceManual && (len(log) != 1 || !log[0].measured || log[0].VM != 3*gib) {
				t.Fatalf("the manual reclaim's report and the measured drop should be one entry: %+v", log)
			}
		})
	}
}

// The samples showing a manual reclaim can arrive before the action's result: the event first
// logged as automatic becomes manual when the result comes.
func TestLateManualResultRelabels(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.feedLevel(20, 4*gib, 20)
	h.key("r")
	held := h.sendHeld(keyMsg("enter")) // the reclaim is running
	h.feedLevel(5, gib, 20)
	if len(h.m.rec.log) != 1 || h.m.rec.log[0].Source != reclaim.SourceAutomatic {
		t.Fatalf("before the result: %+v", h.m.rec.log)
	}
	h.run(held)
	if len(h.m.rec.log) != 1 || h.m.rec.log[0].Source != reclaim.SourceManual {
		t.Fatalf("after the result: %+v", h.m.rec.log)
	}
}

func TestIdleHint(t *testing.T) {
	tests := []struct {
		name  string
		mode  backend.ReclaimMode
		setup func(h *harness)
		want  string
	}{
		{"busy", backend.ReclaimGradual, func(h *harness) { h.feedLevel(10, 4*gib, 20) }, "CPU busy"},
		{"idle 2m of gradual", backend.ReclaimGradual, func(h *harness) {
			h.feedLevel(10, 4*gib, 20)
			h.feedLevel(121, 4*gib, 0.1)
		}, "CPU idle for about 2m of the ~3m gradual needs"},
		{"idle past dropcache", backend.ReclaimDropCache, func(h *harness) {
			h.feedLevel(10, 4*gib, 20)
			h.feedLevel(11*60+1, 4*gib, 0.1)
		}, "past the ~10m dropcache needs"},
		{"idle since the start", backend.ReclaimGradual, func(h *harness) {
			h.m.rec = newReclaimState()
			h.feedLevel(31, 4*gib, 0.1)
		}, "CPU idle for at least 30s"},
		{"already reclaimed", backend.ReclaimDropCache, func(h *harness) {
			h.feedLevel(20, 4*gib, 0.1)
			h.feedLevel(30, gib, 0.1)
		}, "; reclaimed 27s ago (once per idle period)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, _ := newFakeHarness(t, 120, 40)
			tt.setup(h)
			if got := h.m.rec.idleHint(tt.mode, ""); !strings.Contains(got, tt.want) {
				t.Fatalf("idleHint = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMemoryViewStatus(t *testing.T) {
	be := fake.New()
	be.SetInfo(backend.Info{Backend: "wsl", Label: "wsl", ReclaimMode: backend.ReclaimGradual})
	h := newHarness(t, be, 120, 40)
	h.key("2")
	h.feedLevel(3, 4*gib, 20)
	s := h.screen()
	for _, want := range []string{"Windows sees vmmemWSL 9.0 GiB", "gap          5.0 GiB", "reclaimable  4.0 GiB now",
		"autoReclaim  gradual", "0.5% of its CPUs for 3 minutes", "no memory has come back"} {
		if !strings.Contains(s, want) {
			t.Fatalf("memory view lacks %q:\n%s", want, s)
		}
	}
	be.SetInfo(backend.Info{Backend: "local"})
	h.send(infoMsg{id: h.m.refreshInfoID(), info: backend.Info{Backend: "local"}})
	if s := h.screen(); !strings.Contains(s, "autoReclaim  unknown") {
		t.Fatalf("an unknown mode must say so:\n%s", s)
	}
}

// Other VMs' host processes (WSL containers) are shown apart from WSL's, not in its figures.
func TestMemoryViewOtherVMs(t *testing.T) {
	h := newHarness(t, fake.New(), 120, 40)
	h.key("2")
	s := memSample(h.clock.Now().Add(time.Second), 4*gib, 20)
	s.Host.OtherVMs = []backend.VMProcess{{Process: "vmmemwslc-7f3a", Bytes: 2 * gib}, {Process: "vmmemMySession"}}
	h.feed(s)
	scr := h.screen()
	for _, want := range []string{"Windows sees vmmemWSL 9.0 GiB", "gap          5.0 GiB",
		"other VMs    not WSL's: vmmemwslc-7f3a 2.0 GiB, vm…"} {
		if !strings.Contains(scr, want) {
			t.Fatalf("memory view lacks %q:\n%s", want, scr)
		}
	}
}

// refreshInfoID starts an info request and returns its id (for feeding its answer by hand).
func (m *Model) refreshInfoID() uint64 { m.req.info = m.nextID(); return m.req.info }

// The demo as `wsldash --demo` runs it opens on a history with an automatic reclaim, and a
// manual reclaim shows in the log at once.
func TestDemoShowsReclaims(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40)
	auto := 0
	for _, e := range h.m.rec.log {
		if e.Source == reclaim.SourceAutomatic {
			auto++
		}
	}
	if auto == 0 {
		t.Fatalf("no automatic reclaim in the demo's backfill: %+v", h.m.rec.log)
	}
	h.key("2")
	h.key("r")
	h.key("enter")
	h.tick()
	h.tick()
	log := h.m.rec.log
	if e := log[len(log)-1]; e.Source != reclaim.SourceManual || e.Bytes() == 0 {
		t.Fatalf("newest event %+v, want a manual one", e)
	}
	if s := h.screen(); !strings.Contains(s, "manual") {
		t.Fatalf("no manual event on screen:\n%s", s)
	}
}

// confStore is the fake backend with a config store over two files, or refusals.
type confStore struct {
	*fake.Backend
	wslconfig, wslconf string // paths
	cfgErr, confErr    error
}

func (c confStore) WSLConfig(context.Context) (backend.ConfigFile, error) {
	if c.cfgErr != nil {
		return backend.ConfigFile{}, c.cfgErr
	}
	return wslconfig.Load(c.wslconfig)
}

func (c confStore) WSLConf(_ context.Context, distro string) (backend.ConfigFile, error) {
	switch {
	case c.confErr != nil:
		return backend.ConfigFile{}, c.confErr
	case c.wslconf == "":
		return backend.ConfigFile{}, &backend.Error{Kind: backend.KindUnsupported, Distro: distro, Message: distro + "'s wsl.conf is not read here"}
	}
	return wslconfig.Load(c.wslconf)
}

// This machine's files (the local backend's case): no distro to name, and no VM to restart.
func TestConfigView(t *testing.T) {
	fb := fake.New()
	fb.SetDistros(nil)
	fb.SetInfo(backend.Info{Backend: "any", Label: "local", ThisMachine: true})
	be := confStore{Backend: fb, wslconfig: filepath.Join("testdata", "wslconfig", "wslconfig"),
		wslconf: filepath.Join("testdata", "wslconfig", "wsl.conf")}
	h := newHarness(t, be, 120, 40)
	h.key("5")
	if h.m.view != ViewConfig || h.m.focus != PaneWSLConfig {
		t.Fatalf("view %v focus %v", h.m.view, h.m.focus)
	}
	s := h.screen()
	for _, want := range []string{"╭─ .wslconfig ─ testdata/wslconfig/wslconfig", "Invalid memory string '8gb'",
		"● memory                8gb (invalid", "● processors            4", "no WSL VM here", "wsl.conf", "● default        dev"} {
		if !strings.Contains(s, want) {
			t.Fatalf("config view lacks %q:\n%s", want, s)
		}
	}
	hasRow := func(rows []confRow, text string, k confKind) bool {
		for _, r := range rows {
			if r.text == text && r.kind == k {
				return true
			}
		}
		return false
	}
	if !hasRow(h.m.conf.res.config.rows, "autoMemoryReclaim\x00gradual\x00DropCache", confSet) {
		t.Fatalf("no set autoMemoryReclaim row: %v", h.m.conf.res.config.rows)
	}
	if !hasRow(h.m.conf.res.distro.rows, "systemd\x00true\x00false", confSet) {
		t.Fatalf("no set systemd row: %v", h.m.conf.res.distro.rows)
	}
	// Scrolling moves the cursor within the file's rows.
	h.key("j")
	h.key("j")
	if h.m.conf.wslconfig.list.cur != 2 {
		t.Fatalf("cursor %d after two downs", h.m.conf.wslconfig.list.cur)
	}
	h.key("G")
	if h.m.conf.wslconfig.list.cur != len(h.m.conf.res.config.rows)-1 {
		t.Fatal("G did not reach the last row")
	}
	// The wheel scrolls the wsl.conf pane; a click picks a row of it and focuses it.
	r := h.m.layout.Rect(PaneWSLConf)
	h.send(tea.MouseWheelMsg{X: r.X + 5, Y: r.Y + 5, Button: tea.MouseWheelDown})
	if h.m.conf.wslconf.list.cur != 1 {
		t.Fatalf("wsl.conf cursor %d after a wheel step", h.m.conf.wslconf.list.cur)
	}
	h.send(tea.MouseClickMsg{X: r.X + 5, Y: r.Y + 3 + 4, Button: tea.MouseLeft})
	if h.m.focus != PaneWSLConf || h.m.conf.wslconf.list.cur != 4 {
		t.Fatalf("after a click: focus %v cursor %d", h.m.focus, h.m.conf.wslconf.list.cur)
	}
}

// What the store refuses is shown in its pane, and a backend without a store says so.
func TestConfigViewErrors(t *testing.T) {
	noProfile := &backend.Error{Kind: backend.KindUnsupported, Op: "config", Message: "no Windows profile here; pass --file PATH"}
	refused := &backend.Error{Kind: backend.KindUnsupported, Distro: "Ubuntu", Message: "Ubuntu's wsl.conf is not read from Windows"}
	for _, tc := range []struct {
		name string
		be   backend.Backend
		want []string
	}{
		{"refused", confStore{Backend: fake.New(), cfgErr: noProfile, confErr: refused},
			[]string{"config: no Windows profile here; pass --file PATH", "wsl.conf is not read from Windows"}},
		{"no store", fake.New(), []string{"this backend cannot read WSL's config files"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.be, 120, 40)
			h.key("5")
			s := h.screen()
			for _, want := range tc.want {
				if !strings.Contains(s, want) {
					t.Fatalf("config view lacks %q:\n%s", want, s)
				}
			}
		})
	}
}

// A read superseded by a newer one is dropped, whichever arrives first.
func TestStaleConfigReadDropped(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	first := h.sendHeld(keyMsg("5"))
	id1 := h.m.conf.req
	second := h.sendHeld(keyMsg("5"))
	id2 := h.m.conf.req
	if id1 == 0 || id2 == id1 {
		t.Fatalf("ids %d, %d", id1, id2)
	}
	msg1 := first().(configMsg)
	h.send(msg1)
	if h.m.conf.loaded {
		t.Fatal("a superseded read was accepted")
	}
	h.run(second)
	if !h.m.conf.loaded || h.m.conf.res.id != id2 {
		t.Fatalf("the current read was not accepted: %+v", h.m.conf.res.id)
	}
	h.send(msg1)
	if h.m.conf.res.id != id2 {
		t.Fatal("a stale read replaced the current one")
	}
}

// The demo's config files come from its store, labelled as samples.
func TestDemoConfigIsTheStoresSample(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	h.key("5")
	res := h.m.conf.res
	if !res.config.sample || !res.distro.sample || res.config.source != "demo sample" || res.distro.source != "demo sample" {
		t.Fatalf("demo files must be labelled samples: %+v / %+v", res.config, res.distro)
	}
	if res.config.modTime.IsZero() || len(res.config.rows) == 0 || len(res.distro.rows) == 0 {
		t.Fatalf("demo files empty: %+v", res)
	}
}

func TestGoldenReclaimAndConfig(t *testing.T) {
	for _, view := range []string{"2", "5"} {
		for _, dark := range []bool{true, false} {
			mode := map[bool]string{true: "dark", false: "light"}[dark]
			name := map[string]string{"2": "memory", "5": "config"}[view]
			t.Run(name+"/"+mode, func(t *testing.T) {
				h := newCLIDemoHarness(t, 120, 40)
				h.send(bgMsg(dark))
				h.key(view)
				out := h.m.View().Content
				assertFrame(t, out, 120, 40)
				golden.RequireEqual(t, ansi.Strip(out))
			})
		}
	}
}

// In the config view, selecting another distro reads that distro's wsl.conf.
func TestConfigViewFollowsSelection(t *testing.T) {
	h := newHarness(t, confStore{Backend: fake.New()}, 120, 40)
	h.key("5")
	if got := h.m.conf.res.forName; got != "Ubuntu-24.04" {
		t.Fatalf("wsl.conf read for %q", got)
	}
	h.key("tab")
	h.key("tab")
	if h.m.focus != PaneDistros {
		t.Fatalf("focus %v after two tabs", h.m.focus)
	}
	h.key("j")
	if got := h.m.conf.res.forName; got != "docker-desktop" || !strings.Contains(h.m.conf.res.distro.err, "docker-desktop") {
		t.Fatalf("wsl.conf read for %q: %q", got, h.m.conf.res.distro.err)
	}
	if !strings.Contains(h.screen(), "wsl.conf · docker-desktop") {
		t.Fatal("the pane does not name the distro")
	}
}

// wrapWords never panics, gives at most n lines, and only the last line may be too wide (a
// word longer than the width, or the rest when lines ran out).
func FuzzWrapWords(f *testing.F) {
	f.Add("after about 10 minutes of idle CPU, drops the page cache once per idle period", 30, 2)
	f.Add("CPU idle for about 6m20s; it already reclaimed 5m10s ago", 10, 3)
	f.Add("   ", 1, 1)
	f.Add("wörter mit ümlauten und 日本語 text", 7, 4)
	f.Fuzz(func(t *testing.T, s string, w, n int) {
		w, n = w%200, n%10
		out := wrapWords(s, w, n)
		if w <= 0 || n <= 0 {
			if out != nil {
				t.Fatalf("wrapWords(%q, %d, %d) = %q, want nil", s, w, n, out)
			}
			return
		}
		if len(out) > n {
			t.Fatalf("%d lines, max %d", len(out), n)
		}
		for i, l := range out[:max(len(out)-1, 0)] {
			if textWidth(l) > w {
				t.Fatalf("line %d %q wider than %d", i, l, w)
			}
		}
	})
}

func TestDescribeReclaimShort(t *testing.T) {
	for _, mode := range []backend.ReclaimMode{backend.ReclaimDropCache, backend.ReclaimGradual, backend.ReclaimDisabled, backend.ReclaimCompact, ""} {
		s := describeReclaim(mode, "")
		if s == "" || strings.Contains(s, "(") || strings.HasPrefix(s, string(mode)+":") {
			t.Errorf("describeReclaim(%q) = %q", mode, s)
		}
	}
}

// NO_COLOR: the memory and config views and the reclaim dialog have no colours.
func TestReclaimViewsNoColor(t *testing.T) {
	h := newCLIDemoHarness(t, 120, 40, noColor())
	for _, k := range []string{"2", "r", "esc", "5"} {
		h.key(k)
		out := h.m.View().Content
		if loc := colourSGR.FindStringIndex(out); loc != nil {
			t.Fatalf("after %q: NO_COLOR output has colours: %q", k, out[max(loc[0]-40, 0):loc[1]+20])
		}
		assertFrame(t, out, 120, 40)
	}
}

// Reclaims too close together on the graph for a label each get one label that sums them
// ("-5.0 GiB ×2"), not a pile of glyphs with only one amount.
func TestCloseReclaimsShareALabel(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.key("1") // the overview: the newest samples, a column each
	h.feedLevel(30, 6*gib, 20)
	h.feedLevel(5, 3*gib, 20) // -3 GiB
	h.feedLevel(5, gib, 20)   // -2 GiB, five samples later
	h.feedLevel(10, gib, 20)
	if n := len(h.m.rec.log); n != 2 {
		t.Fatalf("%d events, want 2: %+v", n, h.m.rec.log)
	}
	s := h.screen()
	if !strings.Contains(s, "-5.0 GiB ×2") {
		t.Fatalf("the two reclaims lack their shared label:\n%s", s)
	}
	if strings.Count(s, "▼") != 2 {
		t.Fatalf("want a ▼ for each reclaim:\n%s", s)
	}
}
