package reclaim

// This file models WSL's autoMemoryReclaim idle gate: WSL gives page cache back to Windows only
// while the VM is idle, and the dashboard shows how far the VM is from that gate.
//
// The rules, from WSL's source (github.com/microsoft/WSL, src/linux/init/util.cpp,
// StartMemoryReductionThread; line numbers are the ones at the tag or commit named):
//
// RuleLegacy, "wsl-2.9", every release up to 2.9.4 (and the same code in the first open-source
// commit 697572d66, src/linux/init/main.cpp ConfigureMemoryReduction):
//
//   - Every 30 s (2.9.4:3636 SleepDuration) the thread reads only the user counter of /proc/stat's
//     cpu line (GetUserCpuTime, 2.9.4:3508).
//   - T = get_nprocs() * CLK_TCK * 30 / 200 ticks, 0.5 % of all CPUs over 30 s (2.9.4:3638).
//   - The window is L = 20 polls, 10 min, for dropcache (2.9.4:3639) and L = 6, 3 min, for
//     gradual (2.9.4:3656). A poll is idle when the user ticks since the previous poll are < T
//     and the user ticks since the poll L polls ago are < T*(L+1) (2.9.4:3678-3679): strictly
//     less, and the window allows (L+1)/L of 0.5 % (0.525 % for dropcache, 0.583 % for gradual).
//     The slots start at LLONG_MIN (2.9.4:3661), so the window has to fill before any poll is
//     idle (slot 0 starts at 0, which lets poll L pass only if the VM used less than T*(L+1) user
//     ticks since boot: ignored here).
//   - dropcache writes 1 to drop_caches (the page cache, not the slab) once per idle period
//     (ReclaimIdling, 2.9.4:3704-3708); any poll that is not idle ends the period (2.9.4:3712).
//   - gradual: memory in use is sysinfo's totalram - freeram (cache included). Above 1 GiB, and
//     unless ReclaimIdling, it writes 3 % of it to memory.reclaim each idle poll; once a step's
//     target falls under 1 GiB it sets ReclaimIdling, which in-use above 1.1 GiB or a busy poll
//     clears (2.9.4:3632-3633, 3684-3701). Without a writable memory.reclaim the thread falls back
//     to dropcache before choosing the window, so it then uses the 10 min window (2.9.4:3646-3657):
//     the gate cannot see that and believes the configured mode.
//
// RuleCurrent, "wsl-3.0", the rule of commit 49f841cc5 (2026-07-24, "Improve WSL2 guest memory
// reclaim", with its follow-up 88f76dd7d), in no tagged release as of 2.9.4 and reported to ship
// in WSL 3.0 (line numbers at HEAD 3e27a6a50):
//
//   - Every 10 s (HEAD:3837) busy = user+nice+system+irq+softirq+steal and idle = idle+iowait
//     (ReadCpuBusyIdle, HEAD:3658-3659); each interval adds its busy and total (busy+idle) deltas
//     to a rolling window of 12 intervals, 2 min (CpuIdleTracker, HEAD:3581).
//   - WindowIdle = 12 intervals collected and busy*1000 <= total*5 over them; IntervalIdle is
//     the same test over this interval alone; a total of 0 counts as idle (HEAD:3561, 3578). The
//     first reading is only a baseline, so the window is full 12 intervals, 2 min, after it.
//   - Not WindowIdle ends the idle period; WindowIdle but not IntervalIdle skips this poll only,
//     keeping the history and the period (HEAD:3907-3920).
//   - gradual reclaims, at every idle poll, min(file cache - 128 MiB, step) where file cache is
//     Active(file)+Inactive(file)+SReclaimable and step = totalram/32 clamped to 256 MiB..1 GiB
//     (HEAD:3840-3858, 3929-3940); there is no once-per-period limit. Without a writable
//     memory.reclaim it drops caches as dropcache does (HEAD:3831), which the gate cannot see.
//   - dropcache writes 3 (page cache and slab) once per idle period (HEAD:3942-3953; 49f841cc5
//     itself wrote 1, 88f76dd7d made it 3). Both then compact.
//   - A counter going backwards resets the window and the period (HEAD:3891-3898). CPU time
//     spent reclaiming is left out of the next interval (HEAD:3977): the gate cannot do that, so
//     right after a large drop it may count as busy a few ticks WSL does not.
//   - With autoMemoryReclaim=disabled no thread starts at all (HEAD:3809); at 2.9.4 the thread
//     still runs for compaction, and only the reclaim is skipped.
//
// The default of autoMemoryReclaim ([experimental] in .wslconfig) is dropcache in both:
// src/windows/common/WslCoreConfig.h `MemoryReclaimMode MemoryReclaim =
// MemoryReclaimMode::DropCache;` (2.9.4:366, HEAD:370), read from
// "experimental.autoMemoryReclaim" (WslCoreConfig.h 2.9.4:283, HEAD:285; WslCoreConfig.cpp
// 2.9.4:121, HEAD:122). So, unconfigured, a released WSL waits 10 quiet minutes.
//
// Emulation. WSL polls at a phase the dashboard cannot see, and samples come at the dashboard's
// own irregular cadence. The gate asks "would WSL's poll pass if it happened at the newest
// sample?": it evaluates the rule over the last poll interval and the last window, both ending at
// the newest sample, reading the cumulative counters at the spans' starts by linear interpolation
// between the two samples around each start (the counters are cumulative, so this assumes only
// that the rate was even between those two samples, and is exact at a sample's time). CPU time
// is measured by the counters' own total (which is CPUs × USER_HZ × seconds), so no USER_HZ or
// CPU count is assumed; for the legacy rule that stands for T's get_nprocs()*CLK_TCK*30. A
// window is full when the history reaches back the whole window; until then the gate is
// "settling". Consequences of the unknown phase: an action is due within one poll interval of
// the condition holding (NextInSeconds is that upper bound), and the period-scoped facts (dropped
// once, ReclaimIdling) are taken as happened once the condition has held for a whole poll
// interval, so a WSL poll must have seen it. The history starts when the gate does (or when the
// VM restarted): a VM that was quiet before the dashboard started may already be past the gate
// while the gate still says "settling".
//
// wsldash's own CPU use (Sample.SelfTicks) is reported beside: SelfPercent is its share over the
// window and SelfBlocks says the gate is closed only because of it. SelfTicks count user and
// system time, while the legacy rule counts only user time, so for that rule both overstate
// wsldash's part.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// GateRule names a version of WSL's idle gate.
type GateRule string

