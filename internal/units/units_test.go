package units

import (
	"math"
	"testing"
)

func TestHumanBytes(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0 B"},
		{1, "1 B"},
		{1023, "1023 B"},
		{1023.6, "1.0 KiB"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{10 * 1024, "10 KiB"},
		{1023 * 1024, "1023 KiB"},
		{1023.9 * 1024, "1.0 MiB"},
		{768 << 20, "768 MiB"},
		{4 << 30, "4.0 GiB"},
		{9.94 * (1 << 30), "9.9 GiB"},
		{9.96 * (1 << 30), "10 GiB"},
		{12.3 * (1 << 30), "12 GiB"},
		{15.6 * (1 << 30), "16 GiB"},
		{1 << 40, "1.0 TiB"},
		{1 << 60, "1.0 EiB"},
		{2048 * (1 << 60), "2048 EiB"},
		{-1536, "-1.5 KiB"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Inf"},
		{math.Inf(-1), "-Inf"},
	} {
		if got := HumanBytes(tc.in); got != tc.want {
			t.Errorf("HumanBytes(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHumanBytesFitsAnAxis(t *testing.T) {
	// At most 4 characters of number, for every magnitude up to EiB.
	for v := 1.0; v < 1<<62; v *= 1.07 {
		s := HumanBytes(v)
		num := s[:len(s)-len(" B")]
		if s[len(s)-2:] != " B" {
			num = s[:len(s)-len(" KiB")]
		}
		if len(num) > 4 {
			t.Fatalf("HumanBytes(%v) = %q: number part longer than 4", v, s)
		}
	}
}

func TestBytesIsHumanBytes(t *testing.T) {
	if got := Bytes(uint64(1536)); got != "1.5 KiB" {
		t.Fatalf("Bytes(1536) = %q", got)
	}
	if got := Bytes(int64(-2048)); got != "-2.0 KiB" {
		t.Fatalf("Bytes(-2048) = %q", got)
	}
}
