package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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

	AllProcs, Help, Quit key.Binding

	// The keys that open the views, by View (their defaults and names are in the view registry).
	Views [viewCount]key.Binding

	// In dialogs.
	Confirm, Cancel key.Binding
}

// DefaultKeyMap is the built-in key map.
func DefaultKeyMap() KeyMap {
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keyHelp(keys), help))
	}
	km := KeyMap{
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

		AllProcs: b("all distros' processes", "a"),
		Help:     b("help", "?"),
		Quit:     b("quit", "q", "ctrl+c"),

		Confirm: b("confirm", "y", "enter"),
		Cancel:  b("cancel", "n", "esc"),
	}
	for v := range viewCount {
		km.Views[v] = b(views[v].key.help, views[v].key.key)
	}
	return km
}

// binding is one entry of the key map with its config name and, for actions a backend may not
// support, the backend action that gates it.
type binding struct {
	Name   string
	B      *key.Binding
	Action backend.Action // "" when always available
}

// bindings lists the key map: the config names in this order, the view keys in the registry's.
func (k *KeyMap) bindings() []binding {
	out := []binding{
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
	}
	for v := range viewCount {
		out = append(out, binding{views[v].key.name, &k.Views[v], ""})
	}
	return append(out,
		binding{"all_processes", &k.AllProcs, ""},
		binding{"help", &k.Help, ""}, binding{"quit", &k.Quit, ""},
		binding{"confirm", &k.Confirm, ""}, binding{"cancel", &k.Cancel, ""})
}

// named resolves config names to bindings, in order; an unknown name is left out (a test
// checks that the registry names only known ones).
func (k *KeyMap) named(names []string) []*key.Binding {
	all := k.bindings()
	out := make([]*key.Binding, 0, len(names))
	for _, n := range names {
		for _, e := range all {
			if e.Name == n {
				out = append(out, e.B)
				break
			}
		}
	}
	return out
}

// scope is where a key is pressed: the open view, the pane with focus and the panes on screen.
type scope struct {
	view  View
	focus Pane
	shown func(Pane) bool
}

// everywhere is view v with each of its panes on screen and focus on f (the README, the tests).
func everywhere(v View, f Pane) scope {
	return scope{view: v, focus: f, shown: func(Pane) bool { return true }}
}

// focused reports whether a pane of the view on screen has the focus.
func (s scope) focused() bool {
	return slices.Contains(views[s.view].panes, s.focus) && s.shown(s.focus)
}

// keyPanes are the panes whose keys act in s: the focused one, then the other panes of the view
// on screen whose keys reach across the view (paneDef.reach), in the view's drawing order.
func (s scope) keyPanes() []Pane {
	out := make([]Pane, 0, 3)
	if s.focused() && len(panes[s.focus].keys) > 0 {
		out = append(out, s.focus)
	}
	for _, p := range views[s.view].panes {
		if p != s.focus && panes[p].reach && s.shown(p) {
			out = append(out, p)
		}
	}
	return out
}

// helpGroups is the help screen of s, in columns: the keys of the panes that take keys there
// (keyPanes), the view's own, then the keys every view has (the views', theme, help and quit)
// and the dialogs'. A key shows once, in the first group that has it.
func (k *KeyMap) helpGroups(s scope) []helpGroup {
	var out []helpGroup
	seen := map[*key.Binding]bool{}
	add := func(gs []keyGroup) {
		for _, g := range gs {
			var bs []*key.Binding
			for _, b := range k.named(g.keys) {
				if !seen[b] {
					seen[b] = true
					bs = append(bs, b)
				}
			}
			if len(bs) > 0 {
				out = append(out, helpGroup{g.title, bs})
			}
		}
	}
	for _, p := range s.keyPanes() {
		add(panes[p].keys)
	}
	add(views[s.view].keys)
	all := make([]*key.Binding, 0, viewCount+3)
	for i := range k.Views {
		all = append(all, &k.Views[i])
	}
	return append(out,
		helpGroup{"Views", append(all, &k.Theme, &k.Help, &k.Quit)},
		helpGroup{"Dialogs", []*key.Binding{&k.Confirm, &k.Cancel}})
}

type helpGroup struct {
	Title string
	Keys  []*key.Binding
}

// offers reports whether b acts in s: b is among the keys its help lists.
func (k *KeyMap) offers(s scope, b *key.Binding) bool {
	for _, g := range k.helpGroups(s) {
		if slices.Contains(g.Keys, b) {
			return true
		}
	}
	return false
}

// whyNot says where b acts when it does not act in s: on another pane of this view (tab to it),
// or in a view that shows a pane it acts on (the first such view). "" when no pane has it.
func (k *KeyMap) whyNot(s scope, b *key.Binding) string {
	name := k.nameOf(b)
	owns := func(p Pane) bool {
		for _, g := range panes[p].keys {
			if slices.Contains(g.keys, name) {
				return true
			}
		}
		return false
	}
	what := b.Help().Key + " (" + b.Help().Desc + ")"
	for _, p := range views[s.view].panes {
		if owns(p) && s.shown(p) && slices.Contains(views[s.view].focus, p) {
			return fmt.Sprintf("%s works in the %s pane: tab to it", what, panes[p].name)
		}
	}
	for v := range viewCount {
		for _, p := range views[v].panes {
			if owns(p) {
				return fmt.Sprintf("%s works in the %s pane: open %s (%s)", what, panes[p].name, views[v].key.help, k.Views[v].Help().Key)
			}
		}
	}
	return ""
}

// nameOf is b's config name.
func (k *KeyMap) nameOf(b *key.Binding) string {
	for _, e := range k.bindings() {
		if e.B == b {
			return e.Name
		}
	}
	return ""
}

// match is the binding of the main screen msg is, or nil (the dialogs' keys live in their own
// scope; Apply keeps the others' keys apart).
func (k *KeyMap) match(msg tea.KeyPressMsg) *key.Binding {
	for _, e := range k.bindings() {
		if e.B != &k.Confirm && e.B != &k.Cancel && key.Matches(msg, *e.B) {
			return e.B
		}
	}
	return nil
}

// shortHelp is the footer of s, in display order: the focused pane's keys, the view's, then
// those of the other panes whose keys reach (keyPanes), then help and quit. When the line is
// too short the entries are dropped from the end of the list, except the last two (help and
// quit) which always stay.
func (k *KeyMap) shortHelp(s scope) []*key.Binding {
	vf := views[s.view].footer
	var names []string
	if s.focused() {
		names = append(names, panes[s.focus].footer...)
		names = append(names, vf[:len(vf)-2]...)
	} else { // no list on screen to move or filter
		for _, n := range vf[:len(vf)-2] {
			if n != "filter" {
				names = append(names, n)
			}
		}
	}
	for _, p := range s.keyPanes() {
		if p != s.focus {
			names = append(names, panes[p].footer...)
		}
	}
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return k.named(append(out, vf[len(vf)-2:]...))
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
