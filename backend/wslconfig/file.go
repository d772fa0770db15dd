package wslconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// ReadFile reads and parses the .wslconfig at path. A missing file is not an error: it gives an
// empty File whose Exists is false (WSL treats it the same way). Warnings name path as WSL does.
func ReadFile(path string) (*File, error) { return readWith(path, wslconfigDialect) }

// ReadWSLConf reads and parses a /etc/wsl.conf.
func ReadWSLConf(path string) (*File, error) { return readWith(path, wslconfDialect) }

func readWith(path string, d *dialect) (*File, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		f, _ := parseWith(nil, d, path)
		f.exists = false
		return f, nil
	}
	if err != nil {
		return nil, fileError("read", path, err)
	}
	f, err := parseWith(b, d, path)
	if err != nil {
		return nil, &backend.Error{Kind: backend.KindParse, Op: "read", Message: path + ": " + err.Error(), Err: err}
	}
	if st, err := os.Stat(path); err == nil {
		f.modTime, f.mode = st.ModTime(), st.Mode().Perm()
	}
	return f, nil
}

// fileError is an *backend.Error that names path, the user's file, whatever name the failing
// call had (the temporary file a write goes through is not one the user knows).
func fileError(op, path string, err error) error {
	kind := backend.KindFailed
	switch {
	case errors.Is(err, fs.ErrPermission):
		kind = backend.KindPermission
	case errors.Is(err, fs.ErrNotExist):
		kind = backend.KindNotFound
	}
	why := err.Error()
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		why = pe.Err.Error()
	case errors.As(err, &le):
		why = le.Err.Error()
	}
	if kind == backend.KindNotFound {
		if dir := filepath.Dir(path); !isDir(dir) {
			why = "its folder " + dir + " does not exist"
		}
	}
	return &backend.Error{Kind: kind, Op: op, Message: path + ": " + why, Err: err}
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// Hooks for tests that need a write to fail at a given step (root ignores read-only modes).
var (
	createTemp = os.CreateTemp
	syncFile   = (*os.File).Sync
	rename     = os.Rename
)

// WriteFile writes f to path atomically: the bytes go to a temporary file in the same directory,
// which is synced and renamed over path, so a reader (WSL) sees the old file or the new one, never
// a mix. The previous content, if any, is first saved as path+".bak". The file keeps its mode
// (0644 for a new file). If path is a symlink, its target is replaced. A read-only file is
// refused, not replaced: the rename would succeed where the folder is writable, and the user made
// it read-only. On any error the original is untouched and no temporary file is left; the error
// names path (or path+".bak"), never the temporary file.
func WriteFile(path string, f *File) error {
	if f == nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "write", Message: "no file to write"}
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode := fs.FileMode(0o644)
	prev, err := os.ReadFile(path)
	switch {
	case err == nil:
		if st, err := os.Stat(path); err == nil {
			mode = st.Mode().Perm()
		}
		if err := checkWritable(path, mode); err != nil {
			return err
		}
		if err := writeAtomic(path+".bak", prev, mode); err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return fileError("write", path, err)
	}
	return writeAtomic(path, f.buf, mode)
}

// checkWritable refuses a file the user may not write: one without any write permission bit (a
// mode root ignores too, and Windows' read-only attribute), or one this user cannot open for
// writing (owner, ACL).
func checkWritable(path string, mode fs.FileMode) error {
	if mode&0o222 == 0 {
		return &backend.Error{Kind: backend.KindPermission, Op: "write",
			Message: fmt.Sprintf("%s is read-only (mode %04o): it is left as it is; make it writable first to edit it", path, uint32(mode))}
	}
	w, err := os.OpenFile(path, os.O_WRONLY, 0) // no O_TRUNC: nothing is changed
	if err != nil {
		return fileError("write", path, err)
	}
	return w.Close()
}

func writeAtomic(path string, b []byte, mode fs.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := createTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fileError("write", path, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return fileError("write", path, err)
	}
	if err = syncFile(tmp); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return fileError("write", path, err) // file systems without fsync (some 9p mounts) say EINVAL
	}
	if err = tmp.Close(); err != nil {
		return fileError("write", path, err)
	}
	// Best effort: drvfs (/mnt/c) without the metadata option has no Linux modes to keep.
	_ = os.Chmod(name, mode)
	if err = rename(name, path); err != nil {
		return fileError("write", path, err)
	}
	if runtime.GOOS != "windows" {
		if d, err := os.Open(dir); err == nil {
			_ = d.Sync() // best effort: make the rename durable
			d.Close()
		}
	}
	return nil
}

// RestartPending reports whether the file changed after the VM started, so its settings are not in
// force yet (WSL reads .wslconfig only when the VM starts: `wsl --shutdown` applies them). A zero
// vmStart (VM not running) or fileModTime (no file) is never pending.
func RestartPending(fileModTime, vmStart time.Time) bool {
	if fileModTime.IsZero() || vmStart.IsZero() {
		return false
	}
	return fileModTime.After(vmStart)
}
