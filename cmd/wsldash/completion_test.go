package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// complete runs `wsldash __complete ARGS…` and returns the candidates (without cobra's
// ":directive" line).
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	out, _, err := run(t, append([]string{"__complete"}, args...)...)
	if err != nil {
		t.Fatalf("__complete %v: %v", args, err)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && !strings.HasPrefix(l, ":") {
			got = append(got, l)
		}
	}
	return got
}

func TestCompleteDistrosOnTheDemo(t *testing.T) {
	want := "Ubuntu-24.04 docker-desktop Debian kali-linux Ubuntu-18.04 openSUSE-Tumbleweed"
	for _, verb := range []string{"start", "terminate", "set-default", "mounts", "ps", "export", "clone", "unregister"} {
		if got := strings.Join(complete(t, verb, "--demo", ""), " "); got != want {
			t.Errorf("__complete %s --demo \"\": %q, want %q", verb, got, want)
		}
	}
	if got := strings.Join(complete(t, "--demo", "start", "ub"), " "); got != "Ubuntu-24.04 Ubuntu-18.04" {
		t.Errorf("prefix ub: %q", got)
	}
	if got := complete(t, "export", "--demo", "Debian", ""); len(got) != 0 {
		t.Errorf("export's FILE is the shell's to complete, got %q", got)
	}
}

func TestCompleteThemesKeysAndTrash(t *testing.T) {
	if got := strings.Join(complete(t, "--theme", ""), " "); !strings.Contains(got, "catppuccin-mocha") || !strings.Contains(got, "solarized-light") {
		t.Errorf("--theme: %q", got)
	}
	if got := complete(t, "config", "get", "wsl2.mem"); len(got) != 1 || got[0] != "wsl2.memory" {
		t.Errorf("config get wsl2.mem: %q", got)
	}
	if got := strings.Join(complete(t, "config", "set", "experimental.autoMemoryReclaim", ""), " "); !strings.Contains(got, "Gradual") {
		t.Errorf("config set experimental.autoMemoryReclaim: %q", got)
	}
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir := filepath.Join(cache, "wsldash", "trash")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "Debian-1.tar"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "Debian-1.json"), []byte(`{"name":"Debian","version":2,"archive":"`+filepath.Join(dir, "Debian-1.tar")+`","trashed":"2026-11-25T12:00:00Z"}`), 0o644)
	t.Setenv("WSLDASH_TRASH_DIR", dir)
	for _, verb := range []string{"restore", "purge"} {
		if got := complete(t, "trash", verb, "--backend", "wsl", "--wsl-exe", filepath.Join(cache, "none.exe"), ""); len(got) != 1 || got[0] != "Debian" {
			t.Errorf("trash %s: %q", verb, got)
		}
	}
}

func TestCompletionUnknownShellFails(t *testing.T) {
	// (The scripts themselves are cobra's; they go to the process's stdout.)
	if _, _, err := run(t, "completion", "tcsh"); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Errorf("completion tcsh: %v, want an error", err)
	}
}
