package wslout

import (
	"bytes"
	"strings"
)

// DecodeStderr decodes a wsl.exe stderr stream, which can mix two encodings: wsl.exe's own
// `wsl: …` warnings in its encoding (UTF-16LE unless WSL_UTF8=1 was honoured) and, after them,
// a Linux command's stderr relayed byte for byte (UTF-8). Decode would read the whole stream as
// one or the other and turn the other part into mojibake.
//
// It goes line by line: a line whose first two bytes are an ASCII character and a NUL is UTF-16LE
// (wsl.exe's lines start with "wsl: ") and runs to the next 0a 00 at an even distance; any other
// line is UTF-8 up to its '\n' (UTF-8 text never holds a NUL). Without NULs it is Decode.
func DecodeStderr(b []byte) string {
	if bytes.IndexByte(b, 0) < 0 || (len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		return Decode(b)
	}
	var sb strings.Builder
	for i := 0; i < len(b); {
		if i+1 < len(b) && b[i+1] == 0 && b[i] != 0 && b[i] < 0x80 {
			j := i
			for j+1 < len(b) {
				j += 2
				if b[j-2] == '\n' && b[j-1] == 0 {
					break
				}
			}
			if j+1 == len(b) { // a dangling odd byte
				j = len(b)
			}
			sb.WriteString(decodeUTF16LE(b[i:j]))
			i = j
			continue
		}
		end := len(b)
		if k := bytes.IndexByte(b[i:], '\n'); k >= 0 {
			end = i + k + 1
		}
		sb.WriteString(toValidUTF8(b[i:end]))
		i = end
	}
	return sb.String()
}
