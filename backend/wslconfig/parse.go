package wslconfig

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Warning is one message WSL would print about the file, in WSL's own words (the en-US strings of
// WSL@HEAD localization/strings/en-US/Resources.resw), e.g. "Unknown key 'wsl2.autoMemoryReclaim'
// in C:\Users\me\.wslconfig:7". Line is the line WSL names (for a value continued over several
// lines, the last one).
type Warning struct {
	Line int    `json:"line"`
	Text string `json:"text"`
}

// Entry is one key = value line that WSL read (lines WSL drops — bad escapes, unclosed quotes,
// lines that are not keys — are not entries; they only leave a Warning).
type Entry struct {
	// Line is the line WSL names for the key (the last line of a continued value).
	Line int `json:"line"`
	// Key is section.key spelled as in the file (no section: just the key).
	Key string `json:"key"`
	// Value is what WSL reads: quotes removed, escapes decoded, trailing blanks trimmed.
	Value string `json:"value"`
	// Known is whether WSL knows the key (else it warned "Unknown key").
	Known bool `json:"known"`
	// Used is whether WSL takes this value: known, first of its key, and valid for its type.
	Used bool `json:"used"`
	// Duplicate is a later occurrence of a known key; WSL ignored it.
	Duplicate bool `json:"duplicate"`

	canon            string // canonical Key.Name when Known
	start, end       int    // the whole logical line(s), end after the line ending
	valStart, valEnd int    // the value's bytes as written (after the blanks that follow '=')
	section          string // the section in force (as written), "" if none
}

type header struct {
	name       string
	start, end int
	line       int
}

type dialect struct {
	keys     []Key
	fileName string // used in warnings when the file has no path
}

var (
	wslconfigDialect = &dialect{keys: wslconfigKeys, fileName: ".wslconfig"}
	wslconfDialect   = &dialect{keys: wslconfKeys, fileName: "/etc/wsl.conf"}
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// File is a parsed .wslconfig (or /etc/wsl.conf). It keeps the exact bytes it was parsed from:
// Bytes returns them unchanged until Set or Unset edits them, and an edit changes only the bytes
// it must.
type File struct {
	buf      []byte
	d        *dialect
	path     string
	exists   bool
	modTime  time.Time
	mode     os.FileMode
	entries  []Entry
	headers  []header
	warnings []Warning
}

// Parse parses a .wslconfig. It never fails on content: what WSL would only warn about becomes a
// Warning, and the bytes are kept as they are (BOM, CRLF or LF per line, invalid UTF-8 and all).
// The error is reserved for input that cannot be a config file (over 16 MiB).
func Parse(b []byte) (*File, error) { return parseWith(b, wslconfigDialect, "") }

// ParseWSLConf parses a distro's /etc/wsl.conf with the same parser and the wsl.conf key table.
func ParseWSLConf(b []byte) (*File, error) { return parseWith(b, wslconfDialect, "") }

const maxFileSize = 16 << 20

func parseWith(b []byte, d *dialect, path string) (*File, error) {
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("%d bytes: too large for a WSL config file", len(b))
	}
	f := &File{buf: append([]byte(nil), b...), d: d, path: path, exists: true}
	f.reparse()
	return f, nil
}

func (f *File) displayName() string {
	if f.path != "" {
		return f.path
	}
	return f.d.fileName
}

// Bytes returns the file's bytes: exactly the parsed input until an edit.
func (f *File) Bytes() []byte { return append([]byte(nil), f.buf...) }

// Warnings returns what WSL would warn about, in file order.
func (f *File) Warnings() []Warning { return append([]Warning(nil), f.warnings...) }

// Entries returns the key lines WSL read, in file order.
func (f *File) Entries() []Entry { return append([]Entry(nil), f.entries...) }

// Exists is false for a File that ReadFile made up because the file was missing.
func (f *File) Exists() bool { return f.exists }

// Path is where ReadFile read the file ("" for Parse).
func (f *File) Path() string { return f.path }

// ModTime is the file's modification time when ReadFile read it (zero otherwise).
func (f *File) ModTime() time.Time { return f.modTime }

// KnownKeys is the key table this file is checked against (Keys or WSLConfKeys).
func (f *File) KnownKeys() []Key { return cloneKeys(f.d.keys) }

// reparse rebuilds entries, headers and warnings from buf.
func (f *File) reparse() {
	p := parser{b: f.buf, keys: f.d.keys, file: f.displayName(), first: map[int]int{}}
	p.run()
	f.entries, f.headers, f.warnings = p.entries, p.headers, p.warnings
}

