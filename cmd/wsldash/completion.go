package main

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
	"github.com/wsldash/wsldash/themes"
)

// Shell completion that knows WSL: cobra's `wsldash completion bash|zsh|fish|powershell`
// scripts call `wsldash __complete …`, which answers here. Distro names come from the backend
// (with a short timeout, so a hung wsl.exe never hangs the shell), trash entries from the trash,
// .wslconfig keys and themes from their tables.

// completeTimeout bounds every question a completion asks.
const completeTimeout = 2 * time.Second

// distroArgCommands take a distro name as their first argument ("trash restore" and friends
// are set apart below). A command added later that takes one belongs here.
var distroArgCommands = []string{"start", "terminate", "set-default", "mounts", "ps", "export", "clone", "unregister", "release",
	"move", "resize", "sparse", "set-user", "compact", "rename"}

func addCompletions(root *cobra.Command, a *app) {
	// cobra adds `completion` when it runs; adding it now lets it refuse unknown shells like
	// every group does (cobra's own prints its help and exits 0).
	root.InitDefaultCompletionCmd()
	if c := findCmd(root, "completion"); c != nil && c.RunE == nil && c.Run == nil {
		c.Args, c.RunE = cobra.ArbitraryArgs, groupRunE
	}
	for _, path := range distroArgCommands {
		if c := findCmd(root, path); c != nil && c.ValidArgsFunction == nil {
			c.ValidArgsFunction = firstArgOnly(completeDistros(a))
		}
	}
	for _, path := range []string{"trash restore", "trash purge"} {
		if c := findCmd(root, path); c != nil {
			c.ValidArgsFunction = firstArgOnly(completeTrash(a))
		}
	}
	for _, path := range []string{"config get", "config set"} {
		if c := findCmd(root, path); c != nil {
			c.ValidArgsFunction = completeConfig
		}
	}
	fixed := func(vals ...string) func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return withPrefix(vals, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
	}
	root.RegisterFlagCompletionFunc("theme", fixed(themes.Names()...))
	root.RegisterFlagCompletionFunc("backend", fixed("auto", "wsl", "local", "demo"))
	if c := findCmd(root, "reclaim"); c != nil {
		c.RegisterFlagCompletionFunc("mode", fixed("dropcache", "gradual", "compact"))
	}
}

// findCmd finds a command by its path under root ("trash restore"), or nil.
func findCmd(root *cobra.Command, path string) *cobra.Command {
	c := root
	for _, name := range strings.Fields(path) {
		var next *cobra.Command
		for _, sub := range c.Commands() {
			if sub.Name() == name {
				next = sub
			}
		}
		if next == nil {
			return nil
		}
		c = next
	}
	return c
}

type completeFunc = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective)

func firstArgOnly(f completeFunc) completeFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveDefault // FILE, DIR: the shell's own completion
		}
		return f(cmd, args, toComplete)
	}
}

func withPrefix(vals []string, prefix string) []cobra.Completion {
	var out []cobra.Completion
	for _, v := range vals {
		if strings.HasPrefix(strings.ToLower(v), strings.ToLower(prefix)) {
			out = append(out, v)
		}
	}
	return out
}

func completeCtx(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithTimeout(ctx, completeTimeout)
}

// completeDistros lists the backend's distros. A backend that fails or is slow completes
// nothing, and says why in cobra's debug log (BASH_COMP_DEBUG_FILE).
func completeDistros(a *app) completeFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		ctx, cancel := completeCtx(cmd)
		defer cancel()
		b, err := a.open(ctx)
		if err != nil {
			cobra.CompDebugln("distros: "+err.Error(), true)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer b.Close()
		ds, err := b.Distros(ctx)
		if err != nil {
			cobra.CompDebugln("distros: "+err.Error(), true)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []string
		for _, d := range ds {
			names = append(names, d.Name)
		}
		return withPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeTrash lists the names in the trash (newest first, once each).
func completeTrash(a *app) completeFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		ctx, cancel := completeCtx(cmd)
		defer cancel()
		b, err := a.open(ctx)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer b.Close()
		ar, ok := b.(backend.Archiver)
		if !ok {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		es, err := ar.TrashList()
		if err != nil {
			cobra.CompDebugln("trash: "+err.Error(), true)
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		seen := map[string]bool{}
		var names []string
		for _, e := range es {
			if !seen[e.Name] {
				seen[e.Name] = true
				names = append(names, e.Name)
			}
		}
		return withPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeConfig completes a .wslconfig key, and for `config set` an enum's values.
func completeConfig(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch {
	case len(args) == 0:
		var names []string
		for _, k := range wslconfig.Keys() {
			names = append(names, k.Name)
		}
		sort.Strings(names)
		return withPrefix(names, toComplete), cobra.ShellCompDirectiveNoFileComp
	case len(args) == 1 && cmd.Name() == "set":
		if k, ok := wslconfig.Lookup(args[0]); ok && len(k.Values) > 0 {
			return withPrefix(k.Values, toComplete), cobra.ShellCompDirectiveNoFileComp
		}
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}
