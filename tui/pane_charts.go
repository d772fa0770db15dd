package tui

import (
	"fmt"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
	"github.com/wsldash/wsldash/tui/chart"
)

// memoryPane is the memory graph: the guest's used and cache stacked up to its total, the
// host's vmmem line, reclaim markers and (in the memory view) a line per distro. Its data is
// the shared sample history; it has no state of its own.
type memoryPane struct{}

// usedMeaning says what the memory legend's "used" is: what the graph stacks under the cache.
const usedMeaning = "(total − free − cache)"

// cpuPane is the CPU graph: the guest's CPU and the host's view of the VM's.
type cpuPane struct{}

func (memoryPane) render(sh *shared, r Rect) {
	st := sh.styles
	c := sh.cache
	iw, ih := r.W-2, r.H-2
	body := make([]string, 0, ih)
	last, ok := sh.hist.Last()
	note := ""
	if ok {
		g := last.Guest
		// The legends give the newest figures; when the newest sample failed (the VM stopped,
		// wsl.exe timed out) they are unknown now: "—", not the last values.
		stale := sh.sampleErr != ""
		hb := func(v uint64) string {
			if stale {
				return unknown
			}
			return units.HumanBytes(float64(v))
		}
		note = fmt.Sprintf("%s of %s used", hb(g.UsedBytes), units.HumanBytes(float64(g.TotalBytes)))
		if hv := last.Host; hv != nil && hv.VMProcessBytes > 0 && !stale {
			note += fmt.Sprintf(" · Windows sees %s", hb(hv.VMProcessBytes))
		}
		// Used and cache are stacked areas; free is the empty space above them, up to the total.
		items := []legendItem{
			{sh.swatch(sh.seriesStyle(st.Used), "used", hb(g.UsedBytes)), 9},
			// What "used" means here, where there is room: free(1) of procps-ng 4 says
			// total − available, which is smaller (backend.GuestMemory).
			{st.Muted.Render(usedMeaning), 0},
			{sh.swatch(sh.seriesStyle(st.Cache), "cache", hb(g.CacheBytes)), 8},
			{st.Muted.Render("□ free") + " " + st.Cell.Render(hb(g.FreeBytes)), 5},
		}
		if hv := last.Host; hv != nil && hv.VMProcessBytes > 0 {
			name := hv.VMProcess
			if name == "" {
				name = "vmmem"
			}
			items = append(items, legendItem{sh.seriesStyle(st.VM).Render("━") + " " + st.Muted.Render(name) + " " +
				st.Cell.Render(hb(hv.VMProcessBytes)), 7})
		}
		if gap, ok := vmGap(last); ok {
			items = append(items, legendItem{st.Muted.Render("gap ") + st.Cell.Render(hb(gap)), 6})
		}
		if sh.view == ViewMemory { // the per-distro lines (distromem.go)
			for i, d := range last.Distros {
				items = append(items, legendItem{sh.seriesStyle(sh.distroColor(i)).Render("━") + " " + st.Muted.Render(d.Name), 0})
			}
		}
		if sh.view != ViewMemory && !stale { // the memory view has its own reclaim pane
			if rc := g.Reclaimable(); rc > 0 {
				items = append(items, legendItem{st.Muted.Render("reclaimable ") + st.Cell.Render(units.HumanBytes(float64(rc))), 3})
			}
			if rm := sh.info.ReclaimMode; rm != "" {
				items = append(items, legendItem{st.Muted.Render("autoMemoryReclaim ") + st.Cell.Render(string(rm)), 1})
			}
		}
		if sw := g.SwapTotalBytes; sw > 0 {
			items = append(items, legendItem{st.Muted.Render("swap ") +
				st.Cell.Render(hb(sw-min(g.SwapFreeBytes, sw))+"/"+units.HumanBytes(float64(sw))), 2})
		}
		body = append(body, fitLegend(items, iw))
		if hv := last.Host; hv != nil && hv.VMProcessBytes == 0 && hv.Note != "" {
			// No host line: say why in one line (inside WSL: how to get the host helper).
			body = append(body, fit(" "+st.Muted.Render(hv.Note), iw))
		}
	}
	if sh.sampleErr != "" {
		note = sh.sampleErr
	}
	gh := ih - len(body)
	if !ok {
		body = append(body, fit(st.Muted.Render("  waiting for the first sample…"), iw))
	} else if gh > 0 {
		total := 0.0
		c.used = sh.hist.Series(c.used[:0], func(s backend.Sample) float64 { return float64(s.Guest.UsedBytes) })
		c.cache = sh.hist.Series(c.cache[:0], func(s backend.Sample) float64 { return float64(s.Guest.CacheBytes) })
		series := []chart.Series{
			{Name: "used", Values: c.used, Color: st.Used},
			{Name: "cache", Values: c.cache, Color: st.Cache},
		}
		total = float64(last.Guest.TotalBytes)
		if last.Host != nil && last.Host.VMProcessBytes > 0 {
			c.vm = sh.hist.Series(c.vm[:0], func(s backend.Sample) float64 {
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
		if sh.view == ViewMemory {
			series = append(series, distroLines(sh, last)...)
		}
		// Reclaim events from the log (computed in Update), placed by binary search.
		c.chartMarkers = c.chartMarkers[:0]
		if n := sh.hist.Len(); n > 0 {
			at := func(i int) time.Time { return sh.hist.At(i).Time }
			first := at(0)
			for _, e := range sh.rec.log {
				if e.Time.Before(first) {
					continue
				}
				if i := indexAt(n, at, e.Time); i >= 0 {
					c.chartMarkers = append(c.chartMarkers, chart.Marker{Index: i, Label: markerLabel(e, sh.info.ThisMachine), Value: float64(e.Bytes())})
				}
			}
		}
		if total <= 0 {
			total = chart.NiceMax(0, true)
		}
		// The memory view shows the whole history (neighbouring samples averaged), so reclaims
		// from minutes ago stay in sight; the overview shows the newest samples at full detail.
		window := 0
		if n := sh.hist.Len(); sh.view == ViewMemory && n > 2*iw {
			window = n
		}
		out := c.mem.Render(chart.Options{
			Width: iw, Height: gh, Min: 0, Max: total, Stacked: true, Bytes: true, Window: window,
			Step: sh.refresh, Markers: c.chartMarkers, GroupLabel: groupLabel, AxisStyle: st.Axis, MarkerStyle: st.MsgInfo, NoColor: st.NoColor,
		}, series...)
		body = chartLines(body, out)
	}
	sh.paneBox(r, PaneMemory, "Memory", note, body)
}

func (cpuPane) render(sh *shared, r Rect) {
	st := sh.styles
	c := sh.cache
	iw, ih := r.W-2, r.H-2
	body := make([]string, 0, ih)
	last, ok := sh.hist.Last()
	note := ""
	if ok {
		// Unknown (a first reading, or the newest sample failed) is "—", never 0.
		stale := sh.sampleErr != ""
		cpu := percentText(last.CPUPercent, stale, "%.1f%%")
		if note = percentText(last.CPUPercent, stale, "%.0f%%"); note == unknown {
			note = "" // the legend says it
		}
		who := "guest"
		if sh.info.ThisMachine {
			who = "busy" // no guest here: this machine's own CPUs
		}
		items := []legendItem{{sh.swatch(sh.seriesStyle(st.CPU), who, cpu), 9}}
		hostCPU := last.Host != nil && last.Host.VMCPUPercent != nil
		if hostCPU {
			items = append(items, legendItem{sh.seriesStyle(st.VM).Render("━") + " " + st.Muted.Render("host VM") + " " +
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
			c.cpuv = sh.hist.Series(c.cpuv[:0], func(s backend.Sample) float64 {
				if s.CPUPercent == nil {
					return nan // a gap, not a fall to 0
				}
				return *s.CPUPercent
			})
			series := []chart.Series{{Name: "cpu", Values: c.cpuv, Color: st.CPU}}
			if hostCPU {
				c.vmcpu = sh.hist.Series(c.vmcpu[:0], func(s backend.Sample) float64 {
					if s.Host == nil || s.Host.VMCPUPercent == nil {
						return nan
					}
					return *s.Host.VMCPUPercent
				})
				series = append(series, chart.Series{Name: "host", Values: c.vmcpu, Color: st.VM, Line: true})
			}
			out := c.cpu.Render(chart.Options{
				Width: iw, Height: gh, Min: 0, Max: 100, YFormat: pct,
				Step: sh.refresh, AxisStyle: st.Axis, NoColor: st.NoColor,
			}, series...)
			body = chartLines(body, out)
		}
	} else {
		body = append(body, fit(st.Muted.Render("  waiting for the first sample…"), iw))
	}
	sh.paneBox(r, PaneCPU, "CPU", note, body)
}
