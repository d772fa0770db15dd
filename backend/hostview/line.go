// Package hostview carries the Windows host's view of the WSL VM into the Linux build of wsldash.
//
// Inside WSL the registry, the VM's host process (vmmemWSL) and HCS are out of reach, but the
// Windows build of wsldash can read them, and WSL interop can run it. So the Linux build starts
// ONE helper for the whole run, `wsldash.exe host --watch --json`, which prints a JSON line per
// refresh (the host view) and, when they change, the distros' registrations with their disk
// sizes. The helper never starts per sample.
//
// The pieces: the line format (this file: versioned, with an encoder and a strict decoder), the
// producer loop the helper runs (Produce, fed by a Source; the Windows source is a thin file
// behind a build tag), Locate (where the helper is), and Client (the Linux side: it runs the
// helper, reads its lines, and degrades to a note when the helper dies, hangs or prints
// garbage, restarting it with back-off on an injected clock).
//
// The other way, the reader writes requests to the helper's stdin, one a line: `interval <Go
// duration>` changes its refresh rate while it runs (Client.SetInterval, when the dashboard
// drops to its idle cadence). A helper ignores a line it does not know; the end of stdin ends it.
package hostview

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

// FormatVersion is the version of the line format, carried as "v" in every line. A reader
// refuses lines of another version: fields may be added within a version, never changed.
const FormatVersion = 1

// Line types.
const (
	TypeHello         = "hello"         // first line: who speaks, at which interval
	TypeHost          = "host"          // one per interval: the host view
	TypeRegistrations = "registrations" // first, then on change: the registered distros
)

// MaxLine is the longest line a reader accepts; longer is garbage.
const MaxLine = 1 << 20

// Line is one line of the stream. Only the fields of its Type are set.
type Line struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	Time string `json:"time,omitempty"` // RFC 3339 with milliseconds

	// hello
	Program    string `json:"program,omitempty"` // "wsldash"
	Version    string `json:"version,omitempty"` // the helper's program version
	PID        int    `json:"pid,omitempty"`
	IntervalMS int64  `json:"interval_ms,omitempty"`

	// host: the view
	Host *backend.HostView `json:"host,omitempty"`
	// registrations (an empty array is a valid answer: no distros)
	Registrations *[]Registration `json:"registrations,omitempty"`

	// Error, on a host or registrations line, says why that could not be read this time.
	Error string `json:"error,omitempty"`
}

// Registration is one registered distro as the helper reads it from HKCU\...\Lxss.
type Registration struct {
	Name        string `json:"name"`
	GUID        string `json:"guid"`
	Default     bool   `json:"default"`
	Version     int    `json:"version"` // 1 or 2, from the flags
	Flags       uint32 `json:"flags"`
	State       uint32 `json:"state"` // the persisted install state (1 Installed, 3 Installing, …)
	BasePath    string `json:"base_path,omitempty"`
	VhdFileName string `json:"vhd_file_name,omitempty"`
	DiskPath    string `json:"disk_path,omitempty"`
	// DiskBytes is the disk's size on disk; absent when unknown (WSL 1, or unreadable).
	DiskBytes *int64 `json:"disk_bytes,omitempty"`
}

// FromWinhost converts a registry registration; disk is its disk size when known.
func FromWinhost(r winhost.Registration, disk *int64) Registration {
	return Registration{Name: r.Name, GUID: r.GUID, Default: r.Default, Version: r.Version(), Flags: r.Flags,
		State: r.State, BasePath: r.BasePath, VhdFileName: r.VhdFileName, DiskPath: r.DiskPath(), DiskBytes: disk}
}

// Winhost converts back to the registry registration the wsl backend merges into its list.
func (r Registration) Winhost() winhost.Registration {
	return winhost.Registration{GUID: r.GUID, Name: r.Name, BasePath: r.BasePath, VhdFileName: r.VhdFileName,
		Flags: r.Flags, State: r.State, Default: r.Default}
}

const rfc3339Milli = "2006-01-02T15:04:05.000Z07:00"

// Stamp formats a line's time.
func Stamp(t time.Time) string { return t.UTC().Format(rfc3339Milli) }

// Encode appends line (with V set to FormatVersion) and a newline to dst.
func Encode(dst []byte, l Line) ([]byte, error) {
	l.V = FormatVersion
	b, err := json.Marshal(l)
	if err != nil {
		return dst, err
	}
	dst = append(dst, b...)
	return append(dst, '\n'), nil
}

// ErrVersion is returned (wrapped in a *VersionError) for a line of another format version.
var ErrVersion = errors.New("host line format version mismatch")

// VersionError is a line of a format version this reader does not speak.
type VersionError struct{ Got int }

func (e *VersionError) Error() string {
	return fmt.Sprintf("host helper speaks line format %d, this wsldash reads %d", e.Got, FormatVersion)
}
func (e *VersionError) Unwrap() error { return ErrVersion }

// Decode parses one line (without its newline). It is strict: not a JSON object, a missing "v"
// or "type", or a line of a known type without its payload is an error; a line of another
// format version is a *VersionError. A line of an unknown type (added later within the version)
// decodes with only V and Type set, for the caller to skip.
func Decode(b []byte) (Line, error) {
	b = bytes.TrimSuffix(b, []byte("\r")) // a Windows program may end lines with CRLF
	if len(b) > MaxLine {
		return Line{}, fmt.Errorf("line of %d bytes, longer than %d", len(b), MaxLine)
	}
	var probe struct {
		V    *int    `json:"v"`
		Type *string `json:"type"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return Line{}, fmt.Errorf("not a JSON line: %s", snippet(b))
	}
	if probe.V == nil || probe.Type == nil {
		return Line{}, fmt.Errorf("no \"v\" or \"type\": %s", snippet(b))
	}
	if *probe.V != FormatVersion {
		return Line{}, &VersionError{Got: *probe.V}
	}
	var l Line
	switch *probe.Type {
	case TypeHello, TypeHost, TypeRegistrations:
		if err := json.Unmarshal(b, &l); err != nil {
			return Line{}, fmt.Errorf("bad %s line: %v", *probe.Type, err)
		}
	default:
		return Line{V: *probe.V, Type: *probe.Type}, nil
	}
	switch l.Type {
	case TypeHello:
		if l.Program == "" {
			return Line{}, errors.New("hello line without program")
		}
	case TypeHost:
		if l.Host == nil && l.Error == "" {
			return Line{}, errors.New("host line without host or error")
		}
	case TypeRegistrations:
		if l.Registrations == nil && l.Error == "" {
			return Line{}, errors.New("registrations line without registrations or error")
		}
	}
	return l, nil
}

// snippet is the start of a bad line, printable, for a note.
func snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b), "?")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
