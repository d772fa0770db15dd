package main

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// wslScript returns the string constant name declared in package backend/wsl (any of its
// non-test files, so a script can move between files): the scripts the wsl backend really sends,
// so a change there that this stand-in cannot run fails here, on Linux, before
// scripts/test-windows ever runs. Concatenations of string constants are evaluated.
func wslScript(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "backend", "wsl")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	consts := map[string]ast.Expr{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
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
					if i < len(vs.Values) {
						consts[n.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	var eval func(e ast.Expr) string
	eval = func(e ast.Expr) string {
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind == token.STRING {
				s, err := strconv.Unquote(e.Value)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
		case *ast.Ident:
			if v, ok := consts[e.Name]; ok {
				return eval(v)
			}
		case *ast.ParenExpr:
			return eval(e.X)
		case *ast.BinaryExpr:
			if e.Op == token.ADD {
				return eval(e.X) + eval(e.Y)
			}
		}
		t.Fatalf("%s: not a string constant made of literals and constants: %T", name, e)
		return ""
	}
	v, ok := consts[name]
	if !ok {
		t.Fatalf("no const %s in package backend/wsl", name)
	}
	return eval(v)
}

// guest makes a guest root and returns the script with /proc/ and /etc/ pointed into it, as
// the wsl.exe double does. psi says whether /proc/pressure/memory exists.
func guest(t *testing.T, script string, psi bool) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"proc/meminfo": "MemTotal:       100 kB\nMemFree:         50 kB\n",
		// the cpu lines, then the rest; a cpu-looking line after the first other one is not a cpu line
		"proc/stat":   "cpu  1 2 3 4 0 0 0 0 0 0\ncpu0 1 2 3 4 0 0 0 0 0 0\nintr 99999 0\ncpu9 not-a-cpu-line\n",
		"proc/uptime": "12.50 20.00\n",
		"proc/1/stat": "1 (init) S 0 1 1 0 -1 4194560\n",
		"proc/1/status": "Name:\tinit\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\n" +
			"VmRSS:\t    1234 kB\nThreads:\t1\n",
		// a name with a newline: the first line of stat is cut, so it is read whole
		"proc/42/stat":   "42 (a b\nc) R 1 42 42 0 -1\n",
		"proc/42/status": "Name:\ta b\\nc\nUid:\t1000\t1000\t1000\t1000\n",
		// a name with a backslash and a ')' and '%': printed as is
		"proc/77/stat":   "77 (x\\n) %s) S 1 77 77\n",
		"proc/77/status": "Name:\tx\\\\n) %s)\nUid:\t0\t0\t0\t0\nVmRSS:\t  10 kB",
		// 99: a process that ended while being read (no stat); 100: no status
		"proc/99/README":      "no stat\n",
		"proc/100/stat":       "100 (kworker/0:1) I 2\n",
		"proc/self/mountinfo": "22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n23 22 0:5 / /proc rw - proc proc rw\n",
		"etc/passwd":          "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/bash\n",
		"proc/notapid/stat":   "x\n",
		"proc/.9/stat":        "9 (hidden) S 0\n",
	}
	if psi {
		files["proc/pressure/memory"] = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
	}
	for name, body := range files {
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

type result struct {
	out    string
	stderr string
	code   int
}

func standIn(args []string, stdin string) result {
	var out, errb strings.Builder
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return result{out.String(), errb.String(), code}
}

// realShells are the Linux shells the stand-in is compared with: Debian's sh (dash), and bash.
func realShells(t *testing.T) []string {
	var shs []string
	for _, sh := range []string{"dash", "bash", "busybox"} {
		if p, err := exec.LookPath(sh); err == nil {
			shs = append(shs, p)
		}
	}
	if len(shs) == 0 {
		t.Skip("no real shell here to compare with")
	}
	return shs
}

func real(t *testing.T, sh string, args []string, stdin string) result {
	t.Helper()
	argv := args
	if filepath.Base(sh) == "busybox" {
		argv = append([]string{"sh"}, args...)
	}
	cmd := exec.Command(sh, argv...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{out.String(), errb.String(), code}
}

// TestProbeScriptAsRealShells runs the real probe script on the same guest files and requests
// in the stand-in and in each real shell here: the bytes out and the exit status must be the same.
func TestProbeScriptAsRealShells(t *testing.T) {
	script := wslScript(t, "probeScript")
	for _, tc := range []struct {
		name, stdin string
		psi         bool
	}{
		{"the stream", "1 meminfo stat psi\n2 meminfo stat\n3 procs mounts\n4 self kind procs mounts fresh procs mounts\n", true},
		{"no PSI", "7 meminfo stat psi\n", false},
		{"another distro: one request, then EOF", "1 procs mounts\n", true},
		{"unknown and empty requests", "5 nosuch\n6\n8  meminfo   psi \n", true},
		{"a last request without its newline", "9 stat", true},
		{"no request", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := guest(t, script, tc.psi)
			args := []string{"-c", s, "wsldash-probe", "0123abcd"}
			got := standIn(args, tc.stdin)
			if got.stderr != "" {
				t.Fatalf("stand-in: exit %d, stderr %q", got.code, got.stderr)
			}
			for _, sh := range realShells(t) {
				want := real(t, sh, args, tc.stdin)
				if got.out != want.out || got.code != want.code {
					t.Errorf("stand-in and %s differ: exit %d and %d\nstand-in:\n%s\n%s:\n%s", sh, got.code, want.code, got.out, sh, want.out)
				}
			}
		})
	}
}

// TestProbeFrames pins what the comparison above proves, in case no real shell is installed.
func TestProbeFrames(t *testing.T) {
	s := guest(t, wslScript(t, "probeScript"), true)
	got := standIn([]string{"-c", s, "wsldash-probe", "n1"}, "1 meminfo stat\n2 procs\n3 procs mounts kind\n4 mounts fresh mounts\n")
	stats := "@@wsldash stats\n1 (init) S 0 1 1 0 -1 4194560\n100 (kworker/0:1) I 2\n42 (a b\nc) R 1 42 42 0 -1\n77 (x\\n) %s) S 1 77 77\n"
	mounts := "22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n23 22 0:5 / /proc rw - proc proc rw\n"
	want := "@@wsldash/n1 meminfo\nMemTotal:       100 kB\nMemFree:         50 kB\n" +
		"@@wsldash/n1 stat\ncpu  1 2 3 4 0 0 0 0 0 0\ncpu0 1 2 3 4 0 0 0 0 0 0\n@@wsldash/n1 end 1\n" +
		// the first listing: the status (Name, Uid) of every process, passwd, then every stat
		"@@wsldash/n1 procs\n@@wsldash uptime\n12.50 20.00\n" +
		"@@wsldash status 1\nName:\tinit\nUid:\t0\t0\t0\t0\n" +
		"@@wsldash status 42\nName:\ta b\\nc\nUid:\t1000\t1000\t1000\t1000\n" +
		"@@wsldash status 77\nName:\tx\\\\n) %s)\nUid:\t0\t0\t0\t0\n" +
		"@@wsldash passwd\nroot:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/bash\n" +
		stats + "@@wsldash/n1 end 2\n" +
		// the next: no status and no passwd for the processes seen; mounts in full the first time
		"@@wsldash/n1 procs\n@@wsldash uptime\n12.50 20.00\n" + stats +
		"@@wsldash/n1 mounts\n" + mounts + "@@wsldash/n1 kind\nsh\n@@wsldash/n1 end 3\n" +
		// then unchanged, and in full again after fresh
		"@@wsldash/n1 mounts\nunchanged\n@@wsldash/n1 fresh\n@@wsldash/n1 mounts\n" + mounts + "@@wsldash/n1 end 4\n"
	if got.out != want || got.code != 0 || got.stderr != "" {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s\nwant:\n%s", got.code, got.stderr, got.out, want)
	}
}

// failingWriter fails its writes once n bytes went through: the reader went away.
type failingWriter struct {
	b strings.Builder
	n int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.b.Len() >= f.n {
		return 0, errors.New("broken pipe")
	}
	return f.b.Write(p)
}

// TestProbeEndsWhenItsReaderGoes: a probe whose answers nobody reads ends (exit 1) at its next
// request instead of answering the rest.
func TestProbeEndsWhenItsReaderGoes(t *testing.T) {
	s := guest(t, wslScript(t, "probeScript"), true)
	out := &failingWriter{n: 1}
	var errb strings.Builder
	code := run([]string{"-c", s, "wsldash-probe", "n"}, strings.NewReader("1 meminfo\n2 meminfo\n3 meminfo\n"), out, &errb)
	if want := "@@wsldash/n meminfo\nMemTotal:       100 kB\nMemFree:         50 kB\n@@wsldash/n end 1\n"; code != 1 || out.b.String() != want {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, errb.String(), out.b.String())
	}
}

// TestKeepScriptsParse: the keep-alives (they sleep forever, so they are only parsed here).
func TestKeepScriptsParse(t *testing.T) {
	for _, name := range []string{"keepaliveScript", "keepScript"} {
		s := wslScript(t, name)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", name, r)
				}
			}()
			parseScript(s)
		}()
	}
}

