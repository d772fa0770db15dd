package chart

import (
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/wsldash/wsldash/internal/units"
)

const gib = 1 << 30

// memoryData is a deterministic WSL-like memory history: used wobbles, the page cache grows
// until a reclaim at sample reclaim drops it, free is the rest of total, and the VM process
// (vmmemWSL) tracks used plus most of the cache.
func memoryData(n, reclaim int) (used, cache, free, vm []float64) {
	total := 15.6 * gib
	for i := 0; i < n; i++ {
		t := float64(i)
		u := 5*gib + 1.5*gib*math.Sin(t/20) + 0.2*gib*math.Sin(t/3)
		c := 1*gib + 6*gib*t/float64(max(reclaim, 1))
		if i >= reclaim {
			c = 1.2*gib + 0.02*gib*(t-float64(reclaim))
		}
		used = append(used, u)
		cache = append(cache, c)
		free = append(free, total-u-c)
		vm = append(vm, u+0.9*c+0.4*gib)
	}
	return
}

func cpuData(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		t := float64(i)
		v[i] = math.Max(0, 30+20*math.Sin(t/6)+12*math.Sin(t/1.7))
		if i%37 == 0 {
			v[i] = 97
		}
	}
	return v
}

var (
	usedColor  = lipgloss.Color("#5fafff")
	cacheColor = lipgloss.Color("#d7af5f")
	freeColor  = lipgloss.Color("#444444")
	vmColor    = lipgloss.Color("#ff5f87")
)

func memorySeries(n, reclaim int) []Series {
	used, cache, free, vm := memoryData(n, reclaim)
	return []Series{
		{Name: "used", Values: used, Color: usedColor},
		{Name: "cache", Values: cache, Color: cacheColor},
		{Name: "free", Values: free, Color: freeColor},
		{Name: "vmmemWSL", Values: vm, Color: vmColor, Line: true},
	}
}

// checkDims fails unless out has exactly h lines of exactly w cells.
func checkDims(t testing.TB, out string, w, h int) {
	t.Helper()
	if w < 0 || h <= 0 {
		if out != "" {
			t.Fatalf("%dx%d: want empty output, got %q", w, h, out)
		}
		return
	}
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: got %d lines:\n%s", w, h, len(lines), out)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%dx%d: line %d is %d cells wide: %q", w, h, i, got, l)
		}
	}
}

