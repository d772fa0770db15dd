package chart

import (
	"math"
	"strconv"
)

// NiceMax rounds v up to a nice axis maximum. Plain numbers go to 1, 2, 2.5 or 5 × 10^n
// (3 -> 5, 100 -> 100, 101 -> 200). Byte counts (bytes = true) go to 1 or 1.5 × 2^n, which reads
// well in binary units and halves and thirds nicely: 9 GiB -> 12 GiB, 13 GiB -> 16 GiB,
// 700 -> 768. v <= 0 and NaN give 1; +Inf is returned as is.
func NiceMax(v float64, bytes bool) float64 {
	if math.IsNaN(v) || v <= 0 {
		return 1
	}
	if math.IsInf(v, 1) {
		return v
	}
	const tol = 1 - 1e-9 // so that values already nice map to themselves despite rounding
	if bytes {
		if v <= 1 {
			return 1
		}
		_, e := math.Frexp(v) // v = f × 2^e, f in [0.5, 1)
		p := math.Ldexp(1, e-1)
		for _, m := range [...]float64{1, 1.5, 2, 3} {
			if m*p >= v*tol {
				return m * p
			}
		}
		return 4 * p
	}
	e := int(math.Floor(math.Log10(v)))
	for _, m := range [...]float64{1, 2, 2.5, 5, 10, 20} {
		n := scale10(m, e)
		if n >= v*tol {
			return n
		}
	}
	return scale10(1, e+2)
}

// scale10 returns m × 10^e, dividing for negative e so that 2.5e-1 comes out as 0.25 exactly.
func scale10(m float64, e int) float64 {
	if e < 0 {
		return m / math.Pow10(-e)
	}
	return m * math.Pow10(e)
}

// formatNum is the default tick label: integers as integers, others with about three
// significant digits, very large or small magnitudes in exponent form.
func formatNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	a := math.Abs(v)
	if a == 0 {
		return "0"
	}
	if a >= 1e6 || a < 1e-3 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	dec := 2 - int(math.Floor(math.Log10(a)))
	if dec < 0 {
		dec = 0
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if dec > 0 {
		for s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		if s[len(s)-1] == '.' {
			s = s[:len(s)-1]
		}
	}
	return s
}

// formatAge is an x-axis label for a point d seconds before the newest sample.
func formatAge(sec float64) string {
	s := int64(math.Round(sec))
	if s <= 0 {
		return "now"
	}
	switch {
	case s%3600 == 0:
		return "-" + strconv.FormatInt(s/3600, 10) + "h"
	case s%60 == 0:
		return "-" + strconv.FormatInt(s/60, 10) + "m"
	}
	return "-" + strconv.FormatInt(s, 10) + "s"
}
