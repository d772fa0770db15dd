//go:build windows

package wsl

import (
	"context"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

// winSource adapts package winhost to HostSource.
type winSource struct{ h *winhost.Host }

func (w winSource) Registrations() ([]winhost.Registration, error) {
	return winhost.ReadRegistrations()
}
func (w winSource) DiskUsage(path string) (int64, error) { return winhost.DiskUsage(path) }
func (w winSource) Sample(ctx context.Context) (*backend.HostView, error) {
	return w.h.Sample(ctx)
}
func (w winSource) Close() error { return w.h.Close() }

// defaultHost reads the registry and the VM's host process through winhost.
func defaultHost() HostSource { return winSource{h: winhost.NewHost()} }
