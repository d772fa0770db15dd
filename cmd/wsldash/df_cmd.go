package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
)

// dfCmd is `wsldash df [NAME]`: each distro's disk file beside the space used inside it.
func dfCmd(a *app) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "df [NAME]",
		Short: "Disk per distro: the ext4.vhdx's size on Windows beside df inside (running distros), and what a compact could give back",
		Long: `df shows each WSL 2 distro's disk file (ext4.vhdx) as Windows holds it beside the guest's own
df of / (size, used, available), and the difference a compact could give back to Windows: the file
grows but never shrinks by itself. The inside is read only from a running distro (wsl -d NAME
--exec df -P -k /); a stopped one is never started to look, so its figures are unknown (— in
text, null in JSON), never 0. The file's size needs the Windows registry (the Windows build, or
inside WSL its host helper).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				r, ok := b.(backend.DiskReporter)
				if !ok {
					return &backend.Error{Kind: backend.KindUnsupported, Op: "df", Message: backendLabel(cmd, b) + " has no distro disks (use the wsl backend, or --demo)"}
				}
				waitHostView(cmd.Context(), b) // host_cmd.go: disk sizes inside WSL
				if asJSON {
					warnDemo(cmd, b)
				} else {
					printLabel(cmd, b)
				}
				var names []string
				if len(args) == 1 {
					names = args
				} else {
					ds, err := b.Distros(cmd.Context())
					if err != nil {
						return err
					}
					for _, d := range ds {
						names = append(names, d.Name)
					}
				}
				us := make([]backend.DiskUsage, 0, len(names))
				for _, n := range names {
					u, err := r.DiskUsage(cmd.Context(), n)
					if err != nil {
						if u.State != "" && backend.KindOf(err) == backend.KindTimeout {
							// What is known so far, then the timeout (once: no more waiting).
							us = append(us, u)
							if perr := printDFAs(cmd.OutOrStdout(), us, asJSON); perr != nil {
								return perr
							}
						}
						return distroErr("df", n, err)
					}
					us = append(us, u)
				}
				return printDFAs(cmd.OutOrStdout(), us, asJSON)
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON: a list of distros; unknown figures are null")
	c.ValidArgsFunction = firstArgOnly(completeDistros(a)) // as distroArgCommands get (completion.go)
	return c
}

// backendLabel names b in a refusal: "the demo (simulated WSL host) backend".
func backendLabel(cmd *cobra.Command, b backend.Backend) string {
	if info, err := b.Info(cmd.Context()); err == nil && info.Label != "" {
		return "the " + info.Label + " backend"
	}
	return "this backend"
}

func printDFAs(w io.Writer, us []backend.DiskUsage, asJSON bool) error {
	if asJSON {
		return writeJSON(w, us)
	}
	return printDF(w, us)
}

func bytesOrDash(n *int64) string {
	if n == nil {
		return "—"
	}
	return humanBytes(uint64(max(*n, 0)))
}

func printDF(w io.Writer, us []backend.DiskUsage) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tVHDX FILE\tSIZE INSIDE\tUSED\tAVAIL\tRECLAIMABLE")
	for _, u := range us {
		var size, used, avail *int64
		if in := u.Inside; in != nil {
			size, used, avail = &in.SizeBytes, &in.UsedBytes, &in.AvailBytes
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Distro, u.State, bytesOrDash(u.VHDXBytes),
			bytesOrDash(size), bytesOrDash(used), bytesOrDash(avail), bytesOrDash(u.Reclaimable))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, u := range us {
		if u.Note != "" {
			fmt.Fprintf(w, "%s: %s\n", u.Distro, u.Note)
		}
	}
	for _, u := range us {
		if u.Reclaimable != nil && *u.Reclaimable > 0 && u.Reclaim != "" {
			fmt.Fprintf(w, "%s: %s could be given back to Windows: %s\n", u.Distro, humanBytes(uint64(*u.Reclaimable)), u.Reclaim)
		}
	}
	return nil
}
