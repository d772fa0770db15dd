package wsl

import (
	"fmt"
	"math"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// DefaultVMIdle is WSL's vmIdleTimeout when .wslconfig does not set one (§2).
const DefaultVMIdle = 60 * time.Second

// noteRunning remembers when a list last showed a running distro: WSL keeps the VM (and
// vmmemWSL its memory) vmIdleTimeout after the last one stops, so "no distro is running" does
// not yet mean "the VM is stopped".
func (b *Backend) noteRunning(ds []backend.Distro) {
	for _, d := range ds {
		if d.State == backend.StateRunning {
			b.mu.Lock()
			b.lastRunning = b.opts.Now()
			b.mu.Unlock()
			return
		}
	}
}

// vmIdleNote rewrites the "no distro is running; the VM is stopped" error while the VM is, as
// far as wsldash saw, still inside its vmIdleTimeout: "the VM is idle and stops in about N s".
func (b *Backend) vmIdleNote(err error) error {
	be, ok := err.(*backend.Error)
	if !ok || be.Kind != backend.KindNotRunning || be.Message != errNoneRunning().(*backend.Error).Message {
		return err
	}
	b.mu.Lock()
	last := b.lastRunning
	b.mu.Unlock()
	if last.IsZero() {
		return err
	}
	idle, never, _ := b.configMS("wsl2.vmIdleTimeout", DefaultVMIdle)
	left := idle - b.opts.Now().Sub(last)
	e := *be
	switch {
	case never:
		e.Message = "no distro is running; the VM stays up (vmIdleTimeout is negative) and vmmemWSL keeps its memory"
	case left > 0:
		e.Message = fmt.Sprintf("no distro is running; VM idle, stops in about %d s (vmIdleTimeout); vmmemWSL still holds its memory",
			int(math.Ceil(left.Seconds())))
	default:
		return err
	}
	return &e
}
