package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl"
)

// The wsl backend must stay a Manager, or these commands would refuse it at run time.
var _ manager = (*wsl.Backend)(nil)

func renameCmd(a *app) *cobra.Command {
	var yes, asJSON bool
	c := &cobra.Command{
		Use:   "rename NAME NEW",
		Short: "Rename a stopped distro (its registration's DistributionName; Windows build) and its Windows Terminal profile",
		Long: `rename writes the registration's DistributionName in the Windows registry (wsl.exe has no
rename), so it runs in the Windows build, wsldash.exe. It refuses a running distro (stop it with
wsldash terminate NAME) and a name that is taken. Then it renames the distro in Windows Terminal:
the profile Terminal generated for it in settings.json (its name, and its id, which Terminal
derives from the name, so your colours and font follow; defaultProfile too) and the fragment WSL
wrote for a distro installed from a .wsl file. Only those strings change, every other byte of the
files stays; the originals are kept as .bak. A Terminal file that cannot be edited is reported,
never a reason to undo the rename.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			dockerManageWarning(cmd, args[0])
			return withBackend(cmd, a, func(b backend.Backend) error {
				r, ok := b.(backend.Renamer)
				if !ok {
					return &backend.Error{Kind: backend.KindUnsupported, Op: "rename",
						Message: backendLabel(cmd, b) + " cannot rename distros (only the wsl backend, in the Windows build)"}
				}
				// Refuse before asking what the rename would refuse (it checks again as it acts).
				ds, err := b.Distros(cmd.Context())
				if err != nil {
					return err
				}
				if err := backend.Precheck(backend.ActRename, args[0], ds); err != nil {
					return err
				}
				if err := backend.CheckNewName(backend.ActRename, args[1], args[0], ds); err != nil {
					return err
				}
				if err := confirm(cmd, yes, confirmation{distro: args[0], question: fmt.Sprintf("Rename %s to %s?", args[0], args[1])}); err != nil {
					return err
				}
				res, err := r.Rename(cmd.Context(), args[0], args[1])
				if err != nil {
					return interrupted(cmd.Context(), "rename", "", distroErr("rename", args[0], err))
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), res)
				}
				printRename(cmd.OutOrStdout(), res)
				return nil
			})
		},
	}
	c.Flags().BoolVar(&yes, "yes", false, yesUsage)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func printRename(w io.Writer, r backend.RenameResult) {
	fmt.Fprintf(w, "%s renamed to %s\n", r.Distro, r.NewName)
	for _, p := range r.Profiles {
		switch {
		case p.Error != "":
			fmt.Fprintf(w, "Windows Terminal %s: not changed: %s\n", p.File, p.Error)
		case len(p.Changes) == 0:
			fmt.Fprintf(w, "Windows Terminal %s: nothing names %s\n", p.File, r.Distro)
		default:
			fmt.Fprintf(w, "Windows Terminal %s (the original kept as %s):\n", p.File, p.Backup)
			for _, c := range p.Changes {
				fmt.Fprintf(w, "  %s\n", c)
			}
		}
	}
	if r.Note != "" {
		fmt.Fprintln(w, r.Note)
	}
}
