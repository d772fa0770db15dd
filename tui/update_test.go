package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

const hcsCode = "Wsl/Service/CreateInstance/HCS_E_HYPERV_NOT_INSTALLED"

func TestKeys(t *testing.T) {
	tests := []struct {
		name  string
		setup func(h *harness, be *fake.Backend)
		keys  []string
		check func(t *testing.T, h *harness, be *fake.Backend)
	}{
		{"start", func(h *harness, _ *fake.Backend) { h.selectDistro("kali-linux") }, []string{"s"},
			func(t *testing.T, h *harness, be *fake.Backend) {
				mustCall(t, h, "start kali-linux")
				mustState(t, h, "kali-linux", backend.StateRunning)
				mustFlash(t, h, flashOK, "kali-linux started")
				if len(h.m.pending) != 0 {
					t.Fatalf("pending left: %v", h.m.pending)
				}
			}},
		{"start a running distro says so", nil, []string{"s"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "start")
			mustFlash(t, h, flashInfo, "already running")
		}},
		{"start a busy distro says so", func(h *harness, _ *fake.Backend) { h.selectDistro("openSUSE-Tumbleweed") }, []string{"s"},
			func(t *testing.T, h *harness, be *fake.Backend) {
				mustNotCallPrefix(t, h, "start")
				mustFlash(t, h, flashInfo, "installing")
			}},
		{"terminate", nil, []string{"t", "y"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustCall(t, h, "terminate Ubuntu-24.04")
			mustState(t, h, "Ubuntu-24.04", backend.StateStopped)
		}},
		{"terminate asks first, naming the shells", nil, []string{"t"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "terminate")
			if h.m.dialog == nil || !strings.Contains(h.m.dialog.body, "the user's shells in it") {
				t.Fatalf("no confirmation naming the shells: %+v", h.m.dialog)
			}
		}},
		{"terminate: enter alone is No", nil, []string{"t", "enter"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "terminate")
			mustState(t, h, "Ubuntu-24.04", backend.StateRunning)
		}},
		{"terminate: n cancels", nil, []string{"t", "n"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "terminate")
		}},
		{"terminate: esc cancels", nil, []string{"t", "esc"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "terminate")
			if h.m.dialog != nil {
				t.Fatal("esc left the dialog open")
			}
		}},
		{"set default", func(h *harness, _ *fake.Backend) { h.selectDistro("Debian") }, []string{"d"},
			func(t *testing.T, h *harness, be *fake.Backend) {
				mustCall(t, h, "set-default Debian")
				if !h.distro("Debian").Default || h.distro("Ubuntu-24.04").Default {
					t.Fatal("default did not move to Debian")
				}
				if h.m.info.DefaultDistro != "Debian" {
					t.Fatalf("info not refreshed: default %q", h.m.info.DefaultDistro)
				}
			}},
		{"shutdown confirm yes", nil, []string{"S", "y"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustCall(t, h, "shutdown force=false")
			mustState(t, h, "Ubuntu-24.04", backend.StateStopped)
			mustState(t, h, "docker-desktop", backend.StateStopped)
			if h.m.dialog != nil {
				t.Fatal("dialog still open")
			}
		}},
		{"shutdown confirm with the Yes button", nil, []string{"S", "left", "enter"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustCall(t, h, "shutdown force=false")
		}},
		{"shutdown no", nil, []string{"S", "n"}, noShutdown},
		{"shutdown esc", nil, []string{"S", "esc"}, noShutdown},
		{"shutdown enter defaults to No", nil, []string{"S", "enter"}, noShutdown},
		{"dialog swallows other keys", nil, []string{"S", "s", "t", "2"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "start")
			mustNotCallPrefix(t, h, "terminate")
			if h.m.dialog == nil || h.m.view != ViewOverview {
				t.Fatal("keys leaked through the dialog")
			}
		}},
		{"reclaim confirm", nil, []string{"r", "y"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustCall(t, h, "reclaim dropcache")
			mustFlash(t, h, flashOK, "dropped 2.0 GiB of page cache")
		}},
		{"reclaim cancel", nil, []string{"r", "esc"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "reclaim")
		}},
		{"kill dialog offers TERM first and KILL apart", nil, []string{"tab", "x"}, func(t *testing.T, h *harness, be *fake.Backend) {
			scr := h.screen()
			if h.m.dialog == nil || !strings.Contains(scr, "SIGTERM: ask it to exit; it can clean up or ignore it") || !strings.Contains(scr, "SIGKILL: end it now; no clean-up, unsaved work lost") {
				t.Fatalf("the dialog does not offer both signals:\n%s", scr)
			}
			if got := h.m.dialog.choices[h.m.dialog.choice()].sig; got != backend.SigTerm {
				t.Fatalf("the highlighted choice is %s, want TERM", got)
			}
		}},
		{"kill confirm sends TERM", nil, []string{"tab", "x", "y"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.countCalls("kill Ubuntu-24.04 ") != 1 || !strings.HasSuffix(h.lastCall("kill "), " TERM") {
				t.Fatalf("calls %v", be.Calls())
			}
			mustFlash(t, h, flashOK, "sent SIGTERM to")
			if len(h.m.procPane.list.items) != 11 {
				t.Fatalf("process list not refreshed: %d", len(h.m.procPane.list.items))
			}
		}},
		{"kill with SIGKILL is its own choice", nil, []string{"tab", "x", "down", "enter"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.countCalls("kill Ubuntu-24.04 ") != 1 || !strings.HasSuffix(h.lastCall("kill "), " KILL") {
				t.Fatalf("calls %v", be.Calls())
			}
			mustFlash(t, h, flashOK, "sent SIGKILL to")
		}},
		{"kill pid 1 is refused before the dialog", func(h *harness, _ *fake.Backend) {
			h.m.procPane.list.items = []backend.Process{{PID: 1, Name: "systemd", User: "root"}, {PID: 7, Name: "bash"}}
		}, []string{"tab", "x"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.dialog != nil {
				t.Fatal("a confirmation was offered for pid 1")
			}
			mustNotCallPrefix(t, h, "kill")
			mustFlash(t, h, flashErr, "terminate the distro instead")
		}},
		{"kill WSL's init is refused before the dialog", func(h *harness, _ *fake.Backend) {
			h.m.procPane.list.items = []backend.Process{{PID: 2, Name: "init-systemd(Ub", User: "root"}, {PID: 7, Name: "bash"}}
		}, []string{"tab", "x"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.dialog != nil {
				t.Fatal("a confirmation was offered for WSL's init")
			}
			mustNotCallPrefix(t, h, "kill")
			mustFlash(t, h, flashErr, "WSL's init")
		}},
		{"kill cancel", nil, []string{"x", "n"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "kill")
		}},
		{"kill needs the process list on screen", nil, []string{"2", "x"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.dialog != nil {
				t.Fatal("kill dialog without a visible process list")
			}
			mustFlash(t, h, flashInfo, "x (kill) works in the processes pane: open overview (1)")
		}},
		{"kill from the processes view", nil, []string{"3", "j", "x", "y"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.countCalls("kill Ubuntu-24.04 ") != 1 {
				t.Fatalf("calls %v", be.Calls())
			}
		}},
		{"filter type and enter", nil, []string{"/", "k", "a", "l", "i", "enter"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.filter.typing() || h.m.distroPane.list.Query() != "kali" || h.m.distroPane.list.Len() != 1 || h.m.selected != "kali-linux" {
				t.Fatalf("filtering=%v value=%q rows=%d selected=%q", h.m.filter.typing(), h.m.distroPane.list.Query(), h.m.distroPane.list.Len(), h.m.selected)
			}
			if s := h.screen(); !strings.Contains(s, "Distros · filter: kali") || !strings.Contains(s, "1 of 6") {
				t.Fatal("kept filter not shown")
			}
		}},
		{"filter keys do not act", nil, []string{"/", "s", "t", "q"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "start")
			if h.quit || h.m.distroPane.list.Query() != "stq" || h.m.distroPane.list.Len() != 0 {
				t.Fatalf("quit=%v value=%q rows=%d", h.quit, h.m.distroPane.list.Query(), h.m.distroPane.list.Len())
			}
		}},
		{"filter esc clears", nil, []string{"/", "d", "e", "b", "esc"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.filter.typing() || h.m.distroPane.list.Query() != "" || h.m.distroPane.list.Len() != 6 {
				t.Fatalf("filtering=%v value=%q rows=%d", h.m.filter.typing(), h.m.distroPane.list.Query(), h.m.distroPane.list.Len())
			}
		}},
		{"filter selects first match and fetches its details", nil, []string{"/", "d", "e", "b", "enter"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.selected != "Debian" || h.m.procPane.of != "Debian" || !h.called("processes Debian") {
				t.Fatalf("selected=%q procsFor=%q", h.m.selected, h.m.procPane.of)
			}
		}},
		{"down moves and fetches details", nil, []string{"j", "down"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.distroPane.list.cur != 2 || h.m.selected != "Debian" || h.m.mountPane.of != "Debian" {
				t.Fatalf("cursor=%d selected=%q", h.m.distroPane.list.cur, h.m.selected)
			}
		}},
		{"up stops at the top", nil, []string{"j", "k", "up", "up"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.distroPane.list.cur != 0 {
				t.Fatalf("cursor=%d", h.m.distroPane.list.cur)
			}
		}},
		{"G and g", nil, []string{"G"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.distroPane.list.cur != 5 {
				t.Fatalf("cursor=%d", h.m.distroPane.list.cur)
			}
			h.key("g")
			if h.m.distroPane.list.cur != 0 {
				t.Fatalf("cursor=%d", h.m.distroPane.list.cur)
			}
		}},
		{"view memory", nil, []string{"2"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.view != ViewMemory || h.m.layout.Rect(PaneMemory).W != 120 || h.m.layout.Visible(PaneProcs) {
				t.Fatalf("view=%v memory=%v", h.m.view, h.m.layout.Rect(PaneMemory))
			}
		}},
		{"view processes", nil, []string{"3"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.view != ViewProcesses || h.m.focus != PaneProcs || h.m.layout.Visible(PaneMemory) {
				t.Fatalf("view=%v focus=%v", h.m.view, h.m.focus)
			}
		}},
		{"view mounts", nil, []string{"4"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.view != ViewMounts || h.m.focus != PaneMounts || !strings.Contains(h.screen(), "/mnt/wslg") {
				t.Fatalf("view=%v focus=%v", h.m.view, h.m.focus)
			}
		}},
		{"view overview", nil, []string{"4", "1"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.view != ViewOverview || h.m.focus != PaneDistros {
				t.Fatalf("view=%v focus=%v", h.m.view, h.m.focus)
			}
		}},
		{"help toggle", nil, []string{"?"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if !h.m.showHelp || !strings.Contains(h.screen(), "Dialogs") {
				t.Fatal("help not shown")
			}
			h.key("?")
			if h.m.showHelp {
				t.Fatal("? did not close help")
			}
			h.key("?")
			h.key("esc")
			if h.m.showHelp {
				t.Fatal("esc did not close help")
			}
		}},
		{"help swallows action keys", nil, []string{"?", "t"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustNotCallPrefix(t, h, "terminate")
		}},
		{"tab cycles focus", nil, []string{"tab"}, func(t *testing.T, h *harness, be *fake.Backend) {
			want := []Pane{PaneProcs, PaneMounts, PaneDistros}
			for i, p := range want {
				if h.m.focus != p {
					t.Fatalf("after %d tabs focus=%v, want %v", i+1, h.m.focus, p)
				}
				h.key("tab")
			}
			h.key("shift+tab")
			if h.m.focus != PaneDistros {
				t.Fatalf("shift+tab: focus=%v", h.m.focus)
			}
		}},
		{"j in the process pane moves the process cursor", nil, []string{"tab", "j", "j"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.procPane.list.cur != 2 || h.m.distroPane.list.cur != 0 {
				t.Fatalf("pCursor=%d cursor=%d", h.m.procPane.list.cur, h.m.distroPane.list.cur)
			}
		}},
		{"sort cycles the process order", nil, []string{"tab", "j", "o"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.procPane.sortBy != byMemory || !strings.Contains(h.screen(), "by memory") {
				t.Fatalf("sortBy=%v", h.m.procPane.sortBy)
			}
			for i := 1; i < len(h.m.procPane.list.items); i++ {
				if h.m.procPane.list.items[i-1].RSSBytes < h.m.procPane.list.items[i].RSSBytes {
					t.Fatalf("not sorted by memory at %d", i)
				}
			}
			h.key("o")
			h.key("o")
			if h.m.procPane.sortBy != byName || h.m.procPane.list.items[0].Name > h.m.procPane.list.items[1].Name {
				t.Fatalf("sortBy=%v first=%q", h.m.procPane.sortBy, h.m.procPane.list.items[0].Name)
			}
			h.tick()
			h.tick()
			h.tick() // a refetch keeps the chosen order
			if h.m.procPane.list.items[0].Name > h.m.procPane.list.items[1].Name {
				t.Fatal("refetch lost the order")
			}
			h.key("o")
			if h.m.procPane.sortBy != byCPU {
				t.Fatalf("sortBy=%v", h.m.procPane.sortBy)
			}
		}},
		{"theme cycles", nil, []string{"T"}, func(t *testing.T, h *harness, be *fake.Backend) {
			if h.m.themeName != "catppuccin-mocha" || h.m.View().BackgroundColor == nil {
				t.Fatalf("theme=%q", h.m.themeName)
			}
			for i := 0; i < 5; i++ {
				h.key("T")
			}
			if h.m.themeName != "default" || h.m.View().BackgroundColor != nil {
				t.Fatalf("theme=%q after a full cycle", h.m.themeName)
			}
		}},
		{"quit", nil, []string{"q"}, quits},
		{"ctrl+c", nil, []string{"ctrl+c"}, quits},
		{"ctrl+c in a dialog", nil, []string{"S", "ctrl+c"}, quits},
		{"ctrl+c while filtering", nil, []string{"/", "ctrl+c"}, quits},
		{"q in help", nil, []string{"?", "q"}, quits},
		{"enter opens a shell", nil, []string{"enter"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustCall(t, h, "shell Ubuntu-24.04")
			if h.execs != 1 {
				t.Fatalf("execs=%d", h.execs)
			}
		}},
		{"shell error is shown", func(_ *harness, be *fake.Backend) {
			be.FailNext(backend.ActShell, &backend.Error{Kind: backend.KindNotFound, Op: "shell", Message: "wsl.exe not found"})
		}, []string{"enter"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustFlash(t, h, flashErr, "wsl.exe not found")
			if h.execs != 0 {
				t.Fatal("exec ran despite the error")
			}
		}},
		{"failed action leaves state and shows the code", func(h *harness, be *fake.Backend) {
			h.selectDistro("kali-linux")
			be.FailNext(backend.ActStart, &backend.Error{Kind: backend.KindFailed, Op: "start", Distro: "kali-linux",
				Message: "Hyper-V is not installed", Code: hcsCode})
		}, []string{"s"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustState(t, h, "kali-linux", backend.StateStopped)
			mustFlash(t, h, flashErr, hcsCode)
			if !strings.Contains(h.screen(), "HCS_E_HYPERV_NOT_INSTALLED") {
				t.Fatal("error code not on screen")
			}
			if len(h.m.pending) != 0 {
				t.Fatal("pending mark left after failure")
			}
		}},
		{"failed shutdown shows the code", func(_ *harness, be *fake.Backend) {
			be.FailNext(backend.ActShutdown, &backend.Error{Kind: backend.KindTimeout, Op: "shutdown", Code: "Wsl/E_TIMEOUT"})
		}, []string{"S", "y"}, func(t *testing.T, h *harness, be *fake.Backend) {
			mustState(t, h, "Ubuntu-24.04", backend.StateRunning)
			mustFlash(t, h, flashErr, "Wsl/E_TIMEOUT")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, be := newFakeHarness(t, 120, 40)
			if tt.setup != nil {
				tt.setup(h, be)
			}
			for _, k := range tt.keys {
				h.key(k)
			}
			tt.check(t, h, be)
		})
	}
}