const (
	// RuleLegacy is the released rule (WSL <= 2.9.x): user CPU time only, polled every 30 s,
	// over 20 polls (dropcache) or 6 (gradual).
	RuleLegacy GateRule = "wsl-2.9"
	// RuleCurrent is the rule after 2.9.4 (commit 49f841cc5): all busy CPU time, polled every
	// 10 s, over 12 intervals.
	RuleCurrent GateRule = "wsl-3.0"
)

// Gate states.
const (
	GateIdle     = "idle"     // the gate is open: WSL acts at its next poll
	GateSettling = "settling" // quiet so far, but the history does not yet span the window
	GateBusy     = "busy"     // the window or the last poll interval is over the threshold
	GateDisabled = "disabled" // autoMemoryReclaim is disabled
	GateUnknown  = "unknown"  // fewer than two samples with CPU counters
)

const (
	gateGiB         = 1 << 30
	gateFloor       = 128 * mib // HEAD:3840 c_floorBytes
	gateStepMin     = 256 * mib // HEAD:3843
	gateStepMax     = 1 * gateGiB
	gateLegacyLow   = 1 * gateGiB // 2.9.4:3632 MemoryLow
	gateLegacyHigh  = 1.1 * gateGiB
	gateCap         = 1024 // points kept at most; see Add's thinning
	gateThinPerSpan = 768  // stored points are at least window/768 apart
)

// RuleFor picks the rule for the installed WSL version ("2.9.4.0", "2.6.1", "3.0.2"; "" when
// unknown) and says why.
//
// Policy: a version up to 2.9.x has the released rule, as every tag up to 2.9.4 does (none
// contains 49f841cc5); a version after 2.9 (2.10 or 3.x) is taken to be built from the code that
// has the new rule. A version before 2.0 gets the released rule too, with a reason saying it
// likely has no autoMemoryReclaim at all. An unknown or unreadable version (wsl --version failed, the inbox wsl.exe, no
// WSL) is assumed to have the released rule: it is what every WSL anyone could have installed
// carried when this was written, and it is the stricter of the two (a 10 min window by default),
// so the gate errs towards "not yet" rather than promising a reclaim that will not come.
func RuleFor(wslVersion string) (GateRule, string) {
	v := strings.TrimPrefix(strings.TrimSpace(wslVersion), "v")
	major, minor, ok := majorMinor(v)
	switch {
	case v == "":
		return RuleLegacy, "WSL's version is unknown: assuming the released rule (user CPU only, 30 s polls), which every release up to 2.9.4 has"
	case !ok:
		return RuleLegacy, fmt.Sprintf("WSL's version %q is not understood: assuming the released rule (user CPU only, 30 s polls), which every release up to 2.9.4 has", v)
	case major > 2 || major == 2 && minor > 9:
		return RuleCurrent, fmt.Sprintf("WSL %s is installed: the rule after 2.9.4 (all busy CPU, 10 s polls, 2 min window)", v)
	case major < 2:
		return RuleLegacy, fmt.Sprintf("WSL %s is installed: older than 2.0, so likely without autoMemoryReclaim (it came with the September 2023 update); the released rule if it has it", v)
	default:
		return RuleLegacy, fmt.Sprintf("WSL %s is installed: the released rule (user CPU only, 30 s polls)", v)
	}
}

