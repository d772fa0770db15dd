package wsl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/procfs"
	"github.com/wsldash/wsldash/backend/winhost"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

func TestDistrosQuirks(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*fakewsltest.State)
		host   HostSource
		check  func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake)
	}{
		{name: "store utf8", check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			u, _ := byName(ds, "Ubuntu")
			d, _ := byName(ds, "Debian")
			if len(ds) != 2 || !u.Default || u.State != backend.StateRunning || d.Version != 1 || d.Default {
				t.Fatalf("distros %+v", ds)
			}
		}},
		{name: "inbox utf16 ignores WSL_UTF8", mutate: func(s *fakewsltest.State) { s.Inbox = true }, check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			if len(ds) != 2 || !ds[0].Default {
				t.Fatalf("distros %+v", ds)
			}
		}},
		{name: "inbox crcrlf", mutate: func(s *fakewsltest.State) { s.Inbox, s.CRCRLF = true, true }, check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			if len(ds) != 2 || ds[1].Name != "Debian" {
				t.Fatalf("distros %+v", ds)
			}
		}},
		{name: "missing marker falls back to --status", mutate: func(s *fakewsltest.State) { s.NoMarker, s.Inbox = true, true; s.Default = "Debian" },
			check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
				d, _ := byName(ds, "Debian")
				u, _ := byName(ds, "Ubuntu")
				if !d.Default || u.Default {
					t.Fatalf("default not found via --status: %+v", ds)
				}
				if f.Count("--status") != 1 {
					t.Fatalf("--status calls %d, want 1", f.Count("--status"))
				}
			}},
		{name: "missing marker, registry knows", mutate: func(s *fakewsltest.State) { s.NoMarker = true },
			host: &fakeHost{regs: []winhost.Registration{
				{Name: "ubuntu", BasePath: `C:\wsl\ubuntu`, Flags: 0xF, Default: true},
				{Name: "Debian", BasePath: `C:\wsl\debian`, Flags: 0x7},
			}, disk: map[string]int64{`C:\wsl\ubuntu\ext4.vhdx`: 4 << 30}},
			check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
				u, _ := byName(ds, "Ubuntu")
				d, _ := byName(ds, "Debian")
				if !u.Default || u.BasePath != `C:\wsl\ubuntu` || u.DiskPath != `C:\wsl\ubuntu\ext4.vhdx` || u.DiskBytes != 4<<30 {
					t.Fatalf("Ubuntu not enriched: %+v", u)
				}
				if d.DiskPath != "" || d.BasePath != `C:\wsl\debian` {
					t.Fatalf("WSL 1 Debian has a disk: %+v", d)
				}
				if f.Count("--status") != 0 {
					t.Fatal("asked --status although the registry knew the default")
				}
			}},
		{name: "localized de", mutate: func(s *fakewsltest.State) { s.Lang = "de"; s.Inbox = true }, check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			if len(ds) != 2 || !ds[0].Default {
				t.Fatalf("distros %+v", ds)
			}
		}},
		{name: "no distros", mutate: func(s *fakewsltest.State) { s.Distros, s.Default = nil, "" }, check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			if ds == nil || len(ds) != 0 {
				t.Fatalf("want an empty non-nil list, got %#v", ds)
			}
		}},
		{name: "no distros, localized", mutate: func(s *fakewsltest.State) { s.Distros, s.Default, s.Lang, s.Inbox = nil, "", "de", true }, check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			if len(ds) != 0 {
				t.Fatalf("want empty, got %+v", ds)
			}
		}},
		{name: "sixty distros", mutate: func(s *fakewsltest.State) {
			s.Extra = 57
			s.Distros = append(s.Distros, fakewsltest.Distro{Name: strings.Repeat("n", 256), State: "Stopped", Version: 2})
		}, check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			if len(ds) != 60 {
				t.Fatalf("%d distros, want 60", len(ds))
			}
			if _, ok := byName(ds, strings.Repeat("n", 256)); !ok {
				t.Fatal("256-char name lost")
			}
		}},
		{name: "transitional states", mutate: func(s *fakewsltest.State) {
			s.Distros = append(s.Distros,
				fakewsltest.Distro{Name: "A", State: "Installing", Version: 2}, fakewsltest.Distro{Name: "B", State: "Converting", Version: 1},
				fakewsltest.Distro{Name: "C", State: "Exporting", Version: 2}, fakewsltest.Distro{Name: "D", State: "Uninstalling", Version: 2})
		}, check: func(t *testing.T, ds []backend.Distro, f *fakewsltest.Fake) {
			for n, s := range map[string]backend.State{"A": backend.StateInstalling, "B": backend.StateConverting, "C": backend.StateExporting, "D": backend.StateUninstalling} {
				d, ok := byName(ds, n)
				if !ok || d.State != s || !d.State.Busy() {
					t.Errorf("%s: %+v", n, d)
				}
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := twoDistros()
			if c.mutate != nil {
				c.mutate(&st)
			}
			b, f, _ := newBackend(t, st, func(o *Options) { o.Host = c.host })
			ds, err := b.Distros(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, ds, f)
		})
	}
}

