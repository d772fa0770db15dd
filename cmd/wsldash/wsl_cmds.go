package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// addWSLCommands adds the verbs that copy and remove distros: export, import, clone, unregister
// (always through the trash) and trash list|restore|purge. The wsl backend does them with
// wsl.exe, the demo simulates them (labelled, nothing written to disk), local refuses them.
func addWSLCommands(root *cobra.Command, a *app) {
	root.AddCommand(wslExportCmd(a), wslImportCmd(a), wslCloneCmd(a), wslUnregisterCmd(a), wslTrashCmd(a))
}

// withArchiver opens the chosen backend (--backend, --demo), runs f on its backend.Archiver
// and closes it. A simulated backend says so on stderr first: nothing it "writes" is on disk.
func withArchiver(cmd *cobra.Command, a *app, f func(backend.Archiver) error) error {
	return withBackend(cmd, a, func(b backend.Backend) error {
		ar, ok := b.(backend.Archiver)
		if !ok {
			return &backend.Error{Kind: backend.KindUnsupported, Op: cmd.Name(), Message: "this backend cannot export, import or unregister distros"}
		}
		if info, err := b.Info(cmd.Context()); err == nil && info.DryRun {
			fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s: simulated, nothing is written to or deleted from disk\n", info.Label)
		}
		return f(ar)
	})
}

// trashStatus lists the trash with what each entry means now (still registered, restorable)
// where the backend can say, else the plain list.
func trashStatus(ctx context.Context, b backend.Archiver) ([]backend.TrashEntry, error) {
	if st, ok := b.(backend.TrashInspector); ok {
		return st.TrashStatus(ctx)
	}
	return b.TrashList()
}

// wslProgress prints "label: N MiB" on one updating line of w when w is a terminal.
func wslProgress(w io.Writer, label string) (func(int64), func()) {
	f, ok := w.(*os.File)
	if !ok || !wslIsTerminal(f) {
		return nil, func() {}
	}
	shown := false
	return func(n int64) {
			fmt.Fprintf(w, "\r%s: %.1f MiB ", label, float64(n)/(1<<20))
			shown = true
		}, func() {
			if shown {
				fmt.Fprintln(w)
			}
		}
}

// wslIsTerminal is a real terminal test (isatty), not a character-device check: /dev/null is a
// character device too, and a script reading from it must not be prompted.
func wslIsTerminal(f *os.File) bool { return term.IsTerminal(f.Fd()) }

func wslExportCmd(a *app) *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "export NAME FILE",
		Short: "Export a distro to a tar, tar.gz, tar.xz or vhd file (wsl --export), showing progress",
		Long: `export writes the distro to FILE with wsl --export. --format is tar, tar.gz, tar.xz (wsl
--export --format, WSL 2.5.8 or newer) or vhd (the disk itself, WSL 2 distros only); without it
the format is the file's extension's (.tar.gz/.tgz, .tar.xz/.txz, .vhdx/.vhd), else tar.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := exportFormat(format, args[1])
			if err != nil {
				return err
			}
			return withArchiver(cmd, a, func(b backend.Archiver) error {
				p, end := wslProgress(cmd.ErrOrStderr(), "exported")
				defer end()
				err := b.Export(cmd.Context(), args[0], args[1], f, p)
				return interrupted(cmd.Context(), "export", args[1], distroErr("export", args[0], err))
			})
		},
	}
	c.Flags().StringVar(&format, "format", "", "tar, tar.gz, tar.xz or vhd (default: from FILE's extension, else tar)")
	return c
}

// exportFormat is --format, or the format FILE's extension says when it is not given.
func exportFormat(flag, file string) (backend.Format, error) {
	if flag == "" {
		return backend.FormatOf(file), nil
	}
	return backend.ParseFormat(flag)
}

func wslImportCmd(a *app) *cobra.Command {
	var version int
	c := &cobra.Command{
		Use:   "import NAME DIR FILE",
		Short: "Import a tar, tar.gz, tar.xz or .vhdx file as a new distro installed in DIR (wsl --import)",
		Long: `import registers FILE as a new distro NAME installed in DIR with wsl --import. A .vhdx
(or .vhd) FILE is imported as the disk itself (WSL 2 only): wsldash tells that from the file's
extension, so there is no flag for it; anything else is a tar.`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withArchiver(cmd, a, func(b backend.Archiver) error {
				err := b.Import(cmd.Context(), args[0], args[1], args[2], version)
				return interrupted(cmd.Context(), "import", "", distroErr("import", args[0], err))
			})
		},
	}
	c.Flags().IntVar(&version, "version", 0, "WSL version of the new distro, 1 or 2 (default: WSL's default)")
	return c
}

func wslCloneCmd(a *app) *cobra.Command {
	var dir, format string
	c := &cobra.Command{
		Use:   "clone NAME NEW",
		Short: "Copy a distro under a new name (export + import)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withArchiver(cmd, a, func(b backend.Archiver) error {
				p, end := wslProgress(cmd.ErrOrStderr(), "copied")
				defer end()
				f, err := backend.ParseFormat(format)
				if err != nil {
					return err
				}
				err = b.Clone(cmd.Context(), args[0], args[1], dir, f, p)
				return interrupted(cmd.Context(), "clone", "", distroErr("clone", args[0], err))
			})
		},
	}
	c.Flags().StringVar(&dir, "dir", "", "install folder of the copy (default: <user cache>/wsldash/distros/NEW)")
	c.Flags().StringVar(&format, "format", "tar", "what is copied: tar (the files), or vhd (the disk as it is, WSL 2 only)")
	return c
}

func wslUnregisterCmd(a *app) *cobra.Command {
	var yes bool
	var typed string
	c := &cobra.Command{
		Use:   "unregister NAME",
		Short: "Move a distro to the trash: export it, verify the archive, then wsl --unregister",
		Long: `unregister never deletes a distro outright: it exports it to the trash folder, checks the
