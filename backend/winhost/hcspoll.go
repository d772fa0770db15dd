package winhost

import (
	"context"
	"sync"
	"time"
)

// hcsWaitDefault is how long a sample waits for the HCS query it has just started, so a fast
// HCS (milliseconds) is shown fresh. A sample never waits while an earlier query still runs,
// nor after a query took longer than this: a slow HCS (up to hcsTimeout) then runs beside the
// samples, which show its last answer with its age, instead of stalling them.
const hcsWaitDefault = 100 * time.Millisecond

// hcsStaleAfter is the age from which the HCS figures shown are said to be old.
const hcsStaleAfter = 3 * time.Second

// hcsPoller runs the HCS query off the sample path: at most one at a time, in its own goroutine,
// with its own context (cancelled by Close), keeping the last answer and when it came.
type hcsPoller struct {
	query func(ctx context.Context) (hcsReading, error)
	now   func() time.Time
	wait  time.Duration
	// after is time.After; tests inject one that never fires, so a sample waits for a fast
	// query deterministically, and whether a query was slow is judged by now alone.
	after func(time.Duration) <-chan time.Time

	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	running chan struct{} // closed when the query in flight ends; nil when none runs
	slow    bool          // the last query took longer than wait
	have    bool          // an answer has come
	r       hcsReading
	err     error
	at      time.Time // when the last answer came
	seq     uint64    // counts answers
}

func newHCSPoller(query func(ctx context.Context) (hcsReading, error), now func() time.Time, wait time.Duration,
	after func(time.Duration) <-chan time.Time) *hcsPoller {
	if after == nil {
		after = time.After
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &hcsPoller{query: query, now: now, wait: wait, after: after, ctx: ctx, cancel: cancel}
}

// hcsAnswer is the last answer HCS gave.
type hcsAnswer struct {
	r   hcsReading
	err error
	at  time.Time
	seq uint64 // 0: no answer yet
}

// latest starts a query unless one is running, waits for it (at most p.wait, and not at all
// after a slow one or while an earlier one runs), and returns the last answer. Only ctx's
// cancellation is returned as an error.
func (p *hcsPoller) latest(ctx context.Context) (hcsAnswer, error) {
	p.mu.Lock()
	var done chan struct{}
	if p.running == nil && p.ctx.Err() == nil {
		done = make(chan struct{})
		p.running = done
		go p.run(done)
		if p.slow {
			done = nil
		}
	}
	p.mu.Unlock()
	if done != nil && p.wait > 0 {
		select {
		case <-done:
		case <-p.after(p.wait):
		case <-ctx.Done():
			return hcsAnswer{}, ctx.Err()
		}
	}
	return p.answer(), nil
}

func (p *hcsPoller) run(done chan struct{}) {
	start := p.now()
	r, err := p.query(p.ctx)
	end := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = nil
	close(done)
	p.slow = end.Sub(start) > p.wait
	if isContextErr(err) {
		return // closed (or an expired context of the query's own): not an answer about HCS
	}
	p.have, p.r, p.err, p.at = true, r, err, end
	p.seq++
}

func (p *hcsPoller) answer() hcsAnswer {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.have {
		return hcsAnswer{}
	}
	return hcsAnswer{r: p.r, err: p.err, at: p.at, seq: p.seq}
}

// settle waits until no query is in flight (tests only; queries there never block for long).
func (p *hcsPoller) settle() {
	p.mu.Lock()
	done := p.running
	p.mu.Unlock()
	if done != nil {
		<-done
	}
}

func (p *hcsPoller) close() { p.cancel() }
