package wsl

import (
	"context"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Per-distro memory, from a look (look.go) at each running distro while it is watched.

// DistroMemoryTTL is how long per-distro memory is reused before it is looked at again: a look
// is a wsl.exe call per running distro, too dear for every sample (until the probe carries it).
const DistroMemoryTTL = 10 * time.Second

// distroMem holds the last per-distro memory look; it is refreshed in the background, so a
// Sample never waits for wsl.exe. Close waits for a look in progress.
type distroMem struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	at     time.Time
	busy   bool
	wanted bool // someone shows it (WatchDistroMemory); no look is made otherwise
	ds     []backend.DistroMemory
	// period is the front end's cadence (SetCadence, cadence.go): looks are at most every
	// max(DistroMemoryTTL, period).
	period time.Duration
}

// WatchDistroMemory says whether per-distro memory is wanted now: the dashboard while its memory
// view is open, `stats` always. Looks cost a wsl.exe call per running distro, so none is made
// while nothing shows them (the steady-state cost of the other views stays at the list alone),
// and samples carry no per-distro memory then. It only sets a flag: safe to call from Update.
func (b *Backend) WatchDistroMemory(on bool) {
	b.dmem.mu.Lock()
	b.dmem.wanted = on
	b.dmem.mu.Unlock()
}

// attachDistroMemory adds the newest known per-distro memory to s, with the remainder against
// s's own guest memory, and starts a background look when the last one is older than
// DistroMemoryTTL, or the front end's slower cadence (SetCadence); only while
// WatchDistroMemory(true).
func (b *Backend) attachDistroMemory(s *backend.Sample) {
	b.mu.Lock()
	closed := b.closed
	b.mu.Unlock()
	if closed {
		return
	}
	dm := &b.dmem
	dm.mu.Lock()
	if !dm.wanted {
		dm.mu.Unlock()
		return
	}
	now := b.opts.Now()
	if !dm.busy && (dm.at.IsZero() || now.Sub(dm.at) >= max(DistroMemoryTTL, dm.period)) {
		dm.busy = true
		dm.wg.Add(1)
		go b.refreshDistroMemory(dm)
	}
	ds := dm.ds
	dm.mu.Unlock()
	if len(ds) > 0 && s.Guest.TotalBytes > 0 {
		s.Distros = ds
		s.DistrosRemainder = backend.SplitMemory(s.Guest, ds)
	}
}

func (b *Backend) refreshDistroMemory(dm *distroMem) {
	defer dm.wg.Done()
	ctx, cancel := context.WithTimeout(context.Background(), b.opts.Timeout)
	defer cancel()
	looks, _, err := b.lookAll(ctx, "", memScript)
	dm.mu.Lock()
	dm.busy = false
	dm.at = b.opts.Now()
	dm.mu.Unlock()
	if err == nil {
		b.keepDistroMemory(looks)
	}
}

// keepDistroMemory stores the memory of a look at every running distro for the next samples.
func (b *Backend) keepDistroMemory(looks []look) {
	var ds []backend.DistroMemory
	for _, l := range looks {
		if l.haveMem {
			ds = append(ds, l.memory)
		}
	}
	dm := &b.dmem
	dm.mu.Lock()
	defer dm.mu.Unlock()
	dm.ds, dm.at = ds, b.opts.Now()
}
