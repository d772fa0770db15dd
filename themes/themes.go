// Package themes holds wsldash's colour palettes. A palette is a small set of semantic roles (text,
// borders, accent, status and graph series colours); the TUI turns one palette into its Styles.
// This package imports nothing from the TUI: tui depends on themes, never the reverse.
//
// "default" adapts to the terminal: Get("default", isDark) picks its light or dark variant. The
// named themes (catppuccin-mocha, dracula, nord, gruvbox, solarized-light) have a fixed
// background, which the TUI paints, so they read the same on any terminal.
package themes

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
)

// Palette is one theme's colours by role.
type Palette struct {
	Name string
	// Dark is whether the palette is meant for a dark background.
	Dark bool
	// Adaptive is true for "default": the TUI leaves the terminal's own background alone and
	// rebuilds the palette when it learns whether that background is dark.
	Adaptive bool

	Fg          color.Color // body text
	FgMuted     color.Color // secondary text, disabled keys, axes
	Bg          color.Color // the screen's background (painted for fixed themes)
	BgPanel     color.Color // selection, dialogs, badges
	Border      color.Color // pane borders
	BorderFocus color.Color // the focused pane's border
	Accent      color.Color // titles, keys, the spinner
	OK          color.Color // Running, success messages
	Warn        color.Color // transitional states, warnings
	Err         color.Color // errors

	// Graph series.
	Used  color.Color // guest memory in use
	Cache color.Color // page cache (reclaimable)
	Free  color.Color // free guest memory
	VM    color.Color // the host's VM process (vmmem) line
	CPU   color.Color // CPU usage
}

// DefaultName is the theme used when none is configured.
const DefaultName = "default"

type entry struct {
	dark, light func() Palette // light is nil for fixed themes
}

var registry = map[string]entry{
	"default":          {dark: defaultDark, light: defaultLight},
	"catppuccin-mocha": {dark: catppuccinMocha},
	"dracula":          {dark: dracula},
	"nord":             {dark: nord},
	"gruvbox":          {dark: gruvbox},
	"solarized-light":  {dark: solarizedLight},
}

// Names lists the built-in themes, "default" first, the rest sorted.
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		if n != DefaultName {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return append([]string{DefaultName}, out...)
}

// Get returns the named theme's palette for a terminal whose background is dark (isDark) or
// light. Only adaptive themes care about isDark. The name is case-insensitive; "" is "default".
// An unknown name is an error that lists the known ones.
func Get(name string, isDark bool) (Palette, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if key == "" {
		key = DefaultName
	}
	e, ok := registry[key]
	if !ok {
		return Palette{}, fmt.Errorf("unknown theme %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if !isDark && e.light != nil {
		return e.light(), nil
	}
	return e.dark(), nil
}

// Default is the adaptive default palette.
func Default(isDark bool) Palette {
	if isDark {
		return defaultDark()
	}
	return defaultLight()
}

func c(hex string) color.Color { return lipgloss.Color(hex) }

func defaultDark() Palette {
	return Palette{
		Name: DefaultName, Dark: true, Adaptive: true,
		Fg: c("#D4D4D8"), FgMuted: c("#8A8A96"), Bg: c("#18181B"), BgPanel: c("#2E2E38"),
		Border: c("#4A4A56"), BorderFocus: c("#A78BFA"), Accent: c("#A78BFA"),
		OK: c("#4ADE80"), Warn: c("#FBBF24"), Err: c("#F87171"),
		Used: c("#60A5FA"), Cache: c("#C084FC"), Free: c("#3F3F4A"), VM: c("#F472B6"), CPU: c("#34D399"),
	}
}

func defaultLight() Palette {
	return Palette{
		Name: DefaultName, Dark: false, Adaptive: true,
		Fg: c("#27272A"), FgMuted: c("#6B6B76"), Bg: c("#FFFFFF"), BgPanel: c("#E9E7F5"),
		Border: c("#B8B8C4"), BorderFocus: c("#6D28D9"), Accent: c("#6D28D9"),
		OK: c("#15803D"), Warn: c("#B45309"), Err: c("#B91C1C"),
		Used: c("#2563EB"), Cache: c("#9333EA"), Free: c("#D4D4DC"), VM: c("#DB2777"), CPU: c("#047857"),
	}
}

func catppuccinMocha() Palette {
	return Palette{
		Name: "catppuccin-mocha", Dark: true,
		Fg: c("#CDD6F4"), FgMuted: c("#7F849C"), Bg: c("#1E1E2E"), BgPanel: c("#313244"),
		Border: c("#45475A"), BorderFocus: c("#CBA6F7"), Accent: c("#CBA6F7"),
		OK: c("#A6E3A1"), Warn: c("#F9E2AF"), Err: c("#F38BA8"),
		Used: c("#89B4FA"), Cache: c("#CBA6F7"), Free: c("#45475A"), VM: c("#F5C2E7"), CPU: c("#94E2D5"),
	}
}

func dracula() Palette {
	return Palette{
		Name: "dracula", Dark: true,
		Fg: c("#F8F8F2"), FgMuted: c("#6272A4"), Bg: c("#282A36"), BgPanel: c("#44475A"),
		Border: c("#44475A"), BorderFocus: c("#BD93F9"), Accent: c("#BD93F9"),
		OK: c("#50FA7B"), Warn: c("#F1FA8C"), Err: c("#FF5555"),
		Used: c("#8BE9FD"), Cache: c("#BD93F9"), Free: c("#44475A"), VM: c("#FF79C6"), CPU: c("#50FA7B"),
	}
}

func nord() Palette {
	return Palette{
		Name: "nord", Dark: true,
		Fg: c("#D8DEE9"), FgMuted: c("#7B88A1"), Bg: c("#2E3440"), BgPanel: c("#3B4252"),
		Border: c("#4C566A"), BorderFocus: c("#88C0D0"), Accent: c("#88C0D0"),
		OK: c("#A3BE8C"), Warn: c("#EBCB8B"), Err: c("#BF616A"),
		Used: c("#81A1C1"), Cache: c("#B48EAD"), Free: c("#434C5E"), VM: c("#D08770"), CPU: c("#8FBCBB"),
	}
}

func gruvbox() Palette {
	return Palette{
		Name: "gruvbox", Dark: true,
		Fg: c("#EBDBB2"), FgMuted: c("#928374"), Bg: c("#282828"), BgPanel: c("#3C3836"),
		Border: c("#504945"), BorderFocus: c("#FABD2F"), Accent: c("#FABD2F"),
		OK: c("#B8BB26"), Warn: c("#FE8019"), Err: c("#FB4934"),
		Used: c("#83A598"), Cache: c("#D3869B"), Free: c("#504945"), VM: c("#FE8019"), CPU: c("#8EC07C"),
	}
}

func solarizedLight() Palette {
	return Palette{
		Name: "solarized-light", Dark: false,
		Fg: c("#586E75"), FgMuted: c("#93A1A1"), Bg: c("#FDF6E3"), BgPanel: c("#EEE8D5"),
		Border: c("#C9C3B0"), BorderFocus: c("#268BD2"), Accent: c("#268BD2"),
		OK: c("#859900"), Warn: c("#B58900"), Err: c("#DC322F"),
		Used: c("#268BD2"), Cache: c("#6C71C4"), Free: c("#E4DDC8"), VM: c("#D33682"), CPU: c("#2AA198"),
	}
}
