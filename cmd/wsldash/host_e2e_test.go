//go:build !windows

package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/wsldash/wsldash/backend/hostview"
)

// The same runs against the real helper under Wine (the Windows test stage, scripts/test-windows):
// build wsldash.exe, point $WSLDASH_HOST_EXE at a wrapper `exec wine64 …/wsldash.exe "$@"`
// (exec, so killing it ends Wine's process), import an Lxss registration (reg import) whose
// BasePath holds an ext4.vhdx, and keep a stand-in "vmmem.exe" running (Wine reports Windows
// 10, so the name without the suffix; any wsldash.exe copy running `host --watch --json` with
// stdin held open will do). Checked by hand once: stats --json had host.vm_process "vmmem",
// list --json the disk's size, and no helper was left.

// insideWSLWithHelper sets up "inside WSL" for the CLI run in-process: the wsl.exe double with a
// running Ubuntu, $WSL_DISTRO_NAME, and the fake helper (the real producer over a fixed host)
// as $WSLDASH_HOST_EXE. It returns the wsl.exe path and the helper's pid file.
func insideWSLWithHelper(t *testing.T, helper bool) (wslExe, pidfile string) {
	t.Helper()
	dir := t.TempDir()
	wslExe = filepath.Join(dir, "wsl.exe")
	helperExe := filepath.Join(dir, "fakehelper")
	for pkg, out := range map[string]string{
		"github.com/wsldash/wsldash/backend/wsl/internal/fakewsl":         wslExe,
		"github.com/wsldash/wsldash/backend/hostview/internal/fakehelper": helperExe,
	} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
	}
	state := filepath.Join(dir, "state.json")
	os.WriteFile(state, []byte(`{"distros":[{"name":"Ubuntu","state":"Running","version":2}],"default":"Ubuntu"}`), 0o644)
	t.Setenv("FAKEWSL_STATE", state)
	t.Setenv("FAKEWSL_LOG", filepath.Join(dir, "calls.jsonl"))
	t.Setenv("WSL_DISTRO_NAME", "Ubuntu")
	pidfile = filepath.Join(dir, "pids")
	t.Setenv("FAKEHELPER_PIDFILE", pidfile)
	t.Setenv("PATH", dir) // no wsldash.exe on PATH
	if helper {
		t.Setenv(hostview.EnvHostExe, helperExe)
	} else {
		t.Setenv(hostview.EnvHostExe, "")
	}
	return wslExe, pidfile
}

func helperPids(t *testing.T, pidfile string) []int {
	b, _ := os.ReadFile(pidfile)
	var out []int
	for _, f := range strings.Fields(string(b)) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}

func TestInsideWSLStatsAndListCarryTheHostView(t *testing.T) {
	wslExe, pidfile := insideWSLWithHelper(t, true)
	out, errOut, err := run(t, "stats", "--json", "--backend", "wsl", "--wsl-exe", wslExe)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var s sampleJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if s.Host == nil || s.Host.VMProcess != "vmmemWSL" || s.Host.VMProcessBytes != 5<<30 || s.Host.TotalBytes != 32<<30 || s.Host.Note != "" {
		t.Fatalf("stats --json host = %+v\n%s", s.Host, out)
	}
	if s.Guest.TotalBytes == 0 {
		t.Fatal("the guest view must still come from /proc")
	}

	out, errOut, err = run(t, "list", "--json", "--backend", "wsl", "--wsl-exe", wslExe)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var ds []map[string]any
	if err := json.Unmarshal([]byte(out), &ds); err != nil || len(ds) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	if ds[0]["disk_bytes"] != float64(36<<30) || ds[0]["disk_path"] != `C:\Users\dev\AppData\Local\wsl\{0a}\ext4.vhdx` {
		t.Fatalf("list --json = %s", out)
	}

	pids := helperPids(t, pidfile)
	if len(pids) != 2 {
		t.Fatalf("helpers started %v: want one per run of wsldash", pids)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Fatalf("helper %d left running after wsldash exited (%v)", pid, err)
		}
	}
}

func TestInsideWSLWithoutHelperSaysHowInOneLine(t *testing.T) {
	wslExe, _ := insideWSLWithHelper(t, false)
	out, errOut, err := run(t, "stats", "--json", "--backend", "wsl", "--wsl-exe", wslExe)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var s sampleJSON
	json.Unmarshal([]byte(out), &s)
	if s.Host == nil || s.Host.Note != hostview.HowTo || s.Host.VMProcessBytes != 0 || s.Guest.TotalBytes == 0 {
		t.Fatalf("without a helper: guest as before, and the how-to as the host note; got %s", out)
	}
	out, _, err = run(t, "stats", "--backend", "wsl", "--wsl-exe", wslExe)
	if err != nil || strings.Count(out, hostview.HelperName) != 1 {
		t.Fatalf("human stats must carry the how-to once:\n%s", out)
	}
	if found, line := hostHelperStatus(); found || line != hostview.HowTo {
		t.Fatalf("doctor's check = %v %q", found, line)
	}
}

func TestInsideWSLHelperVersionDiffers(t *testing.T) {
	wslExe, _ := insideWSLWithHelper(t, true)
	data := filepath.Join(t.TempDir(), "data.json")
	os.WriteFile(data, []byte(`{"host":{"vm_process":"vmmemWSL","vm_process_bytes":1024},"registrations":[],"version":"0.0.1"}`), 0o644)
	t.Setenv("FAKEHELPER_DATA", data)
	out, _, err := run(t, "stats", "--json", "--backend", "wsl", "--wsl-exe", wslExe)
	var s sampleJSON
	json.Unmarshal([]byte(out), &s)
	if err != nil || s.Host == nil || s.Host.VMProcessBytes != 1024 || s.Host.Note != "host helper is wsldash 0.0.1, this is dev" {
		t.Fatalf("a helper of another version is reported: %v %s", err, out)
	}
}

func TestHostCommandIsWindowsOnlyAndMachineFacing(t *testing.T) {
	if _, _, err := run(t, "host"); err == nil || !strings.Contains(err.Error(), "--watch --json") {
		t.Fatalf("host without --watch --json: %v", err)
	}
	if _, _, err := run(t, "host", "--watch", "--json"); err == nil || !strings.Contains(err.Error(), "Windows only") {
		t.Fatalf("host on Linux: %v", err)
	}
}
