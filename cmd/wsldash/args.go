package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
)

// negativeNumber is an argument that is a value, not a flag: "-5GB", "-1", "-.5". No wsldash flag
// has a digit for a shorthand, so pflag would only fail on it ("unknown shorthand flag: '5'").
var negativeNumber = regexp.MustCompile(`^-\.?[0-9]`)

// negativeValues rewrites args so that a negative number given as an argument (config set
// wsl2.memory -5GB, resize Debian -1) reaches the command, whose own check then says what is
// wrong with it: the command path, then the flags with their values, then "--" and the
// arguments in their order. args without such a number, or after a "--", are left as they are;
// a negative number that is a flag's value (--count -1) stays with its flag.
func negativeValues(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd.DisableFlagParsing {
		return args
	}
	takesValue := func(s string) bool {
		if strings.Contains(s, "=") {
			return false
		}
		if name, ok := strings.CutPrefix(s, "--"); ok {
			f := cmd.Flags().Lookup(name)
			if f == nil {
				f = cmd.InheritedFlags().Lookup(name)
			}
			return f != nil && f.NoOptDefVal == ""
		}
		short := s[len(s)-1:] // in -abc only the last shorthand can take the next argument
		f := cmd.Flags().ShorthandLookup(short)
		if f == nil {
			f = cmd.InheritedFlags().ShorthandLookup(short)
		}
		return f != nil && f.NoOptDefVal == ""
	}
	var path, flags, pos []string
	c, found := root, false
	for i := 0; i < len(args); i++ {
		s := args[i]
		switch {
		case s == "--":
			return args
		case negativeNumber.MatchString(s):
			pos, found = append(pos, s), true
		case len(s) > 1 && s[0] == '-':
			flags = append(flags, s)
			if takesValue(s) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			if len(pos) == 0 {
				if sub := subcommand(c, s); sub != nil {
					path, c = append(path, s), sub
					continue
				}
			}
			pos = append(pos, s)
		}
	}
	if !found {
		return args
	}
	out := append(append(path, flags...), "--")
	return append(out, pos...)
}

// subcommand is c's subcommand called name (or with that alias), or nil.
func subcommand(c *cobra.Command, name string) *cobra.Command {
	for _, sub := range c.Commands() {
		if sub.Name() == name || sub.HasAlias(name) {
			return sub
		}
	}
	return nil
}

// invalidFlagValue is pflag's error for a value its type cannot read ("invalid argument "abc"
// for "-n, --limit" flag: strconv.ParseInt: parsing "abc": invalid syntax").
var invalidFlagValue = regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: (.*)$`)

// flagError is every command's flag error: a bad value says in a sentence what the flag takes,
// and the dashboard's own flag (--theme) after a command says where it goes.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if m := invalidFlagValue.FindStringSubmatch(msg); m != nil {
		value, name, cause := m[1], strings.Replace(m[2], ", ", "/", 1), m[3]
		what := cause
		switch {
		case strings.Contains(cause, "ParseInt"), strings.Contains(cause, "ParseUint"):
			what = "give a whole number"
			if strings.Contains(cause, "out of range") {
				what = "the number is too large"
			}
		case strings.Contains(cause, "ParseFloat"):
			what = "give a number"
		case strings.Contains(cause, "ParseBool"):
			what = "give true or false"
		case strings.HasPrefix(cause, "time: "):
			what = "give a Go duration such as 250ms, 1s or 5m"
		}
		return fmt.Errorf("%s %q: %s (see %s --help)", name, value, what, cmd.CommandPath())
	}
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok && cmd != cmd.Root() && cmd.Root().LocalNonPersistentFlags().Lookup(name) != nil {
		return fmt.Errorf("--%s is the dashboard's flag: give it without a command (wsldash --%s …)", name, name)
	}
	return fmt.Errorf("%w (see %s --help)", err, cmd.CommandPath())
}

// helpCmd is cobra's help command, but a topic that is no command is an error (cobra prints the
// root's usage and exits 0).
func helpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help provides help for any command in the application.\nSimply type " + root.Name() + " help [path to command] for full details.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := root.Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err == nil && len(rest) > 0 {
				err = fmt.Errorf("unknown command %q for %q", rest[0], cmd.CommandPath())
			}
			if err != nil || cmd == nil {
				return fmt.Errorf("unknown help topic %q: %v (see %s --help)", strings.Join(args, " "), err, root.Name())
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}
