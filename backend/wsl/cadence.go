package wsl

import (
	"time"

	"github.com/wsldash/wsldash/backend"
)

var _ backend.Paced = (*Backend)(nil)

// hostIntervalFloor is the fastest the host helper is asked to run: its default, 1 s. A front
// end sampling faster reuses its lines, as it always did; only a slower one changes it.
const hostIntervalFloor = time.Second

// SetCadence is told how often the front end samples now (the dashboard's live or idle
// cadence), so that what this backend runs on its own slows down with it: WSL reclaims the VM's
// memory only while the whole VM is idle. Inside WSL the host helper (hostview.Client) is asked
// to print every max(d, 1s) instead of every second, and, everywhere, the per-distro memory
// look (a wsl.exe per running distro) is made at most every max(DistroMemoryTTL, d). d <= 0 is
// ignored. It records and hands on without waiting: safe from any goroutine, Update included.
func (b *Backend) SetCadence(d time.Duration) {
	if d <= 0 {
		return
	}
	// opts.Host is set once, in New.
	if h, ok := b.opts.Host.(interface{ SetInterval(time.Duration) }); ok {
		h.SetInterval(max(d, hostIntervalFloor))
	}
	b.dmem.mu.Lock()
	b.dmem.period = d
	b.dmem.mu.Unlock()
}
