package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"

	"github.com/wsldash/wsldash/backend"
)

// KeyMap is every key binding of the dashboard. It is data: the footer, the `?` screen and the
// config file's [keys] table are all generated from it, so help never drifts from behaviour.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	FocusNext, FocusPrev                    key.Binding
	Filter                                  key.Binding

	Start, Terminate, SetDefault, Shell key.Binding
	Shutdown, Reclaim, Kill             key.Binding
	Keep, Release                       key.Binding
	// Managing distros (manage.go) and the disks, trash and catalogue views.
	Export, Import, Clone, Unregister, Manage key.Binding
	Restore, Purge, Install                   key.Binding
	Sort, Theme                               key.Binding

	ViewOverview, ViewMemory, ViewProcesses, ViewMounts, ViewConfig key.Binding
	ViewPorts, ViewVMs, ViewDisks, ViewCatalog, AllProcs            key.Binding
	Help, Quit                                                      key.Binding

	// In dialogs.
	Confirm, Cancel key.Binding
}

// DefaultKeyMap is the built-in key map.
func DefaultKeyMap() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keyHelp(keys), help))
	}
	return KeyMap{
		Up:       b("up", "up", "k"),
		Down:     b("down", "down", "j"),
		PageUp:   b("page up", "pgup", "ctrl+u"),
		PageDown: b("page down", "pgdown", "ctrl+d"),
		Top:      b("first", "home", "g"),
		Bottom:   b("last", "end", "G"),

		FocusNext: b("next pane", "tab"),
		FocusPrev: b("previous pane", "shift+tab"),
		Filter:    b("filter", "/"),

		Start:      b("start", "s"),
		Terminate:  b("terminate", "t"),
		SetDefault: b("set default", "d"),
		Shell:      b("shell", "enter"),
		Keep:       b("keep running after quit", "K"),
		Release:    b("release (stop keeping)", "R"),
		Shutdown:   b("shutdown", "S"),
		Reclaim:    b("reclaim", "r"),
		Kill:       b("kill", "x"),
		Export:     b("export", "e"),
		Import:     b("import", "I"),
		Clone:      b("clone", "c"),
		Unregister: b("unregister (to the trash)", "U"),
		Manage:     b("manage", "m"),
		Restore:    b("restore from the trash", "u"),
		Purge:      b("purge from the trash", "P"),
		Install:    b("install from the catalogue", "i"),
		Sort:       b("sort processes", "o"),
		Theme:      b("next theme", "T"),

		ViewOverview:  b("overview", "1"),
		ViewMemory:    b("memory & reclaim", "2"),
		ViewProcesses: b("processes", "3"),
		ViewMounts:    b("mounts", "4"),
		ViewConfig:    b(".wslconfig & wsl.conf", "5"),
		ViewPorts:     b("ports", "6"),
		ViewVMs:       b("VMs on the host", "7"),
		ViewDisks:     b("disks & trash", "8"),
		ViewCatalog:   b("install (catalogue)", "9"),
		AllProcs:      b("all distros' processes", "a"),
		Help:          b("help", "?"),
		Quit:          b("quit", "q", "ctrl+c"),

		Confirm: b("confirm", "y", "enter"),
		Cancel:  b("cancel", "n", "esc"),
	}
}

// binding is one entry of the key map with its config name and, for actions a backend may not
// support, the backend action that gates it.
type binding struct {
	Name   string
	B      *key.Binding
	Action backend.Action // "" when always available
}

// bindings lists the key map in help order.
func (k *KeyMap) bindings() []binding {
	return []binding{
		{"up", &k.Up, ""}, {"down", &k.Down, ""}, {"page_up", &k.PageUp, ""}, {"page_down", &k.PageDown, ""},
		{"top", &k.Top, ""}, {"bottom", &k.Bottom, ""},
		{"focus_next", &k.FocusNext, ""}, {"focus_prev", &k.FocusPrev, ""}, {"filter", &k.Filter, ""},
		{"start", &k.Start, backend.ActStart}, {"terminate", &k.Terminate, backend.ActTerminate},
		{"set_default", &k.SetDefault, backend.ActSetDefault}, {"shell", &k.Shell, backend.ActShell},
		{"keep", &k.Keep, backend.ActKeep}, {"release", &k.Release, backend.ActRelease},
		{"shutdown", &k.Shutdown, backend.ActShutdown}, {"reclaim", &k.Reclaim, backend.ActReclaim},
		{"kill", &k.Kill, backend.ActKill}, {"sort", &k.Sort, ""}, {"theme", &k.Theme, ""},
		{"export", &k.Export, backend.ActExport}, {"import", &k.Import, backend.ActImport}, {"clone", &k.Clone, backend.ActClone},
		{"unregister", &k.Unregister, backend.ActUnregister}, {"manage", &k.Manage, ""},
		{"restore", &k.Restore, backend.ActUnregister}, {"purge", &k.Purge, backend.ActUnregister},
		{"install", &k.Install, backend.ActInstall},
		{"view_overview", &k.ViewOverview, ""}, {"view_memory", &k.ViewMemory, ""},
		{"view_processes", &k.ViewProcesses, ""}, {"view_mounts", &k.ViewMounts, ""},
		{"view_config", &k.ViewConfig, ""}, {"view_ports", &k.ViewPorts, ""}, {"view_vms", &k.ViewVMs, ""},
		{"view_disks", &k.ViewDisks, ""}, {"view_catalog", &k.ViewCatalog, ""}, {"all_processes", &k.AllProcs, ""},
		{"help", &k.Help, ""}, {"quit", &k.Quit, ""},
		{"confirm", &k.Confirm, ""}, {"cancel", &k.Cancel, ""},
	}
}

