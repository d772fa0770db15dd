// Package reclaim detects when memory came back to the host: a fall of the guest's page cache
// (Guest.CacheBytes) or of the VM's host process (Host.VMProcessBytes) by at least a threshold.
// It is a pure function over the sampler's history (Detect) with an incremental form for live use
// (Detector) that gives the same events on the same stream.
//
// How a drop is found, per series:
//
//   - The level is the median of the last three valid readings, so one bad reading (a zero from a
//     failed read, a spike) never moves it. Readings with Guest.TotalBytes == 0 (or no host
//     process) are skipped, not read as zero, unless a vm-shutdown hint says the VM is going
//     away: then they are a real fall to zero.
//   - A fall starts when the level goes below the last level and ends when it stops falling:
//     at the first sample Settle (1 s) after the last new low, or when the level rises again by
//     more than 2% (activity), or when Window (10 s) has passed since it began. A fall that adds
//     up to Threshold is one event carrying the total, reported at that moment.
//   - Gradual reclaim (WSL's "gradual" mode releases ~3% every 30 s, each step below the
//     threshold) is caught by letting a fall that has not yet reached the threshold stay open
//     across flat stretches of up to Quiet (45 s) between steps, for up to Gradual (5 min): the
//     steps add up, and an event is reported as soon as their sum reaches the threshold (then the
//     next steps start a new event). Per-step thresholds would miss it entirely.
//   - Noise: the threshold is raised to NoiseFactor (6) times the series' recent noise (the 75th
//     percentile of the last 30 sample-to-sample changes, measured before the fall began), so ±5%
//     jitter on a large cache cannot add up to an event (a median-of-3 level moves at most 2a under
//     ±a jitter, and the estimate is about a), while a real drop on a quiet series is
//     seen at the plain threshold. A series needs five readings before a fall can start. A gap of more than MaxGap (30 s) between samples (or time going
//     backwards) restarts the series: a fall across a gap is not evidence of a reclaim.
//
// Each event takes the Source of the latest hint (a manual reclaim, a distro stop, a VM shutdown
// the caller knows of) given at most Window before the fall began or during it; otherwise it is
// "automatic".
//
// Use a Detector fed from the sampler's emit callback for live display (each Observe costs about
// 50-100 ns and allocates nothing), and Detect(history.Samples(nil), opts, hints) to mark drops on
// a chart. Two limits follow from the design: a fall is reported only once a later sample shows it
// ended (a history that stops mid-fall has no event for it yet), and a series' first five readings
// (after a start or a gap) cannot begin a fall, so Detect over a sliding window may not show a drop
// that happened at the window's very start.
package reclaim

