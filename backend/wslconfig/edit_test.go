package wslconfig

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// splitLines splits b after each '\n', keeping the endings.
func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

// oneLineChanged checks that before and after have the same lines but one, and returns it.
func oneLineChanged(t *testing.T, before, after []byte) (int, string, string) {
	t.Helper()
	bl, al := splitLines(before), splitLines(after)
	if len(bl) != len(al) {
		t.Fatalf("line count changed: %d -> %d\n%q", len(bl), len(al), after)
	}
	idx := -1
	for i := range bl {
		if bl[i] != al[i] {
			if idx >= 0 {
				t.Fatalf("lines %d and %d both changed:\n%q\n%q", idx+1, i+1, bl[idx]+bl[i], al[idx]+al[i])
			}
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("nothing changed")
	}
	return idx + 1, bl[idx], al[idx]
}

func TestSetChangesOnlyTheValue(t *testing.T) {
	src := mustRead(t, "realistic.wslconfig")
	tests := []struct {
		key, value       string
		line             int
		oldLine, newLine string
	}{
		{"wsl2.memory", "16GB", 3, "memory = 8GB   # half of 16GB\r\n", "memory = 16GB   # half of 16GB\r\n"},
		{"WSL2.MEMORY", "512MB", 3, "memory = 8GB   # half of 16GB\r\n", "memory = 512MB   # half of 16GB\r\n"},
		{"wsl2.swap", "2GB", 5, "  swap\t=\t0\r\n", "  swap\t=\t2GB\r\n"},
		{"wsl2.swapFile", `D:\swap\x.vhdx`, 7, "swapFile=\"C:\\\\temp\\\\wsl swap.vhdx\"\r\n", "swapFile=\"D:\\\\swap\\\\x.vhdx\"\r\n"},
		{"wsl2.kernelCommandLine", "quiet", 8,
			"kernelCommandLine = \"sysctl.vm.swappiness=10 # not a comment\"  # a comment\r\n",
			"kernelCommandLine = \"quiet\"  # a comment\r\n"},
		{"experimental.networkingMode", "Nat", 13, "networkingMode=mirrored\r\n", "networkingMode=Nat\r\n"}, // alias: edits the first occurrence
		{"experimental.autoMemoryReclaim", "gradual", 18, "autoMemoryReclaim = dropCache\r\n", "autoMemoryReclaim = gradual\r\n"},
		{"wsl2.guiApplications", "false", 14, "guiApplications=yes\r\n", "guiApplications=false\r\n"},
		{"general.instanceIdleTimeout", "0x10", 25, "instanceIdleTimeout=-1\r\n", "instanceIdleTimeout=0x10\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			f := mustParse(t, src)
			if err := f.Set(tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
			line, o, n := oneLineChanged(t, src, f.Bytes())
			if line != tt.line || o != tt.oldLine || n != tt.newLine {
				t.Errorf("line %d: %q -> %q; want line %d: %q -> %q", line, o, n, tt.line, tt.oldLine, tt.newLine)
			}
			if got, _ := f.Get(tt.key); got != tt.value {
				t.Errorf("Get after Set = %q", got)
			}
			if !bytes.HasPrefix(f.Bytes(), bom) {
				t.Error("BOM lost")
			}
		})
	}
}

func TestSetAddsMissingKeys(t *testing.T) {
	tests := []struct {
		name, in, key, value, want string
	}{
		{"end of its section, CRLF kept", "[wsl2]\r\nmemory=4GB\r\n\r\n# next\r\n[experimental]\r\nsparseVhd=true\r\n",
			"wsl2.swap", "0", "[wsl2]\r\nmemory=4GB\r\nswap=0\r\n\r\n# next\r\n[experimental]\r\nsparseVhd=true\r\n"},
		{"section created at the end", "[wsl2]\nmemory=4GB\n", "experimental.autoMemoryReclaim", "gradual",
			"[wsl2]\nmemory=4GB\n\n[experimental]\nautoMemoryReclaim=gradual\n"},
		{"no final newline", "[wsl2]\nmemory=4GB", "wsl2.swap", "0", "[wsl2]\nmemory=4GB\nswap=0\n"},
		{"empty section", "[wsl2]\n# nothing yet\n", "wsl2.memory", "8GB", "[wsl2]\nmemory=8GB\n# nothing yet\n"},
		{"empty file", "", "wsl2.memory", "8GB", "[wsl2]\nmemory=8GB\n"},
		{"BOM only", "\xef\xbb\xbf", "wsl2.memory", "8GB", "\xef\xbb\xbf[wsl2]\nmemory=8GB\n"},
		{"path escaped", "", "wsl2.kernel", `C:\Users\me\bzImage`, "[wsl2]\nkernel=C:\\\\Users\\\\me\\\\bzImage\n"},
		{"value needing quotes", "", "wsl2.kernelCommandLine", " a # b", "[wsl2]\nkernelCommandLine=\" a # b\"\n"},
		{"misplaced key left alone", "[wsl2]\nautoMemoryReclaim=gradual\n", "experimental.autoMemoryReclaim", "gradual",
			"[wsl2]\nautoMemoryReclaim=gradual\n\n[experimental]\nautoMemoryReclaim=gradual\n"},
		{"section spelled differently", "[WSL2]\nmemory=4GB\n", "wsl2.swap", "0", "[WSL2]\nmemory=4GB\nswap=0\n"},
		{"after a continued value", "[wsl2]\nkernelCommandLine=a\\\n", "wsl2.memory", "1GB", "[wsl2]\nkernelCommandLine=a\\\n\nmemory=1GB\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, []byte(tt.in))
			if err := f.Set(tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
			if got := string(f.Bytes()); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if got, _ := f.Get(tt.key); got != tt.value {
				t.Errorf("Get after Set = %q, want %q", got, tt.value)
			}
		})
	}
}

func TestSetEmptyValueBeforeComment(t *testing.T) {
	f := mustParse(t, []byte("[wsl2]\nkernelCommandLine=# later\n"))
	if err := f.Set("wsl2.kernelCommandLine", "quiet"); err != nil {
		t.Fatal(err)
	}
	if got := string(f.Bytes()); got != "[wsl2]\nkernelCommandLine=quiet # later\n" {
		t.Errorf("got %q", got)
	}
}

func TestSetRefusesInvalid(t *testing.T) {
	src := mustRead(t, "realistic.wslconfig")
	tests := []struct{ key, value, want string }{
		{"wsl2.memory", "8gb", "8gb: size suffix must be uppercase (B, K, KB, M, MB, G, GB, T, TB) — WSL would ignore it"},
		{"wsl2.memory", "8 GB", "8 GB: no space allowed between the number and the unit"},
		{"wsl2.memory", "2.5GB", "2.5GB: sizes must be whole numbers; use a smaller unit (2.5GB = 2560MB)"},
		{"wsl2.autoMemoryReclaim", "gradual", "unknown key \"wsl2.autoMemoryReclaim\" — WSL only reads it as experimental.autoMemoryReclaim"},
		{"experimental.autoMemoryReclaim", "sometimes", "not one of Disabled, DropCache, Gradual"},
		{"wsl2.kernelCommandLine", "a\rb", "carriage return"},
		{"nosuch.key", "1", "unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			f := mustParse(t, src)
			err := f.Set(tt.key, tt.value)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Set error = %v, want it to say %q", err, tt.want)
			}
			var be *backend.Error
			if !errors.As(err, &be) {
				t.Errorf("error %T is not a *backend.Error", err)
			}
			if !bytes.Equal(f.Bytes(), src) {
				t.Error("file changed although Set failed")
			}
			if len(f.Warnings()) != 9 {
				t.Errorf("warnings changed: %d", len(f.Warnings()))
			}
		})
	}
}

