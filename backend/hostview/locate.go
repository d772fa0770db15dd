package hostview

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// EnvHostExe names the helper explicitly (a wsldash.exe, or a wrapper that runs one).
const EnvHostExe = "WSLDASH_HOST_EXE"

// HelperName is the Windows build's file name.
const HelperName = "wsldash.exe"

// HowTo says in one short line (it must fit a dashboard pane) how to get the host view inside
// WSL; the README says the rest (the same version, the Windows PATH).
const HowTo = "host view: put " + HelperName + " beside wsldash (or set $" + EnvHostExe + ")"

// ErrNotFound is Locate's answer when there is no helper anywhere.
var ErrNotFound = errors.New(HowTo)

// Found is where the helper is and how it was found.
type Found struct {
	Path string
	Via  string // "$WSLDASH_HOST_EXE", "beside wsldash", "PATH"
}

// Locate finds the helper, in order: $WSLDASH_HOST_EXE (which must then exist: a wrong setting
// is reported, not skipped), wsldash.exe beside the running binary (or in the release packages'
// windows/ folder: ./windows/ of the tar.gz, ../share/wsldash/windows/ of the .deb), wsldash.exe
// on PATH (inside
// WSL, PATH holds the Windows PATH as /mnt/c/... entries when interop.appendWindowsPath is on).
// It only looks at files; nothing is run. doctor's "host helper found" check calls it.
func Locate() (Found, error) {
	return locate(os.Getenv, os.Executable, exec.LookPath, statFile)
}

func statFile(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory", p)
	}
	return nil
}

func locate(getenv func(string) string, self func() (string, error), lookPath func(string) (string, error), stat func(string) error) (Found, error) {
	if p := getenv(EnvHostExe); p != "" {
		if err := stat(p); err != nil {
			return Found{}, fmt.Errorf("$%s=%s: %w", EnvHostExe, p, err)
		}
		return Found{Path: p, Via: "$" + EnvHostExe}, nil
	}
	if exe, err := self(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		// Beside the binary, or where the release packages put the Windows build of the same
		// version: windows/ in the tar.gz, /usr/share/wsldash/windows/ from the .deb (binary in
		// /usr/bin).
		dir := filepath.Dir(exe)
		for _, p := range []string{
			filepath.Join(dir, HelperName),
			filepath.Join(dir, "windows", HelperName),
			filepath.Join(dir, "..", "share", "wsldash", "windows", HelperName),
		} {
			if stat(p) == nil {
				return Found{Path: filepath.Clean(p), Via: "beside wsldash"}, nil
			}
		}
	}
	if p, err := lookPath(HelperName); err == nil {
		return Found{Path: p, Via: "PATH"}, nil
	}
	return Found{}, ErrNotFound
}
