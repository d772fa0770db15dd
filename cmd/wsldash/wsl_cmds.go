package main

import "github.com/spf13/cobra"

// addWSLCommands adds the verbs only the wsl backend serves (export, import, clone, unregister,
// trash). Owned by the WSL backend work.
func addWSLCommands(root *cobra.Command, a *app) {}
