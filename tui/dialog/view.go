package dialog

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/wsldash/wsldash/internal/units"
)

// MinWidth is the narrowest box View draws when the screen allows it.
const MinWidth = 30

// preferred box widths per kind (border and padding included).
var preferred = [...]int{None: 0, Confirm: 52, Choose: 72, TypedName: 60, Form: 68, Progress: 64}

// boxWidth is the box's width for a screen width: the kind's preference (or the title's width),
// at least MinWidth, never wider than the screen, with a margin when there is room.
func (d Dialog) boxWidth(width int, st Styles) int {
	bw := max(preferred[d.kind], ansi.StringWidth(d.title)+st.Box.GetHorizontalFrameSize()+2)
	bw = min(bw, 80)
	bw = max(bw, MinWidth)
	if width >= MinWidth+4 {
		return min(bw, width-4)
	}
	return min(bw, max(width, 0))
}

// View draws the dialog's box (only the box; Overlay or the root centres it). It fits width
// and height: the body wraps, long lists scroll around the cursor, and on a screen too small for
// the frame the lines are cut; it never draws outside width × height.
func (d Dialog) View(width, height int, st Styles) string {
	if d.kind == None || width <= 0 || height <= 0 {
		return ""
	}
	bw := d.boxWidth(width, st)
	inner := max(bw-st.Box.GetHorizontalFrameSize(), 1)
	avail := height - st.Box.GetVerticalFrameSize()

	title := wrap(d.title, inner)
	for i := range title {
		title[i] = st.Title.Render(title[i])
	}
	var body []string
	if d.body != "" {
		body = wrap(d.body, inner)
		for i := range body {
			body[i] = st.Body.Render(body[i])
		}
	}
	main, focus := d.main(inner, st)
	foot := d.footer(inner, st)
	lines := fitHeight(title, body, main, foot, focus, max(avail, 0), inner)
	// Lines padded to the inner width: lipgloss then neither wraps nor aligns them, which is
	// most of a box's cost.
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw < inner {
			lines[i] = l + strings.Repeat(" ", inner-lw)
		} else if lw > inner {
			lines[i] = ansi.Truncate(l, inner, "")
		}
	}
	box := st.Box.UnsetWidth().Render(strings.Join(lines, "\n"))
	out := strings.Split(box, "\n")
	if len(out) > height {
		out = out[:height]
	}
	for i, l := range out {
		if ansi.StringWidth(l) > width {
			out[i] = ansi.Truncate(l, width, "")
		}
	}
	return strings.Join(out, "\n")
}

// wrap word-wraps plain text to w cells (hard-wrapping words longer than that).
func wrap(s string, w int) []string {
	return strings.Split(ansi.Wrap(s, max(w, 1), ""), "\n")
}

// fitHeight stacks title, body, main and footer with blank lines between them in at most avail
// lines: it drops the blank lines first, then shortens the body, then scrolls main around
// focus, then cuts.
func fitHeight(title, body, main, foot []string, focus, avail, inner int) []string {
	parts := [][]string{title, body, main, foot}
	join := func(blank bool) []string {
		var out []string
		for _, p := range parts {
			if len(p) == 0 {
				continue
			}
			if blank && len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, p...)
		}
		return out
	}
	if out := join(true); len(out) <= avail {
		return out
	}
	if out := join(false); len(out) <= avail {
		return out
	}
	fixed := len(title) + len(main) + len(foot)
	if keep := avail - fixed; keep >= 0 {
		if keep < len(body) {
			b := append([]string(nil), body[:keep]...)
			if keep > 0 {
				b[keep-1] = ansi.Truncate(ansi.Strip(b[keep-1]), max(inner-1, 0), "") + "…"
			}
			parts[1] = b
		}
		return join(false)
	}
	parts[1] = nil
	if room := avail - len(title) - len(foot); room > 0 && room < len(main) {
		lo := min(max(focus-room/2, 0), len(main)-room)
		parts[2] = main[lo : lo+room]
	}
	out := join(false)
	if len(out) > avail {
		// Keep the footer (what the keys do) if anything at all fits after the title.
		if avail > len(foot) {
			out = append(out[:avail-len(foot)], foot...)
		} else {
			out = out[:max(avail, 0)]
		}
	}
	return out
}

