package tui

import (
	"context"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend/demo"
	"github.com/wsldash/wsldash/backend/sampler"
)

// newCLIDemoHarness runs the model on the demo as `wsldash --demo` configures it (speed 10, ten
// minutes of backfilled history, seed 1), on the harness's fixed clock.
func newCLIDemoHarness(t testing.TB, w, h int, opts ...harnessOpt) *harness {
	clock := sampler.NewFixedClock(t0)
	be := demo.New(demo.Options{Seed: 1, Speed: 10, Warmup: 10 * time.Minute, Clock: clock,
		Wait: func(ctx context.Context, d time.Duration) error { clock.Advance(d); return nil }})
	return newHarness(t, be, w, h, append([]harnessOpt{func(o *Options) { o.Clock = clock }}, opts...)...)
}
