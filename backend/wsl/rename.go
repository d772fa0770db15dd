package wsl

import (
	"context"
	"fmt"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

// renameRegistration writes the registration's new name (the registry on Windows; tests swap
// it for the double's state).
var renameRegistration = winhost.RenameRegistration

// Rename renames a stopped distro: wsl.exe has no rename, so it writes the registration's
// DistributionName (HKCU Lxss\{guid}). It refuses a running distro, a name already taken (WSL
// compares names case-insensitively) and a name WSL would not accept. The Windows Terminal
// profile WSL generated keeps the old name (not changed here).
func (b *Backend) Rename(ctx context.Context, name, newName string) error {
	if err := b.checkName("rename", name); err != nil {
		return err
	}
	if !wslout.ValidName(newName) || strings.EqualFold(newName, "Legacy") {
		return &backend.Error{Kind: backend.KindFailed, Op: "rename", Distro: name,
			Message: fmt.Sprintf("%q is not a name WSL accepts (letters, digits, . _ -; not Legacy)", newName)}
	}
	if b.inside {
		return &backend.Error{Kind: backend.KindUnsupported, Op: "rename", Distro: name,
			Message: "renaming writes the Windows registry: run wsldash.exe rename from Windows"}
	}
	d, err := b.find(ctx, "rename", name)
	if err != nil {
		return err
	}
	ds, err := b.Distros(ctx)
	if err != nil {
		return err
	}
	for _, o := range ds {
		if strings.EqualFold(o.Name, newName) && !strings.EqualFold(o.Name, d.Name) {
			return &backend.Error{Kind: backend.KindFailed, Op: "rename", Distro: d.Name, Message: fmt.Sprintf("a distro named %s already exists", o.Name)}
		}
	}
	if d.State != backend.StateStopped {
		return &backend.Error{Kind: backend.KindBusy, Op: "rename", Distro: d.Name,
			Message: fmt.Sprintf("%s is %s: stop it first (wsldash terminate %s)", d.Name, strings.ToLower(string(d.State)), d.Name)}
	}
	if b.opts.Host == nil {
		return &backend.Error{Kind: backend.KindUnsupported, Op: "rename", Distro: d.Name, Message: "the WSL registry cannot be read here"}
	}
	regs, err := b.opts.Host.Registrations()
	if err != nil {
		return err
	}
	guid := ""
	for _, r := range regs {
		if strings.EqualFold(r.Name, d.Name) {
			guid = r.GUID
		}
	}
	if guid == "" {
		return &backend.Error{Kind: backend.KindNotFound, Op: "rename", Distro: d.Name, Message: "no registration of it in the registry"}
	}
	done, err := b.begin("rename", d.Name)
	if err != nil {
		return err
	}
	defer done()
	if err := renameRegistration(guid, newName); err != nil {
		return withDistro(err, d.Name)
	}
	return nil
}
