package hostview

import (
	"context"
	"io"
	"os"
	"time"
)

// ServeOptions configure Serve.
type ServeOptions struct {
	Interval time.Duration // default 1s
	Version  string
}

// Serve is `wsldash host --watch --json`: it runs a Producer on src at the interval until ctx is
// done, stdin reaches its end (the reader closed it, or died: interop closes the pipe), the
// parent process goes away (Windows) or a write to stdout fails. Only the last is an error.
func Serve(ctx context.Context, src Source, stdin io.Reader, stdout io.Writer, opts ServeOptions) error {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		io.Copy(io.Discard, stdin) // nothing is expected on stdin; its end is the signal
		cancel()
	}()
	watchParent(ctx, cancel)
	t := time.NewTicker(opts.Interval)
	defer t.Stop()
	p := NewProducer(src, stdout, ProduceOptions{Version: opts.Version, PID: os.Getpid(), Interval: opts.Interval, Tick: t.C})
	return p.Run(ctx)
}
