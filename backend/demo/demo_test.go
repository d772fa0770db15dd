package demo

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/sampler"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newTest returns a demo whose actions advance the fixed clock instead of waiting.
func newTest(opts Options) (*Backend, *sampler.FixedClock) {
	clk := sampler.NewFixedClock(t0)
	opts.Clock = clk
	opts.Wait = func(ctx context.Context, d time.Duration) error { clk.Advance(d); return ctx.Err() }
	return New(opts), clk
}

func TestDistrosAreTheDemoSet(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ds, err := b.Distros(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		state   backend.State
		version int
		def     bool
	}{
		"Ubuntu-24.04":        {backend.StateRunning, 2, true},
		"docker-desktop":      {backend.StateRunning, 2, false},
		"Debian":              {backend.StateStopped, 2, false},
		"kali-linux":          {backend.StateStopped, 2, false},
		"Ubuntu-18.04":        {backend.StateStopped, 1, false},
		"openSUSE-Tumbleweed": {backend.StateInstalling, 2, false},
	}
	if len(ds) != len(want) {
		t.Fatalf("got %d distros, want %d", len(ds), len(want))
	}
	if !ds[0].Default {
		t.Errorf("the default distro must be listed first, as wsl.exe does; got %s", ds[0].Name)
	}
	for _, d := range ds {
		w, ok := want[d.Name]
		if !ok {
			t.Errorf("unexpected distro %q", d.Name)
			continue
		}
		if d.State != w.state || d.Version != w.version || d.Default != w.def {
			t.Errorf("%s = %s v%d default=%v, want %s v%d default=%v", d.Name, d.State, d.Version, d.Default, w.state, w.version, w.def)
		}
	}
	info, _ := b.Info(context.Background())
	if !info.Simulated || info.Backend != "demo" || info.Label == "" || info.DefaultDistro != "Ubuntu-24.04" {
		t.Errorf("info must label the demo: %+v", info)
	}
}