func noShutdown(t *testing.T, h *harness, be *fake.Backend) {
	t.Helper()
	mustNotCallPrefix(t, h, "shutdown")
	if h.m.dialog != nil {
		t.Fatal("dialog still open")
	}
	mustState(t, h, "Ubuntu-24.04", backend.StateRunning)
}

func quits(t *testing.T, h *harness, be *fake.Backend) {
	t.Helper()
	if !h.quit {
		t.Fatal("did not quit")
	}
}

func mustCall(t *testing.T, h *harness, call string) {
	t.Helper()
	if !h.called(call) {
		t.Fatalf("no call %q in %v", call, h.m.be.(*fake.Backend).Calls())
	}
}

func mustNotCallPrefix(t *testing.T, h *harness, prefix string) {
	t.Helper()
	if n := h.countCalls(prefix); n != 0 {
		t.Fatalf("unexpected %q calls: %v", prefix, h.m.be.(*fake.Backend).Calls())
	}
}

func mustState(t *testing.T, h *harness, name string, s backend.State) {
	t.Helper()
	if got := h.distro(name).State; got != s {
		t.Fatalf("%s is %s, want %s", name, got, s)
	}
}

func mustFlash(t *testing.T, h *harness, k flashKind, sub string) {
	t.Helper()
	if h.m.flash.kind != k || !strings.Contains(h.m.flash.text, sub) {
		t.Fatalf("flash = %+v, want kind %d containing %q", h.m.flash, k, sub)
	}
}

