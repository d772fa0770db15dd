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
	if err := newRootCmd(newApp()).ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "wsldash:", err)
		os.Exit(1)
	}
}
