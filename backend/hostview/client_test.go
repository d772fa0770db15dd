//go:build !windows

// The fake helper relies on Unix process signals to check that no helper is left.

package hostview

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// The test binary doubles as the fake helper: with $HOSTVIEW_FAKE_HELPER set it speaks the
// helper's side of the protocol in the named way and exits, instead of running the tests.
func TestMain(m *testing.M) {
	if sc := os.Getenv("HOSTVIEW_FAKE_HELPER"); sc != "" {
		os.Exit(fakeHelper(sc))
	}
	os.Exit(m.Run())
}

func fakeHelper(scenario string) int {
	if f := os.Getenv("HOSTVIEW_PIDFILE"); f != "" {
		fh, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintln(fh, os.Getpid())
			fh.Close()
		}
	}
	w := bufio.NewWriter(os.Stdout)
	put := func(ls ...Line) {
		for _, l := range ls {
			b, _ := Encode(nil, l)
			w.Write(b)
		}
		w.Flush()
	}
	waitStdin := func() { bufio.NewReader(os.Stdin).ReadString(0) }
	ls := fakeLines("test")
	switch scenario {
	case "ok": // answer, then stay until stdin closes (a hang, once the clock passes the timeout)
		put(ls...)
		waitStdin()
		return 0
	case "crlf":
		for _, l := range ls {
			b, _ := Encode(nil, l)
			w.Write(append(b[:len(b)-1], '\r', '\n'))
		}
		w.Flush()
		waitStdin()
		return 0
	case "die":
		put(ls...)
		fmt.Fprintln(os.Stderr, "boom: the registry went away")
		return 3
	case "garbage":
		put(ls[0])
		fmt.Fprintln(w, "Microsoft Windows [Version 10.0.26100]")
		w.Flush()
		waitStdin()
		return 0
	case "v2":
		fmt.Fprintln(w, `{"v":2,"type":"hello","program":"wsldash","version":"9.0.0"}`)
		w.Flush()
		waitStdin()
		return 0
	case "oldversion":
		put(fakeLines("0.9.0")...)
		waitStdin()
		return 0
	case "old": // a wsldash.exe from before the host subcommand
		fmt.Fprintln(os.Stderr, `Error: unknown command "host" for "wsldash"`)
		return 1
	case "stream", "dietwice": // a host line every 20 ms until stdin closes; dietwice: the first two runs die at once
		if b, _ := os.ReadFile(os.Getenv("HOSTVIEW_PIDFILE")); scenario == "dietwice" && strings.Count(string(b), "\n") <= 2 {
			fmt.Fprintln(os.Stderr, "dying young")
			return 1
		}
		put(ls...)
		go func() { waitStdin(); os.Exit(0) }()
		for {
			time.Sleep(20 * time.Millisecond) // the helper's own pace (real time, in the child)
			put(ls[2])
		}
	case "pace": // logs its arguments and every stdin line to $HOSTVIEW_LOG, answering each with a host line
		logLine := func(s string) {
			if f, err := os.OpenFile(os.Getenv("HOSTVIEW_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
				fmt.Fprintln(f, s)
				f.Close()
			}
		}
		logLine("args " + strings.Join(os.Args[1:], " "))
		put(ls...)
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			logLine("stdin " + sc.Text())
			put(ls[2])
		}
		return 0
	case "nohello":
		put(ls[2])
		waitStdin()
		return 0
	}
	return 2
}

type harness struct {
	t       *testing.T
	clk     *fakeClock
	c       *Client
	events  chan Event
	pidfile string
}

func newHarness(t *testing.T, scenario string, mod func(*ClientOptions)) *harness {
	t.Helper()
	h := &harness{t: t, clk: newFakeClock(), events: make(chan Event, 1000)}
	h.pidfile = filepath.Join(t.TempDir(), "pids")
	t.Setenv("HOSTVIEW_FAKE_HELPER", scenario)
	t.Setenv("HOSTVIEW_PIDFILE", h.pidfile)
	t.Setenv("GORACE", "atexit_sleep_ms=0") // a -race helper would otherwise linger 1 s at exit
	opts := ClientOptions{Exe: os.Args[0], Args: []string{}, Clock: h.clk, Version: "test", OnEvent: func(e Event) { h.events <- e }}
	if mod != nil {
		mod(&opts)
	}
	h.c = NewClient(opts)
	t.Cleanup(func() { h.c.Close() })
	return h
}

// next waits for the next event of kind k (a failsafe, not a synchronisation: the event is
// what the test waits for).
func (h *harness) next(k EventKind) Event {
	h.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case e := <-h.events:
			if e.Kind == k {
				return e
			}
		case <-timeout:
			h.t.Fatalf("no event %v within 20s", k)
		}
	}
}

func (h *harness) nextLine(typ string) {
	h.t.Helper()
	for {
		if e := h.next(EventLine); e.Line == typ {
			return
		}
	}
}

func (h *harness) pids() []int {
	b, _ := os.ReadFile(h.pidfile)
	var out []int
	for _, f := range strings.Fields(string(b)) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}

func gone(pid int) bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) }

