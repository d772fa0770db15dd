//go:build !windows

package hostview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// newPaceHarness runs the "pace" helper, which logs its arguments and its stdin lines, with
// the default Args (host --watch --json --refresh <interval>) unless mod says otherwise.
func newPaceHarness(t *testing.T, mod func(*ClientOptions)) (*harness, func() []string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "log")
	t.Setenv("HOSTVIEW_LOG", log)
	h := newHarness(t, "pace", func(o *ClientOptions) {
		o.Args = nil
		if mod != nil {
			mod(o)
		}
	})
	return h, func() []string {
		b, _ := os.ReadFile(log)
		return strings.Split(strings.TrimSpace(string(b)), "\n")
	}
}

func (h *harness) nextInterval() time.Duration {
	h.t.Helper()
	return h.next(EventInterval).Interval
}

// waitAsked waits until the client arms a wait of d on its clock (a failsafe deadline).
func (h *harness) waitAsked(d time.Duration) {
	h.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case got := <-h.clk.asked:
			if got == d {
				return
			}
		case <-timeout:
			h.t.Fatalf("the client never waited %v", d)
		}
	}
}

func last(ls []string) string { return ls[len(ls)-1] }

// SetInterval reaches the running helper as an `interval` line on its stdin (clamped, the
// latest of a burst), and a restarted helper gets it as --refresh.
func TestClientSetIntervalReachesTheHelper(t *testing.T) {
	h, log := newPaceHarness(t, nil)
	h.c.Ready(context.Background())
	h.nextLine(TypeHost)
	if got := log(); len(got) != 1 || got[0] != "args host --watch --json --refresh 1s" {
		t.Fatalf("helper log %q", got)
	}

	h.c.SetInterval(10 * time.Second)
	if d := h.nextInterval(); d != 10*time.Second {
		t.Fatalf("asked for %v", d)
	}
	h.nextLine(TypeHost) // the helper's answer to the line
	if got := last(log()); got != "stdin interval 10s" {
		t.Fatalf("the helper read %q, want the interval line", got)
	}

	for _, tc := range []struct{ set, want time.Duration }{
		{time.Millisecond, MinInterval}, {3 * time.Hour, MaxInterval}, {-time.Second, MinInterval},
	} {
		h.c.SetInterval(tc.set)
		h.nextLine(TypeHost)
		if got := last(log()); got != "stdin "+strings.TrimSpace(IntervalRequest(tc.want)) {
			t.Fatalf("SetInterval(%v): the helper read %q, want %v", tc.set, got, tc.want)
		}
	}

	// A burst: the helper gets the last one (maybe some before it, never after).
	for i := range 50 {
		h.c.SetInterval(time.Duration(i+1) * time.Second)
	}
	h.c.SetInterval(7 * time.Second)
	for last(log()) != "stdin interval 7s" {
		h.nextLine(TypeHost)
	}

	// The helper dies; the next one starts at the new interval.
	pids := h.pids()
	syscall.Kill(pids[len(pids)-1], syscall.SIGKILL)
	h.next(EventDegraded)
	h.clk.Advance(time.Second)
	h.next(EventStarted)
	h.nextLine(TypeHost)
	if got := last(log()); got != "args host --watch --json --refresh 7s" {
		t.Fatalf("restarted helper: %q, want --refresh 7s", got)
	}
	if n := h.c.Starts(); n != 2 {
		t.Fatalf("%d starts: SetInterval must not restart the helper", n)
	}
}

// With Args of its own (a wrapper's) the helper's --refresh is unknown: an interval set
// before it starts is sent on its stdin at once.
func TestClientSetIntervalBeforeStartWithOwnArgs(t *testing.T) {
	h, log := newPaceHarness(t, func(o *ClientOptions) { o.Args = []string{"wrapped"} })
	h.c.SetInterval(5 * time.Second)
	if n := h.c.Starts(); n != 0 {
		t.Fatal("SetInterval started the helper")
	}
	h.c.Ready(context.Background())
	if d := h.nextInterval(); d != 5*time.Second {
		t.Fatalf("asked for %v", d)
	}
	for last(log()) != "stdin interval 5s" {
		h.nextLine(TypeHost)
	}
	if got := log()[0]; got != "args wrapped" {
		t.Fatalf("args %q", got)
	}
}

// The hung-helper timeout follows the interval: at 20 s a helper may be silent for 60 s, at
// once for the running helper and for a restarted one.
func TestClientTimeoutFollowsTheInterval(t *testing.T) {
	h, _ := newPaceHarness(t, nil)
	h.c.Ready(context.Background())
	h.nextLine(TypeHost)
	h.c.SetInterval(20 * time.Second)
	h.nextInterval()
	h.nextLine(TypeHost) // the last line before the silence

	h.clk.Advance(59 * time.Second) // the 10 s timer fires; 1 s of the 60 s is left
	h.waitAsked(time.Second)
	h.clk.Advance(time.Second)
	e := h.next(EventDegraded)
	if !strings.Contains(e.Note, "printed nothing for 1m0s") {
		t.Fatalf("%+v: the running helper's timeout must follow the 20s interval", e)
	}
	if p := h.pids(); len(p) != 1 || !gone(p[0]) {
		t.Fatalf("hung helper %v not killed", p)
	}

	h.clk.Advance(e.Retry)
	h.next(EventStarted)
	h.waitAsked(time.Minute) // the restarted helper's timer
	h.nextLine(TypeHost)
	h.clk.Advance(time.Minute)
	if e := h.next(EventDegraded); !strings.Contains(e.Note, "printed nothing for 1m0s") {
		t.Fatalf("%+v: the restarted helper's timeout must follow the 20s interval", e)
	}
}

// Back to a short interval the default timeout is 10 s again (3 s would be too short for a
// host sample that waits for HCS); a Timeout given in the options stays the least.
func TestClientTimeoutFor(t *testing.T) {
	c := NewClient(ClientOptions{})
	for _, tc := range []struct{ iv, want time.Duration }{
		{time.Second, 10 * time.Second}, {MinInterval, 10 * time.Second}, {10 * time.Second, 30 * time.Second}, {time.Hour, 3 * time.Hour},
	} {
		if got := c.timeoutFor(tc.iv); got != tc.want {
			t.Errorf("default timeout at %v = %v, want %v", tc.iv, got, tc.want)
		}
	}
	c = NewClient(ClientOptions{Timeout: 5 * time.Second})
	for _, tc := range []struct{ iv, want time.Duration }{
		{time.Second, 5 * time.Second}, {MinInterval, 5 * time.Second}, {10 * time.Second, 30 * time.Second},
	} {
		if got := c.timeoutFor(tc.iv); got != tc.want {
			t.Errorf("timeout 5s at %v = %v, want %v", tc.iv, got, tc.want)
		}
	}
}
