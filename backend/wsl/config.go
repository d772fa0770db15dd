package wsl

import (
	"cmp"
	"context"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// The config store: .wslconfig in the Windows user's profile, and the /etc/wsl.conf of the
// distro wsldash runs in. Another distro's wsl.conf is never read: the only way in is wsl.exe,
// which would start a stopped distro to look at one file.

// WSLConfig reads %UserProfile%\.wslconfig (inside WSL through the drive mount; the path is found
// once, see wslconfigPath).
func (b *Backend) WSLConfig(ctx context.Context) (backend.ConfigFile, error) {
	p, err := b.wslconfigPath()
	if err != nil {
		return backend.ConfigFile{}, err
	}
	return wslconfig.Load(p)
}

// WSLConf reads the /etc/wsl.conf of the distro wsldash runs in ("" or its name); any other is
// refused with KindUnsupported, and from Windows every one is.
func (b *Backend) WSLConf(ctx context.Context, distro string) (backend.ConfigFile, error) {
	switch {
	case b.inside && (distro == "" || strings.EqualFold(distro, b.own)):
		return wslconfig.Load(cmp.Or(b.opts.WSLConf, "/etc/wsl.conf"))
	case b.inside:
		msg := distro + "'s wsl.conf is not read from " + cmp.Or(b.own, "this distro") + " (only the distro wsldash runs in)"
		if b.own != "" {
			msg += "; select " + b.own
		}
		return backend.ConfigFile{}, &backend.Error{Kind: backend.KindUnsupported, Distro: distro, Message: msg}
	case distro == "":
		return backend.ConfigFile{}, &backend.Error{Kind: backend.KindUnsupported,
			Message: "Windows has no wsl.conf: each distro has its own"}
	}
	return backend.ConfigFile{}, &backend.Error{Kind: backend.KindUnsupported, Distro: distro,
		Message: distro + "'s wsl.conf is not read from Windows (reading it could start the distro)"}
}

// wslconfigPath is .wslconfig's path and why there is none, found once: inside WSL it asks
// cmd.exe for %UserProfile%, which is too slow to repeat (wslconfig.DefaultPath).
func (b *Backend) wslconfigPath() (string, error) {
	b.cfgOnce.Do(func() { b.cfgPath, b.cfgErr = wslconfig.DefaultPath() })
	return b.cfgPath, b.cfgErr
}

var _ backend.ConfigStore = (*Backend)(nil)
