package local

import (
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend/backendtest"
)

// TestConformance runs the backend contract against the local backend over a fake /proc, as a
// non-root user, with signals recorded rather than sent.
func TestConformance(t *testing.T) {
	backendtest.Run(t, backendtest.Harness{
		New: func(t *testing.T) backendtest.Subject {
			proc, cg := fakeProc(t)
			b := New(Options{ProcRoot: proc, CgroupRoot: cg, EUID: uid(1000), Now: func() time.Time { return t0 },
				Sync:   func() {},
				Signal: func(pid, sig int) error { t.Errorf("signal %d sent to pid %d", sig, pid); return nil }})
			t.Cleanup(func() { b.Close() })
			return backendtest.Subject{Backend: b}
		},
	})
}
