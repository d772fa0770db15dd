package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
	"github.com/wsldash/wsldash/internal/units"
)

// addConfigCommands adds `wsldash config list|get|set`: read and edit .wslconfig the way WSL reads
// it (see backend/wslconfig). Owned by the .wslconfig work.
func addConfigCommands(root *cobra.Command, a *app) {
	var file string
	cfg := &cobra.Command{
		Use:   "config",
		Short: "Show and edit .wslconfig (the WSL 2 VM settings) as WSL reads it",
		Args:  cobra.ArbitraryArgs,
		RunE:  groupRunE,
		Long: "Show and edit .wslconfig as WSL itself parses it: keys are section.key (wsl2.memory,\n" +
			"experimental.autoMemoryReclaim), the first occurrence of a key wins, and values WSL would\n" +
			"ignore are refused. Edits keep every other byte of the file (comments, spacing, CRLF) and\n" +
			"leave the previous version in FILE.bak. WSL reads the file when the VM starts. With --demo,\n" +
			"list and get show the demo's sample .wslconfig (the one its dashboard shows), and set refuses.",
	}
	cfg.PersistentFlags().StringVar(&file, "file", "",
		"the .wslconfig to use (default: %UserProfile%\\.wslconfig, found through interop inside WSL, or $"+wslconfig.EnvOverride+")")
	// read reads --file, else the chosen backend's .wslconfig through its config store (the
	// demo's is a sample, the one its dashboard shows). The caller closes b when it is not nil.
	read := func(cmd *cobra.Command) (f *wslconfig.File, cf backend.ConfigFile, b backend.Backend, err error) {
		if file != "" {
			f, err = wslconfig.ReadFile(file)
			return f, backend.ConfigFile{Path: file}, nil, err
		}
		b, err = a.open(cmd.Context())
		if err != nil {
			return nil, cf, nil, err
		}
		cs, ok := b.(backend.ConfigStore)
		if !ok {
			return nil, cf, b, &backend.Error{Kind: backend.KindUnsupported, Op: "config",
				Message: "this backend cannot read .wslconfig; pass --file PATH"}
		}
		if cf, err = cs.WSLConfig(cmd.Context()); err != nil {
			return nil, cf, b, err
		}
		f, err = wslconfig.FromStore(cf)
		return f, cf, b, err
	}

	list := &cobra.Command{
		Use:   "list",
		Short: "Every known key with its value, default and origin; unknown keys and WSL's warnings",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, cf, b, err := read(cmd)
			if b != nil {
				defer b.Close()
			}
			if err != nil {
				return err
			}
			if a.json {
				if b != nil {
					warnDemo(cmd, b)
				}
				return writeJSON(cmd.OutOrStdout(), cfgListJSON(f, cf.Path))
			}
			if b != nil {
				printLabel(cmd, b)
			}
			cfgPrintList(cmd.OutOrStdout(), f, cf.Path)
			return nil
		},
	}
	list.Flags().BoolVar(&a.json, "json", false, "print JSON")

	get := &cobra.Command{
		Use:   "get KEY",
		Short: "Print the value in force for KEY (section.key, e.g. wsl2.memory)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, _, b, err := read(cmd)
			if b != nil {
				defer b.Close()
			}
			if err != nil {
				return err
			}
			if b != nil {
				warnDemo(cmd, b) // stderr: the value on stdout stays the only thing there
			}
			s, err := cfgSetting(f, args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if a.json {
				return writeJSON(out, cfgSettingJSONOf(s))
			}
			switch {
			case s.Set && s.Valid:
				fmt.Fprintln(out, cfgShow(s.Value))
			case s.Set:
				fmt.Fprintf(out, "%s (default; WSL ignores the file's %s on line %d)\n", s.Key.Default, cfgShow(s.Value), s.Line)
			default:
				fmt.Fprintf(out, "%s (default)\n", s.Key.Default)
			}
			return nil
		},
	}
	get.Flags().BoolVar(&a.json, "json", false, "print JSON")

	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Set KEY to VALUE, changing only that value's bytes (refuses values WSL would ignore)",
		Example: "  wsldash config set wsl2.memory 8GB\n" +
			"  wsldash config set experimental.autoMemoryReclaim gradual\n" +
			"  wsldash config set wsl2.swapFile 'D:\\wsl\\swap.vhdx'   # single backslashes: they are escaped for you\n" +
			"  wsldash config set wsl2.vmIdleTimeout -- -1         # -- before a negative number",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, cf, b, err := read(cmd)
			if b != nil {
				defer b.Close()
			}
			if err != nil {
				return err
			}
			if cf.Sample {
				return &backend.Error{Kind: backend.KindUnsupported, Op: "config",
					Message: "the " + cf.Path + " is not a file: nothing to set (pass --file PATH, or leave out --demo)"}
			}
			// The file itself, with its mode, for WriteFile.
			p := cf.Path
			f, err := wslconfig.ReadFile(p)
			if err != nil {
				return err
			}
			before := f.Bytes()
			old, err := cfgSetting(f, args[0])
			if err != nil {
				return err
			}
			if err := f.Set(args[0], args[1]); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			name := old.Key.Name
			if bytes.Equal(before, f.Bytes()) {
				fmt.Fprintf(out, "%s is already %s; %s not changed\n", name, cfgShow(args[1]), p)
				return nil
			}
			if err := wslconfig.WriteFile(p, f); err != nil {
				return err
			}
			now, _ := cfgSetting(f, name)
			was := "not set (default " + old.Key.Default + ")"
			if old.Set {
				was = cfgShow(old.Value)
				if !old.Valid {
					was += " (ignored by WSL)"
				}
			}
			fmt.Fprintf(out, "%s: %s -> %s (line %d of %s)\n", name, was, cfgShow(now.Value), now.Line, p)
			if f.Exists() {
				fmt.Fprintf(out, "previous version saved as %s.bak\n", p)
			}
			fmt.Fprintln(out, "WSL reads .wslconfig when the VM starts: run `wsl --shutdown` to apply it.")
			return nil
		},
	}

	cfg.AddCommand(list, get, set)
	root.AddCommand(cfg)
}

