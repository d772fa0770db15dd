package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wsldash/wsldash/backend"
)

// The CLI behaves like a Unix tool (issue 9 item 6).

func TestUnknownSubcommandsAndArgumentsFail(t *testing.T) {
	for _, args := range [][]string{
		{"config", "path"}, {"trash", "nope"}, {"nope"}, {"list", "extra"}, {"stats", "extra"},
	} {
		_, _, err := run(t, append(args, "--demo")...)
		if err == nil || !strings.Contains(err.Error(), "unknown command") && !strings.Contains(err.Error(), "accepts") {
			t.Errorf("wsldash %s: err = %v, want an unknown-command error", strings.Join(args, " "), err)
		}
		if exitStatus(context.Background(), err) == 0 {
			t.Errorf("wsldash %s exits 0", strings.Join(args, " "))
		}
	}
	// A group without arguments is a usage error too (issue 22 item 7): see TestUsageErrorsExitNonZero.
}

func TestFlagsAreValidated(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"stats", "--count", "3"}, "--count needs --watch"},
		{[]string{"stats", "--watch", "--count", "-2"}, "--count -2"},
		{[]string{"ps", "-n", "-1"}, "-n/--limit -1"},
	} {
		_, _, err := run(t, append(c.args, "--demo")...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("wsldash %s: err = %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}

func TestErrorsNameTheirDistro(t *testing.T) {
	for _, verb := range []string{"start", "terminate", "set-default", "mounts", "ps"} {
		_, _, err := run(t, verb, "NoSuch", "--demo")
		if err == nil || !strings.Contains(err.Error(), "NoSuch") {
			t.Errorf("wsldash %s NoSuch: %v (must name the distro)", verb, err)
		}
	}
}

// TestHelpNamesOnlyRealCommands reads every command's help text and checks that each
// "wsldash X Y" it mentions is a command that exists.
func TestHelpNamesOnlyRealCommands(t *testing.T) {
	root := newRootCmd(newApp())
	// A command is named in quotes or backticks ("wsldash trash restore NAME") or in examples;
	// "wsldash shows…" in prose is the program, not a command.
	mention := regexp.MustCompile("[\"`]wsldash((?: [a-z][a-z-]*)+)")
	example := regexp.MustCompile(`(?m)^\s*wsldash((?: [a-z][a-z-]*)+)`)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		text := c.Short + "\n" + c.Long
		c.Flags().VisitAll(func(f *pflagFlag) { text += "\n" + f.Usage })
		ms := append(mention.FindAllStringSubmatch(text, -1), example.FindAllStringSubmatch(c.Example, -1)...)
		for _, m := range ms {
			checkMention(t, root, c.CommandPath(), strings.Fields(m[1]))
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if err := needTerminal(false, false, nil); err != nil {
		for _, m := range regexp.MustCompile("wsldash((?: [a-z][a-z-]*)+)").FindAllStringSubmatch(err.Error(), -1) {
			checkMention(t, root, "the no-terminal message", strings.Fields(m[1]))
		}
	}
}

// checkMention: the first word after "wsldash" must be a command; later words that are not
// arguments in capitals must be its subcommands.
func checkMention(t *testing.T, root *cobra.Command, where string, words []string) {
	t.Helper()
	c := root
	for i, w := range words {
		sub, _, err := c.Find([]string{w})
		if err != nil || sub == c {
			if i == 0 || c.HasSubCommands() && !c.Runnable() {
				t.Errorf("%s names \"wsldash %s\": %q is not a command of %q", where, strings.Join(words, " "), w, c.CommandPath())
			}
			return
		}
		c = sub
	}
}

type stoppedVM struct{ backend.Backend }

func (stoppedVM) Sample(ctx context.Context) (backend.Sample, error) {
	return backend.Sample{Host: &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 1 << 30, Note: "VM idle"}},
		&backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "no distro is running; the VM is stopped"}
}

// Issue 9 item 7: stats --json with the VM stopped prints the object with error and the host
// view, and exits 1.
func TestStatsJSONWithTheVMStopped(t *testing.T) {
	a := newApp()
	a.wrap = func(b backend.Backend) backend.Backend { return stoppedVM{b} }
	out, _, err := runApp(t, a, "stats", "--json", "--demo")
	if err == nil || exitStatus(context.Background(), err) != 1 {
		t.Fatalf("err = %v, want exit status 1", err)
	}
	var j map[string]any
	if jerr := json.Unmarshal([]byte(out), &j); jerr != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%q", jerr, out)
	}
	if !strings.Contains(j["error"].(string), "VM is stopped") || j["type"] != "sample" || j["time"] == "" {
		t.Errorf("object: %v", j)
	}
	if h, _ := j["host"].(map[string]any); h == nil || h["vm_process"] != "vmmemWSL" {
		t.Errorf("the host view is lost: %v", j["host"])
	}
}

func TestPSJSONRoundsCPU(t *testing.T) {
	out, _, err := run(t, "ps", "--json", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	var ps []struct {
		CPU float64 `json:"cpu_percent"`
	}
	if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps) == 0 {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, p := range ps {
		if s := strconvFloat(p.CPU); strings.Contains(s, ".") && len(s)-strings.Index(s, ".") > 2 {
			t.Errorf("cpu_percent %s is not rounded to 0.1", s)
		}
	}
}

func TestNoTerminalSaysUseASubcommand(t *testing.T) {
	a := newApp()
	a.terminal = func() error { return needTerminal(false, false, func() error { return errors.New("no tty") }) }
	_, _, err := runApp(t, a, "--demo")
	if err == nil || !strings.Contains(err.Error(), "use a subcommand") || strings.Contains(err.Error(), "TTY") {
		t.Errorf("err = %v", err)
	}
	if needTerminal(true, false, func() error { return nil }) != nil || needTerminal(true, true, nil) != nil {
		t.Error("a terminal on stdout with /dev/tty or a terminal stdin is enough")
	}
	if needTerminal(false, true, nil) == nil || needTerminal(true, false, func() error { return errors.New("x") }) == nil {
		t.Error("no terminal on stdout, or no way to read keys, must be refused")
	}
}

func TestInterruptedSaysWhatItLeftAndExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	gone := filepath.Join(dir, "gone.tar")
	err := interrupted(ctx, "export", gone, distroErr("export", "Debian", context.Canceled))
	if err == nil || err.Error() != "export cancelled, partial file removed" || exitStatus(ctx, err) != 130 {
		t.Errorf("removed: %v (status %d)", err, exitStatus(ctx, err))
	}
	left := filepath.Join(dir, "left.tar")
	os.WriteFile(left, []byte("x"), 0o644)
	if err := interrupted(ctx, "export", left, context.Canceled); err == nil || !strings.Contains(err.Error(), "partial file left at "+left) {
		t.Errorf("left: %v", err)
	}
	// Not cancelled: the error passes through with status 1.
	other := errors.New("boom")
	if got := interrupted(context.Background(), "export", gone, other); got != other || exitStatus(context.Background(), got) != 1 {
		t.Errorf("uncancelled: %v", got)
	}
	// Any command ended by Ctrl-C exits 130.
	if exitStatus(ctx, context.Canceled) != 130 {
		t.Error("a cancelled command must exit 130")
	}
}

type pflagFlag = pflag.Flag

func strconvFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
