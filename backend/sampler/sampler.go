// Package sampler keeps a fixed-size history of backend samples (a ring buffer) and takes them on a
// schedule. It knows nothing of any UI: the TUI and `wsldash stats --watch` both use it. Time comes
// from an injectable Clock and ticks from an injectable channel, so tests never sleep.
package sampler

import (
	"context"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// DefaultCapacity holds 10 minutes at one sample a second, and then some.
const DefaultCapacity = 900

// Clock tells the time. backend.Sample times come from the backend; the sampler only uses the
// clock to stamp samples that arrive without one.
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a settable clock for tests.
type FixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func NewFixedClock(t time.Time) *FixedClock { return &FixedClock{t: t} }
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *FixedClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// History is a ring buffer of samples, oldest first. It is safe for concurrent use.
type History struct {
	mu    sync.RWMutex
	buf   []backend.Sample
	start int // index of the oldest sample
	n     int
}

// NewHistory makes a history that keeps the last capacity samples (DefaultCapacity if <= 0).
func NewHistory(capacity int) *History {
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return &History{buf: make([]backend.Sample, capacity)}
}

// Cap is the number of samples kept.
func (h *History) Cap() int { return len(h.buf) }

// Len is the number of samples held.
func (h *History) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.n
}

// Add appends a sample, dropping the oldest when full.
func (h *History) Add(s backend.Sample) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n < len(h.buf) {
		h.buf[(h.start+h.n)%len(h.buf)] = s
		h.n++
		return
	}
	h.buf[h.start] = s
	h.start = (h.start + 1) % len(h.buf)
}

// At returns the i-th sample, 0 being the oldest held.
func (h *History) At(i int) backend.Sample {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if i < 0 || i >= h.n {
		return backend.Sample{}
	}
	return h.buf[(h.start+i)%len(h.buf)]
}

// Last returns the newest sample and whether there is one.
func (h *History) Last() (backend.Sample, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.n == 0 {
		return backend.Sample{}, false
	}
	return h.buf[(h.start+h.n-1)%len(h.buf)], true
}

// Samples appends the held samples, oldest first, to dst and returns it.
func (h *History) Samples(dst []backend.Sample) []backend.Sample {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for i := 0; i < h.n; i++ {
		dst = append(dst, h.buf[(h.start+i)%len(h.buf)])
	}
	return dst
}

// Series extracts one value per sample, oldest first, appending to dst (pass dst[:0] to reuse a
// buffer and allocate nothing).
func (h *History) Series(dst []float64, f func(backend.Sample) float64) []float64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for i := 0; i < h.n; i++ {
		dst = append(dst, f(h.buf[(h.start+i)%len(h.buf)]))
	}
	return dst
}

// Since returns the samples at or after t, oldest first.
func (h *History) Since(t time.Time) []backend.Sample {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []backend.Sample
	for i := 0; i < h.n; i++ {
		s := h.buf[(h.start+i)%len(h.buf)]
		if !s.Time.Before(t) {
			out = append(out, s)
		}
	}
	return out
}

// Sampler takes samples from a backend into a History.
type Sampler struct {
	Backend backend.Backend
	History *History
	Clock   Clock
}

// New makes a sampler with a history of the given capacity and the system clock.
func New(b backend.Backend, capacity int) *Sampler {
	return &Sampler{Backend: b, History: NewHistory(capacity), Clock: SystemClock{}}
}

// Take takes one sample, stamps it with the clock if the backend did not, and records it.
func (s *Sampler) Take(ctx context.Context) (backend.Sample, error) {
	smp, err := s.Backend.Sample(ctx)
	if err != nil {
		return smp, err
	}
	if smp.Time.IsZero() {
		smp.Time = s.Clock.Now()
	}
	s.History.Add(smp)
	return smp, nil
}

// Run takes a sample now and one on every tick until ctx ends or ticks closes, calling emit with
// each result (errors included; a failed sample is not recorded). Pass time.NewTicker(d).C in
// production and a channel you feed in tests.
func (s *Sampler) Run(ctx context.Context, ticks <-chan time.Time, emit func(backend.Sample, error)) error {
	for {
		smp, err := s.Take(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if emit != nil {
			emit(smp, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case _, ok := <-ticks:
			if !ok {
				return nil
			}
		}
	}
}
