package backendtest

import (
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// testUnknownIsNil: a figure that is not known is nil (or flagged), never an invented 0: the
// first sample's CPU (one reading gives no rate), a stopped VM's CPU, a process's first CPU, the
// inside of a disk nobody looked into, a socket's owner nobody could see.
func testUnknownIsNil(t *testing.T, h Harness, s Subject) {
	b := s.Backend
	ctx := ctxT(t)
	first, err := b.Sample(ctx)
	if err != nil {
		asError(t, "the first Sample", err)
	} else {
		if first.CPUPercent != nil && !h.History {
			t.Errorf("the first Sample has a CPU rate (%v %%), but one reading gives no rate: it must be nil", *first.CPUPercent)
		}
		checkSample(t, "the first Sample", first)
	}
	if second, err := b.Sample(ctx); err == nil {
		checkSample(t, "the second Sample", second)
	}

	running := ""
	if h.Distros {
		running = pick(t, b, backend.StateRunning, 0).Name
	}
	ps, err := b.Processes(ctx, running)
	if err != nil {
		asError(t, "Processes", err)
	}
	for _, p := range ps {
		if p.PID <= 0 {
			t.Errorf("process %q has pid %d", p.Name, p.PID)
		}
		if p.CPUUnknown && p.CPUPercent != 0 {
			t.Errorf("process %d's CPU is flagged unknown but reads %v %%", p.PID, p.CPUPercent)
		}
		if p.CPUPercent < 0 {
			t.Errorf("process %d's CPU is negative (%v)", p.PID, p.CPUPercent)
		}
	}

	if r, ok := b.(backend.DiskReporter); ok {
		for _, d := range distros(t, b) {
			u, err := r.DiskUsage(ctx, d.Name)
			if err != nil {
				asError(t, "DiskUsage of "+d.Name, err)
				continue
			}
			checkDisk(t, d, u)
		}
	}

	if n, ok := b.(backend.NetworkLister); ok {
		if nw, err := n.Network(ctx, ""); err != nil {
			asError(t, "Network", err)
		} else {
			for _, p := range nw.Ports {
				if p.PID != nil && *p.PID <= 0 {
					t.Errorf("port %s/%d names pid %d: a socket whose owner is not known has a nil pid", p.Proto, p.Port, *p.PID)
				}
			}
		}
	}

	if m, ok := b.(backend.Manager); ok && h.Distros && can(b, backend.ActCompact) {
		if d, ok := firstOf(distros(t, b), func(d backend.Distro) bool { return d.Version == 2 && !d.State.Busy() }); ok {
			r, err := m.Compact(ctx, d.Name, backend.CompactOptions{DryRun: true})
			if err != nil {
				asError(t, "a dry-run Compact", err)
			} else if r.After != nil || r.Trimmed != nil {
				t.Errorf("a dry-run Compact of %s reports a size after (%v) or bytes trimmed (%v): nothing was done, so they are unknown", d.Name, r.After, r.Trimmed)
			}
		}
	}

	// A stopped VM has no CPU figure, and nothing of it is known.
	if h.Distros && can(b, backend.ActShutdown) {
		if err := b.Shutdown(ctx, false); err != nil {
			t.Fatalf("Shutdown: %v", err)
		}
		smp, err := b.Sample(ctx)
		if err != nil {
			wantKind(t, "Sample of a stopped VM", err, backend.KindNotRunning)
		}
		if smp.CPUPercent != nil {
			t.Errorf("a Sample of a stopped VM has a CPU figure (%v %%): a stopped VM has none, so it must be nil", *smp.CPUPercent)
		}
		if smp.Host != nil && smp.Host.VMCPUPercent != nil {
			t.Errorf("a Sample of a stopped VM has the VM's CPU on the host (%v %%): it must be nil", *smp.Host.VMCPUPercent)
		}
		if len(smp.Distros) != 0 {
			t.Errorf("a Sample of a stopped VM splits memory between %d running distros", len(smp.Distros))
		}
	}
}

func firstOf(ds []backend.Distro, ok func(backend.Distro) bool) (backend.Distro, bool) {
	for _, d := range ds {
		if ok(d) {
			return d, true
		}
	}
	return backend.Distro{}, false
}

func checkSample(t *testing.T, what string, s backend.Sample) {
	t.Helper()
	if s.CPUPercent != nil && (*s.CPUPercent < 0 || *s.CPUPercent > 100) {
		t.Errorf("%s: CPU %v %% is outside 0..100", what, *s.CPUPercent)
	}
	g := s.Guest
	if g.TotalBytes > 0 && g.UsedBytes+g.CacheBytes+g.FreeBytes != g.TotalBytes {
		t.Errorf("%s: used %d + cache %d + free %d is not the total %d", what, g.UsedBytes, g.CacheBytes, g.FreeBytes, g.TotalBytes)
	}
	if h := s.Host; h != nil && h.VMCPUPercent != nil && *h.VMCPUPercent < 0 {
		t.Errorf("%s: the VM's host CPU is negative (%v)", what, *h.VMCPUPercent)
	}
	if s.MemoryPressure != nil && (s.MemoryPressure.Avg10 < 0 || s.MemoryPressure.Avg10 > 100) {
		t.Errorf("%s: memory pressure %v %% is outside 0..100", what, s.MemoryPressure.Avg10)
	}
	for _, d := range s.Distros {
		if d.Source == backend.MemoryRSSEstimate && d.CacheBytes != nil {
			t.Errorf("%s: %s's memory is an RSS estimate, which knows no page cache, yet its cache reads %d", what, d.Name, *d.CacheBytes)
		}
		if d.Source != backend.MemoryCgroup && d.Source != backend.MemoryRSSEstimate {
			t.Errorf("%s: %s's memory has no known source (%q)", what, d.Name, d.Source)
		}
	}
	if len(s.Distros) > 0 && s.DistrosRemainder == nil {
		t.Errorf("%s: per-distro memory without the remainder that makes the parts add up", what)
	}
}

func checkDisk(t *testing.T, d backend.Distro, u backend.DiskUsage) {
	t.Helper()
	if u.VHDXBytes != nil && *u.VHDXBytes <= 0 {
		t.Errorf("DiskUsage of %s: the disk file's size reads %d; an unknown size is nil", d.Name, *u.VHDXBytes)
	}
	if d.Version == 1 && (u.VHDXBytes != nil || u.Inside != nil || u.Reclaimable != nil) {
		t.Errorf("DiskUsage of WSL 1 %s has virtual-disk figures; WSL 1 has no virtual disk", d.Name)
	}
	if d.State != backend.StateRunning && u.Inside != nil {
		t.Errorf("DiskUsage of %s (%s) knows the inside; only a look inside a running distro can", d.Name, d.State)
	}
	if (u.Reclaimable != nil) != (u.VHDXBytes != nil && u.Inside != nil) {
		t.Errorf("DiskUsage of %s: reclaimable is known (%v) exactly when both the file's size (%v) and the inside (%v) are", d.Name, u.Reclaimable != nil, u.VHDXBytes != nil, u.Inside != nil)
	}
	if u.Reclaimable != nil && *u.Reclaimable < 0 {
		t.Errorf("DiskUsage of %s: reclaimable is negative", d.Name)
	}
	if (u.VHDXBytes == nil || u.Inside == nil) && u.Note == "" {
		t.Errorf("DiskUsage of %s: a figure is unknown and Note does not say why", d.Name)
	}
}
