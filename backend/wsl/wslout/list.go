package wslout

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// Entry is one row of `wsl.exe -l -v`.
type Entry struct {
	Name    string
	State   backend.State
	Version int
	Default bool // the row had the '*' marker
}

// Verbose is the parsed `wsl.exe -l -v`.
type Verbose struct {
	Entries []Entry
	// HasMarker is false when no row carried the '*' default marker: either there is no default or
	// wsl.exe is 2.4.4, which dropped the marker (microsoft/WSL#12302). Find the default elsewhere
	// (--status, the registry) then.
	HasMarker bool
}

func parseErr(op, msg string) error {
	return &backend.Error{Kind: backend.KindParse, Op: op, Message: msg}
}

// ParseListVerbose parses `wsl.exe -l -v`. The header and the state words are hard-coded English
// in wsl.exe; column 0 holds '*' for the default; names never contain spaces, so the rest of a row
// splits into exactly name, state, version. Empty text is an empty list.
func ParseListVerbose(text string) (Verbose, error) {
	var v Verbose
	lines := nonEmpty(Lines(text))
	if len(lines) == 0 {
		return v, nil
	}
	h := strings.Fields(lines[0])
	if len(h) != 3 || h[0] != "NAME" || h[1] != "STATE" || h[2] != "VERSION" {
		return v, parseErr("list", fmt.Sprintf("unexpected header in wsl.exe -l -v output: %q", clip(lines[0])))
	}
	for _, row := range lines[1:] {
		e, err := parseVerboseRow(row)
		if err != nil {
			return Verbose{}, err
		}
		if e.Default {
			v.HasMarker = true
		}
		v.Entries = append(v.Entries, e)
	}
	return v, nil
}

func parseVerboseRow(row string) (Entry, error) {
	var e Entry
	if row[0] == '*' {
		e.Default = true
		row = row[1:]
	}
	f := strings.Fields(row)
	if len(f) != 3 {
		return e, parseErr("list", fmt.Sprintf("unexpected row in wsl.exe -l -v output: %q", clip(row)))
	}
	ver, err := strconv.Atoi(f[2])
	if err != nil || ver < 1 || ver > 2 {
		return e, parseErr("list", fmt.Sprintf("bad version %q in wsl.exe -l -v row %q", clip(f[2]), clip(row)))
	}
	if !validName(f[0]) {
		return e, parseErr("list", fmt.Sprintf("bad distro name %q in wsl.exe -l -v output", clip(f[0])))
	}
	if !knownState(f[1]) {
		return e, parseErr("list", fmt.Sprintf("unknown state %q in wsl.exe -l -v row %q", clip(f[1]), clip(row)))
	}
	e.Name, e.State, e.Version = f[0], backend.State(f[1]), ver
	return e, nil
}

func knownState(s string) bool {
	switch backend.State(s) {
	case backend.StateRunning, backend.StateStopped, backend.StateInstalling, backend.StateUninstalling,
		backend.StateConverting, backend.StateExporting:
		return true
	}
	return false
}

// validName is whether s can be a listed distro's name: WSL's rule (backend.IsDistroName), which
// lets lxrun's old "Legacy" be listed.
func validName(s string) bool { return backend.IsDistroName(s) }

// ParseListQuiet parses `wsl.exe -l -q`: bare names, one a line (nothing at all when none).
func ParseListQuiet(text string) ([]string, error) {
	var out []string
	for _, l := range nonEmpty(Lines(text)) {
		n := strings.TrimSpace(l)
		if !validName(n) {
			return nil, parseErr("list", fmt.Sprintf("bad distro name %q in wsl.exe -l -q output", clip(n)))
		}
		out = append(out, n)
	}
	return out, nil
}

// Plain is the parsed `wsl.exe -l` (or `-l --running`).
type Plain struct {
	Names   []string
	Default string // "" when no row had the localized " (Default)" suffix
}

// ParseList parses `wsl.exe -l`: a localized header line, then one name per line, the default
// with a localized suffix such as " (Default)", " (Standard)", " (既定値)" or " (默认值)". Since
// names never contain spaces, the name is the first field and anything after it marks the default,
// whatever the language.
func ParseList(text string) (Plain, error) {
	var p Plain
	lines := nonEmpty(Lines(text))
	if len(lines) == 0 {
		return p, nil
	}
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		name, rest, _ := strings.Cut(l, " ")
		if !validName(name) {
			return Plain{}, parseErr("list", fmt.Sprintf("bad distro name %q in wsl.exe -l output", clip(name)))
		}
		rest = strings.TrimSpace(rest)
		if rest != "" {
			if !strings.HasPrefix(rest, "(") || !strings.HasSuffix(rest, ")") {
				return Plain{}, parseErr("list", fmt.Sprintf("unexpected row in wsl.exe -l output: %q", clip(l)))
			}
			p.Default = name
		}
		p.Names = append(p.Names, name)
	}
	return p, nil
}

// IsNoDistros reports whether a failed list's output is the "no installed distributions" message
// (in any of its versions: current, the 2018-2020 inbox one pointing to the Store, and the 2022 one
// with the WSL_E_DEFAULT_DISTRO_NOT_FOUND code). wsl.exe exits -1 with it; it means an empty list.
// Localized variants without a code are recognized by the literal command or URL they quote.
func IsNoDistros(text string) bool {
	if strings.HasSuffix(ErrorCode(text), "WSL_E_DEFAULT_DISTRO_NOT_FOUND") {
		return true
	}
	if strings.Contains(text, "has no installed distributions") {
		return true
	}
	return ErrorCode(text) == "" && (strings.Contains(text, "--install") || strings.Contains(text, "aka.ms/wslstore"))
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
