//go:build linux

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKeepAndReleaseAgainstTheDouble is issue 9's walk as a new user, with the real binary and
// the wsl.exe double: start says how long WSL keeps the distro; start --keep, the CLI exits, and
// list shows it Running and kept; release ends that and it stops.
func TestKeepAndReleaseAgainstTheDouble(t *testing.T) {
	dir, bin, fake := buildWithDouble(t)
	state := filepath.Join(dir, "state.json")
	os.WriteFile(state, []byte(`{"default":"Ubuntu","distros":[{"name":"Ubuntu","state":"Stopped","version":2},{"name":"Debian","state":"Stopped","version":2}]}`), 0o644)
	env := append(os.Environ(), "FAKEWSL_STATE="+state, "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"HOME="+dir, "WSLDASH_WSLCONFIG="+filepath.Join(dir, "no.wslconfig"), "WSL_DISTRO_NAME=")
	wsldash := func(args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--backend", "wsl", "--wsl-exe", fake}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() { // a keep-alive left by a failed run
		var st struct{ Distros []struct{ Holders []int } }
		if b, err := os.ReadFile(state); err == nil && json.Unmarshal(b, &st) == nil {
			for _, d := range st.Distros {
				for _, p := range d.Holders {
					syscall.Kill(-p, syscall.SIGKILL)
				}
			}
		}
	})
	debian := func() map[string]any {
		t.Helper()
		out, err := wsldash("list", "--json")
		if err != nil {
			t.Fatalf("list: %v\n%s", err, out)
		}
		var ds []map[string]any
		if err := json.Unmarshal([]byte(out), &ds); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, d := range ds {
			if d["name"] == "Debian" {
				return d
			}
		}
		t.Fatalf("no Debian in %s", out)
		return nil
	}

	out, err := wsldash("start", "Debian")
	if err != nil || !strings.Contains(out, "about 15s after wsldash exits") || !strings.Contains(out, "--keep") {
		t.Fatalf("start: %v\n%s", err, out)
	}
	if out, err := wsldash("start", "Debian", "--keep"); err != nil || !strings.Contains(out, "kept") {
		t.Fatalf("start --keep: %v\n%s", err, out)
	}
	if d := debian(); d["state"] != "Running" || d["kept"] != true {
		t.Fatalf("after start --keep and exit: %v", d)
	}
	if out, err := wsldash("list"); err != nil || !strings.Contains(out, "kept (outlives wsldash)") {
		t.Fatalf("list table: %v\n%s", err, out)
	}
	if out, err := wsldash("release", "Debian"); err != nil || !strings.Contains(out, "released") {
		t.Fatalf("release: %v\n%s", err, out)
	}
	if d := debian(); d["state"] != "Running" || d["kept"] != nil {
		raw, _ := os.ReadFile(state)
		t.Fatalf("right after release (WSL keeps it 15 s without a client): %v\nstate: %s", d, raw)
	}
	// 16 s later on the double's clock, WSL has stopped it.
	var m map[string]any
	raw, _ := os.ReadFile(state)
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	m["clock"] = time.Now().Add(16 * time.Second).UTC().Format(time.RFC3339Nano)
	raw, _ = json.Marshal(m)
	os.WriteFile(state, raw, 0o644)
	if d := debian(); d["state"] != "Stopped" || d["kept"] != nil {
		t.Fatalf("16 s after release: %v", d)
	}
	if out, err := wsldash("release", "Debian"); err == nil {
		t.Fatalf("release of a distro not kept succeeded:\n%s", out)
	}
}

// buildWithDouble builds wsldash and the wsl.exe double into a temporary folder (skipped with
// -short) and returns the folder and both paths.
func buildWithDouble(t *testing.T) (dir, bin, fake string) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: builds two binaries")
	}
	dir = t.TempDir()
	bin, fake = filepath.Join(dir, "wsldash"), filepath.Join(dir, "wsl.exe")
	for out, pkg := range map[string]string{bin: ".", fake: "github.com/wsldash/wsldash/backend/wsl/internal/fakewsl"} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
	}
	return dir, bin, fake
}
