// Package chart renders time-series charts for the wsldash dashboard in braille characters: the
// memory graph (guest used, page cache and free as stacked areas, with the host-side vmmemWSL
// process as a line on top), the CPU graph (0–100 %), and reclaim events as markers on the
// timeline.
//
// It is hand-written rather than built on ntcharts, the usual Bubble Tea chart library, because
// ntcharts is still on Bubble Tea v1 / Lip Gloss v1 and cannot be mixed with the v2 stack
// (charm.land/bubbletea/v2, charm.land/lipgloss/v2) that wsldash uses.
//
// The package is a pure renderer: no tea.Model, no I/O, no clock. It takes numbers and returns
// a string of exactly Options.Height lines, each exactly Options.Width cells wide, with ANSI
// styling (unless Options.NoColor). Each braille cell holds 2×4 dots, so a plot column shows two
// samples; the newest sample is at the right edge.
//
// A terminal cell has one foreground colour, so where several series touch a cell the one
// highest in the stack wins, and a Line series wins over any area (in colour the cell then shows
// only the line's dots). Without colour, stacked areas are separated by a one-dot seam and a
// line keeps a one-dot clearance from the area around it, so both stay readable. Heights of 1
// and 2 get a block-element sparkline (▁▂▃▄▅▆▇█) of the first area series instead of braille.
//
// Output is assembled per row in a reused byte buffer, with runs of one colour in one SGR span
// whose prefix is computed once per colour: BenchmarkSpanStyling shows that is about 50 times
// cheaper than lipgloss.Style.Render per run.
//
// A [Chart] keeps its buffers between frames; [Render] is the one-shot form. Both give the same
// output for the same input.
package chart

import (
	"image/color"
	"math"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/wsldash/wsldash/internal/units"
)

// Series is one data series. All series of a chart are aligned at their newest (last) value; a
// shorter series simply has no data for the oldest points.
type Series struct {
	Name   string
	Values []float64   // oldest first; NaN = gap (no data)
	Color  color.Color // nil = default foreground
	Line   bool        // draw as a line overlay on top of the (stacked) areas instead of an area
}

// Marker marks one sample, for example a memory reclaim event. Index is an index into the
// Values of the longest series (all series normally have the same length).
type Marker struct {
	Index int
	Label string
	// Value is what the marker stands for (a reclaim's bytes), for GroupLabel; optional.
	Value float64
}

// Options controls the size, scale and look of a chart.
type Options struct {
	// Width and Height are the total size in cells, including the y-axis labels and the
	// x-axis row. The output is exactly Height lines, each exactly Width cells wide. Below 6×1
	// the output is blank. Height 1 or 2 gives a block-element sparkline of the first area
	// series, one sample per cell, without y labels: at Height 2 the second row is the time
	// axis when Step > 0, else the sparkline is two rows tall.
	Width, Height int
	// Min and Max fix the y range. When Max <= Min (or either is not finite), the range is
	// 0..NiceMax(largest visible value), where for stacked charts the largest value is the top
	// of the stack.
	Min, Max float64
	// Stacked draws the non-Line series as stacked areas, in order, the first at the bottom.
	Stacked bool
	// YFormat formats tick labels; nil means plain numbers (or units.HumanBytes when Bytes is set).
	YFormat func(v float64) string
	// Bytes says the values are byte counts: auto-scaling rounds to binary steps (see NiceMax)
	// and a nil YFormat means units.HumanBytes. Passing YFormat: units.HumanBytes implies Bytes.
	Bytes bool
	// Step is the time between samples, for the x axis ("-10m   -5m   now"). 0 = no axis row.
	Step time.Duration
	// Window is how many of the newest samples to spread across the plot width. 0 means two
	// samples per cell column (one per braille dot column). When it is larger than the plot
	// holds, neighbouring samples are averaged; when smaller, samples are stretched.
	Window int
	// Span, when Step > 0 and Window == 0, sets Window to Span/Step: show this much time.
	Span time.Duration
	// Markers are drawn as a '▼' at the top of the sample's column, a thin guide below it
	// through empty cells, and the label beside it in the top row: over empty cells when
	// there is room, else over the data; omitted when it would touch another marker.
	Markers []Marker
	// GroupLabel, if set, labels a run of markers too close together for a label each (the next
	// one's column falls within the previous label's width): one label at the run's last marker,
	// given how many there are and the sum of their Values. Nil: each marker keeps its own label,
	// where there is room.
	GroupLabel func(n int, sum float64, last Marker) string
	// AxisStyle styles the y-axis labels and the time axis; MarkerStyle styles markers.
	AxisStyle   lipgloss.Style
	MarkerStyle lipgloss.Style
	// NoColor gives plain text without ANSI sequences. Stacked areas are then separated by a
	// one-dot seam so they can be told apart.
	NoColor bool
}