// keyNames are the keys of b as shown in a hint, without the keys that type text when
// textual is false ("enter", not "y/enter", in a dialog with a text input).
func keyNames(b key.Binding, textual bool) string {
	var names []string
	for _, k := range b.Keys() {
		if !textual && len([]rune(k)) == 1 {
			continue
		}
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		}
		names = append(names, k)
	}
	return strings.Join(names, "/")
}

// hint renders "key what · key what" in the muted style with the keys in the key style,
// flowed onto as many lines of w cells as it needs.
func hint(st Styles, w int, pairs ...string) []string {
	var segs []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] != "" {
			segs = append(segs, pairs[i]+"\x00"+pairs[i+1])
		}
	}
	return flow(segs, w, func(seg string) string {
		k, what, _ := strings.Cut(seg, "\x00")
		return st.Key.Render(k) + st.Muted.Render(" "+what)
	}, func(seg string) int {
		k, what, _ := strings.Cut(seg, "\x00")
		return ansi.StringWidth(k) + 1 + ansi.StringWidth(what)
	}, st.Muted.Render(" · "))
}

// flow puts segments on lines of at most w cells, joined by sep (3 cells wide); a segment
// wider than a line is cut. render styles a segment, width measures it unstyled.
func flow(segs []string, w int, render func(string) string, width func(string) int, sep string) []string {
	var out []string
	var line strings.Builder
	lw := 0
	for _, seg := range segs {
		sw := width(seg)
		if lw > 0 && lw+3+sw > w {
			out = append(out, line.String())
			line.Reset()
			lw = 0
		}
		if lw > 0 {
			line.WriteString(sep)
			lw += 3
		}
		r := render(seg)
		if sw > w {
			r = ansi.Truncate(r, max(w-lw, 0), "…")
			sw = w - lw
		}
		line.WriteString(r)
		lw += sw
	}
	if lw > 0 {
		out = append(out, line.String())
	}
	return out
}

// stats puts plain parts on lines of w cells joined by " · ", in one style; a part is broken
// only when it is wider than a line by itself.
func stats(style lipgloss.Style, w int, parts ...string) []string {
	var out []string
	line := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		switch {
		case line == "" && ansi.StringWidth(p) > w:
			out = append(out, wrap(p, w)...)
		case line == "":
			line = p
		case ansi.StringWidth(line)+3+ansi.StringWidth(p) <= w:
			line += " · " + p
		default:
			out = append(out, line)
			line = ""
			if ansi.StringWidth(p) > w {
				out = append(out, wrap(p, w)...)
			} else {
				line = p
			}
		}
	}
	if line != "" {
		out = append(out, line)
	}
	for i, l := range out {
		out[i] = style.Render(l)
	}
	return out
}

// button draws one button; without colour the focused one is in [brackets].
func button(st Styles, label string, active bool) string {
	if st.NoColor {
		if active {
			return st.ButtonActive.Render("[" + label + "]")
		}
		return st.Button.Render(" " + label + " ")
	}
	if active {
		return st.ButtonActive.Render(label)
	}
	return st.Button.Render(label)
}

// main is the kind's own part (buttons, choices, input, fields, bar) and the index of its line
// to keep in view when it must scroll.
func (d Dialog) main(inner int, st Styles) ([]string, int) {
	switch d.kind {
	case Choose:
		return d.viewChoices(inner, st)
	case TypedName:
		var lines []string
		for _, l := range wrap("Type "+quote(d.name)+" to confirm:", inner) {
			lines = append(lines, st.Body.Render(l))
		}
		lines = append(lines, inputView(d.input, inner, st))
		focus := len(lines) - 1
		if d.note != "" {
			lines = append(lines, st.Error.Render(ansi.Truncate(d.note, inner, "…")))
		}
		return lines, focus
	case Form:
		return d.viewFields(inner, st)
	case Progress:
		return d.viewProgress(inner, st), 0
	}
	return nil, 0
}

// names are the keys of b that type nothing ("esc" of n/esc), or all of them if none.
func names(b key.Binding) string {
	if n := keyNames(b, false); n != "" {
		return n
	}
	return keyNames(b, true)
}

// first is b's first key as a hint shows it.
func first(b key.Binding) string {
	n, _, _ := strings.Cut(names(b), "/")
	return n
}

