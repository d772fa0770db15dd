package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// vmsCmd lists every VM on the Windows host, read-only: what HCS reports and the vmmem processes.
func vmsCmd(a *app) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "vms",
		Short: "List every VM on the Windows host (WSL's, WSL containers, Sandbox, Docker, Hyper-V) and its vmmem process",
		Long: `vms lists each compute system HCS reports (owner, type, id, state, memory, CPU time) and each
vmmem* process (name, memory), tied together where the process's user (NT VIRTUAL MACHINE\<VM-ID>)
can be read. HCS usually needs an elevated prompt; without it only the vmmem processes are listed.
It only reads: it never acts on a VM. The Windows build of the wsl backend asks HCS; the demo
lists its simulated host's VMs (the dashboard's view 7 shows the same).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				vl, ok := b.(backend.VMLister)
				if !ok {
					return &backend.Error{Kind: backend.KindUnsupported, Op: "vms", Message: "this backend cannot list the Windows host's VMs (the wsl backend in the Windows build can; --demo simulates them)"}
				}
				l, err := vl.VMs(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					warnDemo(cmd, b)
					return writeJSON(cmd.OutOrStdout(), l)
				}
				printLabel(cmd, b)
				return printVMs(cmd.OutOrStdout(), l)
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: {\"vms\":[…],\"note\":…}; unknown numbers are null")
	return c
}

// printVMs is the human table of `wsldash vms`, then each VM's note and the list's.
func printVMs(out io.Writer, l backend.VMList) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tOWNER\tTYPE\tSTATE\tID\tMEMORY\tCPU\tPROCESS\tPROCESS MEMORY")
	for _, v := range l.VMs {
		mem, cpu, pmem := units.Unknown, units.Unknown, units.Unknown
		if v.MemoryBytes != nil {
			mem = humanBytes(*v.MemoryBytes)
		}
		if v.CPUSeconds != nil {
			cpu = fmt.Sprintf("%.1fs", *v.CPUSeconds)
		}
		if v.ProcessBytes != nil {
			pmem = humanBytes(*v.ProcessBytes)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.Kind, orUnknown(v.Owner), orUnknown(v.Type), orUnknown(v.State),
			orUnknown(v.ID), mem, cpu, orUnknown(v.Process), pmem)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(l.VMs) == 0 {
		fmt.Fprintln(out, "no VMs are running")
	}
	for _, v := range l.VMs {
		if v.Note != "" {
			fmt.Fprintf(out, "%s %s: %s\n", v.Kind, orUnknown(v.ID), v.Note)
		}
	}
	if l.Note != "" {
		fmt.Fprintln(out, "note:", l.Note)
	}
	return nil
}
