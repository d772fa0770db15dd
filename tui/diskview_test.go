package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

func newViewsHarness(t testing.TB, w, h int) (*harness, *fake.Views) {
	be := fake.NewViews()
	return newHarness(t, be, w, h), be
}

func viewsCalls(v *fake.Views, prefix string) int {
	n := 0
	for _, c := range v.Calls() {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// paneText is the text of pane p on screen.
func (h *harness) paneText(p Pane) string {
	r := h.m.layout.Rect(p)
	lines := strings.Split(h.screen(), "\n")
	var out []string
	for y := r.Y; y < r.Y+r.H && y < len(lines); y++ {
		out = append(out, ansi.Cut(lines[y], r.X, r.X+r.W))
	}
	return strings.Join(out, "\n")
}

// rowOf is the screen line of pane p that contains s ("" when none).
func (h *harness) rowOf(p Pane, s string) string {
	for _, l := range strings.Split(h.paneText(p), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestGoldenDisksAndCatalogue pins views 8 and 9 on the demo at 120x40, light and dark, with
// one distro in the trash; smaller sizes must still fill the frame exactly.
func TestGoldenDisksAndCatalogue(t *testing.T) {
	for _, v := range []string{"8", "9"} {
		for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 15}} {
			for _, dark := range []bool{true, false} {
				mode := map[bool]string{true: "dark", false: "light"}[dark]
				t.Run(fmt.Sprintf("view%s/%dx%d/%s", v, size[0], size[1], mode), func(t *testing.T) {
					h := newDemoHarness(t, size[0], size[1])
					if _, err := h.m.be.(backend.Archiver).Trash(context.Background(), "Debian", nil); err != nil {
						t.Fatal(err)
					}
					h.run(h.m.refreshList())
					h.send(bgMsg(dark))
					h.key(v)
					out := h.m.View().Content
					assertFrame(t, out, size[0], size[1])
					if size[0] == 120 {
						golden.RequireEqual(t, ansi.Strip(out))
					}
				})
			}
		}
	}
}

// The disks table: every distro, what is unknown is "—" with the reason, Docker's says so, a
// failed look is that row's note; the advice names the elevation; the trash lists its entry.
func TestDisksViewRows(t *testing.T) {
	h, be := newViewsHarness(t, 140, 40)
	be.FailDisk("kali-linux", &backend.Error{Kind: backend.KindFailed, Op: "df", Message: "df timed out"})
	h.key("8")
	if h.m.view != ViewDisks || h.m.focus != PaneDisks {
		t.Fatalf("view %v focus %v", h.m.view, h.m.focus)
	}
	tests := []struct {
		name string
		want []string // in the row, in order
		not  []string
	}{
		{"Ubuntu-24.04", []string{"Running", "9.0 GiB", "3.0 GiB", "6.0 GiB"}, []string{"—"}},
		{"docker-desktop", []string{"Running", "3.0 GiB", "Docker Desktop's"}, nil},
		{"Debian", []string{"Stopped", "2.0 GiB", "—", "—", "—", "stopped: start it to look inside"}, []string{"0 B"}},
		{"kali-linux", []string{"—", "df timed out"}, []string{"0 B"}},
		{"Alpine", []string{"—", "WSL 1: no virtual disk"}, []string{"0 B"}},
		{"openSUSE-Tumbleweed", []string{"Installing", "—", "installing: not running"}, []string{"0 B"}},
	}
	for _, tt := range tests {
		row := h.rowOf(PaneDisks, tt.name)
		if row == "" {
			t.Errorf("no row for %s:\n%s", tt.name, h.paneText(PaneDisks))
			continue
		}
		rest := row[strings.Index(row, tt.name)+len(tt.name):]
		for _, w := range tt.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%s: %q missing (in order) in %q", tt.name, w, row)
				break
			}
			rest = rest[i+len(w):]
		}
		for _, n := range tt.not {
			if strings.Contains(row, n) {
				t.Errorf("%s: %q in %q", tt.name, n, row)
			}
		}
	}
	if a := h.paneText(PaneAdvice); !strings.Contains(a, "elevated prompt") || !strings.Contains(a, "needs admin") {
		t.Errorf("the advice does not say what needs elevation:\n%s", a)
	}
	if r := h.rowOf(PaneTrash, "Fedora"); !strings.Contains(r, "700 MiB") || !strings.Contains(r, "trashed") {
		t.Errorf("trash row: %q", r)
	}
}

