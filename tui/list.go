package tui

import "strings"

// list is the one list component of the dashboard: the rows of the distros, processes, mounts,
// config, ports and VMs panes, and the catalogue. It holds the items, the filtered rows, the
// cursor and the scroll offset, and the loading/error state that decides what an empty list
// says. Panes own a list each and draw its rows their own way (window gives the rows on
// screen); the root drives any list through the scroller interface (keys, clicks, the wheel)
// and filters one through its pane (filterPane: the pane knows what a row matches).
type list[T any] struct {
	items []T
	// rows are the indices of the items that pass the filter, in order; nil when there is no
	// filter (every item is a row).
	rows     []int
	filtered bool
	query    string        // the filter as typed ("" = none)
	match    func(*T) bool // the filter in force (nil = none)
	cur, off int           // the cursor and the first row on screen, as row numbers
	vis      int           // rows that fit on screen, set by the layout (at least 1)

	have bool   // an answer has arrived (false: "loading…")
	err  string // the error that emptied the list ("" = none)
}

// scroller is what the root model needs of any pane's list: its length, where the cursor and
// the first shown row are, and moving them.
type scroller interface {
	Len() int
	Cursor() int
	Offset() int
	Visible() int
	// MoveTo puts the cursor on row i (clamped) and scrolls it into view.
	MoveTo(i int)
	setVisible(n int)
	// Query is the filter in force, as typed ("" = none).
	Query() string
}

func (l *list[T]) Len() int {
	if l.filtered {
		return len(l.rows)
	}
	return len(l.items)
}

func (l *list[T]) Query() string { return l.query }
func (l *list[T]) Cursor() int   { return l.cur }
func (l *list[T]) Offset() int   { return l.off }
func (l *list[T]) Visible() int  { return max(l.vis, 1) }

func (l *list[T]) setVisible(n int) {
	l.vis = max(n, 1)
	l.clamp()
}

// MoveTo puts the cursor on row i, clamped to the list, and scrolls it into view.
func (l *list[T]) MoveTo(i int) {
	l.cur = i
	l.clamp()
}

// clamp keeps the cursor in range and on screen.
func (l *list[T]) clamp() {
	n, vis := l.Len(), l.Visible()
	l.cur = min(max(l.cur, 0), max(n-1, 0))
	if l.cur < l.off {
		l.off = l.cur
	}
	if l.cur >= l.off+vis {
		l.off = l.cur - vis + 1
	}
	l.off = min(max(l.off, 0), max(n-vis, 0))
}

// index is the item index of row i.
func (l *list[T]) index(i int) int {
	if l.filtered {
		return l.rows[i]
	}
	return i
}

// At is row i's item (i < Len()).
func (l *list[T]) At(i int) *T { return &l.items[l.index(i)] }

// Selected is the item under the cursor.
func (l *list[T]) Selected() (*T, bool) {
	if l.cur < 0 || l.cur >= l.Len() {
		return nil, false
	}
	return l.At(l.cur), true
}

// window is the range of rows on screen: [from, to).
func (l *list[T]) window() (from, to int) {
	return l.off, min(l.Len(), l.off+l.Visible())
}

// Set replaces the items after an answer: the error (if any) empties the list; otherwise the
// cursor stays on the item same reports as the one it was on (nil same: the cursor stays on
// its row number; an item that is gone puts it on the first row).
func (l *list[T]) Set(items []T, err string, same func(a, b *T) bool) {
	l.have = true
	l.err = err
	var keep *T
	if same != nil {
		if it, ok := l.Selected(); ok {
			v := *it
			keep = &v
		}
	}
	l.items = items
	if err != "" {
		l.items = nil
	}
	l.refilterKeeping(keep, same)
}

// reset says the list shows nothing of what is asked now ("loading…" until the answer).
func (l *list[T]) reset() { l.have = false }

// filter keeps only the items matches accepts for q (case-insensitive, trimmed; "" shows every
// item). The cursor stays on the same item where it still shows, else goes to the first row.
// The filter stays in force for later Sets.
func (l *list[T]) filter(q string, matches func(it *T, q string) bool) {
	keep := -1
	if l.cur >= 0 && l.cur < l.Len() {
		keep = l.index(l.cur)
	}
	l.query = q
	l.match = nil
	if lq := strings.ToLower(strings.TrimSpace(q)); lq != "" {
		l.match = func(it *T) bool { return matches(it, lq) }
	}
	l.refilterKeeping(nil, nil)
	l.cur = 0
	for i := range l.Len() {
		if l.index(i) == keep {
			l.cur = i
			break
		}
	}
	l.clamp()
}

// title is a pane's title with the filter in force: "Processes · filter: node".
func (l *list[T]) title(t string) string {
	if l.query == "" {
		return t
	}
	return t + " · filter: " + l.query
}

// anyContains reports whether one of fields contains q (lower case) in any case.
func anyContains(q string, fields ...string) bool {
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), q) {
			return true
		}
	}
	return false
}

func (l *list[T]) refilterKeeping(keep *T, same func(a, b *T) bool) {
	l.filtered = l.match != nil
	l.rows = l.rows[:0]
	if l.match != nil {
		for i := range l.items {
			if l.match(&l.items[i]) {
				l.rows = append(l.rows, i)
			}
		}
	}
	if keep != nil && same != nil { // where the item went; the top when it is gone
		l.cur = 0
		for i := 0; i < l.Len(); i++ {
			if same(l.At(i), keep) {
				l.cur = i
				break
			}
		}
	}
	l.clamp()
}

// emptyText is what the list says when it has no rows: the error that emptied it, "loading…"
// while the first answer is out, that the filter hides every item, else none.
func (l *list[T]) emptyText(none string) string {
	if l.err == "" && l.have && l.filtered && len(l.items) > 0 {
		return "nothing matches “" + l.query + "” (esc clears the filter)"
	}
	return emptyNote(none, l.err, !l.have)
}