func (d Dialog) footer(inner int, st Styles) []string {
	k := d.keys
	if k == nil {
		dk := DefaultKeys()
		k = &dk
	}
	switch d.kind {
	case Confirm:
		yes := keyNames(k.Confirm, true)
		yes = strings.Trim(strings.ReplaceAll("/"+yes+"/", "/enter/", "/"), "/")
		out := []string{ansi.Truncate(button(st, "Yes", d.yes)+"  "+button(st, "No", !d.yes), inner, "")}
		return append(out, hint(st, inner, yes, "yes", keyNames(k.Cancel, true), "no", "←/→", "move")...)
	case Choose:
		var out []string
		if d.note != "" {
			out = append(out, st.Error.Render(ansi.Truncate(d.note, inner, "…")))
		}
		return append(out, hint(st, inner, first(k.Up)+"/"+first(k.Down), "choose", names(k.Confirm), d.verb,
			names(k.Cancel), "cancel")...)
	case TypedName:
		if d.input.Value() == d.name {
			return hint(st, inner, names(k.Confirm), d.verb, names(k.Cancel), "cancel")
		}
		return stats(st.Muted, inner, names(k.Confirm)+" works once the name matches", names(k.Cancel)+" cancel")
	case Form:
		return hint(st, inner, names(k.Next), "next field", "←/→", "change", names(k.Confirm), d.verb,
			names(k.Cancel), "cancel")
	case Progress:
		p := &d.prog
		switch {
		case p.finished:
			return stats(st.Muted, inner, "any key closes")
		case p.asking:
			return stats(st.Error, inner, "Cancel it? esc/enter yes", "any other key no")
		}
		return hint(st, inner, names(k.Cancel), "cancel")
	}
	return nil
}

// viewChoices draws the choices, a description that does not fit wrapped under itself (not
// cut: "goes back to Win…" hid what the choice does), and returns the line of the cursor's.
func (d Dialog) viewChoices(inner int, st Styles) ([]string, int) {
	lw := 0
	for _, c := range d.choices {
		lw = max(lw, ansi.StringWidth(c.Label))
	}
	lw = min(lw, max(inner/3, 4))
	out := make([]string, 0, len(d.choices))
	focus := 0
	for i, c := range d.choices {
		label := ansi.Truncate(c.Label, lw, "…")
		label += strings.Repeat(" ", max(lw-ansi.StringWidth(label), 0))
		desc := c.Desc
		if c.Disabled != "" {
			desc = "✗ " + c.Disabled
		}
		rest := max(inner-lw-3, 1)
		lines := wrap(desc, rest)
		if i == d.cursor {
			focus = len(out)
		}
		for j, l := range lines {
			lead := "  " + label
			if j > 0 {
				lead = strings.Repeat(" ", lw+2)
			}
			switch {
			case c.Disabled != "":
				out = append(out, st.Muted.Render(lead+" "+l))
			case i == d.cursor && j == 0:
				out = append(out, st.Selected.Render("▸ "+label)+" "+st.Body.Render(l))
			case i == d.cursor:
				out = append(out, lead+" "+st.Body.Render(l))
			default:
				out = append(out, st.Body.Render(lead)+" "+st.Muted.Render(l))
			}
		}
	}
	return out, focus
}

// inputView draws a text input inner cells wide. The input's scroll window is recomputed here
// from the value and the cursor, since only View knows the width.
func inputView(ti textinput.Model, inner int, st Styles) string {
	w := max(inner-ansi.StringWidth(ti.Prompt)-1, 1)
	ts := ti.Styles()
	ts.Focused = textinput.StyleState{Text: st.Body, Placeholder: st.Muted, Suggestion: st.Muted, Prompt: st.Key}
	ts.Blurred = textinput.StyleState{Text: st.Body, Placeholder: st.Muted, Suggestion: st.Muted, Prompt: st.Muted}
	ts.Cursor.Color = nil
	if c := st.Key.GetForeground(); !st.NoColor {
		ts.Cursor.Color = c
	}
	ti.SetStyles(ts)
	pos := ti.Position()
	ti.SetWidth(w)
	ti.CursorEnd()
	ti.SetCursor(pos)
	return ansi.Truncate(ti.View(), inner, "")
}