const eof = -1

// parser is a port of WSL's ParseConfigFile (src/shared/configfile/configfile.cpp) in parse mode
// with CFG_SKIP_INVALID_LINES, reading the file as _wfopen(…, "rt,ccs=UTF-8") does on Windows: a
// leading BOM is skipped and CRLF reads as LF. It works on bytes: every character the grammar
// cares about is ASCII, and other bytes are copied into values untouched.
type parser struct {
	b     []byte
	pos   int // next byte to read
	chPos int // where the last character read starts
	atEOF bool
	keys  []Key
	file  string

	entries  []Entry
	headers  []header
	warnings []Warning
	first    map[int]int // key index -> index in entries of its first occurrence
}

func (p *parser) get() int {
	p.chPos = p.pos
	if p.pos >= len(p.b) {
		p.atEOF = true
		return eof
	}
	c := p.b[p.pos]
	p.pos++
	if c == '\r' && p.pos < len(p.b) && p.b[p.pos] == '\n' {
		p.pos++
		return '\n'
	}
	return int(c)
}

func isHSpace(c int) bool { return c == ' ' || c == '\t' }
func isAlpha(c int) bool  { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isAlnum(c int) bool  { return isAlpha(c) || (c >= '0' && c <= '9') }

func (p *parser) warn(line int, format string, args ...any) {
	p.warnings = append(p.warnings, Warning{Line: line, Text: fmt.Sprintf(format, args...)})
}

func (p *parser) run() {
	if len(p.b) >= 3 && p.b[0] == bom[0] && p.b[1] == bom[1] && p.b[2] == bom[2] {
		p.pos = 3
	}
	ch := 0
	line := 0
	trailing := false
	section := ""
	for { // NewLine
		if !trailing {
			line++
		}
	lineStart:
		for {
			if ch == '#' {
				for {
					ch = p.get()
					if ch == '\n' {
						line++
					}
					if ch == '\n' || ch == eof {
						break
					}
				}
				trailing = false
			}
			if p.atEOF {
				return
			}
			begin := p.pos
			for ch = p.get(); isHSpace(ch); ch = p.get() {
			}
			switch {
			case ch == eof, ch == '\r', ch == '#':
				// A lone CR ends nothing and counts no line (WSL reads on and ungets).
			case ch == '\n':
				line++
			case ch == '[':
				var ok bool
				var name string
				ch, name, ok = p.section(line)
				if ok {
					section = name
					if ch == '#' {
						trailing = true
					}
					p.headers = append(p.headers, header{name: name, start: begin, end: p.lineEnd(ch), line: line})
				} else {
					ch = p.skipLine(ch)
				}
				break lineStart
			case !isAlpha(ch):
				p.warn(line, "Invalid key name in %s:%d", p.file, line)
				ch = p.skipLine(ch)
				break lineStart
			default:
				var tc bool
				ch, line, tc = p.keyValue(ch, line, begin, section)
				trailing = tc
				break lineStart
			}
		}
	}
}

// lineEnd is the offset just past the current logical line, given the character that ended it.
func (p *parser) lineEnd(ch int) int {
	switch ch {
	case '\n', '\r', eof:
		return p.pos
	}
	// A trailing comment: the line ends after its newline.
	for i := p.pos; i < len(p.b); i++ {
		if p.b[i] == '\n' {
			return i + 1
		}
	}
	return len(p.b)
}

// skipLine is WSL's InvalidLine: read up to the end of the line.
func (p *parser) skipLine(ch int) int {
	for ch != eof && ch != '\n' {
		ch = p.get()
	}
	return ch
}

// section parses "[name]" after the '['. It returns the character that ended the line.
func (p *parser) section(line int) (int, string, bool) {
	ch := p.get()
	if !isAlpha(ch) {
		p.warn(line, "Invalid section name in %s:%d", p.file, line)
		return ch, "", false
	}
	var name strings.Builder
	for isAlnum(ch) {
		name.WriteByte(byte(ch))
		ch = p.get()
	}
	if ch != ']' {
		p.warn(line, "Expected ']' in %s:%d", p.file, line)
		return ch, "", false
	}
	for ch = p.get(); isHSpace(ch); ch = p.get() {
	}
	switch ch {
	case eof, '\n', '\r', '#':
		return ch, name.String(), true
	}
	p.warn(line, "Expected ' ' or '\\n' in %s:%d", p.file, line)
	return ch, "", false
}

// keyValue parses "key = value" from the key's first letter. It returns the character that ended
// the line, the line count after it, and whether a trailing comment follows.
func (p *parser) keyValue(ch, line, begin int, section string) (int, int, bool) {
	var key strings.Builder
	if section != "" {
		key.WriteString(section)
		key.WriteByte('.')
	}
	for isAlnum(ch) {
		key.WriteByte(byte(ch))
		ch = p.get()
	}
	for isHSpace(ch) {
		ch = p.get()
	}
	if ch != '=' {
		p.warn(line, "Expected '=' in %s:%d", p.file, line)
		return p.skipLine(ch), line, false
	}
	for ch = p.get(); isHSpace(ch); ch = p.get() {
	}
	valStart := p.chPos
	valEnd := valStart
	var value []byte
	trimmed := 0
	inQuote := false
	trailing := false
loop:
	for ch != eof && ch != '\n' && ch != '\r' {
		switch ch {
		case '"':
			inQuote = !inQuote
		case '\\':
			ch2 := p.get()
			switch ch2 {
			case '\\', '"':
				value = append(value, byte(ch2))
			case 'b':
				value = append(value, '\b')
			case 'n':
				value = append(value, '\n')
			case 't':
				value = append(value, '\t')
			case '\n':
				line++ // line continuation
			default:
				p.warn(line, "Invalid escaped character: '%s' in %s:%d", escChar(ch2), p.file, line)
				return p.skipLine(ch), line, false
			}
		case '#':
			if !inQuote {
				trailing = true
				break loop
			}
			value = append(value, '#')
		default:
			value = append(value, byte(ch))
		}
		if !isHSpace(ch) {
			trimmed = len(value)
			valEnd = p.pos
		}
		ch = p.get()
	}
	if inQuote {
		p.warn(line, "Expected \" in %s:%d", p.file, line)
		return p.skipLine(ch), line, false
	}
	value = value[:trimmed]
	e := Entry{Line: line, Key: key.String(), Value: string(value), start: begin, end: p.lineEnd(ch),
		valStart: valStart, valEnd: valEnd, section: section}
	p.setConfig(&e)
	p.entries = append(p.entries, e)
	return ch, line, trailing
}

func escChar(c int) string {
	if c == eof {
		return ""
	}
	return string(rune(c))
}

// setConfig is WSL's SetConfig + ConfigKey::Parse: unknown keys and duplicates warn, then the
// value is checked for the key's type (a bad value warns and WSL keeps the default, but the key
// still counts as seen: a later duplicate does not replace it).
func (p *parser) setConfig(e *Entry) {
	idx := -1
	for i, k := range p.keys {
		if k.matches(e.Key) {
			idx = i
			break
		}
	}
	if idx < 0 {
		p.warn(e.Line, "Unknown key '%s' in %s:%d", e.Key, p.file, e.Line)
		return
	}
	k := p.keys[idx]
	e.Known, e.canon = true, k.Name
	if fi, dup := p.first[idx]; dup {
		f := p.entries[fi]
		e.Duplicate = true
		p.warn(e.Line, "Duplicated config key '%s' in %s:%d (Conflicting key: '%s' in %s:%d)",
			e.Key, p.file, e.Line, f.Key, p.file, f.Line)
		return
	}
	p.first[idx] = len(p.entries)
	if err := checkValue(k, e.Value); err != nil {
		switch k.Type {
		case TypeBool:
			p.warn(e.Line, "Invalid boolean value '%s' for key '%s' in %s:%d", e.Value, e.Key, p.file, e.Line)
		case TypeInt, TypePorts:
			p.warn(e.Line, "Invalid integer value '%s' for key '%s' in %s:%d", e.Value, e.Key, p.file, e.Line)
		case TypeSize:
			p.warn(e.Line, "Invalid memory string '%s' for .wslconfig entry '%s' in %s:%d", e.Value, e.Key, p.file, e.Line)
		case TypeEnum:
			p.warn(e.Line, "Invalid value '%s' for config key '%s' in %s:%d (Valid values: %s)", e.Value, e.Key, p.file, e.Line, k.validList())
		case TypeIP:
			p.warn(e.Line, "Invalid IP value '%s' for key '%s' in %s:%d", e.Value, e.Key, p.file, e.Line)
		case TypeMAC:
			p.warn(e.Line, "Invalid mac address '%s' for key '%s' in %s:%d", e.Value, e.Key, p.file, e.Line)
		}
		return
	}
	e.Used = true
}
