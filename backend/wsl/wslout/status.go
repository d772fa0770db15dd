package wslout

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Status is the parsed `wsl.exe --status`.
type Status struct {
	DefaultDistro  string // "" when there is none
	DefaultVersion int    // 1 or 2; 0 when not printed
}

// labelValue splits a "label: value" line at its last colon (ASCII or fullwidth) and trims both.
// ok is false when there is no colon.
func labelValue(line string) (label, value string, ok bool) {
	i := strings.LastIndexAny(line, ":：")
	if i < 0 {
		return "", "", false
	}
	_, w := utf8.DecodeRuneInString(line[i:])
	label = strings.TrimSpace(strings.Trim(line[:i], "\u00a0 "))
	value = strings.TrimSpace(strings.Trim(line[i+w:], "\u00a0 "))
	return label, value, true
}

// ParseStatus parses `wsl.exe --status` by position, since the labels are localized: line 1 is
// "Default Distribution: X" only when a default exists, then "Default Version: N". Whatever follows
// (older builds print update and kernel lines) is ignored.
func ParseStatus(text string) (Status, error) {
	var st Status
	lines := nonEmpty(Lines(text))
	var vals []string
	for _, l := range lines {
		if _, v, ok := labelValue(l); ok {
			vals = append(vals, v)
		} else {
			vals = append(vals, "")
		}
		if len(vals) == 2 {
			break
		}
	}
	isVer := func(s string) bool { return s == "1" || s == "2" }
	switch {
	case len(vals) >= 2 && validName(vals[0]) && isVer(vals[1]):
		st.DefaultDistro = vals[0]
		st.DefaultVersion, _ = strconv.Atoi(vals[1])
	case len(vals) >= 1 && isVer(vals[0]):
		st.DefaultVersion, _ = strconv.Atoi(vals[0])
	case len(vals) >= 1 && validName(vals[0]):
		st.DefaultDistro = vals[0]
	default:
		return Status{}, parseErr("status", "unexpected wsl.exe --status output")
	}
	return st, nil
}
