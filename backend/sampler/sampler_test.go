package sampler

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func at(i int) backend.Sample {
	return backend.Sample{Time: t0.Add(time.Duration(i) * time.Second), Guest: backend.GuestMemory{UsedBytes: uint64(i)}}
}

func TestHistoryRingKeepsTheNewest(t *testing.T) {
	h := NewHistory(3)
	if _, ok := h.Last(); ok || h.Len() != 0 {
		t.Fatal("a new history is empty")
	}
	for i := 0; i < 5; i++ {
		h.Add(at(i))
	}
	if h.Len() != 3 || h.Cap() != 3 {
		t.Fatalf("len %d cap %d", h.Len(), h.Cap())
	}
	got := h.Series(nil, func(s backend.Sample) float64 { return float64(s.Guest.UsedBytes) })
	if len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 4 {
		t.Fatalf("series %v, want [2 3 4] (oldest first, oldest dropped)", got)
	}
	if last, _ := h.Last(); last.Guest.UsedBytes != 4 {
		t.Errorf("last %v", last.Guest.UsedBytes)
	}
	if h.At(0).Guest.UsedBytes != 2 || h.At(2).Guest.UsedBytes != 4 || !h.At(3).Time.IsZero() || !h.At(-1).Time.IsZero() {
		t.Error("At indexes from the oldest held and is zero out of range")
	}
	if s := h.Since(t0.Add(3 * time.Second)); len(s) != 2 || s[0].Guest.UsedBytes != 3 {
		t.Errorf("since: %v", s)
	}
	if s := h.Samples(nil); len(s) != 3 || s[0].Guest.UsedBytes != 2 {
		t.Errorf("samples: %v", s)
	}
}

func TestDefaultCapacityHoldsTenMinutesAtOneSecond(t *testing.T) {
	if c := NewHistory(0).Cap(); c < 600 {
		t.Fatalf("default capacity %d < 600 samples", c)
	}
}

func TestSeriesReusesTheBuffer(t *testing.T) {
	h := NewHistory(10)
	for i := 0; i < 10; i++ {
		h.Add(at(i))
	}
	buf := make([]float64, 0, 10)
	allocs := testing.AllocsPerRun(100, func() {
		buf = h.Series(buf[:0], func(s backend.Sample) float64 { return float64(s.Guest.UsedBytes) })
	})
	if allocs != 0 {
		t.Errorf("Series into a big enough buffer allocated %v times", allocs)
	}
}

type fakeBackend struct {
	backend.Backend
	n    int
	fail map[int]bool
}

func (f *fakeBackend) Sample(ctx context.Context) (backend.Sample, error) {
	f.n++
	if f.fail[f.n] {
		return backend.Sample{}, &backend.Error{Kind: backend.KindTimeout, Op: "sample"}
	}
	return backend.Sample{Guest: backend.GuestMemory{UsedBytes: uint64(f.n)}}, nil
}

func TestRunTakesOneSamplePerTickAndStampsTime(t *testing.T) {
	fb := &fakeBackend{fail: map[int]bool{2: true}}
	clk := NewFixedClock(t0)
	s := &Sampler{Backend: fb, History: NewHistory(10), Clock: clk}
	ticks := make(chan time.Time)
	var got []error
	done := make(chan error)
	go func() {
		done <- s.Run(context.Background(), ticks, func(_ backend.Sample, err error) {
			got = append(got, err)
			clk.Advance(time.Second)
		})
	}()
	ticks <- t0
	ticks <- t0
	close(ticks)
	if err := <-done; err != nil {
		t.Fatalf("Run after the ticks closed: %v", err)
	}
	if len(got) != 3 || got[0] != nil || !errors.Is(got[1], backend.ErrTimeout) || got[2] != nil {
		t.Fatalf("emitted %v, want ok, timeout, ok", got)
	}
	// The failed sample is not recorded; the others are stamped by the clock.
	if h := s.History; h.Len() != 2 || !h.At(0).Time.Equal(t0) || !h.At(1).Time.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("history %v", h.Samples(nil))
	}
}

func TestRunStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sampler{Backend: &fakeBackend{}, History: NewHistory(4), Clock: NewFixedClock(t0)}
	n := 0
	err := s.Run(ctx, make(chan time.Time), func(backend.Sample, error) {
		n++
		cancel()
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Fatalf("err %v after %d samples", err, n)
	}
}

func BenchmarkHistoryAdd(b *testing.B) {
	h := NewHistory(DefaultCapacity)
	s := at(1)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.Add(s)
	}
}
