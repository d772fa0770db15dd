package reclaim

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Line numbers are WSL's src/linux/init/util.cpp at tag 2.9.4 ("2.9.4:") and at 3e27a6a50
// ("HEAD:"), as in gate.go's comment.

var gateStart = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// fakeVM is a VM's /proc/stat (USER_HZ 100) and meminfo, advanced by hand.
type fakeVM struct {
	at   time.Duration // since gateStart
	cpus uint64
	c    backend.CPUCounters
	self uint64
	// noSelf makes SelfTicks unknown.
	noSelf bool
	mem    backend.GuestMemory
}

func newVM(cpus int) *fakeVM {
	fc := uint64(2 * gib)
	return &fakeVM{
		cpus: uint64(cpus),
		// Counters since boot: not zero, so a reset is a fall.
		c: backend.CPUCounters{User: 90000, Nice: 10, System: 30000, Idle: 5000000, IOWait: 500, IRQ: 20, SoftIRQ: 300, CPUs: cpus},
		mem: backend.GuestMemory{TotalBytes: 8 * gib, UsedBytes: 2 * gib, CacheBytes: 3 * gib, FreeBytes: 3 * gib,
			ShmemBytes: 100 * mib, DirtyBytes: 4 * mib, FileCacheBytes: &fc},
	}
}

func (v *fakeVM) sample() backend.Sample {
	s := backend.Sample{Time: gateStart.Add(v.at), Guest: v.mem}
	c := v.c
	s.CPU = &c
	if !v.noSelf {
		self := v.self
		s.SelfTicks = &self
	}
	return s
}

// step advances the VM by dt, in which it used user and system ticks (self of them wsldash's),
// and returns the sample at the end.
func (v *fakeVM) step(t *testing.T, dt time.Duration, user, system, self uint64) backend.Sample {
	ticks := v.cpus * 100 * uint64(dt/time.Millisecond) / 1000
	if user+system > ticks {
		t.Fatalf("step: %d busy ticks in %v on %d CPUs", user+system, dt, v.cpus)
	}
	v.at += dt
	v.c.User += user
	v.c.System += system
	v.c.Idle += ticks - user - system
	v.self += self
	return v.sample()
}

// quiet feeds the gate secs seconds of an idle VM at 1 s samples.
func (v *fakeVM) quiet(t *testing.T, g *Gate, secs int) {
	for range secs {
		g.Add(v.step(t, time.Second, 0, 0, 0))
	}
}

func near(p *float64, want float64) bool { return p != nil && math.Abs(*p-want) < 0.01 }

func fmtp[T any](p *T) string {
	if p == nil {
		return "null"
	}
	b, _ := json.Marshal(*p)
	return string(b)
}

// TestGateIdleWhenTheSourceSays: a quiet VM passes the gate exactly when the window is full.
func TestGateIdleWhenTheSourceSays(t *testing.T) {
	cases := []struct {
		name   string
		rule   GateRule
		mode   backend.ReclaimMode
		window int // seconds
		poll   float64
		why    string
	}{
		{"current dropcache", RuleCurrent, backend.ReclaimDropCache, 120, 10,
			"HEAD:3581 c_windowIntervals = 12, HEAD:3837 10 s polls, HEAD:3561 WindowIdle needs 12 samples"},
		{"current gradual", RuleCurrent, backend.ReclaimGradual, 120, 10, "HEAD: same window for every mode"},
		{"legacy dropcache", RuleLegacy, backend.ReclaimDropCache, 600, 30,
			"2.9.4:3639 20 slots, 2.9.4:3636 30 s, 2.9.4:3661 LLONG_MIN until filled"},
		{"legacy gradual", RuleLegacy, backend.ReclaimGradual, 180, 30, "2.9.4:3656 ReclaimWindowLength = 6"},
		{"legacy unset mode is dropcache", RuleLegacy, "", 600, 30, "WslCoreConfig.h 2.9.4:366 default DropCache"},
	}
	for _, tc := range cases {
		for _, cadence := range []time.Duration{time.Second, 10 * time.Second} {
			t.Run(tc.name+"/"+cadence.String(), func(t *testing.T) {
				g := NewGate(tc.rule, tc.mode)
				v := newVM(4)
				g.Add(v.sample())
				if st := g.State(); st.State != GateUnknown {
					t.Fatalf("one sample: %q, want unknown", st.State)
				}
				steps := int(time.Duration(tc.window)*time.Second/cadence) - 1
				for range steps {
					g.Add(v.step(t, cadence, 0, 0, 0))
				}
				st := g.State()
				// One cadence short of the window: settling, due once it fills, within a poll.
				left := cadence.Seconds()
				if st.State != GateSettling || !near(st.NextInSeconds, left+tc.poll) || !near(st.QuietSeconds, float64(tc.window)-left) {
					t.Fatalf("%v short of the window: %s next in %s quiet %s, want settling next in %v (%s)",
						cadence, st.State, fmtp(st.NextInSeconds), fmtp(st.QuietSeconds), left+tc.poll, tc.why)
				}
				g.Add(v.step(t, cadence, 0, 0, 0))
				st = g.State()
				if st.State != GateIdle || st.WindowSeconds != tc.window || !near(st.NextInSeconds, tc.poll) || *st.NextInSeconds > float64(st.PollSeconds) {
					t.Fatalf("window full: %s window %d next in %s, want idle %d within %v s (%s)",
						st.State, st.WindowSeconds, fmtp(st.NextInSeconds), tc.window, tc.poll, tc.why)
				}
				if !near(st.BusyPercent, 0) || !near(st.WindowBusyPercent, 0) || !near(st.SelfPercent, 0) {
					t.Errorf("quiet VM: busy %s window %s self %s", fmtp(st.BusyPercent), fmtp(st.WindowBusyPercent), fmtp(st.SelfPercent))
				}
			})
		}
	}
}

