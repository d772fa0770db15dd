package wslout

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wsldash/wsldash/backend"
)

func TestDecodeVariants(t *testing.T) {
	want := samples["list_v_basic"]
	for _, ext := range []string{".utf16", ".crcrlf", ".bom", ".utf8"} {
		got := strings.Join(Lines(readSample(t, "list_v_basic"+ext)), "\n") + "\n"
		if got != want {
			t.Errorf("%s: decoded %q, want %q", ext, got, want)
		}
	}
}

func TestDecodeEdgeCases(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, ""},
		{"utf8 bom", []byte("\xEF\xBB\xBFhi"), "hi"},
		{"utf16 bom only", []byte{0xFF, 0xFE}, ""},
		{"odd utf16", []byte{'h', 0, 'i', 0, 'x'}, "hi\uFFFD"},
		{"unpaired surrogate", []byte{'a', 0, 0x00, 0xD8, 'b', 0}, "a\uFFFDb"},
		{"invalid utf8", []byte{'a', 0xC3, 'b'}, "a\uFFFDb"},
		{"utf16 cjk", Encode("错误代码: x\n", UTF16), "错误代码: x\r\n"},
		{"utf8 nul-free", []byte("Ubuntu\r\n"), "Ubuntu\r\n"},
	}
	for _, c := range cases {
		if got := Decode(c.in); got != c.want {
			t.Errorf("%s: Decode = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestLines(t *testing.T) {
	got := Lines("a\r\nb\r\r\nc\n\nd")
	want := []string{"a", "b", "c", "", "d"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Lines = %q, want %q", got, want)
	}
	if Lines("") != nil {
		t.Fatal("Lines of empty text should be nil")
	}
}

func TestParseListVerbose(t *testing.T) {
	cases := []struct {
		file      string
		n         int
		def       string
		hasMarker bool
		check     func(t *testing.T, v Verbose)
	}{
		{file: "list_v_basic.utf16", n: 2, def: "kali-linux", hasMarker: true},
		{file: "list_v_basic.crcrlf", n: 2, def: "kali-linux", hasMarker: true},
		{file: "list_v_basic.utf8", n: 2, def: "kali-linux", hasMarker: true},
		{file: "list_v_basic.bom", n: 2, def: "kali-linux", hasMarker: true},
		{file: "list_v_nomarker.utf16", n: 4, hasMarker: false},
		{file: "list_v_nomarker.crcrlf", n: 4, hasMarker: false},
		{file: "list_v_format.utf16", n: 3, def: "Ubuntu-24.04", hasMarker: true, check: func(t *testing.T, v Verbose) {
			if v.Entries[2] != (Entry{Name: "Debian", State: backend.StateStopped, Version: 1}) {
				t.Errorf("row 3 = %+v", v.Entries[2])
			}
		}},
		{file: "list_v_transitional.utf16", n: 5, def: "Ubuntu", hasMarker: true, check: func(t *testing.T, v Verbose) {
			want := []backend.State{backend.StateRunning, backend.StateInstalling, backend.StateConverting, backend.StateExporting, backend.StateUninstalling}
			for i, s := range want {
				if v.Entries[i].State != s {
					t.Errorf("row %d state %q, want %q", i, v.Entries[i].State, s)
				}
			}
		}},
		{file: "list_v_sixty.utf16", n: 60, def: "Ubuntu-24.04", hasMarker: true, check: func(t *testing.T, v Verbose) {
			if last := v.Entries[59].Name; len(last) != 256 {
				t.Errorf("256-char name came out %d chars", len(last))
			}
			if v.Entries[11].Version != 1 {
				t.Errorf("distro 11 version %d, want 1", v.Entries[11].Version)
			}
		}},
		{file: "list_none.utf16", n: 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			v, err := ParseListVerbose(readSample(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Entries) != c.n || v.HasMarker != c.hasMarker {
				t.Fatalf("got %d entries, marker %v; want %d, %v", len(v.Entries), v.HasMarker, c.n, c.hasMarker)
			}
			def := ""
			for _, e := range v.Entries {
				if e.Default {
					def = e.Name
				}
			}
			if def != c.def {
				t.Errorf("default %q, want %q", def, c.def)
			}
			if c.check != nil {
				c.check(t, v)
			}
		})
	}
}

func TestParseListVerboseRejects(t *testing.T) {
	for _, in := range []string{
		"garbage\n",
		"  NAME STATE VERSION\n* x Running two\n",
		"  NAME STATE VERSION\n* x Running\n",
		"  NAME STATE VERSION\n  x Sleeping 2\n",
		"  NAME STATE VERSION\n  bad/name Running 2\n",
		Decode([]byte{0xff, 0x00, 0xd8, 0x41, 0x00, 0xde}),
	} {
		_, err := ParseListVerbose(in)
		if backend.KindOf(err) != backend.KindParse || err == nil {
			t.Errorf("ParseListVerbose(%q) err = %v, want KindParse", in, err)
		}
	}
}

func TestParseList(t *testing.T) {
	cases := map[string]Plain{
		"list_en.utf16":  {Names: []string{"Ubuntu", "Legacy", "Ubuntu-tmp"}, Default: "Ubuntu"},
		"list_en.crcrlf": {Names: []string{"Ubuntu", "Legacy", "Ubuntu-tmp"}, Default: "Ubuntu"},
		"list_de.utf16":  {Names: []string{"Ubuntu", "Debian"}, Default: "Ubuntu"},
		"list_ja.utf16":  {Names: []string{"Debian", "Ubuntu"}, Default: "Ubuntu"},
		"list_zh.utf16":  {Names: []string{"Ubuntu", "kali-linux"}, Default: "Ubuntu"},
	}
	for file, want := range cases {
		got, err := ParseList(readSample(t, file))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, %v; want %+v", file, got, err, want)
		}
	}
	if _, err := ParseList("Header:\nUbuntu junk\n"); backend.KindOf(err) != backend.KindParse {
		t.Errorf("junk suffix: err = %v, want KindParse", err)
	}
}

func TestParseListQuiet(t *testing.T) {
	got, err := ParseListQuiet(readSample(t, "list_q.utf16"))
	if err != nil || !reflect.DeepEqual(got, []string{"Ubuntu-24.04", "docker-desktop", "Debian"}) {
		t.Fatalf("got %q, %v", got, err)
	}
	got, err = ParseListQuiet("")
	if err != nil || len(got) != 0 {
		t.Fatalf("empty: got %q, %v", got, err)
	}
	if _, err := ParseListQuiet("has space\n"); backend.KindOf(err) != backend.KindParse {
		t.Fatalf("err = %v, want KindParse", err)
	}
}

func TestIsNoDistros(t *testing.T) {
	for _, f := range []string{"nodistros_current.utf16", "nodistros_inbox.utf16", "nodistros_inbox.crcrlf", "nodistros_2022.utf16"} {
		if !IsNoDistros(readSample(t, f)) {
			t.Errorf("%s not recognized as the no-distros message", f)
		}
	}
	for _, f := range []string{"error_notfound.utf16", "error_install.utf16", "list_v_basic.utf16", "norunning.utf16"} {
		if IsNoDistros(readSample(t, f)) {
			t.Errorf("%s wrongly taken for the no-distros message", f)
		}
	}
}

func TestParseStatus(t *testing.T) {
	cases := map[string]Status{
		"status_v1.utf16":        {DefaultDistro: "Debian", DefaultVersion: 2},
		"status_old.utf16":       {DefaultDistro: "Ubuntu-22.04", DefaultVersion: 2},
		"status_de.utf16":        {DefaultDistro: "Ubuntu", DefaultVersion: 2},
		"status_fr.utf16":        {DefaultDistro: "Ubuntu", DefaultVersion: 2},
		"status_nodefault.utf16": {DefaultVersion: 2},
	}
	for file, want := range cases {
		got, err := ParseStatus(readSample(t, file))
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v; want %+v", file, got, err, want)
		}
	}
	if _, err := ParseStatus("nonsense"); backend.KindOf(err) != backend.KindParse {
		t.Errorf("nonsense: err = %v, want KindParse", err)
	}
}

