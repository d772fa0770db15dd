package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
)

// manager is a backend that installs and manages distros: the wsl backend with wsl.exe, the demo
// simulated (labelled); local refuses these commands with KindUnsupported.
type manager = backend.Manager

// manageJSON is the --json answer of resize, sparse and set-user.
type manageJSON struct {
	Distro string `json:"distro"`
	Op     string `json:"op"`    // resize, sparse, set-user, rename
	Value  string `json:"value"` // the size, on|off, the user, the new name
}

// addManageCommands adds install, move, resize, sparse, set-user and compact.
func addManageCommands(root *cobra.Command, a *app) {
	root.AddCommand(installCmd(a), moveCmd(a), resizeCmd(a), sparseCmd(a), setUserCmd(a), compactCmd(a), renameCmd(a))
}

// withManager opens the backend and runs f on it as a manager.
func withManager(cmd *cobra.Command, a *app, f func(manager) error) error {
	return withBackend(cmd, a, func(b backend.Backend) error {
		m, ok := b.(manager)
		if !ok {
			label := "this backend"
			if info, err := b.Info(cmd.Context()); err == nil && info.Label != "" {
				label = "the " + info.Label + " backend"
			}
			return &backend.Error{Kind: backend.KindUnsupported, Op: cmd.Name(),
				Message: label + " cannot " + cmd.Name() + " distros (the wsl backend runs wsl.exe; --demo simulates it)"}
		}
		if info, err := b.Info(cmd.Context()); err == nil && info.DryRun {
			fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s: simulated, nothing is installed, moved or changed on disk\n", info.Label)
		}
		return f(m)
	})
}

// precheck refuses what backend.Precheck refuses for a on the distro name as the backend lists
// it now, so that nothing is asked to be confirmed that would be refused (the backend checks
// again as it acts). It returns that list.
func precheck(cmd *cobra.Command, m manager, a backend.Action, name string) ([]backend.Distro, error) {
	b, ok := m.(backend.Backend) // every manager is one (withManager found it on a Backend)
	if !ok {
		return nil, nil
	}
	ds, err := b.Distros(cmd.Context())
	if err != nil {
		return nil, err
	}
	return ds, backend.Precheck(a, name, ds)
}