func TestPasteIntoFilter(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.send(tea.PasteMsg{Content: "deb"})
	if h.m.distroPane.list.Query() != "" {
		t.Fatal("paste outside the filter changed it")
	}
	h.key("/")
	h.send(tea.PasteMsg{Content: "deb"})
	if h.m.distroPane.list.Query() != "deb" || h.m.distroPane.list.Len() != 1 || h.m.selected != "Debian" {
		t.Fatalf("value=%q rows=%d selected=%q", h.m.distroPane.list.Query(), h.m.distroPane.list.Len(), h.m.selected)
	}
}

func TestDisabledKeyShowsReason(t *testing.T) {
	be := fake.New()
	caps := be.Capabilities()
	caps[backend.ActStart] = backend.Cannot("the local backend has no distros to start")
	delete(caps, backend.ActReclaim)
	be.SetCaps(caps)
	h := newHarness(t, be, 120, 40)
	h.selectDistro("kali-linux")
	h.key("s")
	mustNotCallPrefix(t, h, "start")
	mustFlash(t, h, flashErr, "no distros to start")
	h.key("r")
	if h.m.dialog != nil {
		t.Fatal("reclaim dialog opened for an unsupported action")
	}
	mustFlash(t, h, flashErr, "not supported")
	h.key("?")
	if !strings.Contains(h.screen(), "no distros to start") {
		t.Fatal("help does not give the reason")
	}
	// The footer still lists the key, dimmed: its style differs from an enabled key's.
	if got := h.m.keyChip(&h.m.keys.Start, false); got == h.m.keyChip(&h.m.keys.Terminate, false) ||
		!strings.Contains(got, "s start") {
		t.Fatalf("disabled chip %q", got)
	}
}