func TestUnset(t *testing.T) {
	f := mustParse(t, []byte("[wsl2]\nmemory=4GB # a\nswap=0\nmemory=8GB\nautoMemoryReclaim=gradual\n"))
	if err := f.Unset("wsl2.memory"); err != nil {
		t.Fatal(err)
	}
	if err := f.Unset("wsl2.autoMemoryReclaim"); err != nil {
		t.Fatal(err)
	}
	if got := string(f.Bytes()); got != "[wsl2]\nswap=0\n" {
		t.Errorf("got %q", got)
	}
	if err := f.Unset("wsl2.memory"); err != nil || string(f.Bytes()) != "[wsl2]\nswap=0\n" {
		t.Errorf("second Unset: %v, %q", err, f.Bytes())
	}
}

func TestReclaimMode(t *testing.T) {
	tests := map[string]backend.ReclaimMode{
		"": backend.ReclaimDropCache,
		"[experimental]\nautoMemoryReclaim=Gradual":                             backend.ReclaimGradual,
		"[experimental]\nautoMemoryReclaim=disabled\nautoMemoryReclaim=gradual": backend.ReclaimDisabled,
		"[experimental]\nautoMemoryReclaim=dropCache":                           backend.ReclaimDropCache,
		"[experimental]\nautoMemoryReclaim=bogus":                               backend.ReclaimDropCache,
		"[wsl2]\nautoMemoryReclaim=disabled":                                    backend.ReclaimDropCache,
	}
	for in, want := range tests {
		if got := ReclaimMode(mustParse(t, []byte(in))); got != want {
			t.Errorf("ReclaimMode(%q) = %q, want %q", in, got, want)
		}
	}
	if ReclaimMode(nil) != backend.ReclaimDropCache {
		t.Error("nil file")
	}
	for _, m := range []backend.ReclaimMode{backend.ReclaimGradual, backend.ReclaimDropCache, backend.ReclaimDisabled, backend.ReclaimCompact} {
		d := DescribeReclaim(m, "")
		if !strings.HasPrefix(d, map[backend.ReclaimMode]string{backend.ReclaimGradual: "gradual:", backend.ReclaimDropCache: "dropcache:",
			backend.ReclaimDisabled: "never:", backend.ReclaimCompact: "compact:"}[m]) {
			t.Errorf("DescribeReclaim(%q) = %q", m, d)
		}
	}
	// The version's real rule: 2.9.x waits 10 (dropcache) or 3 (gradual) minutes of user CPU,
	// newer WSL 2 minutes of all busy CPU.
	if !strings.Contains(DescribeReclaim(backend.ReclaimGradual, "2.9.4.0"), "3%") || !strings.Contains(DescribeReclaim(backend.ReclaimDropCache, "2.9.4"), "10 minutes") ||
		!strings.Contains(DescribeReclaim(backend.ReclaimDropCache, ""), "10 minutes") {
		t.Error("the released rule lost its numbers")
	}
	if d := DescribeReclaim(backend.ReclaimDropCache, "3.0.1"); !strings.Contains(d, "2 minutes") || !strings.Contains(d, "busy CPU") {
		t.Errorf("the newer rule: %q", d)
	}
}
