package demo

import (
	"context"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// The demo's VMs: WSL's first, its vmmemWSL figure the host view's, every kind the dashboard
// labels, one VM without HCS figures (unknown, not 0), and the same answer twice at one instant.
func TestVMsModelTheHost(t *testing.T) {
	b, clk := newTest(Options{Seed: 1, Warmup: 10 * time.Minute})
	ctx := context.Background()
	clk.Advance(7 * time.Second)
	s, err := b.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l, err := b.VMs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.VMs) < 4 || l.VMs[0].Kind != backend.VMKindWSL {
		t.Fatalf("VMs %+v", l.VMs)
	}
	w := l.VMs[0]
	if s.Host == nil || w.ProcessBytes == nil || *w.ProcessBytes != s.Host.VMProcessBytes || w.Process != s.Host.VMProcess {
		t.Fatalf("WSL's VM %+v does not match the host view %+v", w, s.Host)
	}
	kinds := map[string]bool{}
	unknown := 0
	for _, v := range l.VMs {
		kinds[v.Kind] = true
		if v.MemoryBytes == nil && v.CPUSeconds == nil {
			unknown++
			if v.Note == "" || v.ProcessBytes == nil {
				t.Errorf("a VM without HCS figures says nothing or lacks its process: %+v", v)
			}
		}
	}
	for _, k := range []string{backend.VMKindWSLC, backend.VMKindHyperV, backend.VMKindSandbox} {
		if !kinds[k] {
			t.Errorf("no %q VM", k)
		}
	}
	if unknown == 0 {
		t.Error("every VM has HCS figures: nothing shows unknown")
	}
	again, _ := b.VMs(ctx)
	if *again.VMs[0].ProcessBytes != *w.ProcessBytes || *again.VMs[0].CPUSeconds != *w.CPUSeconds {
		t.Error("two answers at one instant differ")
	}
}