func majorMinor(v string) (major, minor int, ok bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, false
	}
	return major, minor, true
}

// GateState is the gate as of the newest sample. It is the `reclaim_gate` object of
// `wsldash stats --json`; unknown figures are null, never 0.
type GateState struct {
	Rule       GateRule            `json:"rule"`
	RuleReason string              `json:"rule_reason"`
	Mode       backend.ReclaimMode `json:"mode"`
	// PollSeconds is how often WSL looks: 30 (legacy) or 10 (current).
	PollSeconds int `json:"poll_seconds"`
	// WindowSeconds is how far back it looks: 600 (legacy dropcache), 180 (legacy gradual) or
	// 120 (current).
	WindowSeconds int `json:"window_seconds"`
	// ThresholdPercent is the limit for the last poll interval, in % of all CPUs: 0.5.
	ThresholdPercent float64 `json:"threshold_percent"`
	// WindowThresholdPercent is the limit over the window: 0.5, or for the legacy rule
	// 0.5*(L+1)/L (0.525 for dropcache, about 0.583 for gradual).
	WindowThresholdPercent float64 `json:"window_threshold_percent"`
	// BusyPercent is the busy time over the last poll interval as the rule counts it (user
	// time only for legacy), in % of all CPUs.
	BusyPercent *float64 `json:"busy_percent"`
	// WindowBusyPercent is the same over the window, or over the history so far when shorter.
	WindowBusyPercent *float64 `json:"window_busy_percent"`
	// SelfPercent is wsldash's own CPU time over that same span, in % of all CPUs; null when
	// Sample.SelfTicks is unknown.
	SelfPercent *float64 `json:"self_percent"`
	// QuietSeconds is the VM's progress towards the gate: when the window is idle, the window
	// plus how long it has been idle; otherwise the longest span ending now, at most the window,
	// over which the busy time stays under the window's threshold.
	QuietSeconds *float64 `json:"quiet_seconds"`
	// State is one of idle, settling, busy, disabled, unknown.
	State string `json:"state"`
	// BlockedBy says what keeps the gate closed when busy: "window" or "poll" (only the last
	// poll interval: a short burst); empty otherwise.
	BlockedBy string `json:"blocked_by"`
	// SelfBlocks is true when the gate is busy only because of wsldash: without its own ticks
	// it would not be.
	SelfBlocks bool `json:"self_blocks"`
	// NextAction is what WSL does next when the gate opens (or is open), in words.
	NextAction string `json:"next_action"`
	// NextBytes is what that action frees or asks for (for dropcache, an upper bound: the cache
	// less shared and dirty pages); null when unknown or when nothing is coming.
	NextBytes *uint64 `json:"next_bytes"`
	// NextInSeconds is, at the latest, when the action comes if the VM stays as quiet as now
	// (for a busy VM: if everything but wsldash went quiet); it includes up to one poll interval
	// for WSL's unknown phase. Null when nothing comes on its own.
	NextInSeconds *float64 `json:"next_in_seconds"`
}

// gatePoint is one sample's counters as the rule counts them.
type gatePoint struct {
	t     int64   // unix nanoseconds
	busy  float64 // busy ticks as the rule counts them (user only for legacy), cumulative
	total float64 // all ticks, cumulative
	self  float64 // wsldash's ticks, cumulative across probe restarts
}

// Gate emulates WSL's idle gate over the dashboard's samples. It keeps a bounded history (the
// window, at most gateCap points) and allocates nothing per sample. It is not safe for concurrent
// use.
type Gate struct {
	rule   GateRule
	reason string
	mode   backend.ReclaimMode

	poll, window int64 // nanoseconds
	// Thresholds as busy*den < or <= total*num.
	pollNum, pollDen, winNum, winDen float64
	strict                           bool

	pts        [gateCap]gatePoint
	head, n    int
	thin       int64
	rawBusy    uint64 // the newest sample's counters, to see them go backwards
	rawIdle    uint64
	rawSelf    uint64
	selfKnown  bool
	selfFrom   int64 // SelfTicks known continuously since (math.MaxInt64: not now)
	selfAcc    uint64
	guest      backend.GuestMemory
	idleSince  int64 // the full condition has held since (noTime: not)
	winOKSince int64 // the window condition has held since (noTime: not)
	done       bool  // dropcache: dropped this idle period; legacy gradual: ReclaimIdling

	actionKey  [2]uint64 // the cached NextAction's inputs
	actionText string

	// scale stretches sample times from epoch (Info.TimeScale: the demo's WSL timers run that
	// much faster than its samples); 0 or 1 is real time.
	scale float64
	epoch int64
}

