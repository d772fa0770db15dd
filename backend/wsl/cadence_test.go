package wsl

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend/hostview"
)

// pacedHost is a host source that takes the cadence, like the helper's client.
type pacedHost struct {
	fakeHost
	mu  sync.Mutex
	set []time.Duration
}

func (h *pacedHost) SetInterval(d time.Duration) {
	h.mu.Lock()
	h.set = append(h.set, d)
	h.mu.Unlock()
}

func (h *pacedHost) intervals() []time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]time.Duration(nil), h.set...)
}

// The client of the helper inside WSL is what SetCadence must reach.
var _ interface{ SetInterval(time.Duration) } = (*hostview.Client)(nil)

// At an idle cadence of 30 s the per-distro memory is looked at once per 30 s, not per
// DistroMemoryTTL; a cadence faster than DistroMemoryTTL does not make looks more frequent.
func TestDistroMemoryFollowsTheCadence(t *testing.T) {
	st := twoDistros()
	// Debian runs too: the probe is in Ubuntu (whose memory is a section of its stream), so the
	// looks that cost a wsl.exe start are Debian's.
	st.Distros[1].State, st.Distros[1].Version = "Running", 2
	st.GuestRoot = lookGuest(t, "visible")
	b, f, clk := newBackend(t, st, nil)
	b.WatchDistroMemory(true)
	ctx := context.Background()
	looks := func() int { return f.Count("-d Debian --exec sh -c " + memScript) }
	sample := func() {
		t.Helper()
		if _, err := b.Sample(ctx); err != nil {
			t.Fatal(err)
		}
		b.dmem.wg.Wait() // the background look, if one started
	}
	// expect: the next look comes exactly period after the last one.
	expect := func(period time.Duration) {
		t.Helper()
		n := looks()
		for elapsed := time.Second; elapsed < period; elapsed += time.Second {
			clk.Advance(time.Second)
			sample()
			if looks() != n {
				t.Fatalf("a look %v after the last one; want one every %v", elapsed, period)
			}
		}
		clk.Advance(time.Second)
		sample()
		if looks() != n+1 {
			t.Fatalf("no look %v after the last one", period)
		}
	}

	sample()
	if looks() != 1 {
		t.Fatalf("%d looks at the first watched sample, want 1", looks())
	}
	expect(DistroMemoryTTL)
	b.SetCadence(30 * time.Second)
	expect(30 * time.Second)
	expect(30 * time.Second)
	b.SetCadence(time.Second) // back to the live cadence: DistroMemoryTTL again
	expect(DistroMemoryTTL)
	b.SetCadence(0) // ignored
	expect(DistroMemoryTTL)
}

// SetCadence reaches a host source that takes an interval (the helper's client inside WSL),
// never faster than the helper's default of 1 s.
func TestSetCadencePacesTheHost(t *testing.T) {
	h := &pacedHost{}
	b, _, _ := newBackend(t, twoDistros(), func(o *Options) { o.Host = h })
	b.SetCadence(10 * time.Second)
	b.SetCadence(250 * time.Millisecond)
	b.SetCadence(0)
	got := h.intervals()
	if len(got) != 2 || got[0] != 10*time.Second || got[1] != time.Second {
		t.Fatalf("host intervals %v, want [10s 1s]", got)
	}
	// A host source without SetInterval (the registry on Windows) and none at all are fine.
	b2, _, _ := newBackend(t, twoDistros(), func(o *Options) { o.Host = &fakeHost{} })
	b2.SetCadence(10 * time.Second)
	b3, _, _ := newBackend(t, twoDistros(), nil)
	b3.SetCadence(10 * time.Second)
}
