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
inside WSL its host helper). A few distros are looked at side by side; one that cannot be looked
at is reported in its row ("error" in JSON) and the others still are, and once a look times out
no other starts. The exit status is 1 only when no distro could be looked at.`,
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
				var ds []backend.Distro
				if len(args) == 1 {
					ds = []backend.Distro{{Name: args[0]}} // the backend matches the name as WSL does
				} else {
					var err error
					if ds, err = b.Distros(cmd.Context()); err != nil {
						return err
					}
				}
				rows := backend.DiskReport(cmd.Context(), r, ds)
				failed := dfFailed(rows)
				if failed != nil && len(rows) == 1 && rows[0].State == "" {
					return failed // nothing is known of it (no such distro): no table
				}
				if err := printDFAs(cmd.OutOrStdout(), rows, asJSON); err != nil {
					return err
				}
				return failed
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

// dfRow is one distro in df --json: its disk, and why it could not be looked at.
type dfRow struct {
	backend.DiskUsage
	Error string `json:"error,omitempty"`
}

// dfFailed is the error df exits with: the first row's when no distro could be looked at (a
// failure of the whole), else nil: a row's error is the row's to report.
func dfFailed(rows []backend.DiskRow) error {
	for _, r := range rows {
		if r.Err == nil {
			return nil
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return distroErr("df", rows[0].Distro, rows[0].Err)
}

func printDFAs(w io.Writer, rows []backend.DiskRow, asJSON bool) error {
	if asJSON {
		out := make([]dfRow, len(rows))
		for i, r := range rows {
			out[i].DiskUsage = r.DiskUsage
			if r.Err != nil {
				out[i].Error = distroErr("df", r.Distro, r.Err).Error()
			}
		}
		return writeJSON(w, out)
	}
	return printDF(w, rows)
}

func printDF(w io.Writer, rows []backend.DiskRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tVHDX FILE\tSIZE INSIDE\tUSED\tAVAIL\tRECLAIMABLE")
	for _, u := range rows {
		var size, used, avail *int64
		if in := u.Inside; in != nil {
			size, used, avail = &in.SizeBytes, &in.UsedBytes, &in.AvailBytes
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Distro, orUnknown(string(u.State)), sizeOrUnknown(u.VHDXBytes),
			sizeOrUnknown(size), sizeOrUnknown(used), sizeOrUnknown(avail), sizeOrUnknown(u.Reclaimable))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, u := range rows {
		if u.Note != "" {
			fmt.Fprintf(w, "%s: %s\n", u.Distro, u.Note)
		}
		if u.Err != nil {
			fmt.Fprintf(w, "%s: could not look: %v\n", u.Distro, u.Err)
		}
	}
	for _, u := range rows {
		if u.Reclaimable != nil && *u.Reclaimable > 0 && u.Reclaim != "" {
			fmt.Fprintf(w, "%s: %s could be given back to Windows: %s\n", u.Distro, humanBytes(uint64(*u.Reclaimable)), u.Reclaim)
		}
	}
	return nil
}
