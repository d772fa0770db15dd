package tui

import (
	"fmt"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// cliCommands reads the real wsldash commands from cmd/wsldash's source (tui cannot import it):
// every `Use: "name …"`, and the names passed to the helpers that build commands from a use
// string (actionCmd, simpleManageCmd). It returns the top-level commands, each with its
// subcommands when it is a group, and every flag name.
func cliCommands(t *testing.T) (cmds map[string][]string, flags map[string]bool) {
	t.Helper()
	files, err := filepath.Glob("../cmd/wsldash/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cmd/wsldash source: %v", err)
	}
	var (
		use      = regexp.MustCompile(`Use:\s*"([a-z][a-z-]*)`)
		helper   = regexp.MustCompile(`\b(?:actionCmd|simpleManageCmd)\(a,\s*(?:[\w.]+,\s*)?"([a-z][a-z-]*)`)
		decl     = regexp.MustCompile(`(\w+) := &cobra\.Command\{\s*Use:\s*"([a-z][a-z-]*)`)
		adds     = regexp.MustCompile(`(\w+)\.AddCommand\(([^)]*)\)`)
		flagDecl = regexp.MustCompile(`\.(?:Bool|String|Int|Int64|Uint64|Duration|StringSlice|StringArray)(?:Var)?P?\((?:&[\w.]+,\s*)?"([a-z][a-z-]*)"`)
	)
	count := map[string]int{} // declarations of each name
	child := map[string]int{} // declarations that are a group's subcommand
	cmds = map[string][]string{}
	flags = map[string]bool{"help": true, "version": true} // cobra's own
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, m := range use.FindAllStringSubmatch(src, -1) {
			count[m[1]]++
		}
		for _, m := range helper.FindAllStringSubmatch(src, -1) {
			count[m[1]]++
		}
		for _, m := range flagDecl.FindAllStringSubmatch(src, -1) {
			flags[m[1]] = true
		}
		// A group: a command variable other than root that commands are added to, in the same file.
		vars := map[string]string{}
		for _, m := range decl.FindAllStringSubmatch(src, -1) {
			vars[m[1]] = m[2]
		}
		for _, m := range adds.FindAllStringSubmatch(src, -1) {
			group, ok := vars[m[1]]
			if !ok || group == "wsldash" {
				continue
			}
			for _, arg := range strings.Split(m[2], ",") {
				if sub, ok := vars[strings.TrimSpace(arg)]; ok {
					cmds[group] = append(cmds[group], sub)
					child[sub]++
				}
			}
		}
	}
	for name, n := range count {
		if name != "wsldash" && n > child[name] {
			if _, ok := cmds[name]; !ok {
				cmds[name] = nil
			}
		}
	}
	// cobra's own.
	cmds["help"] = nil
	cmds["completion"] = []string{"bash", "zsh", "fish", "powershell"}
	return cmds, flags
}

// The words that follow "wsldash" in tui's prose, where it is the program, not a command line.
var wsldashProse = map[string]bool{
	"quits": true, "is": true, "first": true, "checks": true, "started": true, "holds": true,
}

var (
	mention     = regexp.MustCompile(`\bwsldash ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?([^.;:)]*)`)
	flagMention = regexp.MustCompile("(?:^|[ `(])--([a-z][a-z-]*)")
	quotedFlag  = regexp.MustCompile("`--([a-z][a-z-]*)`")
)

// tuiStrings is every string literal in the source of tui and the packages that draw its
// screens, tests aside, with where it is.
func tuiStrings(t *testing.T) map[string]string {
	t.Helper()
	var files []string
	for _, glob := range []string{"*.go", "dialog/*.go", "chart/*.go"} {
		f, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f...)
	}
	out := map[string]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		var s scanner.Scanner
		s.Init(fset.AddFile(f, -1, len(src)), src, nil, 0)
		for {
			pos, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.STRING {
				if v, err := strconv.Unquote(lit); err == nil {
					out[v] = fset.Position(pos).String()
				}
			}
		}
	}
	return out
}

// badMentions is what s names that wsldash does not have: commands after "wsldash", a group's
// subcommand, flags after a command, and flags quoted as wsldash's own ("`--theme` overrides it").
func badMentions(s string, cmds map[string][]string, flags map[string]bool) (problems []string, named int) {
	for _, m := range mention.FindAllStringSubmatch(s, -1) {
		name, sub, rest := m[1], m[2], m[3]
		if wsldashProse[name] {
			continue
		}
		subs, ok := cmds[name]
		if !ok {
			problems = append(problems, "`wsldash "+name+"` is not a command (an English word after wsldash goes in wsldashProse)")
			continue
		}
		named++
		if len(subs) > 0 && !slices.Contains(subs, sub) {
			problems = append(problems, fmt.Sprintf("`wsldash %s %s`: %s's subcommands are %v", name, sub, name, subs))
		}
		for _, f := range flagMention.FindAllStringSubmatch(rest, -1) {
			if !flags[f[1]] {
				problems = append(problems, "`wsldash "+name+" … --"+f[1]+"`: no such flag")
			}
		}
	}
	for _, f := range quotedFlag.FindAllStringSubmatch(s, -1) {
		if !flags[f[1]] {
			problems = append(problems, "--"+f[1]+" is not a flag of wsldash")
		}
	}
	return problems, named
}

// Help texts, footers, flashes and dialogs never name a command or flag wsldash does not have.
func TestTextsNameRealCommands(t *testing.T) {
	cmds, flags := cliCommands(t)
	for _, want := range []string{"config", "trash", "doctor", "release", "compact", "terminate", "resize"} {
		if _, ok := cmds[want]; !ok {
			t.Fatalf("reading cmd/wsldash found no %q command: %v", want, cmds)
		}
	}
	if !slices.Contains(cmds["config"], "list") || !slices.Contains(cmds["trash"], "restore") {
		t.Fatalf("reading cmd/wsldash found no subcommands of config or trash: %v", cmds)
	}
	found := 0
	for s, at := range tuiStrings(t) {
		problems, named := badMentions(s, cmds, flags)
		found += named
		for _, p := range problems {
			t.Errorf("%s: %q: %s", at, s, p)
		}
	}
	if found == 0 {
		t.Fatal("found no command named in tui's strings: the scan is broken")
	}
}

// The scan itself catches a command, a subcommand and a flag that do not exist.
func TestCommandScanCatches(t *testing.T) {
	cmds, flags := cliCommands(t)
	for _, c := range []struct {
		s    string
		fail bool
	}{
		{"(wsldash config path)", true},
		{"run wsldash trash list", false},
		{"run wsldash trash bin", true},
		{"wsldash config", true},
		{"wsldash compact Debian", false},
		{"wsldash frobnicate", true},
		{"wsldash release NAME --yes", false},
		{"wsldash release NAME --nope", true},
		{"`--theme` overrides it", false},
		{"`--colour` overrides it", true},
		{"after wsldash quits", false},
	} {
		problems, _ := badMentions(c.s, cmds, flags)
		if (len(problems) > 0) != c.fail {
			t.Errorf("%q: problems %v, want failure %v", c.s, problems, c.fail)
		}
	}
}
