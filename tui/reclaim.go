package tui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
	"github.com/wsldash/wsldash/backend/wslconfig"
	"github.com/wsldash/wsldash/internal/units"
	"github.com/wsldash/wsldash/tui/chart"
)

// reclaimState is what the memory view knows about memory coming back: a reclaim.Detector fed
// each sample as it arrives (in Update, never in View), the event log it produced, and how long
// the CPU has been idle. It sits behind a pointer in Model (the detector is stateful).
type reclaimState struct {
	det *reclaim.Detector
	// log is the event log, oldest first, at most maxLog entries.
	log []reclaimEntry
	// idleSince is the time of the first of the newest run of idle samples (CPU below WSL's
	// 0.5 %); zero when the newest sample was busy. idleAll says the run goes back to the first
	// sample seen, so the CPU may have been idle for longer.
	idleSince time.Time
	idleAll   bool
	// cpuSince is the first sample with a CPU figure; cpuUnknown says the newest had none (the
	// first reading of a rate, or a backend that cannot tell), so idle is not known either.
	cpuSince   time.Time
	cpuUnknown bool
	first      time.Time // the first sample seen
	last       time.Time // the newest sample seen
	// vmSince is when the dashboard first saw the VM running in its current run (zero: not
	// running); vmSawStart says it saw the VM stopped before that, so vmSince is about the VM's
	// start rather than an upper bound of it.
	vmSince    time.Time
	vmSawStart bool
	sawStopped bool
}

// reclaimEntry is one line of the event log: a drop of the page cache and/or of the VM process,
// merged when the detector reports both for one reclaim.
type reclaimEntry struct {
	Time, Start time.Time
	Source      reclaim.Source
	Cache, VM   uint64
	// measured: Cache comes from the detector; otherwise from the action's own report.
	measured bool
}

const maxLog = 64

// mergeWindow is how close two events of different series must be to be one log entry.
const mergeWindow = 15 * time.Second

func newReclaimState() *reclaimState {
	return &reclaimState{det: reclaim.NewDetector(reclaim.Options{})}
}

// observe feeds one sample (already in the history) to the detector and the idle tracker.
func (r *reclaimState) observe(s backend.Sample) {
	for _, e := range r.det.Observe(s) {
		r.add(e)
	}
	if r.first.IsZero() {
		r.first = s.Time
	}
	r.last = s.Time
	up := s.Guest.TotalBytes > 0
	switch {
	case !up:
		r.vmSince, r.sawStopped = time.Time{}, true
	case r.vmSince.IsZero():
		r.vmSince, r.vmSawStart = s.Time, r.sawStopped
	}
	if !up {
		r.idleSince, r.idleAll = time.Time{}, false
		return
	}
	r.cpuUnknown = s.CPUPercent == nil
	if r.cpuUnknown {
		return // neither idle nor busy: the run so far stands
	}
	if r.cpuSince.IsZero() {
		r.cpuSince = s.Time
	}
	if *s.CPUPercent < reclaim.ThresholdPercent {
		if r.idleSince.IsZero() {
			r.idleSince = s.Time
			r.idleAll = s.Time.Equal(r.cpuSince)
		}
	} else {
		r.idleSince, r.idleAll = time.Time{}, false
	}
}

// vmDown reports whether the newest observation found the VM stopped.
func (r *reclaimState) vmDown() bool { return r.sawStopped && r.vmSince.IsZero() }

// vmStopped tells the detector that a sample found the VM stopped: after a shutdown hint that is
// a real fall to zero (memory given back), otherwise the detector ignores it.
func (r *reclaimState) vmStopped(t time.Time) {
	r.observe(backend.Sample{Time: t})
}

// hint records an action that frees memory, started at t.
func (r *reclaimState) hint(t time.Time, src reclaim.Source) {
	r.det.Hint(reclaim.Hint{Time: t, Source: src})
	// The detector may already have reported the fall (the samples showing it can arrive before
	// the action's result): give those entries this source, as a hint in time would have.
	for i := len(r.log) - 1; i >= 0; i-- {
		e := &r.log[i]
		if e.Time.Before(t) {
			break
		}
		if e.Source == reclaim.SourceAutomatic && !t.Before(e.Start.Add(-10*time.Second)) {
			e.Source = src
		}
	}
}

// manual records a manual reclaim's own report of the cache it freed, so the log shows it at
// once; the detector's measurement of the same fall is merged into this entry when it comes.
func (r *reclaimState) manual(t time.Time, freed uint64) {
	r.hint(t, reclaim.SourceManual)
	for i := len(r.log) - 1; i >= 0; i-- {
		e := &r.log[i]
		if e.Time.Before(t.Add(-mergeWindow)) {
			break
		}
		if e.Source == reclaim.SourceManual {
			return // the detector was quicker
		}
	}
	if freed == 0 {
		return
	}
	r.push(reclaimEntry{Time: t, Start: t, Source: reclaim.SourceManual, Cache: freed})
}

