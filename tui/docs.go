package tui

import (
	"fmt"
	"reflect"
	"strings"

	"charm.land/bubbles/v2/key"
)

// Reference tables for the README, generated from the key map and the config's defaults so the
// documentation cannot drift from behaviour (cmd/wsldash's README test compares them).

// KeysMarkdown is the README's keybindings table: every binding of the default key map, in the
// order of the `?` screens (each view's with each of its panes in focus, merged: a group's keys
// where the group first shows, each key once), with its config name (for [keys] in config.toml).
func KeysMarkdown() string {
	km := DefaultKeyMap()
	names := map[*key.Binding]binding{}
	for _, e := range km.bindings() {
		names[e.B] = e
	}
	var groups []helpGroup
	at := map[string]int{}
	seen := map[*key.Binding]bool{}
	for v := range viewCount {
		for _, f := range views[v].focus {
			for _, g := range km.helpGroups(everywhere(v, f)) {
				i, ok := at[g.Title]
				if !ok {
					i = len(groups)
					at[g.Title] = i
					groups = append(groups, helpGroup{Title: g.Title})
				}
				for _, kb := range g.Keys {
					if !seen[kb] {
						seen[kb] = true
						groups[i].Keys = append(groups[i].Keys, kb)
					}
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString("| keys | does | group | config name |\n|---|---|---|---|\n")
	for _, g := range groups {
		for _, kb := range g.Keys {
			e := names[kb]
			var ks []string
			for _, k := range kb.Keys() {
				ks = append(ks, "`"+k+"`")
			}
			does := kb.Help().Desc
			if e.Action != "" {
				does += " (when the backend can)"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | `%s` |\n", strings.Join(ks, " "), does, g.Title, e.Name)
		}
	}
	return b.String()
}

// configDoc documents one setting of config.toml; its default comes from DefaultConfig.
type configDoc struct {
	Key, Doc string
}

// configDocs is every top-level setting of Config, by its toml name. A test checks that it
// covers every field of Config.
var configDocs = []configDoc{
	{"theme", "colour theme: " + "`default` (adapts to light and dark terminals), `catppuccin-mocha`, `dracula`, `nord`, `gruvbox`, `solarized-light`; `--theme` overrides it"},
	{"refresh", fmt.Sprintf("how often the dashboard samples, a Go duration from %s to %s; `--refresh` overrides it", MinRefresh, MaxRefresh)},
	{"fps", fmt.Sprintf("frames a second at most, 1 to %d: a key shows on screen within 1/fps; after a change the renderer ticks at fps for half a second, each tick ~0.02%% of a core", MaxFPS)},
	{"idle_refresh", fmt.Sprintf("how often the dashboard samples when nobody is looking: the terminal lost focus, or WSL's idle window is running and no key came for a minute (so that wsldash is not what keeps WSL from reclaiming memory); a key or the focus brings the live refresh back at once; %s to %s, never faster than `refresh`", MinRefresh, MaxRefresh)},
	{"keys", "a table, action = [keys…], rebinding the config names of the keybindings table; a key bound to two actions is an error"},
}

// ConfigMarkdown is the README's config.toml reference: every key with its default.
func ConfigMarkdown() string {
	def := DefaultConfig()
	v := reflect.ValueOf(def).Elem()
	defaults := map[string]string{}
	for i := 0; i < v.NumField(); i++ {
		name := strings.Split(v.Type().Field(i).Tag.Get("toml"), ",")[0]
		switch x := v.Field(i).Interface().(type) {
		case string:
			defaults[name] = fmt.Sprintf("`%q`", x)
		case Duration:
			defaults[name] = fmt.Sprintf("`%q`", x.Duration.String())
		case int:
			defaults[name] = fmt.Sprintf("`%d`", x)
		default:
			defaults[name] = "the keybindings table"
		}
	}
	var b strings.Builder
	b.WriteString("| key | default | what it does |\n|---|---|---|\n")
	for _, d := range configDocs {
		k := "`" + d.Key + "`"
		if d.Key == "keys" {
			k = "`[keys]`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", k, defaults[d.Key], d.Doc)
	}
	return b.String()
}
