package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
	"github.com/wsldash/wsldash/tui/chart"
	dlg "github.com/wsldash/wsldash/tui/dialog"
)

// renderCache holds what View reuses between frames: chart buffers, series slices, the screen's
// row builders. It is behind a pointer so the value-typed Model can update it from View.
type renderCache struct {
	mem, cpu                     chart.Chart
	used, cache, vm, cpuv, vmcpu []float64
	distroVals                   [][]float64 // the memory view's per-distro lines (distromem.go)
	chartMarkers                 []chart.Marker
	rows                         []rowBuf
	header                       string
	headerKey                    headerKey
	footer                       string
	footerKey                    footerKey
	valid                        bool
}

// rowBuf is one screen row being built; its bytes are reused from frame to frame.
type rowBuf struct{ b []byte }

func (r *rowBuf) WriteString(s string) { r.b = append(r.b, s...) }

type headerKey struct {
	w      int
	idle   string
	probe  probeKind
	sec    int64
	info   backend.Info
	defDis string
}

type footerKey struct {
	w, h  int // which panes are on screen
	view  View
	focus Pane // the footer follows it
	flash flash
}

func (c *renderCache) invalidate() { c.valid = false }

// View draws the screen. It does no I/O and reuses the render cache.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.ReportFocus = true // the idle cadence when the terminal loses focus (cadence.go)
	v.WindowTitle = "wsldash"
	if m.info.Simulated {
		v.WindowTitle += " — demo"
	}
	if p := m.styles.Palette; !m.noColor && !p.Adaptive {
		v.BackgroundColor = p.Bg
		v.ForegroundColor = p.Fg
	}
	return v
}

func (m *Model) render() string {
	l := m.layout
	w, h := l.Width, l.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	if l.TooSmall {
		return m.renderTooSmall(w, h)
	}
	c := m.cache
	if cap(c.rows) < h {
		c.rows = make([]rowBuf, h)
	}
	c.rows = c.rows[:h]
	for i := range c.rows {
		c.rows[i].b = c.rows[i].b[:0]
	}
	hk := headerKey{w: w, idle: m.idleReason(), probe: m.probe, sec: m.now.Unix(), info: m.info, defDis: m.defaultDistro()}
	if !c.valid || hk != c.headerKey {
		c.header, c.headerKey = m.renderHeader(w), hk
	}
	c.rows[0].WriteString(c.header)
	if m.filter.typing() {
		c.rows[h-1].WriteString(m.renderFooter(w))
	} else {
		fk := footerKey{w: w, h: h, flash: m.flash, view: m.view, focus: m.focus}
		if !c.valid || fk != c.footerKey {
			c.footer, c.footerKey = m.renderFooter(w), fk
		}
		c.rows[h-1].WriteString(c.footer)
	}
	c.valid = true

	if m.showHelp {
		m.renderHelp(Rect{0, 1, w, h - 2})
	} else {
		// The view's panes in its drawing order (x order: each screen row is written left to right).
		for _, p := range views[m.view].panes {
			if r := l.Rect(p); !r.Empty() {
				m.renderPane(p, r)
			}
		}
	}
	// The result is a fresh string each frame (the last one may still be held by the renderer).
	n := len(c.rows)
	for i := range c.rows {
		n += len(c.rows[i].b)
	}
	var out strings.Builder
	out.Grow(n)
	for i := range c.rows {
		if i > 0 {
			out.WriteByte('\n')
		}
		out.Write(c.rows[i].b)
	}
	s := out.String()
	if m.dialog != nil {
		s = m.overlayDialog(s, w, h)
	}
	return s
}

func (m *Model) renderTooSmall(w, h int) string {
	lines := []string{"Terminal too small", fmt.Sprintf("%d×%d, need %d×%d", w, h, MinWidth, MinHeight), "q quits"}
	top := max((h-len(lines))/2, 0)
	var b strings.Builder
	for y := 0; y < h; y++ {
		if y > 0 {
			b.WriteByte('\n')
		}
		i := y - top
		if i < 0 || i >= len(lines) {
			continue
		}
		t := ansi.Truncate(lines[i], w, "")
		pad := max((w-ansi.StringWidth(t))/2, 0)
		b.WriteString(strings.Repeat(" ", pad))
		if i == 0 {
			b.WriteString(m.styles.TooSmall.Render(t))
		} else {
			b.WriteString(t)
		}
	}
	return b.String()
}