func TestParseVersion(t *testing.T) {
	want := Version{"2.6.1.0", "6.6.87.2-1", "1.0.66", "1.2.6353", "1.611.1-81528511", "10.0.26100.1-240331-1435.ge-release", "10.0.26100.4770"}
	for _, f := range []string{"version_en.utf16", "version_en.crcrlf", "version_en.bom", "version_en.utf8", "version_de.utf16", "version_fr.utf16", "version_ja.utf16"} {
		got, err := ParseVersion(readSample(t, f))
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v", f, got, err)
		}
	}
	if _, err := ParseVersion("Usage: wsl.exe [Argument]\n"); backend.KindOf(err) != backend.KindParse {
		t.Errorf("inbox usage: err = %v, want KindParse", err)
	}
}

func TestParseError(t *testing.T) {
	cases := []struct {
		file, code, msg string
		kind            backend.Kind
	}{
		{"error_notfound.utf16", "Wsl/Service/WSL_E_DISTRO_NOT_FOUND", "There is no distribution with the supplied name.", backend.KindNotFound},
		{"error_de.utf16", "Wsl/Service/WSL_E_DISTRO_NOT_FOUND", "Es ist keine Distribution mit dem angegebenen Namen vorhanden.", backend.KindNotFound},
		{"error_install.utf16", "Wsl/InstallDistro/WSL_E_DISTRO_NOT_FOUND", "Invalid distribution name: 'DoesNotExist'. To get a list of valid distributions, use 'wsl.exe --list --online'.", backend.KindNotFound},
		{"error_zh.utf16", "Wsl/Service/E_INVALIDARG", "由于潜在的数据损坏，目前已禁用稀疏 VHD 支持。", backend.KindFailed},
		{"error_bash.utf16", "Bash/Service/CreateInstance/ReadDistroConfig/WSL_E_DISTRO_NOT_FOUND", "", backend.KindNotFound},
		{"error_busy.utf16", "Wsl/Service/WSL_E_DISTRO_NOT_STOPPED", "The operation could not be completed because the VHD is currently in use. To force WSL to stop use: wsl.exe --shutdown", backend.KindBusy},
		{"norunning.utf16", "", "There are no running distributions.", backend.KindFailed},
	}
	for _, c := range cases {
		code, msg := ParseError(readSample(t, c.file))
		if code != c.code || msg != c.msg {
			t.Errorf("%s: got (%q, %q), want (%q, %q)", c.file, code, msg, c.code, c.msg)
		}
		if k := KindForCode(code); code != "" && k != c.kind {
			t.Errorf("%s: kind %v, want %v", c.file, k, c.kind)
		}
	}
	for code, kind := range map[string]backend.Kind{
		"Wsl/Service/E_ACCESSDENIED":                                      backend.KindPermission,
		"Wsl/Service/AttachDisk/WSL_E_ELEVATION_NEEDED_TO_MOUNT_DISK":     backend.KindPermission,
		"Wsl/Service/CreateInstance/MountVhd/HCS/ERROR_SHARING_VIOLATION": backend.KindBusy,
	} {
		if k := KindForCode(code); k != kind {
			t.Errorf("KindForCode(%s) = %v, want %v", code, k, kind)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, b := range allTestdata(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := Decode(b)
		if !utf8.ValidString(s) {
			t.Fatalf("Decode produced invalid UTF-8 from %x", b)
		}
		for _, l := range Lines(s) {
			if strings.ContainsRune(l, '\n') || strings.HasSuffix(l, "\r") {
				t.Fatalf("line %q still holds a line ending", l)
			}
		}
	})
}

func FuzzParseListVerbose(f *testing.F) {
	for _, b := range allTestdata(f) {
		f.Add(Decode(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseListVerbose(s)
		if err != nil {
			if backend.KindOf(err) != backend.KindParse {
				t.Fatalf("error of kind %v", backend.KindOf(err))
			}
			return
		}
		defs := 0
		for _, e := range v.Entries {
			if !validName(e.Name) || (e.Version != 1 && e.Version != 2) {
				t.Fatalf("bad entry %+v", e)
			}
			if e.Default {
				defs++
			}
		}
		if v.HasMarker != (defs > 0) {
			t.Fatalf("HasMarker %v with %d defaults", v.HasMarker, defs)
		}
	})
}

func FuzzParseList(f *testing.F) {
	for _, b := range allTestdata(f) {
		f.Add(Decode(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseList(s)
		if err != nil {
			return
		}
		for _, n := range p.Names {
			if !validName(n) {
				t.Fatalf("invalid name %q", n)
			}
		}
		if p.Default != "" && !validName(p.Default) {
			t.Fatalf("invalid default %q", p.Default)
		}
	})
}

func FuzzParseListQuiet(f *testing.F) {
	for _, b := range allTestdata(f) {
		f.Add(Decode(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := ParseListQuiet(s)
		for _, n := range names {
			if !validName(n) {
				t.Fatalf("invalid name %q (err %v)", n, err)
			}
		}
	})
}

func FuzzParseStatus(f *testing.F) {
	for _, b := range allTestdata(f) {
		f.Add(Decode(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStatus(s)
		if err == nil && st.DefaultDistro != "" && !validName(st.DefaultDistro) {
			t.Fatalf("invalid default %q", st.DefaultDistro)
		}
	})
}

func FuzzParseVersion(f *testing.F) {
	for _, b := range allTestdata(f) {
		f.Add(Decode(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err == nil && (v.WSL == "" || v.Windows == "") {
			t.Fatalf("empty fields without error: %+v", v)
		}
	})
}

func FuzzParseError(f *testing.F) {
	for _, b := range allTestdata(f) {
		f.Add(Decode(b))
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, msg := ParseError(s)
		if code != "" && !codeRE().MatchString(code) {
			t.Fatalf("code %q does not match the code pattern", code)
		}
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("message %q spans lines", msg)
		}
		_ = KindForCode(code)
		_ = IsNoDistros(s)
	})
}

func BenchmarkDecodeUTF16(b *testing.B) {
	raw := Encode(samples["list_v_sixty"], UTF16)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		_ = Decode(raw)
	}
}

func BenchmarkDecodeUTF8(b *testing.B) {
	raw := Encode(samples["list_v_sixty"], UTF8)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		_ = Decode(raw)
	}
}

func BenchmarkParseListVerbose60(b *testing.B) {
	s := samples["list_v_sixty"]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseListVerbose(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseVersion(b *testing.B) {
	s := samples["version_en"]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseVersion(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseError(b *testing.B) {
	s := samples["error_install"]
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseError(s)
	}
}

func BenchmarkParseStatus(b *testing.B) {
	s := samples["status_old"]
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseStatus(s)
	}
}

func TestDecodeUTF16MatchesStdlib(t *testing.T) {
	for _, s := range []string{"", "a", "Ünïcödé", "错误代码", "emoji 😀 pair", strings.Repeat("x😀y", 50)} {
		if got := Decode(Encode(s+"\n", UTF16)); got != s+"\r\n" {
			t.Errorf("round trip of %q gave %q", s, got)
		}
	}
	// A high surrogate followed by a non-surrogate, and a lone low surrogate.
	if got := Decode([]byte{0x3D, 0xD8, 'a', 0, 0x00, 0xDC, 'b', 0}); got != "\uFFFDa\uFFFDb" {
		t.Errorf("bad surrogates gave %q", got)
	}
}

func FuzzDecodeUTF16AgainstStdlib(f *testing.F) {
	f.Add([]byte{0x3D, 0xD8, 0x00, 0xDE})
	f.Fuzz(func(t *testing.T, b []byte) {
		u := make([]uint16, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])|uint16(b[i+1])<<8)
		}
		want := string(utf16.Decode(u))
		if len(b)%2 == 1 {
			want += "\uFFFD"
		}
		if got := decodeUTF16LE(b); got != want {
			t.Fatalf("decodeUTF16LE(%x) = %q, utf16.Decode gives %q", b, got, want)
		}
	})
}
