package chart

import (
	"math"
	"testing"
)

func TestNiceMax(t *testing.T) {
	const g = 1 << 30
	for _, tc := range []struct {
		in    float64
		bytes bool
		want  float64
	}{
		{0, false, 1},
		{-5, false, 1},
		{math.NaN(), false, 1},
		{0.3, false, 0.5},
		{0.21, false, 0.25},
		{1, false, 1},
		{1.1, false, 2},
		{2.1, false, 2.5},
		{3, false, 5},
		{7, false, 10},
		{99.9, false, 100},
		{100, false, 100},
		{101, false, 200},
		{240, false, 250},
		{1234567, false, 2000000},
		{0, true, 1},
		{0.5, true, 1},
		{700, true, 768},
		{1000, true, 1024},
		{1024, true, 1024},
		{1025, true, 1536},
		{3 * g, true, 3 * g},
		{9 * g, true, 12 * g},
		{12.5 * g, true, 16 * g},
		{15.6 * g, true, 16 * g},
		{16 * g, true, 16 * g},
		{17 * g, true, 24 * g},
		{math.Inf(1), false, math.Inf(1)},
	} {
		if got := NiceMax(tc.in, tc.bytes); got != tc.want {
			t.Errorf("NiceMax(%v, %v) = %v, want %v", tc.in, tc.bytes, got, tc.want)
		}
	}
}

func TestNiceMaxIsAnUpperBound(t *testing.T) {
	for v := 1e-6; v < 1e15; v *= 1.013 {
		for _, b := range []bool{false, true} {
			n := NiceMax(v, b)
			if n < v*(1-1e-9) || n > 2.5*v+1 {
				t.Fatalf("NiceMax(%v, %v) = %v: not a tight upper bound", v, b, n)
			}
			if NiceMax(n, b) != n {
				t.Fatalf("NiceMax(NiceMax(%v, %v)) = %v, want %v (idempotent)", v, b, NiceMax(n, b), n)
			}
		}
	}
}

func TestFormatNum(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {100, "100"}, {50, "50"}, {33.333333, "33.3"}, {0.125, "0.125"}, {1.25, "1.25"},
		{2.5, "2.5"}, {-7, "-7"}, {2e6, "2e+06"}, {0.0001, "0.0001"},
	} {
		if got := formatNum(tc.in); got != tc.want {
			t.Errorf("formatNum(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFormatAge(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "now"}, {30, "-30s"}, {60, "-1m"}, {90, "-90s"}, {600, "-10m"}, {3600, "-1h"}, {5400, "-90m"},
	} {
		if got := formatAge(tc.in); got != tc.want {
			t.Errorf("formatAge(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
