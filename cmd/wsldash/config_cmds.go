package main

import "github.com/spf13/cobra"

// addConfigCommands adds `wsldash config list|get|set`. Owned by the .wslconfig work.
func addConfigCommands(root *cobra.Command, a *app) {}
