package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// portsCmd is `wsldash ports [DISTRO] [--json]`: the networking mode, the VM's addresses and
// the listening sockets of every running distro (or one), each with its pid, process and distro.
func portsCmd(a *app) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "ports [DISTRO]",
		Short: "List listening TCP/UDP sockets per distro, the networking mode and the VM's addresses; local: this machine",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				nl, ok := b.(backend.NetworkLister)
				if !ok {
					return &backend.Error{Kind: backend.KindUnsupported, Op: "ports", Message: "this backend cannot list sockets"}
				}
				n, err := nl.Network(cmd.Context(), firstArg(args))
				if err != nil {
					return distroErr("ports", firstArg(args), err)
				}
				if asJSON {
					warnDemo(cmd, b)
					return writeJSON(cmd.OutOrStdout(), n)
				}
				printLabel(cmd, b)
				out := cmd.OutOrStdout()
				mode := n.Mode
				if mode == "" {
					mode = units.Unknown
				} else if n.ModeSource != "" {
					mode += " (" + n.ModeSource + ")"
				}
				fmt.Fprintf(out, "networking mode: %s\n", mode)
				if len(n.Addresses) > 0 {
					fmt.Fprintf(out, "addresses: %s\n", joinComma(n.Addresses))
				}
				for _, note := range n.Notes {
					fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s\n", note)
				}
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "PROTO\tADDRESS\tPORT\tPID\tPROCESS\tDISTRO")
				for _, p := range n.Ports {
					fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", p.Proto, p.Address, p.Port, pidText(p.PID), orUnknown(p.Process), orUnknown(p.Distro))
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON object {mode, mode_source, addresses, ports}")
	return c
}

func pidText(p *int) string {
	if p == nil {
		return units.Unknown
	}
	return strconv.Itoa(*p)
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}

// allProcesses is `ps --all`: every running distro's processes, two looks apart so CPU% is a
// rate where the backend measures one, sorted by CPU then RSS.
func allProcesses(ctx context.Context, cmd *cobra.Command, a *app, b backend.Backend) ([]backend.Process, error) {
	if _, _, err := backend.AllProcesses(ctx, b); err != nil && !errors.Is(err, backend.ErrNotRunning) {
		return nil, err
	}
	wait(ctx, min(a.refresh, 250*time.Millisecond))
	ps, notes, err := backend.AllProcesses(ctx, b)
	for _, n := range notes {
		fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s\n", n)
	}
	if err != nil {
		return nil, err
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].CPUPercent != ps[j].CPUPercent {
			return ps[i].CPUPercent > ps[j].CPUPercent
		}
		return ps[i].RSSBytes > ps[j].RSSBytes
	})
	return ps, nil
}

// warnDocker prints, before an action that stops Docker Desktop's distros, that Docker Desktop
// will stop with them.
func warnDocker(ctx context.Context, cmd *cobra.Command, b backend.Backend, act backend.Action, distro string) {
	ds, _ := b.Distros(ctx)
	if w := backend.DockerWarning(act, distro, ds); w != "" {
		fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s\n", w)
	}
}
