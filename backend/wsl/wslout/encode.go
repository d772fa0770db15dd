package wslout

import (
	"strings"
	"unicode/utf16"
)

// Encoding is how wsl.exe writes its own messages.
type Encoding int

const (
	UTF16       Encoding = iota // UTF-16LE, no BOM, CRLF: the default (CRT _O_U16TEXT)
	UTF16CRCRLF                 // UTF-16LE, no BOM, \r\r\n: seen from old inbox builds
	UTF16BOM                    // UTF-16LE with FF FE, CRLF: not seen from wsl.exe, handled anyway
	UTF8                        // UTF-8, CRLF: WSL_UTF8=1 on a Store build
)

// Encode writes text (with \n line ends) the way wsl.exe would in enc. It is the inverse of
// Decode+Lines and exists for test doubles and testdata generation.
func Encode(text string, enc Encoding) []byte {
	eol := "\r\n"
	if enc == UTF16CRCRLF {
		eol = "\r\r\n"
	}
	text = strings.ReplaceAll(text, "\n", eol)
	if enc == UTF8 {
		return []byte(text)
	}
	u := utf16.Encode([]rune(text))
	out := make([]byte, 0, 2*len(u)+2)
	if enc == UTF16BOM {
		out = append(out, 0xFF, 0xFE)
	}
	for _, c := range u {
		out = append(out, byte(c), byte(c>>8))
	}
	return out
}
