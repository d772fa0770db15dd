package demo

import (
	"context"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// TestDistroMemoryAddsUp checks, over an hour of simulated builds, page cache and reclaim,
// that the distros' shares and the remainder add up to the VM's used memory and cache, and
// that both ways of knowing a distro's memory are modelled.
func TestDistroMemoryAddsUp(t *testing.T) {
	b, clk := newTest(Options{Seed: 1, Warmup: 10 * time.Minute})
	ctx := context.Background()
	for i := 0; i < 3600; i += 7 {
		clk.Advance(7 * time.Second)
		s, err := b.Sample(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sources := map[backend.MemorySource]int{}
		var mem, cache uint64
		for _, d := range s.Distros {
			sources[d.Source]++
			mem += d.MemoryBytes
			if d.CacheBytes != nil {
				cache += *d.CacheBytes
			} else if d.Source == backend.MemoryCgroup {
				t.Fatalf("cgroup share without cache: %+v", d)
			}
			if d.Docker != (d.Name == "docker-desktop") {
				t.Fatalf("docker flag: %+v", d)
			}
		}
		if sources[backend.MemoryCgroup] == 0 || sources[backend.MemoryRSSEstimate] == 0 {
			t.Fatalf("t=%d: sources %v, want both", i, sources)
		}
		r := s.DistrosRemainder
		if r == nil || mem+r.MemoryBytes != s.Guest.UsedBytes || cache+r.CacheBytes != s.Guest.CacheBytes {
			t.Fatalf("t=%d: %d+%+v vs used %d cache %d", i, mem, r, s.Guest.UsedBytes, s.Guest.CacheBytes)
		}
	}
}

func TestAllProcessesAndPortsCoverRunningDistros(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	ps, notes, err := backend.AllProcesses(ctx, b)
	if err != nil || len(notes) != 0 {
		t.Fatal(err, notes)
	}
	seen := map[string]int{}
	for _, p := range ps {
		seen[p.Distro]++
	}
	if len(seen) != 2 || seen["Ubuntu-24.04"] == 0 || seen["docker-desktop"] == 0 {
		t.Fatalf("distros in ps --all: %v", seen)
	}
	n, err := b.Network(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Mode != "nat" || len(n.Addresses) == 0 {
		t.Errorf("network %+v", n)
	}
	byDistro := map[string]int{}
	for _, p := range n.Ports {
		byDistro[p.Distro]++
		if (p.PID == nil) != (p.Distro == "") {
			t.Errorf("port %+v: pid and distro disagree", p)
		}
	}
	if byDistro["Ubuntu-24.04"] == 0 || byDistro["docker-desktop"] == 0 || byDistro[""] != 1 {
		t.Errorf("ports per distro %v", byDistro)
	}
	one, err := b.Network(ctx, "docker-desktop")
	if err != nil || len(one.Ports) != byDistro["docker-desktop"] {
		t.Errorf("docker-desktop only: %+v %v", one.Ports, err)
	}
	if _, err := b.Network(ctx, "Debian"); backend.KindOf(err) != backend.KindNotRunning {
		t.Errorf("stopped distro: %v", err)
	}
}
