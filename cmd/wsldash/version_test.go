package main

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionStringNeverBareDev(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}, {Key: "vcs.time", Value: "2026-11-25T09:00:00Z"}}
	cases := []struct {
		name, stamped, commit string
		info                  *debug.BuildInfo
		ok                    bool
		want                  []string
	}{
		{"release", "1.2.0", "abc1234", nil, false, []string{"1.2.0 (abc1234)"}},
		{"go install @version", "", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}}, true, []string{"v1.2.0", "go1.26.8"}},
		{"clone", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, true, []string{"(devel)", "commit 0123456789ab+modified", "2026-11-25T09:00:00Z"}},
		{"no build info", "", "", nil, false, []string{"unknown"}},
	}
	for _, c := range cases {
		got := versionString(c.stamped, c.commit, c.info, c.ok)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", c.name, got, w)
			}
		}
		if got == "dev" || got == "" {
			t.Errorf("%s: bare %q", c.name, got)
		}
	}
}

// TestVersionOfAPlainBuild builds the binary as `go install` would (no ldflags) and checks that
// --version names a module version, not "dev".
func TestVersionOfAPlainBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "wsldash")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	s := strings.TrimSpace(string(out))
	v := strings.TrimPrefix(s, "wsldash version ")
	if v == s || v == "dev" || !(strings.HasPrefix(v, "(devel)") || strings.HasPrefix(v, "v")) || !strings.Contains(v, "go1.") {
		t.Errorf("--version of a plain build: %q", s)
	}
}