const noTime = math.MinInt64

// NewGate makes a gate for a rule and an autoMemoryReclaim mode. An empty mode (not configured,
// or not known) is taken as dropcache, the code's default (the default was disabled at the
// September 2023 launch and became dropcache in May 2024, MicrosoftDocs/WSL#2086). A mode other
// than disabled, gradual and dropcache gives the state "unknown". An unknown rule is taken as
// the released one.
func NewGate(rule GateRule, mode backend.ReclaimMode) *Gate {
	reason := "chosen by the caller"
	if rule != RuleLegacy && rule != RuleCurrent {
		reason = fmt.Sprintf("rule %q is not known: assuming the released rule", rule)
		rule = RuleLegacy
	}
	return newGate(rule, reason, mode)
}

// ForInfo is the gate for what a backend says of itself, or nil where it knows no
// autoMemoryReclaim mode (no WSL VM: the local backend). The rule follows Info.WSLVersion and
// the timeline Info.TimeScale, so the dashboard, `stats` and the demo's own reclaim agree.
func ForInfo(info backend.Info) *Gate {
	if info.ReclaimMode == "" {
		return nil
	}
	g := NewGateForVersion(info.WSLVersion, info.ReclaimMode)
	if info.TimeScale > 1 {
		g.scale = info.TimeScale
	}
	return g
}

// NewGateForVersion is NewGate with the rule RuleFor picks for the installed WSL version.
func NewGateForVersion(wslVersion string, mode backend.ReclaimMode) *Gate {
	rule, reason := RuleFor(wslVersion)
	return newGate(rule, reason, mode)
}

func newGate(rule GateRule, reason string, mode backend.ReclaimMode) *Gate {
	if mode == "" {
		mode = backend.ReclaimDropCache // WslCoreConfig.h: MemoryReclaim = MemoryReclaimMode::DropCache
	}
	g := &Gate{rule: rule, reason: reason, mode: mode}
	if rule == RuleCurrent {
		g.poll = int64(10 * time.Second)
		g.window = 12 * g.poll
		g.pollNum, g.pollDen = 5, 1000
		g.winNum, g.winDen = 5, 1000
	} else {
		polls := int64(20)
		if mode == backend.ReclaimGradual {
			polls = 6
		}
		g.poll = int64(30 * time.Second)
		g.window = polls * g.poll
		g.pollNum, g.pollDen = 1, 200
		g.winNum, g.winDen = float64(polls+1), float64(200*polls)
		g.strict = true
	}
	g.thin = g.window / gateThinPerSpan
	g.reset()
	return g
}

func (g *Gate) reset() {
	g.head, g.n = 0, 0
	g.selfKnown = false
	g.selfFrom = math.MaxInt64
	g.selfAcc = 0
	g.idleSince, g.winOKSince = noTime, noTime
	g.done = false
}

func (g *Gate) at(i int) *gatePoint { return &g.pts[(g.head+i)%gateCap] }

// Add feeds the gate a sample. Samples without CPU counters are ignored; a counter going
// backwards (the VM restarted) or the clock going backwards starts the history again, as WSL's
// own reset does (HEAD:3891).
func (g *Gate) Add(s backend.Sample) {
	c := s.CPU
	if c == nil {
		return
	}
	t := s.Time.UnixNano()
	if g.scale > 1 {
		if g.epoch == 0 {
			g.epoch = t
		}
		t = g.epoch + int64(float64(t-g.epoch)*g.scale)
	}
	busy := c.Busy()
	if g.rule == RuleLegacy {
		busy = c.User
	}
	total := c.Total()
	if total < busy { // overflowed sums: nothing sensible to count
		return
	}
	idle := total - busy
	if g.n > 0 {
		last := g.at(g.n - 1)
		if t < last.t || busy < g.rawBusy || idle < g.rawIdle {
			g.reset()
		}
	}
	g.rawBusy, g.rawIdle = busy, idle
	if s.SelfTicks != nil {
		v := *s.SelfTicks
		switch {
		case !g.selfKnown:
			g.selfFrom = t
		case v >= g.rawSelf:
			g.selfAcc += v - g.rawSelf
		default: // the probe restarted: it has used v since
			g.selfAcc += v
		}
		g.selfKnown, g.rawSelf = true, v
	} else {
		g.selfKnown, g.selfFrom = false, math.MaxInt64
	}
	p := gatePoint{t: t, busy: float64(busy), total: float64(total), self: float64(g.selfAcc)}
	switch {
	case g.n > 0 && g.at(g.n-1).t == t:
		*g.at(g.n - 1) = p
	case g.n >= 2 && g.at(g.n-1).t-g.at(g.n-2).t < g.thin || g.n == gateCap:
		// Thinning: the newest point is replaced while it is closer than thin to the one
		// before, so stored points are at least thin apart and the window fits in gateCap.
		*g.at(g.n - 1) = p
	default:
		*g.at(g.n) = p
		g.n++
	}
	// Keep one point at or before the window's start.
	for g.n > 2 && g.at(1).t <= t-g.window {
		g.head = (g.head + 1) % gateCap
		g.n--
	}
	g.guest = s.Guest
	g.track()
}