// Render draws a chart. It never panics; negative sizes give "".
func Render(opts Options, series ...Series) string {
	var c Chart
	return c.Render(opts, series...)
}

// Chart renders charts and reuses its buffers between frames. The zero value is ready to use.
// A Chart is not safe for concurrent use.
type Chart struct {
	sb strings.Builder

	vals   []float64   // resampled values, len(series) × dot columns
	aBits  []uint8     // area dots per cell
	lBits  []uint8     // line dots per cell
	aOwn   []int32     // series index owning the cell's area colour, -1 = none
	aPrio  []int32     // priority of aOwn
	lOwn   []int32     // series index owning the cell's line colour, -1 = none
	over   []rune      // marker glyphs and labels drawn over the plot, 0 = none
	labels []markLabel // the labels to place (labelled)
	axis   []rune      // the x-axis row

	pre      []string // per colour id: SGR prefix, "" = default colour
	colID    []int    // per series: colour id
	row      []byte   // one output row being assembled
	lastLen  int      // length of the previous output, to size the builder
	colCache []colorPrefix
}

type colorPrefix struct {
	c   color.Color
	pre string
}

// braille dot bits by [dot column][dot row from the top].
var dotBit = [2][4]uint8{{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}}

// fullBits[k] has the k lowest dot rows of one dot column set (k = 0..4), by dot column.
var fullBits = func() (t [2][5]uint8) {
	for c := 0; c < 2; c++ {
		for k := 1; k <= 4; k++ {
			t[c][k] = t[c][k-1] | dotBit[c][4-k]
		}
	}
	return t
}()

const (
	markerGlyph = '▼'
	markerGuide = '┊'
)

var sparkRunes = [8]rune{'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'}

// geometry and scale of one frame.
type frame struct {
	opts     Options
	series   []Series
	n        int // samples in the longest series
	win      int // samples shown across the plot
	dotW     int // dot columns (2 per cell for braille, 1 for sparklines)
	lo, hi   float64
	plotW    int
	plotRows int
	labelW   int
	bytes    bool
	format   func(float64) string
}

// Render draws a chart; see the package Render.
func (c *Chart) Render(opts Options, series ...Series) string {
	w, h := opts.Width, opts.Height
	if w < 0 || h < 0 {
		return ""
	}
	n := 0
	for _, s := range series {
		n = max(n, len(s.Values))
	}
	if w < 6 || h < 1 || n == 0 {
		return blank(w, h)
	}
	f := frame{opts: opts, series: series, n: n}
	f.bytes = opts.Bytes || isHumanBytes(opts.YFormat)
	f.format = opts.YFormat
	if f.format == nil {
		if f.bytes {
			f.format = units.HumanBytes
		} else {
			f.format = formatNum
		}
	}
	if h <= 2 {
		return c.sparkline(&f)
	}
	return c.braille(&f)
}

func blank(w, h int) string {
	if w < 0 || h <= 0 {
		return ""
	}
	line := strings.Repeat(" ", w)
	var b strings.Builder
	b.Grow((w + 1) * h)
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String()
}

var humanBytesPtr = reflect.ValueOf(units.HumanBytes).Pointer()

func isHumanBytes(f func(float64) string) bool {
	return f != nil && reflect.ValueOf(f).Pointer() == humanBytesPtr
}

// window sets f.win from the options, for dotW dot columns.
func (f *frame) window() {
	f.win = f.opts.Window
	if f.win <= 0 && f.opts.Span > 0 && f.opts.Step > 0 {
		f.win = int(min(math.Ceil(float64(f.opts.Span)/float64(f.opts.Step)), maxWindow))
	}
	if f.win <= 0 {
		f.win = f.dotW
	}
	f.win = min(f.win, maxWindow)
}

