package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// TestMessagesAndFlags: what the CLI says names wsldash's own commands and flags, errors have one
// prefix, negative numbers are values, flags agree with config.toml, usage errors exit non-zero,
// and config set --file respects the file (issue 22 items 6, 7 and 8).
func TestMessagesAndFlags(t *testing.T) {
	ro := filepath.Join(t.TempDir(), ".wslconfig")
	if err := os.WriteFile(ro, []byte("[wsl2]\nmemory=4GB\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "nonexistent", ".wslconfig")
	for _, c := range []struct {
		name   string
		double bool     // on the wsl backend over the wsl.exe double, else as given
		args   []string // --demo is not added
		want   []string // in the error
		not    []string // not in the error
		out    string   // in stdout, when the command succeeds (want empty)
		notOut string
	}{
		// 6: wsldash's own words.
		{name: "sparse names wsldash's flag", double: true, args: []string{"sparse", "Ubuntu", "on", "--yes"},
			want: []string{"wsldash sparse Ubuntu on --allow-unsafe"}, not: []string{"wsl.exe --manage"}},
		{name: "import help has no --vhd", args: []string{"import", "--help"}, out: "extension", notOut: "--vhd"},
		{name: "unregister checks the distro before asking", double: true, args: []string{"unregister", "Nope"},
			want: []string{"unregister Nope: no such distro"}, not: []string{"--yes"}},
		{name: "one prefix (local start)", args: []string{"--backend", "local", "start", "X"},
			want: []string{"start X: this machine has no WSL distros"}, not: []string{"start X: start:"}},
		{name: "one prefix (ports)", args: []string{"--demo", "ports", "Nope"}, want: []string{"ports Nope: "}},
		{name: "one prefix (clone's new name)", double: true, args: []string{"clone", "Ubuntu", "docker-desktop"},
			want: []string{"clone Ubuntu: a distro named docker-desktop already exists"}, not: []string{"clone docker-desktop:"}},
		{name: "negative size is a value", args: []string{"--demo", "resize", "Debian", "-1"},
			want: []string{`resize Debian: size "-1"`}, not: []string{"shorthand", "not a terminal"}},
		{name: "negative memory is a value", args: []string{"config", "set", "--file", filepath.Join(t.TempDir(), "c"), "wsl2.memory", "-5GB"},
			want: []string{"-5GB: a size has no sign"}, not: []string{"shorthand"}},
		{name: "ps -n abc is a sentence", args: []string{"--demo", "ps", "-n", "abc"},
			want: []string{`-n/--limit "abc": give a whole number`}, not: []string{"strconv"}},
		{name: "a negative flag value stays the flag's", args: []string{"--demo", "ps", "-n", "-1"},
			want: []string{"-n/--limit -1: give 0 (all) or a positive number"}},
		// 7: flags that agree.
		{name: "refresh below config.toml's bound", args: []string{"--demo", "--refresh", "50ms", "list"},
			want: []string{"--refresh 50ms out of range (100ms to 1h0m0s)"}},
		{name: "refresh above config.toml's bound", args: []string{"--demo", "--refresh", "2h", "list"},
			want: []string{"out of range (100ms to 1h0m0s)"}},
		{name: "theme after a command", args: []string{"--demo", "list", "--theme", "nord"}, want: []string{"--theme is the dashboard's flag"}},
		{name: "unknown theme", args: []string{"--demo", "--theme", "bogus"}, want: []string{`unknown theme "bogus"`}, not: []string{"terminal"}},
		{name: "help bogus", args: []string{"help", "bogus"}, want: []string{`unknown help topic "bogus"`}},
		{name: "trash alone", args: []string{"--demo", "trash"}, want: []string{"give a command to trash: list, purge, restore"}},
		{name: "config alone", args: []string{"config"}, want: []string{"give a command to config: get, list, set"}},
		{name: "completion alone", args: []string{"completion"}, want: []string{"give a command to completion: bash"}},
		{name: "wsl-exe under auto", args: []string{"--wsl-exe", "/nonexistent", "list"},
			want: []string{"--wsl-exe is only for the wsl backend", "local backend", "--backend wsl"}},
		{name: "wsl-exe with the demo", args: []string{"--demo", "--wsl-exe", "/nonexistent", "list"}, want: []string{"--wsl-exe is only for the wsl backend"}},
		// 8: config set --file.
		{name: "read-only file", args: []string{"config", "set", "--file", ro, "wsl2.memory", "8GB"},
			want: []string{ro + " is read-only"}},
		{name: "missing folder", args: []string{"config", "set", "--file", missing, "wsl2.memory", "8GB"},
			want: []string{missing + ": its folder"}, not: []string{".tmp"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if c.double {
				exe, _ := fakeWSL(t, "")
				args = append([]string{"--backend", "wsl", "--wsl-exe", exe}, args...)
			}
			out, _, err := run(t, args...)
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("wsldash %v: %v", args, err)
				}
				if !strings.Contains(out, c.out) || c.notOut != "" && strings.Contains(out, c.notOut) {
					t.Errorf("wsldash %v printed:\n%s\nwant %q, not %q", args, out, c.out, c.notOut)
				}
				return
			}
			if err == nil || exitStatus(context.Background(), err) == 0 {
				t.Fatalf("wsldash %v: err %v, want a failure (exit non-zero)", args, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("wsldash %v: %q lacks %q", args, err, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(err.Error(), n) {
					t.Errorf("wsldash %v: %q has %q", args, err, n)
				}
			}
		})
	}
	if b, _ := os.ReadFile(ro); string(b) != "[wsl2]\nmemory=4GB\n" {
		t.Errorf("the read-only file was changed: %q", b)
	}
}

// TestWSLAdviceInOurWords: wsl.exe's "Use --name" (wsldash's import, clone and restore take the
// name as an argument) and its --allow-unsafe command are said as wsldash says them.
func TestWSLAdviceInOurWords(t *testing.T) {
	for _, c := range []struct {
		op, name, msg string
		want, not     string
	}{
		{"import", "Debian", "A distribution with the supplied name already exists. Use --name to choose a different name.",
			"import Debian: A distribution with the supplied name already exists. Choose another name for the new distro.", "--name"},
		{"sparse", "Debian", "To force a distribution to use a sparse VHD, please run: wsl.exe --manage Debian --set-sparse true --allow-unsafe",
			"run wsldash sparse Debian on --allow-unsafe", "wsl.exe --manage"},
		{"start", "X", "There is no distribution with the supplied name.", "start X: There is no distribution", "start X: start"},
	} {
		err := distroErr(c.op, c.name, &backend.Error{Kind: backend.KindFailed, Op: c.op, Message: c.msg, Code: "Wsl/X"})
		if got := err.Error(); !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%s: %q, want %q and no %q", c.op, got, c.want, c.not)
		}
		if backend.KindOf(err) != backend.KindFailed {
			t.Errorf("%s: the kind is lost: %v", c.op, backend.KindOf(err))
		}
	}
}

// TestNegativeValues: the rewrite keeps the command path and flags (with their values) and puts
// the arguments after "--" only when one is a negative number.
func TestNegativeValues(t *testing.T) {
	root := newRootCmd(newApp())
	for _, c := range []struct{ in, want string }{
		{"resize Debian -1 --yes", "resize --yes -- Debian -1"},
		{"--demo config set --file f wsl2.memory -5GB", "config set --demo --file f -- wsl2.memory -5GB"},
		{"ps -n -1", "ps -n -1"},
		{"stats --count -1 -w", "stats --count -1 -w"},
		{"resize Debian 1GB", "resize Debian 1GB"},
		{"resize Debian -- -1", "resize Debian -- -1"},
	} {
		if got := strings.Join(negativeValues(root, strings.Fields(c.in)), " "); got != c.want {
			t.Errorf("%q -> %q, want %q", c.in, got, c.want)
		}
	}
}

// A distro action says what is true after it, as the dashboard's flash line does, and the demo
// says that it is simulated (on stderr, so scripts reading stdout see the same line).
func TestActionsSayWhatTheyDid(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"start", "Debian", "--demo"}, "Debian is running\n"},
		{[]string{"terminate", "Ubuntu-24.04", "--demo"}, "Ubuntu-24.04 is stopped\n"},
		{[]string{"set-default", "Debian", "--demo"}, "Debian is the default now\n"},
	} {
		out, errOut, err := run(t, tc.args...)
		if err != nil {
			t.Fatalf("wsldash %v: %v\n%s", tc.args, err, errOut)
		}
		if !strings.HasPrefix(out, tc.want) {
			t.Errorf("wsldash %v printed %q, want it to start with %q", tc.args, out, tc.want)
		}
		if !strings.Contains(errOut, "simulated") {
			t.Errorf("wsldash %v on the demo does not say it is simulated: %q", tc.args, errOut)
		}
	}
}
