package wslconfig

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

const sizeUnits = "B, K, KB, M, MB, G, GB, T, TB"

var unitFactor = map[string]uint64{
	"": 1, "B": 1,
	"K": 1 << 10, "KB": 1 << 10,
	"M": 1 << 20, "MB": 1 << 20,
	"G": 1 << 30, "GB": 1 << 30,
	"T": 1 << 40, "TB": 1 << 40,
}

// ParseSize reads a size the way WSL's ParseMemorySize does: a decimal integer with an optional
// suffix from B, K, KB, M, MB, G, GB, T, TB — uppercase only, binary multiples (1K = 1024), no
// space, no decimals. "8GB" is 8 GiB; "8gb", "8 GB" and "2.5GB" are refused, as WSL refuses them
// (it warns and keeps the default). ParseSize also refuses what WSL would misread rather than
// reject: a sign ("-1" wraps to 2^64-1 in strtoull), leading spaces and values that overflow 64
// bits. The error says why in one line.
func ParseSize(s string) (uint64, error) {
	if s == "" {
		return 0, errors.New("empty size")
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	digits, rest := s[:i], s[i:]
	if digits == "" {
		switch {
		case s[0] == ' ' || s[0] == '\t':
			return 0, errors.New("no spaces allowed in a size")
		case s[0] == '-' || s[0] == '+':
			return 0, errors.New("a size has no sign")
		}
		return 0, fmt.Errorf("a size starts with a whole number of bytes, optionally followed by %s", sizeUnits)
	}
	// WSL: a value of 0 must be written "0" (strtoull then End == String+1): "00" is refused.
	if len(digits) > 1 && strings.Trim(digits, "0") == "" {
		return 0, errors.New(`write zero as "0"`)
	}
	if strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, ",") {
		return 0, fmt.Errorf("sizes must be whole numbers%s", decimalHint(s))
	}
	if strings.HasPrefix(rest, " ") || strings.HasPrefix(rest, "\t") {
		return 0, errors.New("no space allowed between the number and the unit (write 8GB, not 8 GB)")
	}
	f, ok := unitFactor[rest]
	if !ok {
		if _, up := unitFactor[strings.ToUpper(rest)]; up {
			return 0, fmt.Errorf("size suffix must be uppercase (%s)", sizeUnits)
		}
		return 0, fmt.Errorf("unknown size suffix %q (use %s)", rest, sizeUnits)
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || (f > 1 && n > math.MaxUint64/f) {
		return 0, errors.New("size too large")
	}
	return n * f, nil
}

// decimalHint turns "2.5GB" into " (2.5GB = 2560MB)" when the smaller unit makes it whole.
func decimalHint(s string) string {
	i := strings.IndexAny(s, "KMGTkmgt")
	if i < 0 {
		return "; use a smaller unit"
	}
	num, unit := s[:i], strings.ToUpper(s[i:i+1])
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", "."), 64)
	if err != nil {
		return "; use a smaller unit"
	}
	smaller := map[string]string{"K": "B", "M": "K", "G": "M", "T": "G"}[unit]
	w := v * 1024
	if w != math.Trunc(w) || w > 1e15 {
		return "; use a smaller unit"
	}
	suffix := smaller
	if smaller != "B" {
		suffix += "B"
	}
	return fmt.Sprintf("; use a smaller unit (%s = %d%s)", s, int64(w), suffix)
}

// parseBool is WSL's ParseBool: "1", "0", "true", "false" (the words case-insensitive).
func parseBool(s string) (bool, bool) {
	switch {
	case s == "1" || strings.EqualFold(s, "true"):
		return true, true
	case s == "0" || strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// parseInt is strtol(s, &end, 0) with WSL's checks: leading C whitespace skipped, an optional
// sign, then 0x/0X hex, a leading-0 octal or decimal; the whole string must be used and the
// value must fit in an int (32 bits; on Windows strtol saturates at LONG_MAX, which WSL then
// accepts as INT_MAX — parseInt reports that as out of range instead).
func parseInt(s string) (int64, error) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case len(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" {
		return 0, errors.New("not a number")
	}
	var n uint64
	for i := 0; i < len(t); i++ {
		d := digitVal(t[i])
		if d >= base {
			return 0, fmt.Errorf("not a base-%d integer", base)
		}
		n = n*uint64(base) + uint64(d)
		if n > 1<<32 {
			return 0, errors.New("out of range for a 32-bit integer")
		}
	}
	v := int64(n)
	if neg {
		v = -v
	}
	if v > math.MaxInt32 || v < math.MinInt32 {
		return 0, errors.New("out of range for a 32-bit integer")
	}
	return v, nil
}

func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return 99
}

func parseMAC(s string) bool {
	if len(s) != 17 {
		return false
	}
	sep := s[2]
	if sep != ':' && sep != '-' {
		return false
	}
	for o := 0; o < 6; o++ {
		i := o * 3
		if digitVal(s[i]) > 15 || digitVal(s[i+1]) > 15 {
			return false
		}
		if o < 5 && s[i+2] != sep {
			return false
		}
	}
	return true
}

// checkValue says why WSL would not accept value for k, or nil. The message is one line, in
// the user's terms.
func checkValue(k Key, value string) error {
	switch k.Type {
	case TypeBool:
		if _, ok := parseBool(value); !ok {
			return errors.New("not a boolean (use true, false, 1 or 0)")
		}
	case TypeInt:
		if _, err := parseInt(value); err != nil {
			return err
		}
	case TypeSize:
		if _, err := ParseSize(value); err != nil {
			return err
		}
	case TypeEnum:
		for _, v := range k.Values {
			if strings.EqualFold(v, value) {
				return nil
			}
		}
		return fmt.Errorf("not one of %s", k.validList())
	case TypeIP:
		a, err := netip.ParseAddr(value)
		if err != nil || !a.Is4() {
			return errors.New("not an IPv4 address")
		}
	case TypeMAC:
		if !parseMAC(value) {
			return errors.New("not a MAC address (like 00:15:5d:01:02:03)")
		}
	case TypePorts:
		for _, p := range strings.Split(value, ",") {
			if p == "" {
				continue
			}
			n, err := strconv.Atoi(p)
			if err != nil || n <= 0 || n > 65535 {
				return fmt.Errorf("%q is not a port (1-65535)", p)
			}
		}
	case TypePath, TypeString:
	}
	return nil
}

// Validate says whether WSL would accept value for the .wslconfig key (any spelling of its
// name). The error is a *backend.Error of kind KindFailed whose message names the value and the
// reason, e.g. "8gb: size suffix must be uppercase (B, K, KB, M, MB, G, GB, T, TB) — WSL would
// ignore it".
func Validate(key, value string) error { return validateIn(wslconfigKeys, key, value) }

func validateIn(ks []Key, key, value string) error {
	k, ok := lookupIn(ks, key)
	if !ok {
		return unknownKeyError(ks, key)
	}
	return valueError(k, value)
}

func valueError(k Key, value string) error {
	if err := checkValue(k, value); err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "set " + k.Name,
			Message: fmt.Sprintf("%s: %s — WSL would ignore it", value, err), Err: err}
	}
	return nil
}

func unknownKeyError(ks []Key, key string) error {
	msg := fmt.Sprintf("unknown key %q", key)
	_, short, found := strings.Cut(key, ".")
	if !found {
		msg += " (write keys as section.key, e.g. wsl2.memory)"
	} else {
		for _, k := range ks {
			if strings.EqualFold(k.Short(), short) {
				msg += fmt.Sprintf(" — WSL only reads it as %s", k.Name)
				break
			}
		}
	}
	return &backend.Error{Kind: backend.KindNotFound, Op: "config", Message: msg}
}
