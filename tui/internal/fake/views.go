package fake

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Views is a fake that also measures disks, keeps a trash and has a catalogue (the disks and
// catalogue views' tests): backend.DiskReporter, backend.Archiver's trash half and
// backend.Manager's catalogue and install. The rest of Archiver and Manager refuse as
// unsupported. Calls are recorded in the embedded Backend ("disk Debian", "trash-list",
// "restore Debian", "purge Debian", "catalogue", "install Ubuntu name=… location=… web=…").
type Views struct {
	*Backend
	trash      []backend.TrashEntry
	catalogue  []backend.OnlineDistro
	catErr     error
	diskErr    map[string]error
	installErr error
}

// NewViews is New plus one trash entry (Fedora, trashed) and a three-row catalogue, with the
// install and unregister actions possible.
func NewViews() *Views {
	b := New()
	b.caps[backend.ActInstall] = backend.Can()
	b.caps[backend.ActUnregister] = backend.Can()
	return &Views{Backend: b,
		trash: []backend.TrashEntry{{Name: "Fedora", Version: 2, Archive: `C:\trash\Fedora.tar`, Bytes: 700 << 20,
			Trashed: b.start.Add(-time.Hour), State: backend.TrashDone}},
		catalogue: []backend.OnlineDistro{{Name: "Ubuntu", FriendlyName: "Ubuntu"}, {Name: "Debian", FriendlyName: "Debian GNU/Linux"},
			{Name: "FedoraLinux-42", FriendlyName: "Fedora Linux 42"}},
		diskErr: map[string]error{},
	}
}

// SetTrash replaces the trash.
func (v *Views) SetTrash(t []backend.TrashEntry) { v.mu.Lock(); v.trash = t; v.mu.Unlock() }

// FailCatalogue makes OnlineDistros fail with err (nil: succeed).
func (v *Views) FailCatalogue(err error) { v.mu.Lock(); v.catErr = err; v.mu.Unlock() }

// FailDisk makes DiskUsage of name fail with err.
func (v *Views) FailDisk(name string, err error) { v.mu.Lock(); v.diskErr[name] = err; v.mu.Unlock() }

// FailInstall makes the next Install fail with err.
func (v *Views) FailInstall(err error) { v.mu.Lock(); v.installErr = err; v.mu.Unlock() }

func (v *Views) DiskUsage(_ context.Context, name string) (backend.DiskUsage, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.record("disk " + name)
	if err := v.diskErr[name]; err != nil {
		return backend.DiskUsage{Distro: name}, err
	}
	for _, d := range v.distros {
		if d.Name != name {
			continue
		}
		u := backend.DiskUsage{Distro: d.Name, State: d.State, Version: d.Version}
		if d.Version != 2 {
			u.Note = "WSL 1"
			return u, nil
		}
		u.Reclaim = backend.ReclaimAdvice(name)
		if d.DiskBytes > 0 {
			n := d.DiskBytes
			u.VHDXBytes = &n
		}
		if d.State == backend.StateRunning {
			u.Inside = &backend.FSUsage{SizeBytes: 1 << 40, UsedBytes: d.DiskBytes / 3, AvailBytes: 1<<40 - d.DiskBytes/3}
		} else {
			u.Note = backend.NotRunningNote(d.State)
		}
		u.Reclaimable = backend.Reclaimable(u.VHDXBytes, u.Inside)
		return u, nil
	}
	return backend.DiskUsage{Distro: name}, &backend.Error{Kind: backend.KindNotFound, Distro: name, Message: "no such distro"}
}

// unsupported is the refusal Capabilities gives for a: the fake does none of these.
func (v *Views) unsupported(a backend.Action) error { return v.Capabilities().Check(a) }

func (v *Views) Export(context.Context, string, string, backend.Format, func(int64)) error {
	return v.unsupported(backend.ActExport)
}
func (v *Views) Import(context.Context, string, string, string, int) error {
	return v.unsupported(backend.ActImport)
}
func (v *Views) Clone(context.Context, string, string, string, backend.Format, func(int64)) error {
	return v.unsupported(backend.ActClone)
}

// Trash unregisters name at once into the trash (its entry trashed), reporting the archive's
// bytes halfway and at the end.
func (v *Views) Trash(_ context.Context, name string, progress func(int64)) (backend.TrashEntry, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.record("trash " + name)
	if err := v.failed(backend.ActUnregister); err != nil {
		return backend.TrashEntry{}, err
	}
	if err := backend.Precheck(backend.ActUnregister, name, v.distros); err != nil {
		return backend.TrashEntry{}, err // not found, or busy installing
	}
	i := slices.IndexFunc(v.distros, func(d backend.Distro) bool { return strings.EqualFold(d.Name, name) })
	d := v.distros[i]
	const size = 600 << 20
	if progress != nil {
		progress(size / 2)
		progress(size)
	}
	e := backend.TrashEntry{Name: d.Name, Version: d.Version, Archive: `C:\trash\` + d.Name + ".tar", Bytes: size,
		Trashed: v.start.Add(time.Duration(len(v.calls)) * time.Second), State: backend.TrashDone}
	v.distros = slices.Delete(v.distros, i, i+1)
	v.trash = append([]backend.TrashEntry{e}, v.trash...)
	return e, nil
}

func (v *Views) TrashList() ([]backend.TrashEntry, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.record("trash-list")
	return append([]backend.TrashEntry(nil), v.trash...), nil
}

// TrashRestore registers the entry's distro again (stopped) and drops it from the trash.
func (v *Views) TrashRestore(_ context.Context, name string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.record("restore " + name)
	for i, e := range v.trash {
		if e.Name == name {
			v.trash = append(v.trash[:i], v.trash[i+1:]...)
			v.distros = append(v.distros, backend.Distro{Name: name, State: backend.StateStopped, Version: e.Version})
			return nil
		}
	}
	return &backend.Error{Kind: backend.KindNotFound, Op: "restore", Distro: name, Message: "not in the trash"}
}

func (v *Views) TrashPurge(name string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.record("purge " + name)
	n := len(v.trash)
	out := v.trash[:0]
	for _, e := range v.trash {
		if e.Name != name {
			out = append(out, e)
		}
	}
	v.trash = out
	if len(out) == n {
		return &backend.Error{Kind: backend.KindNotFound, Op: "purge", Distro: name, Message: "not in the trash"}
	}
	return nil
}

func (v *Views) RestoreDir(name string) (string, error) { return `C:\wsldash\distros\` + name, nil }

func (v *Views) OnlineDistros(context.Context) ([]backend.OnlineDistro, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.record("catalogue")
	if v.catErr != nil {
		return nil, v.catErr
	}
	return append([]backend.OnlineDistro(nil), v.catalogue...), nil
}

// Install reports two phases, then registers the distro stopped (or fails as told).
func (v *Views) Install(_ context.Context, o backend.InstallOptions, progress func(backend.InstallProgress)) (backend.InstallResult, error) {
	v.mu.Lock()
	v.record(fmt.Sprintf("install %s name=%s location=%s web=%v", o.Distro, o.Name, o.Location, o.WebDownload))
	err := v.installErr
	v.installErr = nil
	v.mu.Unlock()
	if progress != nil {
		progress(backend.InstallProgress{Phase: backend.InstallDownloading, Text: "Downloading: " + o.Distro})
		progress(backend.InstallProgress{Phase: backend.InstallInstalling, Text: "Installing: " + o.Distro})
	}
	name := o.Name
	if name == "" {
		name = o.Distro
	}
	if err != nil {
		return backend.InstallResult{Distro: name, Source: o.Distro}, err
	}
	v.mu.Lock()
	v.distros = append(v.distros, backend.Distro{Name: name, State: backend.StateStopped, Version: 2})
	v.mu.Unlock()
	return backend.InstallResult{Distro: name, Source: o.Distro, FirstRun: "open its shell to create its user"}, nil
}

func (v *Views) Move(context.Context, string, string) (backend.MoveResult, error) {
	return backend.MoveResult{}, v.unsupported(backend.ActMove)
}
func (v *Views) Resize(context.Context, string, string) error {
	return v.unsupported(backend.ActResize)
}
func (v *Views) SetSparse(context.Context, string, bool, bool) error {
	return v.unsupported(backend.ActSparse)
}
func (v *Views) SetDefaultUser(context.Context, string, string) error {
	return v.unsupported(backend.ActSetUser)
}
func (v *Views) Compact(context.Context, string, backend.CompactOptions) (backend.CompactResult, error) {
	return backend.CompactResult{}, v.unsupported(backend.ActCompact)
}
func (v *Views) Rename(context.Context, string, string) (backend.RenameResult, error) {
	return backend.RenameResult{}, v.unsupported(backend.ActRename)
}

var (
	_ backend.DiskReporter = (*Views)(nil)
	_ backend.Archiver     = (*Views)(nil)
	_ backend.Manager      = (*Views)(nil)
)
