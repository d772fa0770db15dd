package demo

import (
	"context"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
)

// The demo reclaims when, and only when, the gate the dashboard builds from its samples says WSL
// would: the screenshots and goldens cannot show a reclaim the pane did not announce. An
// outside gate is fed the demo's samples (on the timeline of Info.TimeScale) and every
// automatic page-cache drop must come while it says idle; and the drops must happen at all.
func TestAutoReclaimFollowsTheGate(t *testing.T) {
	for _, speed := range []float64{1, 10} {
		for _, mode := range []backend.ReclaimMode{backend.ReclaimDropCache, backend.ReclaimGradual} {
			b, clk := newTest(Options{Seed: 1, ReclaimMode: mode, Speed: speed})
			info, _ := b.Info(context.Background())
			if speed > 1 && info.TimeScale != speed {
				t.Fatalf("TimeScale %v, want %v", info.TimeScale, speed)
			}
			g := reclaim.ForInfo(info) // as the dashboard and stats make it
			var prev backend.Sample
			drops, idleSeen := 0, 0
			for i := 0; i < 3600; i++ {
				clk.Advance(time.Second)
				s, err := b.Sample(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				g.Add(s)
				st := g.State()
				if st.State == reclaim.GateIdle {
					idleSeen++
				}
				// A drop of the cache by more than a busy second can read (64 MiB) with the
				// anonymous memory not rising is reclaim.
				if i > 0 && prev.Guest.CacheBytes > s.Guest.CacheBytes+64*mib {
					drops++
					if st.State != reclaim.GateIdle {
						t.Fatalf("speed %v %s: second %d: the cache fell %d MiB while the gate said %q (%s)", speed, mode, i,
							(prev.Guest.CacheBytes-s.Guest.CacheBytes)/mib, st.State, st.Summary())
					}
				}
				prev = s
			}
			if drops == 0 || idleSeen == 0 {
				t.Fatalf("speed %v %s: %d drops, %d idle seconds in an hour: the demo never shows a reclaim", speed, mode, drops, idleSeen)
			}
		}
	}
}
