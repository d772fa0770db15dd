package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// The README's JSON examples, key for key, on every backend that answers the command.
//
// Each example is the fenced json block right after its marker line, <!-- json: NAME -->.
// readmeExamples below runs NAME's command on --demo and --backend local, and on the wsl.exe
// double (or a stand-in) where neither can answer. Every run's output must have exactly the
// example's keys, recursively (values may differ): a key the output prints that the example
// lacks fails, and so does a key the example shows that the output lacks. Two things may be
// absent, because the README says so in the prose around the example: the keys listed in
// optional ("when known", "only when present", the demo's simulated), and the keys inside an
// object or array the output does not have, or has empty (a [] of distros has no keys to check).
// A key that is unknown on a backend is null, never missing: that is why few keys are optional.

// jsonShape is the key paths of a decoded JSON value ("guest.total_bytes"; an array is the
// union of its elements) and the paths that hold a non-empty object or array ("" is the top).
type jsonShape struct{ keys, filled map[string]bool }

func shapeOf(t *testing.T, what, s string) jsonShape {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s is not JSON: %v\n%s", what, err, s)
	}
	sh := jsonShape{map[string]bool{}, map[string]bool{}}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			if len(x) > 0 {
				sh.filled[path] = true
			}
			for k, e := range x {
				p := k
				if path != "" {
					p = path + "." + k
				}
				sh.keys[p] = true
				walk(e, p)
			}
		case []any:
			for _, e := range x {
				walk(e, path)
			}
		}
	}
	walk(v, "")
	return sh
}

func parentPath(k string) string {
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		return k[:i]
	}
	return ""
}

// compareShapes returns what the output has that the example does not, and what the example
// has that the output lacks (outside optional keys and absent or empty parents).
func compareShapes(doc, out jsonShape, optional map[string]bool) (undocumented, missing []string) {
	for _, k := range sortedSet(out.keys) {
		if !doc.keys[k] {
			undocumented = append(undocumented, k)
		}
	}
	for _, k := range sortedSet(doc.keys) {
		if !out.keys[k] && !optional[k] && out.filled[parentPath(k)] {
			missing = append(missing, k)
		}
	}
	return undocumented, missing
}

type exampleRun struct {
	on   string // demo, local, double, stand-in
	args []string
	app  func(a *app) // seams before the run, or nil
}

