package main

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/demo"
	"github.com/wsldash/wsldash/backend/local"
	"github.com/wsldash/wsldash/backend/sampler"
	"github.com/wsldash/wsldash/themes"
	"github.com/wsldash/wsldash/tui"
)

// app holds the global flags and opens the chosen backend.
type app struct {
	backendName string        // auto|wsl|local|demo
	demo        bool          // --demo
	refresh     time.Duration // --refresh
	wslExe      string        // --wsl-exe
	theme       string        // --theme
	json        bool          // --json (per command)
	demoEpoch   string        // --demo-epoch (hidden): the demo's clock starts at this time
	clk         sampler.Clock

	// Seams for tests: the demo's clock and wait, and where output goes.
	demoOptions func() demo.Options
	insideWSL   func() bool
	terminal    func() error // nil = realTerminal: the dashboard's check for a terminal
	// wrap, when set, wraps the opened backend (tests stop its VM, slow it down).
	wrap func(backend.Backend) backend.Backend
}

func newApp() *app {
	return &app{backendName: "auto", refresh: time.Second}
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "wsldash",
		Short: "A terminal dashboard for WSL2: distros, VM memory and reclaim, mounts, processes",
		Long: `wsldash shows your WSL2 distros, the VM's memory and CPU over time as Windows and Linux see
them, when memory comes back (and why it doesn't), mounts and processes; start, stop and reclaim
from the keyboard. Without a subcommand it opens the dashboard.`,
		Version:       currentVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDashboard(cmd, a)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.backendName, "backend", a.backendName, "backend: auto, wsl, local or demo")
	pf.BoolVar(&a.demo, "demo", false, "use the simulated WSL host (same as --backend demo)")
	pf.DurationVar(&a.refresh, "refresh", a.refresh, fmt.Sprintf("refresh interval, a Go duration from %s to %s (250ms, 1s, 5s)", tui.MinRefresh, tui.MaxRefresh))
	pf.StringVar(&a.wslExe, "wsl-exe", "", "path of wsl.exe (default: $WSLDASH_WSL_EXE, PATH, then the standard place)")
	// The dashboard's alone (CLI output has no colours): wsldash --theme NAME, before any command.
	root.Flags().StringVar(&a.theme, "theme", "", "the dashboard's colour theme: "+strings.Join(themes.Names(), ", "))
	// For reproducible screenshots: the demo (and the dashboard's clock) start at this RFC 3339 time.
	pf.StringVar(&a.demoEpoch, "demo-epoch", "", "start the demo's clock at this RFC 3339 time")
	pf.MarkHidden("demo-epoch")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		// config.toml's bounds and words: a flag that passes here never stops the dashboard there.
		if r := a.refresh; r < tui.MinRefresh || r > tui.MaxRefresh {
			return fmt.Errorf("--refresh %s out of range (%s to %s)", r, tui.MinRefresh, tui.MaxRefresh)
		}
		return nil
	}
	root.SetFlagErrorFunc(flagError)
	root.SetHelpCommand(helpCmd(root))
	addBackendCommands(root, a)
	addWSLCommands(root, a)
	addConfigCommands(root, a)
	addManageCommands(root, a)
	root.AddCommand(hostCmd(a)) // host_cmd.go
	root.AddCommand(doctorCmd(a))
	root.AddCommand(vmsCmd(a))
	root.AddCommand(dfCmd(a))
	root.AddCommand(probeCmd())
	addCompletions(root, a) // after every command is added
	return root
}

// chosen resolves --backend/--demo and auto.
func (a *app) chosen() (string, error) {
	name := strings.ToLower(a.backendName)
	if a.demo {
		if name != "auto" && name != "demo" {
			return "", fmt.Errorf("--demo and --backend %s contradict each other", a.backendName)
		}
		return a.usesWSLExe("demo", "--demo")
	}
	switch name {
	case "wsl", "local", "demo":
		return a.usesWSLExe(name, "--backend "+name)
	case "auto", "":
		inside := isInsideWSL
		if a.insideWSL != nil {
			inside = a.insideWSL
		}
		if runtime.GOOS == "windows" || inside() {
			return "wsl", nil
		}
		return a.usesWSLExe("local", "--backend auto: this is neither Windows nor WSL")
	}
	return "", fmt.Errorf("unknown backend %q: use auto, wsl, local or demo", a.backendName)
}

// usesWSLExe refuses --wsl-exe where the chosen backend (name, chosen by why) runs no wsl.exe,
// rather than ignore it without a word.
func (a *app) usesWSLExe(name, why string) (string, error) {
	if a.wslExe == "" || name == "wsl" {
		return name, nil
	}
	return "", fmt.Errorf("--wsl-exe is only for the wsl backend, and this run uses the %s backend (%s): add --backend wsl to run %s", name, why, a.wslExe)
}

// open opens the chosen backend. The caller closes it.
func (a *app) open(ctx context.Context) (backend.Backend, error) {
	b, err := a.openChosen(ctx)
	if err == nil && a.wrap != nil {
		b = a.wrap(b)
	}
	return b, err
}

func (a *app) openChosen(ctx context.Context) (backend.Backend, error) {
	name, err := a.chosen()
	if err != nil {
		return nil, err
	}
	switch name {
	case "demo":
		clk, err := a.clock()
		if err != nil {
			return nil, err
		}
		opts := demo.Options{Speed: 10, Warmup: 10 * time.Minute, Seed: 1, Clock: clk}
		if a.demoOptions != nil {
			opts = a.demoOptions()
		}
		return demo.New(opts), nil
	case "local":
		return local.New(local.Options{}), nil
	default:
		return openWSLBackend(a)
	}
}

// clock is the wall clock, or with --demo-epoch a clock that starts at that time and runs at
// the wall clock's pace.
// It is made once, so the demo and the dashboard share it.
func (a *app) clock() (sampler.Clock, error) {
	if a.clk != nil {
		return a.clk, nil
	}
	a.clk = sampler.SystemClock{}
	if a.demoEpoch != "" {
		t, err := time.Parse(time.RFC3339, a.demoEpoch)
		if err != nil {
			return nil, fmt.Errorf("--demo-epoch: %w", err)
		}
		a.clk = &offsetClock{base: t, start: time.Now()}
	}
	return a.clk, nil
}

type offsetClock struct{ base, start time.Time }

func (c *offsetClock) Now() time.Time { return c.base.Add(time.Since(c.start)) }

// warnDemo says on stderr that the data is simulated, for outputs (JSON arrays) that have no room
// for a label.
func warnDemo(cmd *cobra.Command, b backend.Backend) {
	if info, err := b.Info(cmd.Context()); err == nil && info.Simulated {
		fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s\n", info.Label)
	}
}