func TestDeterministicForSeedAndClock(t *testing.T) {
	run := func(seed int64) []backend.Sample {
		b, clk := newTest(Options{Seed: seed, Speed: 10, Warmup: 2 * time.Minute})
		out := b.Backfill()
		for i := 0; i < 300; i++ {
			clk.Advance(time.Second)
			s, err := b.Sample(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if i%7 == 0 { // reads in between must not change the trajectory
				b.Processes(context.Background(), "")
				b.Distros(context.Background())
			}
			out = append(out, s)
		}
		return out
	}
	a, b := run(42), run(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same seed and clock differ")
	}
	if len(a) != 120+300 {
		t.Fatalf("backfill+samples = %d, want 420", len(a))
	}
	if c := run(43); reflect.DeepEqual(a, c) {
		t.Fatal("a different seed gave the very same run")
	}
}

func TestMemoryInvariants(t *testing.T) {
	b, clk := newTest(Options{Seed: 3, Speed: 5})
	for i := 0; i < 1800; i++ {
		clk.Advance(time.Second)
		s, err := b.Sample(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		g := s.Guest
		if g.UsedBytes+g.CacheBytes+g.FreeBytes != g.TotalBytes {
			t.Fatalf("t=%d used+cache+free=%d != total %d", i, g.UsedBytes+g.CacheBytes+g.FreeBytes, g.TotalBytes)
		}
		if s.Host == nil || s.Host.VMProcess != "vmmemWSL" {
			t.Fatalf("t=%d host view missing: %+v", i, s.Host)
		}
		// The VM process holds at least what the guest has touched and never more than the VM
		// plus its overhead.
		if s.Host.VMProcessBytes < g.UsedBytes+g.CacheBytes || s.Host.VMProcessBytes > g.TotalBytes+vmOverhead {
			t.Fatalf("t=%d vmmem=%d outside [used+cache=%d, total+overhead]", i, s.Host.VMProcessBytes, g.UsedBytes+g.CacheBytes)
		}
		if s.CPUPercent == nil || *s.CPUPercent < 0 || *s.CPUPercent > 100 {
			t.Fatalf("cpu %v", s.CPUPercent)
		}
	}
}

// curve simulates an hour at real WSL delays and returns the host-side memory's mean, max and
// final value, and how many times the page cache fell by 512 MiB or more in one run of falling
// samples (freed process memory comes back in every mode; page cache only through reclaim).
func curve(t *testing.T, mode backend.ReclaimMode) (mean, max, final uint64, drops int) {
	b, clk := newTest(Options{Seed: 1, ReclaimMode: mode, Speed: 1})
	var sum, prevCache, falling uint64
	for i := 0; i < 3600; i++ {
		clk.Advance(time.Second)
		s, err := b.Sample(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		v := s.Host.VMProcessBytes
		sum += v
		if v > max {
			max = v
		}
		c := s.Guest.CacheBytes
		if prevCache > c {
			falling += prevCache - c
		} else {
			if falling >= 512*mib {
				drops++
			}
			falling = 0
		}
		prevCache, final = c, v
	}
	return sum / 3600, max, final, drops
}

func TestReclaimModesShapeTheHostCurve(t *testing.T) {
	type res struct {
		mean, max, final uint64
		drops            int
	}
	got := map[backend.ReclaimMode]res{}
	for _, m := range []backend.ReclaimMode{backend.ReclaimDisabled, backend.ReclaimGradual, backend.ReclaimDropCache} {
		mean, max, final, drops := curve(t, m)
		got[m] = res{mean, max, final, drops}
		t.Logf("%-9s vmmemWSL over 1 h: mean %5d MiB, max %5d MiB, final %5d MiB, cache falls ≥512 MiB: %d", m, mean/mib, max/mib, final/mib, drops)
	}
	dis, gra, dro := got[backend.ReclaimDisabled], got[backend.ReclaimGradual], got[backend.ReclaimDropCache]
	// disabled: the cache falls only when the guest runs out of free memory and evicts it (at most
	// once here, when a build's memory needs the room); never by reclaim.
	if dis.drops > 1 {
		t.Errorf("disabled: the page cache fell %d times; it must stay but for eviction", dis.drops)
	}
	if dro.drops < 2 {
		t.Errorf("dropcache: %d big falls in an hour with 15-minute builds, want ≥ 2", dro.drops)
	}
	if !(gra.mean < dis.mean && dro.mean < dis.mean) {
		t.Errorf("reclaim must lower the mean host memory: disabled %d, gradual %d, dropcache %d MiB", dis.mean/mib, gra.mean/mib, dro.mean/mib)
	}
	if dis.final < 12*gib {
		t.Errorf("disabled: after an hour the VM should hold most of its 16 GB, holds %d MiB", dis.final/mib)
	}
}

func TestStartTerminateTakeTime(t *testing.T) {
	b, clk := newTest(Options{Seed: 1})
	ctx := context.Background()
	before := clk.Now()
	if err := b.Start(ctx, "kali-linux"); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(before); d != startDelay {
		t.Errorf("start took %v of simulated time, want %v", d, startDelay)
	}
	ds, _ := b.Distros(ctx)
	k := find(ds, "kali-linux")
	if k.State != backend.StateRunning || !k.Held {
		t.Errorf("kali after start: %+v", k)
	}
	if err := b.Terminate(ctx, "kali-linux"); err != nil {
		t.Fatal(err)
	}
	ds, _ = b.Distros(ctx)
	if k := find(ds, "kali-linux"); k.State != backend.StateStopped || k.Held {
		t.Errorf("kali after terminate: %+v", k)
	}
	// Start of an installing distro is refused with a reason.
	err := b.Start(ctx, "openSUSE-Tumbleweed")
	if !errors.Is(err, backend.ErrBusy) {
		t.Errorf("start of an installing distro: %v, want busy", err)
	}
	err = b.Start(ctx, "nope")
	if !errors.Is(err, backend.ErrNotFound) || backend.CodeOf(err) != "Wsl/Service/WSL_E_DISTRO_NOT_FOUND" {
		t.Errorf("start of an unknown distro: %v", err)
	}
}

func TestStartCancelledLeavesStateAsItWas(t *testing.T) {
	clk := sampler.NewFixedClock(t0)
	b := New(Options{Seed: 1, Clock: clk, Wait: func(ctx context.Context, d time.Duration) error { return context.Canceled }})
	if err := b.Start(context.Background(), "Debian"); err == nil {
		t.Fatal("a cancelled start must fail")
	}
	ds, _ := b.Distros(context.Background())
	if d := find(ds, "Debian"); d.State != backend.StateStopped {
		t.Errorf("Debian after a failed start: %s", d.State)
	}
}

func TestShutdownStopsTheVM(t *testing.T) {
	b, clk := newTest(Options{Seed: 1})
	ctx := context.Background()
	if err := b.Shutdown(ctx, false); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	s, err := b.Sample(ctx)
	if !errors.Is(err, backend.ErrNotRunning) {
		t.Fatalf("sample after shutdown: err %v", err)
	}
	if s.Host == nil || s.Host.VMProcess != "" || s.Guest.TotalBytes != 0 {
		t.Errorf("after shutdown the host shows no VM: %+v %+v", s.Host, s.Guest)
	}
	if s.CPUPercent != nil || (s.Host != nil && s.Host.VMCPUPercent != nil) {
		t.Errorf("a stopped VM has no CPU figure (nil, not 0): guest %v host %v", s.CPUPercent, s.Host.VMCPUPercent)
	}
	if _, err := b.Reclaim(ctx, backend.ReclaimDropCache); !errors.Is(err, backend.ErrNotRunning) {
		t.Errorf("reclaim with the VM off: %v", err)
	}
	// Starting a distro boots the VM, which takes longer.
	before := clk.Now()
	if err := b.Start(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	if d := clk.Now().Sub(before); d != startDelay+vmBootDelay {
		t.Errorf("cold start took %v, want %v", d, startDelay+vmBootDelay)
	}
	if _, err := b.Sample(ctx); err != nil {
		t.Errorf("sample after a cold start: %v", err)
	}
}

func TestVMStopsAfterIdleTimeout(t *testing.T) {
	b, clk := newTest(Options{Seed: 1, Speed: 2})
	ctx := context.Background()
	for _, n := range []string{"Ubuntu-24.04", "docker-desktop"} {
		if err := b.Terminate(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(29 * time.Second)
	if _, err := b.Sample(ctx); err != nil {
		t.Fatalf("VM stopped before its (scaled) 30 s idle timeout: %v", err)
	}
	clk.Advance(2 * time.Second)
	if _, err := b.Sample(ctx); !errors.Is(err, backend.ErrNotRunning) {
		t.Fatalf("VM still up after its idle timeout: %v", err)
	}
}

func TestManualReclaim(t *testing.T) {
	b, clk := newTest(Options{Seed: 1, ReclaimMode: backend.ReclaimDisabled})
	ctx := context.Background()
	clk.Advance(10 * time.Second)
	res, err := b.Reclaim(ctx, backend.ReclaimDropCache)
	if err != nil {
		t.Fatal(err)
	}
	if res.Freed() < 2*gib {
		t.Errorf("drop caches freed %d MiB, want most of the ~3 GiB cache", res.Freed()/mib)
	}
	// The host gets it back over the next seconds, at the page-reporting rate.
	s0, _ := b.Sample(ctx)
	clk.Advance(10 * time.Second)
	s1, _ := b.Sample(ctx)
	if s0.Host.VMProcessBytes-s1.Host.VMProcessBytes < res.Freed()*9/10 {
		t.Errorf("vmmem fell %d MiB after freeing %d MiB", (s0.Host.VMProcessBytes-s1.Host.VMProcessBytes)/mib, res.Freed()/mib)
	}
	if _, err := b.Reclaim(ctx, "bogus"); err == nil {
		t.Error("an unknown mode must be refused")
	}
}

func TestKillSetDefaultMountsProcesses(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	ps, err := b.Processes(ctx, "Ubuntu-24.04")
	if err != nil || len(ps) == 0 {
		t.Fatalf("processes: %v %d", err, len(ps))
	}
	if err := b.KillProcess(ctx, "Ubuntu-24.04", 1203, backend.SigTerm); err != nil {
		t.Fatal(err)
	}
	ps2, _ := b.Processes(ctx, "Ubuntu-24.04")
	for _, p := range ps2 {
		if p.PID == 1203 {
			t.Error("killed process still listed")
		}
	}
	if err := b.KillProcess(ctx, "Ubuntu-24.04", 1, backend.SigKill); !errors.Is(err, backend.ErrPermission) {
		t.Errorf("kill pid 1: %v", err)
	}
	if err := b.KillProcess(ctx, "Ubuntu-24.04", 2, backend.SigKill); !errors.Is(err, backend.ErrPermission) {
		t.Errorf("kill WSL's init-systemd: %v", err)
	}
	if _, err := b.Processes(ctx, "Debian"); !errors.Is(err, backend.ErrNotRunning) {
		t.Errorf("processes of a stopped distro: %v", err)
	}
	if err := b.SetDefault(ctx, "docker-desktop"); err != nil {
		t.Fatal(err)
	}
	ds, _ := b.Distros(ctx)
	if ds[0].Name != "docker-desktop" || !ds[0].Default || find(ds, "Ubuntu-24.04").Default {
		t.Errorf("after set default: %+v", ds[:2])
	}
	ms, err := b.Mounts(ctx, "Ubuntu-24.04")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[backend.MountKind]bool{}
	for _, m := range ms {
		kinds[m.Kind] = true
	}
	for _, k := range []backend.MountKind{backend.MountDisk, backend.MountDrvfs, backend.MountPlan9} {
		if !kinds[k] {
			t.Errorf("Ubuntu mounts lack a %s mount", k)
		}
	}
	if c, err := b.ShellCommand("kali-linux"); err != nil || c == nil {
		t.Errorf("shell command: %v", err)
	}
}

// TestKillSignalMatters: TERM asks, KILL ends. postgres answers TERM with a smart shutdown
// and stays; only KILL removes it. The old demo ended it whatever was sent.
func TestKillSignalMatters(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	has := func(pid int) bool {
		ps, err := b.Processes(ctx, "docker-desktop")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.PID == pid {
				return true
			}
		}
		return false
	}
	if err := b.KillProcess(ctx, "docker-desktop", 410, backend.SigTerm); err != nil {
		t.Fatal(err)
	}
	if !has(410) {
		t.Fatal("postgres ended on TERM; it handles TERM and waits for its clients")
	}
	if err := b.KillProcess(ctx, "docker-desktop", 410, backend.SigKill); err != nil {
		t.Fatal(err)
	}
	if has(410) {
		t.Fatal("postgres survived KILL")
	}
	if err := b.KillProcess(ctx, "docker-desktop", 84, "HUP"); err == nil || !has(84) {
		t.Fatalf("an unknown signal: %v", err)
	}
}

func find(ds []backend.Distro, name string) backend.Distro {
	for _, d := range ds {
		if d.Name == name {
			return d
		}
	}
	return backend.Distro{}
}

func BenchmarkSample(b *testing.B) {
	clk := sampler.NewFixedClock(t0)
	d := New(Options{Seed: 1, Clock: clk})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		clk.Advance(time.Second)
		d.Sample(context.Background())
	}
}
