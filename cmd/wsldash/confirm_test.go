package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
)

func TestAsk(t *testing.T) {
	yn := confirmation{distro: "Ubuntu", question: "Stop Ubuntu?"}
	typed := confirmation{distro: "Ubuntu", question: "Move Ubuntu to the trash?", typeName: true}
	cases := []struct {
		c           confirmation
		in          string
		yes         bool
		interactive bool
		ok          bool
	}{
		{c: yn, yes: true, ok: true},
		{c: typed, yes: true, ok: true},
		{c: yn},    // no terminal, no --yes
		{c: typed}, // the same
		{c: yn, in: "y\n", interactive: true, ok: true},
		{c: yn, in: " Yes\r\n", interactive: true, ok: true},
		{c: yn, in: "n\n", interactive: true},
		{c: yn, in: "", interactive: true},
		{c: typed, in: "Ubuntu\n", interactive: true, ok: true},
		{c: typed, in: "Ubuntu\r\n", interactive: true, ok: true},
		{c: typed, in: "Ubuntu", interactive: true, ok: true}, // no newline before the end
		{c: typed, in: "ubuntu\n", interactive: true},
		{c: typed, in: "Ubuntu \n", interactive: true},
		{c: typed, in: "y\n", interactive: true},
		{c: typed, in: "", interactive: true},
	}
	for _, c := range cases {
		var out bytes.Buffer
		err := ask(strings.NewReader(c.in), &out, "op", c.yes, c.interactive, c.c)
		if (err == nil) != c.ok {
			t.Errorf("%+v: err = %v", c, err)
		}
		if err != nil && backend.KindOf(err) != backend.KindPermission {
			t.Errorf("%+v: kind %v", c, backend.KindOf(err))
		}
		if !c.interactive && !c.yes && (err == nil || !strings.Contains(err.Error(), "pass --yes")) {
			t.Errorf("%+v: without a terminal: %v", c, err)
		}
		prompt := "[y/N]"
		if c.c.typeName {
			prompt = "Type Ubuntu to confirm"
		}
		if asked := out.String() != ""; asked != (c.interactive && !c.yes) || asked && !strings.Contains(out.String(), prompt) {
			t.Errorf("%+v: prompt %q", c, out.String())
		}
	}
}

// Every command that asks refuses without a terminal and without --yes, does nothing, and says
// to pass --yes; each has --yes with the same help.
func TestDestructiveCommandsConfirm(t *testing.T) {
	asking := map[string][]string{
		"unregister":  {"unregister", "Debian"},
		"trash purge": {"trash", "purge", "Debian"},
		"move":        {"move", "Debian", `D:\wsl\d`},
		"resize":      {"resize", "Debian", "256GB"},
		"sparse":      {"sparse", "Debian", "on"},
		"rename":      {"rename", "Debian", "Debian-12"},
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, s := range c.Commands() {
			walk(s)
		}
		f := c.Flags().Lookup("yes")
		name := commandName(c)
		if f == nil || name == "compact" { // compact: --yes runs it, without it is a dry run
			return
		}
		if f.Usage != yesUsage {
			t.Errorf("%s --yes: %q", name, f.Usage)
		}
		args := asking[name]
		if args == nil {
			t.Errorf("%s has --yes: add it to this test", name)
			return
		}
		out, _, err := run(t, append(args, "--demo")...)
		if backend.KindOf(err) != backend.KindPermission || !strings.Contains(err.Error(), "pass --yes") || strings.Contains(out, "Debian") {
			t.Errorf("%s without --yes: %v\n%s", name, err, out)
		}
		delete(asking, name)
	}
	walk(newRootCmd(newApp()))
	for name := range asking {
		t.Errorf("%s does not ask (no --yes)", name)
	}
	// unregister's old --yes-i-typed NAME still works, with the exact name only.
	if _, _, err := run(t, "unregister", "Debian", "--yes-i-typed", "debian", "--demo"); backend.KindOf(err) != backend.KindPermission {
		t.Errorf("--yes-i-typed with another name: %v", err)
	}
	if out, _, err := run(t, "unregister", "Debian", "--yes-i-typed", "Debian", "--demo"); err != nil || !strings.Contains(out, "Debian unregistered") {
		t.Errorf("--yes-i-typed with the name: %v %s", err, out)
	}
	if out, _, err := run(t, "unregister", "Debian", "--yes", "--demo"); err != nil || !strings.Contains(out, "Debian unregistered") {
		t.Errorf("unregister --yes: %v %s", err, out)
	}
}