// span is what the gate measured over [from, now]: the rule's busy ticks, all ticks and
// wsldash's ticks; from is clamped to the oldest point.
type span struct {
	from, to        int64
	busy, total     float64
	self            float64
	selfOK, covered bool // covered: the history reaches back to from
}

// interp returns the cumulative counters at time x (clamped to the history).
func (g *Gate) interp(x int64) (busy, total, self float64) {
	lo, hi := 0, g.n-1
	if x <= g.at(lo).t {
		p := g.at(lo)
		return p.busy, p.total, p.self
	}
	if x >= g.at(hi).t {
		p := g.at(hi)
		return p.busy, p.total, p.self
	}
	for hi-lo > 1 { // t[lo] <= x < t[hi]
		mid := (lo + hi) / 2
		if g.at(mid).t <= x {
			lo = mid
		} else {
			hi = mid
		}
	}
	a, b := g.at(lo), g.at(hi)
	f := float64(x-a.t) / float64(b.t-a.t)
	return a.busy + f*(b.busy-a.busy), a.total + f*(b.total-a.total), a.self + f*(b.self-a.self)
}

func (g *Gate) measure(length int64) span {
	newest := g.at(g.n - 1)
	from := newest.t - length
	sp := span{from: from, to: newest.t, covered: g.at(0).t <= from}
	if !sp.covered {
		sp.from = g.at(0).t
	}
	b, tot, self := g.interp(sp.from)
	sp.busy = max(newest.busy-b, 0)
	sp.total = max(newest.total-tot, 0)
	sp.self = max(newest.self-self, 0)
	sp.selfOK = g.selfFrom <= sp.from
	return sp
}

func (g *Gate) under(busy, total, num, den float64) bool {
	if total <= 0 {
		return busy <= 0 // HEAD:3578 counts a zero total as idle
	}
	if g.strict {
		return busy*den < total*num
	}
	return busy*den <= total*num
}

// eval is WSL's test if it polled at the newest sample.
func (g *Gate) eval() (win, poll span, winOK, pollOK bool) {
	win, poll = g.measure(g.window), g.measure(g.poll)
	winOK = win.covered && g.under(win.busy, win.total, g.winNum, g.winDen)
	pollOK = g.under(poll.busy, poll.total, g.pollNum, g.pollDen)
	return
}

// track follows the period-scoped state (dropped once, ReclaimIdling) from sample to sample.
func (g *Gate) track() {
	if g.n < 2 {
		return
	}
	now := g.at(g.n - 1).t
	_, _, winOK, pollOK := g.eval()
	idle := winOK && pollOK
	if winOK {
		if g.winOKSince == noTime {
			g.winOKSince = now
		}
	} else {
		g.winOKSince = noTime
	}
	if idle {
		if g.idleSince == noTime {
			g.idleSince = now
		}
	} else {
		g.idleSince = noTime
	}
	// The period ends: for the current rule only when the window is busy (HEAD:3907), for the
	// legacy rule at any poll that is not idle (2.9.4:3712).
	if g.rule == RuleCurrent && !winOK || g.rule == RuleLegacy && !idle {
		g.done = false
	}
	inUse, inUseOK := g.inUse()
	if g.rule == RuleLegacy && g.mode == backend.ReclaimGradual && idle && inUseOK && inUse > gateLegacyHigh {
		g.done = false // 2.9.4:3686
	}
	if !idle || now-g.idleSince < g.poll {
		return // WSL may not have polled during this idle stretch yet
	}
	switch {
	case g.mode == backend.ReclaimDropCache:
		g.done = true
	case g.rule == RuleLegacy && g.mode == backend.ReclaimGradual && inUseOK:
		if inUse > gateLegacyLow && inUse*0.97 < gateLegacyLow {
			g.done = true // 2.9.4:3698
		}
	}
}

