package wsl

import (
	"context"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/hostview"
)

// insideHost is the HostSource inside WSL, where the registry, vmmemWSL and HCS are out of
// reach: the Windows build of wsldash run once through interop as a helper (package hostview),
// started by the first call that needs it, in the background.
// The helper samples every second (its default), or at the dashboard's cadence once SetCadence
// said so (an `interval` line on its stdin); the probe has no period of its own.
func insideHost(opts Options) HostSource {
	return hostview.NewClient(hostview.ClientOptions{})
}

// WaitHost waits, until ctx is done, for the host source's first answer when it has one to wait
// for (the helper inside WSL). One-shot CLI commands call it so their output carries the host's
// data; the dashboard does not, and shows the guest at once.
func (b *Backend) WaitHost(ctx context.Context) error {
	if r, ok := b.opts.Host.(interface{ Ready(context.Context) error }); ok {
		return r.Ready(ctx)
	}
	return nil
}

var _ backend.HostWaiter = (*Backend)(nil)
