package dialog

import (
	"fmt"
	"math"
	"time"
)

const (
	// rateWindow is how far back the rate looks: long enough to smooth out a bursty copy,
	// short enough to follow a real change of speed.
	rateWindow = 5 * time.Second
	// minRateSpan is the least time two samples must span before a rate is shown; the first
	// samples of a job would otherwise give wild figures.
	minRateSpan = time.Second
	// sampleGap: a sample closer than this to the previous kept one replaces it, so that
	// frequent SetProgress calls do not push the window's start out of the ring.
	sampleGap  = 250 * time.Millisecond
	maxSamples = 32 // > rateWindow/sampleGap + 1
)

type sample struct {
	t    time.Time
	done int64
}

// progress is a Progress dialog's state. The samples are a fixed array so that a Dialog copy
// does not share them.
type progress struct {
	total   int64
	started time.Time
	now     time.Time // the newest sample's time
	done    int64
	seen    bool // a sample has arrived

	samples [maxSamples]sample
	n       int

	noBytes  bool // the job counts no bytes: only the elapsed time is shown (SetNoBytes)
	asking   bool // "cancel?" shown
	finished bool
	text     string
	err      error
}

func (p *progress) add(done int64, now time.Time) {
	if p.seen && now.Before(p.now) {
		p.done = max(p.done, done) // an out-of-order sample: the bytes count, its time does not
		return
	}
	if p.seen && done < p.done {
		p.n = 0 // the job went back: the old samples say nothing about the new rate
	}
	p.seen, p.now, p.done = true, now, done
	s := sample{t: now, done: done}
	if p.n >= 2 && now.Sub(p.samples[p.n-2].t) < sampleGap {
		p.samples[p.n-1] = s
	} else {
		if p.n == maxSamples {
			copy(p.samples[:], p.samples[1:])
			p.n--
		}
		p.samples[p.n] = s
		p.n++
	}
	// Keep one sample at or before the window's start as the anchor, drop the older ones.
	start := now.Add(-rateWindow)
	k := 0
	for k+1 < p.n && !p.samples[k+1].t.After(start) {
		k++
	}
	if k > 0 {
		copy(p.samples[:], p.samples[k:p.n])
		p.n -= k
	}
}

// rate is bytes per second over the window, ok false when not yet known.
func (p *progress) rate() (float64, bool) {
	if p.n < 2 {
		return 0, false
	}
	a, b := p.samples[0], p.samples[p.n-1]
	span := b.t.Sub(a.t)
	if span < minRateSpan {
		return 0, false
	}
	return float64(b.done-a.done) / span.Seconds(), true
}

// left is the time left, ok false when unknown: no total, no rate yet, stalled, or past the
// expected total.
func (p *progress) left() (time.Duration, bool) {
	r, ok := p.rate()
	if !ok || r <= 0 || p.total <= 0 || p.done >= p.total {
		return 0, false
	}
	sec := float64(p.total-p.done) / r
	if sec > float64(math.MaxInt64/int64(time.Second)) {
		return 0, false
	}
	return time.Duration(sec * float64(time.Second)), true
}

// fraction is done/total in [0, 1], ok false with no total.
func (p *progress) fraction() (float64, bool) {
	if p.total <= 0 {
		return 0, false
	}
	return min(max(float64(p.done)/float64(p.total), 0), 1), true
}

func (p *progress) elapsed() time.Duration { return max(p.now.Sub(p.started), 0) }

// formatLeft says how long is left, rounded as a person would: "about 45s left",
// "about 2m10s left" (to 10 s), "about 1h05m left" (to the minute).
func formatLeft(d time.Duration) string {
	if s := int(d.Round(time.Second) / time.Second); s < 60 {
		return fmt.Sprintf("about %ds left", max(s, 1))
	}
	if s := int(d.Round(10*time.Second) / time.Second); s < 3600 {
		if s%60 == 0 {
			return fmt.Sprintf("about %dm left", s/60)
		}
		return fmt.Sprintf("about %dm%02ds left", s/60, s%60)
	}
	m := int(d.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("about %dh%02dm left", m/60, m%60)
}

// formatElapsed: "7s", "2m05s", "1h02m03s".
func formatElapsed(d time.Duration) string {
	s := int(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}
