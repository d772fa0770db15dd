package main

import (
	"os"
	"strings"
	"unicode/utf16"
)

// The double's own encoder of wsl.exe's text, written from wsl-facts §1.1 and deliberately not
// wslout.Encode: a bug shared by the package's encoder and decoder would otherwise cancel out.
// UTF-16LE without BOM and "\n" → "\r\n" (the CRT's _O_U16TEXT text mode), or "\r\r\n" for old
// inbox builds; UTF-8 when WSL_UTF8=1 reaches a Store build (text mode still writes CRLF).
func encode(text string) []byte {
	utf8Mode := os.Getenv("WSL_UTF8") == "1" && !st.Inbox
	eol := "\r\n"
	if st.CRCRLF && !utf8Mode {
		eol = "\r\r\n"
	}
	text = strings.ReplaceAll(text, "\n", eol)
	if utf8Mode {
		return []byte(text)
	}
	var out []byte
	for _, u := range utf16.Encode([]rune(text)) {
		out = append(out, byte(u&0xff), byte(u>>8))
	}
	return out
}

// warnings writes State.Warnings to stderr the way wsl.exe writes its own (`wsl: …`, one a line,
// in its encoding), before anything else: a Linux command's stderr, relayed byte for byte in
// UTF-8, then follows them in the same stream.
func warnings() {
	for _, w := range st.Warnings {
		os.Stderr.Write(encode("wsl: " + w + "\n"))
	}
}
