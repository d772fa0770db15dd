package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// goBuildCache is the Go build cache as it was when the tests started: some tests point
// XDG_CACHE_HOME at a temp dir, which would make building the double a cold build (a minute).
var goBuildCache = func() string {
	if c := os.Getenv("GOCACHE"); c != "" {
		return c
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "go-build")
	}
	return ""
}()

// TestMain removes the double fakeWSL built, if any.
func TestMain(m *testing.M) {
	code := m.Run()
	if fakePath != "" {
		os.RemoveAll(filepath.Dir(fakePath))
	}
	os.Exit(code)
}

var (
	fakeOnce sync.Once
	fakePath string
	fakeErr  error
)

// fakeWSL builds the wsl.exe double once per test binary and gives it a fresh state (two
// distros, drives C: and D: in temp folders); it returns the double and its call log.
func fakeWSL(t *testing.T, state string) (exe, log string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the double runs Linux commands")
	}
	fakeOnce.Do(func() {
		dir, err := os.MkdirTemp("", "wsldash-manage-fake")
		if err != nil {
			fakeErr = err
			return
		}
		fakePath = filepath.Join(dir, "wsl.exe")
		cmd := exec.Command("go", "build", "-o", fakePath, "github.com/wsldash/wsldash/backend/wsl/internal/fakewsl")
		if goBuildCache != "" {
			cmd.Env = append(os.Environ(), "GOCACHE="+goBuildCache)
		}
		if b, err := cmd.CombinedOutput(); err != nil {
			fakeErr = err
			t.Logf("%s", b)
		}
	})
	if fakeErr != nil {
		t.Fatal(fakeErr)
	}
	dir := t.TempDir()
	if state == "" {
		c, d := filepath.Join(dir, "c"), filepath.Join(dir, "d")
		b, _ := json.Marshal(map[string]any{
			"default": "Ubuntu",
			"distros": []map[string]any{{"name": "Ubuntu", "state": "Running", "version": 2}, {"name": "docker-desktop", "state": "Stopped", "version": 2}},
			"drives":  map[string]string{"C": c, "D": d},
		})
		state = string(b)
	}
	st, log := filepath.Join(dir, "state.json"), filepath.Join(dir, "calls.jsonl")
	if err := os.WriteFile(st, []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAKEWSL_STATE", st)
	t.Setenv("FAKEWSL_LOG", log)
	return fakePath, log
}

// cliDouble runs wsldash on the wsl backend over the double and returns stdout (README examples).
func cliDouble(args ...string) func(t *testing.T) string {
	return func(t *testing.T) string {
		exe, _ := fakeWSL(t, "")
		out, errOut, err := run(t, append([]string{"--backend", "wsl", "--wsl-exe", exe}, args...)...)
		if err != nil {
			t.Fatalf("wsldash %v: %v\n%s", args, err, errOut)
		}
		return out
	}
}

func managedCalls(t *testing.T, log string) [][]string {
	t.Helper()
	b, _ := os.ReadFile(log)
	var out [][]string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec struct{ Args []string }
		if l == "" || json.Unmarshal([]byte(l), &rec) != nil {
			continue
		}
		if a := rec.Args; len(a) > 0 && (a[0] == "-l" || a[0] == "--version" || a[0] == "--status") {
			continue
		}
		out = append(out, rec.Args)
	}
	return out
}

func TestManageCommandsSendExactlyTheseArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want [][]string
	}{
		{[]string{"install", "--list", "--json"}, [][]string{{"--list", "--online"}}},
		{[]string{"install", "Debian", "--name", "deb", "--location", `D:\wsl\deb`, "--web-download"},
			[][]string{{"--install", "Debian", "--name", "deb", "--location", `D:\wsl\deb`, "--web-download", "--no-launch"}}},
		{[]string{"move", "Ubuntu", `D:\wsl\u`, "--yes"}, [][]string{{"-t", "Ubuntu"}, {"--manage", "Ubuntu", "--move", `D:\wsl\u`}}},
		{[]string{"resize", "Ubuntu", "256GB", "--yes"}, [][]string{{"-t", "Ubuntu"}, {"--manage", "Ubuntu", "--resize", "256GB"}}},
		{[]string{"sparse", "Ubuntu", "off", "--yes"}, [][]string{{"-t", "Ubuntu"}, {"--manage", "Ubuntu", "--set-sparse", "false"}}},
		{[]string{"sparse", "Ubuntu", "on", "--allow-unsafe", "--yes"}, [][]string{{"-t", "Ubuntu"}, {"--manage", "Ubuntu", "--set-sparse", "true", "--allow-unsafe"}}},
		{[]string{"set-user", "Ubuntu", "root"}, [][]string{{"--manage", "Ubuntu", "--set-default-user", "root"}}},
		{[]string{"compact", "Ubuntu"}, nil},
		{[]string{"compact", "Ubuntu", "--yes"}, [][]string{{"-d", "Ubuntu", "-u", "root", "--exec", "fstrim", "-v", "/"}, {"-t", "Ubuntu"}}},
	} {
		exe, log := fakeWSL(t, "")
		_, errOut, err := run(t, append([]string{"--backend", "wsl", "--wsl-exe", exe}, c.args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, errOut)
		}
		if got := managedCalls(t, log); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v sent\n%q\nwant\n%q", c.args, got, c.want)
		}
	}
}

func TestManageConfirmsAndWarnsAboutDocker(t *testing.T) {
	exe, log := fakeWSL(t, "")
	// Not a terminal and no --yes: nothing is done.
	_, _, err := run(t, "--backend", "wsl", "--wsl-exe", exe, "move", "Ubuntu", `D:\x`)
	if err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("move without --yes: %v", err)
	}
	if got := managedCalls(t, log); len(got) != 0 {
		t.Fatalf("sent %q", got)
	}
	_, errOut, err := run(t, "--backend", "wsl", "--wsl-exe", exe, "resize", "docker-desktop", "100GB", "--yes")
	if err != nil || !strings.Contains(errOut, "break Docker Desktop") {
		t.Fatalf("docker: %v %q", err, errOut)
	}
}

// TestManageOnDemoAndLocal: the demo simulates the catalogue; local has no wsl.exe and says so.
func TestManageOnDemoAndLocal(t *testing.T) {
	out, _, err := run(t, "install", "--list", "--json", "--demo")
	if err != nil || !strings.Contains(out, `"name":"Ubuntu-24.04"`) || !strings.Contains(out, `"friendly_name":"Kali Linux Rolling"`) {
		t.Fatalf("demo: %v %s", err, out)
	}
	_, _, err = run(t, "--backend", "local", "install", "--list")
	if err == nil || !strings.Contains(err.Error(), "cannot install") {
		t.Fatalf("local: %v", err)
	}
}

// TestManageRefusesBeforeAsking: what backend's rules refuse is refused before the confirmation
// is asked for (no terminal and no --yes would otherwise be the error), in the rule's words.
func TestManageRefusesBeforeAsking(t *testing.T) {
	for _, c := range []struct {
		args []string
		kind backend.Kind
		want string
	}{
		{[]string{"move", "Ubuntu-18.04", `D:\x`}, backend.KindUnsupported, "a WSL 1 distro has no virtual disk to move"},
		{[]string{"resize", "Nope", "256GB"}, backend.KindNotFound, "no such distro"},
		{[]string{"rename", "Debian", "Debian/12"}, backend.KindFailed, "'/' is not allowed in a distro name"},
		{[]string{"rename", "Debian", "kali-LINUX"}, backend.KindFailed, "a distro named kali-linux already exists"},
		{[]string{"rename", "Ubuntu-24.04", "U"}, backend.KindBusy, "Ubuntu-24.04 is running: stop it first (wsldash terminate Ubuntu-24.04)"},
	} {
		_, _, err := run(t, append(c.args, "--demo")...)
		if backend.KindOf(err) != c.kind || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %v %q", c.args, err, c.kind, c.want)
		}
	}
}
