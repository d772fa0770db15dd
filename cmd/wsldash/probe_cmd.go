package main

import (
	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend/guestprobe"
)

func init() {
	// This binary answers `probe NONCE` (the test binary too: probe_cmd_test.go), so on a
	// Linux machine that is not WSL the wsl backend may start it as its guest probe.
	guestprobe.Offer()
}

// probeCmd is `wsldash probe NONCE`, the guest side of the wsl backend: the Linux build run in a
// WSL 2 distro by wsldash.exe (`wsl.exe -d X --cd DIR --exec ./wsldash probe NONCE`), answering
// requests for /proc sections on stdin until it closes (package guestprobe). Machine-facing, so
// hidden.
func probeCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "probe NONCE",
		Short:  "Answer the dashboard's requests for /proc sections on stdin (the guest side of the wsl backend)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		// No PersistentPreRunE of the root (flag checks the probe does not use).
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, args []string) error {
			return guestprobe.Main(args[0], programVersion())
		},
	}
}
