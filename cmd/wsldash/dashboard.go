package main

import (
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/tui"
)

// runDashboard opens the TUI on the chosen backend.
func runDashboard(cmd *cobra.Command, a *app) error {
	// The dashboard waits on I/O and a frame timer; one P keeps the Go scheduler from spinning a
	// second thread up on every wake-up: ~0.9% -> ~0.7% of a core idle (tui-overhead, 120x40).
	runtime.GOMAXPROCS(1)
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
