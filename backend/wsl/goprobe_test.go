package wsl

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// goProbeTest points a backend at this test binary as its Go probe (guestprobe_test.go makes it
// answer `probe NONCE`).
func goProbeTest(t testing.TB) func(*Options) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return func(o *Options) { o.GuestProbe = exe }
}

// probeStarts counts the double's starts of the Go probe and of the sh probe.
func probeStarts(f *fakewsltest.Fake) (goProbes, shProbes int) {
	for _, c := range f.Calls() {
		j := strings.Join(c, " ")
		switch {
		case strings.Contains(j, "--cd ") && strings.HasSuffix(strings.Join(c[:len(c)-1], " "), " probe"):
			goProbes++
		case strings.Contains(j, "wsldash-probe"):
			shProbes++
		}
	}
	return
}

// The dashboard's minute on the Go probe: one start (its kind asked once), samples with the raw
// CPU counters and the probe's own ticks, processes with their users and names, mounts.
func TestGoProbeSteadyState(t *testing.T) {
	b, f, clk := newBackend(t, twoDistros(), goProbeTest(t))
	ctx := context.Background()
	for i := 0; i < 30; i++ {
		s, err := b.Sample(ctx)
		if err != nil {
			t.Fatalf("tick %d: %v", i, err)
		}
		if s.CPU == nil || s.CPU.CPUs != 2 || s.CPU.User != 4052 || s.SelfTicks == nil || s.Guest.TotalBytes != 16318256*1024 {
			t.Fatalf("tick %d: sample %+v cpu %+v self %v", i, s, s.CPU, s.SelfTicks)
		}
		if i%3 == 0 {
			ps, err := b.Processes(ctx, "")
			if err != nil || len(ps) != 2 || ps[1].Name != "a b) c" || ps[1].User != "dev" || ps[0].User != "root" || ps[1].RSSBytes != 425*4096 {
				t.Fatalf("tick %d: processes %+v %v", i, ps, err)
			}
			ms, err := b.Mounts(ctx, "")
			if err != nil || len(ms) != 3 || ms[2].Target != "/mnt/c" || ms[0].Distro != "Ubuntu" {
				t.Fatalf("tick %d: mounts %+v %v", i, ms, err)
			}
		}
		clk.Advance(time.Second)
	}
	if kind, why := b.ProbeKind(); kind != "go test" || why != "" {
		t.Fatalf("ProbeKind = %q, %q", kind, why)
	}
	if goProbes, shProbes := probeStarts(f); goProbes != 1 || shProbes != 0 {
		t.Fatalf("%d Go probes, %d sh probes started; want 1 and 0", goProbes, shProbes)
	}
}