func TestPendingMarkAndSpinner(t *testing.T) {
	h, be := newFakeHarness(t, 120, 40)
	h.selectDistro("kali-linux")
	cmd := h.sendHeld(keyMsg("s"))
	if p, ok := h.m.pending["kali-linux"]; !ok || p.act != backend.ActStart {
		t.Fatalf("pending = %v", h.m.pending)
	}
	if !strings.Contains(h.screen(), "starting…") {
		t.Fatal("no pending mark on the row")
	}
	// A second press while pending does not start a second action.
	if again := h.sendHeld(keyMsg("s")); again != nil {
		t.Fatal("second start while pending returned a command")
	}
	mustFlash(t, h, flashInfo, "still starting")
	frame := h.m.spinFrame
	h.send(spinMsg{})
	if h.m.spinFrame == frame {
		t.Fatal("spinner did not advance")
	}
	h.run(cmd)
	if len(h.m.pending) != 0 || h.countCalls("start") != 1 {
		t.Fatalf("pending=%v calls=%v", h.m.pending, be.Calls())
	}
	h.send(spinMsg{})
	if h.m.spinning {
		t.Fatal("spinner still running with nothing pending")
	}
}

func TestStaleResultsDropped(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	// Two selection changes in a row: the first request's answer arrives last and is dropped.
	first := h.sendHeld(keyMsg("j"))
	firstID := h.m.req.procs
	second := h.sendHeld(keyMsg("j"))
	if h.m.req.procs == firstID {
		t.Fatal("selection change did not supersede the request")
	}
	var firstMsgs, secondMsgs []tea.Msg
	collect := func(c tea.Cmd, into *[]tea.Msg) {
		for _, c := range c().(tea.BatchMsg) {
			*into = append(*into, c())
		}
	}
	collect(first, &firstMsgs)
	collect(second, &secondMsgs)
	for _, m := range secondMsgs {
		h.send(m)
	}
	if h.m.procPane.of != "Debian" {
		t.Fatalf("procsFor=%q", h.m.procPane.of)
	}
	for _, m := range firstMsgs {
		h.send(m)
	}
	if h.m.procPane.of != "Debian" || h.m.mountPane.of != "Debian" {
		t.Fatalf("stale result applied: procsFor=%q mountsFor=%q", h.m.procPane.of, h.m.mountPane.of)
	}

	// A sample answer with a wrong id is dropped.
	n := h.m.hist.Len()
	h.send(sampleMsg{id: 9999, sample: backend.Sample{Time: t0, CPUPercent: backend.Percent(99)}})
	if h.m.hist.Len() != n {
		t.Fatal("stale sample recorded")
	}
	// A distro list with a wrong id is dropped.
	h.send(distrosMsg{id: 9999, distros: nil})
	if len(h.m.distros) != 6 {
		t.Fatal("stale distro list applied")
	}
	// An action result nobody waits for is dropped.
	h.send(actionMsg{id: 9999, key: "kali-linux", act: backend.ActStart, target: "kali-linux"})
	if h.m.flash.kind == flashOK {
		t.Fatal("stale action result shown")
	}
}