// readmeExamples: every README example's optional keys and the runs it is checked against.
// local is left out where it refuses the command (it has no distros, no .wslconfig of its own,
// no catalogue), and reclaim on local because it would drop this machine's caches.
func readmeExamples(t *testing.T) map[string]struct {
	optional []string
	runs     []exampleRun
} {
	wslcfg := cliFixture(t)

	demo := func(args ...string) exampleRun { return exampleRun{on: "demo", args: append(args, "--demo")} }
	local := func(args ...string) exampleRun {
		return exampleRun{on: "local", args: append(args, "--backend", "local")}
	}
	double := func(args ...string) exampleRun { return exampleRun{on: "double", args: args} }
	trashed := func(a *app) { // the demo's trash holds Debian
		a.wrap = func(b backend.Backend) backend.Backend {
			if _, err := b.(backend.Archiver).Trash(context.Background(), "Debian", nil); err != nil {
				t.Fatalf("demo trash: %v", err)
			}
			return b
		}
	}
	stopped := func(a *app) { a.wrap = func(b backend.Backend) backend.Backend { return stoppedVM{b} } }
	hostKeys := []string{"host", "host.vm_process", "host.vm_process_bytes", "host.total_bytes", "host.available_bytes",
		"host.vm_cpu_percent", "host.other_vms", "host.note"}
	type ex = struct {
		optional []string
		runs     []exampleRun
	}
	return map[string]ex{
		// The double has no registry, so no base_path, disk_path or disk_bytes ("when known").
		"list": {[]string{"held", "kept"}, []exampleRun{demo("list", "--json"), local("list", "--json")}},
		"stats": {append([]string{"simulated", "memory_pressure", "distros", "distros.docker", "distros_remainder"}, hostKeys...),
			[]exampleRun{demo("stats", "--json"), local("stats", "--json")}},
		"stats-error": {[]string{"simulated", "host"}, []exampleRun{
			{on: "demo", args: []string{"stats", "--json", "--demo"}, app: stopped},
			{on: "local", args: []string{"stats", "--json", "--backend", "local"}, app: stopped}}},
		"event": {nil, nil}, // printed only when memory comes back: checked against its type in readme_test.go
		"ps":    {[]string{"distro"}, []exampleRun{demo("ps", "--json"), local("ps", "--json")}},
		"mounts": {[]string{"distro"},
			[]exampleRun{demo("mounts", "--json"), local("mounts", "--json")}},
		"reclaim": {nil, []exampleRun{demo("reclaim", "--json")}},
		"ports": {[]string{"notes", "ports.process", "ports.distro"},
			[]exampleRun{demo("ports", "--json"), local("ports", "--json")}},
		"trash": {[]string{"base_path", "note"}, []exampleRun{
			{on: "demo", args: []string{"trash", "list", "--json", "--demo"}, app: trashed},
			{on: "wsl", args: []string{"trash", "list", "--json", "--backend", "wsl", "--wsl-exe", filepath.Join(t.TempDir(), "none.exe")}}}},
		"config-get": {nil, []exampleRun{demo("config", "get", "wsl2.memory", "--json", "--file", wslcfg),
			local("config", "get", "wsl2.memory", "--json", "--file", wslcfg)}},
		"config-list": {[]string{"settings.file_value", "settings.line"},
			[]exampleRun{demo("config", "list", "--json"), demo("config", "list", "--json", "--file", wslcfg),
				local("config", "list", "--json", "--file", wslcfg)}},
		"doctor": {[]string{"checks.fix"},
			[]exampleRun{demo("doctor", "--json"), local("doctor", "--json")}},
		"install-list": {nil, []exampleRun{demo("install", "--list", "--json"), double("install", "--list", "--json")}},
		"install": {nil, []exampleRun{demo("install", "Ubuntu", "--name", "dev", "--json"),
			double("install", "Ubuntu-24.04", "--name", "dev", "--json")}},
		"move": {[]string{"note"}, []exampleRun{demo("move", "Debian", `D:\wsl\Debian`, "--yes", "--json"),
			double("move", "Ubuntu", `D:\wsl\Ubuntu`, "--yes", "--json")}},
		"manage": {nil, []exampleRun{demo("resize", "Debian", "256GB", "--yes", "--json"),
			double("resize", "Ubuntu", "256GB", "--yes", "--json"), double("set-user", "Ubuntu", "root", "--json")}},
		"compact": {[]string{"elevated"}, []exampleRun{demo("compact", "Debian", "--yes", "--json"),
			double("compact", "Ubuntu", "--yes", "--json")}},
		"df": {[]string{"disk_path", "note", "error"}, []exampleRun{demo("df", "--json")}},
		"vms": {[]string{"vms.id", "vms.owner", "vms.type", "vms.state", "vms.name", "vms.note", "vms.process", "vms.pid", "note"},
			[]exampleRun{demo("vms", "--json")}},
		// rename writes the registry (Windows only): the command's output over a stand-in backend.
		"rename": {[]string{"note", "terminal_profiles.backup", "terminal_profiles.error"}, []exampleRun{{on: "stand-in",
			args: []string{"rename", "Debian", "Debian-12", "--yes", "--json", "--demo"},
			app:  func(a *app) { a.wrap = func(b backend.Backend) backend.Backend { return renaming{b} } }}}},
	}
}

// readmeJSONExamples is each marked example of the README by name.
func readmeJSONExamples(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, m := range regexp.MustCompile("(?s)<!-- json: ([a-z-]+) -->\n```json\n(.*?)```").FindAllStringSubmatch(readREADME(t), -1) {
		if _, dup := out[m[1]]; dup {
			t.Errorf("README has two JSON examples named %q", m[1])
		}
		out[m[1]] = m[2]
	}
	return out
}