// TestGateIrregularSamples: gaps and a mixed cadence change nothing for a quiet VM: the window
// is full at 120 s whatever lies between.
func TestGateIrregularSamples(t *testing.T) {
	g := NewGate(RuleCurrent, backend.ReclaimDropCache)
	v := newVM(2)
	g.Add(v.sample())
	for _, dt := range []int{1, 1, 25, 1, 10, 10, 3, 40, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10, 1, 1, 1, 2} { // 119 s
		g.Add(v.step(t, time.Duration(dt)*time.Second, 0, 0, 0))
	}
	if st := g.State(); st.State != GateSettling {
		t.Fatalf("at 119 s: %s", st.State)
	}
	g.Add(v.step(t, 3*time.Second, 0, 0, 0))
	if st := g.State(); st.State != GateIdle {
		t.Fatalf("at 122 s: %s", st.State)
	}
}

// TestGateThresholds: the comparisons' exact edges and what each rule counts.
func TestGateThresholds(t *testing.T) {
	cases := []struct {
		name    string
		rule    GateRule
		mode    backend.ReclaimMode
		secs    int // of 1 s samples, from a fresh gate
		load    func(i int) (user, system uint64)
		state   string
		blocked string
		why     string
	}{
		{"current: exactly 0.5% is idle", RuleCurrent, backend.ReclaimDropCache, 300,
			func(int) (uint64, uint64) { return 1, 0 }, // 1 tick/s of 200
			GateIdle, "", "HEAD:3578 Busy * 1000 <= Total * 5"},
		{"current: one tick more is busy", RuleCurrent, backend.ReclaimDropCache, 300,
			func(i int) (uint64, uint64) { return 1 + b2u(i == 250), 0 },
			GateBusy, "window", "HEAD:3578: 121*1000 > 24000*5"},
		{"current: system time counts", RuleCurrent, backend.ReclaimDropCache, 300,
			func(int) (uint64, uint64) { return 0, 2 },
			GateBusy, "window", "HEAD:3659 busy includes system"},
		{"legacy: system time does not count", RuleLegacy, backend.ReclaimDropCache, 700,
			func(int) (uint64, uint64) { return 0, 10 },
			GateIdle, "", "2.9.4:3508 GetUserCpuTime reads the user counter only"},
		{"legacy: exactly 0.5% over 30 s is busy", RuleLegacy, backend.ReclaimDropCache, 700,
			func(int) (uint64, uint64) { return 1, 0 }, // 30 ticks per 30 s, T = 2*100*30/200 = 30
			GateBusy, "poll", "2.9.4:3679 strict: W[ReclaimIndex] > Start - T"},
		{"legacy: a window of 629 < T*21 is idle", RuleLegacy, backend.ReclaimDropCache, 1000,
			func(i int) (uint64, uint64) { return burst(i, 450, 629), 0 },
			GateIdle, "", "2.9.4:3678 window < T*(L+1) = 30*21 = 630"},
		{"legacy: a window of 630 = T*21 is busy", RuleLegacy, backend.ReclaimDropCache, 1000,
			func(i int) (uint64, uint64) { return burst(i, 450, 630), 0 },
			GateBusy, "window", "2.9.4:3678 strict"},
		{"legacy gradual: 6 polls allow T*7", RuleLegacy, backend.ReclaimGradual, 1000,
			func(i int) (uint64, uint64) { return burst(i, 900, 209), 0 },
			GateIdle, "", "2.9.4:3656, 3678: 209 < 30*7 = 210 over 180 s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGate(tc.rule, tc.mode)
			v := newVM(2)
			g.Add(v.sample())
			for i := 1; i <= tc.secs; i++ {
				u, s := tc.load(i)
				g.Add(v.step(t, time.Second, u, s, 0))
			}
			st := g.State()
			if st.State != tc.state || st.BlockedBy != tc.blocked {
				t.Fatalf("%s blocked by %q (busy %s, window %s), want %s %q: %s", st.State, st.BlockedBy,
					fmtp(st.BusyPercent), fmtp(st.WindowBusyPercent), tc.state, tc.blocked, tc.why)
			}
		})
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// burst spreads n ticks over the four seconds from second at (at most 200 a second on 2 CPUs).
func burst(i, at int, n uint64) uint64 {
	if i < at || i >= at+4 {
		return 0
	}
	part := n / 4
	if i == at {
		part += n % 4
	}
	return part
}

// TestGateBursts: how a burst after a long quiet spell closes the gate, for how long, and
// whether it ends the idle period (and so the once-per-period drop).
func TestGateBursts(t *testing.T) {
	type check struct {
		at      int // seconds after the burst began
		state   string
		blocked string
		action  string
		nextIn  float64 // -1: null
	}
	cases := []struct {
		name   string
		rule   GateRule
		quiet  int    // seconds before the burst
		ticks  uint64 // user ticks in the burst, over 2 s
		checks []check
		why    string
	}{
		{"current: a short burst blocks only the poll", RuleCurrent, 300, 50, []check{
			{0, GateIdle, "", "nothing until the VM is busy again: dropped once this idle period", -1},
			{1, GateBusy, "poll", "nothing until the VM is busy again: dropped once this idle period", -1},
			{11, GateBusy, "poll", "nothing until the VM is busy again: dropped once this idle period", -1},
			{12, GateIdle, "", "nothing until the VM is busy again: dropped once this idle period", -1},
		}, "HEAD:3918 a short burst blocks this tick only; droppedThisIdlePeriod is kept"},
		{"current: a long burst fills the window", RuleCurrent, 300, 200, []check{
			{1, GateBusy, "poll", "nothing until the VM is busy again: dropped once this idle period", -1},
			// 200 ticks at 100/s over [0, 2]: the window holds <= 120 once it starts past 0.8 s.
			{2, GateBusy, "window", "drop the page cache and slab", 120.8 - 2 + 10},
			{120, GateBusy, "window", "drop the page cache and slab", 0.8 + 10},
			{121, GateIdle, "", "drop the page cache and slab", 10},
			{131, GateIdle, "", "nothing until the VM is busy again: dropped once this idle period", -1},
		}, "HEAD:3907-3911 not WindowIdle ends the period"},
		{"legacy: any busy poll ends the period", RuleLegacy, 700, 40, []check{
			{0, GateIdle, "", "nothing until the VM is busy again: dropped once this idle period", -1},
			// 40 ticks over [0, 2] (20/s): the 30 s span holds < 30 once it starts past 0.5 s.
			{2, GateBusy, "poll", "drop the page cache", 30.5 - 2 + 30},
			{30, GateBusy, "poll", "drop the page cache", 0.5 + 30},
			{31, GateIdle, "", "drop the page cache", 30},
			{61, GateIdle, "", "nothing until the VM is busy again: dropped once this idle period", -1},
		}, "2.9.4:3712 ReclaimIdling = false at any poll that is not idle"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGate(tc.rule, backend.ReclaimDropCache)
			v := newVM(2)
			g.Add(v.sample())
			v.quiet(t, g, tc.quiet)
			ci := 0
			for sec := 0; ci < len(tc.checks); sec++ {
				if sec > 0 {
					var u uint64
					if sec <= 2 {
						u = tc.ticks / 2
					}
					g.Add(v.step(t, time.Second, u, 0, 0))
				}
				c := tc.checks[ci]
				if c.at != sec {
					continue
				}
				ci++
				st := g.State()
				okNext := c.nextIn < 0 && st.NextInSeconds == nil || c.nextIn >= 0 && near(st.NextInSeconds, c.nextIn)
				if st.State != c.state || st.BlockedBy != c.blocked || st.NextAction != c.action || !okNext {
					t.Errorf("%d s after: %s %q %q next in %s; want %s %q %q %v (%s)", sec, st.State, st.BlockedBy,
						st.NextAction, fmtp(st.NextInSeconds), c.state, c.blocked, c.action, c.nextIn, tc.why)
				}
			}
		})
	}
}

