package wslconfig

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t testing.TB, b []byte) *File {
	t.Helper()
	f, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func warningTexts(f *File) []string {
	var out []string
	for _, w := range f.Warnings() {
		out = append(out, w.Text)
	}
	return out
}

func TestRealisticFile(t *testing.T) {
	b := mustRead(t, "realistic.wslconfig")
	f := mustParse(t, b)
	if !bytes.Equal(f.Bytes(), b) {
		t.Fatal("Bytes() differs from the input")
	}
	gets := []struct{ key, want string }{
		{"wsl2.memory", "8GB"}, // first occurrence wins over line 9
		{"WSL2.MEMORY", "8GB"}, // case-insensitive
		{"wsl2.processors", "0x4"},
		{"wsl2.swap", "0"},
		{"wsl2.swapFile", `C:\temp\wsl swap.vhdx`},
		{"wsl2.kernelCommandLine", "sysctl.vm.swappiness=10 # not a comment"},
		{"wsl2.localhostForwarding", "TRUE"},
		{"wsl2.networkingMode", "mirrored"},
		{"experimental.networkingMode", "mirrored"}, // alias: same setting
		{"experimental.autoMemoryReclaim", "dropCache"},
		{"experimental.sparseVhd", "true"},
		{"general.instanceIdleTimeout", "-1"},
		{"general.kernelCommandLine", "a    b"}, // continuation keeps the next line's blanks
		{"wsl2.autoMemoryReclaim", "gradual"},   // unknown keys can be read too
	}
	for _, g := range gets {
		got, ok := f.Get(g.key)
		if !ok || got != g.want {
			t.Errorf("Get(%q) = %q, %v; want %q", g.key, got, ok, g.want)
		}
	}
	if v, ok := f.Get("wsl2.kernel"); ok {
		t.Errorf("wsl2.kernel has a bad escape and WSL drops the line; Get = %q", v)
	}
	want := []string{
		"Invalid key name in .wslconfig:6",
		"Duplicated config key 'wsl2.memory' in .wslconfig:9 (Conflicting key: 'wsl2.memory' in .wslconfig:3)",
		"Unknown key 'wsl2.autoMemoryReclaim' in .wslconfig:10",
		"Invalid escaped character: 'U' in .wslconfig:11",
		"Invalid boolean value 'yes' for key 'wsl2.guiApplications' in .wslconfig:14",
		"Invalid memory string '512gb' for .wslconfig entry 'wsl2.defaultVhdSize' in .wslconfig:15",
		"Duplicated config key 'experimental.networkingMode' in .wslconfig:20 (Conflicting key: 'wsl2.networkingMode' in .wslconfig:13)",
		"Unknown key 'experimental.bogusKey' in .wslconfig:22",
		"Unknown key 'general.kernelCommandLine' in .wslconfig:27",
	}
	if got := warningTexts(f); !reflect.DeepEqual(got, want) {
		t.Errorf("warnings:\n got %q\nwant %q", got, want)
	}
	for _, w := range f.Warnings() {
		if !strings.HasSuffix(w.Text, ":"+strconv.Itoa(w.Line)) && !strings.Contains(w.Text, ":"+strconv.Itoa(w.Line)+" ") {
			t.Errorf("warning %q does not carry its line %d", w.Text, w.Line)
		}
	}
	set := map[string]Setting{}
	for _, s := range f.Settings() {
		set[s.Key.Name] = s
	}
	if s := set["wsl2.guiApplications"]; !s.Set || s.Valid || s.Effective() != "true" {
		t.Errorf("guiApplications=yes: %+v, effective %q; want set, invalid, effective default true", s, s.Effective())
	}
	if s := set["wsl2.memory"]; !s.Set || !s.Valid || s.Line != 3 || s.Effective() != "8GB" {
		t.Errorf("memory: %+v", s)
	}
	if s := set["wsl2.vmIdleTimeout"]; s.Set || s.Effective() != "60000" {
		t.Errorf("vmIdleTimeout: %+v", s)
	}
	var unknown []string
	for _, e := range f.Unknown() {
		unknown = append(unknown, e.Key)
	}
	if want := []string{"wsl2.autoMemoryReclaim", "experimental.bogusKey", "general.kernelCommandLine"}; !reflect.DeepEqual(unknown, want) {
		t.Errorf("Unknown() = %q, want %q", unknown, want)
	}
	if m := ReclaimMode(f); m != "dropcache" {
		t.Errorf("ReclaimMode = %q, want dropcache (the [experimental] key, not the misplaced [wsl2] one)", m)
	}
}

func TestDocsSample(t *testing.T) {
	b := mustRead(t, "docs-sample.wslconfig")
	f := mustParse(t, b)
	if !bytes.Equal(f.Bytes(), b) {
		t.Fatal("Bytes() differs")
	}
	for key, want := range map[string]string{
		"wsl2.memory":            "4GB",
		"wsl2.processors":        "2",
		"wsl2.swapFile":          `C:\temp\wsl-swap.vhdx`, // "swapfile" matches case-insensitively; \\ is one backslash
		"experimental.sparseVhd": "true",
	} {
		if got, ok := f.Get(key); !ok || got != want {
			t.Errorf("Get(%q) = %q, %v; want %q", key, got, ok, want)
		}
	}
	// The docs' "..." elision lines are not keys: WSL warns about them.
	want := []string{"Invalid key name in .wslconfig:9", "Invalid key name in .wslconfig:12"}
	if got := warningTexts(f); !reflect.DeepEqual(got, want) {
		t.Errorf("warnings = %q, want %q", got, want)
	}
}

func TestParseRules(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		key      string
		want     string // "" with ok=false means absent
		ok       bool
		warnings []string
	}{
		{"semicolon is not a comment", "[wsl2]\n;memory=1GB\nmemory=2GB\n", "wsl2.memory", "2GB", true,
			[]string{"Invalid key name in .wslconfig:2"}},
		{"semicolon inside a value is kept", "[wsl2]\nkernelCommandLine=a;b ; c\n", "wsl2.kernelCommandLine", "a;b ; c", true, nil},
		{"trailing hash comment", "[wsl2]\nmemory=2GB# two\n", "wsl2.memory", "2GB", true, nil},
		{"hash in quotes is kept", "[wsl2]\nkernelCommandLine=\"a # b\"\n", "wsl2.kernelCommandLine", "a # b", true, nil},
		{"quotes keep blanks", "[wsl2]\nkernelCommandLine = \"  a  \"   \n", "wsl2.kernelCommandLine", "  a  ", true, nil},
		{"trailing blanks trimmed", "[wsl2]\nkernelCommandLine = a b \t \n", "wsl2.kernelCommandLine", "a b", true, nil},
		{"blanks around =", "[wsl2]\n\t memory \t=\t 3GB\n", "wsl2.memory", "3GB", true, nil},
		{"C:\\temp becomes a tab", "[wsl2]\nkernel=C:\\temp\\bzImage\n", "wsl2.kernel", "C:\temp\bzImage", true, nil},
		{"escapes", "[wsl2]\nkernelCommandLine=\\\\ \\\" \\n\n", "wsl2.kernelCommandLine", "\\ \" \n", true, nil},
		{"bad escape drops the line", "[wsl2]\nkernel=C:\\x\nmemory=1GB\n", "wsl2.kernel", "", false,
			[]string{"Invalid escaped character: 'x' in .wslconfig:2"}},
		{"unclosed quote drops the line", "[wsl2]\nkernel=\"C:\\\\k\nmemory=1GB\n", "wsl2.kernel", "", false,
			[]string{"Expected \" in .wslconfig:2"}},
		{"continuation", "[wsl2]\nkernelCommandLine=a\\\nb\nmemory=x\n", "wsl2.kernelCommandLine", "ab", true,
			[]string{"Invalid memory string 'x' for .wslconfig entry 'wsl2.memory' in .wslconfig:4"}},
		{"CRLF continuation", "[wsl2]\r\nkernelCommandLine=a\\\r\nb\r\n", "wsl2.kernelCommandLine", "ab", true, nil},
		{"key outside a section", "memory=4GB\n[wsl2]\n", "wsl2.memory", "", false,
			[]string{"Unknown key 'memory' in .wslconfig:1"}},
		{"bad section keeps the previous one", "[wsl2]\n[wsl 2]\nmemory=4GB\n", "wsl2.memory", "4GB", true,
			[]string{"Expected ']' in .wslconfig:2"}},
		{"section with blanks inside", "[ wsl2 ]\nmemory=4GB\n", "wsl2.memory", "", false,
			[]string{"Invalid section name in .wslconfig:1", "Unknown key 'memory' in .wslconfig:2"}},
		{"text after a section", "[wsl2] x\nmemory=4GB\n", "wsl2.memory", "", false,
			[]string{"Expected ' ' or '\\n' in .wslconfig:1", "Unknown key 'memory' in .wslconfig:2"}},
		{"key without =", "[wsl2]\nmemory\nprocessors=2\n", "wsl2.processors", "2", true,
			[]string{"Expected '=' in .wslconfig:2"}},
		{"key with a dash", "[wsl2]\nmem-ory=1\n", "wsl2.memory", "", false,
			[]string{"Expected '=' in .wslconfig:2"}},
		{"section and key case-insensitive", "[WSL2]\nMEMORY=1GB\n", "wsl2.memory", "1GB", true, nil},
		{"duplicate: first wins even if invalid", "[wsl2]\nmemory=1gb\nmemory=2GB\n", "wsl2.memory", "1gb", true,
			[]string{"Invalid memory string '1gb' for .wslconfig entry 'wsl2.memory' in .wslconfig:2",
				"Duplicated config key 'wsl2.memory' in .wslconfig:3 (Conflicting key: 'wsl2.memory' in .wslconfig:2)"}},
		{"autoMemoryReclaim under wsl2 (microsoft/WSL#10759)", "[wsl2]\nautoMemoryReclaim=gradual\n", "experimental.autoMemoryReclaim", "", false,
			[]string{"Unknown key 'wsl2.autoMemoryReclaim' in .wslconfig:2"}},
		{"enum case-insensitive", "[experimental]\nautoMemoryReclaim=GRADUAL\n", "experimental.autoMemoryReclaim", "GRADUAL", true, nil},
		{"bad enum", "[experimental]\nautoMemoryReclaim=slow\n", "experimental.autoMemoryReclaim", "slow", true,
			[]string{"Invalid value 'slow' for config key 'experimental.autoMemoryReclaim' in .wslconfig:2 (Valid values: Disabled, DropCache, Gradual)"}},
		{"bad integer", "[wsl2]\nprocessors=08\n", "wsl2.processors", "08", true,
			[]string{"Invalid integer value '08' for key 'wsl2.processors' in .wslconfig:2"}},
		{"BOM skipped", "\xef\xbb\xbf[wsl2]\nmemory=1GB\n", "wsl2.memory", "1GB", true, nil},
		{"lone CR", "[wsl2]\rmemory=1GB\n", "wsl2.memory", "1GB", true, nil},
		{"no final newline", "[wsl2]\nmemory=1GB", "wsl2.memory", "1GB", true, nil},
		{"empty value", "[wsl2]\nkernelCommandLine=\n", "wsl2.kernelCommandLine", "", true, nil},
		{"utf-8 kept", "[wsl2]\nswapFile=D:\\\\Données\\\\swap.vhdx\n", "wsl2.swapFile", `D:\Données\swap.vhdx`, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustParse(t, []byte(tt.in))
			if !bytes.Equal(f.Bytes(), []byte(tt.in)) {
				t.Fatal("not lossless")
			}
			got, ok := f.Get(tt.key)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Get(%q) = %q, %v; want %q, %v", tt.key, got, ok, tt.want, tt.ok)
			}
			if w := warningTexts(f); !reflect.DeepEqual(w, tt.warnings) {
				t.Errorf("warnings = %q, want %q", w, tt.warnings)
			}
		})
	}
}