// add puts a detector event into the log, merging it with a recent entry of the same source.
func (r *reclaimState) add(e reclaim.Event) {
	for i := len(r.log) - 1; i >= 0; i-- {
		le := &r.log[i]
		if e.Start.Sub(le.Time) > mergeWindow || le.Time.Sub(e.Time) > mergeWindow {
			break
		}
		if le.Source != e.Source {
			continue
		}
		switch {
		case e.Series == reclaim.SeriesCache && (le.Cache == 0 || !le.measured):
			le.Cache, le.measured = e.Bytes, true
		case e.Series == reclaim.SeriesVM && le.VM == 0:
			le.VM = e.Bytes
		default:
			continue
		}
		if e.Time.After(le.Time) && le.measured {
			le.Time = e.Time
		}
		return
	}
	ne := reclaimEntry{Time: e.Time, Start: e.Start, Source: e.Source}
	if e.Series == reclaim.SeriesCache {
		ne.Cache, ne.measured = e.Bytes, true
	} else {
		ne.VM = e.Bytes
	}
	r.push(ne)
}

func (r *reclaimState) push(e reclaimEntry) {
	if len(r.log) == maxLog {
		copy(r.log, r.log[1:])
		r.log = r.log[:maxLog-1]
	}
	r.log = append(r.log, e)
}

// Bytes is the entry's size: the larger of the two series (they measure the same memory).
func (e reclaimEntry) Bytes() uint64 { return max(e.Cache, e.VM) }

// markerLabel is a short label for the graph ("dropped" for a drop nobody asked for on this
// machine, where there is no automatic reclaim).
func markerLabel(e reclaimEntry, thisMachine bool) string {
	src := map[reclaim.Source]string{reclaim.SourceAutomatic: "auto", reclaim.SourceManual: "manual",
		reclaim.SourceDistroStopped: "stop", reclaim.SourceVMShutdown: "shutdown"}[e.Source]
	if thisMachine && e.Source == reclaim.SourceAutomatic {
		src = "dropped"
	}
	return "-" + units.HumanBytes(float64(e.Bytes())) + " " + src
}

// groupLabel labels reclaims too close together on the graph for a label each: what came back
// in all of them, and how many ("-4.6 GiB ×3").
func groupLabel(n int, sum float64, _ chart.Marker) string {
	return "-" + units.HumanBytes(sum) + " ×" + strconv.Itoa(n)
}

// idleDelay is how long WSL waits with an idle CPU before reclaiming in mode (0: never), under
// the rule of the WSL version.
func idleDelay(mode backend.ReclaimMode, wslVersion string) time.Duration {
	if mode == backend.ReclaimDisabled {
		return 0
	}
	rule, _ := reclaim.RuleFor(wslVersion)
	return time.Duration(reclaim.NewGate(rule, mode).State().WindowSeconds) * time.Second
}

// idleHint says how far the CPU is into the idle time WSL's reclaim needs, honestly approximate:
// WSL looks at user CPU over 30 s windows, the dashboard at total CPU per sample.
func (r *reclaimState) idleHint(mode backend.ReclaimMode, wslVersion string) string {
	if r.last.IsZero() {
		return ""
	}
	if r.idleSince.IsZero() {
		if r.cpuUnknown || r.cpuSince.IsZero() {
			return "CPU not measured yet, so WSL's idle clock is unknown"
		}
		return "CPU busy (≥0.5%): WSL's idle clock is not running"
	}
	idle := r.last.Sub(r.idleSince)
	d := idleDelay(mode, wslVersion)
	at := "about "
	if r.idleAll {
		at = "at least "
	}
	s := "CPU idle for " + at + shortDur(idle)
	// Did a reclaim already come in this idle stretch?
	for i := len(r.log) - 1; i >= 0; i-- {
		if e := r.log[i]; e.Source == reclaim.SourceAutomatic && !e.Time.Before(r.idleSince) {
			s += "; reclaimed " + shortDur(r.last.Sub(e.Time)) + " ago"
			if mode != backend.ReclaimGradual {
				s += " (once per idle period)"
			}
			return s
		}
	}
	switch {
	case d == 0 || mode == "":
	case idle < d:
		s += " of the ~" + shortDur(d) + " " + string(mode) + " needs"
	default:
		s += ", past the ~" + shortDur(d) + " " + string(mode) + " needs"
	}
	return s
}

// shortDur is a duration in whole seconds, minutes or hours: "45s", "2m", "3m10s", "1h5m".
func shortDur(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		m, s := int(d.Minutes()), int(d.Seconds())%60
		if s == 0 || m >= 10 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%dh%dm", int(d.Hours()), int(d.Minutes())%60)
}

// describeReclaim is wslconfig.DescribeReclaim shortened for a pane: without its "mode: "
// prefix and its parenthesised details.
func describeReclaim(mode backend.ReclaimMode, wslVersion string) string {
	s := wslconfig.DescribeReclaim(mode, wslVersion)
	if _, rest, ok := strings.Cut(s, ": "); ok {
		s = rest
	}
	for {
		i := strings.Index(s, " (")
		j := strings.IndexByte(s[max(i, 0):], ')')
		if i < 0 || j < 0 {
			return s
		}
		s = s[:i] + s[i+j+1:]
	}
}

// indexAt is the index of the newest history sample at or before t (-1: before them all).
func indexAt(n int, at func(int) time.Time, t time.Time) int {
	return sort.Search(n, func(i int) bool { return at(i).After(t) }) - 1
}