func TestREADMEExamplesKeyForKey(t *testing.T) {
	examples := readmeExamples(t)
	docs := readmeJSONExamples(t)
	for name := range docs {
		if _, ok := examples[name]; !ok {
			t.Errorf("README example %q: add its runs to readmeExamples", name)
		}
	}
	for name, ex := range examples {
		body, ok := docs[name]
		if !ok {
			t.Errorf("README has no JSON example %q (<!-- json: %s --> on the line before a ```json block)", name, name)
			continue
		}
		doc := shapeOf(t, "README example "+name, body)
		optional := map[string]bool{}
		for _, k := range ex.optional {
			if !doc.keys[k] {
				t.Errorf("README example %s: optional key %q is not in the example", name, k)
			}
			optional[k] = true
		}
		for _, r := range ex.runs {
			cmdline := "wsldash " + strings.Join(r.args, " ")
			t.Run(name+"/"+r.on, func(t *testing.T) {
				args := r.args
				if r.on == "double" {
					exe, _ := fakeWSL(t, "")
					args = append([]string{"--backend", "wsl", "--wsl-exe", exe}, args...)
				}
				a := newApp()
				if r.app != nil {
					r.app(a)
				}
				out, errOut, err := runApp(t, a, args...)
				if err != nil && name != "stats-error" {
					t.Fatalf("%s (%s): %v\n%s", cmdline, r.on, err, errOut)
				}
				undocumented, missing := compareShapes(doc, shapeOf(t, cmdline, out), optional)
				for _, k := range undocumented {
					t.Errorf("%s (%s) prints %q, which README example %s does not show", cmdline, r.on, k, name)
				}
				for _, k := range missing {
					t.Errorf("%s (%s) lacks %q, which README example %s shows", cmdline, r.on, k, name)
				}
			})
		}
	}
}

// The comparison itself: an extra key, a missing key and a missing nested key each fail; an
// optional key, and the keys of an absent or empty parent, do not.
func TestCompareShapes(t *testing.T) {
	doc := shapeOf(t, "doc", `{"a":1,"b":{"c":1,"d":2},"e":[{"f":1}],"g":null,"h":{"i":1}}`)
	for _, c := range []struct {
		out                   string
		undocumented, missing string
	}{
		{`{"a":1,"b":{"c":1,"d":2},"e":[{"f":1}],"g":1,"h":{"i":1}}`, "", ""},
		{`{"a":1,"b":{"c":1,"d":2},"e":[],"g":1}`, "", ""},                           // h optional, e empty
		{`{"a":1,"b":{"c":1},"e":[{"f":1}],"g":1}`, "", "b.d"},                       // nested missing
		{`{"b":{"c":1,"d":2},"e":[{"f":1}],"g":1}`, "", "a"},                         // top missing
		{`{"a":1,"b":{"c":1,"d":2,"x":1},"e":[{"f":1,"y":1}],"g":1}`, "b.x e.y", ""}, // extras
		{`{"a":1,"b":{"c":1,"d":2},"e":[{"f":1}]}`, "", "g"},                         // null is not missing
	} {
		u, m := compareShapes(doc, shapeOf(t, "out", c.out), map[string]bool{"h": true})
		if strings.Join(u, " ") != c.undocumented || strings.Join(m, " ") != c.missing {
			t.Errorf("%s: undocumented %v missing %v, want %q %q", c.out, u, m, c.undocumented, c.missing)
		}
	}
}

// cliFixture gives a CLI test a cache, config and trash of its own holding one trashed Debian,
// and returns a .wslconfig with an unknown key and a duplicate one (what config list reports).
func cliFixture(t *testing.T) (wslcfg string) {
	t.Helper()
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	trash := filepath.Join(cache, "wsldash", "trash")
	t.Setenv("WSLDASH_TRASH_DIR", trash)
	os.MkdirAll(trash, 0o755)
	os.WriteFile(filepath.Join(trash, "Debian-20261125T120000Z.tar"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(trash, "Debian-20261125T120000Z.json"), []byte(`{"name":"Debian","version":2,"archive":"`+
		filepath.ToSlash(filepath.Join(trash, "Debian-20261125T120000Z.tar"))+`","bytes":1,"trashed":"2026-11-25T12:00:00Z","base_path":"C:\\x"}`), 0o644)
	wslcfg = filepath.Join(t.TempDir(), ".wslconfig")
	os.WriteFile(wslcfg, []byte("[wsl2]\nmemory=8GB\nmemry=4GB\nmemory=4GB\n"), 0o644)
	return wslcfg
}
