package hostview

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// fakeTicker is a ticker the test drives: it reports every Reset and ticks when told.
type fakeTicker struct {
	c      chan time.Time
	resets chan time.Duration
}

func (f *fakeTicker) C() <-chan time.Time   { return f.c }
func (f *fakeTicker) Reset(d time.Duration) { f.resets <- d }
func (f *fakeTicker) Stop()                 {}

// serveHarness runs serve on pipes with a fake ticker; lines reads the helper's output.
type serveHarness struct {
	t      *testing.T
	tk     *fakeTicker
	in     *io.PipeWriter
	out    *bufio.Scanner
	done   chan error
	starts chan time.Duration
}

func newServeHarness(t *testing.T, interval time.Duration) *serveHarness {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h := &serveHarness{t: t, tk: &fakeTicker{c: make(chan time.Time), resets: make(chan time.Duration, 100)},
		in: inW, out: bufio.NewScanner(outR), done: make(chan error, 1), starts: make(chan time.Duration, 1)}
	go func() {
		h.done <- serve(context.Background(), newFakeSource(), inR, outW, ServeOptions{Interval: interval, Version: "v"},
			func(d time.Duration) ticker { h.starts <- d; return h.tk })
		outW.Close()
	}()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	return h
}

func (h *serveHarness) readLine() Line {
	h.t.Helper()
	got := make(chan Line, 1)
	go func() {
		if !h.out.Scan() {
			close(got)
			return
		}
		l, _ := Decode(h.out.Bytes())
		got <- l
	}()
	select {
	case l, ok := <-got:
		if !ok {
			h.t.Fatal("the helper's output ended")
		}
		return l
	case <-time.After(20 * time.Second):
		h.t.Fatal("no line within 20s")
	}
	return Line{}
}

func (h *serveHarness) send(s string) {
	h.t.Helper()
	if _, err := io.WriteString(h.in, s); err != nil {
		h.t.Fatal(err)
	}
}

func (h *serveHarness) nextReset() time.Duration {
	h.t.Helper()
	select {
	case d := <-h.tk.resets:
		return d
	case <-time.After(20 * time.Second):
		h.t.Fatal("no ticker reset within 20s")
	}
	return 0
}

// An `interval` line on stdin resets the helper's ticker to that period; what is not a valid
// request (malformed, out of bounds, another word) is ignored and the helper goes on; the end
// of stdin still ends it.
func TestServeIntervalFromStdin(t *testing.T) {
	h := newServeHarness(t, time.Second)
	if d := <-h.starts; d != time.Second {
		t.Fatalf("ticker made at %v, want the --refresh 1s", d)
	}
	var got []string
	for range 3 {
		got = append(got, h.readLine().Type)
	}
	if strings.Join(got, ",") != "hello,registrations,host" {
		t.Fatalf("first lines %v", got)
	}

	h.send("interval 10s\n")
	if d := h.nextReset(); d != 10*time.Second {
		t.Fatalf("reset to %v, want 10s", d)
	}
	// Each ignored line comes before a valid one: the reset seen next is the valid one's, so
	// none of the bad ones reset the ticker, and none ended the helper.
	for _, bad := range []string{
		"interval\n", "interval ten\n", "interval 10\n", "interval 99ms\n", "interval 1h0m1s\n",
		"interval -1s\n", "interval 1s 2s\n", "INTERVAL 2s\n", "refresh 2s\n", "\n",
		strings.Repeat("x", 10000) + "\n", // too long for the scanner: ignored, and the rest of stdin is still read
	} {
		h.send(bad)
		if strings.HasPrefix(bad, "xxx") {
			break // what follows a line too long is discarded until EOF
		}
		h.send(" interval 250ms\r\n")
		if d := h.nextReset(); d != 250*time.Millisecond {
			t.Fatalf("after %q: reset to %v, want 250ms", bad, d)
		}
	}
	// Still printing at each tick.
	h.tk.c <- time.Now()
	if l := h.readLine(); l.Type != TypeHost {
		t.Fatalf("after the requests a tick printed %+v", l)
	}
	select {
	case d := <-h.tk.resets:
		t.Fatalf("unexpected reset to %v", d)
	default:
	}
	h.in.Close()
	select {
	case err := <-h.done:
		if err != nil {
			t.Fatalf("Serve after stdin closed = %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Serve did not end with stdin")
	}
}

func TestParseIntervalRequest(t *testing.T) {
	for _, d := range []time.Duration{MinInterval, time.Second, 10 * time.Second, MaxInterval} {
		if got, ok := ParseIntervalRequest(IntervalRequest(d)); !ok || got != d {
			t.Errorf("round trip of %v: %v %v", d, got, ok)
		}
	}
	for _, s := range []string{"", "interval", "interval 0", "interval 1e3", "interval 1.5", "interval 2h", "interval 50ms", "x 1s", "interval 1s x"} {
		if d, ok := ParseIntervalRequest(s); ok {
			t.Errorf("%q accepted as %v", s, d)
		}
	}
}
