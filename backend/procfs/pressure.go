package procfs

import (
	"math"
	"strconv"

	"github.com/wsldash/wsldash/backend"
)

// PSI is one /proc/pressure/{cpu,memory,io} file. Averages are percentages; the totals are
// microseconds of stall since boot. "full" is all zero where the file has no full line (cpu
// before Linux 5.13).
type PSI struct {
	Some, Full           backend.Pressure
	SomeTotal, FullTotal uint64
	// HasFull is whether the file had a "full" line.
	HasFull bool
}

const opPressure = "parse pressure"

// ParsePressure parses a PSI file:
//
//	some avg10=0.00 avg60=0.00 avg300=0.00 total=0
//	full avg10=0.00 avg60=0.00 avg300=0.00 total=0
//
// The "some" line is required, "full" optional; each needs avg10, avg60, avg300 and total
// (unknown key=value pairs are ignored). Averages must be finite and non-negative.
func ParsePressure(b []byte) (PSI, error) {
	var p PSI
	haveSome := false
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		kind, rest := nextField(line)
		var avg *backend.Pressure
		var total *uint64
		switch string(kind) {
		case "":
			continue
		case "some":
			avg, total, haveSome = &p.Some, &p.SomeTotal, true
		case "full":
			avg, total, p.HasFull = &p.Full, &p.FullTotal, true
		default:
			return PSI{}, parseErr(opPressure, n, "want \"some\" or \"full\" in %s", quote(line))
		}
		const a10, a60, a300, tot = 1, 2, 4, 8
		seen := 0
		for {
			var kv []byte
			kv, rest = nextField(rest)
			if len(kv) == 0 {
				break
			}
			eq := -1
			for i, c := range kv {
				if c == '=' {
					eq = i
					break
				}
			}
			if eq < 0 {
				return PSI{}, parseErr(opPressure, n, "want key=value, got %s", quote(kv))
			}
			k, v := kv[:eq], kv[eq+1:]
			var f *float64
			switch string(k) {
			case "avg10":
				f, seen = &avg.Avg10, seen|a10
			case "avg60":
				f, seen = &avg.Avg60, seen|a60
			case "avg300":
				f, seen = &avg.Avg300, seen|a300
			case "total":
				t, ok := parseUint(v)
				if !ok {
					return PSI{}, parseErr(opPressure, n, "bad total %s", quote(kv))
				}
				*total, seen = t, seen|tot
				continue
			default:
				continue
			}
			// string(v) does not escape (strconv copies it into its errors), so this does not allocate.
			x, err := strconv.ParseFloat(string(v), 64)
			if err != nil || x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
				return PSI{}, parseErr(opPressure, n, "bad average %s", quote(kv))
			}
			*f = x
		}
		if seen != a10|a60|a300|tot {
			return PSI{}, parseErr(opPressure, n, "want avg10, avg60, avg300 and total in %s", quote(line))
		}
	}
	if !haveSome {
		return PSI{}, parseErr(opPressure, 0, "no \"some\" line")
	}
	return p, nil
}
