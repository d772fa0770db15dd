// Package units formats figures the same way in every front end: byte counts in binary units
// (what WSL, Task Manager and the dashboard's axes use) and the one glyph for a figure that is not
// known. It is pure (no I/O, no styles), so the CLI, the TUI and the chart renderer share it.
package units

import (
	"math"
	"strconv"
)

// Unknown is what a front end shows for a figure that is not known: never 0, never blank.
const Unknown = "—"

var byteUnits = [...]string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// HumanBytes formats a byte count in binary units, as WSL and Task Manager do, in at most four
// significant characters so it fits an axis label: 1023 -> "1023 B", 1536 -> "1.5 KiB",
// 4 GiB -> "4.0 GiB", 12.3 GiB -> "12 GiB". Negative values get a leading "-"; NaN and ±Inf are
// spelled "NaN", "Inf", "-Inf".
func HumanBytes(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v < 0:
		return "-" + HumanBytes(-v)
	}
	if r := math.Round(v); r < 1024 {
		return strconv.FormatFloat(r, 'f', 0, 64) + " B"
	}
	k := 0
	x := v / 1024
	for x >= 1024 && k < len(byteUnits)-1 {
		x /= 1024
		k++
	}
	if x < 9.95 {
		return strconv.FormatFloat(x, 'f', 1, 64) + " " + byteUnits[k]
	}
	r := math.Round(x)
	if r >= 1024 && k < len(byteUnits)-1 {
		return "1.0 " + byteUnits[k+1]
	}
	return strconv.FormatFloat(r, 'f', 0, 64) + " " + byteUnits[k]
}

// Bytes is HumanBytes of an integer count.
func Bytes[T ~int | ~int64 | ~uint64](v T) string { return HumanBytes(float64(v)) }
