package main

import (
	"encoding"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/doctor"
	"github.com/wsldash/wsldash/backend/wsl"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
	"github.com/wsldash/wsldash/tui"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's generated sections")

const readmePath = "../../README.md"

func readREADME(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestREADMEGenerated: the keybindings table and the config reference are the key map's and
// the config's own (go test ./cmd/wsldash -run TestREADMEGenerated -update-readme rewrites them).
func TestREADMEGenerated(t *testing.T) {
	readme := readREADME(t)
	out := readme
	for name, body := range map[string]string{"keys": tui.KeysMarkdown(), "config": tui.ConfigMarkdown()} {
		re := regexp.MustCompile(`(?s)(<!-- generated: ` + name + ` [^\n]*-->\n)(.*?)(<!-- end generated: ` + name + ` -->)`)
		m := re.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("README lacks the generated %s section markers", name)
		}
		if m[2] != body {
			if !*updateREADME {
				t.Errorf("README's %s section differs from the code; run go test ./cmd/wsldash -run TestREADMEGenerated -update-readme\n--- README\n%s--- code\n%s", name, m[2], body)
			}
			out = strings.Replace(out, m[0], m[1]+body+m[3], 1)
		}
	}
	if *updateREADME && out != readme {
		if err := os.WriteFile(readmePath, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestREADMESetupCommands: CI greps for these; they must stay verbatim.
func TestREADMESetupCommands(t *testing.T) {
	readme := readREADME(t)
	for _, c := range []string{"go run ./cmd/wsldash --demo", "./scripts/test", "go install github.com/wsldash/wsldash/cmd/wsldash@latest", "winget install", "scoop install", "wsldash completion bash"} {
		if !strings.Contains(readme, c) {
			t.Errorf("README lacks %q", c)
		}
	}
}

// jsonTypeKeys is every key path ("guest.total_bytes") a value of type t can have in JSON.
func jsonTypeKeys(t reflect.Type, prefix string, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for _, i := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()} {
		// backend.Process and Network marshal their own fields (a few may be null): not leaves.
		own := t == reflect.TypeFor[backend.Process]() || t == reflect.TypeFor[backend.Network]()
		if !own && (t.Implements(i) || reflect.PointerTo(t).Implements(i)) {
			return // a leaf: time.Time and friends
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name := strings.Split(tag, ",")[0]
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" {
			jsonTypeKeys(f.Type, prefix, out)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[prefix+name] = true
		jsonTypeKeys(f.Type, prefix+name+".", out)
	}
}

// jsonValueKeys is every key path in a decoded JSON value (arrays: the union of their elements).
func jsonValueKeys(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out[prefix+k] = true
			jsonValueKeys(e, prefix+k+".", out)
		}
	case []any:
		for _, e := range x {
			jsonValueKeys(e, prefix, out)
		}
	}
}

func keysOfJSON(t *testing.T, what, s string) map[string]bool {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s is not JSON: %v\n%s", what, err, s)
	}
	out := map[string]bool{}
	jsonValueKeys(v, "", out)
	return out
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestREADMEJSONContract parses every JSON example of the README and compares its keys with
// the real output of the command on the demo (every key it prints is documented) and with the
// Go type it is printed from (every documented key exists, and every field of the type is
// documented in some example).
func TestREADMEJSONContract(t *testing.T) {
	wslcfg := cliFixture(t)

	cli := func(args ...string) func(t *testing.T) string {
		return func(t *testing.T) string {
			out, _, err := run(t, args...)
			if err != nil {
				t.Fatalf("wsldash %v: %v", args, err)
			}
			return out
		}
	}
	examples := map[string]struct {
		typ  reflect.Type
		real func(t *testing.T) string
	}{
		"list":  {reflect.TypeFor[[]backend.Distro](), cli("list", "--json", "--demo")},
		"stats": {reflect.TypeFor[sampleJSON](), cli("stats", "--json", "--demo")},
		"stats-error": {reflect.TypeFor[sampleJSON](), func(t *testing.T) string {
			a := newApp()
			a.wrap = func(b backend.Backend) backend.Backend { return stoppedVM{b} }
			out, _, _ := runApp(t, a, "stats", "--json", "--demo")
			return out
		}},
		"event": {reflect.TypeFor[eventJSON](), func(t *testing.T) string {
			b, _ := json.Marshal(eventJSON{Type: "event"})
			return string(b)
		}},
		"ps":          {reflect.TypeFor[[]backend.Process](), cli("ps", "--json", "--demo")},
		"mounts":      {reflect.TypeFor[[]backend.Mount](), cli("mounts", "--json", "--demo")},
		"reclaim":     {reflect.TypeFor[reclaimJSON](), cli("reclaim", "--json", "--demo")},
		"trash":       {reflect.TypeFor[[]wsl.TrashEntry](), cli("trash", "list", "--json", "--backend", "wsl", "--wsl-exe", filepath.Join(t.TempDir(), "none.exe"))},
		"config-get":  {reflect.TypeFor[cfgSettingJSON](), cli("config", "get", "wsl2.memory", "--json", "--file", wslcfg)},
		"config-list": {reflect.TypeFor[cfgListOut](), cli("config", "list", "--json", "--file", wslcfg)},
		"doctor":      {reflect.TypeFor[doctor.Report](), cli("doctor", "--json", "--demo")},
		// install and manage run on the wsl backend over the double (manage_cmds_test.go).
		"install-list": {reflect.TypeFor[[]wslout.OnlineDistro](), cliDouble("install", "--list", "--json")},
		"install":      {reflect.TypeFor[wsl.InstallResult](), cliDouble("install", "Ubuntu-24.04", "--name", "dev", "--json")},
		"move":         {reflect.TypeFor[wsl.MoveResult](), cliDouble("move", "Ubuntu", `D:\wsl\Ubuntu`, "--yes", "--json")},
		"manage":       {reflect.TypeFor[manageJSON](), cliDouble("resize", "Ubuntu", "256GB", "--yes", "--json")},
		"compact":      {reflect.TypeFor[wsl.CompactResult](), cliDouble("compact", "Ubuntu", "--yes", "--json")},
		"df":           {reflect.TypeFor[[]dfRow](), cli("df", "--json", "--demo")},
		"ports":        {reflect.TypeFor[backend.Network](), cli("ports", "--json", "--demo")},
		"vms":          {reflect.TypeFor[backend.VMList](), cli("vms", "--json", "--demo")},
		// rename writes the registry (Windows only): the command's output over a stand-in backend.
		"rename": {reflect.TypeFor[wsl.RenameResult](), func(t *testing.T) string {
			a := newApp()
			a.wrap = func(b backend.Backend) backend.Backend { return renaming{b} }
			out, _, err := runApp(t, a, "rename", "Debian", "Debian-12", "--yes", "--json", "--demo")
			if err != nil {
				t.Fatal(err)
			}
			return out
		}},
	}

	readme := readREADME(t)
	blocks := regexp.MustCompile("(?s)<!-- json: ([a-z-]+) -->\n```json\n(.*?)```").FindAllStringSubmatch(readme, -1)
	documented := map[reflect.Type]map[string]bool{}
	seen := map[string]bool{}
	for _, b := range blocks {
		name, body := b[1], b[2]
		ex, ok := examples[name]
		if !ok {
			t.Errorf("README has a JSON example %q this test does not know", name)
			continue
		}
		seen[name] = true
		doc := keysOfJSON(t, "README example "+name, body)
		typeKeys := map[string]bool{}
		jsonTypeKeys(ex.typ, "", typeKeys)
		for k := range doc {
			if !typeKeys[k] {
				t.Errorf("README example %s documents %q, which the output never has", name, k)
			}
		}
		real := keysOfJSON(t, "the output for "+name, ex.real(t))
		for k := range real {
			if !doc[k] {
				t.Errorf("README example %s lacks %q, which the real output has", name, k)
			}
		}
		if documented[ex.typ] == nil {
			documented[ex.typ] = map[string]bool{}
		}
		for k := range doc {
			documented[ex.typ][k] = true
		}
	}
	for name, ex := range examples {
		if !seen[name] {
			t.Errorf("README has no JSON example %q (<!-- json: %s --> before a json block)", name, name)
			continue
		}
		typeKeys := map[string]bool{}
		jsonTypeKeys(ex.typ, "", typeKeys)
		for _, k := range sortedSet(typeKeys) {
			if !documented[ex.typ][k] {
				t.Errorf("no README example of %s shows %q", ex.typ, k)
				documented[ex.typ][k] = true // once
			}
		}
	}
}

// TestREADMENamesOnlyRealCommands: every `wsldash X` a code block of the README starts a line
// with (usage, examples) is a command.
func TestREADMENamesOnlyRealCommands(t *testing.T) {
	root := newRootCmd(newApp())
	var code strings.Builder
	for _, b := range regexp.MustCompile("(?s)```[a-z]*\n(.*?)```").FindAllStringSubmatch(readREADME(t), -1) {
		code.WriteString(b[1])
	}
	re := regexp.MustCompile(`(?m)^\s*wsldash((?: [a-z][a-z-]*)+)`)
	for _, m := range re.FindAllStringSubmatch(code.String(), -1) {
		words := strings.Fields(m[1])
		if words[0] == "version" {
			continue
		}
		checkMention(t, root, "README", words)
	}
}
