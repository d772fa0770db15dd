package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wsldash/wsldash/internal/units"
)

// The CLI's output layer: every --json answer goes through writeJSON, and every figure or name
// that is not known prints as units.Unknown ("—", as in the dashboard), never 0, "-" or blank.

// writeJSON prints v as JSON on one line (README "JSON contract"): a stream of such lines
// (stats --watch) and a one-shot answer read the same way, with jq or line by line.
func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// orUnknown is s, or units.Unknown when it is blank.
func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return units.Unknown
	}
	return s
}

// sizeOrUnknown is a byte count that may not be known (nil), in binary units.
func sizeOrUnknown(n *int64) string {
	if n == nil {
		return units.Unknown
	}
	return humanBytes(uint64(max(*n, 0)))
}

// percent is an optional percentage, units.Unknown when it is not known (never 0).
func percent(v *float64) string {
	if v == nil {
		return units.Unknown
	}
	return fmt.Sprintf("%.1f%%", *v)
}

// humanBytes is the dashboard's binary-unit formatter (GiB, MiB), so the CLI and the UI agree.
func humanBytes(v uint64) string { return units.Bytes(v) }
