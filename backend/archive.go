package backend

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Archiver is what a backend offers beyond Backend for copying distros: export, import, clone,
// and unregister only through the trash, which keeps a verified archive of what it removes. The
// wsl backend does it with wsl.exe; the demo simulates it (nothing is written to disk, and it is
// labelled); local has no distros and refuses each with a KindUnsupported *Error saying why.
// Front ends find it with a type assertion: b.(backend.Archiver).
type Archiver interface {
	// Export writes the distro to file in format ("" = FormatTar). progress, if set, gets the
	// bytes written so far. A failed or cancelled export leaves no partial file; an existing
	// file is never replaced. FormatVHD is for WSL 2 distros only.
	Export(ctx context.Context, name, file string, format Format, progress func(written int64)) error
	// Import makes a new distro name installed in dir from file: a tar (any compression WSL
	// reads), or a .vhd/.vhdx disk, told apart by its extension (version 0 = WSL's default,
	// else 1 or 2; a disk is WSL 2 only).
	Import(ctx context.Context, name, dir, file string, version int) error
	// Clone copies src to newName (export in format, then import), installed in dir ("" = the
	// backend's default place); progress is the export's. FormatVHD copies the disk as it is
	// (faster, WSL 2 only); a tar rewrites it.
	Clone(ctx context.Context, src, newName, dir string, format Format, progress func(written int64)) error
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
	Registered *bool `json:"registered"`
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

// Format is an export's file format, as wsl --export --format names it.
type Format string

const (
	FormatTar   Format = "tar"
	FormatTarGz Format = "tar.gz"
	FormatTarXz Format = "tar.xz"
	// FormatVHD is the distro's ext4 disk itself, a .vhdx (WSL 2 only).
	FormatVHD Format = "vhd"
)

// Formats are the export formats, in the order a front end offers them.
var Formats = []Format{FormatTar, FormatTarGz, FormatTarXz, FormatVHD}

// ParseFormat reads a format name ("" is FormatTar; "vhdx" is FormatVHD).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "tar":
		return FormatTar, nil
	case "tar.gz", "tgz", "gz":
		return FormatTarGz, nil
	case "tar.xz", "txz", "xz":
		return FormatTarXz, nil
	case "vhd", "vhdx":
		return FormatVHD, nil
	}
	return "", &Error{Kind: KindFailed, Op: "export", Message: fmt.Sprintf("unknown format %q: use tar, tar.gz, tar.xz or vhd", s)}
}

// FormatOf is the format a file name's extension says (.tar.gz/.tgz, .tar.xz/.txz, .vhdx/.vhd),
// and FormatTar for anything else.
func FormatOf(file string) Format {
	f := strings.ToLower(file)
	switch {
	case strings.HasSuffix(f, ".tar.gz"), strings.HasSuffix(f, ".tgz"):
		return FormatTarGz
	case strings.HasSuffix(f, ".tar.xz"), strings.HasSuffix(f, ".txz"):
		return FormatTarXz
	case strings.HasSuffix(f, ".vhdx"), strings.HasSuffix(f, ".vhd"):
		return FormatVHD
	}
	return FormatTar
}

// Ext is the file extension for the format (".tar", ".tar.gz", ".tar.xz", ".vhdx").
func (f Format) Ext() string {
	switch f {
	case FormatTarGz:
		return ".tar.gz"
	case FormatTarXz:
		return ".tar.xz"
	case FormatVHD:
		return ".vhdx"
	}
	return ".tar"
}

// Compressed reports whether the format is a compressed tar (wsl --export --format only).
func (f Format) Compressed() bool { return f == FormatTarGz || f == FormatTarXz }

// TrashArchiveName is the file name (without ".tar") of a distro's archive in the trash: its
// name and the UTC second it was trashed, "Debian-20261125T120000Z", readable and sorting by
// time. Older versions wrote "Debian.<unix nanoseconds>"; the trash lists entries by their
// metadata file, whatever their archive is called, so those are still listed.
func TrashArchiveName(name string, trashed time.Time) string {
	return name + "-" + trashed.UTC().Format("20060102T150405Z")
}
