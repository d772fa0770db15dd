package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/demo"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// cfgRun runs wsldash with args and returns stdout and the error.
func cfgRun(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd(newApp())
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

const cfgSample = "\xef\xbb\xbf# my settings\r\n[wsl2]\r\nmemory = 8GB   # half\r\nswap=0\r\n; old: swap=4GB\r\n\r\n[experimental]\r\nautoMemoryReclaim=gradual\r\n"

func cfgTempFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), ".wslconfig")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func cfgContent(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestConfigSetChangesOnlyTheValue(t *testing.T) {
	p := cfgTempFile(t, cfgSample)
	out, err := cfgRun(t, "config", "set", "wsl2.memory", "16GB", "--file", p)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(cfgSample, "memory = 8GB   # half", "memory = 16GB   # half", 1)
	if got := cfgContent(t, p); got != want {
		t.Errorf("file:\n got %q\nwant %q", got, want)
	}
	if got := cfgContent(t, p+".bak"); got != cfgSample {
		t.Errorf("backup %q", got)
	}
	if !strings.Contains(out, "wsl2.memory: 8GB -> 16GB (line 3 of "+p+")") || !strings.Contains(out, "wsl --shutdown") {
		t.Errorf("output %q", out)
	}
}

func TestConfigSetAddsAKey(t *testing.T) {
	p := cfgTempFile(t, cfgSample)
	if _, err := cfgRun(t, "config", "set", "--file", p, "general.instanceIdleTimeout", "--", "-1"); err != nil {
		t.Fatal(err)
	}
	want := cfgSample + "\r\n[general]\r\ninstanceIdleTimeout=-1\r\n"
	if got := cfgContent(t, p); got != want {
		t.Errorf("file:\n got %q\nwant %q", got, want)
	}
	if _, err := cfgRun(t, "config", "set", "--file", p, "WSL2.VMIDLETIMEOUT", "30000"); err != nil {
		t.Fatal(err)
	}
	want = strings.Replace(want, "swap=0\r\n", "swap=0\r\nvmIdleTimeout=30000\r\n", 1)
	if got := cfgContent(t, p); got != want {
		t.Errorf("file:\n got %q\nwant %q", got, want)
	}
}

func TestConfigSetCreatesTheFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".wslconfig")
	if _, err := cfgRun(t, "config", "set", "experimental.autoMemoryReclaim", "dropCache", "--file", p); err != nil {
		t.Fatal(err)
	}
	if got := cfgContent(t, p); got != "[experimental]\nautoMemoryReclaim=dropCache\n" {
		t.Errorf("file %q", got)
	}
	if _, err := os.Stat(p + ".bak"); !os.IsNotExist(err) {
		t.Error("a backup of a file that did not exist")
	}
}

func TestConfigSetRefusesInvalid(t *testing.T) {
	for _, tc := range []struct{ key, value, want string }{
		{"wsl2.memory", "8gb", "size suffix must be uppercase"},
		{"wsl2.memory", "8 GB", "no space allowed"},
		{"wsl2.memory", "2.5GB", "2560MB"},
		{"wsl2.autoMemoryReclaim", "gradual", "experimental.autoMemoryReclaim"},
		{"wsl2.localhostForwarding", "yes", "not a boolean"},
	} {
		p := cfgTempFile(t, cfgSample)
		_, err := cfgRun(t, "config", "set", tc.key, tc.value, "--file", p)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("set %s %q: err = %v, want it to say %q", tc.key, tc.value, err, tc.want)
		}
		if got := cfgContent(t, p); got != cfgSample {
			t.Errorf("set %s %q changed the file: %q", tc.key, tc.value, got)
		}
		if _, err := os.Stat(p + ".bak"); !os.IsNotExist(err) {
			t.Errorf("set %s %q wrote a backup", tc.key, tc.value)
		}
	}
}

func TestConfigSetSameValueWritesNothing(t *testing.T) {
	p := cfgTempFile(t, cfgSample)
	out, err := cfgRun(t, "config", "set", "wsl2.swap", "0", "--file", p)
	if err != nil || !strings.Contains(out, "already 0") {
		t.Fatalf("out %q, err %v", out, err)
	}
	if _, err := os.Stat(p + ".bak"); !os.IsNotExist(err) {
		t.Error("wrote although nothing changed")
	}
}

func TestConfigGet(t *testing.T) {
	p := cfgTempFile(t, cfgSample+"[wsl2]\r\nguiApplications=yes\r\n")
	for _, tc := range []struct{ key, want string }{
		{"wsl2.memory", "8GB\n"},
		{"wsl2.vmIdleTimeout", "60000 (default)\n"},
		{"experimental.autoMemoryReclaim", "gradual\n"},
		{"wsl2.guiApplications", "true (default; WSL ignores the file's yes on line 10)\n"},
	} {
		out, err := cfgRun(t, "config", "get", tc.key, "--file", p)
		if err != nil || out != tc.want {
			t.Errorf("get %s = %q, %v; want %q", tc.key, out, err, tc.want)
		}
	}
	if _, err := cfgRun(t, "config", "get", "wsl2.nosuch", "--file", p); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Errorf("unknown key: %v", err)
	}
	out, err := cfgRun(t, "config", "get", "wsl2.memory", "--json", "--file", p)
	var j struct {
		Key, Value string
		Set, Valid bool
		Line       int
	}
	if err != nil || json.Unmarshal([]byte(out), &j) != nil || j.Key != "wsl2.memory" || j.Value != "8GB" || !j.Set || !j.Valid || j.Line != 3 {
		t.Errorf("get --json = %q, %v (%+v)", out, err, j)
	}
}

