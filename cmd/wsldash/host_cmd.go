package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/hostview"
)

// hostWait bounds how long a one-shot command (stats, list) waits for the host helper's first
// answer inside WSL before printing without it.
const hostWait = 5 * time.Second

// hostCmd is `wsldash host --watch --json`, the machine-facing helper the Linux build runs
// through interop (package hostview; format in the README's JSON section). Windows only. Its
// stdin takes `interval <duration>` lines (the reader's new cadence) and its end stops it.
func hostCmd(a *app) *cobra.Command {
	hostview.ProgramVersion = programVersion() // the helper and its reader compare versions
	var watch, asJSON bool
	c := &cobra.Command{
		Use:   "host --watch --json",
		Short: "Stream the Windows host's view of the VM as JSON lines (the helper of wsldash inside WSL)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !watch || !asJSON {
				return errors.New("host is machine-facing: run it as `wsldash host --watch --json` (use `wsldash stats` to read the host view)")
			}
			src, closeSrc, err := hostview.SystemSource()
			if err != nil {
				return err
			}
			defer closeSrc()
			return hostview.Serve(cmd.Context(), src, os.Stdin, cmd.OutOrStdout(), hostview.ServeOptions{Interval: a.refresh, Version: version})
		},
	}
	c.Flags().BoolVarP(&watch, "watch", "w", false, "stream until stdin closes or the parent exits (a line \"interval 10s\" on stdin changes --refresh)")
	c.Flags().BoolVar(&asJSON, "json", false, "print versioned JSON lines")
	return c
}

// waitHostView gives the backend's host source (inside WSL: the helper) up to hostWait to
// answer, so a one-shot command's output carries the host's data. Elsewhere it returns at once.
func waitHostView(ctx context.Context, b backend.Backend) {
	w, ok := b.(backend.HostWaiter)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, hostWait)
	defer cancel()
	w.WaitHost(ctx)
}

// hostHelperStatus is doctor's "host helper found" check, for inside WSL (on Windows the host is
// read directly): where the helper is and how it was found, or the one line that says how to
// get the host view. It only looks for the file; it runs nothing.
func hostHelperStatus() (found bool, line string) {
	f, err := hostview.Locate()
	if err != nil {
		return false, err.Error()
	}
	return true, f.Path + " (" + f.Via + ")"
}
