//go:build windows

package hostview

import (
	"context"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

// sysSource is the Windows source: package winhost's sampler, registry reader and disk size.
type sysSource struct{ h *winhost.Host }

func (s sysSource) Sample(ctx context.Context) (*backend.HostView, error) { return s.h.Sample(ctx) }
func (s sysSource) Registrations() ([]winhost.Registration, error) {
	return winhost.ReadRegistrations()
}
func (s sysSource) DiskUsage(path string) (int64, error) { return winhost.DiskUsage(path) }

// SystemSource is this host's Source and the function that releases it.
func SystemSource() (Source, func() error, error) {
	h := winhost.NewHost()
	return sysSource{h: h}, h.Close, nil
}
