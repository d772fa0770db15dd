package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/themes"
	"github.com/wsldash/wsldash/tui"
)

// runDashboard opens the TUI on the chosen backend.
func runDashboard(cmd *cobra.Command, a *app) error {
	// The dashboard waits on I/O and a frame timer; one P keeps the Go scheduler from spinning a
	// second thread up on every wake-up: ~0.9% -> ~0.7% of a core idle (tui-overhead, 120x40).
	runtime.GOMAXPROCS(1)
	if a.theme != "" { // before the terminal check: a typo is the answer, not "no terminal"
		if _, err := themes.Get(a.theme, true); err != nil {
			return fmt.Errorf("--theme: %w", err)
		}
	}
	check := a.terminal
	if check == nil {
		check = realTerminal
	}
	if err := check(); err != nil {
		return err
	}
	b, err := a.open(cmd.Context())
	if err != nil {
		return err
	}
	defer b.Close()
	clk, err := a.clock()
	if err != nil {
		return err
	}
	var refresh = a.refresh
	if !cmd.Flags().Changed("refresh") {
		refresh = 0 // the config file's, else 1s
	}
	return tui.Run(cmd.Context(), tui.Options{
		Backend: b,
		Refresh: refresh,
		Theme:   a.theme,
		NoColor: os.Getenv("NO_COLOR") != "",
		Clock:   clk,
	})
}

// realTerminal is needTerminal for this process: Bubble Tea reads keys from stdin when it is a
// terminal, else from the controlling terminal (/dev/tty; the console on Windows).
func realTerminal() error {
	var openTTY func() error
	if runtime.GOOS != "windows" {
		openTTY = func() error {
			f, err := os.Open("/dev/tty")
			if err == nil {
				f.Close()
			}
			return err
		}
	}
	return needTerminal(term.IsTerminal(os.Stdout.Fd()), term.IsTerminal(os.Stdin.Fd()), openTTY)
}