func TestClientServesTheHelpersLines(t *testing.T) {
	for _, sc := range []string{"ok", "crlf"} {
		t.Run(sc, func(t *testing.T) {
			h := newHarness(t, sc, nil)
			if _, err := h.c.Sample(context.Background()); backend.KindOf(err) != backend.KindNotRunning {
				t.Fatalf("before the first answer Sample must say it is waiting, got %v", err)
			}
			if err := h.c.Ready(context.Background()); err != nil {
				t.Fatal(err)
			}
			hv, err := h.c.Sample(context.Background())
			if err != nil || hv == nil || hv.VMProcess != "vmmemWSL" || hv.VMProcessBytes != 5*gib || hv.TotalBytes != 32*gib || hv.VMCPUPercent == nil || *hv.VMCPUPercent != 1.5 || hv.Note != "" {
				t.Fatalf("Sample = %+v, %v", hv, err)
			}
			regs, err := h.c.Registrations()
			if err != nil || len(regs) != 2 || regs[0].Name != "Ubuntu" || regs[0].DiskPath() != `C:\wsl\Ubuntu\ext4.vhdx` || !regs[0].Default || regs[1].Version() != 1 {
				t.Fatalf("Registrations = %+v, %v", regs, err)
			}
			if n, err := h.c.DiskUsage(`c:\WSL\Ubuntu\ext4.vhdx`); err != nil || n != 38654705664 {
				t.Fatalf("DiskUsage = %d, %v", n, err)
			}
			if _, err := h.c.DiskUsage(`C:\wsl\legacy\ext4.vhdx`); err == nil {
				t.Fatal("a disk without a reported size must be an error, not 0")
			}
			for range 100 {
				h.c.Sample(context.Background())
				h.c.Registrations()
			}
			if n := h.c.Starts(); n != 1 {
				t.Fatalf("%d helpers started; one per run", n)
			}
			pids := h.pids()
			h.c.Close()
			if len(pids) != 1 || !gone(pids[0]) {
				t.Fatalf("helper %v left running after Close", pids)
			}
		})
	}
}

func TestClientDeathRestartsWithBackoff(t *testing.T) {
	h := newHarness(t, "die", nil)
	h.c.Sample(context.Background())
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, d := range want {
		e := h.next(EventDegraded)
		if e.Retry != d || !strings.Contains(e.Note, "exit status 3") || !strings.Contains(e.Note, "boom: the registry went away") {
			t.Fatalf("failure %d: %+v; want a retry after %v and the exit status and stderr in the note", i, e, d)
		}
		hv, err := h.c.Sample(context.Background())
		if err != nil || hv == nil || hv.VMProcessBytes != 0 || !strings.Contains(hv.Note, "restarting in") {
			t.Fatalf("degraded Sample = %+v, %v; want only a note", hv, err)
		}
		if n := h.c.Starts(); n != i+1 {
			t.Fatalf("%d starts before the back-off passed, want %d", n, i+1)
		}
		h.clk.Advance(d - time.Millisecond)
		if n := h.c.Starts(); n != i+1 {
			t.Fatalf("restarted before the back-off of %v passed", d)
		}
		h.clk.Advance(time.Millisecond)
		h.next(EventStarted)
	}
	for _, pid := range h.pids() {
		if !gone(pid) {
			t.Fatalf("dead helper %d not reaped", pid)
		}
	}
}

func TestClientBackoffIsCapped(t *testing.T) {
	h := newHarness(t, "die", func(o *ClientOptions) { o.MaxBackoff = 4 * time.Second })
	h.c.Sample(context.Background())
	for i, d := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second} {
		if e := h.next(EventDegraded); e.Retry != d {
			t.Fatalf("failure %d: retry %v, want %v", i, e.Retry, d)
		}
		h.clk.Advance(d)
		h.next(EventStarted)
	}
}

func TestClientHangIsKilledAndRestarted(t *testing.T) {
	h := newHarness(t, "ok", func(o *ClientOptions) { o.Timeout = 5 * time.Second })
	h.c.Ready(context.Background())
	h.nextLine(TypeHost)
	h.clk.Advance(5 * time.Second)
	e := h.next(EventDegraded)
	if e.Retry != time.Second || !strings.Contains(e.Note, "printed nothing for 5s") {
		t.Fatalf("hang: %+v", e)
	}
	if hv, _ := h.c.Sample(context.Background()); hv == nil || hv.VMProcessBytes != 0 || hv.Note == "" {
		t.Fatalf("a hung helper's last view must not be served: %+v", hv)
	}
	if p := h.pids(); len(p) != 1 || !gone(p[0]) {
		t.Fatalf("hung helper %v not killed", p)
	}
	h.clk.Advance(time.Second)
	h.next(EventStarted)
	h.nextLine(TypeHost)
	if hv, _ := h.c.Sample(context.Background()); hv == nil || hv.VMProcessBytes != 5*gib {
		t.Fatalf("after the restart the host view must come back: %+v", hv)
	}
}