func TestGolden(t *testing.T) {
	t.Run("MemoryStacked", func(t *testing.T) {
		opts := Options{Width: 60, Height: 12, Stacked: true, YFormat: units.HumanBytes, Step: time.Second, NoColor: true}
		out := Render(opts, memorySeries(200, 150)...)
		checkDims(t, out, 60, 12)
		golden.RequireEqual(t, out)
	})
	t.Run("CPU", func(t *testing.T) {
		opts := Options{Width: 40, Height: 8, Min: 0, Max: 100, Step: time.Second, NoColor: true,
			YFormat: func(v float64) string { return fmt.Sprintf("%.0f%%", v) }}
		out := Render(opts, Series{Name: "cpu", Values: cpuData(300)})
		checkDims(t, out, 40, 8)
		golden.RequireEqual(t, out)
	})
	t.Run("ReclaimMarker", func(t *testing.T) {
		opts := Options{Width: 60, Height: 12, Stacked: true, YFormat: units.HumanBytes, Step: time.Second, NoColor: true,
			Markers: []Marker{{Index: 150, Label: "reclaim"}}}
		out := Render(opts, memorySeries(200, 150)...)
		checkDims(t, out, 60, 12)
		golden.RequireEqual(t, out)
	})
	t.Run("Gaps", func(t *testing.T) {
		cpu := cpuData(120)
		for i := 20; i < 40; i++ {
			cpu[i] = math.NaN()
		}
		line := make([]float64, 120)
		for i := range line {
			line[i] = 80
			if i >= 60 && i < 90 {
				line[i] = math.NaN()
			}
		}
		opts := Options{Width: 40, Height: 8, Min: 0, Max: 100, Step: time.Second, NoColor: true}
		out := Render(opts, Series{Values: cpu}, Series{Values: line, Line: true})
		checkDims(t, out, 40, 8)
		golden.RequireEqual(t, out)
	})
	t.Run("FewerPointsThanWidth", func(t *testing.T) {
		opts := Options{Width: 40, Height: 8, Min: 0, Max: 100, Step: time.Second, NoColor: true}
		out := Render(opts, Series{Values: cpuData(25)})
		checkDims(t, out, 40, 8)
		golden.RequireEqual(t, out)
	})
	t.Run("Sparkline", func(t *testing.T) {
		opts := Options{Width: 30, Height: 1, Min: 0, Max: 100, NoColor: true}
		out := Render(opts, Series{Values: cpuData(60)})
		checkDims(t, out, 30, 1)
		golden.RequireEqual(t, out)
	})
	t.Run("SparklineWithAxis", func(t *testing.T) {
		opts := Options{Width: 30, Height: 2, Min: 0, Max: 100, Step: time.Second, NoColor: true}
		out := Render(opts, Series{Values: cpuData(60)})
		checkDims(t, out, 30, 2)
		golden.RequireEqual(t, out)
	})
	t.Run("Color", func(t *testing.T) {
		opts := Options{Width: 40, Height: 8, Stacked: true, YFormat: units.HumanBytes, Step: time.Second,
			Markers:     []Marker{{Index: 150, Label: "reclaim"}},
			AxisStyle:   lipgloss.NewStyle().Foreground(lipgloss.Color("244")),
			MarkerStyle: lipgloss.NewStyle().Foreground(lipgloss.Color("#ffaf00")).Bold(true)}
		out := Render(opts, memorySeries(200, 150)...)
		checkDims(t, out, 40, 8)
		golden.RequireEqual(t, out)
	})
}

// cellAt returns the cell (rune) at column col of line row of plain output.
func cellAt(t *testing.T, out string, row, col int) rune {
	t.Helper()
	lines := strings.Split(out, "\n")
	rs := []rune(lines[row])
	return rs[col]
}

func TestNewestPointIsOnTheRight(t *testing.T) {
	v := make([]float64, 100)
	v[99] = 100
	out := Render(Options{Width: 20, Height: 6, Min: 0, Max: 100, NoColor: true}, Series{Values: v})
	lines := strings.Split(out, "\n")
	// Top row: only the last cell is inked, and only in its right dot column.
	top := []rune(lines[0])
	if got := top[len(top)-1]; got != 0x2800+rune(dotBit[1][0]|dotBit[1][1]|dotBit[1][2]|dotBit[1][3]) {
		t.Fatalf("rightmost top cell = %q, want a full right dot column\n%s", got, out)
	}
	if strings.ContainsAny(string(top[4:len(top)-1]), "⣿⡇⢸") {
		t.Fatalf("ink left of the newest point in the top row:\n%s", out)
	}
}

func TestShortDataIsRightAligned(t *testing.T) {
	v := []float64{50, 50, 50, 50} // 4 samples = 2 cells
	out := Render(Options{Width: 20, Height: 6, Min: 0, Max: 100, NoColor: true}, Series{Values: v})
	bottom := []rune(strings.Split(out, "\n")[5])
	// Labels "100┤" take 4 cells; plot is 16 cells; data occupies the last 2.
	for i := 4; i < len(bottom)-2; i++ {
		if bottom[i] != ' ' {
			t.Fatalf("cell %d = %q, want blank left part:\n%s", i, bottom[i], out)
		}
	}
	if bottom[len(bottom)-1] != '⣿' || bottom[len(bottom)-2] != '⣿' {
		t.Fatalf("newest cells not filled:\n%s", out)
	}
}

