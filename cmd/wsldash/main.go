// Command wsldash is a keyboard-driven terminal dashboard for WSL2, and a CLI with JSON output for
// scripts. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := newRootCmd(newApp()).ExecuteContext(ctx)
	if code := exitStatus(ctx, err); code != 0 {
		fmt.Fprintln(os.Stderr, "wsldash:", err)
		stop()
		os.Exit(code)
	}
}