func TestListTTL(t *testing.T) {
	b, f, clk := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := b.Distros(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.Count("-l -v"); n != 1 {
		t.Fatalf("%d list calls within the TTL, want 1", n)
	}
	clk.Advance(DefaultListTTL - time.Millisecond)
	b.Distros(ctx)
	if n := f.Count("-l -v"); n != 1 {
		t.Fatalf("%d list calls within the slow period, want 1", n)
	}
	clk.Advance(time.Millisecond)
	b.Distros(ctx)
	if n := f.Count("-l -v"); n != 2 {
		t.Fatalf("%d list calls after the slow period, want 2", n)
	}
}

// TestSteadyStateCost runs a simulated minute of 1 s refreshes (Sample + Distros each tick, as the
// TUI does) with the default 2 s list TTL and counts wsl.exe calls in the double's log.
func TestSteadyStateCost(t *testing.T) {
	b, f, clk := newBackend(t, twoDistros(), func(o *Options) { o.ListTTL = 2 * time.Second })
	ctx := context.Background()
	for i := 0; i < 60; i++ {
		if _, err := b.Sample(ctx); err != nil {
			t.Fatalf("tick %d: %v", i, err)
		}
		if _, err := b.Distros(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Second)
	}
	calls := f.Calls()
	lists, probes, looks, other := 0, 0, 0, 0
	for _, c := range calls {
		j := strings.Join(c, " ")
		switch {
		case strings.HasPrefix(j, "-l -v"):
			lists++
		case strings.Contains(j, "wsldash-probe"):
			probes++
		case strings.Contains(j, "@@wsldash mode"): // per-distro memory (distromem.go)
			looks++
		default:
			other++
		}
	}
	t.Logf("steady state over a simulated minute: %d wsl.exe calls (%d -l -v, %d probe, %d per-distro looks, %d other)", len(calls), lists, probes, looks, other)
	// One running distro: at most one look per DistroMemoryTTL, and the first.
	if lists > 30 || probes != 1 || looks > int(time.Minute/DistroMemoryTTL)+1 || other != 0 {
		t.Fatalf("per minute: %d lists (want <= 30), %d probes (want 1), %d looks (want <= %d), %d other (want 0)",
			lists, probes, looks, int(time.Minute/DistroMemoryTTL)+1, other)
	}
}

func TestSampleFromProbe(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), func(o *Options) { o.Host = &fakeHost{} })
	ctx := context.Background()
	s, err := b.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Guest.TotalBytes != 16318256*1024 || s.Guest.CacheBytes != (10000+2000000+100000)*1024 {
		t.Fatalf("guest %+v", s.Guest)
	}
	if s.MemoryPressure == nil || s.MemoryPressure.Avg10 != 1.5 {
		t.Fatalf("pressure %+v", s.MemoryPressure)
	}
	if s.CPUPercent != nil {
		t.Fatalf("first CPU = %v from one reading; want unknown (nil), not a number", *s.CPUPercent)
	}
	if s.Host == nil || s.Host.VMProcess != "vmmemWSL" {
		t.Fatalf("host %+v", s.Host)
	}
	if b.ProbeDistro() != "Ubuntu" {
		t.Fatalf("probing %q, want the running default Ubuntu", b.ProbeDistro())
	}
	ds, _ := b.Distros(ctx)
	if u, _ := byName(ds, "Ubuntu"); !u.Held {
		t.Fatal("probed distro not marked Held")
	}
	if f.Count("-d Debian") != 0 {
		t.Fatal("touched the stopped distro")
	}
}

