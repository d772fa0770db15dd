// Command wsldash is a keyboard-driven terminal dashboard for WSL2, and a CLI with JSON output for
// scripts. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// A closed terminal (SIGHUP), a kill (SIGTERM; on Windows also the console's close, logoff and
	// shutdown events) end wsldash as Ctrl-C does: through the deferred Closes that stop what it
	// holds. A crash or SIGKILL skips them; the parent-death signal and the job object cover that.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	root := newRootCmd(newApp())
	root.SetArgs(negativeValues(root, os.Args[1:]))
	err := root.ExecuteContext(ctx)
	if code := exitStatus(ctx, err); code != 0 {
		fmt.Fprintln(os.Stderr, "wsldash:", err)
		stop()
		os.Exit(code)
	}
}