// maxWindow bounds Window (and Span/Step) so that index arithmetic cannot overflow.
const maxWindow = 1 << 30

// value returns sample i (0 = oldest of the longest series) of series s, NaN when absent.
func (f *frame) value(s, i int) float64 {
	v := f.series[s].Values
	j := i - (f.n - len(v))
	if j < 0 || j >= len(v) {
		return math.NaN()
	}
	return v[j]
}

// resample fills c.vals with one value per series per dot column.
func (c *Chart) resample(f *frame) {
	ns := len(f.series)
	c.vals = grow(c.vals, ns*f.dotW)
	first := f.n - f.win // data index of window position 0
	for s := 0; s < ns; s++ {
		row := c.vals[s*f.dotW : (s+1)*f.dotW]
		if f.win == f.dotW {
			for x := range row {
				row[x] = f.value(s, first+x)
			}
			continue
		}
		for x := range row {
			a := int(int64(x) * int64(f.win) / int64(f.dotW))
			b := int(int64(x+1) * int64(f.win) / int64(f.dotW))
			if b <= a {
				b = a + 1
			}
			// Only positions win-n..win-1 hold data.
			a, b = max(a, f.win-f.n), min(b, f.win)
			sum, cnt := 0.0, 0
			for p := a; p < b; p++ {
				if v := f.value(s, first+p); !math.IsNaN(v) {
					sum += v
					cnt++
				}
			}
			if cnt == 0 {
				row[x] = math.NaN()
			} else {
				row[x] = sum / float64(cnt)
			}
		}
	}
}