func TestUnsupportedFailsLoudly(t *testing.T) {
	for _, script := range []string{
		"ls /proc", "if true; then echo x; fi", "while :; do echo x", "echo 'open", `echo "open`,
		"cat /proc/meminfo | cat", "sleep 1 &", "IFS=: ; echo x", "read l", `echo 'a\b'`,
		"printf '%d\\n' 1", "echo $?", "x=$((1+1))", "cat <<EOF", "for 1 in a; do :; done",
		"case x in a) echo a;; esac; echo ${x:-y}", "X=1 echo x", "echo x > out",
	} {
		got := standIn([]string{"-c", script}, "")
		if got.code != 2 || !strings.Contains(got.stderr, "stand-in") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the reason", script, got.code, got.stderr)
		}
	}
}

// TestSmallScriptsAsRealShells compares the constructs one at a time.
func TestSmallScriptsAsRealShells(t *testing.T) {
	for _, script := range []string{
		"echo ready; exit 3; echo never",
		"exec echo x; echo never",
		`a="x  y"; for w in $a '' "$a"; do printf '[%s]\n' "$w"; done`,
		`v=/a/b/c.d; echo "${v##*/} ${v#*/} ${v%/*} ${v%%/*}|$0|$1|$2|"`,
		`case "a)b" in *")"*) echo yes;; *) echo no;; esac`,
		`case abc in x|a*) echo 1;; *) echo 2;; esac; case z in a) echo n;; esac`,
		`false_=$(cat /nonexistent 2>/dev/null) || echo "failed [$false_]"`,
		`while read -r a b; do printf '<%s|%s>\n' "$a" "$b"; done; echo "end [$a] [$b]"`,
		`while IFS= read -r l; do printf '<%s>\n' "$l"; done`,
		`{ read -r x < /nonexistent; } 2>/dev/null || echo gone`,
		`for i in 1 2 3; do for j in a b; do case $j in b) continue;; esac; echo $i$j; done; case $i in 2) break;; esac; done`,
		`printf '%s-%s\n' a b c; printf 'x%%\n'`,
		`: && echo and; read -r q || echo or; echo "# not a comment" # a comment`,
	} {
		args := []string{"-c", script, "name", "arg1"}
		stdin := "  one  two three \nlast"
		got := standIn(args, stdin)
		if got.stderr != "" {
			t.Errorf("%q: stand-in: exit %d, stderr %q", script, got.code, got.stderr)
			continue
		}
		for _, sh := range realShells(t) {
			if want := real(t, sh, args, stdin); got.out != want.out || got.code != want.code {
				t.Errorf("%q: stand-in and %s differ: exit %d and %d\n%q\n%q", script, sh, got.code, want.code, got.out, want.out)
			}
		}
	}
}

