package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend/demo"
	"github.com/wsldash/wsldash/backend/sampler"
)

// run executes the CLI in-process with a demo on a fixed clock.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runApp(t, newApp(), args...)
}

// runApp is run with an app the test has prepared (seams set).
func runApp(t *testing.T, a *app, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	clk := sampler.NewFixedClock(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	a.demoOptions = func() demo.Options {
		return demo.Options{Seed: 1, Clock: clk, Wait: func(ctx context.Context, d time.Duration) error { clk.Advance(d); return nil }}
	}
	a.insideWSL = func() bool { return false }
	root := newRootCmd(a)
	var o, e bytes.Buffer
	root.SetOut(&o)
	root.SetErr(&e)
	root.SetArgs(negativeValues(root, args)) // as main does
	err = root.ExecuteContext(context.Background())
	return o.String(), e.String(), err
}

func TestListJSONDemo(t *testing.T) {
	out, errOut, err := run(t, "list", "--json", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	var ds []map[string]any
	if err := json.Unmarshal([]byte(out), &ds); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	names := map[string]map[string]any{}
	for _, d := range ds {
		for _, k := range []string{"name", "state", "version", "default"} {
			if _, ok := d[k]; !ok {
				t.Errorf("distro %v lacks %q", d["name"], k)
			}
		}
		if _, ok := d["version"].(float64); !ok {
			t.Errorf("version must be a number: %#v", d["version"])
		}
		names[d["name"].(string)] = d
	}
	for _, n := range []string{"Ubuntu-24.04", "docker-desktop", "Debian", "kali-linux", "Ubuntu-18.04", "openSUSE-Tumbleweed"} {
		if names[n] == nil {
			t.Errorf("demo list lacks %s", n)
		}
	}
	if names["Ubuntu-24.04"]["default"] != true || names["Ubuntu-18.04"]["version"] != 1.0 || names["openSUSE-Tumbleweed"]["state"] != "Installing" {
		t.Errorf("demo distros wrong: %v", names)
	}
	if !strings.Contains(errOut, "demo") {
		t.Errorf("the demo must say it is a demo (stderr for JSON): %q", errOut)
	}
}

func TestListHumanIsLabelled(t *testing.T) {
	out, _, err := run(t, "list", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "[demo") || !strings.Contains(out, "*  Ubuntu-24.04") {
		t.Errorf("human list:\n%s", out)
	}
}

func TestStatsJSONContract(t *testing.T) {
	out, _, err := run(t, "stats", "--json", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err, out)
	}
	if m["type"] != "sample" || m["backend"] != "demo" || m["simulated"] != true {
		t.Errorf("header fields: %v", m)
	}
	if _, err := time.Parse(time.RFC3339, m["time"].(string)); err != nil {
		t.Errorf("time not RFC 3339: %v", err)
	}
	g := m["guest"].(map[string]any)
	for _, k := range []string{"total_bytes", "used_bytes", "cache_bytes", "free_bytes", "available_bytes", "swap_total_bytes", "swap_free_bytes"} {
		if _, ok := g[k].(float64); !ok {
			t.Errorf("guest.%s missing or not a number", k)
		}
	}
	if _, ok := m["cpu_percent"].(float64); !ok {
		t.Error("cpu_percent missing")
	}
	if h, ok := m["host"].(map[string]any); !ok || h["vm_process"] != "vmmemWSL" {
		t.Errorf("host: %v", m["host"])
	}
	// Without a history (this demo has no warm-up) one reading gives no gate: null, not zeros.
	if g, ok := m["reclaim_gate"]; !ok || g != nil {
		t.Errorf("reclaim_gate from one reading: %v (present %v)", g, ok)
	}
	// With the demo's history behind it (the --demo default warms up 10 minutes): its rule is
	// its WSL's, and it knows wsldash's own share.
	root := newRootCmd(newApp())
	var o bytes.Buffer
	root.SetOut(&o)
	root.SetArgs([]string{"stats", "--json", "--demo", "--demo-epoch", "2026-11-25T12:00:00Z"})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	m = nil
	if err := json.Unmarshal(o.Bytes(), &m); err != nil {
		t.Fatal(err, o.String())
	}
	gate, ok := m["reclaim_gate"].(map[string]any)
	if !ok {
		t.Fatalf("reclaim_gate: %v", m["reclaim_gate"])
	}
	if gate["rule"] != "wsl-2.9" || gate["mode"] != "dropcache" || gate["window_seconds"] != 600.0 || gate["threshold_percent"] != 0.5 {
		t.Errorf("reclaim_gate rule: %v", gate)
	}
	if _, ok := gate["self_percent"].(float64); !ok {
		t.Errorf("reclaim_gate.self_percent: %v", gate["self_percent"])
	}
	if st := gate["state"]; st != "busy" && st != "settling" && st != "idle" {
		t.Errorf("reclaim_gate.state: %v", st)
	}
}

func TestStatsLocalHasNoHost(t *testing.T) {
	out, _, err := run(t, "stats", "--json", "--backend", "local")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal([]byte(out), &m)
	if _, ok := m["host"]; ok {
		t.Errorf("local knows no host view, but printed one: %v", m["host"])
	}
	if g, ok := m["reclaim_gate"]; !ok || g != nil {
		t.Errorf("local has no WSL VM: reclaim_gate must be null, got %v (present %v)", g, ok)
	}
	// Agrees with /proc/meminfo: total within 1%, used+cache+free <= total.
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var total float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(v)[0], 64)
			total = kb * 1024
		}
	}
	g := m["guest"].(map[string]any)
	if d := math.Abs(g["total_bytes"].(float64)-total) / total; d > 0.01 {
		t.Errorf("total %v vs /proc/meminfo %v", g["total_bytes"], total)
	}
	if g["used_bytes"].(float64)+g["cache_bytes"].(float64)+g["free_bytes"].(float64) > g["total_bytes"].(float64) {
		t.Error("used+cache+free > total")
	}
}

func TestStatsWatchJSONLines(t *testing.T) {
	out, _, err := run(t, "stats", "--watch", "--json", "--count", "3", "--refresh", "100ms", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 JSON lines, got %d:\n%s", len(lines), out)
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["type"] != "sample" {
			t.Errorf("line %q: %v", l, err)
		}
	}
}

func TestActionsThroughCLI(t *testing.T) {
	if _, _, err := run(t, "start", "kali-linux", "--demo"); err != nil {
		t.Errorf("start: %v", err)
	}
	_, _, err := run(t, "start", "nope", "--demo")
	if err == nil || !strings.Contains(err.Error(), "Wsl/Service/WSL_E_DISTRO_NOT_FOUND") {
		t.Errorf("start of an unknown distro must carry WSL's error code: %v", err)
	}
	out, _, err := run(t, "reclaim", "--demo", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if json.Unmarshal([]byte(out), &r); r["freed_bytes"].(float64) <= 0 {
		t.Errorf("reclaim freed nothing: %s", out)
	}
}

func TestFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "--backend", "hyperv"}, "unknown backend"},
		{[]string{"list", "--demo", "--backend", "local"}, "contradict"},
		{[]string{"list", "--refresh", "1ms"}, "out of range (100ms to 1h0m0s)"},
		{[]string{"reclaim", "--mode", "all", "--demo"}, "dropcache, gradual or compact"},
		{[]string{"start", "--demo"}, "accepts 1 arg"},
	} {
		_, _, err := run(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestLocalHasNoDistros(t *testing.T) {
	out, _, err := run(t, "list", "--json", "--backend", "local")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("local list = %q, want []", out)
	}
}