// The disks are asked for once per open and every fetchEvery refreshes while the view is open,
// never while it is closed; a backend without disks says so in the table.
func TestDisksFetchedOnlyWhileOpen(t *testing.T) {
	h, be := newViewsHarness(t, 120, 40)
	for range 2 * fetchEvery {
		h.tick()
	}
	if n := viewsCalls(be, "disk "); n != 0 {
		t.Fatalf("%d disk looks with the view closed", n)
	}
	h.key("8")
	if n := viewsCalls(be, "disk "); n != 6 {
		t.Fatalf("opening the view looked at %d disks, want 6 (one per distro)", n)
	}
	for range fetchEvery {
		h.tick()
	}
	if n := viewsCalls(be, "disk "); n != 12 {
		t.Fatalf("after %d refreshes: %d looks, want 12", fetchEvery, n)
	}
	h.key("1")
	for range 2 * fetchEvery {
		h.tick()
	}
	if n := viewsCalls(be, "disk "); n != 12 {
		t.Fatalf("looks went on with the view closed: %d", n)
	}

	plain, _ := newFakeHarness(t, 120, 40)
	plain.key("8")
	if s := plain.paneText(PaneDisks); !strings.Contains(s, "this backend cannot measure disks") {
		t.Errorf("no note for a backend without disks:\n%s", s)
	}
	if s := plain.paneText(PaneTrash); !strings.Contains(s, "this backend has no trash") {
		t.Errorf("no note for a backend without a trash:\n%s", s)
	}
}

// Moving the disks cursor moves the dashboard's selection (and the distros pane's cursor);
// opening the view puts the cursor on the selected distro.
func TestDisksCursorMovesSelection(t *testing.T) {
	h, _ := newViewsHarness(t, 120, 40)
	h.selectDistro("Debian")
	h.key("8")
	if u, _ := h.m.disk.disks.list.Selected(); u == nil || u.Distro != "Debian" {
		t.Fatalf("the disks cursor did not open on the selection: %+v", u)
	}
	h.key("j")
	u, _ := h.m.disk.disks.list.Selected()
	if h.m.selected != u.Distro || h.m.distroPane.selectedName() != u.Distro || u.Distro != "kali-linux" {
		t.Fatalf("disk cursor on %s, selection %q, distros cursor %q", u.Distro, h.m.selected, h.m.distroPane.selectedName())
	}
	if !strings.Contains(h.paneText(PaneAdvice), "kali-linux") {
		t.Errorf("the advice is not for the selected disk:\n%s", h.paneText(PaneAdvice))
	}
	h.key("k")
	if h.m.selected != "Debian" {
		t.Fatalf("selection %q after k", h.m.selected)
	}
}