// scale sets f.lo and f.hi, auto-scaling over the resampled (visible) values when needed.
func (c *Chart) scale(f *frame) {
	lo, hi := f.opts.Min, f.opts.Max
	if finite(lo) && finite(hi) && hi > lo && finite(hi-lo) {
		f.lo, f.hi = lo, hi
		return
	}
	top := 0.0
	ns := len(f.series)
	for x := 0; x < f.dotW; x++ {
		stack := 0.0
		for s := 0; s < ns; s++ {
			v := c.vals[s*f.dotW+x]
			if !finite(v) {
				continue
			}
			if f.opts.Stacked && !f.series[s].Line {
				if v > 0 {
					stack += v
				}
				continue
			}
			top = max(top, v)
		}
		if finite(stack) {
			top = max(top, stack)
		}
	}
	f.lo = 0
	f.hi = NiceMax(top, f.bytes)
	if !finite(f.hi) {
		f.hi = top
	}
	if !finite(f.hi) || f.hi <= 0 {
		f.hi = math.MaxFloat64
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// level maps v to 0..steps (how many dots or eighths are filled below v), rounding.
func (f *frame) level(v float64, steps int) int {
	r := (v - f.lo) / (f.hi - f.lo) * float64(steps)
	switch {
	case math.IsNaN(r) || r <= 0:
		return 0
	case r >= float64(steps):
		return steps
	}
	return int(r + 0.5)
}

// ticks returns the tick values and the rows (0 = top) they label.
func (f *frame) ticks(rows int) (vals [4]float64, at [4]int, k int) {
	div := 1
	switch {
	case rows >= 9 && thirdsNice(f.hi-f.lo, f.bytes):
		div = 3
	case rows >= 5:
		div = 2
	}
	for i := 0; i <= div; i++ {
		fr := float64(i) / float64(div)
		vals[k] = f.lo + (f.hi-f.lo)*fr
		at[k] = int(math.Round((1 - fr) * float64(rows-1)))
		k++
	}
	vals[0] = f.lo
	vals[k-1] = f.hi
	return vals, at, k
}

func thirdsNice(r float64, bytes bool) bool {
	t := r / 3
	n := NiceMax(t, bytes)
	return math.Abs(n-t) <= 1e-9*t
}

// braille draws the full chart: y labels, braille plot, optional time axis.
func (c *Chart) braille(f *frame) string {
	o := &f.opts
	axisRow := 0
	if o.Step > 0 {
		axisRow = 1
	}
	f.plotRows = o.Height - axisRow
	// The label width depends on the scale, the scale on the visible data, and that on the
	// plot width, which is what the labels leave: start with the full width and repeat until
	// the width is stable (in practice at most twice).
	f.plotW = o.Width
	var (
		labels [4]string
		tr     [4]int
		nt     int
	)
	for iter := 0; ; iter++ {
		f.dotW = 2 * f.plotW
		f.window()
		c.resample(f)
		c.scale(f)
		var tv [4]float64
		tv, tr, nt = f.ticks(f.plotRows)
		lw := 0
		for i := 0; i < nt; i++ {
			labels[i] = f.format(tv[i])
			lw = max(lw, ansi.StringWidth(labels[i]))
		}
		f.labelW = lw + 1
		if o.Width-f.labelW < 4 {
			f.labelW = 0 // no room for labels: plot only
		}
		w := o.Width - f.labelW
		if w == f.plotW {
			break
		}
		if iter == 2 {
			// Not settled: keep this plot width; labels are padded or cut to fit.
			f.labelW = o.Width - f.plotW
			break
		}
		f.plotW = w
	}

	cells := f.plotW * f.plotRows
	c.aBits = grow(c.aBits, cells)
	c.lBits = grow(c.lBits, cells)
	c.aOwn = grow(c.aOwn, cells)
	c.aPrio = grow(c.aPrio, cells)
	c.lOwn = grow(c.lOwn, cells)
	c.over = grow(c.over, cells)
	clear(c.aBits)
	clear(c.lBits)
	clear(c.over)
	for i := range c.aOwn {
		c.aOwn[i], c.lOwn[i] = -1, -1
	}
	c.plotAreas(f)
	c.plotLines(f)
	c.plotMarkers(f)
	c.timeAxis(f, 2)
	c.prefixes(f)

	// Output.
	sb := &c.sb
	sb.Reset()
	sb.Grow(max(c.lastLen, o.Height*(o.Width*3+8)))
	axisSt := newSpanStyle(o.AxisStyle, o.NoColor)
	markSt := newSpanStyle(o.MarkerStyle, o.NoColor)
	for r := 0; r < f.plotRows; r++ {
		if r > 0 {
			sb.WriteByte('\n')
		}
		if f.labelW > 0 {
			ti := -1
			for i := 0; i < nt; i++ {
				if tr[i] == r {
					ti = i
				}
			}
			axisSt.open(sb)
			if ti >= 0 {
				pad := f.labelW - 1 - ansi.StringWidth(labels[ti])
				writeSpaces(sb, pad)
				if pad < 0 {
					sb.WriteString(ansi.Truncate(labels[ti], f.labelW-1, ""))
				} else {
					sb.WriteString(labels[ti])
				}
				sb.WriteRune('┤')
			} else {
				writeSpaces(sb, f.labelW-1)
				sb.WriteRune('│')
			}
			axisSt.close(sb)
		}
		c.writeRow(f, sb, r, &markSt)
	}
	if axisRow == 1 {
		sb.WriteByte('\n')
		axisSt.open(sb)
		writeSpaces(sb, f.labelW)
		for _, r := range c.axis[:f.plotW] {
			sb.WriteRune(r)
		}
		axisSt.close(sb)
	}
	c.lastLen = sb.Len()
	return sb.String()
}

// plotAreas fills the area series into c.aBits.
func (c *Chart) plotAreas(f *frame) {
	H := 4 * f.plotRows
	ns := len(f.series)
	seams := f.opts.NoColor && f.opts.Stacked
	for x := 0; x < f.dotW; x++ {
		dc := x & 1
		col := x >> 1
		stack := 0.0
		filled := 0 // dots filled so far in this column (stacked)
		any := -1   // first series with data here
		prevTop := -1
		for s := 0; s < ns; s++ {
			if f.series[s].Line {
				continue
			}
			v := c.vals[s*f.dotW+x]
			if math.IsNaN(v) {
				continue
			}
			if any < 0 {
				any = s
			}
			var lo, hi int
			if f.opts.Stacked {
				if v > 0 {
					stack += v
				}
				lo = filled
				hi = f.level(stack, H)
				if stack <= f.lo {
					hi = 0
				}
				if hi <= lo {
					continue
				}
				filled = hi
				if seams && prevTop == lo && hi-lo >= 2 {
					lo++
				}
				prevTop = hi
			} else {
				hi = f.level(v, H)
				if hi == 0 {
					continue
				}
				filled = max(filled, hi)
			}
			c.fill(f, col, dc, lo, hi, int32(s), !f.opts.Stacked)
		}
		if any >= 0 && filled == 0 {
			// Data at the bottom of the range: show a baseline dot so it differs from a gap.
			c.fill(f, col, dc, 0, 1, int32(any), !f.opts.Stacked)
		}
	}
}

// fill sets dots lo..hi-1 (from the bottom) of dot column dc of cell column col for series s.
// byHeight gives the cell to the series with the highest dot in it (overlapping areas);
// otherwise the later series wins (stacked areas).
func (c *Chart) fill(f *frame, col, dc, lo, hi int, s int32, byHeight bool) {
	w := f.plotW
	aBits, aOwn, aPrio := c.aBits, c.aOwn, c.aPrio
	i := (f.plotRows-1-lo>>2)*w + col // cell of dot lo; moving up a dot row of cells is i -= w
	for y := lo; y < hi; i -= w {
		cr := y >> 2 // cell row from the bottom
		inHi := min(hi-cr*4, 4)
		aBits[i] |= fullBits[dc][inHi] &^ fullBits[dc][y&3]
		p := s
		if byHeight {
			p = int32(inHi)<<16 | s
		}
		if aOwn[i] < 0 || p >= aPrio[i] {
			aOwn[i], aPrio[i] = s, p
		}
		y = (cr + 1) * 4
	}
}

// plotLines draws the line series into c.lBits, joining neighbouring points vertically.
// A line is drawn at the dot an area of the same value would top out at.
func (c *Chart) plotLines(f *frame) {
	H := 4 * f.plotRows
	rows := f.plotRows
	halo := f.opts.NoColor
	for s := range f.series {
		if !f.series[s].Line {
			continue
		}
		prev := -1
		for x := 0; x < f.dotW; x++ {
			v := c.vals[s*f.dotW+x]
			if math.IsNaN(v) {
				prev = -1
				continue
			}
			// The dot an area of the same value would top out at.
			y := min(max(f.level(v, H)-1, 0), H-1)
			lo, hi := y, y
			if prev >= 0 {
				switch {
				case prev < y-1:
					lo = prev + 1
				case prev > y+1:
					hi = prev - 1
				}
			}
			prev = y
			dc, col := x&1, x>>1
			for yy := lo; yy <= hi; yy++ {
				i := (rows-1-yy>>2)*f.plotW + col
				c.lBits[i] |= dotBit[dc][3-yy&3]
				c.lOwn[i] = int32(s)
			}
			if halo {
				// Without colour the line shows through an area by a one-dot clearance
				// above and below it.
				for _, yy := range [2]int{lo - 1, hi + 1} {
					if yy >= 0 && yy < H {
						c.aBits[(rows-1-yy>>2)*f.plotW+col] &^= dotBit[dc][3-yy&3]
					}
				}
			}
		}
	}
}

// markerCol maps a sample index to its plot column, or -1 when it is not visible.
func (f *frame) markerCol(idx int) int {
	pos := idx - (f.n - f.win)
	if idx < 0 || idx >= f.n || pos < 0 || pos >= f.win {
		return -1
	}
	x := int((int64(pos)*2 + 1) * int64(f.dotW) / (2 * int64(f.win)))
	if f.dotW == 2*f.plotW {
		return min(x/2, f.plotW-1)
	}
	return min(x, f.plotW-1)
}

// plotMarkers puts marker glyphs, guides and labels into c.over.
func (c *Chart) plotMarkers(f *frame) {
	w := f.plotW
	for _, m := range f.opts.Markers {
		col := f.markerCol(m.Index)
		if col < 0 || c.over[col] == markerGlyph {
			continue
		}
		c.over[col] = markerGlyph
		for r := 1; r < f.plotRows; r++ {
			i := r*w + col
			if c.aBits[i] == 0 && c.lBits[i] == 0 && c.over[i] == 0 {
				c.over[i] = markerGuide
			}
		}
	}
	// Labels go beside their glyph (a run's: right of its last, or left of its first) in the top
	// row, only over free cells, one cell apart from anything else drawn there.
	for _, l := range c.labelled(f) {
		lw := ansi.StringWidth(l.text)
		if l.text == "" || lw != len([]rune(l.text)) {
			continue // only simple one-cell-per-rune labels are placed
		}
		// "▼ label" when it fits on the right, else "label ▼"; over empty cells if possible,
		// else over the data in the top row (a full stacked chart has no empty cells there).
		for _, overData := range [2]bool{false, true} {
			if c.freeTop(f, l.last+1, l.last+2+lw, l.last, overData) {
				c.putLabel(f, l.last+1, " "+l.text+" ")
				break
			}
			if c.freeTop(f, l.first-lw-1, l.first, l.first, overData) {
				c.putLabel(f, l.first-lw-2, " "+l.text+" ")
				break
			}
		}
	}
}

// markLabel is a label to place beside the marker glyphs in columns first..last.
type markLabel struct {
	first, last int
	text        string
}

// labelled are the labels to place: each visible marker's own, or with GroupLabel set, one per
// run of visible markers whose columns are closer than the previous one's label is wide (said of
// the whole run). Markers are taken in order; c.labels is reused.
func (c *Chart) labelled(f *frame) []markLabel {
	o := f.opts
	c.labels = c.labels[:0]
	n, sum := 0, 0.0
	var run markLabel
	var last Marker
	flush := func() {
		if n == 0 {
			return
		}
		run.text = last.Label
		if n > 1 {
			run.text = o.GroupLabel(n, sum, last)
		}
		c.labels = append(c.labels, run)
	}
	for _, m := range o.Markers {
		col := f.markerCol(m.Index)
		if col < 0 {
			continue
		}
		if n > 0 && (o.GroupLabel == nil || col-run.last > ansi.StringWidth(last.Label)+2) {
			flush()
			n, sum = 0, 0
		}
		if n == 0 {
			run.first = col
		}
		n, sum, last, run.last = n+1, sum+m.Value, m, col
	}
	flush()
	return c.labels
}

// freeTop reports whether top-row cells a..b-1 hold no marker or label (and no data unless
// overData), and whether the cells just outside them hold no other marker or label (own is
// the label's own glyph column).
func (c *Chart) freeTop(f *frame, a, b, own int, overData bool) bool {
	if a < 0 || b > f.plotW || a >= b {
		return false
	}
	for i := a; i < b; i++ {
		if c.over[i] != 0 || !overData && (c.aBits[i] != 0 || c.lBits[i] != 0) {
			return false
		}
	}
	for _, i := range [2]int{a - 1, b} {
		if i >= 0 && i < f.plotW && i != own && c.over[i] != 0 {
			return false
		}
	}
	return true
}

// putLabel writes label into the top row from column start, skipping cells outside the plot
// or already drawn on (the padding spaces around a label may fall there).
func (c *Chart) putLabel(f *frame, start int, label string) {
	i := start
	for _, r := range label {
		if i >= 0 && i < f.plotW && c.over[i] == 0 {
			c.over[i] = r
		}
		i++
	}
}

// timeAxis fills c.axis with the x-axis labels for dotsPerCell dot columns per cell.
func (c *Chart) timeAxis(f *frame, dotsPerCell int) {
	w := f.plotW
	c.axis = grow(c.axis, w)
	for i := range c.axis[:w] {
		c.axis[i] = ' '
	}
	step := f.opts.Step
	if step <= 0 {
		return
	}
	dotSec := float64(f.win) * step.Seconds() / float64(f.dotW) // seconds per dot column
	cellSec := dotSec * float64(dotsPerCell)
	// Smallest nice interval that leaves room for a label ("-10m" plus gaps) between ticks.
	// Intervals under a minute only when the whole window is at most two minutes, so labels
	// stay round ("-1m", "-2m" rather than "-75s", "-90s").
	const room = 8
	span := dotSec * float64(f.dotW)
	interval := 0.0
	for _, iv := range axisIntervals {
		if iv >= step.Seconds() && iv/cellSec >= room && (iv >= 60 || span <= 120) {
			interval = iv
			break
		}
	}
	right := w // labels must end before this column (exclusive bound)
	put := func(age float64) bool {
		label := formatAge(age)
		x := float64(f.dotW-1) - age/dotSec
		if x < 0 {
			return false
		}
		end := int(x)/dotsPerCell + 1 // exclusive end column of the label
		if label == "now" {
			end = w
		}
		start := end - len(label)
		if start < 0 {
			return false
		}
		if end > right {
			return true // overlaps the label to its right: skip it, but keep going left
		}
		for i, r := range label {
			c.axis[start+i] = r
		}
		right = start - 1
		return true
	}
	put(0)
	if interval == 0 {
		return
	}
	for k := 1; ; k++ {
		if !put(float64(k) * interval) {
			break
		}
	}
}

var axisIntervals = []float64{
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600,
	12 * 3600, 24 * 3600, 2 * 24 * 3600, 7 * 24 * 3600, 14 * 24 * 3600, 28 * 24 * 3600,
}

// prefixes gives every series a colour id (series sharing a colour share the id, so their
// cells join one run) and computes each colour's SGR prefix into c.pre.
func (c *Chart) prefixes(f *frame) {
	c.pre = c.pre[:0]
	c.colID = grow(c.colID, len(f.series))
	for i, s := range f.series {
		p := ""
		if !f.opts.NoColor {
			p = c.colorPrefix(s.Color)
		}
		id := -1
		for j, q := range c.pre {
			if q == p {
				id = j
				break
			}
		}
		if id < 0 {
			id = len(c.pre)
			c.pre = append(c.pre, p)
		}
		c.colID[i] = id
	}
}

func (c *Chart) colorPrefix(col color.Color) string {
	if col == nil {
		return ""
	}
	if _, ok := col.(lipgloss.NoColor); ok {
		return ""
	}
	comparable := reflect.TypeOf(col).Comparable()
	if comparable {
		for _, e := range c.colCache {
			if e.c == col {
				return e.pre
			}
		}
	}
	pre := ansi.Style{}.ForegroundColor(col).String()
	if comparable {
		if len(c.colCache) >= 32 {
			c.colCache = c.colCache[:0]
		}
		c.colCache = append(c.colCache, colorPrefix{col, pre})
	}
	return pre
}

// writeRow writes plot row r, grouping runs of one colour into one styled span. The row is
// assembled in a reused byte buffer and written to sb in one call.
func (c *Chart) writeRow(f *frame, sb *strings.Builder, r int, markSt *spanStyle) {
	const (
		stNone   = -1
		stMarker = -2
	)
	b := c.row[:0]
	cur := stNone // open style: a colour id (index into c.pre), stNone or stMarker
	base := r * f.plotW
	for col := 0; col < f.plotW; col++ {
		i := base + col
		if o := c.over[i]; o != 0 {
			if cur != stMarker {
				b = c.closeSpan(b, cur, markSt)
				b = markSt.appendOpen(b)
				cur = stMarker
			}
			b = utf8.AppendRune(b, o)
			continue
		}
		var bits uint8
		owner := int32(-1)
		if lb := c.lBits[i]; lb != 0 {
			// The line wins the cell. In colour it shows alone (the area's dots would take
			// the line's colour); without colour the area stays, cleared around the line.
			bits, owner = lb, c.lOwn[i]
			if f.opts.NoColor {
				bits |= c.aBits[i]
			}
		} else if ab := c.aBits[i]; ab != 0 {
			bits, owner = ab, c.aOwn[i]
		}
		if bits == 0 {
			// A space looks the same in any foreground colour: keep a colour run open.
			if cur == stMarker {
				b = c.closeSpan(b, cur, markSt)
				cur = stNone
			}
			b = append(b, ' ')
			continue
		}
		if id := c.colID[owner]; id != cur {
			b = c.closeSpan(b, cur, markSt)
			cur = id
			b = append(b, c.pre[id]...)
		}
		// U+2800 + bits in UTF-8: E2, A0|bits>>6, 80|bits&3F.
		b = append(b, 0xE2, 0xA0|bits>>6, 0x80|bits&0x3F)
	}
	b = c.closeSpan(b, cur, markSt)
	sb.Write(b)
	c.row = b
}

// closeSpan ends the open span cur (a colour id, or a negative style: -2 marker).
func (c *Chart) closeSpan(b []byte, cur int, markSt *spanStyle) []byte {
	switch {
	case cur == -2:
		return markSt.appendClose(b)
	case cur >= 0 && c.pre[cur] != "":
		return append(b, ansi.ResetStyle...)
	}
	return b
}

// sparkline draws a block-element sparkline of one series in the plot rows (1 or 2) and the
// time axis when Step > 0 and Height is 2.
func (c *Chart) sparkline(f *frame) string {
	o := &f.opts
	rows := o.Height
	axisRow := 0
	if o.Step > 0 && rows == 2 {
		axisRow, rows = 1, 1
	}
	f.plotW, f.plotRows = o.Width, rows
	f.dotW = f.plotW
	f.window()
	c.resample(f)
	c.scale(f)
	c.prefixes(f)
	c.timeAxis(f, 1)
	s := 0
	for i, se := range f.series {
		if !se.Line {
			s = i
			break
		}
	}
	marked := grow(c.over, f.plotW)
	c.over = marked
	clear(marked)
	for _, m := range o.Markers {
		if col := f.markerCol(m.Index); col >= 0 {
			marked[col] = markerGlyph
		}
	}
	pre := c.pre[c.colID[s]]
	markSt := newSpanStyle(o.MarkerStyle, o.NoColor)
	axisSt := newSpanStyle(o.AxisStyle, o.NoColor)
	sb := &c.sb
	sb.Reset()
	steps := 8 * rows
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteByte('\n')
		}
		floor := (rows - 1 - r) * 8
		open := 0 // 0 none, 1 series colour, 2 marker
		for x := 0; x < f.plotW; x++ {
			v := c.vals[s*f.dotW+x]
			ch := ' '
			if !math.IsNaN(v) {
				l := max(f.level(v, steps), 1) - floor
				if l > 0 {
					ch = sparkRunes[min(l, 8)-1]
				}
			}
			want := 1
			switch {
			case marked[x] != 0:
				want = 2
			case ch == ' ' && open != 2:
				want = open // a space looks the same in any foreground colour
			case ch == ' ':
				want = 0
			}
			if want != open {
				switch open {
				case 1:
					if pre != "" {
						sb.WriteString(ansi.ResetStyle)
					}
				case 2:
					markSt.close(sb)
				}
				switch want {
				case 1:
					sb.WriteString(pre)
				case 2:
					markSt.open(sb)
				}
				open = want
			}
			sb.WriteRune(ch)
		}
		switch open {
		case 1:
			if pre != "" {
				sb.WriteString(ansi.ResetStyle)
			}
		case 2:
			markSt.close(sb)
		}
	}
	if axisRow == 1 {
		sb.WriteByte('\n')
		axisSt.open(sb)
		for _, r := range c.axis[:f.plotW] {
			sb.WriteRune(r)
		}
		axisSt.close(sb)
	}
	return sb.String()
}