archive, and only then runs wsl --unregister. Bring it back with "wsldash trash restore NAME";
delete the archive for good with "wsldash trash purge NAME". You must type the distro's name at
the prompt, or pass --yes in scripts.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if w := backend.DockerWarning(backend.ActUnregister, name, nil); w != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "wsldash: %s\n", w)
			}
			c := confirmation{distro: name, question: "Move " + name + " to the trash (export it, then wsl --unregister)?", typeName: true}
			if typed != "" { // the old --yes-i-typed NAME: still only with the exact name
				if err := c.check(commandName(cmd), typed); err != nil {
					return err
				}
				yes = true
			}
			return withArchiver(cmd, a, func(b backend.Archiver) error {
				// Refuse what would be refused (no such distro) before asking to type its name;
				// a backend that cannot unregister at all says why itself (Trash).
				if bb, ok := b.(backend.Backend); ok && bb.Capabilities().Check(backend.ActUnregister) == nil {
					ds, err := bb.Distros(cmd.Context())
					if err != nil {
						return err
					}
					if err := backend.Precheck(backend.ActUnregister, name, ds); err != nil {
						return err
					}
				}
				if err := confirm(cmd, yes, c); err != nil {
					return err
				}
				p, end := wslProgress(cmd.ErrOrStderr(), "saved to trash")
				e, err := b.Trash(cmd.Context(), name, p)
				end()
				if err != nil {
					return interrupted(cmd.Context(), "unregister", "", distroErr("unregister", name, err))
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s unregistered; archive kept at %s (wsldash trash restore %s)\n", e.Name, e.Archive, e.Name)
				return nil
			})
		},
	}
	c.Flags().BoolVar(&yes, "yes", false, yesUsage)
	c.Flags().StringVar(&typed, "yes-i-typed", "", "confirm without a prompt by giving the distro's exact name")
	c.Flags().MarkHidden("yes-i-typed") // --yes is every command's; this one stays for old scripts
	return c
}

func wslTrashCmd(a *app) *cobra.Command {
	trash := &cobra.Command{
		Use:   "trash",
		Short: "List, restore or purge distros moved to the trash by unregister",
		Args:  cobra.ArbitraryArgs,
		RunE:  groupRunE,
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List trashed distros, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withArchiver(cmd, a, func(b backend.Archiver) error {
				es, err := trashStatus(cmd.Context(), b)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if asJSON {
					return writeJSON(out, es)
				}
				if len(es) == 0 {
					fmt.Fprintln(out, "the trash is empty")
					return nil
				}
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tVERSION\tSIZE\tTRASHED\tSTATE\tARCHIVE")
				for _, e := range es {
					size, when := units.Unknown, units.Unknown
					if e.Bytes > 0 {
						size = humanBytes(uint64(e.Bytes))
					}
					if !e.Trashed.IsZero() {
						when = e.Trashed.Local().Format("2006-01-02 15:04")
					}
					fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\n", e.Name, e.Version, size, when, e.State, e.Archive)
					fmt.Fprintf(tw, "\t%s\n", e.Note)
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	restore := &cobra.Command{
		Use:   "restore NAME",
		Short: "Import the newest trashed archive of NAME back under its name",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withArchiver(cmd, a, func(b backend.Archiver) error {
				if err := b.TrashRestore(cmd.Context(), args[0]); err != nil {
					return interrupted(cmd.Context(), "trash restore", "", distroErr("trash restore", args[0], err))
				}
				dir, _ := b.RestoreDir(args[0])
				fmt.Fprintf(cmd.OutOrStdout(), "%s restored (installed in %s)\n", args[0], dir)
				return nil
			})
		},
	}
	var yes bool
	purge := &cobra.Command{
		Use:   "purge NAME",
		Short: "Delete the trashed archives of NAME for good (asks you to type its name)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withArchiver(cmd, a, func(b backend.Archiver) error {
				name := args[0]
				if err := confirm(cmd, yes, confirmation{distro: name, question: "Delete every trashed archive of " + name + " for good? Nothing can bring it back.", typeName: true}); err != nil {
					return err
				}
				return distroErr("trash purge", name, b.TrashPurge(name))
			})
		},
	}
	purge.Flags().BoolVar(&yes, "yes", false, yesUsage)
	trash.AddCommand(list, restore, purge)
	return trash
}