// TestGateSelf: wsldash's own share, and when it alone keeps the gate shut.
func TestGateSelf(t *testing.T) {
	cases := []struct {
		name         string
		rule         GateRule
		busy, self   uint64 // ticks per 10 s on 2 CPUs (2000 ticks): 1 tick = 0.05%
		noSelf       bool
		state        string
		selfPct      float64 // -1: null
		selfBlocks   bool
		nextIn       float64 // -1: null
		nextInReason string
	}{
		{"current: wsldash tips it", RuleCurrent, 12, 4, false, GateBusy, 0.2, true,
			30 + 10, "0.6%(120-t) + 0.2%t <= 0.5%*120 from t = 30 s, plus a poll"},
		{"current: busy without wsldash", RuleCurrent, 12, 1, false, GateBusy, 0.05, false,
			24/1.1 + 10, "1.2 ticks/s (120-t) + 0.1 ticks/s t <= 120 from t = 24/1.1 s"},
		{"current: wsldash alone is over", RuleCurrent, 12, 12, false, GateBusy, 0.6, true,
			-1, "wsldash's own 0.6% never goes"},
		{"current: idle with wsldash", RuleCurrent, 8, 4, false, GateIdle, 0.2, false, 10, "within a poll"},
		{"current: self unknown", RuleCurrent, 12, 4, true, GateBusy, -1, false,
			20 + 10, "assumed all quiet: 0.6%(120-t) <= 0.5%*120 from t = 20 s"},
		{"legacy: wsldash tips it", RuleLegacy, 12, 4, false, GateBusy, 0.2, true,
			-1, "checked below"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// gradual: an action at every idle poll, so NextInSeconds is never null for it.
			g := NewGate(tc.rule, backend.ReclaimGradual)
			v := newVM(2)
			v.noSelf = tc.noSelf
			g.Add(v.sample())
			for range 70 { // 700 s
				g.Add(v.step(t, 10*time.Second, tc.busy, 0, tc.self))
			}
			st := g.State()
			if st.State != tc.state || st.SelfBlocks != tc.selfBlocks {
				t.Fatalf("%s self blocks %v, want %s %v", st.State, st.SelfBlocks, tc.state, tc.selfBlocks)
			}
			if tc.selfPct < 0 && st.SelfPercent != nil || tc.selfPct >= 0 && !near(st.SelfPercent, tc.selfPct) {
				t.Errorf("self %s, want %v", fmtp(st.SelfPercent), tc.selfPct)
			}
			if tc.rule == RuleCurrent {
				if tc.nextIn < 0 && st.NextInSeconds != nil || tc.nextIn >= 0 && !near(st.NextInSeconds, tc.nextIn) {
					t.Errorf("next in %s, want %v: %s", fmtp(st.NextInSeconds), tc.nextIn, tc.nextInReason)
				}
			}
		})
	}
}

