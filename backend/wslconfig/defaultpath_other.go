//go:build !windows

package wslconfig

import (
	"context"
	"os"
	"os/exec"
	"path"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Seams for tests.
var (
	getenv = os.Getenv
	// insideWSL reports whether this Linux is a WSL distro.
	insideWSL = func() bool {
		if os.Getenv("WSL_DISTRO_NAME") != "" {
			return true
		}
		_, err := os.Stat("/proc/sys/fs/binfmt_misc/WSLInterop")
		return err == nil
	}
	// windowsProfile asks Windows for %USERPROFILE% through interop.
	windowsProfile = func(ctx context.Context) (string, error) {
		exe, err := exec.LookPath("cmd.exe")
		if err != nil {
			exe = "/mnt/c/Windows/System32/cmd.exe"
		}
		cmd := exec.CommandContext(ctx, exe, "/c", "echo %USERPROFILE%")
		cmd.Dir = "/" // cmd.exe warns about UNC working directories
		out, err := cmd.Output()
		return string(out), err
	}
	// mountRoot is automount.root from /etc/wsl.conf (default /mnt/).
	mountRoot = func() string {
		f, err := ReadWSLConf("/etc/wsl.conf")
		if err != nil {
			return "/mnt/"
		}
		for _, s := range f.Settings() {
			if s.Key.Name == "automount.root" && s.Set && s.Valid && s.Value != "" {
				return s.Value
			}
		}
		return "/mnt/"
	}
)

// interopTimeout bounds the cmd.exe call (interop can hang when the Windows side is busy).
const interopTimeout = 5 * time.Second

// DefaultPath finds the .wslconfig to edit. WSLDASH_WSLCONFIG overrides it. Inside WSL it is the
// Windows profile's .wslconfig seen through the drive mount (/mnt/c/Users/<name>/.wslconfig),
// found by asking cmd.exe for %USERPROFILE% (with a timeout). On plain Linux there is none: the
// error says to pass --file.
func DefaultPath() (string, error) {
	if p := getenv(EnvOverride); p != "" {
		return p, nil
	}
	if !insideWSL() {
		return "", &backend.Error{Kind: backend.KindUnsupported, Op: "config",
			Message: "not running in WSL, so there is no Windows profile to find .wslconfig in; pass --file PATH (or set " + EnvOverride + ")"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), interopTimeout)
	defer cancel()
	out, err := windowsProfile(ctx)
	if err != nil {
		kind := backend.KindFailed
		if ctx.Err() != nil {
			kind = backend.KindTimeout
		}
		return "", &backend.Error{Kind: kind, Op: "config",
			Message: "cannot ask Windows for %USERPROFILE% through cmd.exe; pass --file PATH (or set " + EnvOverride + ")", Err: err}
	}
	p, err := wslPath(strings.TrimSpace(out), mountRoot())
	if err != nil {
		return "", &backend.Error{Kind: backend.KindParse, Op: "config", Message: err.Error() + "; pass --file PATH", Err: err}
	}
	return path.Join(p, ".wslconfig"), nil
}
