package procfs

import (
	"bytes"
	"math"

	"github.com/wsldash/wsldash/backend"
)

// CPUTimes is one "cpu" line of /proc/stat, in clock ticks (USER_HZ). Guest time is not a
// field: the kernel already counts it in User and Nice.
type CPUTimes struct{ User, Nice, System, Idle, IOWait, IRQ, SoftIRQ, Steal uint64 }

// Total is the sum of all fields (wrapping only on nonsense input).
func (c CPUTimes) Total() uint64 {
	return c.User + c.Nice + c.System + c.Idle + c.IOWait + c.IRQ + c.SoftIRQ + c.Steal
}

// Busy is Total - Idle - IOWait, summed directly so that huge idle counters cannot make it wrap.
func (c CPUTimes) Busy() uint64 {
	return c.User + c.Nice + c.System + c.IRQ + c.SoftIRQ + c.Steal
}

// Counters is c as the domain's raw counters, summed over cpus CPUs (0 when unknown).
func (c CPUTimes) Counters(cpus int) backend.CPUCounters {
	return backend.CPUCounters{User: c.User, Nice: c.Nice, System: c.System, Idle: c.Idle, IOWait: c.IOWait,
		IRQ: c.IRQ, SoftIRQ: c.SoftIRQ, Steal: c.Steal, CPUs: max(cpus, 0)}
}

// Counters is the aggregate cpu line as the domain's raw counters, with the number of cpuN lines.
func (s *Stat) Counters() *backend.CPUCounters {
	c := s.CPU.Counters(len(s.PerCPU))
	return &c
}

// CPURate is CPUPercent with a verdict: ok is false when the two readings cannot give a rate
// (prev is no reading, no time passed between them, or the counters went backwards), so that
// the caller reports the figure as unknown rather than as 0.
func CPURate(prev, cur CPUTimes) (pct float64, ok bool) {
	if prev.Total() == 0 || cur.Total() <= prev.Total() {
		return 0, false
	}
	return CPUPercent(prev, cur), true
}

// CPUPercent is the busy share of the whole machine between two readings, 0..100. It is 0
// when no time passed or the total went backwards (a counter reset, or readings swapped), and
// is clamped to 0..100 because single fields (iowait notably) can go backwards on their own.
func CPUPercent(prev, cur CPUTimes) float64 {
	pt, ct := prev.Total(), cur.Total()
	if ct <= pt {
		return 0
	}
	pb, cb := prev.Busy(), cur.Busy()
	if cb <= pb {
		return 0
	}
	p := float64(cb-pb) / float64(ct-pt) * 100
	if p > 100 || math.IsNaN(p) {
		return 100
	}
	return p
}

// Stat is the part of /proc/stat wsldash uses.
type Stat struct {
	CPU          CPUTimes   // the aggregate "cpu" line: the sum over all CPUs
	PerCPU       []CPUTimes // "cpuN" lines in file order (offline CPUs are absent)
	BootTime     int64      // btime, seconds since the epoch
	ProcsRunning int
	ProcsBlocked int
}

const opStat = "parse stat"

// ParseStat parses the contents of /proc/stat. It needs the aggregate "cpu" line with at
// least the four fields every kernel has (user nice system idle); later fields default to 0.
// Lines it does not use (intr, softirq, ctxt…) are skipped unread.
func ParseStat(b []byte) (Stat, error) {
	var s Stat
	err := ParseStatInto(b, &s)
	return s, err
}

// ParseStatInto is ParseStat into *s, reusing the capacity of s.PerCPU: a poller that keeps
// its Stat parses without allocating. On error *s is left partly filled.
func ParseStatInto(b []byte, s *Stat) error {
	*s = Stat{PerCPU: s.PerCPU[:0]}
	haveCPU := false
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		key, rest := nextField(line)
		switch {
		case string(key) == "cpu":
			if err := parseCPULine(rest, &s.CPU, n, line); err != nil {
				return err
			}
			haveCPU = true
		case len(key) > 3 && bytes.HasPrefix(key, []byte("cpu")):
			if _, ok := parseUint(key[3:]); !ok {
				continue // not a cpuN line; some future key
			}
			var c CPUTimes
			if err := parseCPULine(rest, &c, n, line); err != nil {
				return err
			}
			s.PerCPU = append(s.PerCPU, c)
		case string(key) == "btime":
			f, _ := nextField(rest)
			v, ok := parseInt(f)
			if !ok {
				return parseErr(opStat, n, "bad btime in %s", quote(line))
			}
			s.BootTime = v
		case string(key) == "procs_running", string(key) == "procs_blocked":
			f, _ := nextField(rest)
			v, ok := parseIntN(f)
			if !ok || v < 0 {
				return parseErr(opStat, n, "bad count in %s", quote(line))
			}
			if key[6] == 'r' {
				s.ProcsRunning = v
			} else {
				s.ProcsBlocked = v
			}
		}
	}
	if !haveCPU {
		return parseErr(opStat, 0, "no aggregate \"cpu\" line")
	}
	return nil
}

// parseCPULine reads up to 8 tick counters; guest and guest_nice (9th, 10th) are ignored.
func parseCPULine(rest []byte, c *CPUTimes, n int, line []byte) error {
	dst := [...]*uint64{&c.User, &c.Nice, &c.System, &c.Idle, &c.IOWait, &c.IRQ, &c.SoftIRQ, &c.Steal}
	i := 0
	for ; i < len(dst); i++ {
		var f []byte
		f, rest = nextField(rest)
		if len(f) == 0 {
			break
		}
		v, ok := parseUint(f)
		if !ok {
			return parseErr(opStat, n, "bad tick count %s in %s", quote(f), quote(line))
		}
		*dst[i] = v
	}
	if i < 4 {
		return parseErr(opStat, n, "want at least 4 tick counts in %s", quote(line))
	}
	return nil
}
