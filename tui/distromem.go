package tui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
	"github.com/wsldash/wsldash/tui/chart"
)

// Memory by distro: the memory view's pane (a bar of the VM's memory split by distro, a line
// per distro with its source) and one line per distro in the memory graph. The figures come
// with each sample (Sample.Distros), so they follow the history like the rest of the graph.

// distroMemRows is the height the pane asks for: borders, the bar, a line per distro (up to 4)
// and the remainder.
func distroMemRows(distros int) int { return 2 + 1 + min(max(distros, 1), 3) + 1 }

// distroMemPane is the memory view's memory by distro; it draws the shared history's newest
// sample and has no state of its own.
type distroMemPane struct{}

func (distroMemPane) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	body := make([]string, 0, r.H-2)
	last, ok := sh.hist.Last()
	note := ""
	switch {
	case !ok:
		body = append(body, fit(P.muted.s("  waiting for the first sample…"), iw))
	case len(last.Distros) == 0:
		msg := "this backend cannot tell which distro uses memory"
		if sh.info.ThisMachine {
			msg = "this machine has no distros"
		}
		body = append(body, fit(P.muted.s("  "+msg), iw))
	default:
		g := last.Guest
		hb := func(v uint64) string { return units.HumanBytes(float64(v)) }
		rem := last.DistrosRemainder
		if rem == nil {
			rem = backend.SplitMemory(g, last.Distros)
		}
		body = append(body, " "+sh.distroBar(last.Distros, rem, g.TotalBytes, iw-2)+" ")
		nameW := min(26, max(iw*40/100, 12))
		room := r.H - 2 - 2 // the bar and the remainder line
		estimate := false
		for i, d := range last.Distros {
			if i >= room {
				break
			}
			val := hb(d.MemoryBytes)
			src := "cgroup"
			if d.Source == backend.MemoryRSSEstimate {
				val, src, estimate = "≈"+val, "estimate", true
			}
			if d.CacheBytes != nil {
				val += P.muted.s("+") + hb(*d.CacheBytes) + P.muted.s(" cache")
			}
			line := " " + sh.seriesStyle(sh.distroColor(i)).Render("■") + " " + P.cell.s(col(distroLabel(d.Name), nameW-1, false)+" ") +
				P.cell.s(val) + "  " + P.muted.s(src)
			body = append(body, fit(line, iw))
		}
		body = append(body, fit(" "+P.muted.s("□ "+col("kernel & WSL", nameW-1, false)+" ")+P.cell.s(hb(rem.MemoryBytes))+
			P.muted.s("+")+P.cell.s(hb(rem.CacheBytes))+P.muted.s(" cache"), iw))
		note = "used " + hb(g.UsedBytes) + " · cache " + hb(g.CacheBytes)
		if estimate {
			note += " · ≈ RSS estimate"
		}
	}
	sh.paneBox(r, PaneDistroMem, "Memory by distro", note, body)
}

// distroBar draws the VM's memory w cells wide: each distro's memory (█) and cache (▒) in its
// colour, the remainder's (kernel, WSL) in the muted colour, free memory as ·.
func (sh *shared) distroBar(ds []backend.DistroMemory, rem *backend.MemoryRemainder, total uint64, w int) string {
	if w <= 0 || total == 0 {
		return ""
	}
	type seg struct {
		n     uint64
		ch    string
		style lipgloss.Style
	}
	var segs []seg
	for i, d := range ds {
		s := sh.seriesStyle(sh.distroColor(i))
		segs = append(segs, seg{d.MemoryBytes, "█", s})
		if d.CacheBytes != nil {
			segs = append(segs, seg{*d.CacheBytes, "▒", s})
		}
	}
	muted := sh.styles.Muted
	segs = append(segs, seg{rem.MemoryBytes, "█", muted}, seg{rem.CacheBytes, "▒", muted})
	var b strings.Builder
	used := 0
	var acc uint64
	for _, s := range segs {
		acc += s.n
		// Cells by cumulative share, so rounding never adds up to more than w.
		end := min(int(float64(acc)/float64(total)*float64(w)+0.5), w)
		if end > used {
			b.WriteString(s.style.Render(strings.Repeat(s.ch, end-used)))
			used = end
		}
	}
	b.WriteString(muted.Render(strings.Repeat("·", w-used)))
	return b.String()
}

// distroLines are the memory graph's per-distro lines (each distro's memory beyond cache over
// time; NaN where the distro was not running), for the distros of the newest sample.
func distroLines(sh *shared, last backend.Sample) []chart.Series {
	c := sh.cache
	for len(c.distroVals) < len(last.Distros) {
		c.distroVals = append(c.distroVals, nil)
	}
	out := make([]chart.Series, 0, len(last.Distros))
	for i, d := range last.Distros {
		name := d.Name
		c.distroVals[i] = sh.hist.Series(c.distroVals[i][:0], func(s backend.Sample) float64 {
			for j := range s.Distros {
				if s.Distros[j].Name == name {
					return float64(s.Distros[j].MemoryBytes)
				}
			}
			return nan
		})
		out = append(out, chart.Series{Name: name, Values: c.distroVals[i], Color: sh.distroColor(i), Line: true})
	}
	return out
}