// TestGateQuietSeconds: the progress figure while settling, after a burst and once idle.
func TestGateQuietSeconds(t *testing.T) {
	g := NewGate(RuleCurrent, backend.ReclaimGradual)
	v := newVM(2)
	g.Add(v.sample())
	v.quiet(t, g, 100)
	if st := g.State(); !near(st.QuietSeconds, 100) {
		t.Errorf("settling 100 s: quiet %s", fmtp(st.QuietSeconds))
	}
	g.Add(v.step(t, time.Second, 150, 0, 0)) // over the whole window's allowance
	v.quiet(t, g, 40)
	st := g.State()
	if st.State != GateBusy || !near(st.QuietSeconds, 40) {
		t.Errorf("40 s after a big burst: %s quiet %s, want busy 40", st.State, fmtp(st.QuietSeconds))
	}
	v.quiet(t, g, 200)
	st = g.State()
	// 150 ticks in [100, 101]: the window holds <= 120 of them from 220.2 s, so the first
	// sample after, at 221 s, is idle: 120 s of window plus 341-221 s idle.
	if st.State != GateIdle || !near(st.QuietSeconds, 240) {
		t.Errorf("240 s after: %s quiet %s, want idle 240", st.State, fmtp(st.QuietSeconds))
	}
}

// TestGateResets: counters going backwards (the VM restarted) or the clock going back start the
// history again, with the idle period (HEAD:3891-3898; at 2.9.4 the thread restarts with the VM).
func TestGateResets(t *testing.T) {
	for _, rule := range []GateRule{RuleLegacy, RuleCurrent} {
		for _, how := range []string{"counters", "clock"} {
			t.Run(string(rule)+"/"+how, func(t *testing.T) {
				g := NewGate(rule, backend.ReclaimDropCache)
				v := newVM(2)
				g.Add(v.sample())
				v.quiet(t, g, 700)
				if st := g.State(); st.State != GateIdle || !strings.HasPrefix(st.NextAction, "nothing until") {
					t.Fatalf("before: %s %q", st.State, st.NextAction)
				}
				switch how {
				case "counters":
					v.c = backend.CPUCounters{User: 500, System: 200, Idle: 9000, CPUs: 2}
					v.self = 3
					g.Add(v.step(t, time.Second, 0, 0, 0))
				case "clock":
					v.at -= time.Hour
					g.Add(v.step(t, time.Second, 0, 0, 0))
				}
				if st := g.State(); st.State != GateUnknown || st.BusyPercent != nil {
					t.Fatalf("after the reset: %s busy %s, want unknown", st.State, fmtp(st.BusyPercent))
				}
				v.quiet(t, g, 5)
				st := g.State()
				if st.State != GateSettling || !near(st.QuietSeconds, 5) || strings.HasPrefix(st.NextAction, "nothing") {
					t.Fatalf("5 s after the reset: %s quiet %s %q", st.State, fmtp(st.QuietSeconds), st.NextAction)
				}
			})
		}
	}
}

