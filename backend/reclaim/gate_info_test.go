package reclaim

import (
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

func TestForInfo(t *testing.T) {
	if g := ForInfo(backend.Info{Backend: "local"}); g != nil {
		t.Fatal("a backend with no reclaim mode (no WSL VM) has no gate")
	}
	// The current rule's window is 2 min: at a time scale of 10, 12 s of samples fill it.
	quiet := func(scale float64) GateState {
		g := ForInfo(backend.Info{WSLVersion: "3.0.1", ReclaimMode: backend.ReclaimDropCache, TimeScale: scale})
		t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		c := backend.CPUCounters{CPUs: 2}
		for i := 0; i <= 13; i++ {
			c.Idle += 200
			g.Add(backend.Sample{Time: t0.Add(time.Duration(i) * time.Second), CPU: &c})
		}
		return g.State()
	}
	if st := quiet(10); st.State != GateIdle {
		t.Fatalf("scale 10: 13 s of quiet samples are 130 s of WSL's time: want idle, got %s", st.Summary())
	}
	if st := quiet(0); st.State != GateSettling {
		t.Fatalf("real time: 13 s of quiet samples: want settling, got %s", st.Summary())
	}
}
