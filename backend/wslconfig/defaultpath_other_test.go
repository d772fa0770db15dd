//go:build !windows

package wslconfig

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func stubDefaultPath(t *testing.T, env map[string]string, inWSL bool, profile string, perr error, root string) {
	t.Helper()
	og, oi, ow, om := getenv, insideWSL, windowsProfile, mountRoot
	t.Cleanup(func() { getenv, insideWSL, windowsProfile, mountRoot = og, oi, ow, om })
	getenv = func(k string) string { return env[k] }
	insideWSL = func() bool { return inWSL }
	windowsProfile = func(ctx context.Context) (string, error) {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("cmd.exe runs without a timeout")
		}
		return profile, perr
	}
	mountRoot = func() string { return root }
}

func TestDefaultPath(t *testing.T) {
	t.Run("override", func(t *testing.T) {
		stubDefaultPath(t, map[string]string{EnvOverride: "/tmp/x.wslconfig"}, true, "", errors.New("not called"), "/mnt/")
		if p, err := DefaultPath(); err != nil || p != "/tmp/x.wslconfig" {
			t.Errorf("DefaultPath = %q, %v", p, err)
		}
	})
	t.Run("inside WSL", func(t *testing.T) {
		stubDefaultPath(t, nil, true, "C:\\Users\\Dev User\r\n", nil, "/mnt/")
		if p, err := DefaultPath(); err != nil || p != "/mnt/c/Users/Dev User/.wslconfig" {
			t.Errorf("DefaultPath = %q, %v", p, err)
		}
	})
	t.Run("custom automount root", func(t *testing.T) {
		stubDefaultPath(t, nil, true, "D:\\Profiles\\me\r\n", nil, "/")
		if p, err := DefaultPath(); err != nil || p != "/d/Profiles/me/.wslconfig" {
			t.Errorf("DefaultPath = %q, %v", p, err)
		}
	})
	t.Run("interop fails", func(t *testing.T) {
		stubDefaultPath(t, nil, true, "", errors.New("exec: cmd.exe: not found"), "/mnt/")
		_, err := DefaultPath()
		if err == nil || backend.KindOf(err) != backend.KindFailed {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unexpanded variable", func(t *testing.T) {
		stubDefaultPath(t, nil, true, "%USERPROFILE%\r\n", nil, "/mnt/")
		if _, err := DefaultPath(); err == nil || backend.KindOf(err) != backend.KindParse {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("plain Linux", func(t *testing.T) {
		stubDefaultPath(t, nil, false, "", nil, "/mnt/")
		_, err := DefaultPath()
		if err == nil || backend.KindOf(err) != backend.KindUnsupported {
			t.Fatalf("err = %v", err)
		}
		if msg := err.Error(); !strings.Contains(msg, "--file") {
			t.Errorf("error does not say to pass --file: %q", msg)
		}
	})
}
