package local

import (
	"cmp"
	"context"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// WSLConfig reads the .wslconfig that wslconfig.DefaultPath finds: $WSLDASH_WSLCONFIG, or inside
// WSL the Windows profile's; on plain Linux there is none, and the error says so.
func (b *Backend) WSLConfig(ctx context.Context) (backend.ConfigFile, error) {
	p, err := wslconfig.DefaultPath()
	if err != nil {
		return backend.ConfigFile{}, err
	}
	return wslconfig.Load(p)
}

// WSLConf reads this machine's /etc/wsl.conf (Options.WSLConf); the machine has no distros, so
// distro must be "".
func (b *Backend) WSLConf(ctx context.Context, distro string) (backend.ConfigFile, error) {
	if distro != "" {
		return backend.ConfigFile{}, &backend.Error{Kind: backend.KindNotFound, Distro: distro, Message: noDistros}
	}
	return wslconfig.Load(cmp.Or(b.opts.WSLConf, "/etc/wsl.conf"))
}

var _ backend.ConfigStore = (*Backend)(nil)