// dockerManageWarning warns before changing the disk or user of Docker Desktop's distros.
func dockerManageWarning(cmd *cobra.Command, name string) {
	if backend.IsDockerDistro(name) {
		fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s belongs to Docker Desktop: changing it with wsl --manage can break Docker Desktop (use Docker Desktop's own settings for its disk)\n", name)
	}
}

func installCmd(a *app) *cobra.Command {
	var list, asJSON, web bool
	var o backend.InstallOptions
	c := &cobra.Command{
		Use:   "install [DISTRO]",
		Short: "Install a distro from the online catalogue or a file (wsl --install --no-launch); --list shows the catalogue",
		Long: `install --list shows the online catalogue (wsl --list --online, which downloads it).
install DISTRO runs wsl --install DISTRO --no-launch with --name, --location and --web-download;
--from-file installs a .wsl or tar file instead. The new distro has no user yet: its first-run
set-up runs when you open its shell (wsl -d NAME); wsldash never waits for it.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withManager(cmd, a, func(m manager) error {
				out := cmd.OutOrStdout()
				if list {
					if len(args) > 0 || o.FromFile != "" {
						return fmt.Errorf("install --list takes no distro or --from-file")
					}
					ds, err := m.OnlineDistros(cmd.Context())
					if err != nil {
						return err
					}
					if asJSON {
						return writeJSON(out, ds)
					}
					tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "NAME\tFRIENDLY NAME")
					for _, d := range ds {
						fmt.Fprintf(tw, "%s\t%s\n", d.Name, d.FriendlyName)
					}
					return tw.Flush()
				}
				if len(args) > 0 {
					o.Distro = args[0]
				}
				o.WebDownload = web
				if o.Distro == "" && o.FromFile == "" {
					return fmt.Errorf("install needs a DISTRO (see wsldash install --list) or --from-file FILE")
				}
				res, err := m.Install(cmd.Context(), o, installProgress(cmd.ErrOrStderr()))
				if err != nil {
					return interrupted(cmd.Context(), "install", "", distroErr("install", res.Distro, err))
				}
				if asJSON {
					return writeJSON(out, res)
				}
				fmt.Fprintf(out, "%s installed from %s\n%s\n", res.Distro, res.Source, res.FirstRun)
				return nil
			})
		},
	}
	f := c.Flags()
	f.BoolVar(&list, "list", false, "list the online catalogue instead of installing")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.StringVar(&o.Name, "name", "", "name of the new distro (default: the catalogue's)")
	f.StringVar(&o.Location, "location", "", "install folder (default: WSL's, %LOCALAPPDATA%\\wsl\\{guid})")
	f.BoolVar(&web, "web-download", false, "download from the web instead of the Microsoft Store")
	f.StringVar(&o.FromFile, "from-file", "", "install a .wsl or tar file instead of a catalogue distro")
	return c
}

// installProgress prints each new line wsl.exe prints during an install ("Downloading: …",
// "Installing: …") on w, so stdout stays the result alone.
func installProgress(w io.Writer) func(backend.InstallProgress) {
	last := ""
	return func(p backend.InstallProgress) {
		if p.Text != "" && p.Text != last {
			last = p.Text
			fmt.Fprintf(w, "wsldash: install: %s\n", p.Text)
		}
	}
}

func moveCmd(a *app) *cobra.Command {
	var yes, asJSON bool
	c := &cobra.Command{
		Use:   "move NAME DIR",
		Short: "Move a distro's disk to DIR (wsl --manage --move; stops it first) and check the registry followed",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, dir := args[0], args[1]
			dockerManageWarning(cmd, name)
			return withManager(cmd, a, func(m manager) error {
				if _, err := precheck(cmd, m, backend.ActMove, name); err != nil {
					return err
				}
				if err := confirm(cmd, yes, confirmation{distro: name, question: fmt.Sprintf("Stop %s and move its disk to %s?", name, dir)}); err != nil {
					return err
				}
				res, err := m.Move(cmd.Context(), name, dir)
				out := cmd.OutOrStdout()
				if asJSON && res.Distro != "" && (err == nil || res.Verified) {
					if jerr := writeJSON(out, res); jerr != nil {
						return jerr
					}
				}
				if res.Stale {
					fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s\n", res.Note)
					if err == nil {
						err = &backend.Error{Kind: backend.KindFailed, Op: "move", Distro: res.Distro, Message: "the move did not update the registration"}
					}
				}
				if err != nil {
					return interrupted(cmd.Context(), "move", "", distroErr("move", name, err))
				}
				if !asJSON {
					fmt.Fprintf(out, "%s moved to %s\n", res.Distro, res.To)
					if res.Note != "" {
						fmt.Fprintln(out, res.Note)
					}
				}
				return nil
			})
		},
	}
	c.Flags().BoolVar(&yes, "yes", false, yesUsage)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// simpleManageCmd is resize, sparse and set-user: check the value (valid, nil: any), act's
// preconditions, confirm (when destructive), run, report. Nothing is asked that would be refused.
func simpleManageCmd(a *app, act backend.Action, use, short string, destructive bool, prompt func(args []string) string,
	valid func(args []string) error, run func(ctx context.Context, m manager, args []string) (string, error)) *cobra.Command {
	var yes, asJSON bool
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if valid != nil {
				if err := valid(args); err != nil {
					return distroErr(cmd.Name(), args[0], err)
				}
			}
			dockerManageWarning(cmd, args[0])
			return withManager(cmd, a, func(m manager) error {
				if _, err := precheck(cmd, m, act, args[0]); err != nil {
					return err
				}
				if destructive {
					if err := confirm(cmd, yes, confirmation{distro: args[0], question: prompt(args)}); err != nil {
						return err
					}
				}
				val, err := run(cmd.Context(), m, args)
				if err != nil {
					return interrupted(cmd.Context(), cmd.Name(), "", distroErr(cmd.Name(), args[0], err))
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), manageJSON{Distro: args[0], Op: cmd.Name(), Value: val})
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %s set to %s\n", args[0], cmd.Name(), val)
				return nil
			})
		},
	}
	if destructive {
		c.Flags().BoolVar(&yes, "yes", false, yesUsage)
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func resizeCmd(a *app) *cobra.Command {
	return simpleManageCmd(a, backend.ActResize, "resize NAME SIZE", "Set the maximum size of a distro's disk (wsl --manage --resize; stops it first), e.g. 256GB", true,
		func(args []string) string { return fmt.Sprintf("Stop %s and resize its disk to %s?", args[0], args[1]) },
		func(args []string) error { _, err := backend.ParseSize(args[1]); return err },
		func(ctx context.Context, m manager, args []string) (string, error) {
			return args[1], m.Resize(ctx, args[0], args[1])
		})
}

func sparseCmd(a *app) *cobra.Command {
	var unsafe bool
	c := simpleManageCmd(a, backend.ActSparse, "sparse NAME on|off", "Make a distro's disk sparse or not (wsl --manage --set-sparse; stops it first)", true,
		func(args []string) string {
			return fmt.Sprintf("Stop %s and turn its sparse disk %s?", args[0], args[1])
		},
		func(args []string) error {
			if _, err := sparseValue(args[1]); err != nil {
				return err
			}
			return nil
		},
		func(ctx context.Context, m manager, args []string) (string, error) {
			on, _ := sparseValue(args[1])
			v := map[bool]string{true: "on", false: "off"}[on]
			return v, m.SetSparse(ctx, args[0], on, unsafe)
		})
	c.Long = `sparse turns the disk's sparse flag on or off. WSL 2.5 and later refuse to turn it on
("Sparse VHD support is currently disabled due to potential data corruption") unless you pass
--allow-unsafe, which wsldash hands on to wsl.exe only when you ask.`
	c.Flags().BoolVar(&unsafe, "allow-unsafe", false, "pass --allow-unsafe to wsl.exe (WSL's data-corruption warning)")
	return c
}

// sparseValue reads sparse's on|off (true|false).
func sparseValue(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "on", "true":
		return true, nil
	case "off", "false":
		return false, nil
	}
	return false, fmt.Errorf("%q: say on or off", s)
}

func setUserCmd(a *app) *cobra.Command {
	return simpleManageCmd(a, backend.ActSetUser, "set-user NAME USER", "Set the user a distro's shell starts as (wsl --manage --set-default-user)", false, nil, nil,
		func(ctx context.Context, m manager, args []string) (string, error) {
			return args[1], m.SetDefaultUser(ctx, args[0], args[1])
		})
}

func compactCmd(a *app) *cobra.Command {
	var yes, asJSON, sparse bool
	c := &cobra.Command{
		Use:   "compact NAME",
		Short: "Give a distro's free disk space back to Windows (fstrim, stop, then sparse or Optimize-VHD); a dry run without --yes",
		Long: `compact runs the safe sequence: fstrim inside the distro (as root), stop it, and then
either the elevated Optimize-VHD (or diskpart) that shrinks the file, which wsldash prints for an
elevated prompt instead of running, or, with --sparse, WSL's sparse disk first (the next fstrim
hands the freed blocks back without elevation; WSL gates it behind --allow-unsafe for a
data-corruption bug, so only on request). Without --yes it only shows the plan. Sizes are the
disk file's before and after, where the registry can be read.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			dockerManageWarning(cmd, name)
			return withManager(cmd, a, func(m manager) error {
				res, err := m.Compact(cmd.Context(), name, backend.CompactOptions{Sparse: sparse, DryRun: !yes})
				if err != nil {
					return interrupted(cmd.Context(), "compact", "", distroErr("compact", name, err))
				}
				out := cmd.OutOrStdout()
				if asJSON {
					return writeJSON(out, res)
				}
				printCompact(out, res)
				return nil
			})
		},
	}
	c.Flags().BoolVar(&yes, "yes", false, "run it (without: show the plan only)")
	c.Flags().BoolVar(&sparse, "sparse", false, "make the disk sparse first (wsl --manage --set-sparse true --allow-unsafe)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func printCompact(w io.Writer, r backend.CompactResult) {
	if r.DryRun {
		fmt.Fprintf(w, "compact %s would (run with --yes):\n", r.Distro)
	} else {
		fmt.Fprintf(w, "compact %s:\n", r.Distro)
	}
	for i, s := range r.Steps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, s)
	}
	disk := r.DiskPath
	if disk == "" {
		disk = "(its path is unknown here)"
	}
	fmt.Fprintf(w, "disk %s: before %s", disk, sizeOrUnknown(r.Before))
	if !r.DryRun {
		fmt.Fprintf(w, ", after %s", sizeOrUnknown(r.After))
		if r.Trimmed != nil {
			fmt.Fprintf(w, ", fstrim freed %s inside", humanBytes(uint64(*r.Trimmed)))
		}
	}
	fmt.Fprintln(w)
	if r.Method == "elevated" && !r.DryRun {
		fmt.Fprintf(w, "The file shrinks only with elevation: stop WSL (wsl --shutdown: its VM keeps the disk attached), then in an elevated prompt run:\n  %s\n", r.Elevated)
	}
}