func TestGateIgnoresSamplesWithoutCPU(t *testing.T) {
	g := NewGate(RuleCurrent, backend.ReclaimDropCache)
	v := newVM(2)
	g.Add(v.sample())
	s := v.step(t, time.Second, 0, 0, 0)
	s.CPU = nil
	g.Add(s)
	if st := g.State(); st.State != GateUnknown {
		t.Fatalf("a sample without CPU counted: %s", st.State)
	}
}

func TestGateDisabled(t *testing.T) {
	for _, rule := range []GateRule{RuleLegacy, RuleCurrent} {
		g := NewGate(rule, backend.ReclaimDisabled)
		if st := g.State(); st.State != GateDisabled {
			t.Errorf("%s empty: %s", rule, st.State)
		}
		v := newVM(2)
		g.Add(v.sample())
		v.quiet(t, g, 700)
		st := g.State()
		if st.State != GateDisabled || st.NextInSeconds != nil || st.NextBytes != nil || st.BusyPercent == nil ||
			st.NextAction != "nothing: autoMemoryReclaim is disabled" {
			t.Errorf("%s: %+v", rule, st)
		}
	}
}

// TestGateNextAction: what each mode does next, and how much.
func TestGateNextAction(t *testing.T) {
	fc := func(v uint64) *uint64 { return &v }
	legacyStep := func(inUse float64) uint64 { return uint64(inUse - inUse*0.97) } // 2.9.4:3693-3694
	cases := []struct {
		name   string
		rule   GateRule
		mode   backend.ReclaimMode
		mem    backend.GuestMemory
		action string
		bytes  int64 // -1: null
		nextIn bool
		secs   int // of quiet; 0: just the window, so that nothing has happened yet
	}{
		{"legacy dropcache", RuleLegacy, backend.ReclaimDropCache,
			backend.GuestMemory{TotalBytes: 8 * gib, CacheBytes: 3 * gib, ShmemBytes: 100 * mib, DirtyBytes: 4 * mib},
			"drop the page cache", 3*gib - 104*mib, true, 0},
		{"current dropcache", RuleCurrent, backend.ReclaimDropCache,
			backend.GuestMemory{TotalBytes: 8 * gib, CacheBytes: 3 * gib},
			"drop the page cache and slab", 3 * gib, true, 0},
		{"dropcache, memory unknown", RuleCurrent, backend.ReclaimDropCache,
			backend.GuestMemory{}, "drop the page cache and slab", -1, true, 0},
		{"legacy gradual 4 GiB in use", RuleLegacy, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 8 * gib, FreeBytes: 4 * gib},
			"reclaim 123 MiB (gradual, 3% of the memory in use)", int64(legacyStep(4 * gib)), true, 0},
		{"legacy gradual under 1 GiB in use", RuleLegacy, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 8 * gib, FreeBytes: 7*gib + 100*mib},
			"nothing: memory in use is under 1 GiB", -1, false, 0},
		{"legacy gradual, step under 1 GiB: ReclaimIdling", RuleLegacy, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 8 * gib, FreeBytes: 7*gib - 20*mib},
			"nothing until memory in use passes 1.1 GiB or the VM is busy again", -1, false, 300},
		{"current gradual 8 GiB: step 256 MiB", RuleCurrent, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 8 * gib, FileCacheBytes: fc(2 * gib)},
			"reclaim 256 MiB (gradual)", 256 * mib, true, 0},
		{"current gradual 64 GiB: step clamped to 1 GiB", RuleCurrent, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 64 * gib, FileCacheBytes: fc(10 * gib)},
			"reclaim 1.0 GiB (gradual)", gib, true, 0},
		{"current gradual 4 GiB: step raised to 256 MiB", RuleCurrent, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 4 * gib, FileCacheBytes: fc(2 * gib)},
			"reclaim 256 MiB (gradual)", 256 * mib, true, 0},
		{"current gradual: the last step above the floor", RuleCurrent, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 16 * gib, FileCacheBytes: fc(300 * mib)},
			"reclaim 172 MiB (gradual)", 172 * mib, true, 0},
		{"current gradual at the floor", RuleCurrent, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 16 * gib, FileCacheBytes: fc(128 * mib)},
			"nothing: the file cache is at the 128 MiB floor", -1, false, 0},
		{"current gradual, file cache unknown", RuleCurrent, backend.ReclaimGradual,
			backend.GuestMemory{TotalBytes: 16 * gib},
			"reclaim the file cache above 128 MiB, a step at a time (gradual)", -1, true, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGate(tc.rule, tc.mode)
			v := newVM(2)
			v.mem = tc.mem
			g.Add(v.sample())
			if tc.secs == 0 {
				tc.secs = g.State().WindowSeconds
			}
			v.quiet(t, g, tc.secs)
			st := g.State()
			if st.State != GateIdle || st.NextAction != tc.action ||
				(tc.bytes < 0) != (st.NextBytes == nil) || tc.bytes >= 0 && *st.NextBytes != uint64(tc.bytes) ||
				(st.NextInSeconds != nil) != tc.nextIn {
				t.Errorf("%s %q bytes %s next in %s; want idle %q %d next %v", st.State, st.NextAction,
					fmtp(st.NextBytes), fmtp(st.NextInSeconds), tc.action, tc.bytes, tc.nextIn)
			}
		})
	}
}