// The trash keys, table-driven, on the trash pane: restore confirms where it goes, purge needs
// the typed name, and each refuses what it cannot do; on the disks pane they say where they work.
func TestTrashKeys(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(be *fake.Views)
		keys    []string // "~text" types text
		calls   []string // recorded calls wanted
		noCall  string   // a call that must not happen
		screen  string   // on screen at the end
		flash   string   // in the status line at the end
		inTrash bool     // Fedora is still in the trash
		disks   bool     // the keys are pressed with the disks pane in focus, not the trash
	}{
		{name: "restore", keys: []string{"u", "y", "enter"}, calls: []string{"restore Fedora"},
			flash: `restored Fedora into C:\wsldash\distros\Fedora`},
		{name: "restore says where", keys: []string{"u"}, screen: `C:\wsldash\distros\Fedora`, noCall: "restore", inTrash: true},
		{name: "restore cancelled", keys: []string{"u", "n"}, noCall: "restore", inTrash: true},
		{name: "restore from the disks pane", disks: true, keys: []string{"u"}, noCall: "restore", inTrash: true,
			flash: "u (restore from the trash) works in the trash pane: tab to it"},
		{name: "purge from the disks pane", disks: true, keys: []string{"P"}, noCall: "purge", inTrash: true,
			flash: "P (purge from the trash) works in the trash pane: tab to it"},
		{name: "purge", keys: []string{"P", "~Fedora", "enter", "enter"}, calls: []string{"purge Fedora"},
			flash: "purged Fedora from the trash for good"},
		{name: "purge needs the name", keys: []string{"P", "~Fedor", "enter"}, noCall: "purge", inTrash: true, screen: "Purge Fedora"},
		{name: "incomplete entry", setup: func(be *fake.Views) {
			be.SetTrash([]backend.TrashEntry{{Name: "Fedora", State: backend.TrashExporting}})
		}, keys: []string{"u"}, noCall: "restore", inTrash: true, flash: "not restorable"},
		{name: "name registered", setup: func(be *fake.Views) {
			be.SetTrash([]backend.TrashEntry{{Name: "Debian", State: backend.TrashDone}})
		}, keys: []string{"u"}, noCall: "restore", flash: "a distro of that name is registered"},
		{name: "unsupported", setup: func(be *fake.Views) {
			be.SetCaps(backend.Capabilities{backend.ActUnregister: backend.Cannot("needs WSL 2.5")})
		}, keys: []string{"u"}, noCall: "restore", inTrash: true, flash: "needs WSL 2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, be := newViewsHarness(t, 120, 40)
			if tt.setup != nil {
				tt.setup(be)
				h.run(h.m.refreshList())
			}
			h.key("8")
			if !tt.disks {
				h.key("tab")
			}
			for _, k := range tt.keys {
				if txt, ok := strings.CutPrefix(k, "~"); ok {
					h.typeText(txt)
				} else {
					h.key(k)
				}
			}
			for _, c := range tt.calls {
				if viewsCalls(be, c) != 1 {
					t.Errorf("call %q: %d times (calls %v)", c, viewsCalls(be, c), be.Calls())
				}
			}
			if tt.noCall != "" && viewsCalls(be, tt.noCall) != 0 {
				t.Errorf("unwanted call %q", tt.noCall)
			}
			s := h.screen()
			if tt.screen != "" && !strings.Contains(s, tt.screen) {
				t.Errorf("%q not on screen:\n%s", tt.screen, s)
			}
			if tt.flash != "" && !strings.Contains(h.m.flash.text, tt.flash) {
				t.Errorf("flash %q, want %q", h.m.flash.text, tt.flash)
			}
			has := strings.Contains(h.paneText(PaneTrash), "Fedora")
			if h.m.dialog == nil && has != tt.inTrash {
				t.Errorf("Fedora in the trash pane: %v, want %v (re-read after the job?)\n%s", has, tt.inTrash, h.paneText(PaneTrash))
			}
			if tt.name == "restore" && !h.m.registered("Fedora") {
				t.Error("the restored distro is not in the list")
			}
			if tt.name == "restore" {
				if h.rowOf(PaneDisks, "Fedora") == "" {
					t.Errorf("the restored distro has no disk row:\n%s", h.paneText(PaneDisks))
				}
			}
		})
	}
}

// The catalogue, table-driven: rows with "installed", i on an installed row, the form and its
// options, a refused name, a failed install, a failed fetch (the note, not fatal).
func TestCatalogue(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(be *fake.Views)
		keys   []string
		call   string // the install call wanted ("" = none must happen)
		screen []string
		flash  string
	}{
		{name: "rows", screen: []string{"Ubuntu", "Fedora Linux 42", "Debian GNU/Linux", "installed", "3 distros · 1 installed"}},
		{name: "already installed", keys: []string{"j", "i"}, flash: "Debian is already installed"},
		{name: "install", keys: []string{"i", "enter", "enter"}, call: "install Ubuntu name=Ubuntu location= web=false",
			flash: "installed Ubuntu. open its shell to create its user", screen: []string{"3 distros · 2 installed"}},
		{name: "install with options", keys: []string{"i", "~2", "tab", `~D:\wsl\u2`, "tab", "right", "enter", "enter"},
			call: `install Ubuntu name=Ubuntu2 location=D:\wsl\u2 web=true`, flash: "installed Ubuntu2 from Ubuntu"},
		{name: "name taken", keys: []string{"i", "~-24.04", "enter"}, screen: []string{"a distro named Ubuntu-24.04 already exists"}},
		{name: "install fails", setup: func(be *fake.Views) {
			be.FailInstall(&backend.Error{Kind: backend.KindFailed, Op: "install", Message: "the Store is unreachable"})
		}, keys: []string{"i", "enter", "enter"}, call: "install Ubuntu name=Ubuntu location= web=false", flash: "the Store is unreachable",
			screen: []string{"3 distros · 1 installed"}},
		{name: "fetch fails", setup: func(be *fake.Views) {
			be.FailCatalogue(&backend.Error{Kind: backend.KindFailed, Op: "install --list", Message: "could not download the manifest"})
		}, keys: []string{"i"}, screen: []string{"could not download the manifest", "could not fetch the catalogue"}, flash: "no catalogue entry selected"},
		{name: "unsupported", setup: func(be *fake.Views) {
			be.SetCaps(backend.Capabilities{backend.ActInstall: backend.Cannot("needs WSL 2.4.4")})
		}, keys: []string{"i"}, flash: "needs WSL 2.4.4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, be := newViewsHarness(t, 120, 40)
			if tt.setup != nil {
				tt.setup(be)
				h.run(h.m.refreshList())
			}
			h.key("9")
			if h.m.view != ViewCatalog || h.m.focus != PaneCatalog {
				t.Fatalf("view %v focus %v", h.m.view, h.m.focus)
			}
			for _, k := range tt.keys {
				switch {
				case strings.HasPrefix(k, "~"):
					h.typeText(k[1:])
				case k == "right":
					h.send(tea.KeyPressMsg{Code: tea.KeyRight})
				default:
					h.key(k)
				}
			}
			n := viewsCalls(be, "install ")
			if tt.call == "" && n != 0 {
				t.Errorf("unwanted install: %v", be.Calls())
			}
			if tt.call != "" && viewsCalls(be, tt.call) != 1 {
				t.Errorf("want call %q, calls %v", tt.call, be.Calls())
			}
			s := h.screen()
			for _, w := range tt.screen {
				if !strings.Contains(s, w) {
					t.Errorf("%q not on screen:\n%s", w, s)
				}
			}
			if tt.flash != "" && !strings.Contains(h.m.flash.text, tt.flash) {
				t.Errorf("flash %q, want %q", h.m.flash.text, tt.flash)
			}
			h.key("esc") // close what is open
			h.key("1")
			if h.m.view != ViewOverview {
				t.Error("the dashboard does not go on after the catalogue")
			}
		})
	}
}

