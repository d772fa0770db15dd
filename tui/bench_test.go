package tui

import (
	"fmt"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// benchModel is a 200x60 overview with 60 distros, 1,000 processes and a full 900-sample history.
func benchModel(b *testing.B) Model {
	be := fake.New()
	ds := make([]backend.Distro, 60)
	for i := range ds {
		ds[i] = backend.Distro{Name: fmt.Sprintf("distro-%02d", i), State: []backend.State{backend.StateRunning,
			backend.StateStopped, backend.StateInstalling}[i%3], Version: 2, DiskBytes: int64(i+1) << 30, Held: i%7 == 0}
	}
	ds[0].Default = true
	be.SetDistros(ds)
	be.SetProcesses(benchProcs(1000))
	m := historyModel(b, be, 200, 60)
	m.now = t0.Add(15 * time.Minute)
	return m
}

// benchProcs is n processes with varied CPU and memory.
func benchProcs(n int) []backend.Process {
	ps := make([]backend.Process, n)
	for i := range ps {
		ps[i] = backend.Process{PID: 100 + i, Name: fmt.Sprintf("worker-%04d", i), User: "dev",
			CPUPercent: float64(i%97) / 3, RSSBytes: uint64(i%300+1) << 20}
	}
	return ps
}

// historyModel is the model on be at w x h with a full history (900 samples from t0).
func historyModel(b *testing.B, be *fake.Backend, w, h int) Model {
	hs := newHarness(b, be, w, h)
	for i := 0; i < 900; i++ {
		hs.m.hist.Add(fake.SampleAt(t0, i))
	}
	return hs.m
}

func BenchmarkView200x60(b *testing.B) {
	m := benchModel(b)
	if l := len(m.procPane.list.items); l != 1000 {
		b.Fatalf("%d procs", l)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}

// BenchmarkViewMemory200x60 is the memory (reclaim) view over the same model, with a full event
// log: the whole 900-sample history is drawn (averaged), plus the reclaim and event panes.
func BenchmarkViewMemory200x60(b *testing.B) {
	m := benchModel(b)
	for _, s := range []int{100, 300, 500, 700} {
		m.rec.push(reclaimEntry{Time: t0.Add(time.Duration(s) * time.Second), Source: reclaim.SourceAutomatic, Cache: 2 << 30, VM: 2 << 30, measured: true})
	}
	m.setView(ViewMemory)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.View()
	}
}
