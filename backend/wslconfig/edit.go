package wslconfig

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// find returns the entry WSL takes for key: for a known key (any of its names) the first
// occurrence of any of its names; for an unknown one the first line spelled that way
// (case-insensitively).
func (f *File) find(key string) (Entry, bool) {
	k, known := lookupIn(f.d.keys, key)
	for _, e := range f.entries {
		if e.Duplicate {
			continue
		}
		if known && e.Known && e.canon == k.Name {
			return e, true
		}
		if !known && strings.EqualFold(e.Key, key) {
			return e, true
		}
	}
	return Entry{}, false
}

// Get returns the value of key ("wsl2.memory"; any case, any alias) as WSL reads it — quotes
// removed, escapes decoded — from its first occurrence, and whether the file sets it. The value
// may be one WSL refuses (see Settings for that).
func (f *File) Get(key string) (string, bool) {
	e, ok := f.find(key)
	return e.Value, ok
}

// Setting is one known key and what the file does with it.
type Setting struct {
	Key Key `json:"key"`
	// Set is whether the file sets the key (its first occurrence counts).
	Set bool `json:"set"`
	// Value is the file's value when Set.
	Value string `json:"value,omitempty"`
	// Valid is whether WSL accepts Value; when false WSL warns and uses the default.
	Valid bool `json:"valid"`
	Line  int  `json:"line,omitempty"`
}

// Effective is the value in force: the file's when set and valid, else the default (in words).
func (s Setting) Effective() string {
	if s.Set && s.Valid {
		return s.Value
	}
	return s.Key.Default
}

// Settings returns every known key, in the key table's order, with what the file sets.
func (f *File) Settings() []Setting {
	out := make([]Setting, 0, len(f.d.keys))
	for _, k := range f.d.keys {
		s := Setting{Key: k}
		if e, ok := f.find(k.Name); ok {
			s.Set, s.Value, s.Valid, s.Line = true, e.Value, e.Used, e.Line
		}
		out = append(out, s)
	}
	return out
}

// Unknown returns the entries whose key WSL does not know (it ignores them).
func (f *File) Unknown() []Entry {
	var out []Entry
	for _, e := range f.entries {
		if !e.Known {
			out = append(out, e)
		}
	}
	return out
}

// Set sets key to value (value as WSL should read it: Set adds quotes and escapes as needed,
// so a Windows path is given with single backslashes). The key must be known and the value valid
// for its type; otherwise the error (a *backend.Error) says why and the file is untouched.
//
// When the key is present, only the bytes of its first occurrence's value change: the key's
// spelling, the blanks around '=', quotes (when the old value was quoted), a trailing comment and
// the line ending all stay. When absent, "key=value" is added after the last key of the key's
// section (creating the section at the end of the file if needed), with the line ending of the
// line before it.
func (f *File) Set(key, value string) error {
	k, ok := lookupIn(f.d.keys, key)
	if !ok {
		return unknownKeyError(f.d.keys, key)
	}
	if strings.ContainsAny(value, "\r\x00") {
		return &backend.Error{Kind: backend.KindFailed, Op: "set " + k.Name,
			Message: fmt.Sprintf("%q: a value cannot hold a carriage return or a NUL byte — WSL cannot read them", value)}
	}
	if err := valueError(k, value); err != nil {
		return err
	}
	old := f.buf
	var nb []byte
	if e, found := f.find(k.Name); found {
		raw := f.buf[e.valStart:e.valEnd]
		quoted := len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"'
		enc := encodeValue(value, quoted)
		if e.valEnd < len(f.buf) && f.buf[e.valEnd] == '#' && len(enc) > 0 {
			enc += " " // keep the trailing comment a comment: "key=# c" -> "key=v # c"
		}
		nb = splice(f.buf, e.valStart, e.valEnd, enc)
	} else {
		nb = f.insert(k, encodeValue(value, false))
	}
	f.buf = nb
	f.reparse()
	if got, ok := f.Get(k.Name); !ok || got != value {
		f.buf = old
		f.reparse()
		return &backend.Error{Kind: backend.KindFailed, Op: "set " + k.Name,
			Message: "the edited file would not read back as " + value + "; file left as it was"}
	}
	return nil
}