func TestReleaseAndWatch(t *testing.T) {
	b, _, clk := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	if _, err := b.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	b.Release("Ubuntu")
	clk.Advance(3 * time.Second)
	ds, _ := b.Distros(ctx)
	if u, _ := byName(ds, "Ubuntu"); u.Held {
		t.Fatal("still Held after Release")
	}
	_, err := b.Sample(ctx)
	if backend.KindOf(err) != backend.KindNotRunning || !strings.Contains(err.Error(), "released") {
		t.Fatalf("after Release: %v", err)
	}
	b.Watch("Ubuntu")
	if _, err := b.Sample(ctx); err != nil || b.ProbeDistro() != "Ubuntu" {
		t.Fatalf("after Watch: %v, probing %q", err, b.ProbeDistro())
	}
}

func TestSampleNoneRunning(t *testing.T) {
	st := twoDistros()
	st.Distros[0].State = "Stopped"
	b, f, _ := newBackend(t, st, nil)
	s, err := b.Sample(context.Background())
	if backend.KindOf(err) != backend.KindNotRunning || !strings.Contains(err.Error(), "no distro is running; the VM is stopped") {
		t.Fatalf("err = %v", err)
	}
	if s.Guest != (backend.GuestMemory{}) {
		t.Fatalf("guest not zero: %+v", s.Guest)
	}
	if n := f.Count("-d"); n != 0 {
		t.Fatalf("%d calls into a distro; a stopped distro must never be started to look at it", n)
	}
}

func TestProbeRestartsElsewhereWhenItsDistroStops(t *testing.T) {
	st := twoDistros()
	st.Distros[1].State, st.Distros[1].Version = "Running", 2
	b, f, clk := newBackend(t, st, nil)
	ctx := context.Background()
	if _, err := b.Sample(ctx); err != nil || b.ProbeDistro() != "Ubuntu" {
		t.Fatalf("%v %q", err, b.ProbeDistro())
	}
	// Someone else terminates Ubuntu: the double kills the probe.
	if _, err := b.run.Run(ctx, "-t", "Ubuntu"); err != nil {
		t.Fatal(err)
	}
	b.probe.proc.Wait()
	_, err := b.Sample(ctx)
	if backend.KindOf(err) != backend.KindNotRunning {
		t.Fatalf("first sample after the probe died: %v", err)
	}
	clk.Advance(3 * time.Second)
	if _, err := b.Sample(ctx); err != nil || b.ProbeDistro() != "Debian" {
		t.Fatalf("after restart: %v, probing %q; calls %v", err, b.ProbeDistro(), f.Calls())
	}
}

