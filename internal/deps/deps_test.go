package deps

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const mod = "github.com/wsldash/wsldash"

// pkg is one package of the module as go list sees it for one GOOS.
type pkg struct {
	path    string // relative to the module: "backend/wsl", "tui"
	imports []string
	deps    []string // transitive
}

// list runs go list over the whole module for goos.
func list(t *testing.T, goos string) []pkg {
	t.Helper()
	statSources(t)
	cmd := exec.Command("go", "list", "-e", "-f",
		`{{.ImportPath}}|{{join .Imports " "}}|{{join .Deps " "}}`, mod+"/...")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list (GOOS=%s): %v\n%s", goos, err, stderr.String())
	}
	var pkgs []pkg
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 3 {
			t.Fatalf("go list line %q: want 3 fields", sc.Text())
		}
		pkgs = append(pkgs, pkg{
			path:    strings.TrimPrefix(strings.TrimPrefix(f[0], mod), "/"),
			imports: strings.Fields(f[1]),
			deps:    strings.Fields(f[2]),
		})
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list (GOOS=%s) found %d packages: is the test run inside the module?", goos, len(pkgs))
	}
	return pkgs
}

// statSources stats every Go file and go.mod of the module. go test caches a result by the files
// the test itself touched, not those its go list child read; stat'ing them makes an edit anywhere
// in the module run this test again instead of replaying an old pass.
func statSources(t *testing.T) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "dist") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") {
			_, err = os.Stat(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rule forbids the packages under a prefix from reaching some import paths.
type rule struct {
	under  []string // module-relative package path prefixes it applies to ("backend" covers backend/...)
	except []string // packages under those prefixes it does not apply to
	direct bool     // true: only the package's own imports; false: everything it links
	forbid []string // import path prefixes ("os" forbids os and os/...; "os/" only the latter)
	why    string
}

var rules = []rule{
	{
		under: []string{"backend"},
		forbid: []string{mod + "/tui", mod + "/themes", mod + "/cmd",
			"charm.land/bubbletea", "charm.land/lipgloss", "charm.land/bubbles"},
		why: "a backend serves any front end (the TUI, the CLI, a future GUI): it never links the TUI, themes, Bubble Tea or Lip Gloss",
	},
	{
		under:  []string{"themes"},
		forbid: []string{mod + "/tui", mod + "/backend", mod + "/cmd", "charm.land/bubbletea", "charm.land/bubbles"},
		why:    "themes are palettes and styles over Lip Gloss, knowing nothing of the panes or the data",
	},
	{
		under:  []string{"tui/chart"},
		except: []string{"tui/chart/internal/demo"},
		direct: true,
		forbid: []string{"os", "net", "io", "syscall", "charm.land/bubbletea", "charm.land/bubbles", mod + "/backend", mod + "/tui/"},
		why:    "tui/chart is a pure renderer: numbers in, a string out; no I/O, no model, no domain types",
	},
	{
		under:  []string{"internal/units"},
		direct: true,
		forbid: []string{"os", "net", "io", "syscall", "charm.land", "github.com", mod},
		why:    "units is pure formatting shared by every front end: the standard library's numbers and strings only",
	},
	{
		under:  []string{"tui"},
		except: []string{"tui/internal/devmain"},
		forbid: []string{mod + "/cmd", mod + "/backend/wsl", mod + "/backend/local", mod + "/backend/demo",
			mod + "/backend/winhost", mod + "/backend/hostview"},
		why: "the TUI knows a backend only through the backend.Backend interface and its optional capabilities; cmd picks the backend",
	},
}

func (r rule) applies(p string) bool {
	for _, e := range r.except {
		if p == e {
			return false
		}
	}
	for _, u := range r.under {
		if p == u || strings.HasPrefix(p, u+"/") {
			return true
		}
	}
	return false
}

// matches reports whether import path imp falls under prefix.
func matches(imp, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(imp, prefix)
	}
	return imp == prefix || strings.HasPrefix(imp, prefix+"/")
}

// violations checks pkgs against rules.
func violations(pkgs []pkg, rules []rule) []string {
	var bad []string
	for _, p := range pkgs {
		for _, r := range rules {
			if !r.applies(p.path) {
				continue
			}
			reach := p.deps
			if r.direct {
				reach = p.imports
			}
			for _, imp := range reach {
				for _, f := range r.forbid {
					if matches(imp, f) && imp != mod+"/"+p.path {
						bad = append(bad, p.path+" → "+imp+": "+r.why)
					}
				}
			}
		}
	}
	return bad
}

func TestDependencyRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list over the module")
	}
	for _, goos := range []string{"linux", "windows"} {
		t.Run(goos, func(t *testing.T) {
			pkgs := list(t, goos)
			seen := map[string]bool{}
			for _, p := range pkgs {
				seen[p.path] = true
			}
			// The rules must still name real packages, or they guard nothing.
			for _, want := range []string{"backend", "backend/wsl", "themes", "tui", "tui/chart", "internal/units"} {
				if !seen[want] {
					t.Errorf("package %s is gone: update the rules in this test and ARCHITECTURE.md", want)
				}
			}
			for _, v := range violations(pkgs, rules) {
				t.Error(v)
			}
		})
	}
}

// TestRulesCatchAViolation shows the checker is not vacuous: a made-up backend package that links
// Bubble Tea, and a chart that opens files, are both reported.
func TestRulesCatchAViolation(t *testing.T) {
	pkgs := []pkg{
		{path: "backend/x", deps: []string{"fmt", "charm.land/bubbletea/v2"}},
		{path: "tui/chart", imports: []string{"math", "os"}},
		{path: "tui/chart", imports: []string{"math", "osx"}}, // not os: allowed
		{path: "tui", deps: []string{mod + "/backend", mod + "/backend/demo"}},
		{path: "tui/internal/devmain", deps: []string{mod + "/backend/demo"}}, // excepted
	}
	got := violations(pkgs, rules)
	if len(got) != 3 {
		t.Fatalf("violations = %d, want 3 (backend→bubbletea, chart→os, tui→demo):\n%s", len(got), strings.Join(got, "\n"))
	}
}