// Unset removes every line that sets key (all occurrences, as WSL's own writer does), trailing
// comments included. Unknown keys can be removed too (a misplaced wsl2.autoMemoryReclaim, say).
// Removing a key that is not there is not an error.
func (f *File) Unset(key string) error {
	k, known := lookupIn(f.d.keys, key)
	var drop []Entry
	for _, e := range f.entries {
		if (known && e.Known && e.canon == k.Name) || (!e.Known && strings.EqualFold(e.Key, key)) {
			drop = append(drop, e)
		}
	}
	for i := len(drop) - 1; i >= 0; i-- {
		f.buf = splice(f.buf, drop[i].start, drop[i].end, "")
	}
	if len(drop) > 0 {
		f.reparse()
	}
	return nil
}

func splice(b []byte, from, to int, s string) []byte {
	out := make([]byte, 0, len(b)-(to-from)+len(s))
	out = append(out, b[:from]...)
	out = append(out, s...)
	return append(out, b[to:]...)
}

// encodeValue writes v so that WSL's parser reads it back as v.
func encodeValue(v string, quoted bool) string {
	if !quoted && (v != strings.TrimLeft(v, " \t") || v != strings.TrimRight(v, " \t") || strings.Contains(v, "#")) {
		quoted = true
	}
	var b strings.Builder
	if quoted {
		b.WriteByte('"')
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		default:
			b.WriteByte(c)
		}
	}
	if quoted {
		b.WriteByte('"')
	}
	return b.String()
}

// eolAt returns the line ending of the line that ends at offset end (exclusive), or "" if it has
// none.
func eolAt(b []byte, end int) string {
	switch {
	case end >= 2 && b[end-2] == '\r' && b[end-1] == '\n':
		return "\r\n"
	case end >= 1 && b[end-1] == '\n':
		return "\n"
	}
	return ""
}

// dominantEOL is CRLF when most line endings in b are CRLF.
func dominantEOL(b []byte) string {
	crlf := bytes.Count(b, []byte("\r\n"))
	if crlf > 0 && crlf*2 >= bytes.Count(b, []byte("\n")) {
		return "\r\n"
	}
	return "\n"
}

// insert adds "short=enc" for key k and returns the new bytes.
func (f *File) insert(k Key, enc string) []byte {
	b := f.buf
	sec := k.Section()
	line := k.Short() + "=" + enc
	var hdr *header
	for i := range f.headers {
		if strings.EqualFold(f.headers[i].name, sec) {
			hdr = &f.headers[i]
			break
		}
	}
	if hdr == nil {
		eol := dominantEOL(b)
		body := "[" + sec + "]" + eol + line + eol
		if len(bytes.TrimPrefix(b, bom)) == 0 {
			return splice(b, len(b), len(b), body)
		}
		pre := ""
		if c := b[len(b)-1]; c != '\n' && c != '\r' {
			pre = eol
		}
		if !bytes.HasSuffix(b, []byte("\n\n")) && !bytes.HasSuffix(b, []byte("\n\r\n")) {
			pre += eol // a blank line before the new section
		}
		return splice(b, len(b), len(b), pre+body)
	}
	// The section runs from its header to the next valid header.
	regionEnd := len(b)
	for _, h := range f.headers {
		if h.start > hdr.start {
			regionEnd = h.start
			break
		}
	}
	pos := hdr.end
	for _, e := range f.entries {
		if e.start >= hdr.end && e.end <= regionEnd && e.end > pos {
			pos = e.end
		}
	}
	eol := eolAt(b, pos)
	pre := ""
	if eol == "" {
		eol = dominantEOL(b)
		if pos > 0 && b[pos-1] != '\r' {
			pre = eol
		}
	}
	// A value continued with a trailing backslash would swallow the new line.
	if bytes.HasSuffix(b[:pos], []byte("\\"+eolAt(b, pos))) && eolAt(b, pos) != "" {
		pre += eol
	}
	return splice(b, pos, pos, pre+line+eol)
}

// ReclaimMode is the autoMemoryReclaim mode WSL will use with this file:
// experimental.autoMemoryReclaim, case-insensitive; absent or unknown means dropcache (WSL's
// current default: "dropCache or an unknown value").
func ReclaimMode(f *File) backend.ReclaimMode {
	if f == nil {
		return backend.ReclaimDropCache
	}
	v, _ := f.Get("experimental.autoMemoryReclaim")
	switch strings.ToLower(v) {
	case "disabled":
		return backend.ReclaimDisabled
	case "gradual":
		return backend.ReclaimGradual
	}
	return backend.ReclaimDropCache
}