// The catalogue is fetched on each open and not refreshed meanwhile; without a Manager the
// table says so.
func TestCatalogueFetchedOnOpen(t *testing.T) {
	h, be := newViewsHarness(t, 120, 40)
	h.key("9")
	for range 2 * fetchEvery {
		h.tick()
	}
	if n := viewsCalls(be, "catalogue"); n != 1 {
		t.Fatalf("%d fetches while open, want 1", n)
	}
	h.key("1")
	h.key("9")
	if n := viewsCalls(be, "catalogue"); n != 2 {
		t.Fatalf("%d fetches after reopening, want 2", n)
	}
	plain, _ := newFakeHarness(t, 120, 40)
	plain.key("9")
	if s := plain.screen(); !strings.Contains(s, "this backend has no online catalogue") {
		t.Errorf("no note without a Manager:\n%s", s)
	}
}

// A running install shows wsl.exe's phase and the time elapsed in its progress dialog, and no
// byte counts (there are none); a report for another job is dropped.
func TestInstallShowsPhase(t *testing.T) {
	h, _ := newViewsHarness(t, 120, 40)
	h.key("9")
	h.key("i")
	_ = h.sendHeld(keyMsg("enter")) // the job's Cmds are held: it is "running"
	if h.m.job == nil || h.m.dialog == nil || h.m.dialog.job != h.m.job.id {
		t.Fatal("no install job with its progress dialog")
	}
	id := h.m.job.id
	h.clock.Advance(7_000_000_000)
	_ = h.sendHeld(jobProgressMsg{id: id, phase: "Downloading: Ubuntu"})
	s := h.screen()
	for _, w := range []string{"Install Ubuntu", "Downloading: Ubuntu", "elapsed 7s"} {
		if !strings.Contains(s, w) {
			t.Errorf("%q not in the dialog:\n%s", w, s)
		}
	}
	if strings.Contains(s, "so far") || strings.Contains(s, "0 B") || strings.Contains(s, "time left") {
		t.Errorf("the install dialog counts bytes it does not have:\n%s", s)
	}
	_ = h.sendHeld(jobProgressMsg{id: id + 100, phase: "Installing: Other"})
	if strings.Contains(h.screen(), "Installing: Other") {
		t.Error("another job's report was shown")
	}
	h.m.job.cancel()
}

// A disk row whose distro the distros filter hides cannot become the selection: the status
// line says which distro the keys still act on.
func TestDisksCursorUnderFilter(t *testing.T) {
	h, _ := newViewsHarness(t, 120, 40)
	h.key("/")
	h.typeText("Deb")
	h.key("enter")
	if h.m.selected != "Debian" || h.m.distroPane.list.Len() != 1 {
		t.Fatalf("filter: selected %q, %d rows", h.m.selected, h.m.distroPane.list.Len())
	}
	h.key("8")
	h.key("j")
	if u, _ := h.m.disk.disks.list.Selected(); u == nil || u.Distro != "kali-linux" {
		t.Fatalf("disk cursor on %+v", u)
	}
	if h.m.selected != "Debian" || !strings.Contains(h.m.flash.text, "kali-linux is hidden by the distros filter: the distro keys act on Debian") {
		t.Fatalf("selected %q, flash %q", h.m.selected, h.m.flash.text)
	}
}
