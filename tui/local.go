package tui

import (
	"slices"
	"strings"
	"unicode"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// What the dashboard says on this machine (Info.ThisMachine: the local backend), where there is
// no WSL VM, no Windows host and no distro: its own words instead of WSL's.

// onWindows is what the views that need a Windows host say on this machine, in one line.
const onWindows = "run wsldash.exe on Windows, or inside WSL"

// needsWindows draws, on this machine, pane p as one line saying what it needs ("VMs on a
// Windows host") and reports true; elsewhere it draws nothing and reports false.
func needsWindows(sh *shared, r Rect, p Pane, title, what string) bool {
	if !sh.info.ThisMachine {
		return false
	}
	P := &sh.styles.P
	iw := r.W - 2
	body := make([]string, 0, 2)
	for _, l := range wrapWords(what+": "+onWindows, iw-2, 2) {
		body = append(body, fit(" "+P.muted.s(l), iw))
	}
	sh.paneBox(r, p, title, "", body)
	return true
}

// localReclaimLines are the reclaim pane's lines on this machine: what could be dropped now and
// what reclaim means here (no VM, so nothing goes back to Windows and there is no idle gate).
func localReclaimLines(sh *shared, line func(label, value string), wrapped func(label, value string, p paint)) {
	P := &sh.styles.P
	last, ok := sh.hist.Last()
	if !ok {
		return
	}
	g := last.Guest
	hb := func(v uint64) string { return units.HumanBytes(float64(v)) }
	if sh.sampleErr != "" {
		wrapped("no sample", sh.sampleErr, P.muted)
	} else {
		wrapped("reclaimable", hb(g.Reclaimable())+" now, of "+hb(g.CacheBytes)+" cache", P.cell)
	}
	wrapped("reclaim", "drops this machine's page cache, as root", P.cell)
	wrapped("by itself", "the kernel frees cache when memory runs short", P.muted)
	if why := sh.caps.Reason(backend.ActReclaim); why != "" {
		wrapped("", why, P.muted)
	}
}

// shellBanner is the one line printed before the shell the shell key opens: where it is and how
// to come back.
func shellBanner(distro string, thisMachine bool, host string) string {
	where := "in " + distro
	if thisMachine || distro == "" {
		where = "on this machine"
		if host != "" {
			where += " (" + host + ")"
		}
	}
	// The name comes from wsl.exe or the system: no escape sequence reaches the terminal.
	where = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(where, "?"))
	return "wsldash: a shell " + where + " — exit (or ctrl+d) comes back to the dashboard"
}

// reclaimAsk is the reclaim dialog's first sentence: on this machine the cache is dropped, not
// given back to Windows.
func reclaimAsk(thisMachine bool) string {
	if thisMachine {
		return "Drop this machine's page cache; it fills again as files are read."
	}
	return "Give the guest's memory back to Windows."
}

// reclaimChoicesFor are the manual reclaims in this machine's words where there is no WSL.
func reclaimChoicesFor(thisMachine bool) []dialogChoice {
	if !thisMachine {
		return reclaimChoices
	}
	out := slices.Clone(reclaimChoices)
	for i := range out {
		if out[i].mode == backend.ReclaimGradual {
			out[i].desc = "reclaim cache via cgroup memory.reclaim, a bit at a time"
		}
	}
	return out
}
