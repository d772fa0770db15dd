package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// focusOn opens view v and tabs to pane f; false when f is not on screen at this size.
func (h *harness) focusOn(v View, f Pane) bool {
	h.t.Helper()
	h.key(views[v].key.key)
	for range views[v].focus {
		if h.m.focus == f {
			return true
		}
		h.key("tab")
	}
	return h.m.focus == f
}

// focusStates are the panes that have the focus in turn in view v at this size, from opening it
// and pressing tab: PaneNone alone when none of its panes is on screen.
func (h *harness) focusStates(v View) []Pane {
	h.t.Helper()
	h.key(views[v].key.key)
	var out []Pane
	for range views[v].focus {
		if !slices.Contains(out, h.m.focus) {
			out = append(out, h.m.focus)
		}
		h.key("tab")
	}
	return out
}

// owners are the panes whose entries list the key named name.
func owners(name string) []Pane {
	var out []Pane
	for p := range paneCount {
		for _, g := range panes[p].keys {
			if slices.Contains(g.keys, name) {
				out = append(out, p)
			}
		}
	}
	return out
}

// Every footer key of every view, with each of its panes in focus, at the end-to-end test's
// sizes: a key that acts on a row acts on one on screen (a pane that takes it is visible), and
// pressing it either acts (a dialog, the help, the filter prompt, a shell, quit) or says in the
// flash line what it did or why not. No footer key is silent.
func TestFooterKeysActOrSayWhy(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		for v := range viewCount {
			probe, _ := newViewsHarness(t, size[0], size[1])
			for _, f := range probe.focusStates(v) {
				probe.focusOn(v, f)
				footer := probe.m.keys.shortHelp(probe.m.scope())
				for _, kb := range footer {
					name := probe.m.keys.nameOf(kb)
					t.Run(fmt.Sprintf("%dx%d/%s/%s/%s", size[0], size[1], v, f, name), func(t *testing.T) {
						h, _ := newViewsHarness(t, size[0], size[1])
						h.focusOn(v, f)
						if os := owners(name); len(os) > 0 && !slices.ContainsFunc(os, h.m.layout.Visible) {
							t.Fatalf("the footer offers %s, but no pane it acts on (%v) is on screen", name, os)
						}
						h.m.flash = flash{}
						h.key(kb.Keys()[0])
						acted := h.m.dialog != nil || h.m.showHelp || h.m.filter.typing() || h.quit || h.execs > 0
						if !acted && h.m.flash.text == "" {
							t.Fatalf("%s did nothing and said nothing", kb.Keys()[0])
						}
					})
				}
			}
		}
	}
}

// On the ports (6) and VMs (7) views no distro table is on screen: the distro keys act on
// nothing (the selection made in another view is not visible) and say where they work; the
// footer does not offer them.
func TestDistroKeysNeedADistroOnScreen(t *testing.T) {
	for _, v := range []View{ViewPorts, ViewVMs} {
		for _, k := range []string{"t", "s", "d", "enter", "m", "e", "U", "K", "x", "u", "P", "i"} {
			t.Run(v.String()+"/"+k, func(t *testing.T) {
				h, be := newViewsHarness(t, 120, 40)
				h.selectDistro("Ubuntu-24.04") // running: t would act at once… before it asked
				h.key(views[v].key.key)
				calls := len(be.Calls())
				h.key(k)
				if h.m.dialog != nil {
					t.Fatalf("%s opened %q on a distro not on screen", k, h.m.dialog.title)
				}
				for _, c := range be.Calls()[calls:] {
					for _, act := range []string{"start", "terminate", "set-default", "shell", "keep", "kill"} {
						if strings.HasPrefix(c, act) {
							t.Fatalf("%s called %q", k, c)
						}
					}
				}
				if h.execs > 0 {
					t.Fatalf("%s opened a shell", k)
				}
				if !strings.Contains(h.m.flash.text, "works in the") || !strings.Contains(h.m.flash.text, ": open ") {
					t.Fatalf("%s says %q, not where it works", k, h.m.flash.text)
				}
				h.m.flash = flash{}
				h.m.cache.invalidate()
				scr := strings.Split(strings.TrimRight(h.screen(), "\n"), "\n")
				if footer := scr[len(scr)-1]; strings.Contains(footer, "terminate") || strings.Contains(footer, "start") {
					t.Fatalf("the footer offers distro keys: %q", footer)
				}
			})
		}
	}
}

// The keys that do nothing on the overview's distro table say where they work, naming the view.
func TestOverviewDistroPaneSaysWhere(t *testing.T) {
	for k, want := range map[string]string{
		"u": "u (restore from the trash) works in the trash pane: open disks & trash (8)",
		"P": "P (purge from the trash) works in the trash pane: open disks & trash (8)",
		"i": "i (install from the catalogue) works in the catalogue pane: open install (catalogue) (9)",
	} {
		h, _ := newViewsHarness(t, 120, 40)
		if h.m.focus != PaneDistros {
			t.Fatalf("the overview opens on %v", h.m.focus)
		}
		h.key(k)
		if h.m.dialog != nil || h.m.flash.text != want {
			t.Errorf("%s: dialog %v, flash %q, want %q", k, h.m.dialog != nil, h.m.flash.text, want)
		}
	}
	// x acts on the process list, which is on screen at 120x40; where it is not, x says so.
	h, _ := newViewsHarness(t, 120, 40)
	h.key("x")
	if h.m.dialog == nil {
		t.Fatalf("x with the process list on screen: no dialog (flash %q)", h.m.flash.text)
	}
}
