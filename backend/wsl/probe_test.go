package wsl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// kinds counts the double's logged calls: the list, probe starts (the long-lived stream or a
// one-shot call of the same script), and anything else.
func kinds(f *fakewsltest.Fake) (lists, probes, other int) {
	for _, c := range f.Calls() {
		j := strings.Join(c, " ")
		switch {
		case strings.HasPrefix(j, "-l -v"):
			lists++
		case strings.Contains(j, "wsldash-probe"):
			probes++
		default:
			other++
		}
	}
	return
}

// TestSteadyStateCostWithDetails is the dashboard's minute on the overview, simulated: a sample
// every second, the list every other (as the TUI asks), the watched distro's processes and
// mounts every third. Everything comes through one probe; the list costs one call per slow
// period. (Before the stream, processes and mounts cost 40 calls a minute.)
func TestSteadyStateCostWithDetails(t *testing.T) {
	b, f, clk := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	for i := 0; i < 60; i++ {
		if _, err := b.Sample(ctx); err != nil {
			t.Fatalf("tick %d: %v", i, err)
		}
		if i%2 == 0 {
			if _, err := b.Distros(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if i%3 == 0 {
			ps, err := b.Processes(ctx, "")
			if err != nil || len(ps) != 2 || ps[1].Name != "a b) c" || ps[1].User != "dev" {
				t.Fatalf("tick %d: processes %+v %v", i, ps, err)
			}
			ms, err := b.Mounts(ctx, "")
			if err != nil || len(ms) != 3 || ms[2].Target != "/mnt/c" || ms[0].Distro != "Ubuntu" {
				t.Fatalf("tick %d: mounts %+v %v", i, ms, err)
			}
		}
		clk.Advance(time.Second)
	}
	lists, probes, other := kinds(f)
	t.Logf("a simulated minute: %d -l -v, %d probe, %d other", lists, probes, other)
	if lists > 60/int(DefaultListTTL/time.Second)+1 || probes != 1 || other != 0 {
		t.Fatalf("per minute: %d lists (want <= %d), %d probes (want 1), %d other (want 0)",
			lists, 60/int(DefaultListTTL/time.Second)+1, probes, other)
	}
}

// A distro started outside wsldash shows within the slow period, and not sooner than its
// refresh costs: one list call per period.
func TestDistroStartedOutsideShowsWithinSlowPeriod(t *testing.T) {
	b, f, clk := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	if _, err := b.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	st := f.Read()
	st.Distros[1].State = "Running" // someone opened a Debian terminal
	f.Write(st)
	clk.Advance(DefaultListTTL - time.Millisecond)
	ds, _ := b.Distros(ctx)
	if d, _ := byName(ds, "Debian"); d.State != backend.StateStopped {
		t.Fatalf("the list was asked again within the period: %+v", d)
	}
	clk.Advance(time.Millisecond)
	ds, _ = b.Distros(ctx)
	if d, _ := byName(ds, "Debian"); d.State != backend.StateRunning {
		t.Fatalf("after the slow period: %+v, want Running", d)
	}
	if lists, _, _ := kinds(f); lists != 2 {
		t.Fatalf("%d list calls, want 2", lists)
	}
}

// A distro stopped outside wsldash shows at once when the probe's stream ends: no clock moves.
func TestStoppedDistroShowsWhenItsProbeEnds(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	if _, err := b.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	ds, _ := b.Distros(ctx)
	if d, _ := byName(ds, "Ubuntu"); d.State != backend.StateRunning {
		t.Fatalf("%+v", d)
	}
	p := b.probe
	if _, err := b.run.Run(ctx, "-t", "Ubuntu"); err != nil { // `wsl -t Ubuntu` in another terminal
		t.Fatal(err)
	}
	<-p.ended // the reader has told the list by then
	ds, _ = b.Distros(ctx)
	if d, _ := byName(ds, "Ubuntu"); d.State != backend.StateStopped || d.Held {
		t.Fatalf("after the probe ended: %+v, want Stopped and not held", d)
	}
	if lists, _, _ := kinds(f); lists != 2 {
		t.Fatalf("%d list calls, want 2", lists)
	}
}

// Changes (on Windows: the Lxss registry key) invalidates the list at once.
func TestChangesRefreshTheList(t *testing.T) {
	ch := make(chan struct{})
	b, f, _ := newBackend(t, twoDistros(), func(o *Options) { o.Changes = ch })
	ctx := context.Background()
	b.Distros(ctx)
	b.Distros(ctx)
	st := f.Read()
	st.Distros = append(st.Distros, fakewsltest.Distro{Name: "Fedora", State: "Stopped", Version: 2})
	f.Write(st)
	ch <- struct{}{}
	ch <- struct{}{} // the second send returns only once the first was handled
	ds, _ := b.Distros(ctx)
	if _, ok := byName(ds, "Fedora"); !ok {
		t.Fatalf("a registered distro did not show after a change notification: %+v", ds)
	}
	if lists, _, _ := kinds(f); lists != 2 {
		t.Fatalf("%d list calls, want 2", lists)
	}
}

// Another running distro's processes and mounts cost one call for both, reused for DetailTTL;
// the probe stays where it was.
func TestOtherDistroDetailsOneCallCached(t *testing.T) {
	st := twoDistros()
	st.Distros[1].State, st.Distros[1].Version = "Running", 2
	b, f, clk := newBackend(t, st, nil)
	ctx := context.Background()
	if _, err := b.Sample(ctx); err != nil || b.ProbeDistro() != "Ubuntu" {
		t.Fatalf("%v %q", err, b.ProbeDistro())
	}
	oneShots := func() int { return f.Count("-d Debian --exec sh -c") }
	var wg sync.WaitGroup
	var ps []backend.Process
	var ms []backend.Mount
	var perr, merr error
	wg.Add(2)
	go func() { defer wg.Done(); ps, perr = b.Processes(ctx, "Debian") }()
	go func() { defer wg.Done(); ms, merr = b.Mounts(ctx, "Debian") }()
	wg.Wait()
	if perr != nil || merr != nil || len(ps) != 2 || ps[0].Distro != "Debian" || len(ms) != 3 || ms[0].Distro != "Debian" {
		t.Fatalf("processes %+v %v, mounts %+v %v", ps, perr, ms, merr)
	}
	if n := oneShots(); n != 1 {
		t.Fatalf("%d calls into Debian for its processes and mounts, want 1", n)
	}
	ps[0].Name = "changed by the caller" // callers sort and keep their copies
	clk.Advance(DefaultDetailTTL - time.Millisecond)
	ps2, _ := b.Processes(ctx, "Debian")
	b.Mounts(ctx, "Debian")
	if n := oneShots(); n != 1 || ps2[0].Name == "changed by the caller" {
		t.Fatalf("within DetailTTL: %d calls (want 1), %q", n, ps2[0].Name)
	}
	clk.Advance(time.Millisecond)
	b.Processes(ctx, "Debian")
	b.Mounts(ctx, "Debian")
	if n := oneShots(); n != 2 {
		t.Fatalf("after DetailTTL: %d calls, want 2", n)
	}
	if b.ProbeDistro() != "Ubuntu" {
		t.Fatalf("the probe moved to %q", b.ProbeDistro())
	}
}

// Issue 9 item 3: with only a WSL 1 distro running there are no VM figures, a note says why,
// and the WSL 1 distro is never probed (its /proc/meminfo describes Windows, not the VM).
func TestOnlyWSL1RunningHasNoVM(t *testing.T) {
	st := twoDistros()
	st.Distros[0].State = "Stopped"
	st.Distros[1].State = "Running" // Debian, WSL 1
	b, f, _ := newBackend(t, st, nil)
	ctx := context.Background()
	s, err := b.Sample(ctx)
	if backend.KindOf(err) != backend.KindNotRunning || !strings.Contains(err.Error(), "no WSL 2 distro is running (WSL 1 has no VM)") {
		t.Fatalf("err = %v", err)
	}
	if s.Guest != (backend.GuestMemory{}) {
		t.Fatalf("VM figures from a WSL 1 distro: %+v", s.Guest)
	}
	if n := f.Count("-d Debian"); n != 0 || b.ProbeDistro() != "" {
		t.Fatalf("probed the WSL 1 distro (%d calls, probing %q)", n, b.ProbeDistro())
	}
	// Its own processes are still there, with one call.
	if ps, err := b.Processes(ctx, "Debian"); err != nil || len(ps) != 2 {
		t.Fatalf("WSL 1 processes: %+v %v", ps, err)
	}
	// Once a WSL 2 distro runs, the VM figures come from it.
	if err := b.Start(ctx, "Ubuntu"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Sample(ctx); err != nil || b.ProbeDistro() != "Ubuntu" {
		t.Fatalf("with a WSL 2 distro running: %v, probing %q", err, b.ProbeDistro())
	}
}

// Requests that arrive while one is out go as one: the stream is never asked more often than
// it answers, and every asker gets the sections it wanted.
func TestProbeMergesConcurrentRequests(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	if _, err := b.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for i := 0; i < 10; i++ {
		wg.Add(3)
		go func() { defer wg.Done(); _, err := b.Sample(ctx); errs <- err }()
		go func() {
			defer wg.Done()
			ps, err := b.Processes(ctx, "Ubuntu")
			if err == nil && len(ps) != 2 {
				t.Errorf("processes %+v", ps)
			}
			errs <- err
		}()
		go func() {
			defer wg.Done()
			ms, err := b.Mounts(ctx, "Ubuntu")
			if err == nil && len(ms) != 3 {
				t.Errorf("mounts %+v", ms)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	p := b.probe
	p.mu.Lock()
	asked := p.nextID
	p.mu.Unlock()
	if asked > 31 || asked < 2 {
		t.Fatalf("%d requests on the stream for 31 asks", asked)
	}
	if _, probes, other := kinds(f); probes != 1 || other != 0 {
		t.Fatalf("%d probes, %d other calls", probes, other)
	}
}

func TestFrameReader(t *testing.T) {
	nonce := "00ff"
	out := "wsl: a warning\n" +
		"@@wsldash/00ff meminfo\nMemTotal: 1 kB\n" +
		"@@wsldash/00ff procs\n@@wsldash passwd\nroot:x:0:0::/:/bin/sh\n" +
		"@@wsldash end\n" + // a process's text, not ours: part of the section
		"@@wsldash/beef end 1\n" + // another probe's marker (a guessed one): content too
		"@@wsldash/00ff nosuch\n" +
		"@@wsldash/00ff end 7\n" +
		"@@wsldash/00ff end 8\n" // a frame with no sections
	fs, head := parseFrames([]byte(out), nonce, "X")
	if string(head) != "wsl: a warning\n" {
		t.Fatalf("head %q", head)
	}
	if len(fs) != 2 || fs[0].id != 7 || fs[1].id != 8 || len(fs[1].secs) != 0 {
		t.Fatalf("frames %+v", fs)
	}
	f := fs[0]
	if string(f.secs[secMeminfo]) != "MemTotal: 1 kB\n" {
		t.Fatalf("meminfo %q", f.secs[secMeminfo])
	}
	if want := "@@wsldash passwd\nroot:x:0:0::/:/bin/sh\n@@wsldash end\n@@wsldash/beef end 1\n"; string(f.secs[secProcs]) != want {
		t.Fatalf("procs %q", f.secs[secProcs])
	}
	if b, ok := f.secs["nosuch"]; !ok || len(b) != 0 {
		t.Fatalf("an unknown section comes back empty: %q %v", b, ok)
	}
	if _, err := parseMounts(f, "X"); backend.KindOf(err) != backend.KindParse {
		t.Fatalf("mounts not asked: %v", err)
	}
}

func FuzzProbeFrames(f *testing.F) {
	f.Add([]byte("@@wsldash/n meminfo\n" + guestMeminfo + "@@wsldash/n stat\n" + guestStat + "@@wsldash/n psi\n" + guestPSI +
		"@@wsldash/n mounts\n" + guestMountinfo + "@@wsldash/n procs\n" + dump() + "@@wsldash/n end 1\n"))
	f.Add([]byte("@@wsldash/n end x\n@@wsldash/n\n@@wsldash/n end 2"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fs, _ := parseFrames(b, "n", "X")
		for _, fr := range fs {
			for _, err := range []error{
				func() error { _, err := parseSample(fr); return err }(),
				func() error { _, err := parseMounts(fr, "X"); return err }(),
				func() error { _, err := parseProcsSection(fr, "X"); return err }(),
			} {
				if err != nil && backend.KindOf(err) != backend.KindParse {
					t.Fatalf("kind %v: %v", backend.KindOf(err), err)
				}
			}
		}
	})
}

// Inside a WSL 1 distro, its own /proc/meminfo is Windows' memory: the VM figures come from the
// probe in a WSL 2 distro, while its own processes and mounts are still read locally.
func TestInsideWSL1SamplesTheVMFromAWSL2Distro(t *testing.T) {
	own := guestRoot(t, true)
	for name, text := range map[string]string{
		"proc/version": "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #1237-Microsoft Sat Sep 11 14:32:00 PST 2021\n",
		"proc/meminfo": strings.Replace(guestMeminfo, "MemTotal:       16318256 kB", "MemTotal:       33554432 kB", 1),
	} {
		if err := os.WriteFile(filepath.Join(own, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st := twoDistros()
	st.Distros[1].State = "Running" // Debian, WSL 1: the one we run in
	t.Setenv("WSL_DISTRO_NAME", "Debian")
	yes := true
	b, f, _ := newBackend(t, st, func(o *Options) { o.Inside, o.ProcRoot = &yes, filepath.Join(own, "proc") })
	ctx := context.Background()
	s, err := b.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Guest.TotalBytes != 16318256*1024 || b.ProbeDistro() != "Ubuntu" {
		t.Fatalf("total %d from %q: want the WSL 2 distro's VM, not Windows' memory", s.Guest.TotalBytes, b.ProbeDistro())
	}
	ms, err := b.Mounts(ctx, "")
	if err != nil || len(ms) != 3 || ms[0].Distro != "Debian" || f.Count("-d Debian") != 0 {
		t.Fatalf("own mounts %+v %v (calls into Debian: %d)", ms, err, f.Count("-d Debian"))
	}
	if IsWSL1Kernel([]byte("Linux version 6.6.87.2-microsoft-standard-WSL2 (root@439a258ad544) #1 SMP")) {
		t.Fatal("a WSL 2 kernel taken for WSL 1")
	}
}

// The stream's process table survives the names a process can choose: a newline cuts its stat's
// first line (read whole then), backslashes are not interpreted by the guest's echo.
func TestProbeProcsHostileNames(t *testing.T) {
	st := twoDistros()
	st.GuestRoot = guestRoot(t, true)
	rest := " S 1 77 1 0 -1 4194304 129 0 0 0 40 10 0 0 20 0 3 0 50000 2990080 425 18446744073709551615 1 1 0 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n"
	for pid, c := range map[string][2]string{
		"77": {"77 (we\nird)" + rest, "Name:\twe\\nird\nUid:\t1000\t1000\t1000\t1000\nVmRSS:\t    1700 kB\n"},
		"78": {"78 (a\\nb\\tc)" + rest, "Name:\ta\\\\nb\\\\tc\nUid:\t0\t0\t0\t0\n"},
	} {
		dir := filepath.Join(st.GuestRoot, "proc", pid)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "stat"), []byte(c[0]), 0o644)
		os.WriteFile(filepath.Join(dir, "status"), []byte(c[1]), 0o644)
	}
	b, _, _ := newBackend(t, st, nil)
	ctx := context.Background()
	if _, err := b.Sample(ctx); err != nil {
		t.Fatal(err)
	}
	ps, err := b.Processes(ctx, "Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	names := map[int]string{}
	for _, p := range ps {
		names[p.PID] = p.Name
	}
	if names[77] != "we\nird" || names[78] != `a\nb\tc` || names[42] != "a b) c" || len(ps) != 4 {
		t.Fatalf("names %v", names)
	}
}
