package tui

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// vmGap is the VM process's memory less the guest's used (anonymous) memory: what the VM holds
// that no guest process needs, mostly page cache Windows cannot have back. ok is false when the
// VM process is unknown.
func vmGap(s backend.Sample) (uint64, bool) {
	if s.Host == nil || s.Host.VMProcessBytes == 0 {
		return 0, false
	}
	if s.Host.VMProcessBytes <= s.Guest.UsedBytes {
		return 0, true
	}
	return s.Host.VMProcessBytes - s.Guest.UsedBytes, true
}

// gapText says what the gap is made of: "mostly cache" only when the page cache is more than
// half of it; otherwise the rest is memory the guest freed and has not yet handed back.
func gapText(gap, cache uint64) string {
	switch {
	case gap == 0:
		return " vmmem − used"
	case cache*2 > gap:
		return " vmmem − used, mostly cache"
	case cache == 0:
		return " vmmem − used; no cache"
	}
	return " vmmem − used; cache " + units.HumanBytes(float64(cache))
}

// reclaimPane and eventsPane are the memory view's reclaim status and event log; they draw
// the shared reclaim state (reclaim.go) and have no state of their own.
type (
	reclaimPane struct{}
	eventsPane  struct{}
)

// render (reclaimPane) is the memory view's status: the gap, what could come back now, the
// autoMemoryReclaim mode and what WSL will do next.
func (reclaimPane) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	const lw = 13 // label column
	body := make([]string, 0, r.H-2)
	line := func(label, value string) {
		body = append(body, fit(" "+P.muted.s(col(label, lw, false))+value, iw))
	}
	// wrapped writes value under label, continuing on indented lines (at most two in all).
	wrapped := func(label, value string, p paint) {
		lines := wrapWords(value, iw-1-lw, 2)
		for i, l := range lines {
			if i > 0 {
				label = ""
			}
			line(label, p.s(l))
		}
	}
	last, ok := sh.hist.Last()
	switch {
	case sh.info.ThisMachine && ok:
		localReclaimLines(sh, line, wrapped)
	case sh.rec.vmDown():
		line("VM stopped", P.cell.s("Windows has all of its memory back"))
		line("autoReclaim", P.cell.s(cmp.Or(string(sh.info.ReclaimMode), "unknown")))
		line("next", P.muted.s("the graph resumes when a distro starts"))
	case !ok:
		body = append(body, fit(P.muted.s("  waiting for the first sample…"), iw))
	case sh.sampleErr != "":
		// The newest sample failed: the last figures are no longer the truth.
		line("Windows sees", P.muted.s(unknown))
		wrapped("no sample", sh.sampleErr, P.muted)
		line("autoReclaim", P.cell.s(cmp.Or(string(sh.info.ReclaimMode), "unknown")))
	default:
		g := last.Guest
		hb := func(v uint64) string { return units.HumanBytes(float64(v)) }
		if gap, known := vmGap(last); known {
			name := last.Host.VMProcess
			if name == "" {
				name = "vmmem"
			}
			line("Windows sees", P.cell.s(name+" "+hb(last.Host.VMProcessBytes)))
			line("gap", st.MsgInfo.Render(hb(gap))+P.muted.s(gapText(gap, g.CacheBytes)))
		} else if last.Host != nil && last.Host.Note != "" {
			wrapped("Windows sees", "unknown: "+last.Host.Note, P.muted)
		} else {
			line("Windows sees", P.muted.s("unknown (no VM process from here)"))
		}
		if last.Host != nil && len(last.Host.OtherVMs) > 0 {
			line("other VMs", P.muted.s("not WSL's: ")+P.cell.s(otherVMs(last.Host.OtherVMs)))
		}
		line("reclaimable", P.cell.s(hb(g.Reclaimable()))+P.muted.s(" now, of "+hb(g.CacheBytes)+" cache"))
		mode := sh.info.ReclaimMode
		ms := string(mode)
		if ms == "" {
			ms = "unknown"
		}
		if sc := sh.info.TimeScale; sc > 1 {
			ms += fmt.Sprintf(" (demo: WSL's timers ×%g)", sc)
		} else if sh.info.Simulated {
			ms += " (demo)"
		}
		line("autoReclaim", P.cell.s(ms))
		switch {
		case sh.gate.have:
			gateLines(sh, line, wrapped)
		case mode != "":
			wrapped("next", describeReclaim(mode, sh.info.WSLVersion), P.cell)
			if h := sh.rec.idleHint(mode, sh.info.WSLVersion); h != "" {
				wrapped("idle", h, P.cell)
			}
		default:
			wrapped("next", "unknown: no .wslconfig read here (WSL's default is dropcache)", P.muted)
		}
	}
	if len(body) > r.H-2 {
		body = body[:r.H-2]
	}
	sh.paneBox(r, PaneReclaim, "Reclaim", "", body)
}