// TestMemScriptAsRealShells: the memory view's per-distro look (memScript) runs the same in the
// stand-in and in each real shell here, for each cgroup layout WSL may give.
func TestMemScriptAsRealShells(t *testing.T) {
	script := wslScript(t, "memScript")
	layouts := map[string]map[string]string{
		"visible": {"proc/self/cgroup": "0::/wsl-user/distro-417/non-systemd\n",
			"sys/fs/cgroup/wsl-user/cgroup.type":               "domain\n",
			"sys/fs/cgroup/wsl-user/distro-417/memory.current": "167772160\n",
			"sys/fs/cgroup/wsl-user/distro-417/memory.stat":    "anon 1\nfile 2\n"},
		"namespaced": {"proc/self/cgroup": "0::/non-systemd\n",
			"sys/fs/cgroup/memory.current": "5\n", "sys/fs/cgroup/memory.stat": "anon 3\n"},
		"outside": {"proc/self/cgroup": "0::/init.scope\n", "sys/fs/cgroup/wsl-user/cgroup.type": "domain\n",
			"sys/fs/cgroup/memory.current": "5\n"},
		"none": {"proc/self/cgroup": "0::/\n"},
	}
	for name, files := range layouts {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			files["proc/1/statm"] = "1000 300 200 1 0 100 0\n"
			files["proc/42/statm"] = "5000 425 300 1 0 400 0\n"
			for p, body := range files {
				full := filepath.Join(root, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := filepath.ToSlash(root)
			s := strings.NewReplacer("/proc/", r+"/proc/", "/sys/", r+"/sys/").Replace(script)
			got := standIn([]string{"-c", s}, "")
			if got.stderr != "" || got.code != 0 || !strings.HasSuffix(got.out, "@@wsldash end\n") {
				t.Fatalf("stand-in: exit %d, stderr %q, out:\n%s", got.code, got.stderr, got.out)
			}
			if strings.Contains(got.out, "@@wsldash statm") != (name == "outside" || name == "none") {
				t.Errorf("statm (the estimate) only where the cgroup is not the distro's:\n%s", got.out)
			}
			for _, sh := range realShells(t) {
				want := real(t, sh, []string{"-c", s}, "")
				if got.out != want.out || got.code != want.code {
					t.Errorf("stand-in and %s differ: exit %d and %d\nstand-in:\n%s\n%s:\n%s", sh, got.code, want.code, got.out, sh, want.out)
				}
			}
		})
	}
}