// Both probes: mounts that change show at once, "unchanged" ones are the last ones; a process
// name cannot hide or fake another process; a pid reused between two listings is found again.
func TestProbesAgree(t *testing.T) {
	for _, kind := range []string{"go", "sh"} {
		t.Run(kind, func(t *testing.T) {
			st := twoDistros()
			st.GuestRoot = guestRoot(t, true)
			mod := func(o *Options) { o.GuestProbe = "off" }
			if kind == "go" {
				mod = goProbeTest(t)
			}
			writeProc(t, st.GuestRoot, "77", "we\nird", "1000", "90000")
			writeProc(t, st.GuestRoot, "78", "\n@@wsldash pid ", "0", "90000")
			writeProc(t, st.GuestRoot, "79", "x) S 1 2 3", "0", "90000")
			b, _, _ := newBackend(t, st, mod)
			ctx := context.Background()
			if _, err := b.Sample(ctx); err != nil {
				t.Fatal(err)
			}
			names := func() map[int]string {
				ps, err := b.Processes(ctx, "Ubuntu")
				if err != nil {
					t.Fatal(err)
				}
				m := map[int]string{}
				for _, p := range ps {
					m[p.PID] = p.Name + "/" + p.User
				}
				return m
			}
			want := map[int]string{1: "init/root", 42: "a b) c/dev", 77: "we\nird/dev", 78: "\n@@wsldash pid /root", 79: "x) S 1 2 3/root"}
			for i := 0; i < 2; i++ { // the second listing has no statuses: the cache's
				if got := names(); fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("listing %d: %#v, want %#v", i, got, want)
				}
			}
			// pid 77 is now another process, of another user (a new start time): the probe
			// says so (Go), or the backend finds out and asks for everything again (sh).
			writeProc(t, st.GuestRoot, "77", "other", "0", "95000")
			got := names()
			want[77] = "other/root"
			if kind == "sh" && got[77] == "other/?" {
				got = names() // one listing without its user; the next asked afresh
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("after pid 77 was reused: %#v, want %#v", got, want)
			}
			ms, err := b.Mounts(ctx, "Ubuntu")
			if err != nil || len(ms) != 3 {
				t.Fatalf("%+v %v", ms, err)
			}
			if ms2, err := b.Mounts(ctx, "Ubuntu"); err != nil || fmt.Sprint(ms2) != fmt.Sprint(ms) {
				t.Fatalf("unchanged mounts: %+v %v", ms2, err)
			}
			if err := os.WriteFile(filepath.Join(st.GuestRoot, "proc/self/mountinfo"), []byte(guestMountinfo+
				"200 86 0:70 / /mnt/d rw,noatime - 9p D:\\134 rw,aname=drvfs;path=D:\\\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if ms, err := b.Mounts(ctx, "Ubuntu"); err != nil || len(ms) != 4 || ms[3].Target != "/mnt/d" {
				t.Fatalf("changed mounts: %+v %v", ms, err)
			}
		})
	}
}