func (g *Gate) inUse() (float64, bool) {
	m := g.guest
	if m.TotalBytes == 0 || m.FreeBytes > m.TotalBytes {
		return 0, false
	}
	return float64(m.TotalBytes - m.FreeBytes), true
}

// State is the gate as of the newest sample.
func (g *Gate) State() GateState {
	st := GateState{
		Rule: g.rule, RuleReason: g.reason, Mode: g.mode,
		PollSeconds:            int(g.poll / int64(time.Second)),
		WindowSeconds:          int(g.window / int64(time.Second)),
		ThresholdPercent:       100 * g.pollNum / g.pollDen,
		WindowThresholdPercent: 100 * g.winNum / g.winDen,
		State:                  GateUnknown,
	}
	if g.n < 2 {
		if g.mode == backend.ReclaimDisabled {
			st.State, st.NextAction = GateDisabled, "nothing: autoMemoryReclaim is disabled"
		} else {
			st.NextAction = "unknown until the dashboard has two CPU readings"
		}
		return st
	}
	// One allocation for every optional figure.
	vals := new(struct {
		f [5]float64
		b uint64
	})
	v := &vals.f
	win, poll, winOK, pollOK := g.eval()
	now := g.at(g.n - 1).t
	if poll.total > 0 {
		v[0] = pct(poll.busy, poll.total)
		st.BusyPercent = &v[0]
	}
	if win.total > 0 {
		v[1] = pct(win.busy, win.total)
		st.WindowBusyPercent = &v[1]
		if win.selfOK {
			v[2] = pct(win.self, win.total)
			st.SelfPercent = &v[2]
		}
	}
	soFarOK := g.under(win.busy, win.total, g.winNum, g.winDen)
	switch {
	case winOK && pollOK:
		st.State = GateIdle
	case !win.covered && soFarOK:
		st.State = GateSettling
	default:
		st.State = GateBusy
		st.BlockedBy = "window"
		if soFarOK {
			st.BlockedBy = "poll"
		}
		if win.selfOK && poll.selfOK {
			st.SelfBlocks = g.under(max(win.busy-win.self, 0), win.total, g.winNum, g.winDen) &&
				g.under(max(poll.busy-poll.self, 0), poll.total, g.pollNum, g.pollDen)
		}
	}
	if winOK && g.winOKSince != noTime {
		v[3] = seconds(g.window + now - g.winOKSince)
	} else {
		v[3] = seconds(g.quietTail(min(g.window, now-g.at(0).t)))
	}
	st.QuietSeconds = &v[3]

	bytes, bytesOK, coming := g.next(&st)
	if bytesOK && coming {
		vals.b = bytes
		st.NextBytes = &vals.b
	}
	switch g.mode {
	case backend.ReclaimDisabled:
		st.State = GateDisabled
		st.BlockedBy, st.SelfBlocks = "", false
		return st
	case backend.ReclaimDropCache, backend.ReclaimGradual:
	default:
		st.State = GateUnknown
		st.BlockedBy, st.SelfBlocks = "", false
		return st
	}
	if !coming {
		return st
	}
	var until int64 = -1
	switch st.State {
	case GateIdle:
		until = 0
	case GateSettling:
		until = g.window - (now - g.at(0).t)
	case GateBusy:
		until = g.untilQuiet(win)
	}
	if until >= 0 {
		v[4] = seconds(until + g.poll)
		st.NextInSeconds = &v[4]
	}
	return st
}

func pct(part, whole float64) float64 { return min(max(100*part/whole, 0), 100) }

func seconds(ns int64) float64 { return float64(ns) / float64(time.Second) }

// quietTail is the longest span ending now, at most limit, whose busy time is under the
// window's threshold, measured at the stored points.
func (g *Gate) quietTail(limit int64) int64 {
	newest := g.at(g.n - 1)
	var best int64
	for i := g.n - 2; i >= 0; i-- {
		p := g.at(i)
		d := newest.t - p.t
		if d > limit {
			break
		}
		if g.under(newest.busy-p.busy, newest.total-p.total, g.winNum, g.winDen) {
			best = d
		}
	}
	return best
}

