package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// The CLI behaves like a Unix tool: unknown subcommands and arguments are errors (exit 1), every
// error about a distro names it, and an interrupted command exits 130 saying what it left behind.

// groupRunE is the RunE of a command that only groups subcommands (config, trash): without
// without a subcommand, or with an unknown one (with cobra's suggestions), it is a usage error
// (exit 1) that lists its subcommands; it never does nothing with exit 0.
func groupRunE(cmd *cobra.Command, args []string) error {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	help := fmt.Sprintf("%s: %s (see %s --help)", cmd.Name(), strings.Join(names, ", "), cmd.CommandPath())
	if len(args) == 0 {
		return errors.New("give a command to " + help)
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return fmt.Errorf("%s\nthe commands of %s", msg, help)
}

// exitError carries a non-default exit status to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitInterrupted is the status of a command ended by Ctrl-C (128 + SIGINT), as a shell reports it.
const exitInterrupted = 130

// interrupted turns the error of a command that ctx's cancellation (Ctrl-C) ended into "op
// cancelled" with exit status 130, saying whether the partial file (if any) is gone. Other
// errors pass through.
func interrupted(ctx context.Context, op, partial string, err error) error {
	if err == nil || ctx.Err() == nil || !errors.Is(err, context.Canceled) && !errors.Is(err, ctx.Err()) {
		return err
	}
	msg := op + " cancelled"
	if partial != "" {
		if _, statErr := os.Lstat(partial); errors.Is(statErr, os.ErrNotExist) {
			msg += ", partial file removed"
		} else {
			msg += ", partial file left at " + partial
		}
	}
	return &exitError{code: exitInterrupted, err: errors.New(msg)}
}

// exitStatus is the process's exit status for the error a command returned: 0 for none, the
// exitError's code, 130 for any command Ctrl-C ended, else 1.
func exitStatus(ctx context.Context, err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return 1
}

// needTerminal is the dashboard's check before it starts: it draws on stdout and reads keys
// from stdin or the controlling terminal. Without them it says what to use instead of Bubble
// Tea's "could not open TTY".
func needTerminal(stdoutTTY, stdinTTY bool, openTTY func() error) error {
	if stdoutTTY && (stdinTTY || openTTY == nil || openTTY() == nil) {
		return nil
	}
	return errors.New("no terminal: the dashboard needs one to draw in. For scripts, use a subcommand: " +
		"wsldash list --json, wsldash stats --json [--watch], wsldash ps --json, wsldash doctor --json (all: wsldash --help)")
}

// checkStatsFlags refuses --count without --watch (a single sample has no count) and a
// negative count.
func checkStatsFlags(cmd *cobra.Command, watch bool, count int) error {
	if cmd.Flags().Changed("count") && !watch {
		return errors.New("--count needs --watch: without it stats prints one sample")
	}
	if count < 0 {
		return fmt.Errorf("--count %d: give 0 (until interrupted) or a positive number", count)
	}
	return nil
}