// spanStyle applies a lipgloss.Style to spans of text. When the style only sets SGR
// attributes, its prefix and suffix are computed once and written around each span, which is
// much cheaper than Style.Render per span; otherwise Render is used per span.
type spanStyle struct {
	pre, suf string
	off      bool
}

func newSpanStyle(st lipgloss.Style, noColor bool) spanStyle {
	if noColor {
		return spanStyle{off: true}
	}
	out := st.Render("X")
	i := strings.IndexByte(out, 'X')
	if i < 0 || strings.Count(out, "X") != 1 || ansi.StringWidth(out) != 1 || strings.ContainsAny(out, "\n") {
		// Padding, borders or other layout: not a plain colour style; draw without it
		// rather than break the exact cell sizes.
		return spanStyle{off: true}
	}
	return spanStyle{pre: out[:i], suf: out[i+1:]}
}

func (s *spanStyle) appendOpen(b []byte) []byte {
	if s.off {
		return b
	}
	return append(b, s.pre...)
}

func (s *spanStyle) appendClose(b []byte) []byte {
	if s.off {
		return b
	}
	return append(b, s.suf...)
}

func (s *spanStyle) open(sb *strings.Builder) {
	if !s.off {
		sb.WriteString(s.pre)
	}
}

func (s *spanStyle) close(sb *strings.Builder) {
	if !s.off {
		sb.WriteString(s.suf)
	}
}

func writeSpaces(sb *strings.Builder, n int) {
	const spaces = "                                                                "
	for n > 0 {
		k := min(n, len(spaces))
		sb.WriteString(spaces[:k])
		n -= k
	}
}

// grow returns s resized to n elements, reusing its array when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n, n+n/4)
}