// next sets NextAction and returns the bytes it concerns, whether they are known, and whether
// an action is coming at all.
func (g *Gate) next(st *GateState) (bytes uint64, known, coming bool) {
	m := g.guest
	switch {
	case g.mode == backend.ReclaimDisabled:
		st.NextAction = "nothing: autoMemoryReclaim is disabled"
		return 0, false, false
	case g.mode == backend.ReclaimDropCache:
		if g.done {
			st.NextAction = "nothing until the VM is busy again: dropped once this idle period"
			return 0, false, false
		}
		st.NextAction = "drop the page cache"
		if g.rule == RuleCurrent {
			st.NextAction = "drop the page cache and slab"
		}
		return m.Reclaimable(), m.TotalBytes > 0, true
	case g.mode == backend.ReclaimGradual && g.rule == RuleLegacy:
		inUse, ok := g.inUse()
		switch {
		case !ok:
			st.NextAction = "reclaim 3% of the memory in use (gradual)"
			return 0, false, true
		case inUse <= gateLegacyLow:
			st.NextAction = "nothing: memory in use is under 1 GiB"
			return 0, false, false
		case g.done:
			st.NextAction = "nothing until memory in use passes 1.1 GiB or the VM is busy again"
			return 0, false, false
		}
		b := uint64(inUse - inUse*0.97) // 2.9.4:3693-3694
		st.NextAction = g.action(1, b, "reclaim %s (gradual, 3%% of the memory in use)")
		return b, true, true
	case g.mode == backend.ReclaimGradual:
		step := uint64(min(max(m.TotalBytes/32, gateStepMin), gateStepMax))
		fc := m.FileCacheBytes
		switch {
		case fc == nil || m.TotalBytes == 0:
			st.NextAction = "reclaim the file cache above 128 MiB, a step at a time (gradual)"
			return 0, false, true
		case *fc <= gateFloor:
			st.NextAction = "nothing: the file cache is at the 128 MiB floor"
			return 0, false, false
		}
		b := min(*fc-gateFloor, step)
		st.NextAction = g.action(2, b, "reclaim %s (gradual)")
		return b, true, true
	}
	st.NextAction = fmt.Sprintf("unknown: autoMemoryReclaim mode %q", g.mode)
	return 0, false, false
}

// action formats an action with a byte count, reusing the last text while it would read the
// same (State runs every second).
func (g *Gate) action(kind, b uint64, format string) string {
	key := [2]uint64{kind, gateBytesKey(b)}
	if key != g.actionKey || g.actionText == "" {
		g.actionKey, g.actionText = key, fmt.Sprintf(format, gateBytes(b))
	}
	return g.actionText
}

// gateBytesKey is what gateBytes shows: tenths of GiB from 1 GiB up (odd), MiB below (even).
func gateBytesKey(b uint64) uint64 {
	if b >= gateGiB {
		return (b+gateGiB/20)/(gateGiB/10)<<1 | 1
	}
	return (b + mib/2) / mib << 1
}

// gateBytes is "172 MiB" or "1.5 GiB".
func gateBytes(b uint64) string {
	k := gateBytesKey(b)
	if k&1 != 0 {
		return fmt.Sprintf("%d.%d GiB", k>>1/10, k>>1%10)
	}
	return fmt.Sprintf("%d MiB", k>>1)
}

// untilQuiet is how long until both of the rule's tests would pass if, from now on, the VM used
// only what wsldash uses (its rate over the window, at most the busy rate the rule sees), with
// total ticks coming at the window's rate: the first time t in [0, window] at which the busy
// time in [now+t-window, now+t] and in [now+t-poll, now+t] are under their limits. -1 when that
// never comes (wsldash alone is over the threshold, or the rate is unknown).
func (g *Gate) untilQuiet(win span) int64 {
	newest := g.at(g.n - 1)
	now := newest.t
	dt := float64(win.to - win.from)
	if dt <= 0 || win.total <= 0 {
		return -1
	}
	totalRate := win.total / dt
	var quietRate float64
	if win.selfOK {
		quietRate = min(win.self, win.busy) / dt
	}
	if quietRate*g.pollDen >= totalRate*g.pollNum || quietRate*g.winDen >= totalRate*g.winNum {
		return -1
	}
	// Both tests, as h(t) <= 0, are linear in t between breakpoints (where a span's start
	// crosses a stored point), so the search goes piece by piece. From t = window on, both
	// spans lie in the quiet future and pass.
	lo := max(0, g.window-(now-g.at(0).t))
	hw, hp := g.excess(lo, quietRate, totalRate)
	if hw <= 0 && hp <= 0 {
		return lo
	}
	for lo < g.window {
		hi := min(g.nextBreak(now-g.window, lo), g.nextBreak(now-g.poll, lo))
		hw2, hp2 := g.excess(hi, quietRate, totalRate)
		l1, r1, ok1 := nonPositive(hw, hw2)
		l2, r2, ok2 := nonPositive(hp, hp2)
		if l, r := max(l1, l2), min(r1, r2); ok1 && ok2 && l <= r {
			return lo + int64(math.Ceil(l*float64(hi-lo)))
		}
		lo, hw, hp = hi, hw2, hp2
	}
	return g.window
}

