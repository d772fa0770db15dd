package backend

import (
	"context"
	"time"
)

// Archiver is what a backend offers beyond Backend for copying distros: export, import, clone,
// and unregister only through the trash, which keeps a verified archive of what it removes. The
// wsl backend does it with wsl.exe; the demo simulates it (nothing is written to disk, and it is
// labelled); local has no distros and refuses each with a KindUnsupported *Error saying why.
// Front ends find it with a type assertion: b.(backend.Archiver).
type Archiver interface {
	// Export writes the distro to file (a tar). progress, if set, gets the bytes written so far.
	// A failed or cancelled export leaves no partial file; an existing file is never replaced.
	Export(ctx context.Context, name, file string, progress func(written int64)) error
	// Import makes a new distro name installed in dir from the tar file (version 0 = WSL's
	// default, else 1 or 2).
	Import(ctx context.Context, name, dir, file string, version int) error
	// Clone copies src to newName (export, then import), installed in dir ("" = the backend's
	// default place); progress is the export's.
	Clone(ctx context.Context, src, newName, dir string, progress func(written int64)) error
	// Trash unregisters a distro the only safe way: export it to the trash, verify the archive,
	// then unregister. progress is the export's.
	Trash(ctx context.Context, name string, progress func(written int64)) (TrashEntry, error)
	// TrashList lists the trash, newest first.
	TrashList() ([]TrashEntry, error)
	// TrashRestore imports the newest trashed archive of name back under its name, into
	// RestoreDir(name), and removes it from the trash.
	TrashRestore(ctx context.Context, name string) error
	// TrashPurge deletes every trashed archive of name for good.
	TrashPurge(name string) error
	// RestoreDir is where TrashRestore installs name.
	RestoreDir(name string) (string, error)
}

// TrashEntry is one unregistered distro kept as an archive.
type TrashEntry struct {
	Name     string    `json:"name"`
	Version  int       `json:"version"`
	Archive  string    `json:"archive"`
	Bytes    int64     `json:"bytes"`
	Trashed  time.Time `json:"trashed"`
	BasePath string    `json:"base_path,omitempty"`
	// State is the last step reached: exporting, verified (the archive is complete and readable),
	// unregistering (wsl.exe --unregister was started) or trashed (done). Entries written before
	// there were states read as trashed.
	State string `json:"state"`
	// Registered (from a status look only) says whether a distro of this name is registered now;
	// nil when it could not be asked.
	Registered *bool `json:"registered,omitempty"`
	// Note (from a status look only) says in one line what the entry means now.
	Note string `json:"note,omitempty"`
}

// The steps of an unregister, in order (TrashEntry.State).
const (
	TrashExporting     = "exporting"
	TrashVerified      = "verified"
	TrashUnregistering = "unregistering"
	TrashDone          = "trashed"
)

// Restorable reports whether the archive is known complete (verified or later).
func (e TrashEntry) Restorable() bool { return e.State != TrashExporting }