func TestClamping(t *testing.T) {
	opts := Options{Width: 12, Height: 4, Min: 10, Max: 20, NoColor: true}
	// 16 samples = 8 cells; the plot is 12-3 = 9 cells wide.
	hi := Render(opts, Series{Values: repeat(1e9, 16)})
	for r := 0; r < 4; r++ {
		if got := cellAt(t, hi, r, 11); got != '⣿' {
			t.Fatalf("above Max: row %d = %q, want full\n%s", r, got, hi)
		}
	}
	lo := Render(opts, Series{Values: repeat(-5, 16)})
	if got := cellAt(t, lo, 3, 11); got != '⣀' {
		t.Fatalf("below Min: bottom cell = %q, want a baseline ⣀\n%s", got, lo)
	}
	if got := cellAt(t, lo, 2, 11); got != ' ' {
		t.Fatalf("below Min: cell above baseline = %q, want blank\n%s", got, lo)
	}
}

func TestNaNIsAGap(t *testing.T) {
	v := repeat(50, 40)
	for i := 30; i < 34; i++ {
		v[i] = math.NaN()
	}
	out := Render(Options{Width: 24, Height: 4, Min: 0, Max: 100, NoColor: true}, Series{Values: v})
	// Plot is 20 cells = 40 samples; samples 30..33 are cells 15 and 16, at columns 19, 20.
	for _, col := range []int{19, 20} {
		if got := cellAt(t, out, 3, col); got != ' ' {
			t.Fatalf("gap column %d = %q, want blank\n%s", col, got, out)
		}
	}
	if got := cellAt(t, out, 3, 18); got != '⣿' {
		t.Fatalf("data next to the gap = %q, want full\n%s", got, out)
	}
}

func TestAutoScaleUsesStackTop(t *testing.T) {
	a := repeat(3*gib, 10)
	b := repeat(6*gib, 10)
	out := Render(Options{Width: 30, Height: 6, Stacked: true, YFormat: units.HumanBytes, NoColor: true},
		Series{Values: a}, Series{Values: b})
	if !strings.HasPrefix(out, " 12 GiB┤") {
		t.Fatalf("top label: want 12 GiB (NiceMax of the 9 GiB stack top):\n%s", out)
	}
	if !strings.Contains(out, "6.0 GiB┤") || !strings.Contains(out, "   0 B┤") {
		t.Fatalf("want middle and bottom ticks:\n%s", out)
	}
}

func TestTicksThirdsWhenNice(t *testing.T) {
	out := Render(Options{Width: 30, Height: 12, Max: 12 * gib, YFormat: units.HumanBytes, NoColor: true},
		Series{Values: repeat(gib, 4)})
	for _, want := range []string{"12 GiB┤", "8.0 GiB┤", "4.0 GiB┤", "0 B┤"} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing tick %q:\n%s", want, out)
		}
	}
	out = Render(Options{Width: 30, Height: 12, Max: 100, NoColor: true}, Series{Values: repeat(1, 4)})
	if strings.Contains(out, "33") || !strings.Contains(out, " 50┤") {
		t.Fatalf("0..100 should tick at halves, not thirds:\n%s", out)
	}
}

func TestTimeAxis(t *testing.T) {
	out := Render(Options{Width: 64, Height: 5, Min: 0, Max: 100, Step: time.Second, NoColor: true},
		Series{Values: repeat(10, 900)})
	lines := strings.Split(out, "\n")
	axis := lines[len(lines)-1]
	if !strings.HasSuffix(axis, "now") {
		t.Fatalf("axis should end with now: %q", axis)
	}
	// 60 plot cells = 120 s: ticks every 30 s at most, labels must not touch.
	fields := strings.Fields(axis)
	if len(fields) < 3 {
		t.Fatalf("want several labels: %q", axis)
	}
	if strings.Contains(axis, "m-") || strings.Contains(axis, "s-") || strings.Contains(axis, "now-") {
		t.Fatalf("labels touch: %q", axis)
	}
	// "-1m" must sit under the column 60 samples (30 cells) before the newest.
	col := strings.Index(axis, "-1m")
	if col < 0 {
		t.Fatalf("no -1m label: %q", axis)
	}
	end := col + len("-1m") - 1 // column of the label's last cell
	labelW := 4                 // "100┤"
	if want := labelW + 60 - 1 - 30; end != want {
		t.Fatalf("-1m ends at column %d, want %d: %q", end, want, axis)
	}
}

