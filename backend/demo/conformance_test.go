package demo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/backendtest"
	"github.com/wsldash/wsldash/backend/demo"
	"github.com/wsldash/wsldash/backend/sampler"
)

// TestConformance runs the backend contract against the demo on a fixed clock: its waits advance
// the clock (and let the suite look between the steps of a long operation).
func TestConformance(t *testing.T) {
	backendtest.Run(t, backendtest.Harness{
		New: func(t *testing.T) backendtest.Subject {
			clk := sampler.NewFixedClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			var mu sync.Mutex
			var step func()
			b := demo.New(demo.Options{Seed: 1, Clock: clk, Wait: func(ctx context.Context, d time.Duration) error {
				if err := ctx.Err(); err != nil {
					return err
				}
				clk.Advance(d)
				mu.Lock()
				f := step
				mu.Unlock()
				if f != nil {
					f()
				}
				return ctx.Err()
			}})
			t.Cleanup(func() { b.Close() })
			return backendtest.Subject{Backend: b, Steps: func(f func()) { mu.Lock(); step = f; mu.Unlock() }}
		},
		Distros: true,
		// The simulated host has been running before the first sample: it has a rate at once.
		History: true,
		LongOps: []backend.Action{backend.ActExport, backend.ActClone, backend.ActUnregister, backend.ActInstall},
		Trash:   true,
	})
}
