package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
)

// The CLI's one confirmation scheme, for the commands that stop a distro to change its disk or
// registration (move, resize, sparse, rename) or take it out of WSL (unregister, trash purge):
// on a terminal they ask on stderr; --yes answers for scripts; with neither, nothing is done.
// What takes a distro out of WSL asks for its name, typed exactly, as the dashboard does; the
// others ask y/N. compact is a dry run without --yes, so it never asks; terminate and shutdown
// act at once, as wsl.exe's own verbs do.

// confirmation is what a command asks before it acts on distro.
type confirmation struct {
	distro   string
	question string // "Stop Ubuntu and move its disk to D:\wsl?"
	// typeName: the answer is the distro's name, typed exactly, not y.
	typeName bool
}

// yesUsage is --yes's help on every command that asks.
const yesUsage = "do not ask: confirm (for scripts)"

// confirm asks c on cmd's terminal unless yes.
func confirm(cmd *cobra.Command, yes bool, c confirmation) error {
	interactive := false
	if f, ok := cmd.InOrStdin().(*os.File); ok {
		interactive = wslIsTerminal(f)
	}
	return ask(cmd.InOrStdin(), cmd.ErrOrStderr(), commandName(cmd), yes, interactive, c)
}

// commandName is cmd's path under the root: "trash purge".
func commandName(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// ask is confirm on in and out; interactive says whether in is a terminal to ask on.
func ask(in io.Reader, out io.Writer, op string, yes, interactive bool, c confirmation) error {
	if yes {
		return nil
	}
	if !interactive {
		return c.refuse(op, "not a terminal: pass --yes to confirm ("+c.question+")")
	}
	if c.typeName {
		fmt.Fprintf(out, "%s\nType %s to confirm: ", c.question, c.distro)
	} else {
		fmt.Fprintf(out, "%s [y/N] ", c.question)
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	return c.check(op, strings.TrimRight(line, "\r\n"))
}

// check accepts answer: y or yes, or with typeName the distro's name exactly (no other case, no
// blanks: a name typed by habit must be the right one).
func (c confirmation) check(op, answer string) error {
	if c.typeName {
		if answer == c.distro {
			return nil
		}
		if answer != "" {
			return c.refuse(op, fmt.Sprintf("%q is not %q exactly; nothing was done", answer, c.distro))
		}
	} else if a := strings.ToLower(strings.TrimSpace(answer)); a == "y" || a == "yes" {
		return nil
	}
	return c.refuse(op, "not confirmed; nothing was done")
}

func (c confirmation) refuse(op, msg string) error {
	return &backend.Error{Kind: backend.KindPermission, Op: op, Distro: c.distro, Message: msg}
}