// TestGateLegacyGradualResumes: ReclaimIdling ends when in-use passes 1.1 GiB (2.9.4:3686).
func TestGateLegacyGradualResumes(t *testing.T) {
	g := NewGate(RuleLegacy, backend.ReclaimGradual)
	v := newVM(2)
	v.mem = backend.GuestMemory{TotalBytes: 8 * gib, FreeBytes: 7*gib - 20*mib} // 1044 MiB: *0.97 < 1 GiB
	g.Add(v.sample())
	v.quiet(t, g, 300)
	if st := g.State(); !strings.HasPrefix(st.NextAction, "nothing until memory") {
		t.Fatalf("at 1.05 GiB: %q", st.NextAction)
	}
	v.mem.FreeBytes = 7*gib - 200*mib // 1.2 GiB in use
	g.Add(v.step(t, time.Second, 0, 0, 0))
	if st := g.State(); !strings.HasPrefix(st.NextAction, "reclaim 37 MiB") {
		t.Fatalf("at 1.2 GiB: %q", st.NextAction)
	}
}

// TestGateBoundedHistory: samples far faster than the dashboard's are thinned, not allowed to
// push the window's start out of the history.
func TestGateBoundedHistory(t *testing.T) {
	g := NewGate(RuleLegacy, backend.ReclaimDropCache)
	v := newVM(8)
	g.Add(v.sample())
	for range 100 * 900 { // 15 min at 10 ms
		g.Add(v.step(t, 10*time.Millisecond, 0, 0, 0))
		if g.n > gateCap {
			t.Fatalf("%d points", g.n)
		}
	}
	if st := g.State(); st.State != GateIdle {
		t.Fatalf("after 15 min: %s (%d points)", st.State, g.n)
	}
	if g.n > 800 {
		t.Errorf("%d points for a 10 min window", g.n)
	}
}

