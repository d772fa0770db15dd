// Command demo prints sample charts, to look at the chart package's output in a real terminal:
//
//	go run ./tui/chart/internal/demo [-nocolor] [-w 100] [-h 16]
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/wsldash/wsldash/internal/units"
	"github.com/wsldash/wsldash/tui/chart"
)

const gib = 1 << 30

func main() {
	noColor := flag.Bool("nocolor", false, "plain text")
	w := flag.Int("w", 100, "width")
	h := flag.Int("h", 16, "height")
	n := flag.Int("n", 900, "samples")
	pngPath := flag.String("png", "", "also paint the output into this PNG file")
	flag.Parse()
	var all strings.Builder
	emit := func(s string) {
		fmt.Println(s)
		all.WriteString(s + "\n")
	}
	defer func() {
		if *pngPath != "" {
			if err := writePNG(*pngPath, all.String()); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		}
	}()

	used, cache, free, vm, cpu, markers := Data(*n)
	axis := lipgloss.NewStyle().Foreground(lipgloss.Color("244"))
	mark := lipgloss.NewStyle().Foreground(lipgloss.Color("#ffaf00")).Bold(true)
	emit("Memory")
	emit(chart.Render(chart.Options{
		Width: *w, Height: *h, Stacked: true, YFormat: units.HumanBytes, Step: time.Second,
		Markers: markers, AxisStyle: axis, MarkerStyle: mark, NoColor: *noColor,
	},
		chart.Series{Name: "used", Values: used, Color: lipgloss.Color("#5fafff")},
		chart.Series{Name: "cache", Values: cache, Color: lipgloss.Color("#d7af5f")},
		chart.Series{Name: "free", Values: free, Color: lipgloss.Color("#3a3a3a")},
		chart.Series{Name: "vmmemWSL", Values: vm, Color: lipgloss.Color("#ff5f87"), Line: true},
	))
	emit("CPU")
	emit(chart.Render(chart.Options{
		Width: *w, Height: 8, Min: 0, Max: 100, Step: time.Second, Span: 10 * time.Minute,
		YFormat:   func(v float64) string { return fmt.Sprintf("%.0f%%", v) },
		AxisStyle: axis, MarkerStyle: mark, NoColor: *noColor, Markers: markers,
	}, chart.Series{Name: "cpu", Values: cpu, Color: lipgloss.Color("#87d787")}))
	emit("Sparkline")
	emit(chart.Render(chart.Options{Width: 40, Height: 1, NoColor: *noColor, Min: 0, Max: 100},
		chart.Series{Values: cpu, Color: lipgloss.Color("#87d787")}))
}

// Data makes n seconds of plausible WSL memory and CPU history with one reclaim event.
func Data(n int) (used, cache, free, vm, cpu []float64, markers []chart.Marker) {
	total := 15.6 * gib
	reclaim := n * 2 / 3
	for i := 0; i < n; i++ {
		t := float64(i)
		u := 5*gib + 1.5*gib*math.Sin(t/70) + 0.3*gib*math.Sin(t/7)
		var c float64
		if i < reclaim {
			c = 1*gib + 6*gib*t/float64(reclaim)
		} else {
			c = 1.2*gib + 0.5*gib*(t-float64(reclaim))/float64(n-reclaim)
		}
		used = append(used, u)
		cache = append(cache, c)
		free = append(free, total-u-c)
		if i > n/4 && i < n/4+30 {
			vm = append(vm, math.NaN())
		} else {
			vm = append(vm, u+c*0.9+0.4*gib)
		}
		cpu = append(cpu, math.Max(0, 20+15*math.Sin(t/25)+10*math.Sin(t/3)+func() float64 {
			if i%97 < 5 {
				return 50
			}
			return 0
		}()))
	}
	markers = []chart.Marker{{Index: reclaim, Label: "reclaim"}}
	return
}
