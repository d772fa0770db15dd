package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

type doctorOut struct {
	Backend string `json:"backend"`
	OK      bool   `json:"ok"`
	Checks  []struct {
		Name, Status, Found, Fix string
	} `json:"checks"`
}

func runDoctor(t *testing.T, a *app, args ...string) (doctorOut, error) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // no config.toml of the machine's
	out, _, err := runApp(t, a, append([]string{"doctor", "--json"}, args...)...)
	var r doctorOut
	if jerr := json.Unmarshal([]byte(out), &r); jerr != nil {
		t.Fatalf("doctor --json %v is not JSON: %v\n%s", args, jerr, out)
	}
	for _, c := range r.Checks {
		if c.Found == "" || c.Status == "" {
			t.Errorf("%s: check %q says nothing: %+v", args, c.Name, c)
		}
	}
	return r, err
}

func TestDoctorOnDemoAndLocal(t *testing.T) {
	for _, args := range [][]string{{"--demo"}, {"--backend", "local"}} {
		r, err := runDoctor(t, newApp(), args...)
		if err != nil || !r.OK || exitStatus(context.Background(), err) != 0 {
			t.Errorf("doctor %v: %v, ok=%v", args, err, r.OK)
		}
		if len(r.Checks) != 11 { // the ten of the issue and the host helper
			t.Errorf("doctor %v: %d checks", args, len(r.Checks))
		}
	}
}

func TestDoctorFailsOnABadConfigFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	os.MkdirAll(filepath.Join(dir, "wsldash"), 0o755)
	os.WriteFile(filepath.Join(dir, "wsldash", "config.toml"), []byte("fps = \"fast\"\n"), 0o644)
	out, _, err := run(t, "doctor", "--demo")
	if err == nil || exitStatus(context.Background(), err) != 1 || !strings.Contains(out, "fail  config file") {
		t.Errorf("err = %v\n%s", err, out)
	}
}

// TestDoctorAgainstTheDouble runs doctor with the wsl backend on the wsl.exe double.
func TestDoctorAgainstTheDouble(t *testing.T) {
	if runtime.GOOS == "windows" || testing.Short() {
		t.Skip("the double needs Linux; builds it")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "wsl.exe")
	if out, err := exec.Command("go", "build", "-o", exe, "github.com/wsldash/wsldash/backend/wsl/internal/fakewsl").CombinedOutput(); err != nil {
		t.Fatalf("building fakewsl: %v\n%s", err, out)
	}
	state := filepath.Join(dir, "state.json")
	os.WriteFile(state, []byte(`{"distros":[{"name":"Ubuntu","state":"Stopped","version":2}],"default":"Ubuntu"}`), 0o644)
	t.Setenv("FAKEWSL_STATE", state)
	t.Setenv("FAKEWSL_LOG", filepath.Join(dir, "calls.log"))
	a := newApp()
	r, err := runDoctor(t, a, "--backend", "wsl", "--wsl-exe", exe)
	if err != nil || !r.OK {
		t.Fatalf("doctor on the double: %v %+v", err, r)
	}
	got := map[string]string{}
	for _, c := range r.Checks {
		got[c.Name] = c.Status + ": " + c.Found
	}
	if !strings.HasPrefix(got["wsl.exe"], "ok") || !strings.HasPrefix(got["WSL_UTF8"], "ok") || !strings.Contains(got["distro list"], "1 distros (0 running): Ubuntu") {
		t.Errorf("checks: %v", got)
	}
}
