package wsl

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
	"github.com/wsldash/wsldash/backend/wtprofile"
)

// renameRegistration writes the registration's new name (the registry on Windows; tests swap
// it for the double's state).
var renameRegistration = winhost.RenameRegistration

// The Windows Terminal side of a rename (tests swap them): the registration's fragment path and
// %LOCALAPPDATA%, under which Terminal keeps its settings.
var (
	terminalProfilePath = winhost.TerminalProfilePath
	localAppData        = func() string { return os.Getenv("LOCALAPPDATA") }
)

// RenameResult and ProfileFile live in package backend (Manager.Rename).
type (
	RenameResult = backend.RenameResult
	ProfileFile  = backend.ProfileFile
)

// Rename renames a stopped distro: wsl.exe has no rename, so it writes the registration's
// DistributionName (HKCU Lxss\{guid}). It refuses what backend.Precheck and
// backend.CheckNewName refuse, on a list read just before: a running distro, a name already
// taken (WSL compares names case-insensitively), a name WSL would not accept. After the registry write
// it renames the distro in Windows Terminal's files (renameProfiles); nothing there can fail the
// rename, the result says what changed or why not.
func (b *Backend) Rename(ctx context.Context, name, newName string) (RenameResult, error) {
	res := RenameResult{Distro: name, NewName: newName, Profiles: []ProfileFile{}}
	err := b.rename(ctx, &res)
	return res, err
}

func (b *Backend) rename(ctx context.Context, res *RenameResult) error {
	name, newName := res.Distro, res.NewName
	if err := b.checkName("rename", name); err != nil {
		return err
	}
	// Capabilities' refusal (inside WSL, or no registry), before the distro's state: a rename that
	// cannot run here must not first ask to stop the distro.
	if err := b.Capabilities().Check(backend.ActRename); err != nil {
		return withDistro(err, name)
	}
	ds, err := b.fresh(ctx)
	if err != nil {
		return err
	}
	if err := backend.Precheck(backend.ActRename, name, ds); err != nil {
		return err
	}
	if err := backend.CheckNewName(backend.ActRename, newName, name, ds); err != nil {
		return err
	}
	d, _ := backend.FindDistro(ds, name)
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
	b.invalidate()
	res.Distro = d.Name
	res.Profiles, res.Note = renameProfiles(guid, d.Name, newName)
	return nil
}

// renameProfiles renames the distro in WSL's fragment (the registration's TerminalProfilePath,
// else where WSL writes it) and in each Windows Terminal settings.json that exists.
func renameProfiles(guid, oldName, newName string) ([]ProfileFile, string) {
	files := []ProfileFile{}
	lad := localAppData()
	frag, ferr := terminalProfilePath(guid)
	if frag == "" && lad != "" {
		frag = wtprofile.FragmentPath(lad, guid)
	}
	type target struct {
		path string
		edit func([]byte, string, string) ([]byte, []string, error)
	}
	var targets []target
	if frag != "" {
		targets = append(targets, target{frag, wtprofile.RenameInFragment})
	}
	if lad != "" {
		for _, p := range wtprofile.SettingsPaths(lad) {
			targets = append(targets, target{p, wtprofile.RenameInSettings})
		}
	}
	changed := false
	for _, t := range targets {
		bak, changes, err := wtprofile.EditFile(t.path, func(b []byte) ([]byte, []string, error) { return t.edit(b, oldName, newName) })
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		f := ProfileFile{File: t.path, Changes: changes, Backup: bak}
		if f.Changes == nil {
			f.Changes = []string{}
		}
		if err != nil {
			f.Error = err.Error() + " (left as it was)"
		}
		changed = changed || len(changes) > 0 && err == nil
		files = append(files, f)
	}
	var notes []string
	if ferr != nil {
		notes = append(notes, "the registration's TerminalProfilePath could not be read: "+ferr.Error())
	}
	switch {
	case lad == "" && frag == "":
		notes = append(notes, "LOCALAPPDATA is not set: Windows Terminal's profiles were not looked at")
	case len(files) == 0:
		notes = append(notes, "no Windows Terminal settings or WSL profile fragment found")
	case changed:
		notes = append(notes, "Windows Terminal shows the new name when it next reads its settings (a new window)")
	}
	return files, strings.Join(notes, "; ")
}