func TestRefreshLoop(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	samples := h.countCalls("sample")
	h.tick()
	if h.countCalls("sample") != samples+1 {
		t.Fatalf("tick: samples %d→%d", samples, h.countCalls("sample"))
	}
	// The requests run when the timer fires, not when it is armed.
	calls := len(h.m.be.(*fake.Backend).Calls())
	then := h.takeRefresh()
	if got := len(h.m.be.(*fake.Backend).Calls()); got != calls {
		t.Fatalf("%d backend calls before the refresh fired", got-calls)
	}
	h.run(then)
	// While a sample is out (a slow one, delivered late), the next refresh does not ask again.
	h.takeRefresh()
	h.m.req.sample = 4242
	h.run(h.m.scheduleRefresh())
	samples = h.countCalls("sample")
	h.tick()
	if h.countCalls("sample") != samples {
		t.Fatal("a second sample request was made while one was outstanding")
	}
	h.send(sampleMsg{id: 4242, sample: fake.SampleAt(t0, 1)})
	if h.m.req.sample != 0 {
		t.Fatal("sample request not cleared after its answer")
	}
	h.tick() // armed while the slow one was out
	h.tick()
	if h.countCalls("sample") != samples+1 {
		t.Fatal("no sample asked once the slow one came back")
	}
	// Details are refreshed every few ticks, not every frame.
	procs := h.countCalls("processes")
	for i := 0; i < fetchEvery; i++ {
		h.tick()
	}
	if got := h.countCalls("processes") - procs; got != 1 {
		t.Fatalf("%d process fetches in %d ticks, want 1", got, fetchEvery)
	}
}

