package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// clearField empties the focused text field.
func (h *harness) clearField() {
	h.t.Helper()
	for range 200 {
		h.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
}

func TestManageFromTheDashboard(t *testing.T) {
	cases := []struct {
		name  string
		steps func(h *harness)
		check func(t *testing.T, h *harness)
	}{
		{"export runs and ends with its result", func(h *harness) {
			h.selectDistro("Ubuntu-24.04")
			h.key("e")
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if h.m.dialog == nil || !h.m.dialog.d.Finished() {
				t.Fatalf("no finished progress dialog: %+v", h.m.dialog)
			}
			scr := h.screen()
			for _, want := range []string{"exported Ubuntu-24.04 to", ".tar", "demo: nothing was written", "100%", "any key closes"} {
				if !strings.Contains(scr, want) {
					t.Fatalf("screen lacks %q:\n%s", want, scr)
				}
			}
			h.key("x")
			if h.m.dialog != nil || h.m.job != nil {
				t.Fatal("the result does not close")
			}
		}},
		{"the export format sets the extension", func(h *harness) {
			h.selectDistro("Ubuntu-24.04")
			h.key("e")
			h.key("tab")
			h.key("right") // tar.gz
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if s := h.screen(); !strings.Contains(s, ".tar.gz") || strings.Contains(s, ".tar.tar") {
				t.Fatalf("extension not following the format:\n%s", s)
			}
		}},
		{"vhd is not offered for a WSL 1 distro", func(h *harness) {
			h.selectDistro("Ubuntu-18.04")
			h.key("e")
		}, func(t *testing.T, h *harness) {
			if h.m.dialog == nil || !strings.Contains(h.m.dialog.body, "vhd: Ubuntu-18.04 is a WSL 1 distro: it has no disk to export as a vhd") {
				t.Fatalf("no reason for the missing vhd: %+v", h.m.dialog)
			}
		}},
		{"unregister needs the exact name", func(h *harness) {
			h.selectDistro("Debian")
			h.key("U")
			h.typeText("debian")
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if h.m.dialog == nil || h.m.job != nil || !strings.Contains(h.screen(), "exactly") {
				t.Fatalf("a wrong name went through: job %v\n%s", h.m.job, h.screen())
			}
		}},
		{"unregister goes through the trash", func(h *harness) {
			h.selectDistro("Debian")
			h.key("U")
			h.typeText("Debian")
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if s := h.screen(); !strings.Contains(s, "unregistered Debian; its archive is in the trash") {
				t.Fatalf("no trash result:\n%s", s)
			}
			h.key("x")
			h.tick()
			h.tick()
			for _, d := range h.m.distros {
				if d.Name == "Debian" {
					t.Fatal("Debian is still registered")
				}
			}
		}},
		{"unregistering Docker's distro warns", func(h *harness) {
			h.selectDistro("docker-desktop")
			h.key("U")
		}, func(t *testing.T, h *harness) {
			if h.m.dialog == nil || !strings.Contains(h.m.dialog.body, "Docker Desktop") {
				t.Fatalf("no Docker warning: %+v", h.m.dialog)
			}
		}},
		{"the manage menu warns on Docker's distro", func(h *harness) {
			h.selectDistro("docker-desktop")
			h.key("m")
		}, func(t *testing.T, h *harness) {
			if h.m.dialog == nil || !strings.Contains(h.m.dialog.body, "breaks Docker Desktop") {
				t.Fatalf("no Docker warning: %+v", h.m.dialog)
			}
		}},
		{"clone refuses a taken name", func(h *harness) {
			h.selectDistro("Debian")
			h.key("c")
			h.clearField()
			h.typeText("kali-linux")
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if h.m.job != nil || !strings.Contains(h.screen(), "a distro named kali-linux already exists") {
				t.Fatalf("taken name accepted:\n%s", h.screen())
			}
		}},
		// The rename dialog asks backend.CheckNewName: WSL's characters, and not the name it has.
		{"rename says which character WSL refuses", func(h *harness) {
			h.selectDistro("Debian")
			h.key("m")
			for range 5 {
				h.key("down")
			}
			h.key("enter")
			h.clearField()
			h.typeText("Debian/12")
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if h.m.job != nil || !strings.Contains(h.screen(), "'/' is not allowed in a distro name") {
				t.Fatalf("bad name accepted:\n%s", h.screen())
			}
		}},
		{"rename to the name it has is refused", func(h *harness) {
			h.selectDistro("Debian")
			h.key("m")
			for range 5 {
				h.key("down")
			}
			h.key("enter")
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if h.m.job != nil || !strings.Contains(h.screen(), "it is already called Debian") {
				t.Fatalf("unchanged name accepted:\n%s", h.screen())
			}
		}},
		{"the disk entries say why a WSL 1 distro has none", func(h *harness) {
			h.selectDistro("Ubuntu-18.04")
			h.key("m")
		}, func(t *testing.T, h *harness) {
			if s := h.screen(); !strings.Contains(s, "a WSL 1 distro has no virtual disk to move") {
				t.Fatalf("move not disabled for a WSL 1 distro:\n%s", s)
			}
		}},
		{"the manage menu renames a stopped distro", func(h *harness) {
			h.selectDistro("Debian")
			h.key("m")
			for range 5 { // move, resize, sparse, default user, compact, rename
				h.key("down")
			}
			h.key("enter")
			h.clearField()
			h.typeText("Debian-12")
			h.key("enter")
		}, func(t *testing.T, h *harness) {
			if s := h.screen(); !strings.Contains(s, "renamed Debian to Debian-12") {
				t.Fatalf("no rename result:\n%s", s)
			}
		}},
		{"rename is disabled while it runs", func(h *harness) {
			h.selectDistro("Ubuntu-24.04")
			h.key("m")
		}, func(t *testing.T, h *harness) {
			if s := h.screen(); !strings.Contains(s, "stop it first (t)") || strings.Contains(s, "wsldash terminate") {
				t.Fatalf("rename not disabled for a running distro:\n%s", s)
			}
		}},
		{"compact says what needs elevation", func(h *harness) {
			h.selectDistro("kali-linux")
			h.key("m")
			for range 4 {
				h.key("down")
			}
			h.key("enter") // compact
			h.key("enter") // elevated
		}, func(t *testing.T, h *harness) {
			s := h.m.flash.text // the whole result (the dialog wraps it)
			for _, want := range []string{"kali-linux's disk:", "before", "after", "elevated prompt (admin)"} {
				if !strings.Contains(s, want) {
					t.Fatalf("compact result lacks %q:\n%s", want, s)
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newCLIDemoHarness(t, 120, 40)
			c.steps(h)
			c.check(t, h)
		})
	}
}

// The manage menu shows an entry the installed WSL is too old for as disabled, with the version
// it needs; the footer and help dim its key likewise.
func TestManageMenuShowsTheVersionNeeded(t *testing.T) {
	be := &managingFake{Backend: fake.New()}
	caps := backend.Capabilities{}
	for _, a := range []backend.Action{backend.ActStart, backend.ActTerminate, backend.ActExport, backend.ActClone,
		backend.ActUnregister, backend.ActResize, backend.ActSparse, backend.ActSetUser, backend.ActCompact, backend.ActRename} {
		caps[a] = backend.Can()
	}
	caps[backend.ActMove] = backend.Cannot("needs WSL 2.5.0 or newer (wsl --update); WSL 2.4.13 is installed")
	caps[backend.ActExportFormat] = backend.Cannot("needs WSL 2.5.8 or newer (wsl --update)")
	be.SetCaps(caps)
	h := newHarness(t, be, 120, 40)
	h.key("m")
	if s := h.screen(); !strings.Contains(s, "needs WSL 2.5.0 or newer") {
		t.Fatalf("move not shown disabled with its version:\n%s", s)
	}
	h.key("enter") // the cursor starts on the first enabled entry: resize
	if h.m.dialog == nil || !strings.Contains(h.m.dialog.title, "Resize") {
		t.Fatalf("enter on the menu did not skip the disabled move: %+v", h.m.dialog)
	}
	h.key("esc")
	h.key("e")
	if s := h.screen(); !strings.Contains(s, "tar.gz, tar.xz: needs WSL 2.5.8") {
		t.Fatalf("compressed formats offered on an old WSL:\n%s", s)
	}
}

// A job cancelled from its progress dialog cancels the backend's context, waits for it to
// clean up, and shows that; the dashboard keeps taking refreshes meanwhile.
func TestExportCancel(t *testing.T) {
	h, dir, msgs := startBlockedExport(t)
	if s := h.screen(); !strings.Contains(s, "4.0 KiB") || !strings.Contains(s, "Exporting") {
		t.Fatalf("no progress shown:\n%s", s)
	}
	h.tick() // the dashboard stays live, and the dialog's time runs with its refreshes
	if s := h.screen(); !strings.Contains(s, "elapsed 1s") {
		t.Fatalf("elapsed time not moving with the refresh:\n%s", s)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.tar")); err != nil {
		t.Fatalf("the partial file should exist while it runs: %v", err)
	}
	h.key("esc")
	h.key("esc") // yes, cancel
	if s := h.screen(); !strings.Contains(s, "Cancelling") || !strings.Contains(s, "4.0 KiB") {
		t.Fatalf("no cancelling dialog with the last figures:\n%s", s)
	}
	h.send(jobEnd(t, h, msgs))
	if s := h.screen(); !strings.Contains(s, "cancelled") {
		t.Fatalf("no cancel result:\n%s", s)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.tar")); !os.IsNotExist(err) {
		t.Fatalf("partial file left: %v", err)
	}
	if h.m.job != nil || len(h.m.pending) != 0 {
		t.Fatalf("job %v pending %v after the end", h.m.job, h.m.pending)
	}
}

// startBlockedExport starts an export to dir/out.tar on a backend whose export writes 4 KiB and
// then waits for its context, running the job's Cmds concurrently as a Program would, and
// returns once the dashboard has shown that first figure; msgs delivers the job's messages.
func startBlockedExport(t *testing.T) (h *harness, dir string, msgs chan tea.Msg) {
	t.Helper()
	be := &managingFake{Backend: fake.New(), block: make(chan struct{})}
	be.SetCaps(backend.Capabilities{backend.ActExport: backend.Can()})
	h = newHarness(t, be, 120, 40)
	dir = t.TempDir()
	h.key("e")
	h.clearField()
	h.typeText(filepath.Join(dir, "out.tar"))
	nm, cmd := h.m.Update(keyMsg("enter"))
	h.m = nm.(Model)
	msgs = runConcurrently(cmd)
	for p := (jobProgressMsg{}); p.done != 4096; { // up to the export's first figure
		msg := <-msgs
		var ok bool
		if p, ok = msg.(jobProgressMsg); !ok {
			t.Fatalf("want progress, got %#v", msg)
		}
		var next tea.Cmd
		h.m, next = sendOnly(h.m, p)
		runInto(msgs, next) // the job's next wait
	}
	return h, dir, msgs
}

// jobEnd is the job's end from msgs, past any progress figure still on its way (a figure can be
// delivered twice when the feed's wake-up races its update; Update takes it as the same).
func jobEnd(t *testing.T, h *harness, msgs chan tea.Msg) jobDoneMsg {
	t.Helper()
	for {
		switch msg := (<-msgs).(type) {
		case jobDoneMsg:
			return msg
		case jobProgressMsg:
			var next tea.Cmd
			h.m, next = sendOnly(h.m, msg)
			runInto(msgs, next) // the job's next wait
		default:
			t.Fatalf("want the job's end, got %#v", msg)
		}
	}
}

// sendOnly applies msg without running what it returns (the job's next wait runs concurrently
// in a real Program; here the test reads the channel itself).
func sendOnly(m Model, msg tea.Msg) (Model, tea.Cmd) {
	nm, cmd := m.Update(msg)
	return nm.(Model), cmd
}

// runConcurrently runs cmd (and the Cmds of a batch) each in its own goroutine and delivers
// their messages, as a Program does.
func runConcurrently(cmd tea.Cmd) chan tea.Msg {
	out := make(chan tea.Msg, 16)
	runInto(out, cmd)
	return out
}

func runInto(out chan tea.Msg, cmd tea.Cmd) {
	var run func(c tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		go func() {
			switch msg := c().(type) {
			case nil, armedMsg:
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
			default:
				out <- msg
			}
		}()
	}
	run(cmd)
}

// managingFake is the fake backend with an Archiver and a Manager whose export writes a
// partial file, reports 4 KiB, then waits for block or its context (removing the file when
// cancelled, as the wsl backend does).
type managingFake struct {
	*fake.Backend
	block chan struct{}
}

func (b *managingFake) Export(ctx context.Context, name, file string, f backend.Format, progress func(int64)) error {
	if err := os.WriteFile(file, make([]byte, 4096), 0o600); err != nil {
		return err
	}
	progress(4096)
	select {
	case <-b.block:
		return nil
	case <-ctx.Done():
		os.Remove(file)
		return &backend.Error{Kind: backend.KindFailed, Op: "export", Distro: name, Message: "cancelled; the partial file was removed", Err: ctx.Err()}
	}
}
func (b *managingFake) Import(context.Context, string, string, string, int) error { return nil }
func (b *managingFake) Clone(context.Context, string, string, string, backend.Format, func(int64)) error {
	return nil
}
func (b *managingFake) Trash(context.Context, string, func(int64)) (backend.TrashEntry, error) {
	return backend.TrashEntry{}, nil
}
func (b *managingFake) TrashList() ([]backend.TrashEntry, error)   { return nil, nil }
func (b *managingFake) TrashRestore(context.Context, string) error { return nil }
func (b *managingFake) TrashPurge(string) error                    { return nil }
func (b *managingFake) RestoreDir(name string) (string, error)     { return "", nil }
func (b *managingFake) OnlineDistros(context.Context) ([]backend.OnlineDistro, error) {
	return nil, nil
}
func (b *managingFake) Install(context.Context, backend.InstallOptions, func(backend.InstallProgress)) (backend.InstallResult, error) {
	return backend.InstallResult{}, nil
}
func (b *managingFake) Move(context.Context, string, string) (backend.MoveResult, error) {
	return backend.MoveResult{}, nil
}
func (b *managingFake) Resize(context.Context, string, string) error         { return nil }
func (b *managingFake) SetSparse(context.Context, string, bool, bool) error  { return nil }
func (b *managingFake) SetDefaultUser(context.Context, string, string) error { return nil }
func (b *managingFake) Compact(context.Context, string, backend.CompactOptions) (backend.CompactResult, error) {
	return backend.CompactResult{}, nil
}
func (b *managingFake) Rename(context.Context, string, string) (backend.RenameResult, error) {
	return backend.RenameResult{}, nil
}

var (
	_ backend.Archiver = (*managingFake)(nil)
	_ backend.Manager  = (*managingFake)(nil)
)

// ctrl+c while a job runs cancels it and quits only once the backend has cleaned up, so that no
// wsl.exe is orphaned and no partial file is left; a second ctrl+c quits at once.
func TestQuitDuringAJobCancelsItFirst(t *testing.T) {
	h, dir, msgs := startBlockedExport(t)
	h.key("ctrl+c")
	if h.quit || h.m.job == nil {
		t.Fatalf("quit %v with the job still cleaning up", h.quit)
	}
	h.send(jobEnd(t, h, msgs))
	if !h.quit {
		t.Fatal("did not quit once the job ended")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.tar")); !os.IsNotExist(err) {
		t.Fatalf("partial file left: %v", err)
	}
}

// The job feed delivers only what is new: a wake-up for figures already sent brings nothing
// (next waits on), and the end carries the last figures.
func TestJobFeedSendsOnlyNews(t *testing.T) {
	f := newJobFeed()
	f.progress(5)
	if msg, ok := f.take(1); !ok || msg != (jobProgressMsg{id: 1, done: 5}) {
		t.Fatalf("first %#v %v", msg, ok)
	}
	f.progress(5) // the same figure again
	if msg, ok := f.take(1); ok {
		t.Fatalf("a repeated figure was delivered: %#v", msg)
	}
	f.setTotal(9)
	if msg, ok := f.take(1); !ok || msg != (jobProgressMsg{id: 1, done: 5, total: 9}) {
		t.Fatalf("a new total not delivered: %#v %v", msg, ok)
	}
	f.finish(jobDoneMsg{id: 1, text: "ok"})
	if msg, ok := f.next(1).(jobDoneMsg); !ok || msg.text != "ok" || msg.done != 5 || msg.total != 9 {
		t.Fatalf("want the end with the last figures, got %#v", msg)
	}
}

// The export and import dialogs suggest the backend's home: on the demo its simulated Windows
// profile with Windows separators, never the Linux home of whoever runs the demo.
func TestExportSuggestsTheBackendsHome(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	h.key("e")
	if s := h.screen(); !strings.Contains(s, `C:\Users\dev\Ubuntu-24.04-20261125.tar`) {
		t.Fatalf("the export dialog does not suggest the demo's profile:\n%s", s)
	}
	for _, tc := range []struct{ dir, want string }{
		{`C:\Users\dev`, `C:\Users\dev\x`}, {`C:\Users\dev\`, `C:\Users\dev\x`}, {"/home/dev", "/home/dev/x"},
	} {
		if got := inDir(tc.dir, "x"); got != tc.want {
			t.Errorf("inDir(%q) = %q, want %q", tc.dir, got, tc.want)
		}
	}
}