// excess is how far over their limits the window and poll tests would be at now+t, scaled
// (<= 0: the test passes), if from now on busy ticks come at quietRate and all ticks at
// totalRate (per nanosecond).
func (g *Gate) excess(t int64, quietRate, totalRate float64) (win, poll float64) {
	newest := g.at(g.n - 1)
	at := func(x int64) (float64, float64) {
		if d := x - newest.t; d >= 0 {
			return newest.busy + quietRate*float64(d), newest.total + totalRate*float64(d)
		}
		b, tot, _ := g.interp(x)
		return b, tot
	}
	bEnd, tEnd := at(newest.t + t)
	bw, tw := at(newest.t + t - g.window)
	bp, tp := at(newest.t + t - g.poll)
	return (bEnd-bw)*g.winDen - (tEnd-tw)*g.winNum, (bEnd-bp)*g.pollDen - (tEnd-tp)*g.pollNum
}

// nonPositive is where, on [0, 1], the line from a (at 0) to b (at 1) is <= 0.
func nonPositive(a, b float64) (lo, hi float64, ok bool) {
	switch {
	case a <= 0 && b <= 0:
		return 0, 1, true
	case a <= 0:
		return 0, a / (a - b), true
	case b <= 0:
		return a / (a - b), 1, true
	}
	return 0, 0, false
}

// nextBreak is the first t > lo at which a span starting at base+t reaches a stored point; the
// window when none is left (the span then starts in the extrapolated future).
func (g *Gate) nextBreak(base, lo int64) int64 {
	x := base + lo
	if x >= g.at(g.n-1).t {
		return g.window
	}
	i, j := 0, g.n-1 // the first point after x is in (i, j]
	if g.at(0).t > x {
		j = 0
	}
	for j-i > 1 {
		mid := (i + j) / 2
		if g.at(mid).t <= x {
			i = mid
		} else {
			j = mid
		}
	}
	return min(g.at(j).t-base, g.window)
}

// Summary is the gate in one line for the TUI and the CLI, for example
// "quiet 1m40s of 2m · busy 0.31% of 0.5% (wsldash 0.02%) · next: reclaim 512 MiB within 20 s".
func (s GateState) Summary() string {
	var b strings.Builder
	win := time.Duration(s.WindowSeconds) * time.Second
	switch s.State {
	case GateUnknown:
		b.WriteString("reclaim gate: waiting for CPU readings")
	case GateIdle:
		fmt.Fprintf(&b, "idle (quiet %s, window %s)", gateDur(s.QuietSeconds), shortDur(win))
	default:
		if s.State == GateDisabled {
			b.WriteString("reclaim disabled · ")
		}
		if s.QuietSeconds != nil && *s.QuietSeconds >= win.Seconds() {
			// The window is quiet; the last poll interval is what blocks.
			fmt.Fprintf(&b, "quiet %s (window %s)", gateDur(s.QuietSeconds), shortDur(win))
		} else {
			fmt.Fprintf(&b, "quiet %s of %s", gateDur(s.QuietSeconds), shortDur(win))
		}
		if s.State == GateSettling {
			b.WriteString(" (settling)")
		}
	}
	if s.WindowBusyPercent != nil {
		fmt.Fprintf(&b, " · busy %.2f%% of %.3g%%", *s.WindowBusyPercent, s.WindowThresholdPercent)
		if s.SelfPercent != nil {
			fmt.Fprintf(&b, " (wsldash %.2f%%)", *s.SelfPercent)
		}
	}
	if s.BlockedBy == "poll" && s.BusyPercent != nil {
		fmt.Fprintf(&b, " · last %s %.2f%% of %.3g%%", shortDur(time.Duration(s.PollSeconds)*time.Second), *s.BusyPercent, s.ThresholdPercent)
	}
	if s.SelfBlocks {
		b.WriteString(" · blocked by wsldash itself")
	}
	if s.State != GateUnknown {
		fmt.Fprintf(&b, " · next: %s", s.NextAction)
		if s.NextInSeconds != nil {
			fmt.Fprintf(&b, " within %s", shortDur(time.Duration(math.Ceil(*s.NextInSeconds))*time.Second))
		}
	}
	return b.String()
}

func gateDur(sec *float64) string {
	if sec == nil {
		return "?"
	}
	return shortDur(time.Duration(*sec) * time.Second)
}

// shortDur is "45 s", "1m40s", "2m", "1h5m".
func shortDur(d time.Duration) string {
	d = d.Truncate(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < time.Hour:
		m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
		if s == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%02ds", m, s)
	default:
		return fmt.Sprintf("%dh%dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
}
