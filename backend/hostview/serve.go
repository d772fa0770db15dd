package hostview

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"
)

// The bounds of the helper's interval as its reader may change it (an `interval` line on its
// stdin, Client.SetInterval). A line outside them is ignored.
const (
	MinInterval = 100 * time.Millisecond
	MaxInterval = time.Hour
)

// ServeOptions configure Serve.
type ServeOptions struct {
	Interval time.Duration // default 1s
	Version  string
}

// ticker is the part of a time.Ticker Serve uses (tests inject a fake).
type ticker interface {
	C() <-chan time.Time
	Reset(d time.Duration)
	Stop()
}

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time   { return r.t.C }
func (r realTicker) Reset(d time.Duration) { r.t.Reset(d) }
func (r realTicker) Stop()                 { r.t.Stop() }

func newRealTicker(d time.Duration) ticker { return realTicker{time.NewTicker(d)} }

// Serve is `wsldash host --watch --json`: it runs a Producer on src at the interval until ctx is
// done, stdin reaches its end (the reader closed it, or died: interop closes the pipe), the
// parent process goes away (Windows) or a write to stdout fails. Only the last is an error.
//
// Stdin carries the reader's requests, one a line. `interval <Go duration>` (MinInterval to
// MaxInterval, e.g. `interval 10s`) makes the next host line come after that period and the
// following ones at it: the reader samples less often while the dashboard is idle, so the
// helper, and interop's relay in the VM, should wake less often too. The hello line, printed
// once at the start, keeps the interval the helper started with. Anything else on stdin is
// ignored (an older helper ignored every line; a newer reader must expect that).
func Serve(ctx context.Context, src Source, stdin io.Reader, stdout io.Writer, opts ServeOptions) error {
	return serve(ctx, src, stdin, stdout, opts, newRealTicker)
}

func serve(ctx context.Context, src Source, stdin io.Reader, stdout io.Writer, opts ServeOptions, newTicker func(time.Duration) ticker) error {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := newTicker(opts.Interval)
	defer t.Stop()
	go func() {
		defer cancel() // the end of stdin is the signal to stop
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 0, 256), 4096)
		for sc.Scan() {
			if d, ok := ParseIntervalRequest(sc.Text()); ok && ctx.Err() == nil {
				t.Reset(d) // safe while the producer reads the ticker's channel
			}
		}
		if errors.Is(sc.Err(), bufio.ErrTooLong) {
			io.Copy(io.Discard, stdin) // a line too long is ignored like any other; stdin still ends us
		}
	}()
	watchParent(ctx, cancel)
	p := NewProducer(src, stdout, ProduceOptions{Version: opts.Version, PID: os.Getpid(), Interval: opts.Interval, Tick: t.C()})
	return p.Run(ctx)
}

// IntervalRequest is the line Client writes to the helper's stdin to set its interval.
func IntervalRequest(d time.Duration) string { return "interval " + d.String() + "\n" }

// ParseIntervalRequest reads an `interval <Go duration>` line (surrounding blanks and a CR
// allowed); ok is false for anything else, or a duration outside MinInterval..MaxInterval.
func ParseIntervalRequest(line string) (d time.Duration, ok bool) {
	f := strings.Fields(line)
	if len(f) != 2 || f[0] != "interval" {
		return 0, false
	}
	d, err := time.ParseDuration(f[1])
	if err != nil || d < MinInterval || d > MaxInterval {
		return 0, false
	}
	return d, true
}
