package main

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// wslScript returns the string constant name declared in backend/wsl/file: the scripts the wsl
// backend really sends, so a change there that this stand-in cannot run fails here, on Linux,
// before scripts/test-windows ever runs.
func wslScript(t *testing.T, file, name string) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "..", "..", "backend", "wsl", file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name != name {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					t.Fatalf("%s in %s is not a plain string literal", name, file)
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		}
	}
	t.Fatalf("no const %s in backend/wsl/%s", name, file)
	return ""
}

// guest makes a guest root and returns the script with /proc/ and /etc/ pointed into it, as
// the wsl.exe double does.
func guest(t *testing.T, script string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range map[string]string{
		"proc/meminfo":           "MemTotal: 100 kB\nMemFree: 50 kB\n",
		"proc/stat":              "cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 99999\ncpu9 not-a-cpu-line\n",
		"proc/pressure/memory":   "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
		"proc/uptime":            "12.5 20.0\n",
		"proc/1/stat":            "1 (init) S 0",
		"proc/1/status":          "Name:\tinit\n",
		"proc/42/stat":           "42 (a b) c) R 1",
		"proc/42/status":         "Name:\ta b) c\n",
		"proc/99/README":         "no stat: a process that ended while being read\n",
		"proc/self/mountinfo":    "22 1 8:32 / / rw - ext4 /dev/sdc rw\n",
		"etc/passwd":             "root:x:0:0:root:/root:/bin/bash\n",
		"proc/notapid/stat":      "x",
		"proc/sys/vm/overcommit": "0\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := filepath.ToSlash(root)
	return strings.NewReplacer("/proc/", r+"/proc/", "/etc/", r+"/etc/").Replace(script)
}

// frames fails its writes once n "@@wsldash end" lines went through: the reader went away.
type frames struct {
	b strings.Builder
	n int
}

func (f *frames) Write(p []byte) (int, error) {
	if strings.Count(f.b.String(), "@@wsldash end\n") >= f.n {
		return 0, errors.New("broken pipe")
	}
	return f.b.Write(p)
}

func TestProbeScript(t *testing.T) {
	s := guest(t, wslScript(t, "probe.go", "probeScript"))
	out := &frames{n: 2}
	var errb strings.Builder
	code := run([]string{"-c", s, "wsldash-probe", "0"}, out, &errb)
	frame := "@@wsldash meminfo\nMemTotal: 100 kB\nMemFree: 50 kB\n@@wsldash stat\ncpu  1 2 3 4\ncpu0 1 2 3 4\n" +
		"@@wsldash psi\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=0\n@@wsldash end\n"
	if got := out.b.String(); !strings.HasPrefix(got, frame+frame) || code != 1 || errb.Len() != 0 {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errb.String(), got)
	}
}

func TestProcScript(t *testing.T) {
	s := guest(t, wslScript(t, "guest.go", "procScript"))
	var out, errb strings.Builder
	code := run([]string{"-c", s}, &out, &errb)
	want := "@@wsldash passwd\nroot:x:0:0:root:/root:/bin/bash\n@@wsldash uptime\n12.5 20.0\n" +
		"@@wsldash pid 1\n1 (init) S 0\n@@wsldash status\nName:\tinit\n" +
		"@@wsldash pid 42\n42 (a b) c) R 1\n@@wsldash status\nName:\ta b) c\n@@wsldash end\n"
	if out.String() != want || code != 0 || errb.Len() != 0 {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", code, errb.String(), out.String(), want)
	}
}

func TestUnsupportedFailsLoudly(t *testing.T) {
	for _, script := range []string{"ls /proc", "if true; then echo x; fi", "while :; do echo x", "echo 'open"} {
		var out, errb strings.Builder
		if code := run([]string{"-c", script}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "stand-in") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the reason", script, code, errb.String())
		}
	}
}

func TestExecAndExit(t *testing.T) {
	var out, errb strings.Builder
	if code := run([]string{"-c", "echo ready; exit 3; echo never"}, &out, &errb); code != 3 || out.String() != "ready\n" {
		t.Fatalf("exit %d, stdout %q", code, out.String())
	}
}