func TestClientGarbage(t *testing.T) {
	for _, sc := range []string{"garbage", "nohello"} {
		t.Run(sc, func(t *testing.T) {
			h := newHarness(t, sc, nil)
			h.c.Sample(context.Background())
			e := h.next(EventDegraded)
			if e.Retry != time.Second || !strings.Contains(e.Note, "garbage") {
				t.Fatalf("%+v", e)
			}
			if p := h.pids(); len(p) != 1 || !gone(p[0]) {
				t.Fatalf("helper %v printing garbage not killed", p)
			}
		})
	}
}

func TestClientVersionMismatchIsReportedNotRetried(t *testing.T) {
	for _, tc := range []struct{ sc, want string }{
		{"v2", "speaks line format 2, this wsldash reads 1"},
		{"old", "has no host helper"},
	} {
		t.Run(tc.sc, func(t *testing.T) {
			h := newHarness(t, tc.sc, nil)
			h.c.Ready(context.Background())
			e := h.next(EventDegraded)
			if e.Retry != 0 || !strings.Contains(e.Note, tc.want) || !strings.Contains(e.Note, "wsldash test") {
				t.Fatalf("%+v; want no retry and a note naming the version to install", e)
			}
			hv, _ := h.c.Sample(context.Background())
			if hv == nil || !strings.Contains(hv.Note, tc.want) || strings.Contains(hv.Note, "restarting") {
				t.Fatalf("Sample = %+v", hv)
			}
			h.clk.Advance(time.Hour)
			if n := h.c.Starts(); n != 1 {
				t.Fatalf("%d starts: a mismatch must not be retried", n)
			}
		})
	}
}

func TestClientProgramVersionDiffersIsNoted(t *testing.T) {
	h := newHarness(t, "oldversion", nil)
	h.c.Ready(context.Background())
	hv, err := h.c.Sample(context.Background())
	if err != nil || hv.VMProcessBytes != 5*gib || hv.Note != "host helper is wsldash 0.9.0, this is test" {
		t.Fatalf("Sample = %+v, %v", hv, err)
	}

}

func TestClientWithoutHelperSaysHowToGetOne(t *testing.T) {
	c := NewClient(ClientOptions{Clock: newFakeClock(), locate: func() (Found, error) { return Found{}, ErrNotFound }})
	defer c.Close()
	c.Ready(context.Background())
	hv, err := c.Sample(context.Background())
	if err != nil || hv == nil || hv.Note != HowTo || strings.Contains(hv.Note, "\n") {
		t.Fatalf("Sample = %+v, %v; want the one-line how-to", hv, err)
	}
	if _, err := c.Registrations(); err == nil || !strings.Contains(err.Error(), "WSLDASH_HOST_EXE") {
		t.Fatalf("Registrations error = %v", err)
	}
	if c.Starts() != 0 {
		t.Fatal("nothing to start")
	}
}

func TestClientCloseBeforeStart(t *testing.T) {
	c := NewClient(ClientOptions{Exe: "/nonexistent"})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c.Sample(context.Background()) // must not start after Close
	if c.Starts() != 0 {
		t.Fatal("started after Close")
	}
}

func TestClientInteropOffIsNotRetried(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "wsldash.exe")
	os.WriteFile(exe, []byte("MZ\x90\x00not an ELF"), 0o755) // what a PE file is to Linux without interop
	events := make(chan Event, 10)
	c := NewClient(ClientOptions{Exe: exe, Clock: newFakeClock(), OnEvent: func(e Event) { events <- e }})
	defer c.Close()
	c.Ready(context.Background())
	e := <-events
	if e.Kind != EventDegraded || e.Retry != 0 || !strings.Contains(e.Note, "interop") {
		t.Fatalf("%+v", e)
	}
}

// A helper that keeps printing is never taken as hung however long the clock runs, and a run
// that lasted HealthyAfter restarts after the shortest back-off again.
func TestClientSteadyHelperAndBackoffReset(t *testing.T) {
	h := newHarness(t, "dietwice", func(o *ClientOptions) { o.Timeout = 5 * time.Second })
	h.c.Sample(context.Background())
	for _, d := range []time.Duration{time.Second, 2 * time.Second} {
		if e := h.next(EventDegraded); e.Retry != d {
			t.Fatalf("early death: retry %v, want %v", e.Retry, d)
		}
		h.clk.Advance(d)
		h.next(EventStarted)
	}
	h.nextLine(TypeHost)
	for range 11 { // 33 s of clock, 3 s at a time, lines arriving in between
		h.clk.Advance(3 * time.Second)
		for len(h.events) > 0 {
			if e := <-h.events; e.Kind == EventDegraded {
				t.Fatalf("a helper that prints was taken as failed: %+v", e)
			}
		}
		h.nextLine(TypeHost) // the second line is read wholly after the advance
		h.nextLine(TypeHost)
	}
	pids := h.pids()
	syscall.Kill(pids[len(pids)-1], syscall.SIGKILL)
	if e := h.next(EventDegraded); e.Retry != time.Second || !strings.Contains(e.Note, "killed") {
		t.Fatalf("after a healthy run: %+v, want a retry after 1s", e)
	}
}
