package tui

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/chart"
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
	sec    int64
	info   backend.Info
	defDis string
}

type footerKey struct {
	w     int
	flash flash
}

func (c *renderCache) invalidate() { c.valid = false }

// View draws the screen. It does no I/O and reuses the render cache.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
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
	hk := headerKey{w: w, sec: m.now.Unix(), info: m.info, defDis: m.defaultDistro()}
	if !c.valid || hk != c.headerKey {
		c.header, c.headerKey = m.renderHeader(w), hk
	}
	c.rows[0].WriteString(c.header)
	if m.filtering {
		c.rows[h-1].WriteString(m.renderFooter(w))
	} else {
		fk := footerKey{w: w, flash: m.flash}
		if !c.valid || fk != c.footerKey {
			c.footer, c.footerKey = m.renderFooter(w), fk
		}
		c.rows[h-1].WriteString(c.footer)
	}
	c.valid = true

	if m.showHelp {
		m.renderHelp(Rect{0, 1, w, h - 2})
	} else {
		// Panes in x order, so that each screen row is written left to right.
		for _, p := range [...]Pane{PaneDistros, PaneProcs, PaneReclaim, PaneWSLConfig, PaneMemory, PaneCPU, PaneMounts, PaneEvents, PaneWSLConf, PaneDistroMem, PanePorts, PaneVMs} {
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
	if m.info.Hostname != "" && m.info.Backend == "local" {
		parts = append(parts, part{st.HeaderInfo.Render(m.info.Hostname), 1})
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

func (m *Model) defaultDistro() string {
	for _, d := range m.distros {
		if d.Default {
			return d.Name
		}
	}
	return m.info.DefaultDistro
}

func (m *Model) renderFooter(w int) string {
	st := m.styles
	if m.filtering {
		hint := st.FooterDesc.Render("   enter keep · esc clear")
		return fit(" "+m.filter.View()+hint, w)
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
	all := m.keys.shortHelp()
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

// paneBox writes a bordered pane: the title (and a note) in the top border, body lines inside.
// Body lines must be exactly r.W-2 cells wide (use fit when unsure); missing lines are blank.
func (m *Model) paneBox(r Rect, p Pane, title, note string, body []string) {
	st := m.styles
	focused := m.focus == p
	bp := st.P.border
	ts := st.PaneTitle
	if focused {
		bp, ts = st.P.borderFocus, st.PaneTitleFocus
	}
	iw := r.W - 2
	rows := m.cache.rows
	// Top border: ╭─ Title ─ note ───╮
	t := ts.Render(title)
	tw := ansi.StringWidth(t)
	head := bp.s("╭─") + " " + t + " "
	used := 2 + 1 + tw + 1
	if note != "" && used+4 < r.W {
		nt := ansi.Truncate(note, r.W-used-4, "…")
		head += bp.s("─") + " " + st.PaneNote.Render(nt) + " "
		used += 3 + ansi.StringWidth(nt)
	}
	if used > r.W-1 {
		head = ansi.Truncate(head, r.W-1, "")
		used = r.W - 1
	}
	rows[r.Y].WriteString(head)
	rows[r.Y].WriteString(bp.s(strings.Repeat("─", r.W-1-used) + "╮"))
	side := bp.s("│")
	for i := 0; i < r.H-2; i++ {
		row := &rows[r.Y+1+i]
		row.WriteString(side)
		if i < len(body) {
			row.WriteString(body[i])
		} else {
			row.WriteString(spaces(iw))
		}
		row.WriteString(side)
	}
	rows[r.Y+r.H-1].WriteString(bp.s("╰" + strings.Repeat("─", max(r.W-2, 0)) + "╯"))
}

func (m *Model) renderPane(p Pane, r Rect) {
	switch p {
	case PaneDistros:
		m.renderDistros(r)
	case PaneProcs:
		m.renderProcs(r)
	case PaneMounts:
		m.renderMounts(r)
	case PaneMemory:
		m.renderMemory(r)
	case PaneCPU:
		m.renderCPU(r)
	case PaneReclaim:
		m.renderReclaim(r)
	case PaneEvents:
		m.renderEvents(r)
	case PaneWSLConfig:
		m.renderWSLConfig(r)
	case PaneWSLConf:
		m.renderWSLConf(r)
	case PanePorts:
		m.renderPorts(r)
	case PaneVMs:
		m.renderVMs(r)
	case PaneDistroMem:
		m.renderDistroMem(r)
	}
}

func (m *Model) renderDistros(r Rect) {
	st := m.styles
	P := &st.P
	iw := r.W - 2
	// Columns: marker 2, name flex, state 13, ver 4, disk 9, held 5.
	const stateW, verW, diskW, heldW = 13, 4, 9, 5
	showDisk := iw >= 2+14+stateW+verW+diskW
	showHeld := iw >= 2+16+stateW+verW+diskW+heldW
	restW := verW
	if showDisk {
		restW += diskW
	}
	if showHeld {
		restW += heldW
	}
	nameW := max(iw-2-stateW-restW, 4)
	// On wide screens the name column stops growing and the install folder gets the rest.
	const maxNameW, minLocW = 28, 16
	locW := 0
	if nameW > maxNameW+minLocW {
		locW = nameW - maxNameW
		nameW = maxNameW
		restW += locW
	}
	exact := 2+nameW+stateW+restW == iw
	body := make([]string, 0, r.H-2)
	hdr := "  " + col("NAME", nameW, false) + col("STATE", stateW, false) + col("WSL", verW, false)
	if showDisk {
		hdr += col("DISK", diskW-1, true) + " "
	}
	if showHeld {
		hdr += col("", heldW, false)
	}
	if locW > 0 {
		hdr += col("LOCATION", locW, false)
	}
	body = append(body, P.header.s(fit(hdr, iw)))
	vis := m.paneRows(PaneDistros)
	for i := m.dOff; i < len(m.rows) && i < m.dOff+vis; i++ {
		d := m.distros[m.rows[i]]
		sel := i == m.cursor
		name := d.Name
		if d.Default {
			name += " ★"
		}
		if backend.IsDockerDistro(d.Name) && textWidth(name)+len(" (Docker)") <= nameW-1 {
			name += " (Docker)" // where there is room; the memory and ports views always say so
		}
		stateText, stPaint := m.stateCell(d)
		mark := "  "
		if sel {
			mark = "▸ "
		}
		rest := col(strconv.Itoa(d.Version), verW, false)
		if showDisk {
			disk := "—"
			if d.DiskBytes > 0 {
				disk = chart.HumanBytes(float64(d.DiskBytes))
			}
			rest += col(disk, diskW-1, true) + " "
		}
		if showHeld {
			held := ""
			switch {
			case d.Kept:
				held = "kept"
			case d.Held:
				held = "held"
			case d.Version == 1: // outside the VM: no VM figures come from it
				held = "no VM"
			}
			rest += col(held, heldW, false)
		}
		if locW > 0 {
			loc := d.BasePath
			if loc == "" {
				loc = d.DiskPath
			}
			rest += colTail(shortPath(loc), locW)
		}
		left := mark + col(name, nameW-1, false) + " "
		stateCol := col(stateText, stateW, false)
		var line string
		if sel {
			sst := st.SelectedDim
			if m.focus == PaneDistros {
				sst = st.Selected
			}
			line = sst.Render(left) + m.stateStyle(d).Inherit(sst).Render(stateCol) + sst.Render(rest)
		} else {
			line = P.cell.s(left) + stPaint.s(stateCol) + P.muted.s(rest)
		}
		if !exact {
			line = fit(line, iw)
		}
		body = append(body, line)
	}
	if len(m.rows) == 0 {
		msg := "no distros"
		switch {
		case m.listErr != "":
			msg = m.listErr
		case m.filter.Value() != "":
			msg = "no distro matches “" + m.filter.Value() + "”"
		case !m.have.list && m.distros == nil:
			msg = "loading…"
		case m.info.Backend == "local":
			msg = "this machine has no WSL distros"
		}
		body = append(body, fit(P.muted.s("  "+msg), iw))
	}
	running := 0
	for i := range m.distros {
		if m.distros[i].State == backend.StateRunning {
			running++
		}
	}
	note := fmt.Sprintf("%d running · %d", running, len(m.distros))
	if q := m.filter.Value(); q != "" && !m.filtering {
		note = fmt.Sprintf("filter “%s” %d/%d", q, len(m.rows), len(m.distros))
	}
	if m.listErr != "" && len(m.rows) > 0 {
		note = m.listErr
	}
	m.paneBox(r, PaneDistros, "Distros", note, body)
}

// stateCell is the state column: a pending action's spinner, else a coloured dot and the state.
func (m *Model) stateCell(d backend.Distro) (string, paint) {
	st := m.styles
	frame := spinnerFrames.Frames[m.spinFrame%len(spinnerFrames.Frames)]
	if p, ok := m.pending[d.Name]; ok {
		return frame + " " + p.label + "…", st.P.pending
	}
	if p, ok := m.pending[vmKey]; ok && p.act == backend.ActShutdown && d.State == backend.StateRunning {
		return frame + " stopping…", st.P.pending
	}
	dot := "○ "
	switch {
	case d.State == backend.StateRunning:
		dot = "● "
	case d.State.Busy():
		dot = "◌ "
	}
	return dot + string(d.State), st.statePaint(d.State)
}

// stateStyle is the style of a row's state cell (for the selected row, which is re-rendered).
func (m *Model) stateStyle(d backend.Distro) lipgloss.Style {
	if _, ok := m.pending[d.Name]; ok {
		return m.styles.Pending
	}
	return m.styles.stateStyle(d.State)
}

func (m *Model) detailFor() string {
	if m.selected != "" {
		return m.selected
	}
	if m.info.Backend == "local" {
		return "this machine"
	}
	return ""
}

func (m *Model) renderProcs(r Rect) {
	st := m.styles
	P := &st.P
	iw := r.W - 2
	const pidW, userW, cpuW, rssW = 8, 10, 7, 10
	all := m.procsFor == allDistros
	distW := 0
	if all {
		distW = min(max(iw/5, 10), 20)
	}
	showUser := iw >= 2+pidW+userW+cpuW+rssW+12+distW
	fixed := 2 + pidW + cpuW + rssW + distW
	if showUser {
		fixed += userW
	}
	nameW := max(iw-fixed, 4)
	exact := fixed+nameW == iw
	body := make([]string, 0, r.H-2)
	hdr := "  "
	if all {
		hdr += col("DISTRO", distW, false)
	}
	hdr += col("PID", pidW-2, true) + "  "
	if showUser {
		hdr += col("USER", userW, false)
	}
	hdr += col("CPU%", cpuW-1, true) + " " + col("RSS", rssW-1, true) + " " + "NAME"
	body = append(body, P.header.s(fit(hdr, iw)))
	vis := m.paneRows(PaneProcs)
	var b strings.Builder
	for i := m.pOff; i < len(m.procs) && i < m.pOff+vis; i++ {
		p := &m.procs[i]
		b.Reset()
		if i == m.pCursor {
			b.WriteString("▸ ")
		} else {
			b.WriteString("  ")
		}
		if all {
			b.WriteString(col(p.Distro, distW-1, false))
			b.WriteByte(' ')
		}
		b.WriteString(col(strconv.Itoa(p.PID), pidW-2, true))
		b.WriteString("  ")
		if showUser {
			b.WriteString(col(p.User, userW-1, false))
			b.WriteByte(' ')
		}
		cpu := unknown
		if !p.CPUUnknown {
			cpu = strconv.FormatFloat(p.CPUPercent, 'f', 1, 64)
		}
		b.WriteString(col(cpu, cpuW-1, true))
		b.WriteByte(' ')
		b.WriteString(col(chart.HumanBytes(float64(p.RSSBytes)), rssW-1, true))
		b.WriteByte(' ')
		name := p.Name
		if pd, ok := m.pending[pidKey(p.PID)]; ok {
			name = spinnerFrames.Frames[m.spinFrame%len(spinnerFrames.Frames)] + " " + pd.label + "… " + name
		}
		b.WriteString(col(name, nameW, false))
		line := b.String()
		if !exact {
			line = fit(line, iw)
		}
		body = append(body, m.rowPaint(i == m.pCursor, PaneProcs).s(line))
	}
	if len(m.procs) == 0 {
		body = append(body, fit(P.muted.s("  "+emptyNote("no processes", m.procsErr, !m.have.procs)), iw))
	}
	note := m.detailFor()
	if all {
		note = "all running distros"
	}
	if len(m.procs) > 0 {
		note += " · " + strconv.Itoa(len(m.procs)) + " · by " + m.sortBy.String()
	}
	m.paneBox(r, PaneProcs, "Processes", note, body)
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

// rowPaint is the paint of a list row: selected (focused or not) or plain.
func (m *Model) rowPaint(sel bool, p Pane) paint {
	switch {
	case !sel:
		return m.styles.P.cell
	case m.focus == p:
		return m.styles.P.sel
	}
	return m.styles.P.selDim
}

func (m *Model) renderMounts(r Rect) {
	st := m.styles
	P := &st.P
	iw := r.W - 2
	const typeW, kindW = 10, 9
	flex := max(iw-2-typeW-kindW, 8)
	targetW := flex / 2
	srcW := flex - targetW
	optW := 0
	if flex >= 80 { // wide: fixed target/source, the mount options get the rest
		targetW, srcW = 30, 24
		optW = flex - targetW - srcW
	}
	exact := 2+targetW+srcW+optW+typeW+kindW == iw
	body := make([]string, 0, r.H-2)
	hdr := "  " + col("TARGET", targetW, false) + col("SOURCE", srcW, false) + col("TYPE", typeW, false) + col("KIND", kindW, false)
	if optW > 0 {
		hdr += "OPTIONS"
	}
	body = append(body, P.header.s(fit(hdr, iw)))
	vis := m.paneRows(PaneMounts)
	for i := m.mOff; i < len(m.mounts) && i < m.mOff+vis; i++ {
		mt := &m.mounts[i]
		mark := "  "
		if i == m.mCursor {
			mark = "▸ "
		}
		line := mark + col(mt.Target, targetW-1, false) + " " + col(mt.Source, srcW-1, false) + " " +
			col(mt.FSType, typeW-1, false) + " " + col(string(mt.Kind), kindW, false)
		if optW > 0 {
			line += col(mt.Options, optW, false)
		}
		if !exact {
			line = fit(line, iw)
		}
		body = append(body, m.rowPaint(i == m.mCursor, PaneMounts).s(line))
	}
	if len(m.mounts) == 0 {
		body = append(body, fit(P.muted.s("  "+emptyNote("no mounts", m.mountsErr, !m.have.mounts)), iw))
	}
	note := m.detailFor()
	if len(m.mounts) > 0 {
		note += " · " + strconv.Itoa(len(m.mounts))
	}
	m.paneBox(r, PaneMounts, "Mounts", note, body)
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

func (m *Model) swatch(clr lipgloss.Style, label, value string) string {
	st := m.styles
	return clr.Render("■") + " " + st.Muted.Render(label) + " " + st.Cell.Render(value)
}

func (m *Model) renderMemory(r Rect) {
	st := m.styles
	c := m.cache
	iw, ih := r.W-2, r.H-2
	body := make([]string, 0, ih)
	last, ok := m.hist.Last()
	note := ""
	if ok {
		g := last.Guest
		// The legends give the newest figures; when the newest sample failed (the VM stopped,
		// wsl.exe timed out) they are unknown now: "—", not the last values.
		stale := m.sampleErr != ""
		hb := func(v uint64) string {
			if stale {
				return unknown
			}
			return chart.HumanBytes(float64(v))
		}
		note = fmt.Sprintf("%s of %s used", hb(g.UsedBytes), chart.HumanBytes(float64(g.TotalBytes)))
		if hv := last.Host; hv != nil && hv.VMProcessBytes > 0 && !stale {
			note += fmt.Sprintf(" · Windows sees %s", hb(hv.VMProcessBytes))
		}
		// Used and cache are stacked areas; free is the empty space above them, up to the total.
		items := []legendItem{
			{m.swatch(m.seriesStyle(st.Used), "used", hb(g.UsedBytes)), 9},
			{m.swatch(m.seriesStyle(st.Cache), "cache", hb(g.CacheBytes)), 8},
			{st.Muted.Render("□ free") + " " + st.Cell.Render(hb(g.FreeBytes)), 5},
		}
		if hv := last.Host; hv != nil && hv.VMProcessBytes > 0 {
			name := hv.VMProcess
			if name == "" {
				name = "vmmem"
			}
			items = append(items, legendItem{m.seriesStyle(st.VM).Render("━") + " " + st.Muted.Render(name) + " " +
				st.Cell.Render(hb(hv.VMProcessBytes)), 7})
		}
		if gap, ok := vmGap(last); ok {
			items = append(items, legendItem{st.Muted.Render("gap ") + st.Cell.Render(hb(gap)), 6})
		}
		if m.view == ViewMemory { // the per-distro lines (distromem.go)
			for i, d := range last.Distros {
				items = append(items, legendItem{m.seriesStyle(m.distroColor(i)).Render("━") + " " + st.Muted.Render(d.Name), 0})
			}
		}
		if m.view != ViewMemory && !stale { // the memory view has its own reclaim pane
			if rc := g.Reclaimable(); rc > 0 {
				items = append(items, legendItem{st.Muted.Render("reclaimable ") + st.Cell.Render(chart.HumanBytes(float64(rc))), 3})
			}
			if rm := m.info.ReclaimMode; rm != "" {
				items = append(items, legendItem{st.Muted.Render("autoMemoryReclaim ") + st.Cell.Render(string(rm)), 1})
			}
		}
		if sw := g.SwapTotalBytes; sw > 0 {
			items = append(items, legendItem{st.Muted.Render("swap ") +
				st.Cell.Render(hb(sw-min(g.SwapFreeBytes, sw))+"/"+chart.HumanBytes(float64(sw))), 2})
		}
		body = append(body, fitLegend(items, iw))
		if hv := last.Host; hv != nil && hv.VMProcessBytes == 0 && hv.Note != "" {
			// No host line: say why in one line (inside WSL: how to get the host helper).
			body = append(body, fit(" "+st.Muted.Render(hv.Note), iw))
		}
	}
	if m.sampleErr != "" {
		note = m.sampleErr
	}
	gh := ih - len(body)
	if !ok {
		body = append(body, fit(st.Muted.Render("  waiting for the first sample…"), iw))
	} else if gh > 0 {
		total := 0.0
		c.used = m.hist.Series(c.used[:0], func(s backend.Sample) float64 { return float64(s.Guest.UsedBytes) })
		c.cache = m.hist.Series(c.cache[:0], func(s backend.Sample) float64 { return float64(s.Guest.CacheBytes) })
		series := []chart.Series{
			{Name: "used", Values: c.used, Color: st.Used},
			{Name: "cache", Values: c.cache, Color: st.Cache},
		}
		total = float64(last.Guest.TotalBytes)
		if last.Host != nil && last.Host.VMProcessBytes > 0 {
			c.vm = m.hist.Series(c.vm[:0], func(s backend.Sample) float64 {
				if s.Host == nil || s.Host.VMProcessBytes == 0 {
					return nan
				}
				return float64(s.Host.VMProcessBytes)
			})
			for _, v := range c.vm {
				if v > total {
					total = v
				}
			}
			series = append(series, chart.Series{Name: "vm", Values: c.vm, Color: st.VM, Line: true})
		}
		if m.view == ViewMemory {
			series = append(series, m.distroLines(last)...)
		}
		// Reclaim events from the log (computed in Update), placed by binary search.
		c.chartMarkers = c.chartMarkers[:0]
		if n := m.hist.Len(); n > 0 {
			at := func(i int) time.Time { return m.hist.At(i).Time }
			first := at(0)
			for _, e := range m.rec.log {
				if e.Time.Before(first) {
					continue
				}
				if i := indexAt(n, at, e.Time); i >= 0 {
					c.chartMarkers = append(c.chartMarkers, chart.Marker{Index: i, Label: markerLabel(e)})
				}
			}
		}
		if total <= 0 {
			total = chart.NiceMax(0, true)
		}
		// The memory view shows the whole history (neighbouring samples averaged), so reclaims
		// from minutes ago stay in sight; the overview shows the newest samples at full detail.
		window := 0
		if n := m.hist.Len(); m.view == ViewMemory && n > 2*iw {
			window = n
		}
		out := c.mem.Render(chart.Options{
			Width: iw, Height: gh, Min: 0, Max: total, Stacked: true, Bytes: true, Window: window,
			Step: m.refresh, Markers: c.chartMarkers, AxisStyle: st.Axis, MarkerStyle: st.MsgInfo, NoColor: st.NoColor,
		}, series...)
		body = chartLines(body, out)
	}
	m.paneBox(r, PaneMemory, "Memory", note, body)
}

func (m *Model) renderCPU(r Rect) {
	st := m.styles
	c := m.cache
	iw, ih := r.W-2, r.H-2
	body := make([]string, 0, ih)
	last, ok := m.hist.Last()
	note := ""
	if ok {
		// Unknown (a first reading, or the newest sample failed) is "—", never 0.
		stale := m.sampleErr != ""
		cpu := percentText(last.CPUPercent, stale, "%.1f%%")
		if note = percentText(last.CPUPercent, stale, "%.0f%%"); note == unknown {
			note = "" // the legend says it
		}
		items := []legendItem{{m.swatch(m.seriesStyle(st.CPU), "guest", cpu), 9}}
		hostCPU := last.Host != nil && last.Host.VMCPUPercent != nil
		if hostCPU {
			items = append(items, legendItem{m.seriesStyle(st.VM).Render("━") + " " + st.Muted.Render("host VM") + " " +
				st.Cell.Render(percentText(last.Host.VMCPUPercent, stale, "%.1f%%")), 7})
		}
		if ps := last.MemoryPressure; ps != nil {
			items = append(items, legendItem{st.Muted.Render("memory pressure ") + st.Cell.Render(percentText(&ps.Avg10, stale, "%.1f%%")), 4})
		}
		if hv := last.Host; hv != nil && hv.Note != "" && hv.VMProcessBytes > 0 && !stale { // else the memory pane says it
			items = append(items, legendItem{st.Muted.Render(hv.Note), 1})
		}
		body = append(body, fitLegend(items, iw))
		if gh := ih - 1; gh > 0 {
			c.cpuv = m.hist.Series(c.cpuv[:0], func(s backend.Sample) float64 {
				if s.CPUPercent == nil {
					return nan // a gap, not a fall to 0
				}
				return *s.CPUPercent
			})
			series := []chart.Series{{Name: "cpu", Values: c.cpuv, Color: st.CPU}}
			if hostCPU {
				c.vmcpu = m.hist.Series(c.vmcpu[:0], func(s backend.Sample) float64 {
					if s.Host == nil || s.Host.VMCPUPercent == nil {
						return nan
					}
					return *s.Host.VMCPUPercent
				})
				series = append(series, chart.Series{Name: "host", Values: c.vmcpu, Color: st.VM, Line: true})
			}
			out := c.cpu.Render(chart.Options{
				Width: iw, Height: gh, Min: 0, Max: 100, YFormat: pct,
				Step: m.refresh, AxisStyle: st.Axis, NoColor: st.NoColor,
			}, series...)
			body = chartLines(body, out)
		}
	} else {
		body = append(body, fit(st.Muted.Render("  waiting for the first sample…"), iw))
	}
	m.paneBox(r, PaneCPU, "CPU", note, body)
}

func pct(v float64) string { return strconv.Itoa(int(v+0.5)) + "%" }

// unknown is how a figure that is not known is shown: never as 0.
const unknown = "—"

// percentText formats an optional percentage, "—" when it is unknown or stale.
func percentText(v *float64, stale bool, format string) string {
	if v == nil || stale {
		return unknown
	}
	return fmt.Sprintf(format, *v)
}

var nan = math.NaN()

func (m *Model) seriesStyle(c color.Color) lipgloss.Style {
	if m.styles.NoColor || c == nil {
		return lipgloss.NewStyle()
	}
	return lipgloss.NewStyle().Foreground(c)
}

// renderHelp draws the full key map (generated from KeyMap) in the body area: the groups side by
// side in rows when they fit, else packed into columns as tall as the pane.
func (m *Model) renderHelp(r Rect) {
	st := m.styles
	iw := r.W - 2
	foot := []string{
		"Mouse: click selects a row and focuses its pane; the wheel scrolls.",
		"Dimmed keys are not available on this backend; pressing one says why.",
		"held: running only while wsldash is open · kept (K): stays running after wsldash quits, until R.",
		"Rebind keys in config.toml, e.g. [keys] start = [\"s\"] (wsldash config path).",
	}
	// One block of lines per group, each with its own key column width.
	var blocks [][]string
	for _, g := range m.keys.helpGroups() {
		kw := 0
		for _, kb := range g.Keys {
			kw = max(kw, ansi.StringWidth(kb.Help().Key))
		}
		lines := []string{st.PaneTitleFocus.Render(g.Title)}
		for _, kb := range g.Keys {
			h := kb.Help()
			reason := ""
			if a := m.keys.actionOf(kb); a != "" {
				reason = m.caps.Reason(a)
			}
			if reason != "" {
				lines = append(lines, st.FooterDisabled.Render(col(h.Key, kw, false)+"  "+h.Desc)+st.Muted.Render(" — "+reason))
			} else {
				lines = append(lines, st.Help.FullKey.Render(col(h.Key, kw, false))+"  "+st.Help.FullDesc.Render(h.Desc))
			}
		}
		blocks = append(blocks, lines)
	}
	width := func(ls []string) int {
		w := 0
		for _, l := range ls {
			w = max(w, ansi.StringWidth(l))
		}
		return w
	}
	const gap = 4
	avail := r.H - 2 - 1 // inner height less the top blank line

	// Rows of blocks side by side.
	var grid []string
	{
		var row [][]string
		roww := 0
		flush := func() {
			if len(row) == 0 {
				return
			}
			if len(grid) > 0 {
				grid = append(grid, "")
			}
			grid = append(grid, joinColumns(row, gap, width)...)
			row, roww = nil, 0
		}
		for _, bl := range blocks {
			bw := width(bl) + gap
			if roww+bw > iw-2 && len(row) > 0 {
				flush()
			}
			row = append(row, bl)
			roww += bw
		}
		flush()
	}
	if len(grid) > avail {
		// Columns: blocks stacked top to bottom, a new column when the next does not fit.
		var colsList [][]string
		var cur []string
		for _, bl := range blocks {
			need := len(bl)
			if len(cur) > 0 {
				need++
			}
			if len(cur)+need > avail && len(cur) > 0 {
				colsList = append(colsList, cur)
				cur = nil
			}
			if len(cur) > 0 {
				cur = append(cur, "")
			}
			cur = append(cur, bl...)
		}
		colsList = append(colsList, cur)
		grid = joinColumns(colsList, gap, width)
	}
	body := make([]string, 0, r.H-2)
	body = append(body, spaces(iw))
	for _, l := range grid {
		body = append(body, fit("  "+l, iw))
	}
	if len(body)+1+len(foot) <= r.H-2 {
		body = append(body, spaces(iw))
		for _, f := range foot {
			body = append(body, fit("  "+st.Muted.Render(f), iw))
		}
	}
	if len(body) > r.H-2 {
		body = body[:r.H-2]
	}
	m.paneBox(r, PaneNone, "Help", "? or esc closes", body)
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

// overlayDialog draws the confirm dialog centred over the screen.
func (m *Model) overlayDialog(base string, w, h int) string {
	st := m.styles
	d := m.dialog
	yes, no := st.Button.Render("Yes"), st.ButtonActive.Render("No")
	if d.yes {
		yes, no = st.ButtonActive.Render("Yes"), st.Button.Render("No")
	}
	bw := min(max(44, ansi.StringWidth(d.title)+8), w-4)
	if len(d.choices) > 0 {
		bw = min(max(bw, 72), w-4)
	}
	inner := bw - st.Dialog.GetHorizontalFrameSize()
	hint := st.Muted.Render("y yes · n/esc no")
	buttons := yes + "  " + no + "   " + hint
	body := lipgloss.NewStyle().Width(inner).Render(d.body)
	if len(d.choices) > 0 {
		// One line per choice: a marker, the name, what it does.
		var b strings.Builder
		b.WriteString(body)
		b.WriteString("\n")
		for i, c := range d.choices {
			b.WriteString("\n")
			name := col(c.label, 10, false)
			desc := ansi.Truncate(c.desc, max(inner-13, 0), "…")
			if i == d.choice {
				b.WriteString(st.Help.ShortKey.Render("▸ "+name) + " " + st.Cell.Render(desc))
			} else {
				b.WriteString(st.Muted.Render("  " + name + " " + desc))
			}
		}
		body = b.String()
		k := &m.keys
		buttons = st.Muted.Render(k.Up.Help().Key + "/" + k.Down.Help().Key + " choose · " +
			k.Confirm.Help().Key + " " + d.verb + " · " + k.Cancel.Help().Key + " cancel")
	}
	content := st.DialogTitle.Render(d.title) + "\n\n" + body + "\n\n" + buttons
	box := st.Dialog.Width(bw).Render(content)
	lines := strings.Split(base, "\n")
	bl := strings.Split(box, "\n")
	x := max((w-lipgloss.Width(box))/2, 0)
	y := max((h-len(bl))/2, 0)
	for i, b := range bl {
		if y+i >= len(lines) {
			break
		}
		ln := lines[y+i]
		bwid := ansi.StringWidth(b)
		left := ansi.Truncate(ln, x, "")
		right := ansi.TruncateLeft(ln, x+bwid, "")
		lines[y+i] = left + "\x1b[m" + b + "\x1b[m" + right
	}
	return strings.Join(lines, "\n")
}