import (
	"slices"
	"sort"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Source says what made memory come back.
type Source string

const (
	SourceAutomatic     Source = "automatic" // no hint: WSL's autoMemoryReclaim, or the kernel
	SourceManual        Source = "manual"    // a reclaim the user asked for
	SourceDistroStopped Source = "distro-stopped"
	SourceVMShutdown    Source = "vm-shutdown"
)

// Label is the source in an event log's words. The JSON keeps the Source itself. On a machine
// with no WSL VM (backend.Info.ThisMachine) a drop nobody asked for is the kernel's own, not
// WSL's autoMemoryReclaim: "cache dropped".
func (s Source) Label(thisMachine bool) string {
	switch s {
	case SourceAutomatic:
		if thisMachine {
			return "cache dropped"
		}
	case SourceDistroStopped:
		return "distro stopped"
	case SourceVMShutdown:
		return "VM shut down"
	}
	return string(s)
}

// Series names.
const (
	SeriesCache = "cache" // Guest.CacheBytes
	SeriesVM    = "vm"    // Host.VMProcessBytes
)

// Event is one drop.
type Event struct {
	// Time is when the drop was reported (the sample at which the fall ended).
	Time time.Time `json:"time"`
	// Start is the time of the last level before the fall.
	Start  time.Time `json:"start"`
	Bytes  uint64    `json:"bytes"`
	Series string    `json:"series"`
	Source Source    `json:"source"`
	// From and To are the levels before and after the fall (From - To == Bytes).
	From uint64 `json:"from"`
	To   uint64 `json:"to"`
}

// Hint tells the detector about something that frees memory.
type Hint struct {
	Time   time.Time `json:"time"`
	Source Source    `json:"source"`
}

// Options tune the detector. Zero fields take the defaults.
type Options struct {
	// Threshold is the smallest fall reported. Default 256 MiB.
	Threshold uint64
	// Window is how long a fast fall may last before it is reported, and how far before a fall a
	// hint still names its source. Default 10 s.
	Window time.Duration
	// Settle is how long without a new low ends a fall that reached the threshold. Default 1 s
	// (with one sample a second: the first sample that does not fall further).
	Settle time.Duration
	// Quiet is how long a fall below the threshold stays open without a new low, waiting for the
	// next step of a gradual reclaim. Default 45 s (WSL steps every 30 s).
	Quiet time.Duration
	// Gradual is the longest a fall may last. Default 5 min.
	Gradual time.Duration
	// MaxGap is the longest time between two samples of one series; longer restarts it. Default 30 s.
	MaxGap time.Duration
	// NoiseFactor raises the threshold on noisy series (times the 75th percentile of the recent
	// changes). Default 6.
	NoiseFactor float64
}

const (
	mib         = 1 << 20
	epsilon     = 1 * mib // smaller changes are flat
	noiseWindow = 30
	minNoise    = 5 // changes needed before the noise estimate counts
)

func (o Options) withDefaults() Options {
	if o.Threshold == 0 {
		o.Threshold = 256 * mib
	}
	if o.Window <= 0 {
		o.Window = 10 * time.Second
	}
	if o.Settle <= 0 {
		o.Settle = time.Second
	}
	if o.Quiet <= 0 {
		o.Quiet = 45 * time.Second
	}
	if o.Gradual <= 0 {
		o.Gradual = 5 * time.Minute
	}
	if o.MaxGap <= 0 {
		o.MaxGap = 30 * time.Second
	}
	if o.NoiseFactor <= 0 {
		o.NoiseFactor = 6
	}
	return o
}

// Detect returns the drops in samples (oldest first), taking hints into account. It is the same
// as feeding a Detector the samples in order, each preceded by the hints whose Time is not after
// the sample's.
func Detect(samples []backend.Sample, opts Options, hints []Hint) []Event {
	hs := append([]Hint(nil), hints...)
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Time.Before(hs[j].Time) })
	d := NewDetector(opts)
	var out []Event
	h := 0
	for _, s := range samples {
		for h < len(hs) && !hs[h].Time.After(s.Time) {
			d.Hint(hs[h])
			h++
		}
		out = append(out, d.Observe(s)...)
	}
	return out
}

// Detector is the incremental form of Detect. It is not safe for concurrent use.
type Detector struct {
	opts  Options
	cache series
	vm    series
	hints []Hint
	last  time.Time
	// shutdowns are the vm-shutdown hints' times, kept apart so every sample need not scan hints.
	shutdowns []time.Time
}

// NewDetector makes a detector.
func NewDetector(opts Options) *Detector {
	o := opts.withDefaults()
	return &Detector{opts: o, cache: series{name: SeriesCache}, vm: series{name: SeriesVM}}
}

// Hint records an event the caller knows of. Give it as soon as it happens (before the samples
// that follow it) for the attribution to match Detect's.
func (d *Detector) Hint(h Hint) {
	d.hints = append(d.hints, h)
	if h.Source == SourceVMShutdown {
		d.shutdowns = append(d.shutdowns, h.Time)
	}
}

// Observe takes the next sample and returns the drops that ended with it (cache first, then vm).
func (d *Detector) Observe(s backend.Sample) []Event {
	d.prune(s.Time)
	shut := d.shuttingDown(s.Time)
	var out []Event
	out = d.cache.observe(d, s.Time, s.Guest.CacheBytes, s.Guest.TotalBytes > 0, shut, out)
	var vm uint64
	if s.Host != nil {
		vm = s.Host.VMProcessBytes
	}
	out = d.vm.observe(d, s.Time, vm, vm > 0, shut, out)
	if s.Time.After(d.last) {
		d.last = s.Time
	}
	return out
}

// prune drops hints too old to matter.
func (d *Detector) prune(now time.Time) {
	keep := d.opts.Gradual + 2*d.opts.Window + d.opts.MaxGap
	i := 0
	for i < len(d.hints) && now.Sub(d.hints[i].Time) > keep {
		i++
	}
	if i > 0 {
		d.hints = append(d.hints[:0], d.hints[i:]...)
	}
	j := 0
	for j < len(d.shutdowns) && now.Sub(d.shutdowns[j]) > keep {
		j++
	}
	if j > 0 {
		d.shutdowns = append(d.shutdowns[:0], d.shutdowns[j:]...)
	}
}

// shuttingDown: a vm-shutdown hint at most MaxGap ago makes missing readings a real zero.
func (d *Detector) shuttingDown(t time.Time) bool {
	for _, h := range d.shutdowns {
		if !t.Before(h) && t.Sub(h) <= d.opts.MaxGap {
			return true
		}
	}
	return false
}

