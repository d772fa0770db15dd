package wslconfig

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"", "\xef\xbb\xbf", "[wsl2]\r\nmemory=4GB\r\n", "[wsl2]\nk=\"a\\\n", "[a]\rb=\\", "x=\"#\"#\"", "[wsl2]\nkernel=C:\\x\n"} {
		f.Add([]byte(s))
	}
}

// FuzzRoundTrip: Parse never fails on small input, never panics, and Bytes gives the input back.
func FuzzRoundTrip(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		cf, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(cf.Bytes(), b) {
			t.Fatalf("Bytes() = %q, want %q", cf.Bytes(), b)
		}
		for _, w := range cf.Warnings() {
			if w.Line < 1 || w.Text == "" {
				t.Fatalf("bad warning %+v", w)
			}
		}
		wc, _ := ParseWSLConf(b)
		if !bytes.Equal(wc.Bytes(), b) {
			t.Fatal("wsl.conf not lossless")
		}
	})
}

// FuzzSetKeepsOtherLines: setting a valid value on any file changes one line (when the key is
// present) or only adds lines (when absent); either way every other line is kept byte for byte,
// and the value reads back. If Set refuses (the edit would not read back), nothing changes.
func FuzzSetKeepsOtherLines(f *testing.F) {
	addSeeds(f)
	keys := []struct{ key, value string }{
		{"wsl2.memory", "12GB"}, {"wsl2.swapFile", `D:\a b\swap.vhdx`}, {"experimental.autoMemoryReclaim", "gradual"},
		{"wsl2.kernelCommandLine", " x # y "}, {"general.instanceIdleTimeout", "-1"}, {"wsl2.networkingMode", "mirrored"},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, kv := range keys {
			cf, _ := Parse(b)
			_, present := cf.Get(kv.key)
			if err := cf.Set(kv.key, kv.value); err != nil {
				if !bytes.Equal(cf.Bytes(), b) {
					t.Fatalf("Set(%s) failed (%v) but changed the file", kv.key, err)
				}
				continue
			}
			if got, ok := cf.Get(kv.key); !ok || got != kv.value {
				t.Fatalf("Set(%s, %q) reads back %q, %v", kv.key, kv.value, got, ok)
			}
			after := cf.Bytes()
			if present {
				// Same bytes outside one changed span; the span holds no new line break, and the
				// old span crosses lines only where the old value was continued with a backslash:
				// one (logical) line changed.
				p := commonPrefix(b, after)
				s := commonSuffix(b[p:], after[p:])
				if bytes.IndexByte(after[p:len(after)-s], '\n') >= 0 {
					t.Fatalf("Set(%s) on a present key added a line break: %q -> %q", kv.key, b, after)
				}
				old := b[p : len(b)-s]
				for i, c := range old {
					if c != '\n' {
						continue
					}
					j := p + i - 1
					if j >= 0 && b[j] == '\r' {
						j--
					}
					if j < 0 || b[j] != '\\' {
						t.Fatalf("Set(%s) changed more than one line: %q -> %q", kv.key, b, after)
					}
				}
			} else if !isSubsequence(b, after) {
				t.Fatalf("Set(%s) on an absent key changed existing bytes: %q -> %q", kv.key, b, after)
			}
		}
	})
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commonSuffix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// isSubsequence reports whether after is before with bytes inserted at one place.
func isSubsequence(before, after []byte) bool {
	p := commonPrefix(before, after)
	return bytes.Equal(before[p:], after[len(after)-(len(before)-p):])
}

// FuzzParseSize: never panics; an accepted size re-reads the same after formatting in bytes.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"8GB", "8gb", "8 GB", "2.5GB", "0", "00", "1TB", "-1", "18446744073709551615", "17179869184TB", "1K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if s == "" || s[0] < '0' || s[0] > '9' {
			t.Fatalf("accepted %q", s)
		}
		if m, err := ParseSize(uitoa(n)); err != nil || m != n {
			t.Fatalf("%q = %d, but %d re-reads as %d, %v", s, n, n, m, err)
		}
	})
}

func uitoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
