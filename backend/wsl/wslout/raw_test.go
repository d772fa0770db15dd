package wslout

import (
	"testing"
	"unicode/utf8"
)

// Raw wsl.exe bytes written out by hand from wsl-facts §1.1, not produced by Encode, so a bug
// shared by Encode and Decode cannot hide.
func TestRawBytesFromTheFacts(t *testing.T) {
	cases := []struct {
		name string
		raw  []byte
		want string
	}{
		// "  NAME" … CRLF, UTF-16LE without BOM (§1.1's byte-level sample of `wsl -l -v`).
		{"list header", []byte{0x20, 0x00, 0x20, 0x00, 0x4e, 0x00, 0x41, 0x00, 0x4d, 0x00, 0x45, 0x00, 0x0d, 0x00, 0x0a, 0x00}, "  NAME\r\n"},
		// The inbox build Tailscale logged (tailscale/tailscale#3170): "\r\r\nCopyr".
		{"inbox crcrlf", []byte{0x0d, 0x00, 0x0d, 0x00, 0x0a, 0x00, 0x43, 0x00, 0x6f, 0x00, 0x70, 0x00, 0x79, 0x00, 0x72, 0x00}, "\r\r\nCopyr"},
		// German "für" in UTF-16LE: ü is FC 00.
		{"latin-1 range", []byte{0x66, 0x00, 0xfc, 0x00, 0x72, 0x00, 0x0d, 0x00, 0x0a, 0x00}, "für\r\n"},
		// 既定 (ja "default") outside Latin-1: U+65E2 U+5B9A, e2 65 9a 5b.
		{"cjk", []byte{0xe2, 0x65, 0x9a, 0x5b, 0x0d, 0x00, 0x0a, 0x00}, "既定\r\n"},
		// WSL_UTF8=1 on a Store build: plain UTF-8 with CRLF.
		{"utf8", []byte("Default Version: 2\r\n"), "Default Version: 2\r\n"},
	}
	for _, c := range cases {
		if got := Decode(c.raw); got != c.want {
			t.Errorf("%s: Decode = %q, want %q", c.name, got, c.want)
		}
		if got := DecodeStderr(c.raw); c.name != "cjk" && got != c.want {
			t.Errorf("%s: DecodeStderr = %q, want %q", c.name, got, c.want)
		}
	}
}

// A `wsl:` warning in UTF-16 followed by a Linux command's UTF-8 stderr, in one stream.
func TestDecodeStderrMixed(t *testing.T) {
	var raw []byte
	for _, c := range "wsl: Unknown key 'wsl2.foo' in C:\\Users\\dev\\.wslconfig:3\r\n" { // ASCII only
		raw = append(raw, byte(c), 0)
	}
	raw = append(raw, []byte("grep: /etc/grüße: No such file or directory\n")...)
	got := DecodeStderr(raw)
	want := "wsl: Unknown key 'wsl2.foo' in C:\\Users\\dev\\.wslconfig:3\r\ngrep: /etc/grüße: No such file or directory\n"
	if got != want {
		t.Fatalf("DecodeStderr = %q\nwant %q", got, want)
	}
	if Decode(raw) == want {
		t.Log("Decode alone now handles the mix too")
	}
}

func FuzzDecodeStderr(f *testing.F) {
	f.Add([]byte("w\x00s\x00l\x00:\x00 \x00x\x00\r\x00\n\x00ok\n"))
	f.Add([]byte("plain\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := DecodeStderr(b)
		if !utf8.ValidString(s) || len(s) > 3*len(b)+3 {
			t.Fatalf("DecodeStderr(%q) = %q", b, s)
		}
	})
}