func TestSpanResamples(t *testing.T) {
	// 10 minutes over 20 plot cells (40 dot columns) = 15 samples per dot column, averaged.
	v := make([]float64, 600)
	for i := 300; i < 600; i++ {
		v[i] = 100
	}
	opts := Options{Width: 24, Height: 4, Min: 0, Max: 100, Step: time.Second, Span: 10 * time.Minute, NoColor: true}
	out := Render(opts, Series{Values: v})
	lines := strings.Split(out, "\n")
	top := []rune(lines[0])
	if string(top[14:24]) != strings.Repeat("⣿", 10) || strings.ContainsRune(string(top[4:14]), '⣿') {
		t.Fatalf("right half should be full, left half low:\n%s", out)
	}
	if !strings.Contains(lines[3], "-5m") {
		t.Fatalf("axis should label -5m:\n%s", out)
	}
}

func TestMarker(t *testing.T) {
	v := repeat(20, 80) // 40 cells at Width 44 (labels "100┤")
	opts := Options{Width: 44, Height: 6, Min: 0, Max: 100, NoColor: true,
		Markers: []Marker{{Index: 40, Label: "reclaim"}, {Index: -1, Label: "x"}, {Index: 1000, Label: "y"}}}
	out := Render(opts, Series{Values: v})
	top := []rune(strings.Split(out, "\n")[0])
	col := 4 + 20 // sample 40 is cell 20
	if top[col] != '▼' {
		t.Fatalf("want ▼ at column %d:\n%s", col, out)
	}
	if got := string(top[col+2 : col+9]); got != "reclaim" {
		t.Fatalf("label = %q, want reclaim beside the marker:\n%s", got, out)
	}
	if strings.Count(out, "▼") != 1 {
		t.Fatalf("out-of-range markers must not be drawn:\n%s", out)
	}
	if got := cellAt(t, out, 2, col); got != markerGuide {
		t.Fatalf("want a guide below the marker, got %q:\n%s", got, out)
	}
	// A marker scrolled out of the window is not drawn.
	opts.Markers = []Marker{{Index: 5}}
	if out := Render(opts, Series{Values: repeat(20, 200)}); strings.Contains(out, "▼") {
		t.Fatalf("marker outside the window drawn:\n%s", out)
	}
}

func TestLineWinsTheCellColour(t *testing.T) {
	opts := Options{Width: 12, Height: 4, Min: 0, Max: 100}
	area := Series{Values: repeat(100, 18), Color: lipgloss.Color("#0000ff")}
	line := Series{Values: repeat(50, 18), Color: lipgloss.Color("#ff0000"), Line: true}
	out := Render(opts, area, line)
	lines := strings.Split(out, "\n")
	red := "\x1b[38;2;255;0;0m"
	blue := "\x1b[38;2;0;0;255m"
	if !strings.Contains(lines[2], red) || strings.Contains(lines[2], blue) {
		t.Fatalf("the row the line crosses should be red only: %q", lines[2])
	}
	if !strings.Contains(lines[0], blue) || strings.Contains(lines[0], red) {
		t.Fatalf("the top row should be blue only: %q", lines[0])
	}
}

func TestStackedColourTopWins(t *testing.T) {
	// Two stacked series meeting in the middle of a cell: the upper one owns that cell.
	opts := Options{Width: 12, Height: 4, Min: 0, Max: 16, Stacked: true}
	low := Series{Values: repeat(6, 18), Color: lipgloss.Color("#0000ff")}
	up := Series{Values: repeat(10, 18), Color: lipgloss.Color("#00ff00")}
	out := Render(opts, low, up)
	lines := strings.Split(out, "\n")
	// Dots 0..5 are low (rows 3 and half of 2), 6..15 up.
	if !strings.Contains(lines[2], "\x1b[38;2;0;255;0m") {
		t.Fatalf("shared cell row should take the upper colour: %q", lines[2])
	}
	if !strings.Contains(lines[3], "\x1b[38;2;0;0;255m") {
		t.Fatalf("bottom row should be the lower colour: %q", lines[3])
	}
}

