package tui

import (
	"strings"
	"testing"

	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// focusPane opens view v and tabs to pane p.
func (h *harness) focusPane(v string, p Pane) {
	h.t.Helper()
	h.key(v)
	for range 6 {
		if h.m.focus == p {
			return
		}
		h.key("tab")
	}
	h.t.Fatalf("view %s: no focus on %v (at %v)", v, p, h.m.focus)
}

func (h *harness) footer() string {
	lines := strings.Split(h.screen(), "\n")
	return lines[len(lines)-1]
}

// `/` filters the focused list, whichever it is: the prompt says what it filters, the rows
// follow the text as it is typed, enter keeps the filter (in the pane's title), esc clears it.
func TestFilterEveryList(t *testing.T) {
	demo := func(t *testing.T) *harness { return newDemoHarness(t, 200, 60) }
	trash := func(t *testing.T) *harness {
		h, be := newViewsHarness(t, 200, 60)
		be.SetTrash([]backend.TrashEntry{
			{Name: "Fedora", Version: 2, Bytes: 700 << 20, Trashed: t0.Add(-time.Hour), State: backend.TrashDone},
			{Name: "Alpine", Version: 2, Bytes: 90 << 20, Trashed: t0.Add(-2 * time.Hour), State: backend.TrashDone}})
		return h
	}
	cases := []struct {
		name         string
		start        func(t *testing.T) *harness
		view         string
		pane         Pane
		prompt       string // what the empty prompt says
		query        string
		keep, gone   string // a row that stays, one that goes
		title, empty string
	}{
		{"distros", demo, "1", PaneDistros, "filter distros: name", "kali", "kali-linux", "Debian", "Distros", ""},
		{"processes by name", demo, "3", PaneProcs, "filter processes: name, user, pid", "gopl", "gopls", "systemd", "Processes", ""},
		{"processes by pid", demo, "3", PaneProcs, "filter processes", "1187", "node", "gopls", "Processes", ""},
		{"processes by user", demo, "3", PaneProcs, "filter processes", "ROOT", "systemd-journal", "gopls", "Processes", ""},
		{"mounts", demo, "1", PaneMounts, "filter mounts: target, source, type, kind", "drvfs", "/mnt/c", "/dev/sdd", "Mounts", ""},
		{"ports", demo, "6", PanePorts, "filter ports: port, address", "redis", "6379", "5432", "Ports", ""},
		{"VMs", demo, "7", PaneVMs, "filter VMs: kind, owner, name", "hyper", "Windows 11 dev environment", "vmmemWSL", "VMs", ""},
		{"disks", demo, "8", PaneDisks, "filter disks: distro, state", "kali", "kali-linux", "Debian", "Disks", ""},
		{"trash", trash, "8", PaneTrash, "filter trash: name, state", "alp", "Alpine", "Fedora", "Trash", ""},
		{"catalogue", demo, "9", PaneCatalog, "filter catalogue: name, friendly name", "suse", "openSUSE-Leap-16.0", "Kali Linux Rolling", "Catalogue", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.start(t)
			h.focusPane(c.view, c.pane)
			l := h.m.listOf(c.pane).scroll()
			all := l.Len()
			if s := h.paneText(c.pane); !strings.Contains(s, c.keep) || !strings.Contains(s, c.gone) || all < 2 {
				t.Fatalf("before the filter (%d rows):\n%s", all, s)
			}
			h.key("/")
			if !h.m.filter.typing() || !strings.Contains(h.footer(), c.prompt) {
				t.Fatalf("prompt: typing %v, footer %q", h.m.filter.typing(), h.footer())
			}
			h.typeText(c.query)
			s := h.paneText(c.pane)
			if !strings.Contains(s, c.keep) || strings.Contains(s, c.gone) || l.Len() >= all {
				t.Fatalf("typing %q: %d of %d rows:\n%s", c.query, l.Len(), all, s)
			}
			if !strings.Contains(h.footer(), "/"+c.query) {
				t.Fatalf("footer while typing: %q", h.footer())
			}
			h.key("enter")
			s = h.paneText(c.pane)
			if h.m.filter.typing() || !strings.Contains(s, c.title+" · filter: "+c.query) || strings.Contains(s, c.gone) {
				t.Fatalf("after enter: typing %v\n%s", h.m.filter.typing(), s)
			}
			h.key("j") // keys act again once the filter is kept
			h.key("esc")
			s = h.paneText(c.pane)
			if l.Len() != all || l.Query() != "" || strings.Contains(s, "filter:") || !strings.Contains(s, c.gone) {
				t.Fatalf("after esc: %d of %d rows, query %q\n%s", l.Len(), all, l.Query(), s)
			}
		})
	}
}