func TestWSLConf(t *testing.T) {
	f, err := ParseWSLConf(mustRead(t, "ubuntu.wsl.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings()) != 0 {
		t.Errorf("warnings: %q", warningTexts(f))
	}
	for key, want := range map[string]string{
		"boot.systemd": "true", "automount.root": "/windir/", "automount.options": "metadata,umask=22,fmask=11",
		"interop.appendWindowsPath": "false", "user.default": "dev",
	} {
		if got, _ := f.Get(key); got != want {
			t.Errorf("Get(%q) = %q, want %q", key, got, want)
		}
	}
	g, _ := ParseWSLConf([]byte("[wsl2]\nmemory=4GB\n"))
	if got := warningTexts(g); len(got) != 1 || got[0] != "Unknown key 'wsl2.memory' in /etc/wsl.conf:2" {
		t.Errorf("wsl.conf with a .wslconfig key: %q", got)
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]uint64{
		"0": 0, "1": 1, "512B": 512, "1K": 1024, "1KB": 1024, "256M": 256 << 20, "256MB": 256 << 20,
		"8G": 8 << 30, "8GB": 8 << 30, "1T": 1 << 40, "1TB": 1 << 40, "0GB": 0, "08GB": 8 << 30,
		"17179869184": 16 << 30,
	}
	for in, want := range good {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := map[string]string{
		"8gb":                  "must be uppercase",
		"8Gb":                  "must be uppercase",
		"8 GB":                 "no space",
		"2.5GB":                "whole numbers; use a smaller unit (2.5GB = 2560MB)",
		"":                     "empty",
		"GB":                   "starts with a whole number",
		"-1":                   "no sign",
		" 8GB":                 "no spaces",
		"8GiB":                 "unknown size suffix",
		"8BB":                  "unknown size suffix",
		"00":                   `write zero as "0"`,
		"99999999999999999999": "too large",
		"17179869184TB":        "too large",
	}
	for in, want := range bad {
		_, err := ParseSize(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSize(%q) error = %v, want it to say %q", in, err, want)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := [][2]string{
		{"wsl2.memory", "8GB"}, {"WSL2.Memory", "512MB"}, {"wsl2.processors", "0x10"}, {"wsl2.processors", "-1"},
		{"wsl2.processors", "010"}, {"wsl2.localhostForwarding", "False"}, {"wsl2.localhostForwarding", "1"},
		{"wsl2.networkingMode", "MIRRORED"}, {"experimental.networkingMode", "nat"},
		{"experimental.autoMemoryReclaim", "dropcache"}, {"experimental.dnsTunnelingIpAddress", "10.0.0.1"},
		{"wsl2.macAddress", "00:15:5d:aa:bb:cc"}, {"experimental.ignoredPorts", "80,443"}, {"wsl2.kernel", `C:\k`},
	}
	for _, kv := range ok {
		if err := Validate(kv[0], kv[1]); err != nil {
			t.Errorf("Validate(%q, %q) = %v", kv[0], kv[1], err)
		}
	}
	bad := []struct{ key, value, want string }{
		{"wsl2.memory", "8gb", "8gb: size suffix must be uppercase (B, K, KB, M, MB, G, GB, T, TB) — WSL would ignore it"},
		{"wsl2.localhostForwarding", "yes", "not a boolean"},
		{"wsl2.processors", "4.5", "not a base-10 integer"},
		{"wsl2.processors", "99999999999", "out of range"},
		{"wsl2.processors", "0x", "not a base-8 integer"},
		{"experimental.autoMemoryReclaim", "slow", "not one of Disabled, DropCache, Gradual"},
		{"experimental.dnsTunnelingIpAddress", "::1", "IPv4"},
		{"wsl2.macAddress", "00:15:5d:aa:bb", "MAC"},
		{"experimental.ignoredPorts", "80,http", "not a port"},
		{"wsl2.autoMemoryReclaim", "gradual", "WSL only reads it as experimental.autoMemoryReclaim"},
		{"memory", "8GB", "section.key"},
	}
	for _, b := range bad {
		err := Validate(b.key, b.value)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("Validate(%q, %q) = %v, want it to say %q", b.key, b.value, err, b.want)
		}
	}
}

func TestKeysTable(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range append(Keys(), WSLConfKeys()...) {
		if k.Section() == "" || k.Short() == "" || k.Doc == "" || k.Type == "" {
			t.Errorf("incomplete key %+v", k)
		}
		if k.Type == TypeEnum && len(k.Values) == 0 {
			t.Errorf("%s: enum without values", k.Name)
		}
		if k.Type == TypeEnum || k.Type == TypeBool || k.Type == TypeInt || k.Type == TypeSize {
			if err := checkValue(k, k.Default); err != nil && !strings.ContainsAny(k.Default, " %") {
				t.Errorf("%s: default %q does not validate: %v", k.Name, k.Default, err)
			}
		}
		seen[k.Name] = true
	}
	for _, n := range []string{"wsl2.memory", "experimental.autoMemoryReclaim", "general.instanceIdleTimeout", "boot.systemd"} {
		if !seen[n] {
			t.Errorf("missing %s", n)
		}
	}
	if k, ok := Lookup("experimental.NETWORKINGMODE"); !ok || k.Name != "wsl2.networkingMode" {
		t.Errorf("alias lookup = %+v, %v", k, ok)
	}
	if k, _ := Lookup("experimental.autoMemoryReclaim"); k.Default != "DropCache" {
		t.Errorf("autoMemoryReclaim default %q, want DropCache", k.Default)
	}
}