func TestRunsAreGrouped(t *testing.T) {
	opts := Options{Width: 60, Height: 6, Min: 0, Max: 100}
	out := Render(opts, Series{Values: repeat(100, 200), Color: lipgloss.Color("#00ff00")})
	for i, l := range strings.Split(out, "\n") {
		if n := strings.Count(l, "\x1b[38;2;0;255;0m"); n != 1 {
			t.Fatalf("line %d has %d colour sequences, want one run: %q", i, n, l)
		}
	}
}

func TestNoColorHasNoEscapes(t *testing.T) {
	opts := Options{Width: 50, Height: 10, Stacked: true, YFormat: units.HumanBytes, Step: time.Second, NoColor: true,
		Markers: []Marker{{Index: 150, Label: "reclaim"}}, AxisStyle: lipgloss.NewStyle().Bold(true)}
	if out := Render(opts, memorySeries(200, 150)...); strings.ContainsRune(out, 0x1b) {
		t.Fatalf("escape in NoColor output: %q", out)
	}
	opts.Height = 1
	if out := Render(opts, memorySeries(200, 150)...); strings.ContainsRune(out, 0x1b) {
		t.Fatalf("escape in NoColor sparkline: %q", out)
	}
}

func TestBlankCases(t *testing.T) {
	for _, tc := range []struct {
		name   string
		w, h   int
		series []Series
		want   string
	}{
		{"negative width", -1, 5, []Series{{Values: []float64{1}}}, ""},
		{"negative height", 5, -1, []Series{{Values: []float64{1}}}, ""},
		{"zero", 0, 0, nil, ""},
		{"zero width", 0, 3, []Series{{Values: []float64{1}}}, "\n\n"},
		{"no series", 7, 2, nil, "       \n       "},
		{"empty series", 7, 2, []Series{{}}, "       \n       "},
		{"too narrow", 5, 4, []Series{{Values: []float64{1}}}, "     \n     \n     \n     "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Render(Options{Width: tc.w, Height: tc.h}, tc.series...); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDimensions is the layout contract: for every size, exactly Height lines of exactly Width
// cells, whatever the data.
func TestDimensions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{0, 1, 2, 3, 5, 6, 7, 9, 13, 40, 80, 101, 301}
	var c Chart
	for _, w := range sizes {
		for _, h := range sizes {
			if h > 101 {
				continue
			}
			for k := 0; k < 3; k++ {
				opts, series := randomInput(rng, w, h)
				out := c.Render(opts, series...)
				checkDims(t, out, w, h)
			}
		}
	}
}

func randomInput(rng *rand.Rand, w, h int) (Options, []Series) {
	opts := Options{Width: w, Height: h, Stacked: rng.IntN(2) == 0, NoColor: rng.IntN(2) == 0}
	if rng.IntN(2) == 0 {
		opts.Step = time.Duration(1+rng.IntN(5)) * time.Second
	}
	if rng.IntN(3) == 0 {
		opts.Min, opts.Max = rng.Float64()*10-5, rng.Float64()*100
	}
	if rng.IntN(3) == 0 {
		opts.YFormat = units.HumanBytes
	}
	if rng.IntN(4) == 0 {
		opts.Window = rng.IntN(2000)
	}
	n := rng.IntN(1000)
	for i := rng.IntN(4); i > 0; i-- {
		opts.Markers = append(opts.Markers, Marker{Index: rng.IntN(n + 2), Label: "ev"})
	}
	var series []Series
	for s := rng.IntN(5); s > 0; s-- {
		v := make([]float64, n)
		for i := range v {
			switch rng.IntN(20) {
			case 0:
				v[i] = math.NaN()
			case 1:
				v[i] = math.Inf(1 - 2*rng.IntN(2))
			case 2:
				v[i] = -rng.Float64() * 1e3
			default:
				v[i] = rng.Float64() * 1e10
			}
		}
		series = append(series, Series{Values: v, Line: rng.IntN(3) == 0,
			Color: color.RGBA{uint8(rng.IntN(256)), 0, 0, 255}})
	}
	return opts, series
}

func TestChartReuseMatchesRender(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var c Chart
	for k := 0; k < 200; k++ {
		opts, series := randomInput(rng, rng.IntN(120), rng.IntN(40))
		if got, want := c.Render(opts, series...), Render(opts, series...); got != want {
			t.Fatalf("round %d: Chart.Render differs from Render\n got: %q\nwant: %q", k, got, want)
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add(60, 12, true, false, int64(time.Second), 0, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	f.Add(1, 1, false, true, int64(0), 5, []byte{0xff, 0xf8, 0, 0, 0, 0, 0, 1}) // NaN bits
	f.Add(301, 101, true, true, int64(time.Minute), 1<<40, []byte{})
	f.Add(6, 2, false, false, int64(1), -3, []byte{0x7f, 0xf0, 0, 0, 0, 0, 0, 0}) // +Inf bits
	f.Fuzz(func(t *testing.T, w, h int, stacked, noColor bool, step int64, window int, data []byte) {
		w, h = w%400, h%150 // keep allocations sane; negatives stay negative
		var vals []float64
		for len(data) >= 8 {
			var u uint64
			for _, b := range data[:8] {
				u = u<<8 | uint64(b)
			}
			vals = append(vals, math.Float64frombits(u))
			data = data[8:]
		}
		half := len(vals) / 2
		opts := Options{Width: w, Height: h, Stacked: stacked, NoColor: noColor, Step: time.Duration(step),
			Window: window, Markers: []Marker{{Index: window, Label: "m"}, {Index: half}}}
		if len(vals) > 2 {
			opts.Min, opts.Max = vals[0], vals[1]
		}
		out := Render(opts, Series{Values: vals}, Series{Values: vals[half:], Line: true})
		checkDims(t, out, w, h)
	})
}

func repeat(v float64, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func BenchmarkRender(b *testing.B) {
	series := memorySeries(900, 600)
	markers := []Marker{{Index: 600, Label: "reclaim"}}
	for _, sz := range []struct{ w, h int }{{80, 12}, {200, 30}, {200, 60}, {300, 100}} {
		opts := Options{Width: sz.w, Height: sz.h, Stacked: true, YFormat: units.HumanBytes, Step: time.Second,
			Markers:   markers,
			AxisStyle: lipgloss.NewStyle().Foreground(lipgloss.Color("244"))}
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			var c Chart
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Render(opts, series...)
			}
		})
	}
	b.Run("oneshot/200x60", func(b *testing.B) {
		opts := Options{Width: 200, Height: 60, Stacked: true, YFormat: units.HumanBytes, Step: time.Second}
		b.ReportAllocs()
		for b.Loop() {
			_ = Render(opts, series...)
		}
	})
}

// BenchmarkSpanStyling compares the two ways to colour a run of braille cells: Style.Render per
// run, and the precomputed SGR prefix plus reset that writeRow uses.
func BenchmarkSpanStyling(b *testing.B) {
	run := strings.Repeat("⣿", 12)
	col := lipgloss.Color("#5fafff")
	b.Run("lipgloss.Render", func(b *testing.B) {
		st := lipgloss.NewStyle().Foreground(col)
		var sb strings.Builder
		b.ReportAllocs()
		for b.Loop() {
			sb.Reset()
			sb.WriteString(st.Render(run))
		}
	})
	b.Run("prefix", func(b *testing.B) {
		var c Chart
		var sb strings.Builder
		b.ReportAllocs()
		for b.Loop() {
			sb.Reset()
			sb.WriteString(c.colorPrefix(col))
			sb.WriteString(run)
			sb.WriteString(ansi.ResetStyle)
		}
	})
}

func TestPrefixMatchesLipgloss(t *testing.T) {
	// The precomputed prefix must colour exactly as Lip Gloss would.
	var c Chart
	for _, col := range []color.Color{lipgloss.Color("#5fafff"), lipgloss.Color("212"), lipgloss.Color("5"), lipgloss.Red} {
		want := lipgloss.NewStyle().Foreground(col).Render("⣿")
		if got := c.colorPrefix(col) + "⣿" + ansi.ResetStyle; got != want {
			t.Errorf("colour %v: prefix gives %q, lipgloss %q", col, got, want)
		}
	}
	if got := c.colorPrefix(lipgloss.NoColor{}); got != "" {
		t.Errorf("NoColor{} prefix = %q, want none", got)
	}
}

func TestTwoRowSparkline(t *testing.T) {
	// Height 2 without a time axis: two rows of blocks, 16 levels.
	out := Render(Options{Width: 8, Height: 2, Min: 0, Max: 16, NoColor: true},
		Series{Values: []float64{math.NaN(), 0, 2, 4, 8, 12, 16, 100}})
	want := "     ▄██\n ▁▂▄████"
	if out != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
}

func TestMarkerLabelOverFullTopRow(t *testing.T) {
	opts := Options{Width: 44, Height: 6, Min: 0, Max: 100, NoColor: true,
		Markers: []Marker{{Index: 40, Label: "reclaim"}}}
	out := Render(opts, Series{Values: repeat(100, 80)})
	top := string([]rune(strings.Split(out, "\n")[0])[4:])
	if want := strings.Repeat("⣿", 20) + "▼ reclaim " + strings.Repeat("⣿", 10); top != want {
		t.Fatalf("top row = %q, want %q", top, want)
	}
	// Two markers close together: the first label moves to the left of its glyph.
	opts.Markers = []Marker{{Index: 40, Label: "reclaim"}, {Index: 44, Label: "drop"}}
	out = Render(opts, Series{Values: repeat(100, 80)})
	if !strings.Contains(out, " reclaim ▼⣿▼ drop ") {
		t.Fatalf("want \"reclaim ▼\" and \"▼ drop\" side by side:\n%s", out)
	}
	// No room on either side (plot edge, neighbour): the label is dropped rather than overlap.
	opts.Markers = []Marker{{Index: 4, Label: "reclaim"}, {Index: 8, Label: "drop"}}
	out = Render(opts, Series{Values: repeat(100, 80)})
	if strings.Count(out, "▼") != 2 || strings.Contains(out, "reclaim") || !strings.Contains(out, "▼⣿▼ drop ") {
		t.Fatalf("want both glyphs, no room for reclaim, drop beside its glyph:\n%s", out)
	}
}

// Markers too close for a label each get one label for the run (GroupLabel), on its last marker;
// a marker further away keeps its own. Without GroupLabel the first label crowds out the rest.
func TestMarkerGroupLabel(t *testing.T) {
	v := repeat(20, 160) // 80 cells at Width 84
	ms := []Marker{{Index: 20, Label: "-1 auto", Value: 1}, {Index: 24, Label: "-2 auto", Value: 2},
		{Index: 28, Label: "-4 auto", Value: 4}, {Index: 120, Label: "-8 auto", Value: 8}}
	opts := Options{Width: 84, Height: 6, Min: 0, Max: 100, NoColor: true, Markers: ms,
		GroupLabel: func(n int, sum float64, last Marker) string {
			return fmt.Sprintf("-%g ×%d", sum, n)
		}}
	top := strings.Split(Render(opts, Series{Values: v}), "\n")[0]
	if strings.Count(top, "▼") != 4 {
		t.Fatalf("every marker keeps its glyph:\n%s", top)
	}
	for _, want := range []string{"-7 ×3", "-8 auto"} {
		if !strings.Contains(top, want) {
			t.Fatalf("top row lacks %q:\n%s", want, top)
		}
	}
	if strings.Contains(top, "-1 auto") || strings.Contains(top, "-2 auto") {
		t.Fatalf("a grouped marker kept its own label:\n%s", top)
	}
	opts.GroupLabel = nil
	top = strings.Split(Render(opts, Series{Values: v}), "\n")[0]
	if !strings.Contains(top, "-1 auto") || strings.Contains(top, "×") {
		t.Fatalf("without GroupLabel each marker has its own label where there is room:\n%s", top)
	}
}
