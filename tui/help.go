package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The help screen (`?`): the view's key groups, generated from KeyMap, then a few notes. It
// reflows to the pane: groups side by side in rows when they all fit at once, else packed into
// as many columns as fit; long texts wrap rather than being cut, and what still does not fit
// scrolls with the movement keys, under a line saying where you are.

// helpNotes are the help screen's notes under the keys.
var helpNotes = []string{
	"Mouse: click selects a row and focuses its pane; the wheel scrolls.",
	"Dimmed keys are not available on this backend; pressing one says why.",
	"m manages the selected distro: move, resize, sparse, default user, compact, rename (an entry your WSL is too old for says the version it needs).",
	"held: running only while wsldash is open · kept (K): stays running after wsldash quits, until R.",
	"Rebind keys in config.toml, e.g. [keys] start = [\"s\"]; wsldash doctor shows where it is.",
}

const (
	helpRowGap  = 4 // between groups side by side in rows
	helpColGap  = 3 // between packed columns, where room is scarcer
	helpMinDesc = 9 // the narrowest a description column gets before it is better to scroll
)

// helpRect is where the help screen goes: the body, between header and footer.
func (m *Model) helpRect() Rect { return Rect{0, 1, m.layout.Width, m.layout.Height - 2} }

// helpPage is the help screen for pane r: all its content lines (without the pane's margin)
// and how many of them show at once.
func (m *Model) helpPage(r Rect) (lines []string, rows int) {
	iw, ih := r.W-2, r.H-2
	rows = ih - 1                   // under the top blank line
	lines = m.helpLines(iw-4, rows) // two cells of margin each side
	if len(lines) > rows {
		rows-- // the last line says where you are
	}
	return lines, max(rows, 1)
}

// helpLines lays the key groups and the notes out in w cells, trying to fit h lines.
func (m *Model) helpLines(w, h int) []string {
	groups := m.keys.helpGroups(m.scope())
	// Rows of groups at their own width, as long as every key shows at once.
	blocks := make([][]string, len(groups))
	for i, g := range groups {
		blocks[i] = m.helpBlock(g, w)
	}
	grid := helpRows(blocks, w)
	if len(grid) > h {
		// Columns of equal width, the fewest that fit h; when none does, the shortest.
		for n := 1; n <= len(groups); n++ {
			cw := (w - helpColGap*(n-1)) / n
			if cw < m.helpMinWidth(groups) {
				break
			}
			for i, g := range groups {
				blocks[i] = m.helpBlock(g, cw)
			}
			if c := joinColumns(packColumns(blocks, n), helpColGap, func([]string) int { return cw }); len(c) < len(grid) {
				grid = c
			}
			if len(grid) <= h {
				break
			}
		}
	}
	lines := append(grid, "")
	for _, n := range helpNotes {
		for _, l := range wrapWords(n, w, len(n)) {
			lines = append(lines, m.styles.Muted.Render(l))
		}
	}
	return lines
}

// helpMinWidth is the narrowest column the groups read well in: each key column plus a
// description column of helpMinDesc.
func (m *Model) helpMinWidth(groups []helpGroup) int {
	w := 0
	for _, g := range groups {
		w = max(w, ansi.StringWidth(g.Title), helpKeyWidth(g)+2+helpMinDesc)
	}
	return w
}

func helpKeyWidth(g helpGroup) int {
	kw := 0
	for _, kb := range g.Keys {
		kw = max(kw, ansi.StringWidth(kb.Help().Key))
	}
	return kw
}

// helpBlock is group g in at most w cells: its title, then a line per key, the description
// (and why the key is dimmed) wrapped under itself when it is longer than the room.
func (m *Model) helpBlock(g helpGroup, w int) []string {
	st := m.styles
	kw := helpKeyWidth(g)
	dw := max(w-kw-2, helpMinDesc)
	lines := []string{st.PaneTitleFocus.Render(g.Title)}
	for _, kb := range g.Keys {
		h := kb.Help()
		reason := ""
		if a := m.keys.actionOf(kb); a != "" {
			reason = m.caps.Reason(a)
		}
		text, descEnd := h.Desc, len(h.Desc)
		if reason != "" {
			text += " — " + reason
		}
		pos := 0
		for i, l := range wrapWords(text, dw, len(text)) {
			at := pos + strings.Index(text[pos:], l) // each wrapped line is a piece of text
			pos = at + len(l)
			lead := spaces(kw + 2)
			if i == 0 {
				lead = col(h.Key, kw, false) + "  "
			}
			switch {
			case reason == "":
				lines = append(lines, st.Help.FullKey.Render(lead)+st.Help.FullDesc.Render(l))
			case at >= descEnd:
				lines = append(lines, lead+st.Muted.Render(l))
			default:
				cut := min(descEnd-at, len(l))
				lines = append(lines, st.FooterDisabled.Render(lead+l[:cut])+st.Muted.Render(l[cut:]))
			}
		}
	}
	return lines
}