// writeProc writes a guest process's stat and status.
func writeProc(t *testing.T, root, pid, name, uid, start string) {
	t.Helper()
	dir := filepath.Join(root, "proc", pid)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stat := pid + " (" + name + ") S 1 77 1 0 -1 4194304 129 0 0 0 40 10 0 0 20 0 3 0 " + start + " 2990080 425 18446744073709551615 1 1 0 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n"
	status := "Name:\t" + strings.NewReplacer("\\", "\\\\", "\n", "\\n").Replace(name) + "\nUmask:\t0022\nUid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\n"
	if err := os.WriteFile(filepath.Join(dir, "stat"), []byte(stat), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "status"), []byte(status), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A Go probe that is missing, exits, or does not answer its kind leaves the sh probe for the
// rest of the run, with the reason; the Go probe is not tried again when a probe restarts.
func TestGoProbeFallback(t *testing.T) {
	hang := filepath.Join(t.TempDir(), "wsldash")
	if err := os.WriteFile(hang, []byte("#!/bin/sh\nexec sleep 100\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, why string
	}{
		{"missing", "/nonexistent/wsldash", "no such file"},
		{"exits", "/bin/false", "the Go probe (/bin/false) failed"},
		{"silent", hang, "printed nothing within"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, f, clk := newBackend(t, twoDistros(), func(o *Options) { o.GuestProbe, o.Timeout = tc.path, 2*time.Second })
			ctx := context.Background()
			if _, err := b.Sample(ctx); err != nil {
				t.Fatal(err)
			}
			kind, why := b.ProbeKind()
			if kind != "sh" || !strings.Contains(why, tc.why) {
				t.Fatalf("ProbeKind = %q, %q; want sh because %q", kind, why, tc.why)
			}
			if ps, err := b.Processes(ctx, ""); err != nil || len(ps) != 2 {
				t.Fatalf("processes on the sh probe: %+v %v", ps, err)
			}
			// The distro stops and starts again: the next probe is the sh one at once.
			p := b.probe
			if _, err := b.run.Run(ctx, "-t", "Ubuntu"); err != nil {
				t.Fatal(err)
			}
			<-p.ended
			if err := b.Start(ctx, "Ubuntu"); err != nil {
				t.Fatal(err)
			}
			clk.Advance(probeRetryAfterEnd)
			for i := 0; i < 3 && b.ProbeDistro() == ""; i++ {
				b.Sample(ctx)
				clk.Advance(probeRetryAfterEnd)
			}
			if _, err := b.Sample(ctx); err != nil {
				t.Fatal(err)
			}
			goProbes, shProbes := probeStarts(f)
			wantGo := 1
			if tc.name == "missing" {
				wantGo = 0
			}
			if goProbes != wantGo || shProbes != 2 {
				t.Fatalf("%d Go probes, %d sh probes; want %d and 2", goProbes, shProbes, wantGo)
			}
		})
	}
}

func TestLocateGoProbe(t *testing.T) {
	exe := func(p string) func() (string, error) { return func() (string, error) { return p, nil } }
	stat := func(have ...string) func(string) (os.FileInfo, error) {
		return func(p string) (os.FileInfo, error) {
			for _, h := range have {
				if p == h {
					return nil, nil
				}
			}
			return nil, &fs.PathError{Op: "stat", Path: p, Err: fs.ErrNotExist}
		}
	}
	win := filepath.Join("C:", "wsldash", "wsldash.exe")
	linux := filepath.Join(filepath.Dir(win), "linux", "wsldash")
	for _, tc := range []struct {
		name, opt, env string
		inside         bool
		goos           string
		have           []string
		path, why      string
	}{
		{"the release zip", "", "", false, "windows", []string{linux}, linux, ""},
		{"go install", "", "", false, "windows", nil, "", "no Linux build beside wsldash.exe"},
		{"env off", "", "off", false, "windows", []string{linux}, "", "$WSLDASH_GUEST_PROBE is off"},
		{"env path", "", "/x/wsldash", false, "windows", []string{"/x/wsldash"}, "/x/wsldash", ""},
		{"env path missing", "", "/x/wsldash", false, "windows", nil, "", "$WSLDASH_GUEST_PROBE: stat /x/wsldash"},
		{"the option first", "OFF", "/x/wsldash", false, "windows", []string{"/x/wsldash"}, "", "the option is off"},
		{"inside WSL", "", "", true, "linux", nil, "", "inside WSL"},
		{"inside WSL, given", "", "/x/wsldash", true, "linux", []string{"/x/wsldash"}, "/x/wsldash", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, why := locateGoProbe(tc.opt, tc.env, tc.inside, tc.goos, exe(win), stat(tc.have...))
			if path != tc.path || !strings.Contains(why, tc.why) || (tc.why == "") != (why == "") {
				t.Fatalf("got %q, %q; want %q, %q", path, why, tc.path, tc.why)
			}
		})
	}
	// On Linux outside WSL (tests against the double) this program, only if it offers the probe:
	// this test binary does not (see guestprobe_test.go).
	if path, why := locateGoProbe("", "", false, "linux", exe("/bin/wsldash"), stat()); path != "" || !strings.Contains(why, "does not offer") {
		t.Fatalf("%q %q", path, why)
	}
}

