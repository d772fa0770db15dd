//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTerminalClosedLeavesNoChild is issue 9's report, reproduced: the dashboard in a terminal
// (tmux) on the wsl.exe double, `s` on a stopped distro, then the terminal closed. wsldash died on
// the hangup but its keep-alive, in its own process group, lived on holding the distro. Now no
// wsl.exe child of wsldash is left.
func TestTerminalClosedLeavesNoChild(t *testing.T) {
	tmuxBin, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	dir, bin, fake := buildWithDouble(t)
	state := filepath.Join(dir, "state.json")
	os.WriteFile(state, []byte(`{"default":"Ubuntu","distros":[{"name":"Ubuntu","state":"Running","version":2},{"name":"Debian","state":"Stopped","version":2}]}`), 0o644)
	holders := func() map[string][]int {
		var st struct {
			Distros []struct {
				Name    string
				Holders []int
			}
		}
		out := map[string][]int{}
		if b, err := os.ReadFile(state); err == nil && json.Unmarshal(b, &st) == nil {
			for _, d := range st.Distros {
				out[d.Name] = d.Holders
			}
		}
		return out
	}
	alive := func(pid int) bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return false
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
	}
	var seen []int
	t.Cleanup(func() {
		for _, p := range seen {
			syscall.Kill(-p, syscall.SIGKILL)
		}
	})

	sock := fmt.Sprintf("wsldash-hup-%d", os.Getpid())
	tmux := func(args ...string) error {
		return exec.Command(tmuxBin, append([]string{"-L", sock, "-f", "/dev/null"}, args...)...).Run()
	}
	t.Cleanup(func() { tmux("kill-server") })
	shell := fmt.Sprintf("env FAKEWSL_STATE=%s HOME=%s XDG_CONFIG_HOME=%s/config XDG_CACHE_HOME=%s/cache WSLDASH_WSLCONFIG=%s/none %s --backend wsl --wsl-exe %s",
		state, dir, dir, dir, dir, bin, fake)
	if err := tmux("new-session", "-d", "-s", "hup", "-x", "120", "-y", "40", shell); err != nil {
		t.Fatal(err)
	}
	wait := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				out, _ := exec.Command(tmuxBin, "-L", sock, "capture-pane", "-p", "-t", "hup").Output()
				t.Fatalf("timed out waiting for %s; screen:\n%s\nstate: %v", what, out, holders())
			}
		}
	}
	wait("the dashboard's probe in Ubuntu", func() bool { return len(holders()["Ubuntu"]) > 0 })
	screen := func() string {
		out, _ := exec.Command(tmuxBin, "-L", sock, "capture-pane", "-p", "-t", "hup").Output()
		return string(out)
	}
	wait("the distro table", func() bool { return strings.Contains(screen(), "Debian") })
	wait("the cursor on Debian", func() bool {
		if strings.Contains(screen(), "▸ Debian") {
			return true
		}
		tmux("send-keys", "-t", "hup", "j") // again, until the dashboard reads keys
		return false
	})
	tmux("send-keys", "-t", "hup", "s")
	wait("Debian held by the dashboard", func() bool { return len(holders()["Debian"]) > 0 })
	for _, ps := range holders() {
		seen = append(seen, ps...)
	}
	tmux("kill-server") // the terminal closes: SIGHUP
	wait("every wsl.exe child of wsldash to end", func() bool {
		for _, p := range seen {
			if alive(p) {
				return false
			}
		}
		return true
	})
}