func TestRuleFor(t *testing.T) {
	cases := []struct {
		version string
		rule    GateRule
		reason  string
	}{
		{"2.9.4.0", RuleLegacy, "WSL 2.9.4.0 is installed: the released rule"},
		{"2.9.4", RuleLegacy, "WSL 2.9.4 is installed: the released rule"},
		{"2.6.1", RuleLegacy, "WSL 2.6.1 is installed: the released rule"},
		{"1.2.5.0", RuleLegacy, "WSL 1.2.5.0 is installed: older than 2.0"},
		{"3.0.2", RuleCurrent, "WSL 3.0.2 is installed: the rule after 2.9.4"},
		{"2.10.0", RuleCurrent, "WSL 2.10.0 is installed: the rule after 2.9.4"},
		{" v3.1.0.0\r\n", RuleCurrent, "WSL 3.1.0.0 is installed"},
		{"", RuleLegacy, "WSL's version is unknown: assuming the released rule"},
		{"preview", RuleLegacy, `WSL's version "preview" is not understood: assuming the released rule`},
		{"3", RuleLegacy, "not understood"},
	}
	for _, tc := range cases {
		rule, reason := RuleFor(tc.version)
		if rule != tc.rule || !strings.Contains(reason, tc.reason) {
			t.Errorf("RuleFor(%q) = %s, %q; want %s, %q", tc.version, rule, reason, tc.rule, tc.reason)
		}
	}
	g := NewGateForVersion("3.0.2", "")
	if st := g.State(); st.Rule != RuleCurrent || st.Mode != backend.ReclaimDropCache || !strings.HasPrefix(st.RuleReason, "WSL 3.0.2") {
		t.Errorf("NewGateForVersion: %+v", st)
	}
}