// source is the latest hint given at most Window before start, and not after end.
func (d *Detector) source(start, end time.Time) Source {
	src := SourceAutomatic
	var at time.Time
	for _, h := range d.hints {
		if h.Time.After(end) || h.Time.Before(start.Add(-d.opts.Window)) {
			continue
		}
		if src == SourceAutomatic || !h.Time.Before(at) {
			src, at = h.Source, h.Time
		}
	}
	return src
}

// series is the state of one detector series.
type series struct {
	name string

	win  [3]uint64 // last valid readings, for the median
	nwin int

	diffs   [noiseWindow]uint64
	ndiff   int
	idiff   int
	lastRaw uint64

	have  bool
	lastT time.Time

	ref  uint64 // the level the next fall is measured from
	refT time.Time

	active bool
	peak   uint64
	peakT  time.Time
	low    uint64
	lowT   time.Time
	thr    uint64
}

func (s *series) reset() {
	name := s.name
	*s = series{name: name}
}

func (s *series) level() uint64 {
	switch s.nwin {
	case 1:
		return s.win[0]
	case 2:
		return max(s.win[0], s.win[1]) // one low reading alone does not move the level
	}
	a, b, c := s.win[0], s.win[1], s.win[2]
	return max(min(a, b), min(max(a, b), c))
}

func (s *series) push(v uint64, collapse bool) {
	if collapse {
		s.nwin = 0
	}
	if s.nwin == len(s.win) {
		copy(s.win[:], s.win[1:])
		s.nwin--
	}
	s.win[s.nwin] = v
	s.nwin++
}

func (s *series) noise() uint64 {
	if s.ndiff < minNoise {
		return 0
	}
	var buf [noiseWindow]uint64
	d := buf[:s.ndiff]
	copy(d, s.diffs[:s.ndiff])
	slices.Sort(d)
	return d[len(d)*3/4]
}

func absDiff(a, b uint64) uint64 {
	if a > b {
		return a - b
	}
	return b - a
}

func (s *series) observe(d *Detector, t time.Time, v uint64, ok, shut bool, out []Event) []Event {
	zero := false
	if !ok {
		if !shut || !s.have || s.ref == 0 && !s.active {
			return out // a missing reading, not a fall
		}
		v, zero = 0, true
	}
	if s.have && (t.Before(s.lastT) || t.Sub(s.lastT) > d.opts.MaxGap) {
		out = s.end(d, s.lastT, out)
		s.reset()
	}
	if s.have && !zero {
		s.diffs[s.idiff] = absDiff(v, s.lastRaw)
		s.idiff = (s.idiff + 1) % noiseWindow
		if s.ndiff < noiseWindow {
			s.ndiff++
		}
	}
	if !zero {
		s.lastRaw = v
	}
	s.push(v, zero)
	L := s.level()
	if !s.have {
		s.have, s.lastT, s.ref, s.refT = true, t, L, t
		return out
	}
	s.lastT = t
	return s.step(d, t, L, out)
}

func (s *series) step(d *Detector, t time.Time, L uint64, out []Event) []Event {
	o := d.opts
	if !s.active {
		if L+epsilon >= s.ref || s.ndiff < minNoise {
			// Flat or rising, or too few readings yet to know the series' noise.
			s.ref, s.refT = L, t
			return out
		}
		thr := o.Threshold
		if n := float64(s.noise()) * o.NoiseFactor; n > float64(thr) {
			thr = uint64(n)
		}
		s.active, s.peak, s.peakT, s.low, s.lowT, s.thr = true, s.ref, s.refT, L, t, thr
	} else {
		switch {
		case L+epsilon < s.low:
			s.low, s.lowT = L, t
		case L > s.low+max(4*mib, s.low/50):
			out = s.end(d, t, out) // it rises again: the fall is over
			s.ref, s.refT = L, t
			return out
		}
	}
	fall := s.peak - s.low
	var done bool
	if fall >= s.thr {
		done = s.low == 0 || t.Sub(s.lowT) >= o.Settle || t.Sub(s.peakT) >= o.Window
	} else {
		done = t.Sub(s.lowT) >= o.Quiet
	}
	if done || t.Sub(s.peakT) >= o.Gradual {
		out = s.end(d, t, out)
		s.ref, s.refT = L, t
	}
	return out
}

// end closes the current fall, reporting it at time t if it reached the threshold.
func (s *series) end(d *Detector, t time.Time, out []Event) []Event {
	if !s.active {
		return out
	}
	s.active = false
	if fall := s.peak - s.low; fall >= s.thr {
		out = append(out, Event{Time: t, Start: s.peakT, Bytes: fall, Series: s.name,
			Source: d.source(s.peakT, t), From: s.peak, To: s.low})
	}
	return out
}
