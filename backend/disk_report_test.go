package backend

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// lookFake answers DiskUsage from a function and counts the looks in flight.
type lookFake struct {
	mu       sync.Mutex
	called   []string
	inflight int
	most     int
	atFour   chan struct{} // closed when diskLooks looks are in flight at once
	look     func(name string) (DiskUsage, error)
}

func (f *lookFake) DiskUsage(_ context.Context, name string) (DiskUsage, error) {
	f.mu.Lock()
	f.called = append(f.called, name)
	f.inflight++
	f.most = max(f.most, f.inflight)
	if f.inflight == diskLooks && f.atFour != nil {
		close(f.atFour)
		f.atFour = nil
	}
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inflight--; f.mu.Unlock() }()
	return f.look(name)
}

func distrosNamed(names ...string) []Distro {
	ds := make([]Distro, len(names))
	for i, n := range names {
		ds[i] = Distro{Name: n, State: StateRunning, Version: 2}
	}
	return ds
}

// The looks run side by side, at most diskLooks at once, and the rows keep the list's order.
func TestDiskReportParallelBounded(t *testing.T) {
	release := make(chan struct{})
	atFour := make(chan struct{})
	f := &lookFake{atFour: atFour, look: func(name string) (DiskUsage, error) {
		<-release
		return DiskUsage{Distro: name, State: StateRunning, Version: 2}, nil
	}}
	names := []string{"a", "b", "c", "d", "e", "f", "g"}
	done := make(chan []DiskRow)
	go func() { done <- DiskReport(context.Background(), f, distrosNamed(names...)) }()
	select {
	case <-atFour: // one look at a time would never get here
	case <-time.After(10 * time.Second):
		t.Fatal("the looks do not run side by side")
	}
	close(release)
	rows := <-done
	if f.most != diskLooks {
		t.Errorf("%d looks at once, want %d", f.most, diskLooks)
	}
	for i, r := range rows {
		if r.Distro != names[i] || r.Err != nil {
			t.Errorf("row %d: %+v", i, r)
		}
	}
}

// A distro that cannot be looked at has its error in its row, with what the list knows of it;
// the others are looked at all the same.
func TestDiskReportPerRowErrors(t *testing.T) {
	failed := &Error{Kind: KindFailed, Op: "df", Message: "broken"}
	f := &lookFake{look: func(name string) (DiskUsage, error) {
		if name != "e" {
			return DiskUsage{Distro: name}, failed
		}
		return DiskUsage{Distro: name, State: StateRunning, Version: 2, Inside: &FSUsage{SizeBytes: 1}}, nil
	}}
	ds := distrosNamed("a", "b", "c", "d", "e")
	ds[0].State, ds[0].Version = StateStopped, 1
	rows := DiskReport(context.Background(), f, ds)
	if len(f.called) != 5 {
		t.Fatalf("looked at %q, want all five", f.called)
	}
	if r := rows[0]; !errors.Is(r.Err, failed) || r.Distro != "a" || r.State != StateStopped || r.Version != 1 {
		t.Errorf("failed row: %+v", r)
	}
	if r := rows[4]; r.Err != nil || r.Inside == nil {
		t.Errorf("good row: %+v", r)
	}
}

// Once a look times out, no further look starts (a hung wsl.exe costs one timeout, not one per
// distro); what a timed-out look still knew stays in its row. Every look here times out once
// the first diskLooks are in flight, so the fifth distro's turn comes only after a timeout.
func TestDiskReportStopsAfterATimeout(t *testing.T) {
	vhdx := int64(8 << 30)
	atFour := make(chan struct{})
	f := &lookFake{atFour: atFour, look: func(name string) (DiskUsage, error) {
		<-atFour
		return DiskUsage{Distro: name, State: StateRunning, Version: 2, VHDXBytes: &vhdx},
			&Error{Kind: KindTimeout, Op: "exec", Distro: name, Message: "wsl.exe did not answer within 10s"}
	}}
	rows := DiskReport(context.Background(), f, distrosNamed("a", "b", "c", "d", "e", "f"))
	if len(f.called) != diskLooks {
		t.Fatalf("looked at %q after a timeout", f.called)
	}
	for _, r := range rows[:diskLooks] {
		if KindOf(r.Err) != KindTimeout || r.VHDXBytes == nil {
			t.Errorf("timed-out row: %+v", r)
		}
	}
	for _, r := range rows[diskLooks:] {
		if KindOf(r.Err) != KindTimeout || r.State != StateRunning || r.Err.Error() != "df "+r.Distro+": not looked at: an earlier look did not answer" {
			t.Errorf("row not looked at: %+v %v", r, r.Err)
		}
	}
	// A context already ended: nothing is looked at.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f.called = nil
	rows = DiskReport(ctx, f, distrosNamed("a"))
	if len(f.called) != 0 || !errors.Is(rows[0].Err, context.Canceled) {
		t.Errorf("after cancel: looked at %q, %+v", f.called, rows[0])
	}
}