// cfgSetting finds a known key; an unknown one is an error that says whether the file sets it
// anyway (WSL ignores it).
func cfgSetting(f *wslconfig.File, key string) (wslconfig.Setting, error) {
	k, ok := wslconfig.Lookup(key)
	if !ok {
		err := wslconfig.Validate(key, "")
		msg := err.Error()
		var be *backend.Error
		if errors.As(err, &be) {
			msg = be.Message
		}
		if v, present := f.Get(key); present {
			for _, e := range f.Unknown() {
				if strings.EqualFold(e.Key, key) {
					return wslconfig.Setting{}, &backend.Error{Kind: backend.KindNotFound, Op: "config",
						Message: fmt.Sprintf("%s; the file sets it to %s on line %d, but WSL ignores it", msg, cfgShow(v), e.Line)}
				}
			}
		}
		return wslconfig.Setting{}, err
	}
	for _, s := range f.Settings() {
		if s.Key.Name == k.Name {
			return s, nil
		}
	}
	return wslconfig.Setting{Key: k}, nil
}

// cfgShow quotes a value only when it has blanks at its ends or control characters.
func cfgShow(v string) string {
	if v == "" || strings.TrimSpace(v) != v || strings.IndexFunc(v, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 {
		return strconv.Quote(v)
	}
	return v
}

type cfgSettingJSON struct {
	Key string `json:"key"`
	// Value is the value in force: the file's when set and valid, else Default.
	Value string `json:"value"`
	// FileValue is what the file says, when it sets the key.
	FileValue string `json:"file_value,omitempty"`
	Default   string `json:"default"`
	Set       bool   `json:"set"`
	Valid     bool   `json:"valid"`
	Line      int    `json:"line,omitempty"`
	Type      string `json:"type"`
	Doc       string `json:"doc"`
}

func cfgSettingJSONOf(s wslconfig.Setting) cfgSettingJSON {
	j := cfgSettingJSON{Key: s.Key.Name, Value: s.Effective(), Default: s.Key.Default, Set: s.Set,
		Valid: !s.Set || s.Valid, Line: s.Line, Type: string(s.Key.Type), Doc: s.Key.Doc}
	if s.Set {
		j.FileValue = s.Value
	}
	return j
}

type cfgListOut struct {
	File     string              `json:"file"`
	Exists   bool                `json:"exists"`
	Settings []cfgSettingJSON    `json:"settings"`
	Unknown  []wslconfig.Entry   `json:"unknown"`
	Warnings []wslconfig.Warning `json:"warnings"`
	Reclaim  struct {
		Mode        backend.ReclaimMode `json:"mode"`
		Description string              `json:"description"`
	} `json:"reclaim"`
}

// cfgListJSON is `config list --json` for f, found at path (or, for a sample, so called).
func cfgListJSON(f *wslconfig.File, path string) cfgListOut {
	o := cfgListOut{File: path, Exists: f.Exists(), Unknown: f.Unknown(), Warnings: f.Warnings()}
	if o.Unknown == nil {
		o.Unknown = []wslconfig.Entry{}
	}
	if o.Warnings == nil {
		o.Warnings = []wslconfig.Warning{}
	}
	for _, s := range f.Settings() {
		o.Settings = append(o.Settings, cfgSettingJSONOf(s))
	}
	o.Reclaim.Mode = wslconfig.ReclaimMode(f)
	o.Reclaim.Description = wslconfig.DescribeReclaim(o.Reclaim.Mode, "")
	return o
}

// cfgPrintList is `config list` for f, found at path (or, for a sample, so called).
func cfgPrintList(out io.Writer, f *wslconfig.File, path string) {
	state := ""
	if !f.Exists() {
		state = " (does not exist: every key has its default)"
	}
	fmt.Fprintf(out, "File: %s%s\n\n", path, state)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tDEFAULT\tFROM")
	for _, s := range f.Settings() {
		from := "default"
		switch {
		case s.Set && s.Valid:
			from = fmt.Sprintf("file, line %d", s.Line)
		case s.Set:
			from = fmt.Sprintf("default (line %d: %s is ignored)", s.Line, cfgShow(s.Value))
		}
		val := units.Unknown // not set: the default is in force
		if s.Set && s.Valid {
			val = cfgShow(s.Value)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Key.Name, val, s.Key.Default, from)
	}
	tw.Flush()
	if u := f.Unknown(); len(u) > 0 {
		fmt.Fprintln(out, "\nUnknown keys (WSL ignores them):")
		for _, e := range u {
			fmt.Fprintf(out, "  line %d: %s = %s\n", e.Line, e.Key, cfgShow(e.Value))
		}
	}
	if w := f.Warnings(); len(w) > 0 {
		fmt.Fprintln(out, "\nWarnings, as WSL prints them at the next start:")
		for _, x := range w {
			fmt.Fprintf(out, "  %s\n", x.Text)
		}
	}
	fmt.Fprintf(out, "\nautoMemoryReclaim: %s\n", wslconfig.DescribeReclaim(wslconfig.ReclaimMode(f), ""))
}
