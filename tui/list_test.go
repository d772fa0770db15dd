package tui

import (
	"strings"
	"testing"
)

type item struct {
	id   int
	name string
}

func sameItem(a, b *item) bool { return a.id == b.id }

func items(names ...string) []item {
	out := make([]item, len(names))
	for i, n := range names {
		out[i] = item{i + 1, n}
	}
	return out
}

func TestListComponent(t *testing.T) {
	type step func(l *list[item])
	set := func(it []item, err string) step {
		return func(l *list[item]) { l.Set(it, err, sameItem) }
	}
	to := func(i int) step { return func(l *list[item]) { l.MoveTo(i) } }
	filter := func(sub string) step {
		return func(l *list[item]) {
			l.filter(sub, func(it *item, q string) bool { return strings.Contains(it.name, q) })
		}
	}
	cases := []struct {
		name      string
		vis       int
		steps     []step
		cur, off  int
		sel       string // "" = none
		len       int
		emptyText string
	}{
		{name: "before any answer", vis: 3, emptyText: "loading…"},
		{name: "an error empties it", vis: 3, steps: []step{set(items("a"), "boom")}, emptyText: "boom"},
		{name: "an answer", vis: 3, steps: []step{set(items("a", "b"), "")}, sel: "a", len: 2, emptyText: "none"},
		{name: "cursor clamped at the end", vis: 3, steps: []step{set(items("a", "b"), ""), to(9)}, cur: 1, sel: "b", len: 2},
		{name: "scrolls the cursor into view", vis: 2, steps: []step{set(items("a", "b", "c", "d"), ""), to(3)}, cur: 3, off: 2, sel: "d", len: 4},
		{name: "back up scrolls back", vis: 2, steps: []step{set(items("a", "b", "c", "d"), ""), to(3), to(0)}, sel: "a", len: 4},
		{name: "a refresh keeps the item", vis: 3, steps: []step{set(items("a", "b", "c"), ""), to(2),
			set([]item{{3, "c"}, {1, "a"}}, "")}, cur: 0, sel: "c", len: 2},
		{name: "a gone item puts the cursor on top", vis: 3, steps: []step{set(items("a", "b", "c"), ""), to(2),
			set([]item{{1, "a"}, {2, "b"}}, "")}, sel: "a", len: 2},
		{name: "filter keeps the selected item", vis: 3, steps: []step{set(items("ab", "b", "abc"), ""), to(2), filter("a")}, cur: 1, sel: "abc", len: 2},
		{name: "filter stays for later answers", vis: 3, steps: []step{set(items("ab", "b"), ""), filter("a"), set(items("ab", "b", "ac"), "")}, sel: "ab", len: 2},
		{name: "filter matching nothing", vis: 3, steps: []step{set(items("a"), ""), filter("z")}, len: 0, emptyText: "nothing matches “z” (esc clears the filter)"},
		{name: "filter in any case", vis: 3, steps: []step{set(items("a", "b"), ""), filter(" B ")}, sel: "b", len: 1},
		{name: "filter on an empty list", vis: 3, steps: []step{set(nil, ""), filter("z")}, len: 0, emptyText: "none"},
		{name: "filter cleared", vis: 3, steps: []step{set(items("a", "b"), ""), filter("b"), filter("")}, cur: 1, sel: "b", len: 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var l list[item]
			l.setVisible(c.vis)
			for _, s := range c.steps {
				s(&l)
			}
			if l.Cursor() != c.cur || l.Offset() != c.off || l.Len() != c.len {
				t.Fatalf("cursor %d offset %d len %d, want %d %d %d", l.Cursor(), l.Offset(), l.Len(), c.cur, c.off, c.len)
			}
			got := ""
			if it, ok := l.Selected(); ok {
				got = it.name
			}
			if got != c.sel {
				t.Fatalf("selected %q, want %q", got, c.sel)
			}
			if c.emptyText != "" && l.emptyText("none") != c.emptyText {
				t.Fatalf("empty text %q, want %q", l.emptyText("none"), c.emptyText)
			}
			from, to := l.window()
			if to-from > l.Visible() || from != l.Offset() {
				t.Fatalf("window [%d,%d) for %d visible at offset %d", from, to, l.Visible(), l.Offset())
			}
		})
	}
}
