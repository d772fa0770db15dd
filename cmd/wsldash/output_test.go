package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// Every command with --json prints one JSON value per line (README "JSON contract"), the
// one-shot answers a single line. Each such command must be listed here, so a new one is too.
func TestJSONIsOneValuePerLine(t *testing.T) {
	wslcfg := cliFixture(t)
	demo := func(args ...string) func(t *testing.T) string { return cli(append(args, "--demo")...) }
	lines := map[string]int{"stats --watch": 2} // the rest: one
	cases := map[string]func(t *testing.T) string{
		"compact":       cliDouble("compact", "Ubuntu", "--yes", "--json"),
		"config get":    cli("config", "get", "wsl2.memory", "--json", "--file", wslcfg),
		"config list":   cli("config", "list", "--json", "--file", wslcfg),
		"df":            demo("df", "--json"),
		"doctor":        demo("doctor", "--json"),
		"install":       cliDouble("install", "--list", "--json"),
		"list":          demo("list", "--json"),
		"mounts":        demo("mounts", "--json"),
		"move":          cliDouble("move", "Ubuntu", `D:\wsl\Ubuntu`, "--yes", "--json"),
		"ports":         demo("ports", "--json"),
		"ps":            demo("ps", "--json"),
		"reclaim":       demo("reclaim", "--json"),
		"resize":        cliDouble("resize", "Ubuntu", "256GB", "--yes", "--json"),
		"set-user":      cliDouble("set-user", "Ubuntu", "root", "--json"),
		"sparse":        cliDouble("sparse", "Ubuntu", "off", "--yes", "--json"),
		"stats":         demo("stats", "--json"),
		"stats --watch": demo("stats", "--json", "--watch", "--count", "2", "--refresh", "100ms"),
		"trash list":    cli("trash", "list", "--json", "--backend", "wsl", "--wsl-exe", filepath.Join(t.TempDir(), "none.exe")),
		"vms":           demo("vms", "--json"),
		"rename": func(t *testing.T) string {
			a := newApp()
			a.wrap = func(b backend.Backend) backend.Backend { return renaming{b} }
			out, _, err := runApp(t, a, "rename", "Debian", "Debian-12", "--yes", "--json", "--demo")
			if err != nil {
				t.Fatal(err)
			}
			return out
		},
	}
	// host --watch --json is the host helper's own versioned line stream (hostview.Serve).
	skip := map[string]bool{"host": true}
	names := []string{"stats --watch"}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			walk(s)
		}
		if name := strings.TrimPrefix(c.CommandPath(), "wsldash "); c.Flags().Lookup("json") != nil && !skip[name] {
			names = append(names, name)
		}
	}
	walk(newRootCmd(newApp()))
	for _, name := range names {
		if cases[name] == nil {
			t.Errorf("%s has --json: add it to this test", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			out := cases[name](t)
			ls := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if want := max(lines[name], 1); len(ls) != want {
				t.Fatalf("%d lines, want %d:\n%s", len(ls), want, out)
			}
			for _, l := range ls {
				if !json.Valid([]byte(l)) || !strings.HasPrefix(l, "{") && !strings.HasPrefix(l, "[") {
					t.Errorf("not one JSON value: %q", l)
				}
			}
		})
	}
}

func cli(args ...string) func(t *testing.T) string {
	return func(t *testing.T) string {
		out, errOut, err := run(t, args...)
		if err != nil {
			t.Fatalf("wsldash %v: %v\n%s", args, err, errOut)
		}
		return out
	}
}

// What is not known prints as units.Unknown in the text tables, never "-": the disk of a WSL 1
// distro in list, a key the file does not set in config list.
func TestUnknownIsOneGlyph(t *testing.T) {
	out, _, err := run(t, "list", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "Ubuntu-18.04") && (!strings.Contains(l, units.Unknown) || strings.Contains(l, " - ")) {
			t.Errorf("the WSL 1 distro's disk: %q", l)
		}
	}
	wslcfg := filepath.Join(t.TempDir(), ".wslconfig")
	os.WriteFile(wslcfg, []byte("[wsl2]\nmemory=8GB\n"), 0o644)
	out, _, err = run(t, "config", "list", "--file", wslcfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "wsl2.processors" && f[1] != units.Unknown {
			t.Errorf("an unset key's value: %q", l)
		}
	}
}