// Keys typed into the filter act on nothing: s starts no distro, x opens no dialog, q does not
// quit, whichever list is filtered.
func TestFilterKeysDoNotAct(t *testing.T) {
	for _, p := range []struct {
		view string
		pane Pane
	}{{"1", PaneDistros}, {"3", PaneProcs}, {"1", PaneMounts}} {
		h, _ := newFakeHarness(t, 200, 60)
		h.focusPane(p.view, p.pane)
		h.key("/")
		h.typeText("stxqaoT?1")
		mustNotCallPrefix(t, h, "start")
		mustNotCallPrefix(t, h, "terminate")
		if h.quit || h.m.dialog != nil || h.m.showHelp || h.m.procPane.all || h.m.view != ViewOverview && p.view == "1" {
			t.Fatalf("%v: a key acted (quit %v dialog %v help %v all %v view %v)", p.pane, h.quit, h.m.dialog != nil, h.m.showHelp, h.m.procPane.all, h.m.view)
		}
		if q := h.m.listOf(p.pane).scroll().Query(); q != "stxqaoT?1" {
			t.Fatalf("%v: query %q", p.pane, q)
		}
	}
}

// esc while typing brings back the filter kept before; a second esc clears it.
func TestFilterEscCancelsTheEdit(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	h.focusPane("3", PaneProcs)
	h.key("/")
	h.typeText("sys")
	h.key("enter")
	h.key("/")
	h.typeText("temd-j")
	if q := h.m.procPane.list.Query(); q != "systemd-j" || h.m.procPane.list.Len() != 1 {
		t.Fatalf("editing: query %q, %d rows", q, h.m.procPane.list.Len())
	}
	h.key("esc")
	if q := h.m.procPane.list.Query(); q != "sys" || h.m.filter.typing() || h.m.procPane.list.Len() != 3 {
		t.Fatalf("esc while typing: query %q, %d rows", q, h.m.procPane.list.Len())
	}
	h.key("esc")
	if q := h.m.procPane.list.Query(); q != "" {
		t.Fatalf("esc on the kept filter: query %q", q)
	}
}

// A pane with no filter (the config files) has nothing to filter: / says so and opens no prompt.
func TestFilterWhereNone(t *testing.T) {
	h := newDemoHarness(t, 200, 60)
	h.key("5")
	if _, ok := h.m.paneOf(h.m.focus).(filterPane); ok {
		t.Fatalf("%v has a filter", h.m.focus)
	}
	h.key("/")
	if h.m.filter.typing() {
		t.Fatal("a prompt on a chart")
	}
	mustFlash(t, h, flashInfo, "/ filters a list")
}

// Every distro's processes (a) stay on screen across a resize that hides the process list and
// brings it back: the list asked for when it comes back is every distro's, not the selection's.
func TestAllProcessesSurviveResize(t *testing.T) {
	for _, size := range [][2]int{{60, 15}, {40, 10}} { // a layout without the list; too small
		h := newDemoHarness(t, 120, 40)
		h.focusPane("3", PaneProcs)
		h.key("a")
		if h.m.procPane.of != allDistros || !strings.Contains(h.paneText(PaneProcs), "DISTRO") {
			t.Fatalf("a: list of %q\n%s", h.m.procPane.of, h.paneText(PaneProcs))
		}
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
		h.key("3")
		if !h.m.procPane.all || h.m.procPane.of != allDistros || !strings.Contains(h.paneText(PaneProcs), "all running distros") {
			t.Fatalf("after %v: all %v, list of %q\n%s", size, h.m.procPane.all, h.m.procPane.of, h.paneText(PaneProcs))
		}
		h.tick()
		if h.m.procPane.of != allDistros {
			t.Fatalf("after a refresh: list of %q", h.m.procPane.of)
		}
	}
}

// Sorting a filtered process list (o) keeps the filter's rows and the cursor on its process.
func TestSortFilteredProcesses(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	h.focusPane("3", PaneProcs)
	h.key("/")
	h.typeText("sys")
	h.key("enter")
	h.key("j")
	want, _ := h.m.procPane.list.Selected()
	pid := want.PID
	l := &h.m.procPane.list
	for n := range sortModes { // every order
		h.key("o")
		mustFlash(t, h, flashInfo, "processes by")
		got, _ := l.Selected()
		if l.Len() != 3 || got.PID != pid {
			t.Fatalf("after o ×%d: %d rows, cursor on pid %d, want 3 rows on pid %d", n+1, l.Len(), got.PID, pid)
		}
		for i := range l.Len() {
			if !strings.Contains(l.At(i).Name, "sys") {
				t.Fatalf("after o ×%d: row %d is %q", n+1, i, l.At(i).Name)
			}
		}
	}
}
