package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestE2ETmux builds the real binary and drives `wsldash --demo` in a detached tmux session at
// 120x40: the first frame, filter and start, help, a too-small resize and a clean quit. It polls
// capture-pane with a deadline instead of sleeping for fixed times.
func TestE2ETmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	tmuxBin, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed")
	}
	root := moduleRoot(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "wsldash")
	build := exec.Command("go", "build", "-o", bin, "./cmd/wsldash")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	sock := fmt.Sprintf("wsldash-e2e-%d", os.Getpid())
	conf := filepath.Join(dir, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g default-terminal xterm-256color\nset -g status off\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tmux := func(args ...string) (string, error) {
		cmd := exec.Command(tmuxBin, append([]string{"-L", sock, "-f", conf}, args...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	mustTmux := func(args ...string) string {
		t.Helper()
		out, err := tmux(args...)
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return out
	}
	t.Cleanup(func() { _, _ = tmux("kill-server") })

	cfgHome := filepath.Join(dir, "config")
	// The pane runs a shell that records wsldash's exit status: tmux sometimes leaves the dead
	// child unreaped under load, and then #{pane_dead_status} stays empty.
	statusFile := filepath.Join(dir, "status")
	shell := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s %s --demo; echo $? > %s", dir, cfgHome, bin, statusFile)
	mustTmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40", shell)

	screen := func() string { return mustTmux("capture-pane", "-p", "-t", "e2e") }
	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		var s string
		for time.Now().Before(deadline) {
			s = screen()
			if ok(s) {
				return s
			}
			time.Sleep(50 * time.Millisecond) // polling interval, not synchronisation
		}
		t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
		return ""
	}
	contains := func(subs ...string) func(string) bool {
		return func(s string) bool {
			for _, sub := range subs {
				if !strings.Contains(s, sub) {
					return false
				}
			}
			return true
		}
	}
	keys := func(k ...string) { t.Helper(); mustTmux(append([]string{"send-keys", "-t", "e2e"}, k...)...) }
	paneVar := func(v string) string {
		return strings.TrimSpace(mustTmux("display-message", "-p", "-t", "e2e", "#{"+v+"}"))
	}

	first := waitFor("the demo distros and a braille memory graph", func(s string) bool {
		return contains("DEMO", "Ubuntu-24.04", "docker-desktop", "kali-linux", "Memory")(s) && hasBraille(s)
	})
	t.Logf("first frame:\n%s", first)

	// An export from the dashboard: the progress bar moves, and it ends with its result.
	keys("e")
	waitFor("the export form", contains("Export Ubuntu-24.04", "Format"))
	keys("Enter")
	early := waitFor("the export's progress", func(s string) bool { p := barPercent(s); return p >= 0 && p < 90 })
	waitFor("the bar moving", func(s string) bool { return barPercent(s) > barPercent(early) })
	waitFor("the export's result", contains("exported Ubuntu-24.04 to", "demo: nothing was written", "any key closes"))
	keys("x")
	waitFor("the result closed", func(s string) bool { return !strings.Contains(s, "any key closes") })
	// A second one, as a vhd (the whole disk: long enough to cancel), cancelled: it says so and
	// leaves no file.
	keys("e")
	waitFor("the export form", contains("Export Ubuntu-24.04"))
	keys("Tab", "Right", "Right", "Right")
	waitFor("the vhd format", contains("vhd"))
	keys("Enter")
	waitFor("the vhd export running", contains("Exporting Ubuntu-24.04", ".vhdx", "esc cancel"))
	keys("Escape")
	waitFor("the cancel question", contains("Cancel it?"))
	keys("Escape")
	waitFor("the cancel's result", contains("cancelled", "any key closes"))
	if m, _ := filepath.Glob(filepath.Join(dir, "Ubuntu-24.04-*")); len(m) > 0 {
		t.Fatalf("export left files: %v", m)
	}
	keys("x")
	waitFor("the dashboard after the cancel", func(s string) bool { return !strings.Contains(s, "any key closes") })

	keys("-l", "/kali")
	waitFor("the filter", contains("/kali"))
	keys("Enter")
	waitFor("the kept filter", contains("Distros · filter: kali"))
	keys("s")
	waitFor("kali-linux running", func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			if strings.Contains(line, "kali-linux") && strings.Contains(line, "Running") {
				return true
			}
		}
		return false
	})

	// The memory view: the event log, and a manual reclaim that shows up in it.
	keys("2")
	waitFor("the reclaim view", contains("Reclaim events", "newest first", "autoReclaim"))
	keys("r")
	waitFor("the reclaim choice", contains("Reclaim memory?", "dropcache", "gradual", "compact"))
	keys("Enter")
	waitFor("a manual reclaim in the log", contains("manual", "dropped"))
	waitFor("memory by distro", contains("Memory by distro", "cgroup", "kernel & WSL"))
	// The ports view and every distro's processes.
	keys("6")
	waitFor("the ports view", contains("Ports", "networking mode nat", "postgres", "docker-desktop (Docker)"))
	keys("3", "a")
	waitFor("all distros' processes", contains("all running distros", "DISTRO", "dockerd", "gopls"))
	keys("a")
	keys("1")

	keys("?")
	waitFor("the help screen", contains("Dialogs", "confirm", "shutdown"))
	keys("?")
	waitFor("help closed", contains("Distros", "Memory"))

	mustTmux("resize-window", "-t", "e2e", "-x", "30", "-y", "10")
	waitFor("the too-small message", contains("too small"))
	if _, err := os.Stat(statusFile); err == nil || paneVar("pane_dead") != "0" {
		t.Fatalf("wsldash died on resize; screen:\n%s", screen())
	}
	mustTmux("resize-window", "-t", "e2e", "-x", "120", "-y", "40")
	waitFor("the dashboard back", contains("Distros", "Memory"))

	// Enter hands the terminal to a shell in the selected distro; exiting it brings the UI back.
	keys("Enter")
	waitFor("the shell", func(s string) bool { return !strings.Contains(s, "Distros") })
	keys("-l", "exit")
	keys("Enter")
	waitFor("the dashboard after the shell", contains("Distros", "Memory"))

	keys("q")
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := os.ReadFile(statusFile)
		if err == nil && len(st) > 0 {
			if got := strings.TrimSpace(string(st)); got != "0" {
				t.Fatalf("exit status %s; screen:\n%s", got, screen())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("wsldash did not exit on q; screen:\n%s", screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The shell exits with wsldash's status; when tmux has recorded it, it must agree.
	if st := paneVar("pane_dead_status"); st != "" && st != "0" {
		t.Fatalf("pane exit status %s", st)
	}
}

// barPercent is the percentage beside a progress bar on screen, or -1 when there is none.
func barPercent(s string) int {
	for _, line := range strings.Split(s, "\n") {
		if !strings.ContainsAny(line, "█░") {
			continue
		}
		if i := strings.LastIndexByte(line, '%'); i > 0 {
			j := i
			for j > 0 && line[j-1] >= '0' && line[j-1] <= '9' {
				j--
			}
			var p int
			if _, err := fmt.Sscanf(line[j:i], "%d", &p); err == nil {
				return p
			}
		}
	}
	return -1
}

func hasBraille(s string) bool {
	for _, r := range s {
		if r > 0x2800 && r <= 0x28FF {
			return true
		}
	}
	return false
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}
