package main

import (
	"time"

	"github.com/spf13/cobra"
)

// app holds the global flags and opens the chosen backend.
type app struct {
	backendName string        // auto|wsl|local|demo
	demo        bool          // --demo
	refresh     time.Duration // --refresh
	wslExe      string        // --wsl-exe
	json        bool          // --json (per command)
}

func newApp() *app { return &app{backendName: "auto", refresh: time.Second} }

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "wsldash",
		Short:         "A terminal dashboard for WSL2",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.backendName, "backend", a.backendName, "backend: auto, wsl, local or demo")
	pf.BoolVar(&a.demo, "demo", false, "use the simulated WSL host (same as --backend demo)")
	pf.DurationVar(&a.refresh, "refresh", a.refresh, "refresh interval (250ms, 1s, 5s)")
	pf.StringVar(&a.wslExe, "wsl-exe", "", "path of wsl.exe (default: $WSLDASH_WSL_EXE, PATH, then the standard place)")
	addWSLCommands(root, a)
	addConfigCommands(root, a)
	return root
}