// helpRows flows blocks left to right, a new row of them when the next does not fit w.
func helpRows(blocks [][]string, w int) []string {
	var grid []string
	var row [][]string
	roww := 0
	flush := func() {
		if len(row) == 0 {
			return
		}
		if len(grid) > 0 {
			grid = append(grid, "")
		}
		grid = append(grid, joinColumns(row, helpRowGap, linesWidth)...)
		row, roww = nil, 0
	}
	for _, bl := range blocks {
		bw := linesWidth(bl)
		if len(row) > 0 && roww+helpRowGap+bw > w {
			flush()
		}
		if len(row) > 0 {
			roww += helpRowGap
		}
		row = append(row, bl)
		roww += bw
	}
	flush()
	return grid
}

// packColumns stacks blocks, in order, into at most n columns as short as can be.
func packColumns(blocks [][]string, n int) [][]string {
	total, tallest := 0, 0
	for _, b := range blocks {
		total += len(b) + 1
		tallest = max(tallest, len(b))
	}
	for h := tallest; ; h++ {
		var cols [][]string
		var cur []string
		for _, b := range blocks {
			if len(cur) > 0 && len(cur)+1+len(b) > h {
				cols, cur = append(cols, cur), nil
			}
			if len(cur) > 0 {
				cur = append(cur, "")
			}
			cur = append(cur, b...)
		}
		cols = append(cols, cur)
		if len(cols) <= n || h >= total {
			return cols
		}
	}
}

func linesWidth(ls []string) int {
	w := 0
	for _, l := range ls {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// renderHelp draws the help screen in r, scrolled to m.helpScroll.
func (m *Model) renderHelp(r Rect) {
	iw := r.W - 2
	lines, rows := m.helpPage(r)
	top := min(max(m.helpScroll, 0), max(len(lines)-rows, 0))
	body := make([]string, 0, r.H-2)
	body = append(body, spaces(iw))
	for _, l := range lines[top:min(top+rows, len(lines))] {
		body = append(body, fit("  "+l, iw))
	}
	if len(lines) > rows {
		body = append(body, fit("  "+m.styles.Muted.Render(m.helpPosition(top, rows, len(lines))), iw))
	}
	m.paneBox(r, PaneNone, "Help", "? or esc closes", body)
}

// helpPosition is the line under a help screen that scrolls: which way there is more, which
// lines show, and the keys that scroll.
func (m *Model) helpPosition(top, rows, n int) string {
	more := "↓ more"
	switch {
	case top > 0 && top+rows < n:
		more = "↑↓ more"
	case top > 0:
		more = "↑ more"
	}
	k := &m.keys
	first := func(b key.Binding) string {
		if ks := b.Keys(); len(ks) > 0 {
			return keyHelp(ks[:1])
		}
		return ""
	}
	return fmt.Sprintf("%s · lines %d–%d of %d · %s %s %s %s %s %s", more, top+1, min(top+rows, n), n,
		first(k.Up), first(k.Down), first(k.PageUp), first(k.PageDown), first(k.Top), first(k.Bottom))
}

// onHelpKey scrolls the help screen with the movement keys.
func (m *Model) onHelpKey(msg tea.KeyPressMsg) {
	k := &m.keys
	lines, rows := m.helpPage(m.helpRect())
	last := max(len(lines)-rows, 0)
	top := min(max(m.helpScroll, 0), last)
	switch {
	case key.Matches(msg, k.Up):
		top--
	case key.Matches(msg, k.Down):
		top++
	case key.Matches(msg, k.PageUp):
		top -= rows
	case key.Matches(msg, k.PageDown):
		top += rows
	case key.Matches(msg, k.Top):
		top = 0
	case key.Matches(msg, k.Bottom):
		top = last
	}
	m.helpScroll = min(max(top, 0), last)
}

// joinColumns lays blocks of lines side by side, gap cells apart, without trailing spaces.
func joinColumns(blocks [][]string, gap int, width func([]string) int) []string {
	h := 0
	for _, b := range blocks {
		h = max(h, len(b))
	}
	out := make([]string, h)
	for y := range out {
		var sb strings.Builder
		for i, b := range blocks {
			cell := ""
			if y < len(b) {
				cell = b[y]
			}
			sb.WriteString(cell)
			if i < len(blocks)-1 {
				sb.WriteString(spaces(width(b) - ansi.StringWidth(cell) + gap))
			}
		}
		out[y] = strings.TrimRight(sb.String(), " ")
	}
	return out
}