func (d Dialog) viewFields(inner int, st Styles) ([]string, int) {
	var out []string
	focusLine := 0
	for i, f := range d.fields {
		mark := "  "
		label := st.Body.Render(ansi.Truncate(f.Label, max(inner-2, 0), "…"))
		if i == d.focus {
			mark = "▸ "
			label = st.Key.Render(ansi.Truncate(f.Label, max(inner-2, 0), "…"))
			focusLine = len(out)
		}
		out = append(out, st.Key.Render(mark)+label)
		if len(f.Choices) > 0 {
			v := "‹ " + f.Choices[f.choice] + " ›"
			if len(f.Choices) > 1 {
				v += "  " + strconv.Itoa(f.choice+1) + "/" + strconv.Itoa(len(f.Choices))
			}
			v = ansi.Truncate(v, max(inner-2, 0), "…")
			if i == d.focus {
				v = st.Selected.Render(v)
			} else {
				v = st.Body.Render(v)
			}
			out = append(out, "  "+v)
		} else {
			out = append(out, "  "+inputView(f.input, max(inner-2, 1), st))
		}
		if f.err != "" {
			out = append(out, "  "+st.Error.Render(ansi.Truncate(f.err, max(inner-2, 0), "…")))
		}
	}
	return out, focusLine + 1
}

// bar draws a w-cell bar filled to frac.
func bar(st Styles, frac float64, w int) string {
	if w <= 0 {
		return ""
	}
	full := min(max(int(frac*float64(w)+0.5), 0), w)
	if frac > 0 && full == 0 {
		full = 1 // something has moved
	}
	return st.BarFull.Render(strings.Repeat("█", full)) + st.BarEmpty.Render(strings.Repeat("░", w-full))
}

func (d Dialog) viewProgress(inner int, st Styles) []string {
	p := &d.prog
	var out []string
	if frac, ok := p.fraction(); ok {
		pct := strconv.Itoa(int(frac*100)) + "%"
		pct = strings.Repeat(" ", 4-len(pct)) + pct // the bar keeps its width up to 100%
		out = append(out, bar(st, frac, inner-5)+" "+st.Body.Render(pct))
	}
	var amount string
	if p.total > 0 {
		amount = units.HumanBytes(float64(p.done)) + " of " + units.HumanBytes(float64(p.total))
	} else {
		amount = units.HumanBytes(float64(p.done)) + " so far (total unknown)"
	}
	rate := "rate —"
	if r, ok := p.rate(); ok {
		if r <= 0 {
			rate = "stalled"
		} else {
			rate = units.HumanBytes(r) + "/s"
		}
	}
	left := "time left —"
	if l, ok := p.left(); ok {
		left = formatLeft(l)
	}
	if p.finished || p.noBytes {
		left = ""
	}
	if !p.noBytes {
		out = append(out, stats(st.Body, inner, amount, rate)...)
	}
	out = append(out, stats(st.Muted, inner, left, "elapsed "+formatElapsed(p.elapsed()))...)
	if p.finished {
		out = append(out, "")
		if p.text != "" {
			for _, l := range wrap(p.text, inner) {
				out = append(out, st.Body.Render(l))
			}
		}
		if p.err != nil {
			for _, l := range wrap(p.err.Error(), inner) {
				out = append(out, st.Error.Render(l))
			}
		}
	}
	return out
}

// Overlay draws box centred over base, a w × h screen, keeping base's cells left and right of
// the box (ANSI-safe). base lines that are short are padded; a box wider or taller than the
// screen is cut.
func Overlay(base, box string, w, h int) string {
	lines := strings.Split(base, "\n")
	if box == "" || w <= 0 || h <= 0 {
		return base
	}
	bl := strings.Split(box, "\n")
	bw := 0
	for _, l := range bl {
		bw = max(bw, ansi.StringWidth(l))
	}
	bw = min(bw, w)
	x := max((w-bw)/2, 0)
	y := max((h-len(bl))/2, 0)
	for i, b := range bl {
		if y+i >= h {
			break
		}
		for y+i >= len(lines) {
			lines = append(lines, "")
		}
		b = ansi.Truncate(b, bw, "")
		b += strings.Repeat(" ", bw-ansi.StringWidth(b))
		ln := lines[y+i]
		left := ansi.Truncate(ln, x, "")
		if lw := ansi.StringWidth(left); lw < x {
			left += strings.Repeat(" ", x-lw) // a short line, or a wide rune cut at x
		}
		right := ansi.TruncateLeft(ln, x+bw, "")
		var s strings.Builder
		s.WriteString(left)
		if strings.Contains(left, "\x1b") {
			s.WriteString("\x1b[m")
		}
		s.WriteString(b)
		if strings.Contains(b, "\x1b") {
			s.WriteString("\x1b[m")
		}
		s.WriteString(right)
		lines[y+i] = s.String()
	}
	return strings.Join(lines, "\n")
}
