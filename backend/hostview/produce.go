package hostview

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

// Source is what the helper reads on Windows: the host view of the VM, the registrations, and
// a disk file's size. The Windows build fills it with package winhost (NewWindowsSource); tests
// with fakes.
type Source interface {
	Sample(ctx context.Context) (*backend.HostView, error)
	Registrations() ([]winhost.Registration, error)
	DiskUsage(path string) (int64, error)
}

// ProduceOptions drive Produce.
type ProduceOptions struct {
	Version  string        // the helper's program version, for the hello line
	PID      int           // the helper's process id, for the hello line
	Interval time.Duration // the refresh rate, announced in the hello line
	// Tick says when to print the next host line (a time.Ticker's C in the real helper).
	Tick <-chan time.Time
	// Now stamps the lines, default time.Now.
	Now func() time.Time
	// RegistrationsEvery: the registry and the disk sizes are read again every this many ticks
	// (default 5) and printed only when they changed.
	RegistrationsEvery int
}

// Producer prints the helper's stream. It is not safe for concurrent use.
type Producer struct {
	src     Source
	opts    ProduceOptions
	w       io.Writer
	buf     []byte
	lastReg []byte // the last registrations line printed
	ticks   int
}

// NewProducer makes a producer writing to w.
func NewProducer(src Source, w io.Writer, opts ProduceOptions) *Producer {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RegistrationsEvery <= 0 {
		opts.RegistrationsEvery = 5
	}
	return &Producer{src: src, opts: opts, w: w}
}

// Run prints the hello line, the registrations and a host line at once, then a host line per
// tick (and the registrations when they change) until ctx is done (nil) or a write fails (the
// reader has gone: the error is returned).
func (p *Producer) Run(ctx context.Context) error {
	if err := p.Hello(); err != nil {
		return err
	}
	if err := p.Step(ctx); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-p.opts.Tick:
			if err := p.Step(ctx); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
	}
}

// Hello prints the hello line.
func (p *Producer) Hello() error {
	return p.write(Line{Type: TypeHello, Time: Stamp(p.opts.Now()), Program: "wsldash", Version: p.opts.Version,
		PID: p.opts.PID, IntervalMS: p.opts.Interval.Milliseconds()})
}

// Step prints the registrations when due and changed, then one host line.
func (p *Producer) Step(ctx context.Context) error {
	if p.ticks%p.opts.RegistrationsEvery == 0 {
		if err := p.registrations(); err != nil {
			return err
		}
	}
	p.ticks++
	l := Line{Type: TypeHost}
	hv, err := p.src.Sample(ctx)
	l.Time = Stamp(p.opts.Now())
	switch {
	case err != nil && ctx.Err() != nil:
		return nil
	case err != nil:
		l.Error = err.Error()
	case hv == nil:
		l.Error = "no host view"
	default:
		l.Host = hv
	}
	return p.write(l)
}

func (p *Producer) registrations() error {
	l := Line{Type: TypeRegistrations}
	regs, err := p.src.Registrations()
	if err != nil {
		l.Error = err.Error()
	} else {
		out := make([]Registration, 0, len(regs))
		for _, r := range regs {
			var disk *int64
			if dp := r.DiskPath(); dp != "" {
				if n, err := p.src.DiskUsage(dp); err == nil {
					disk = &n
				}
			}
			out = append(out, FromWinhost(r, disk))
		}
		l.Registrations = &out
	}
	// Compare without the time stamp: print only what changed.
	var err2 error
	p.buf, err2 = Encode(p.buf[:0], l)
	if err2 != nil {
		return err2
	}
	if bytes.Equal(p.buf, p.lastReg) {
		return nil
	}
	p.lastReg = append(p.lastReg[:0], p.buf...)
	l.Time = Stamp(p.opts.Now())
	return p.write(l)
}

func (p *Producer) write(l Line) error {
	var err error
	if p.buf, err = Encode(p.buf[:0], l); err != nil {
		return err
	}
	_, err = p.w.Write(p.buf)
	return err
}