// renderEvents is the event log, newest first.
func (eventsPane) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	const timeW, sizeW = 10, 10
	// On this machine there is no VM process: the cache is the only series.
	showSeries := iw >= timeW+sizeW+16+26 && !sh.info.ThisMachine
	hdr := " " + col("TIME", timeW-1, false) + col("FREED", sizeW-1, true) + "  " + col("SOURCE", 15, false)
	if showSeries {
		hdr += "CACHE · VM"
	}
	body := make([]string, 0, r.H-2)
	body = append(body, P.header.s(fit(hdr, iw)))
	log := sh.rec.log
	for i := len(log) - 1; i >= 0 && len(body) < r.H-2; i-- {
		e := log[i]
		var b strings.Builder
		b.WriteString(" ")
		b.WriteString(col(e.Time.Format("15:04:05"), timeW-1, false))
		b.WriteString(col(units.HumanBytes(float64(e.Bytes())), sizeW-1, true)) // under FREED: no minus
		b.WriteString("  ")
		b.WriteString(col(e.Source.Label(sh.info.ThisMachine), 15, false))
		if showSeries {
			parts := make([]string, 0, 2)
			if e.Cache > 0 {
				parts = append(parts, "cache "+units.HumanBytes(float64(e.Cache)))
			}
			if e.VM > 0 {
				parts = append(parts, "vm "+units.HumanBytes(float64(e.VM)))
			}
			b.WriteString(strings.Join(parts, " · "))
		}
		body = append(body, P.cell.s(fit(b.String(), iw)))
	}
	if len(log) == 0 {
		msg := "  no memory has come back since wsldash started watching"
		if sh.info.ThisMachine {
			msg = "  no cache has been dropped yet"
		}
		body = append(body, fit(P.muted.s(msg), iw))
	}
	note := "newest first"
	if len(log) > 0 {
		note = strconv.Itoa(len(log)) + " · " + note
	}
	sh.paneBox(r, PaneEvents, "Reclaim events", note, body)
}

// wrapWords splits plain text into at most n lines of at most w cells at spaces; the last line
// is truncated with "…" when the text does not fit.
func wrapWords(s string, w, n int) []string {
	if w <= 0 || n <= 0 {
		return nil
	}
	var out []string
	for s != "" {
		if len(out) == n-1 || textWidth(s) <= w {
			out = append(out, s)
			break
		}
		cut := -1
		for i := 0; i < len(s) && textWidth(s[:i]) <= w; i++ {
			if s[i] == ' ' {
				cut = i
			}
		}
		if cut <= 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:cut])
		s = strings.TrimLeft(s[cut:], " ")
	}
	return out
}

// otherVMs lists other VMs' host processes (WSL containers, other HCS systems): "name size, …".
func otherVMs(vms []backend.VMProcess) string {
	parts := make([]string, len(vms))
	for i, v := range vms {
		parts[i] = v.Process
		if v.Bytes > 0 {
			parts[i] += " " + units.HumanBytes(float64(v.Bytes))
		}
	}
	return strings.Join(parts, ", ")
}
