package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
)

// idleNote says how long WSL will keep distro after wsldash lets go of it.
func idleNote(b backend.Backend, distro string) string {
	i, ok := b.(backend.Idler)
	if !ok {
		return ""
	}
	d, never, fromConfig := i.InstanceIdle()
	src := "WSL's default instanceIdleTimeout"
	if fromConfig {
		src = "instanceIdleTimeout in .wslconfig"
	}
	if never {
		return fmt.Sprintf("%s is running; WSL will not stop it while idle (%s is negative).", distro, src)
	}
	return fmt.Sprintf("%s is running. With no client left WSL stops it about %s after wsldash exits (%s); keep it with: wsldash start %s --keep",
		distro, d.Round(time.Second), src, distro)
}

func startCmd(a *app) *cobra.Command {
	var keep bool
	c := &cobra.Command{
		Use:   "start NAME",
		Short: "Start a distro (and the VM if needed); --keep keeps it running after wsldash exits",
		Long: `start boots the distro and says how long WSL keeps it once no client is left (.wslconfig's
[general] instanceIdleTimeout, else WSL's 15 s). With --keep a detached keep-alive holds it
Running after wsldash exits (list shows it as kept) until "wsldash release NAME".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				name := args[0]
				if keep {
					k, ok := b.(backend.Keeper)
					if !ok {
						return &backend.Error{Kind: backend.KindUnsupported, Op: "keep", Distro: name, Message: "--keep needs the wsl backend"}
					}
					if err := k.Keep(cmd.Context(), name); err != nil {
						return distroErr("start", name, err)
					}
					fmt.Fprintf(cmd.OutOrStdout(), "%s is running and kept: it stays running after wsldash exits, until: wsldash release %s\n", name, name)
					return nil
				}
				if err := b.Start(cmd.Context(), name); err != nil {
					return distroErr("start", name, err)
				}
				warnDemo(cmd, b)
				fmt.Fprintf(cmd.OutOrStdout(), "%s is running\n", name)
				printLine(cmd.OutOrStdout(), idleNote(b, name))
				return nil
			})
		},
	}
	c.Flags().BoolVar(&keep, "keep", false, "keep the distro running after wsldash exits (a detached keep-alive)")
	return c
}

func releaseCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "release NAME",
		Short: "End the keep-alive of a distro kept by start --keep",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				name := args[0]
				k, ok := b.(backend.Keeper)
				if !ok {
					return &backend.Error{Kind: backend.KindUnsupported, Op: "release", Distro: name, Message: "release needs the wsl backend"}
				}
				was, err := k.Unkeep(name)
				if err != nil {
					return distroErr("release", name, err)
				}
				if !was {
					return &backend.Error{Kind: backend.KindNotFound, Op: "release", Distro: name, Message: "not kept by wsldash (nothing to release)"}
				}
				msg := name + " released."
				if i, ok := b.(backend.Idler); ok {
					if d, never, _ := i.InstanceIdle(); !never {
						msg += fmt.Sprintf(" With no client left WSL stops it in about %s.", d.Round(time.Second))
					}
				}
				printLine(cmd.OutOrStdout(), msg)
				return nil
			})
		},
	}
}

func printLine(w io.Writer, s string) {
	if s != "" {
		fmt.Fprintln(w, s)
	}
}
