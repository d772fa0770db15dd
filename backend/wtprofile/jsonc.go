package wtprofile

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// A lossless reader of the JSON Windows Terminal accepts (comments, trailing commas, a BOM): it
// records where each value lies in the bytes so that an edit replaces one string token and
// leaves every other byte as it was.

// ErrSyntax is returned for text that is not such JSON.
var ErrSyntax = errors.New("not valid JSON")

const maxDepth = 512

type value struct {
	kind       byte // '{', '[', '"', or 'l' (number, true, false, null)
	start, end int  // the value's bytes: [start, end)
	str        string
	members    []member
	elems      []*value
}

type member struct {
	key string
	val *value
}

// get is the object member key ("" kind when absent or not an object).
func (v *value) get(key string) *value {
	if v == nil || v.kind != '{' {
		return nil
	}
	for i := len(v.members) - 1; i >= 0; i-- { // the last duplicate wins, as in most readers
		if v.members[i].key == key {
			return v.members[i].val
		}
	}
	return nil
}

func (v *value) isString() bool { return v != nil && v.kind == '"' }

type parser struct {
	b   []byte
	i   int
	dep int
}

func parse(b []byte) (*value, error) {
	p := &parser{b: b}
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		p.i = 3
	}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.i != len(b) {
		return nil, p.errf("text after the end")
	}
	return v, nil
}

func (p *parser) errf(f string, a ...any) error {
	return fmt.Errorf("%w: offset %d: %s", ErrSyntax, p.i, fmt.Sprintf(f, a...))
}

// space skips white space and comments.
func (p *parser) space() error {
	for p.i < len(p.b) {
		switch c := p.b[p.i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			p.i++
		case c == '/' && p.i+1 < len(p.b) && p.b[p.i+1] == '/':
			for p.i < len(p.b) && p.b[p.i] != '\n' {
				p.i++
			}
		case c == '/' && p.i+1 < len(p.b) && p.b[p.i+1] == '*':
			j := p.i + 2
			for ; j+1 < len(p.b) && !(p.b[j] == '*' && p.b[j+1] == '/'); j++ {
			}
			if j+1 >= len(p.b) {
				return p.errf("unterminated comment")
			}
			p.i = j + 2
		default:
			return nil
		}
	}
	return nil
}

func (p *parser) value() (*value, error) {
	if err := p.space(); err != nil {
		return nil, err
	}
	if p.i >= len(p.b) {
		return nil, p.errf("unexpected end")
	}
	switch c := p.b[p.i]; {
	case c == '{' || c == '[':
		p.dep++
		if p.dep > maxDepth {
			return nil, p.errf("nested too deep")
		}
		defer func() { p.dep-- }()
		if c == '{' {
			return p.object()
		}
		return p.array()
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
		start := p.i
		for p.i < len(p.b) && (isWord(p.b[p.i])) {
			p.i++
		}
		lit := string(p.b[start:p.i])
		var x any
		if json.Unmarshal([]byte(lit), &x) != nil {
			return nil, p.errf("bad literal %q", lit)
		}
		return &value{kind: 'l', start: start, end: p.i}, nil
	}
	return nil, p.errf("unexpected %q", p.b[p.i])
}

func isWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

func (p *parser) str() (*value, error) {
	start := p.i
	p.i++
	for p.i < len(p.b) && p.b[p.i] != '"' {
		if p.b[p.i] == '\\' {
			p.i++
		}
		p.i++
	}
	if p.i >= len(p.b) {
		return nil, p.errf("unterminated string")
	}
	p.i++
	v := &value{kind: '"', start: start, end: p.i}
	if err := json.Unmarshal(p.b[start:p.i], &v.str); err != nil {
		return nil, p.errf("bad string")
	}
	return v, nil
}

func (p *parser) object() (*value, error) {
	v := &value{kind: '{', start: p.i}
	p.i++
	for {
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			v.end = p.i
			return v, nil
		}
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, p.errf("want a member name")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, p.errf("want ':'")
		}
		p.i++
		val, err := p.value()
		if err != nil {
			return nil, err
		}
		v.members = append(v.members, member{k.str, val})
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.i < len(p.b) && p.b[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.b) && p.b[p.i] == '}' {
			continue
		}
		return nil, p.errf("want ',' or '}'")
	}
}

func (p *parser) array() (*value, error) {
	v := &value{kind: '[', start: p.i}
	p.i++
	for {
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			v.end = p.i
			return v, nil
		}
		e, err := p.value()
		if err != nil {
			return nil, err
		}
		v.elems = append(v.elems, e)
		if err := p.space(); err != nil {
			return nil, err
		}
		if p.i < len(p.b) && p.b[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.b) && p.b[p.i] == ']' {
			continue
		}
		return nil, p.errf("want ',' or ']'")
	}
}

// edit replaces a string token.
type edit struct {
	v   *value
	new string
}

// apply replaces each edit's token by the JSON string of its new text, nothing else.
func apply(b []byte, edits []edit) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].v.start < edits[j].v.start })
	out := make([]byte, 0, len(b)+64)
	at := 0
	for _, e := range edits {
		if e.v.start < at {
			continue // the same token twice
		}
		out = append(out, b[at:e.v.start]...)
		out = append(out, quote(e.new)...)
		at = e.v.end
	}
	return append(out, b[at:]...)
}

func quote(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}