// fit truncates s (which may hold ANSI) to w cells and pads it with spaces to exactly w.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := textWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += spaces(w - sw)
	}
	return s
}

const spaceRun = "                                                                                                                                "

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	if n <= len(spaceRun) {
		return spaceRun[:n]
	}
	return strings.Repeat(" ", n)
}

// colTail is col for paths: when too long, the start is cut ("…\\LocalState").
func colTail(s string, w int) string {
	sw := textWidth(s)
	if sw <= w {
		return s + spaces(w-sw)
	}
	if w <= 1 {
		return spaces(w)
	}
	return "…" + ansi.TruncateLeft(s, sw-(w-1), "")
}

// shortPath abbreviates a Windows profile folder to "~": C:\Users\dev\AppData → ~\AppData.
func shortPath(p string) string {
	if len(p) > 9 && strings.EqualFold(p[1:9], `:\Users\`) {
		if i := strings.IndexByte(p[9:], '\\'); i >= 0 {
			return "~" + p[9+i:]
		}
	}
	return p
}

// textWidth is ansi.StringWidth with a fast path for plain ASCII, the common case in tables.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// col pads or truncates plain text to w cells, left aligned (right aligned with right).
func col(s string, w int, right bool) string {
	sw := textWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	if right {
		return spaces(w-sw) + s
	}
	return s + spaces(w-sw)
}

func (m *Model) renderHeader(w int) string {
	st := m.styles
	var b strings.Builder
	b.WriteString(st.Title.Render(" wsldash"))
	if m.info.Simulated {
		b.WriteString(" ")
		b.WriteString(st.Badge.Render(" DEMO "))
	}
	label := m.info.Label
	if label == "" {
		label = m.info.Backend
	}
	// Parts in display order with a priority: when the line is too long the least important go.
	type part struct {
		text string
		prio int
	}
	parts := make([]part, 0, 5)
	if label != "" {
		parts = append(parts, part{st.HeaderInfo.Render(label), 2})
	}
	if m.info.WSLVersion != "" {
		parts = append(parts, part{st.HeaderMuted.Render("WSL ") + st.HeaderInfo.Render(m.info.WSLVersion), 3})
	}
	if m.info.KernelVersion != "" {
		parts = append(parts, part{st.HeaderMuted.Render("kernel ") + st.HeaderInfo.Render(m.info.KernelVersion), 1})
	}
	if def := m.defaultDistro(); def != "" {
		parts = append(parts, part{st.HeaderMuted.Render("default ") + st.HeaderInfo.Render(def), 4})
	}
	if m.info.Hostname != "" && m.info.ThisMachine {
		parts = append(parts, part{st.HeaderInfo.Render(m.info.Hostname), 1})
	}
	// What reads the VM: the sh fallback costs the reclaim budget more, so it is said plainly.
	switch k := m.probe.kind; {
	case strings.HasPrefix(k, "sh"):
		parts = append(parts, part{st.HeaderMuted.Render("probe ") + st.MsgErr.Render("sh"), 3})
	case k != "":
		parts = append(parts, part{st.HeaderMuted.Render("probe ") + st.HeaderInfo.Render(strings.Fields(k)[0]), 0})
	}
	if why := m.idleReason(); why != "" {
		// The idle cadence, said where the clock is: that clock now moves every m.cad.idle.
		parts = append(parts, part{st.HeaderMuted.Render("idle ") + st.HeaderInfo.Render(shortDur(m.cad.idle)) + st.HeaderMuted.Render(" ("+why+")"), 5})
	}
	clock := st.Clock.Render(m.now.Format("15:04:05") + " ")
	room := w - ansi.StringWidth(clock) - 1
	if room < 10 {
		clock, room = "", w
	}
	sep := st.HeaderMuted.Render(" · ")
	title := b.String()
	for {
		b.Reset()
		b.WriteString(title)
		for i, p := range parts {
			if i == 0 {
				b.WriteString("  ")
			} else {
				b.WriteString(sep)
			}
			b.WriteString(p.text)
		}
		if ansi.StringWidth(b.String()) <= room || len(parts) == 0 {
			break
		}
		parts = dropLowest(parts, func(p part) int { return p.prio })
	}
	if clock == "" {
		return fit(b.String(), w)
	}
	return fit(b.String(), room) + " " + clock
}

func (m *Model) renderFooter(w int) string {
	st := m.styles
	if m.filter.typing() {
		hint := st.FooterDesc.Render("   enter keeps · esc cancels")
		return fit(" "+m.filter.input.View()+hint, w)
	}
	var b strings.Builder
	b.WriteString(" ")
	if m.flash.text != "" {
		fs := st.MsgInfo
		switch m.flash.kind {
		case flashOK:
			fs = st.MsgOK
		case flashErr:
			fs = st.MsgErr
		}
		b.WriteString(fs.Render(m.flash.text))
		b.WriteString("   ")
	}
	// Help and quit always show; the others as room allows, in order.
	all := m.keys.shortHelp(m.scope())
	tail := "  " + m.keyChip(all[len(all)-2], false) + "  " + m.keyChip(all[len(all)-1], false)
	room := w - textWidth(ansi.Strip(b.String())) - ansi.StringWidth(tail)
	first := true
	for _, kb := range all[:len(all)-2] {
		chip := m.keyChip(kb, false)
		cw := ansi.StringWidth(chip)
		if !first {
			cw += 2
		}
		if cw > room {
			break
		}
		if !first {
			b.WriteString("  ")
		}
		b.WriteString(chip)
		room -= cw
		first = false
	}
	if first {
		tail = tail[2:]
	}
	b.WriteString(tail)
	return fit(b.String(), w)
}

// keyChip renders "key desc"; keys whose action the backend cannot do are dimmed.
func (m *Model) keyChip(kb *key.Binding, full bool) string {
	st := m.styles
	h := kb.Help()
	if a := m.keys.actionOf(kb); a != "" && m.caps.Reason(a) != "" {
		return st.FooterDisabled.Render(h.Key + " " + h.Desc)
	}
	if full {
		return st.Help.FullKey.Render(h.Key) + " " + st.Help.FullDesc.Render(h.Desc)
	}
	return st.Help.ShortKey.Render(h.Key) + " " + st.Help.ShortDesc.Render(h.Desc)
}

func (m *Model) renderPane(p Pane, r Rect) {
	if pn := m.paneOf(p); pn != nil {
		pn.render(&m.shared, r)
	}
}

// emptyNote is what an empty list says: the error that emptied it, "loading…" while a request
// is out, else none.
func emptyNote(none, errText string, loading bool) string {
	switch {
	case errText != "":
		return errText
	case loading:
		return "loading…"
	}
	return none
}

// chartLines splits a chart's output into body lines, appending to body.
func chartLines(body []string, s string) []string {
	for {
		line, rest, ok := strings.Cut(s, "\n")
		body = append(body, line)
		if !ok {
			return body
		}
		s = rest
	}
}

// dropLowest removes the first of the items with the lowest priority: what goes when a line
// does not fit.
func dropLowest[T any](items []T, prio func(T) int) []T {
	low := 0
	for i, it := range items {
		if prio(it) < prio(items[low]) {
			low = i
		}
	}
	return append(items[:low], items[low+1:]...)
}

// legendItem is one entry of a graph legend; entries with the lowest prio go first when the
// legend does not fit.
type legendItem struct {
	text string
	prio int
}

func fitLegend(items []legendItem, w int) string {
	gap := 2
	for {
		total := 1
		for i, it := range items {
			if i > 0 {
				total += 1
			}
			total += ansi.StringWidth(it.text)
		}
		if total+len(items)-1 <= w { // room for two-space gaps
			break
		}
		if total <= w || len(items) <= 1 { // single spaces still fit
			gap = 1
			break
		}
		items = dropLowest(items, func(it legendItem) int { return it.prio })
	}
	var b strings.Builder
	b.WriteString(" ")
	for i, it := range items {
		if i > 0 {
			b.WriteString(spaces(gap))
		}
		b.WriteString(it.text)
	}
	return fit(b.String(), w)
}

func pct(v float64) string { return strconv.Itoa(int(v+0.5)) + "%" }

// unknown is how a figure that is not known is shown: never as 0.
const unknown = "—"

// optBytes is an optional byte count in human units, unknown when nil.
func optBytes[T int64 | uint64](v *T) string {
	if v == nil {
		return unknown
	}
	return units.HumanBytes(float64(*v))
}

// percentText formats an optional percentage, "—" when it is unknown or stale.
func percentText(v *float64, stale bool, format string) string {
	if v == nil || stale {
		return unknown
	}
	return fmt.Sprintf(format, *v)
}

var nan = math.NaN()

// overlayDialog draws the dialog centred over the screen.
func (m *Model) overlayDialog(base string, w, h int) string {
	return dlg.Overlay(base, m.dialog.d.View(w, h, m.styles.Dlg), w, h)
}