// A refresh is one message: every answer in time rides in it; a slow one comes on its own
// later, and nothing is lost or delivered twice.
func TestGatherDeliversEveryAnswerOnce(t *testing.T) {
	release := make(chan struct{})
	fast := func() tea.Msg { return "fast" }
	slow := func() tea.Msg { <-release; return "slow" }
	// All in time: one message with both, no late Cmd.
	msg := gather(t.Context(), time.Hour, fast, fast)().(refreshMsg)
	if len(msg.msgs) != 2 || msg.late != nil {
		t.Fatalf("in time: %+v", msg)
	}
	// The budget runs out while slow is held: gather returns without it.
	msg = gather(t.Context(), 0, fast, slow)().(refreshMsg)
	if msg.late == nil {
		t.Fatal("no late Cmd for the held answer")
	}
	got := map[tea.Msg]int{}
	for _, m := range msg.msgs {
		got[m]++
	}
	close(release)
	var drain func(tea.Msg)
	drain = func(m tea.Msg) {
		if b, ok := m.(tea.BatchMsg); ok {
			for _, c := range b {
				drain(c())
			}
			return
		}
		got[m]++
	}
	drain(msg.late())
	if got["fast"] != 1 || got["slow"] != 1 || len(got) != 2 {
		t.Fatalf("delivered %v, want fast and slow once each", got)
	}
	// A cancelled context ends the wait with no message.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	hold := make(chan struct{})
	defer close(hold)
	if m := gather(ctx, time.Hour, func() tea.Msg { <-hold; return "held" })(); m != nil {
		t.Fatalf("cancelled gather returned %v", m)
	}
}