// The double's --cd is wsl.exe's: a relative or empty one is E_INVALIDARG, a Windows folder that
// does not exist fails in wsl.exe, a Linux one that does not exist leaves execvpe to fail, and a
// relative command is found in the folder.
func TestDoubleChangeDirectory(t *testing.T) {
	b, _, _ := newBackend(t, twoDistros(), nil)
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hello"), []byte("#!/bin/sh\necho \"hello from $(pwd)\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := b.run.Run(ctx, "-d", "Ubuntu", "--cd", dir, "--exec", "./hello")
	if err != nil || strings.TrimSpace(res.Text()) != "hello from "+dir {
		t.Fatalf("linux path: %q %v", res.Text(), err)
	}
	winDir := `C:\` + strings.ReplaceAll(strings.TrimPrefix(dir, "/"), "/", `\`) // C: is / in the double
	res, err = b.run.Run(ctx, "-d", "Ubuntu", "--cd", winDir, "--exec", "./hello")
	if err != nil || strings.TrimSpace(res.Text()) != "hello from "+dir {
		t.Fatalf("windows path: %q %v", res.Text(), err)
	}
	for _, tc := range []struct{ cd, code string }{
		{"relative", "Wsl/E_INVALIDARG"},
		{winDir + `\nosuch`, "Wsl/ERROR_FILE_NOT_FOUND"},
		{winDir + `\nosuch\deeper`, "Wsl/ERROR_PATH_NOT_FOUND"},
		{winDir + `\hello`, "Wsl/0x8007010b"},
	} {
		_, err := b.run.Run(ctx, "-d", "Ubuntu", "--cd", tc.cd, "--exec", "./hello")
		if backend.CodeOf(err) != tc.code {
			t.Errorf("--cd %s: %v, want %s", tc.cd, err, tc.code)
		}
	}
	res, err = b.run.Run(ctx, "-d", "Ubuntu", "--cd", dir+"/nosuch", "--exec", "./hello")
	if err == nil || res.ExitCode != 1 || !strings.Contains(res.Text(), "execvpe(./hello) failed") {
		t.Fatalf("a missing Linux folder: %q exit %d %v", res.Text(), res.ExitCode, err)
	}
}

// The sh probe's self section is its own stat line: a builtin read, so its ticks are the
// shell's with the children it reaped.
func TestShProbeSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	cmd := exec.Command("sh", "-c", probeScript, "wsldash-probe", "n")
	cmd.Stdin = strings.NewReader("1 self kind\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := parseFrames(out, "n", "X")
	if len(fs) != 1 || strings.TrimSpace(string(fs[0].secs[secKind])) != "sh" {
		t.Fatalf("%q", out)
	}
	if _, ok := selfTicks(fs[0].secs[secSelf]); !ok || !strings.HasPrefix(string(fs[0].secs[secSelf]), fmt.Sprint(cmd.Process.Pid)+" (") {
		t.Fatalf("self %q", fs[0].secs[secSelf])
	}
}

func TestSelfTicks(t *testing.T) {
	line := "42 (a b) c) S 1 42 1 0 -1 4194304 129 0 0 0 40 10 3 2 20 0 3 0 50000 2990080 425\n"
	if v, ok := selfTicks([]byte(line)); !ok || v != 55 {
		t.Fatalf("%d %v", v, ok)
	}
	for _, bad := range []string{"", "42 (x) S 1 2", "42 (x) S 1 42 1 0 -1 4194304 129 0 0 0 40 x 3 2 20"} {
		if _, ok := selfTicks([]byte(bad)); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

// The stat lines of one cat are split by their shape: names with newlines, ") " and marker-like
// text stay whole, and a status names its pid. A record cut short (cat prints each file whole,
// so only garbage) is dropped when the name it would make with the next one is longer than any.
func TestProcCacheStats(t *testing.T) {
	rest := ") S 1 77 1 0 -1 4194304 129 0 0 0 40 10 0 0 20 0 3 0 %d 2990080 425 18446744073709551615 1 1 0 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n"
	rec := func(pid int, name string, start int) string { return fmt.Sprintf("%d (%s"+rest, pid, name, start) }
	body := "@@wsldash uptime\n1000.00 1.00\n" +
		"@@wsldash status 5\nName:\tfive\nUid:\t1000\t1000\t1000\t1000\n" +
		"@@wsldash passwd\ndev:x:1000:1000::/home/dev:/bin/sh\n" +
		"@@wsldash stats\n" +
		rec(5, "five", 100) + "9 (cut short " + strings.Repeat("x", 50) + "\n" + rec(6, "a\n@@wsldash pid ", 100) + rec(7, "x) S 1 2\n3 (", 100) + rec(8, "\n6 (evil", 100)
	var c procCache
	ps, miss := c.parse([]byte(body), "X")
	got := map[int]string{}
	for _, p := range ps {
		got[p.PID] = p.Name + "/" + p.User
	}
	want := map[int]string{5: "five/dev", 6: "a\n@@wsldash pid /?", 7: "x) S 1 2\n3 (/?", 8: "\n6 (evil/?"}
	if fmt.Sprint(got) != fmt.Sprint(want) || !miss {
		t.Fatalf("%#v miss %v, want %#v and a miss (6, 7 and 8 had no status)", got, miss, want)
	}
	// The next listing without statuses: 5 from the cache; 5 with a new start time is a miss.
	ps, miss = c.parse([]byte("@@wsldash stats\n"+rec(5, "five", 100)), "X")
	if len(ps) != 1 || ps[0].User != "dev" || ps[0].Name != "five" || miss {
		t.Fatalf("%+v %v", ps, miss)
	}
	ps, miss = c.parse([]byte("@@wsldash stats\n"+rec(5, "five", 200)), "X")
	if len(ps) != 1 || ps[0].User != "?" || !miss {
		t.Fatalf("reused pid: %+v %v", ps, miss)
	}
}

// settle turns "unchanged" mounts into the last ones the probe sent.
func TestSettleMounts(t *testing.T) {
	r := &frameReader{marker: []byte("@@wsldash/n "), distro: "X"}
	in := "@@wsldash/n mounts\n" + guestMountinfo + "@@wsldash/n end 1\n@@wsldash/n mounts\nunchanged\n@@wsldash/n end 2\n"
	var fs []frame
	for _, l := range strings.Split(strings.TrimSuffix(in, "\n"), "\n") {
		if f, ok := r.line([]byte(l)); ok {
			fs = append(fs, f)
		}
	}
	if len(fs) != 2 || string(fs[1].secs[secMounts]) != guestMountinfo {
		t.Fatalf("%+v", fs)
	}
	// A probe that says unchanged before it sent any: a parse error, not an empty list.
	if _, err := parseMounts(frame{secs: map[string][]byte{secMounts: []byte("unchanged\n")}}, "X"); err == nil {
		t.Fatal("unchanged with nothing before parsed")
	}
}

func FuzzProcCache(f *testing.F) {
	f.Add([]byte("@@wsldash uptime\n1.0 1.0\n@@wsldash status 1\nName:\tx\nUid:\t0\t0\t0\t0\n@@wsldash stats\n1 (x) S 0 1 1 0 -1 4194560 1 0 0 0 5 5 0 0 20 0 1 0 0 2990080 300 1 1 1\n"), []byte("@@wsldash stats\n1 (x) S 0 1 1 0 -1 4194560 1 0 0 0 5 5 0 0 20 0 1 0 7 2990080 300 1 1 1\n"))
	f.Add([]byte(dump()), []byte("@@wsldash stats\n2 (\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var c procCache
		for _, in := range [][]byte{a, b} {
			ps, _ := c.parse(in, "X")
			for i, p := range ps {
				if p.Distro != "X" || p.User == "" || p.PID <= 0 && !bytes0(in) {
					t.Fatalf("bad process %+v", p)
				}
				if i > 0 && ps[i-1].PID > p.PID {
					t.Fatal("not sorted by pid")
				}
			}
		}
	})
}

// bytes0 is true for input that holds the older format (whose pids may be 0).
func bytes0(in []byte) bool { return strings.Contains(string(in), "@@wsldash pid ") }

// Inside WSL 2 the sample's raw CPU counters and own ticks come from the distro's /proc: the
// ticks are this process's own (the dashboard is what runs in the VM).
func TestSampleInsideCountersAndSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	yes := true
	b, _, _ := newBackend(t, twoDistros(), func(o *Options) { o.Inside, o.ProcRoot = &yes, "/proc" })
	s, err := b.Sample(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.CPU == nil || s.CPU.CPUs < 1 || s.CPU.Total() == 0 || s.SelfTicks == nil {
		t.Fatalf("cpu %+v self %v", s.CPU, s.SelfTicks)
	}
	if kind, why := b.ProbeKind(); kind != "" || !strings.Contains(why, "own /proc") {
		t.Fatalf("ProbeKind inside: %q %q", kind, why)
	}
}
