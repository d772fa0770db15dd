package wsl

import (
	"context"
	"fmt"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

var _ backend.DiskReporter = (*Backend)(nil)

// DiskUsage is a distro's ext4.vhdx size (from the registry's disk path, as Distros reports it)
// beside the guest's df of / — only when the distro is running: `wsl.exe -d NAME --exec df`
// would boot a stopped one, so its inside stays unknown (nil). The list is asked fresh first,
// so a distro that stopped a moment ago is not started again (a race of a few milliseconds
// remains: wsl.exe has no "run only if running"). A df that times out returns the error with
// what is known (the file's size), so a caller asking for several distros stops there.
func (b *Backend) DiskUsage(ctx context.Context, name string) (backend.DiskUsage, error) {
	u := backend.DiskUsage{Distro: name}
	if err := b.checkName("df", name); err != nil {
		return u, err
	}
	d, err := b.find(ctx, "df", name)
	if err != nil {
		return u, err
	}
	u, err = backend.DiskUsageOf(d, func() (backend.FSUsage, error) { return b.df(ctx, d.Name) })
	return u, withDistro(err, d.Name)
}

// df runs backend.DFArgs in the distro and parses its answer.
func (b *Backend) df(ctx context.Context, name string) (backend.FSUsage, error) {
	res, err := b.run.Run(wslexe.Operation(ctx), append([]string{"-d", name, "--exec"}, backend.DFArgs...)...)
	if err != nil {
		if msg := strings.TrimSpace(wslout.DecodeStderr(res.Stderr)); msg != "" && !strings.Contains(err.Error(), msg) {
			return backend.FSUsage{}, fmt.Errorf("%w: %s", err, msg)
		}
		return backend.FSUsage{}, err
	}
	return backend.ParseDF(string(res.Stdout))
}