func TestStartHoldsAndTerminateReleases(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	if err := b.Start(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	ds, err := b.Distros(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := byName(ds, "Debian"); d.State != backend.StateRunning || !d.Held {
		t.Fatalf("after Start: %+v", d)
	}
	if err := b.Start(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	if n := f.Count("-d Debian --exec sh -c"); n != 1 {
		t.Fatalf("second Start spawned again: %d keepalives", n)
	}
	if err := b.Terminate(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	ds, _ = b.Distros(ctx)
	if d, _ := byName(ds, "Debian"); d.State != backend.StateStopped || d.Held {
		t.Fatalf("after Terminate: %+v", d)
	}
}

func TestStartUnknown(t *testing.T) {
	b, _, _ := newBackend(t, twoDistros(), nil)
	err := b.Start(context.Background(), "Nope")
	if backend.KindOf(err) != backend.KindNotFound || !strings.HasSuffix(backend.CodeOf(err), "WSL_E_DISTRO_NOT_FOUND") {
		t.Fatalf("err = %v", err)
	}
}

func TestCloseStopsHeld(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	if err := b.Start(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	b.Sample(ctx)
	b.Close()
	out, err := b.run.Run(ctx, "-l", "-v")
	if err != nil {
		t.Fatal(err)
	}
	// WSL keeps it instanceIdleTimeout (15 s) after its last client, then stops it.
	if !strings.Contains(out.Text(), "Debian") || !strings.Contains(strings.SplitN(out.Text(), "Debian", 2)[1][:20], "Running") {
		t.Fatalf("Debian not idling after Close:\n%s", out.Text())
	}
	f.Advance(16 * time.Second)
	if out, _ = b.run.Run(ctx, "-l", "-v"); strings.Contains(strings.SplitN(out.Text(), "Debian", 2)[1][:20], "Running") {
		t.Fatalf("Debian still running 16 s after Close:\n%s", out.Text())
	}
	probes := f.Count("-d Ubuntu --exec")
	if _, err := b.Sample(ctx); err == nil || f.Count("-d Ubuntu --exec") != probes {
		t.Fatalf("Sample after Close started a probe (err %v)", err)
	}
}

func TestShutdownAndSetDefault(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	if err := b.Shutdown(ctx, true); err != nil {
		t.Fatal(err)
	}
	if f.Count("--shutdown --force") != 1 {
		t.Fatalf("calls %q", f.Calls())
	}
	if err := b.Shutdown(ctx, false); err != nil {
		t.Fatal(err)
	}
	ds, _ := b.Distros(ctx)
	if u, _ := byName(ds, "Ubuntu"); u.State != backend.StateStopped {
		t.Fatalf("after shutdown %+v", u)
	}
	if err := b.SetDefault(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	ds, _ = b.Distros(ctx)
	if d, _ := byName(ds, "Debian"); !d.Default {
		t.Fatalf("default not moved: %+v", ds)
	}
	if err := b.SetDefault(ctx, "Nope"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("unknown: %v", err)
	}
}

func TestTrashRoundTrip(t *testing.T) {
	st := twoDistros()
	st.ExportChunks, st.ExportChunkBytes = 3, 4096
	b, f, _ := newBackend(t, st, nil)
	ctx := context.Background()
	var seen []int64
	e, err := b.Trash(ctx, "debian", func(n int64) { seen = append(seen, n) })
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Debian" || e.Version != 1 || e.Bytes <= 3*4096 || len(seen) == 0 || seen[len(seen)-1] != e.Bytes {
		t.Fatalf("entry %+v, progress %v", e, seen)
	}
	ds, _ := b.Distros(ctx)
	if _, ok := byName(ds, "Debian"); ok {
		t.Fatal("Debian still registered")
	}
	list, err := b.TrashList()
	if err != nil || len(list) != 1 || list[0].Archive != e.Archive {
		t.Fatalf("trash list %+v, %v", list, err)
	}
	if err := b.TrashRestore(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	got := f.Read()
	var restored *fakewsltest.Distro
	for i := range got.Distros {
		if got.Distros[i].Name == "Debian" {
			restored = &got.Distros[i]
		}
	}
	want, _ := b.RestoreDir("Debian")
	if restored == nil || restored.Content != "debian-disk" || restored.Version != 1 || restored.Dir != want {
		t.Fatalf("restored %+v (want dir %s)", restored, want)
	}
	if list, _ := b.TrashList(); len(list) != 0 {
		t.Fatalf("trash not emptied: %+v", list)
	}
	if err := b.TrashRestore(ctx, "Debian"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("restore twice: %v", err)
	}
}

func TestTrashPurge(t *testing.T) {
	b, _, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	e, err := b.Trash(ctx, "Debian", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.TrashPurge("debian"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(e.Archive); !os.IsNotExist(err) {
		t.Fatalf("archive still there: %v", err)
	}
	if err := b.TrashPurge("Debian"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("purge twice: %v", err)
	}
}

func TestTrashKeepsDistroWhenExportFails(t *testing.T) {
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "error", Match: "--export", Message: "The system cannot find the path specified.", Code: "Wsl/Service/ExportDistro/ERROR_PATH_NOT_FOUND"}
	b, f, _ := newBackend(t, st, nil)
	_, err := b.Trash(context.Background(), "Debian", nil)
	if err == nil || backend.CodeOf(err) != "Wsl/Service/ExportDistro/ERROR_PATH_NOT_FOUND" {
		t.Fatalf("err = %v", err)
	}
	if f.Count("--unregister") != 0 {
		t.Fatal("unregistered although the export failed")
	}
}

func TestExportCancelRemovesPartial(t *testing.T) {
	st := twoDistros()
	st.ExportChunks, st.ExportChunkBytes, st.ExportDelayMS = 1000, 4096, 20
	b, _, _ := newBackend(t, st, nil)
	ctx, cancel := context.WithCancel(context.Background())
	file := filepath.Join(t.TempDir(), "out.tar")
	err := b.Export(ctx, "Debian", file, "", func(n int64) {
		if n > 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "cancelled; the partial file "+file+" was removed") {
		t.Fatalf("the error does not say what became of the file: %v", err)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("partial file left: %v", err)
	}
}

func TestLongOpsAreExclusive(t *testing.T) {
	st := twoDistros()
	st.ExportChunks, st.ExportChunkBytes, st.ExportDelayMS = 1000, 4096, 20
	b, _, _ := newBackend(t, st, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	file := filepath.Join(t.TempDir(), "out.tar")
	busyErr := make(chan error, 1)
	err := b.Export(ctx, "Debian", file, "", func(n int64) {
		select {
		case busyErr <- b.Export(context.Background(), "Debian", file+"2", "", nil):
		default:
		}
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first export: %v", err)
	}
	if e := <-busyErr; backend.KindOf(e) != backend.KindBusy {
		t.Fatalf("second export: %v", e)
	}
}

func TestClone(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	dir := filepath.Join(t.TempDir(), "clones", "Deb2")
	if err := b.Clone(context.Background(), "Debian", "Deb2", dir, "", nil); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range f.Read().Distros {
		if d.Name == "Deb2" && d.Content == "debian-disk" && d.Version == 1 && d.Dir == dir {
			found = true
		}
	}
	if !found {
		t.Fatalf("clone missing: %+v", f.Read().Distros)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".wsldash-clone-*"))
	if len(left) != 0 {
		t.Fatalf("temporary archive left: %v", left)
	}
}

func TestImportErrors(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	junk := filepath.Join(t.TempDir(), "junk.tar")
	os.WriteFile(junk, []byte("not a tar"), 0o644)
	// A name taken in another case: refused on a fresh list (backend.CheckNewName), before wsl.exe.
	if err := b.Import(ctx, "UBUNTU", t.TempDir(), junk, 2); backend.KindOf(err) != backend.KindFailed || !strings.Contains(err.Error(), "a distro named Ubuntu already exists") {
		t.Fatalf("existing name: %v", err)
	}
	if err := b.Import(ctx, "Legacy", t.TempDir(), junk, 2); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Fatalf("Legacy: %v", err)
	}
	if n := len(callsOf(f, "--import")); n != 0 {
		t.Fatalf("wsl.exe was asked to import %d times", n)
	}
	if err := b.Import(ctx, "New", t.TempDir(), junk, 3); err == nil {
		t.Fatal("version 3 accepted")
	}
	if err := b.Import(ctx, "bad name", t.TempDir(), junk, 2); err == nil {
		t.Fatal("bad name accepted")
	}
}

func TestFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("hang", func(t *testing.T) {
		st := twoDistros()
		st.Fail = &fakewsltest.Fail{Mode: "hang"}
		b, _, _ := newBackend(t, st, func(o *Options) { o.Timeout = 300 * time.Millisecond })
		_, err := b.Distros(ctx)
		if !errors.Is(err, backend.ErrTimeout) || !strings.Contains(err.Error(), "wsl.exe did not respond within 300ms") {
			t.Fatalf("err = %v", err)
		}
		// The error is cached for the TTL: a hung wsl.exe is not asked again at every refresh.
		if _, err2 := b.Distros(ctx); !errors.Is(err2, backend.ErrTimeout) {
			t.Fatalf("second call: %v", err2)
		}
	})
	t.Run("error code", func(t *testing.T) {
		st := twoDistros()
		st.Fail = &fakewsltest.Fail{Mode: "error", Match: "-t", Message: "The operation could not be completed because the VHD is currently in use.", Code: "Wsl/Service/WSL_E_DISTRO_NOT_STOPPED"}
		b, _, _ := newBackend(t, st, nil)
		err := b.Terminate(ctx, "Ubuntu")
		var be *backend.Error
		if !errors.As(err, &be) || be.Kind != backend.KindBusy || be.Code != "Wsl/Service/WSL_E_DISTRO_NOT_STOPPED" || be.Distro != "Ubuntu" || !strings.Contains(be.Message, "VHD is currently in use") {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("garbage", func(t *testing.T) {
		st := twoDistros()
		st.Fail = &fakewsltest.Fail{Mode: "garbage"}
		b, _, _ := newBackend(t, st, nil)
		if _, err := b.Distros(ctx); backend.KindOf(err) != backend.KindParse {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("access denied", func(t *testing.T) {
		st := twoDistros()
		st.Fail = &fakewsltest.Fail{Mode: "denied"}
		b, _, _ := newBackend(t, st, nil)
		if _, err := b.Distros(ctx); backend.KindOf(err) != backend.KindPermission || backend.CodeOf(err) != "Wsl/Service/E_ACCESSDENIED" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("missing binary", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "wsl.exe")
		b, err := New(Options{WSLExe: missing, Inside: no()})
		if err != nil {
			t.Fatal(err)
		}
		if c := b.Capabilities()[backend.ActStart]; c.OK || !strings.Contains(c.Reason, missing) {
			t.Fatalf("capability %+v", c)
		}
		if _, err := b.Distros(ctx); backend.KindOf(err) != backend.KindNotFound || !strings.Contains(err.Error(), missing) {
			t.Fatalf("Distros: %v", err)
		}
		if _, err := b.Sample(ctx); backend.KindOf(err) != backend.KindNotFound {
			t.Fatalf("Sample: %v", err)
		}
	})
}

func TestDefaultTimeoutIs10s(t *testing.T) {
	needFake(t)
	b, err := New(Options{WSLExe: fakeExe, Inside: no()})
	if err != nil {
		t.Fatal(err)
	}
	if o := b.Options(); o.Timeout != 10*time.Second || o.ListTTL != 10*time.Second || b.run.Timeout != 10*time.Second {
		t.Fatalf("defaults: timeout %v, ttl %v, runner %v", o.Timeout, o.ListTTL, b.run.Timeout)
	}
}

func TestMountsAndProcessesRemote(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	ms, err := b.Mounts(ctx, "Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 || ms[2].Target != "/mnt/c" || ms[2].Kind != backend.MountDrvfs || ms[0].Distro != "Ubuntu" {
		t.Fatalf("mounts %+v", ms)
	}
	ps, err := b.Processes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[1].PID != 42 || ps[1].Name != "a b) c" || ps[1].User != "dev" || ps[1].RSSBytes != 1700*1024 || ps[0].User != "root" {
		t.Fatalf("processes %+v", ps)
	}
	// (40000+10000)/100 s of CPU over 1000-500 s of life.
	if ps[1].CPUPercent != 100 {
		t.Fatalf("cpu %v, want 100", ps[1].CPUPercent)
	}
	if _, err := b.Mounts(ctx, "Debian"); backend.KindOf(err) != backend.KindNotRunning {
		t.Fatalf("stopped distro: %v", err)
	}
	if _, err := b.Processes(ctx, "Debian"); backend.KindOf(err) != backend.KindNotRunning {
		t.Fatalf("stopped distro: %v", err)
	}
	if f.Count("-d Debian") != 0 {
		t.Fatal("a stopped distro was started to look at it")
	}
}

func TestKillProcess(t *testing.T) {
	st := twoDistros()
	st.GuestRoot = guestRoot(t, true)
	// Process 42 has a TERM handler that does not exit: only KILL ends it.
	if err := os.WriteFile(filepath.Join(st.GuestRoot, "proc", "42", "ignores-TERM"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	b, f, _ := newBackend(t, st, nil)
	ctx := context.Background()
	if err := b.KillProcess(ctx, "Ubuntu", 42, backend.SigTerm); err != nil {
		t.Fatal(err)
	}
	if f.Count("-d Ubuntu -u root --exec kill -s TERM 42") != 1 {
		t.Fatalf("TERM was not sent as asked: %v", f.Calls())
	}
	if _, err := os.Stat(filepath.Join(st.GuestRoot, "proc", "42")); err != nil {
		t.Fatal("a process that ignores TERM ended on TERM")
	}
	if err := b.KillProcess(ctx, "Ubuntu", 42, backend.SigKill); err != nil {
		t.Fatal(err)
	}
	if f.Count("-d Ubuntu -u root --exec kill -s KILL 42") != 1 {
		t.Fatalf("KILL was not sent as asked: %v", f.Calls())
	}
	if _, err := os.Stat(filepath.Join(st.GuestRoot, "proc", "42")); !os.IsNotExist(err) {
		t.Fatal("process 42 still there after KILL")
	}
	err := b.KillProcess(ctx, "Ubuntu", 42, backend.SigKill)
	if err == nil || !strings.Contains(err.Error(), "No such process") {
		t.Fatalf("second kill: %v", err)
	}
	n := len(f.Calls())
	if err := b.KillProcess(ctx, "Ubuntu", 1, backend.SigTerm); backend.KindOf(err) != backend.KindPermission {
		t.Fatalf("killing init: %v", err)
	}
	if err := b.KillProcess(ctx, "Ubuntu", 42, "HUP"); err == nil {
		t.Fatal("an unknown signal was accepted")
	}
	if len(f.Calls()) != n {
		t.Fatalf("a refused kill still ran wsl.exe: %v", f.Calls()[n:])
	}
	if err := b.KillProcess(ctx, "Debian", 42, backend.SigTerm); backend.KindOf(err) != backend.KindNotRunning {
		t.Fatalf("stopped distro: %v", err)
	}
}

func TestReclaim(t *testing.T) {
	ctx := context.Background()
	cache := uint64(10000+2000000+100000) * 1024
	for _, c := range []struct {
		mode backend.ReclaimMode
		file string
		want string
	}{
		{backend.ReclaimDropCache, "proc/sys/vm/drop_caches", "1\n"},
		{backend.ReclaimCompact, "proc/sys/vm/compact_memory", "1\n"},
		// (10000+2000000+100000 - 50000 - 1000) kB
		{backend.ReclaimGradual, "sys/fs/cgroup/memory.reclaim", "2108416000\n"},
	} {
		st := twoDistros()
		st.GuestRoot = guestRoot(t, true)
		b, _, _ := newBackend(t, st, nil)
		res, err := b.Reclaim(ctx, c.mode)
		if err != nil {
			t.Fatalf("%s: %v", c.mode, err)
		}
		if res.Where != "Ubuntu" || res.CacheBefore != cache || res.CacheAfter != cache || res.Mode != c.mode {
			t.Fatalf("%s: %+v", c.mode, res)
		}
		got, _ := os.ReadFile(filepath.Join(st.GuestRoot, c.file))
		if string(got) != c.want {
			t.Fatalf("%s wrote %q to %s, want %q", c.mode, got, c.file, c.want)
		}
	}
	st := twoDistros()
	st.GuestRoot = guestRoot(t, false)
	b, _, _ := newBackend(t, st, nil)
	if _, err := b.Reclaim(ctx, backend.ReclaimGradual); backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "memory.reclaim") {
		t.Fatalf("gradual without memory.reclaim: %v", err)
	}
	if _, err := b.Reclaim(ctx, backend.ReclaimDisabled); backend.KindOf(err) != backend.KindUnsupported {
		t.Fatalf("disabled: %v", err)
	}
	st.Distros[0].State = "Stopped"
	b2, _, _ := newBackend(t, st, nil)
	if _, err := b2.Reclaim(ctx, backend.ReclaimDropCache); backend.KindOf(err) != backend.KindNotRunning {
		t.Fatalf("none running: %v", err)
	}
}

func TestInside(t *testing.T) {
	root := guestRoot(t, true)
	t.Setenv("WSL_DISTRO_NAME", "Ubuntu")
	yes := true
	b, f, _ := newBackend(t, twoDistros(), func(o *Options) { o.Inside, o.ProcRoot = &yes, filepath.Join(root, "proc") })
	ctx := context.Background()
	s, err := b.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Guest.TotalBytes != 16318256*1024 || s.MemoryPressure == nil {
		t.Fatalf("sample %+v", s)
	}
	// CPU is a rate: unknown from one reading, and from two with no time between them.
	if s.CPUPercent != nil {
		t.Fatalf("first CPU = %v; want unknown", *s.CPUPercent)
	}
	if s, _ = b.Sample(ctx); s.CPUPercent != nil {
		t.Fatalf("CPU = %v with no time between readings; want unknown", *s.CPUPercent)
	}
	// 100 more busy and 300 more idle ticks: 25 %.
	cur, err := procfs.ParseStat([]byte(guestStat))
	if err != nil {
		t.Fatal(err)
	}
	c := cur.CPU
	next := fmt.Sprintf("cpu  %d %d %d %d %d %d %d %d\n", c.User+100, c.Nice, c.System, c.Idle+300, c.IOWait, c.IRQ, c.SoftIRQ, c.Steal)
	if err := os.WriteFile(filepath.Join(root, "proc", "stat"), []byte(next), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, _ = b.Sample(ctx); s.CPUPercent == nil || math.Abs(*s.CPUPercent-25) > 0.01 {
		t.Fatalf("CPU = %v, want 25", s.CPUPercent)
	}
	ms, err := b.Mounts(ctx, "")
	if err != nil || len(ms) != 3 || ms[0].Distro != "Ubuntu" {
		t.Fatalf("mounts %+v %v", ms, err)
	}
	if n := len(f.Calls()); n != 0 {
		t.Fatalf("inside WSL, sampling and own mounts made %d wsl.exe calls", n)
	}
}

func TestShellCommand(t *testing.T) {
	b, _, _ := newBackend(t, twoDistros(), nil)
	cmd, err := b.ShellCommand("Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cmd.Args[1:], " ") != "-d Ubuntu --cd ~" {
		t.Fatalf("args %q", cmd.Args)
	}
	if !strings.Contains(strings.Join(cmd.Env, "\n"), "WSL_UTF8=1") {
		t.Fatal("no WSL_UTF8 in the shell's env")
	}
}

func TestInfo(t *testing.T) {
	b, _, _ := newBackend(t, twoDistros(), nil)
	info, err := b.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.WSLVersion != "2.6.1.0" || info.KernelVersion != "6.6.87.2-1" || info.DefaultDistro != "Ubuntu" || info.Backend != "wsl" {
		t.Fatalf("info %+v", info)
	}
	st := twoDistros()
	st.Inbox = true
	b2, _, _ := newBackend(t, st, nil)
	info, err = b2.Info(context.Background())
	if err != nil || info.WSLVersion != "" || info.DefaultDistro != "Ubuntu" {
		t.Fatalf("inbox info %+v, %v", info, err)
	}
}

func TestProbeFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("silent probe times out", func(t *testing.T) {
		st := twoDistros()
		st.Fail = &fakewsltest.Fail{Mode: "hang", Match: "wsldash-probe"}
		b, f, clk := newBackend(t, st, func(o *Options) { o.Timeout = 300 * time.Millisecond })
		b.run.Timeout = 10 * time.Second // only the probe's first frame gets the short timeout
		_, err := b.Sample(ctx)
		if !errors.Is(err, backend.ErrTimeout) || !strings.Contains(err.Error(), "the probe printed nothing within 300ms") {
			t.Fatalf("err = %v", err)
		}
		// The hung probe was dropped: the next samples answer at once, with the same error, and
		// start no new probe until the back-off has passed.
		if _, err := b.Sample(ctx); !errors.Is(err, backend.ErrTimeout) {
			t.Fatalf("second sample: %v", err)
		}
		if n := f.Count("-d Ubuntu --exec sh -c"); n != 1 {
			t.Fatalf("%d probes started, want 1", n)
		}
		clk.Advance(31 * time.Second)
		b.Sample(ctx)
		if n := f.Count("-d Ubuntu --exec sh -c"); n != 2 {
			t.Fatalf("%d probes after the back-off, want 2", n)
		}
	})
	t.Run("probe in a distro that vanished", func(t *testing.T) {
		st := twoDistros()
		st.Fail = &fakewsltest.Fail{Mode: "error", Match: "wsldash-probe", Message: "There is no distribution with the supplied name.", Code: "Wsl/Service/WSL_E_DISTRO_NOT_FOUND"}
		b, _, _ := newBackend(t, st, nil)
		_, err := b.Sample(ctx)
		if backend.KindOf(err) != backend.KindNotFound || backend.CodeOf(err) != "Wsl/Service/WSL_E_DISTRO_NOT_FOUND" {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("garbage from the guest", func(t *testing.T) {
		st := twoDistros()
		st.GuestRoot = guestRoot(t, true)
		if err := os.WriteFile(filepath.Join(st.GuestRoot, "proc", "meminfo"), []byte("\x00\xff no colon here\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		b, _, _ := newBackend(t, st, nil)
		if _, err := b.Sample(ctx); backend.KindOf(err) != backend.KindParse {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestExportNeverOverwrites(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	file := filepath.Join(t.TempDir(), "mine.tar")
	if err := os.WriteFile(file, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := b.Export(context.Background(), "Ubuntu", file, "", nil)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(file); string(got) != "precious" {
		t.Fatalf("file changed to %q", got)
	}
	if f.Count("--export") != 0 {
		t.Fatal("wsl.exe was asked to export onto an existing file")
	}
}

func TestNoProbeDuringTerminate(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	done := b.stopping("Ubuntu")
	_, err := b.Sample(ctx)
	done()
	if backend.KindOf(err) != backend.KindNotRunning || f.Count("-d Ubuntu") != 0 {
		t.Fatalf("sampled a distro being stopped: %v, calls %q", err, f.Calls())
	}
	done = b.stopping("*")
	_, err = b.Sample(ctx)
	done()
	if backend.KindOf(err) != backend.KindNotRunning || !strings.Contains(err.Error(), "shutting down") {
		t.Fatalf("during shutdown: %v", err)
	}
}

func TestInfoReadsAutoMemoryReclaim(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), ".wslconfig")
	if err := os.WriteFile(cfg, []byte("[wsl2]\nmemory=8GB\n[experimental]\nautoMemoryReclaim=Gradual # quieter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WSLDASH_WSLCONFIG", cfg)
	b, _, _ := newBackend(t, twoDistros(), nil)
	info, err := b.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.ReclaimMode != backend.ReclaimGradual {
		t.Fatalf("reclaim mode %q, want gradual from .wslconfig", info.ReclaimMode)
	}
}