func TestFlashExpiresByClock(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.key("s") // "already running"
	if h.m.flash.text == "" {
		t.Fatal("no flash")
	}
	h.clock.Advance(flashFor - time.Second - h.m.refresh)
	h.tick()
	if h.m.flash.text == "" {
		t.Fatal("flash expired early")
	}
	h.clock.Advance(2*time.Second - h.m.refresh)
	h.tick()
	if h.m.flash.text != "" {
		t.Fatal("flash did not expire")
	}
}

func TestMouse(t *testing.T) {
	be := fake.New()
	ds, _ := be.Distros(context.Background())
	// The processes clicked below are kali-linux's, then Alpine's: a stopped distro has none.
	ds[3].State, ds[4].State = backend.StateRunning, backend.StateRunning
	be.SetDistros(ds)
	h := newHarness(t, be, 120, 40)
	r := h.m.layout.Rect(PaneDistros)
	h.send(tea.MouseClickMsg{X: r.X + 5, Y: r.Y + 2 + 3, Button: tea.MouseLeft})
	if h.m.distroPane.list.cur != 3 || h.m.selected != "kali-linux" {
		t.Fatalf("click: cursor=%d selected=%q", h.m.distroPane.list.cur, h.m.selected)
	}
	p := h.m.layout.Rect(PaneProcs)
	h.send(tea.MouseClickMsg{X: p.X + 3, Y: p.Y + 4, Button: tea.MouseLeft})
	if h.m.focus != PaneProcs || h.m.procPane.list.cur != 2 {
		t.Fatalf("click procs: focus=%v pCursor=%d", h.m.focus, h.m.procPane.list.cur)
	}
	h.send(tea.MouseWheelMsg{X: r.X + 5, Y: r.Y + 3, Button: tea.MouseWheelDown})
	if h.m.distroPane.list.cur != 4 {
		t.Fatalf("wheel: cursor=%d", h.m.distroPane.list.cur)
	}
	h.send(tea.MouseWheelMsg{X: p.X + 5, Y: p.Y + 3, Button: tea.MouseWheelUp})
	if h.m.procPane.list.cur != 1 {
		t.Fatalf("wheel procs: pCursor=%d", h.m.procPane.list.cur)
	}
}

func TestConfigKeyOverride(t *testing.T) {
	h, be := newFakeHarness(t, 120, 40, withKeys(map[string][]string{"start": {"b"}}))
	h.selectDistro("kali-linux")
	h.key("s")
	mustNotCallPrefix(t, h, "start")
	h.key("b")
	mustCall(t, h, "start kali-linux")
	h.key("?")
	if !strings.Contains(h.screen(), "b  start") {
		t.Fatal("help does not show the rebound key")
	}
	_ = be
}

func TestBackgroundColorRebuildsStyles(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	dark := h.m.styles
	h.send(lightBg)
	if h.m.isDark || h.m.styles == dark || h.m.styles.Palette.Dark {
		t.Fatal("light background did not rebuild the styles")
	}
	// Fixed themes ignore the terminal's background.
	f, _ := newFakeHarness(t, 120, 40, withTheme("nord"))
	before := f.m.styles.Palette
	f.send(lightBg)
	if f.m.styles.Palette != before {
		t.Fatal("nord changed with the terminal background")
	}
}