func TestGateStateJSON(t *testing.T) {
	g := NewGate(RuleCurrent, backend.ReclaimGradual)
	v := newVM(2)
	v.noSelf = true
	v.mem.FileCacheBytes = nil
	g.Add(v.sample())
	v.quiet(t, g, 30)
	b, err := json.Marshal(g.State())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"state":"settling"`, `"self_percent":null`, `"next_bytes":null`, `"poll_seconds":10`,
		`"window_seconds":120`, `"threshold_percent":0.5`, `"quiet_seconds":30`, `"next_in_seconds":100`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %s in %s", want, b)
		}
	}
}

func TestGateSummary(t *testing.T) {
	g := NewGate(RuleCurrent, backend.ReclaimGradual)
	v := newVM(2)
	g.Add(v.sample())
	for range 100 {
		tick := b2u(v.at%(10*time.Second) == 0) // wsldash: 1 tick each 10 s, 0.05% of 2 CPUs
		g.Add(v.step(t, time.Second, tick, 0, tick))
	}
	want := "quiet 1m40s of 2m (settling) · busy 0.05% of 0.5% (wsldash 0.05%) · next: reclaim 256 MiB (gradual) within 30 s"
	if got := g.State().Summary(); got != want {
		t.Errorf("settling:\n got %s\nwant %s", got, want)
	}
	for range 130 {
		g.Add(v.step(t, time.Second, 0, 0, 0))
	}
	want = "idle (quiet 3m50s, window 2m) · busy 0.00% of 0.5% (wsldash 0.00%) · next: reclaim 256 MiB (gradual) within 10 s"
	if got := g.State().Summary(); got != want {
		t.Errorf("idle:\n got %s\nwant %s", got, want)
	}
	// A burst: the window stays quiet, the last poll interval blocks.
	g.Add(v.step(t, time.Second, 30, 0, 0))
	want = "quiet 3m51s (window 2m) · busy 0.12% of 0.5% (wsldash 0.00%) · last 10 s 1.50% of 0.5% · next: reclaim 256 MiB (gradual) within 20 s"
	if got := g.State().Summary(); got != want {
		t.Errorf("burst:\n got %s\nwant %s", got, want)
	}
	if got := NewGate(RuleLegacy, "").State().Summary(); got != "reclaim gate: waiting for CPU readings" {
		t.Errorf("empty: %s", got)
	}
}

// FuzzGate feeds random sample sequences: the gate never panics and its figures stay in range.
// The input's first byte picks the rule (bit 0), the mode (bits 1-2) and the CPUs (bits 3-5);
// then 5 bytes a sample: the time step (500 ms units; 255 = a 5 min gap, 254 = 1 s back), user
// and system ticks, flags (bit 0: no CPU, 1: no self ticks, 2: counters reset, 3: no file cache,
// 4: no guest memory) and wsldash's ticks.
func FuzzGate(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0})
	seed := []byte{3 << 1}
	for i := range 300 {
		seed = append(seed, 20, byte(i%3), 0, 0, byte(i%2))
	}
	f.Add(seed)
	f.Add(append([]byte{1 | 2<<1}, seed[1:]...))
	f.Add([]byte{9, 255, 200, 200, 0, 9, 254, 1, 1, 4, 1, 1, 0, 0, 2, 0, 0, 0, 0, 1, 0, 3, 0, 0, 24, 200})
	modes := []backend.ReclaimMode{backend.ReclaimDropCache, backend.ReclaimGradual, backend.ReclaimDisabled, ""}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		rule := RuleLegacy
		if b[0]&1 != 0 {
			rule = RuleCurrent
		}
		g := NewGate(rule, modes[b[0]>>1&3])
		cpus := uint64(b[0]>>3&7) + 1
		at := gateStart
		c := backend.CPUCounters{User: 1000, Idle: 100000, CPUs: int(cpus)}
		var self uint64
		check := func() {
			st := g.State()
			for name, p := range map[string]*float64{"busy": st.BusyPercent, "window": st.WindowBusyPercent, "self": st.SelfPercent} {
				if p != nil && (*p < 0 || *p > 100 || math.IsNaN(*p)) {
					t.Fatalf("%s percent %v", name, *p)
				}
			}
			if p := st.NextInSeconds; p != nil && (*p < 0 || math.IsNaN(*p) || *p > float64(st.WindowSeconds+st.PollSeconds)+1e-6) {
				t.Fatalf("next in %v", *p)
			}
			if p := st.QuietSeconds; p != nil && (*p < 0 || math.IsNaN(*p)) {
				t.Fatalf("quiet %v", *p)
			}
			switch st.State {
			case GateIdle, GateSettling, GateBusy, GateDisabled, GateUnknown:
			default:
				t.Fatalf("state %q", st.State)
			}
			if (st.BlockedBy != "") != (st.State == GateBusy) || st.SelfBlocks && st.State != GateBusy {
				t.Fatalf("%s blocked by %q self %v", st.State, st.BlockedBy, st.SelfBlocks)
			}
			_ = st.Summary()
		}
		for b = b[1:]; len(b) >= 5; b = b[5:] {
			var dt time.Duration
			switch b[0] {
			case 255:
				dt = 5 * time.Minute
			case 254:
				dt = -time.Second
			default:
				dt = time.Duration(b[0]) * 500 * time.Millisecond
			}
			at = at.Add(dt)
			user, sys := uint64(b[1]), uint64(b[2])
			flags := b[3]
			if flags&4 != 0 {
				c = backend.CPUCounters{CPUs: int(cpus)}
			}
			c.User += user
			c.System += sys
			if ticks := cpus * 100 * uint64(max(dt, 0)/time.Millisecond) / 1000; ticks > user+sys {
				c.Idle += ticks - user - sys
			}
			self += uint64(b[4])
			s := backend.Sample{Time: at}
			if flags&16 == 0 {
				fc := uint64(b[4]) << 24
				s.Guest = backend.GuestMemory{TotalBytes: 4 * gib, FreeBytes: uint64(b[1]) << 24, CacheBytes: uint64(b[2]) << 24}
				if flags&8 == 0 {
					s.Guest.FileCacheBytes = &fc
				}
			}
			if flags&1 == 0 {
				cc := c
				s.CPU = &cc
			}
			if flags&2 == 0 {
				sv := self
				s.SelfTicks = &sv
			}
			g.Add(s)
			check()
		}
	})
}

// BenchmarkGateAdd is the dashboard's per-second work: Add and State with a full 10 min window
// of 1 s samples, on an idle VM and on a busy one (where State also measures the quiet tail and
// estimates when the gate opens).
func BenchmarkGateAdd(b *testing.B) {
	for _, tc := range []struct {
		name string
		user uint64 // per second, on 4 CPUs (400 ticks)
	}{{"idle", 1}, {"busy", 4}} {
		b.Run(tc.name, func(b *testing.B) {
			g := NewGate(RuleLegacy, backend.ReclaimDropCache)
			c := backend.CPUCounters{User: 1000, System: 500, Idle: 100000, CPUs: 4}
			self := uint64(10)
			s := backend.Sample{Time: gateStart, Guest: backend.GuestMemory{TotalBytes: 8 * gib, CacheBytes: 3 * gib}, CPU: &c, SelfTicks: &self}
			add := func(i int) {
				s.Time = s.Time.Add(time.Second)
				u := tc.user + uint64(i%3) - 1
				c.User += u
				c.System += uint64(i % 2)
				c.Idle += 400 - u - uint64(i%2)
				self += uint64(i % 2)
				g.Add(s)
			}
			for i := range 700 {
				add(i)
			}
			if st := g.State(); st.State != tc.name {
				b.Fatalf("state %s", st.State)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				add(i)
				_ = g.State()
				i++
			}
		})
	}
}