// viewKeys are the keys of the views, indexed by View.
func (k *KeyMap) viewKeys() [viewCount]*key.Binding {
	return [viewCount]*key.Binding{ViewOverview: &k.ViewOverview, ViewMemory: &k.ViewMemory, ViewProcesses: &k.ViewProcesses,
		ViewMounts: &k.ViewMounts, ViewConfig: &k.ViewConfig, ViewPorts: &k.ViewPorts, ViewVMs: &k.ViewVMs,
		ViewDisks: &k.ViewDisks, ViewCatalog: &k.ViewCatalog}
}

// helpGroups is the full help screen, in columns.
func (k *KeyMap) helpGroups() []helpGroup {
	return []helpGroup{
		{"Move", []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.FocusNext, &k.FocusPrev, &k.Filter}},
		{"Distro", []*key.Binding{&k.Start, &k.Terminate, &k.SetDefault, &k.Shell, &k.Keep, &k.Release}},
		{"Manage", []*key.Binding{&k.Export, &k.Import, &k.Clone, &k.Unregister, &k.Manage, &k.Restore, &k.Purge, &k.Install}},
		{"VM", []*key.Binding{&k.Shutdown, &k.Reclaim, &k.Kill, &k.Sort, &k.AllProcs}},
		{"Views", []*key.Binding{&k.ViewOverview, &k.ViewMemory, &k.ViewProcesses, &k.ViewMounts, &k.ViewConfig, &k.ViewPorts, &k.ViewVMs, &k.ViewDisks, &k.ViewCatalog, &k.Theme, &k.Help, &k.Quit}},
		{"Dialogs", []*key.Binding{&k.Confirm, &k.Cancel}},
	}
}

type helpGroup struct {
	Title string
	Keys  []*key.Binding
}

// shortHelp is the footer, in display order; when the line is too short the entries are dropped
// from the end of the list, except help and quit which always stay.
func (k *KeyMap) shortHelp(v View) []*key.Binding {
	switch v {
	case ViewDisks: // its own keys first: the trash's, and what acts on the selected disk
		return []*key.Binding{&k.Restore, &k.Purge, &k.Manage, &k.Unregister, &k.Export, &k.Start, &k.Help, &k.Quit}
	case ViewCatalog:
		return []*key.Binding{&k.Install, &k.Import, &k.Help, &k.Quit}
	}
	return []*key.Binding{&k.Start, &k.Terminate, &k.Shell, &k.SetDefault, &k.Manage, &k.Filter, &k.Reclaim, &k.Shutdown, &k.Help, &k.Quit}
}

// actionOf returns the backend action that gates b, if any.
func (k *KeyMap) actionOf(b *key.Binding) backend.Action {
	for _, e := range k.bindings() {
		if e.B == b {
			return e.Action
		}
	}
	return ""
}

// ActionNames are the names usable in the config file's [keys] table.
func ActionNames() []string {
	km := DefaultKeyMap()
	var out []string
	for _, e := range km.bindings() {
		out = append(out, e.Name)
	}
	return out
}

// Apply rebinds actions from the config file's [keys] table (action -> keys). Unknown actions,
// empty key lists and a key bound to two actions of the main screen are errors.
func (k *KeyMap) Apply(over map[string][]string) error {
	byName := map[string]*key.Binding{}
	for _, e := range k.bindings() {
		byName[e.Name] = e.B
	}
	for _, name := range sortedKeys(over) {
		b, ok := byName[name]
		if !ok {
			return fmt.Errorf("unknown action %q (known: %s)", name, strings.Join(ActionNames(), ", "))
		}
		keys := over[name]
		if len(keys) == 0 {
			return fmt.Errorf("action %q: no keys", name)
		}
		for _, s := range keys {
			if strings.TrimSpace(s) == "" || strings.ContainsAny(s, " \t") {
				return fmt.Errorf("action %q: bad key %q (use names like \"s\", \"ctrl+s\", \"enter\", \"space\")", name, s)
			}
		}
		b.SetKeys(keys...)
		b.SetHelp(keyHelp(keys), b.Help().Desc)
	}
	seen := map[string]string{}
	for _, e := range k.bindings() {
		if e.Name == "confirm" || e.Name == "cancel" {
			continue // dialog keys live in their own scope
		}
		for _, s := range e.B.Keys() {
			if other, dup := seen[s]; dup {
				return fmt.Errorf("key %q is bound to both %q and %q", s, other, e.Name)
			}
			seen[s] = e.Name
		}
	}
	return nil
}

// keyHelp is the key column of help: the first two keys, pretty-printed.
func keyHelp(keys []string) string {
	var parts []string
	for _, s := range keys {
		if len(parts) == 2 || (s == "ctrl+c" && len(keys) > 1) {
			continue
		}
		switch s {
		case "up":
			s = "↑"
		case "down":
			s = "↓"
		case "enter":
			s = "⏎"
		case "shift+tab":
			s = "S-tab"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "/")
}