func TestReclaimMarksTheGraph(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	for i := 0; i < 20; i++ {
		h.tick()
	}
	if strings.Contains(h.screen(), "▼") {
		t.Fatal("marker before any reclaim")
	}
	h.key("r")
	if !strings.Contains(h.screen(), "Reclaim memory?") {
		t.Fatal("no reclaim dialog")
	}
	h.key("y")
	if !strings.Contains(h.screen(), "▼") {
		t.Fatal("no reclaim marker on the memory graph")
	}
}

// The local backend has no distros: the table says so and processes are this machine's.
func TestLocalBackendWithoutDistros(t *testing.T) {
	be := fake.New()
	be.SetDistros(nil)
	be.SetInfo(backend.Info{Backend: "any", Label: "local", Hostname: "devbox", ThisMachine: true})
	h := newHarness(t, be, 120, 40)
	s := h.screen()
	for _, want := range []string{"this machine has no WSL distros", "Processes ─ this machine", "devbox"} {
		if !strings.Contains(s, want) {
			t.Fatalf("screen lacks %q:\n%s", want, s)
		}
	}
	if !h.called("processes ") {
		t.Fatalf("processes not fetched for the local machine: %v", be.Calls())
	}
	h.key("s")
	mustNotCallPrefix(t, h, "start")
	mustFlash(t, h, flashInfo, "no distro selected")
}

func TestSampleErrorShown(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.tick()
	h.m.req.sample = 42
	h.send(sampleMsg{id: 42, err: &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "the VM is not running"}})
	if !strings.Contains(h.screen(), "the VM is not running") {
		t.Fatal("sample error not shown")
	}
}

func TestBadOptions(t *testing.T) {
	if err := Run(t.Context(), Options{}); err == nil {
		t.Fatal("Run without a backend should fail")
	}
	err := Run(t.Context(), Options{Backend: fake.New(), Theme: "neon", Config: DefaultConfig()})
	if err == nil || !strings.Contains(err.Error(), "neon") {
		t.Fatalf("Run with a bad theme: %v", err)
	}
	// New never fails: a bad theme falls back to the default and says so.
	h, _ := newFakeHarness(t, 120, 40, withTheme("neon"))
	if h.m.themeName != "default" {
		t.Fatalf("theme %q", h.m.themeName)
	}
	mustFlash(t, h, flashErr, "neon")
	// A nil backend does not panic either.
	n := newHarness(t, nil, 80, 24)
	if !strings.Contains(n.screen(), "Distros") {
		t.Fatal("no screen with a nil backend")
	}
}

// Capabilities are asked again with every distro list, so a key can become unavailable (or
// available) while the dashboard runs.
func TestCapabilitiesFollowTheBackend(t *testing.T) {
	h, be := newFakeHarness(t, 120, 40)
	caps := be.Capabilities()
	caps[backend.ActTerminate] = backend.Cannot("the VM is being serviced")
	be.SetCaps(caps)
	h.tick() // the list (and the capabilities with it) comes every other tick
	h.tick()
	h.key("t")
	mustNotCallPrefix(t, h, "terminate")
	mustFlash(t, h, flashErr, "being serviced")
}

func TestStoppedDistroDetails(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.send(procsMsg{id: 0, distro: "Debian", procs: nil})
	if len(h.m.procPane.list.items) == 0 {
		t.Fatal("a result nobody asked for (id 0) was applied")
	}
	h.m.req.procs = 77
	h.send(procsMsg{id: 77, distro: "Debian", err: &backend.Error{Kind: backend.KindNotRunning, Op: "processes", Distro: "Debian"}})
	if !strings.Contains(h.screen(), "Debian is not running (s starts it)") {
		t.Fatal("stopped distro not explained")
	}
	// Starting the selected distro fetches its details again.
	h.selectDistro("kali-linux")
	before := h.countCalls("processes kali-linux")
	h.key("s")
	if h.countCalls("processes kali-linux") != before+1 {
		t.Fatal("details not refreshed after starting the selected distro")
	}
}
