// Package wslout decodes and parses what wsl.exe prints: the byte-level encoding (UTF-16LE with or
// without a BOM, or UTF-8 when WSL_UTF8=1 was honoured), line endings (\r\n and the \r\r\n of old
// inbox builds), the list formats (-l -v, -l -q, -l), --status, --version and the
// "Error code: Wsl/..." error format. Every function is pure: text in, values out, never a panic.
//
// The facts behind each parser (with sources) are in /work/shared/reference/wsl-facts.md §1. The
// decoder is hand-written rather than golang.org/x/text's because the input's encoding is not
// declared: it has to be sniffed from the bytes (inbox wsl.exe ignores WSL_UTF8), and x/text is not
// a dependency of this module.
package wslout

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Decode turns wsl.exe's raw output into a Go string. It recognises, by looking at the bytes:
// a UTF-16LE BOM (FF FE), a UTF-8 BOM (EF BB BF), BOM-less UTF-16LE (NUL bytes mostly at odd
// offsets) and otherwise UTF-8. Invalid sequences and a dangling odd byte become U+FFFD.
func Decode(b []byte) string {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return decodeUTF16LE(b[2:])
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return toValidUTF8(b[3:])
	case looksUTF16LE(b):
		return strings.TrimPrefix(decodeUTF16LE(b), "\uFEFF")
	}
	return strings.TrimPrefix(toValidUTF8(b), "\uFEFF")
}

// looksUTF16LE reports whether b has more NUL bytes at odd offsets than at even ones. UTF-8 text
// never contains NUL; UTF-16LE text with any ASCII in it (wsl.exe always ends lines with CR LF,
// 0d 00 0a 00) has NULs at odd offsets.
func looksUTF16LE(b []byte) bool {
	odd, even := 0, 0
	for i, c := range b {
		if c != 0 {
			continue
		}
		if i%2 == 1 {
			odd++
		} else {
			even++
		}
	}
	return odd > 0 && odd > even
}

// decodeUTF16LE decodes straight into a builder (no []uint16 or []rune in between). Unpaired
// surrogates and a dangling odd byte become U+FFFD.
func decodeUTF16LE(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) / 2)
	for i := 0; i+1 < len(b); i += 2 {
		c := rune(uint16(b[i]) | uint16(b[i+1])<<8)
		switch {
		case c < 0x80:
			sb.WriteByte(byte(c))
			continue
		case utf16.IsSurrogate(c):
			if c < 0xDC00 && i+3 < len(b) {
				c2 := rune(uint16(b[i+2]) | uint16(b[i+3])<<8)
				if r := utf16.DecodeRune(c, c2); r != utf8.RuneError {
					sb.WriteRune(r)
					i += 2
					continue
				}
			}
			c = utf8.RuneError
		}
		sb.WriteRune(c)
	}
	if len(b)%2 == 1 {
		sb.WriteRune(utf8.RuneError)
	}
	return sb.String()
}

// toValidUTF8 replaces every invalid byte with U+FFFD (one per byte, so lengths stay telling).
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			sb.WriteRune(utf8.RuneError)
		} else {
			sb.Write(b[:n])
		}
		b = b[n:]
	}
	return sb.String()
}

// Lines splits decoded text into lines: on \n, with every trailing \r stripped (so \r\n and
// \r\r\n both end a line). A final empty line after the last \n is dropped.
func Lines(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		parts[i] = strings.TrimRight(p, "\r")
	}
	return parts
}

// nonEmpty returns the lines that are not blank.
func nonEmpty(lines []string) []string {
	out := lines[:0:0]
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