func TestConfigList(t *testing.T) {
	p := cfgTempFile(t, cfgSample+"[wsl2]\r\nautoMemoryReclaim=disabled\r\n")
	out, err := cfgRun(t, "config", "list", "--json", "--file", p)
	if err != nil {
		t.Fatal(err)
	}
	var j struct {
		File     string
		Exists   bool
		Settings []struct {
			Key, Value, Default string
			Set, Valid          bool
		}
		Unknown  []struct{ Key, Value string }
		Warnings []struct {
			Line int
			Text string
		}
		Reclaim struct{ Mode, Description string }
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if j.File != p || !j.Exists || len(j.Settings) < 40 {
		t.Errorf("file %q exists %v, %d settings", j.File, j.Exists, len(j.Settings))
	}
	got := map[string]string{}
	for _, s := range j.Settings {
		got[s.Key] = s.Value
	}
	if got["wsl2.memory"] != "8GB" || got["wsl2.processors"] != "all logical processors" || got["experimental.autoMemoryReclaim"] != "gradual" {
		t.Errorf("values %v", got)
	}
	if len(j.Unknown) != 1 || j.Unknown[0].Key != "wsl2.autoMemoryReclaim" {
		t.Errorf("unknown %+v", j.Unknown)
	}
	wantW := []string{"Invalid key name in " + p + ":5", "Unknown key 'wsl2.autoMemoryReclaim' in " + p + ":10"}
	if len(j.Warnings) != 2 || j.Warnings[0].Text != wantW[0] || j.Warnings[1].Text != wantW[1] {
		t.Errorf("warnings %+v", j.Warnings)
	}
	if j.Reclaim.Mode != "gradual" || !strings.HasPrefix(j.Reclaim.Description, "gradual:") {
		t.Errorf("reclaim %+v", j.Reclaim)
	}
	text, err := cfgRun(t, "config", "list", "--file", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"wsl2.memory", "file, line 3", "Unknown keys (WSL ignores them):", "line 10: wsl2.autoMemoryReclaim = disabled", wantW[1], "autoMemoryReclaim: gradual:"} {
		if !strings.Contains(text, want) {
			t.Errorf("text list lacks %q:\n%s", want, text)
		}
	}
	if got := cfgContent(t, p); got != cfgSample+"[wsl2]\r\nautoMemoryReclaim=disabled\r\n" {
		t.Error("list changed the file")
	}
}

func TestConfigListMissingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".wslconfig")
	out, err := cfgRun(t, "config", "list", "--file", p)
	if err != nil || !strings.Contains(out, "does not exist") {
		t.Errorf("out %q, err %v", out, err)
	}
}

func TestConfigDefaultPathOverride(t *testing.T) {
	p := cfgTempFile(t, cfgSample)
	t.Setenv("WSLDASH_WSLCONFIG", p)
	out, err := cfgRun(t, "config", "get", "wsl2.swap")
	if err != nil || out != "0\n" {
		t.Errorf("get via $WSLDASH_WSLCONFIG = %q, %v", out, err)
	}
}

// `wsldash --demo config list` shows the demo's sample .wslconfig, the one its dashboard's view 5
// reads from the same store, labelled; get reads it too, and set refuses to write a sample.
func TestConfigDemoSample(t *testing.T) {
	a := newApp()
	out, _, err := runApp(t, a, "--demo", "config", "list")
	if err != nil {
		t.Fatal(err)
	}
	cf, err := demo.New(a.demoOptions()).WSLConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f, err := wslconfig.FromStore(cf)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"[" + demo.Label + "]", "File: demo sample\n", "Unknown key 'wsl2.autoMemoryReclaim' in .wslconfig:6"}
	for _, s := range f.Settings() {
		if s.Set && s.Valid {
			want = append(want, s.Key.Name+" ", " "+s.Value+" ")
		}
	}
	if len(want) < 8 {
		t.Fatalf("the demo's sample sets too little: %v", want)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("--demo config list lacks %q:\n%s", w, out)
		}
	}
	out, errOut, err := runApp(t, newApp(), "--demo", "config", "get", "wsl2.memory")
	if err != nil || out != "16GB\n" || !strings.Contains(errOut, demo.Label) {
		t.Errorf("--demo config get = %q, %q, %v", out, errOut, err)
	}
	out, _, err = runApp(t, newApp(), "--demo", "config", "list", "--json")
	var j struct {
		File   string `json:"file"`
		Exists bool   `json:"exists"`
	}
	if err != nil || json.Unmarshal([]byte(out), &j) != nil || j.File != "demo sample" || !j.Exists {
		t.Errorf("--demo config list --json = %s, %v", out, err)
	}
	t.Setenv("WSLDASH_WSLCONFIG", filepath.Join(t.TempDir(), ".wslconfig"))
	t.Chdir(t.TempDir()) // where a sample's name would be taken for a path
	if _, _, err := runApp(t, newApp(), "--demo", "config", "set", "wsl2.memory", "8GB"); backend.KindOf(err) != backend.KindUnsupported {
		t.Errorf("--demo config set: %v", err)
	}
	if _, err := os.Stat(os.Getenv("WSLDASH_WSLCONFIG")); err == nil {
		t.Error("--demo config set wrote a file")
	}
}
