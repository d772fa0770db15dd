package wsl

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
)

// callsOf are the double's calls that start with verb.
func callsOf(f *fakewsltest.Fake, verb string) [][]string {
	var out [][]string
	for _, c := range f.Calls() {
		if len(c) > 0 && c[0] == verb {
			out = append(out, c)
		}
	}
	return out
}

// TestExportFormatsSendWSLsArguments: each format is exactly the wsl.exe flags for it, writes what
// wsl.exe writes, and imports back (a disk with --vhd, which wsl.exe needs for a .vhdx).
func TestExportFormatsSendWSLsArguments(t *testing.T) {
	b, f := newManaged(t, func(s *fakewsltest.State) { s.Drives = nil }) // local paths are the host's
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct {
		format backend.Format
		flags  []string
		magic  []byte
	}{
		{backend.FormatTar, nil, nil},
		{backend.FormatTarGz, []string{"--format", "tar.gz"}, []byte{0x1f, 0x8b}},
		{backend.FormatTarXz, []string{"--format", "tar.xz"}, []byte("\xfd7zXZ\x00")},
		{backend.FormatVHD, []string{"--vhd"}, []byte("fakewsl-vhdx:")},
	} {
		file := filepath.Join(dir, "debian"+tc.format.Ext())
		n0 := len(callsOf(f, "--export"))
		if err := b.Export(ctx, "Debian", file, tc.format, nil); err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		calls := callsOf(f, "--export")
		if len(calls) != n0+1 {
			t.Fatalf("%s: %d export calls", tc.format, len(calls)-n0)
		}
		if want := append([]string{"--export", "Debian", file}, tc.flags...); !reflect.DeepEqual(calls[n0], want) {
			t.Errorf("%s: sent %q, want %q", tc.format, calls[n0], want)
		}
		raw, err := os.ReadFile(file)
		if err != nil || !bytes.HasPrefix(raw, tc.magic) {
			t.Errorf("%s: file starts %q (%v)", tc.format, raw[:min(len(raw), 8)], err)
		}
		name := "Deb-" + strings.ReplaceAll(string(tc.format), ".", "")
		into := filepath.Join(dir, name)
		if err := b.Import(ctx, name, into, file, 0); err != nil {
			t.Fatalf("import %s: %v", tc.format, err)
		}
		imp := callsOf(f, "--import")
		want := []string{"--import", name, into, file}
		if tc.format == backend.FormatVHD {
			want = append(want, "--vhd")
		}
		if got := imp[len(imp)-1]; !reflect.DeepEqual(got, want) {
			t.Errorf("import %s: sent %q, want %q", tc.format, got, want)
		}
		found := false
		for _, d := range f.Read().Distros {
			found = found || (d.Name == name && d.Content == "debian-disk" && d.Version == 2)
		}
		if !found {
			t.Errorf("%s: the content did not round-trip: %+v", tc.format, f.Read().Distros)
		}
	}
}

// TestCloneThroughTheDisk: a vhd clone exports the disk with --vhd and imports it with --vhd.
func TestCloneThroughTheDisk(t *testing.T) {
	b, f := newManaged(t, func(s *fakewsltest.State) { s.Drives = nil })
	dir := filepath.Join(t.TempDir(), "Deb2")
	if err := b.Clone(context.Background(), "Debian", "Deb2", dir, backend.FormatVHD, nil); err != nil {
		t.Fatal(err)
	}
	exp, imp := callsOf(f, "--export"), callsOf(f, "--import")
	if len(exp) != 1 || len(imp) != 1 || exp[0][len(exp[0])-1] != "--vhd" || !strings.HasSuffix(exp[0][2], ".vhdx") {
		t.Fatalf("export %q import %q", exp, imp)
	}
	if want := []string{"--import", "Deb2", dir, exp[0][2], "--version", "2", "--vhd"}; !reflect.DeepEqual(imp[0], want) {
		t.Errorf("import %q, want %q", imp[0], want)
	}
	if _, err := os.Stat(exp[0][2]); !os.IsNotExist(err) {
		t.Errorf("the temporary disk was left: %v", err)
	}
}

// TestExportFormatRefusals: before wsl.exe is started, a compressed export on a WSL older than
// --format says the version needed, a vhd of a WSL 1 distro is refused, and the inbox wsl.exe
// gets no --vhd; a plain tar still works on each.
func TestExportFormatRefusals(t *testing.T) {
	ctx := context.Background()
	old, fo := newManaged(t, func(s *fakewsltest.State) { s.Manage.WSLVersion = "2.4.13.0"; s.Drives = nil })
	file := filepath.Join(t.TempDir(), "d.tar.gz")
	err := old.Export(ctx, "Debian", file, backend.FormatTarGz, nil)
	if backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "needs WSL 2.5.8 or newer; 2.4.13.0 installed") {
		t.Errorf("tar.gz on 2.4.13: %v", err)
	}
	if err := old.Clone(ctx, "Debian", "Deb3", filepath.Join(t.TempDir(), "Deb3"), backend.FormatTarXz, nil); backend.KindOf(err) != backend.KindUnsupported {
		t.Errorf("tar.xz clone on 2.4.13: %v", err)
	}
	if n := len(callsOf(fo, "--export")); n != 0 {
		t.Errorf("wsl.exe was asked to export %d times", n)
	}
	if err := old.Export(ctx, "Debian", filepath.Join(t.TempDir(), "d.vhdx"), backend.FormatVHD, nil); err != nil {
		t.Errorf("vhd on 2.4.13 (--vhd exists there): %v", err)
	}

	b, f, _ := newBackend(t, twoDistros(), nil) // Debian is WSL 1 here
	err = b.Export(ctx, "Debian", filepath.Join(t.TempDir(), "d.vhdx"), backend.FormatVHD, nil)
	if backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "WSL 1") {
		t.Errorf("vhd of WSL 1: %v", err)
	}
	if err := b.Export(ctx, "Debian", filepath.Join(t.TempDir(), "d"), backend.Format("zip"), nil); err == nil || !strings.Contains(err.Error(), "tar.xz") {
		t.Errorf("zip: %v", err)
	}
	if n := len(callsOf(f, "--export")); n != 0 {
		t.Errorf("wsl.exe was asked to export %d times", n)
	}
	if err := b.Import(ctx, "D1", t.TempDir(), filepath.Join(t.TempDir(), "x.vhdx"), 1); backend.KindOf(err) != backend.KindUnsupported {
		t.Errorf("vhd import as WSL 1: %v", err)
	}

	inbox, _, _ := newBackend(t, func() fakewsltest.State { s := twoDistros(); s.Inbox = true; return s }(), nil)
	if err := inbox.Export(ctx, "Ubuntu", filepath.Join(t.TempDir(), "u.vhdx"), backend.FormatVHD, nil); backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "inbox") {
		t.Errorf("vhd on the inbox wsl.exe: %v", err)
	}
	if err := inbox.Export(ctx, "Debian", filepath.Join(t.TempDir(), "d.tar"), backend.FormatTar, nil); err != nil {
		t.Errorf("tar on the inbox wsl.exe: %v", err)
	}
}

// TestDoubleRefusesExportImportAsWSL: the double is as strict as WslClient.cpp, so a backend that
// sent these would fail its tests rather than pass on a kinder double.
func TestDoubleRefusesExportImportAsWSL(t *testing.T) {
	b, _ := newManaged(t, func(s *fakewsltest.State) { s.Drives = nil })
	old, _ := newManaged(t, func(s *fakewsltest.State) { s.Manage.WSLVersion = "2.4.13.0"; s.Drives = nil })
	wsl1, _, _ := newBackend(t, twoDistros(), nil)
	dir := t.TempDir()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		b    *Backend
		args []string
		text string // in the output
		code string // the error code line ("" = none)
	}{
		{"unknown format", b, []string{"--export", "Debian", filepath.Join(dir, "a"), "--format", "zip"}, "The parameter is incorrect.", "Wsl/E_INVALIDARG"},
		{"format without value", b, []string{"--export", "Debian", filepath.Join(dir, "b"), "--format"}, "requires a value", "Wsl/E_INVALIDARG"},
		{"gzip and vhd", b, []string{"--export", "Debian", filepath.Join(dir, "c"), "--format", "tar.gz", "--vhd"}, "Usage: wsl.exe", ""},
		{"unknown option", b, []string{"--export", "Debian", filepath.Join(dir, "d"), "--zstd"}, "Invalid command line argument: --zstd", "Wsl/E_INVALIDARG"},
		{"format before 2.5.8", old, []string{"--export", "Debian", filepath.Join(dir, "e"), "--format", "tar"}, "Invalid command line argument: --format", "Wsl/E_INVALIDARG"},
		{"vhd of WSL 1", wsl1, []string{"--export", "Debian", filepath.Join(dir, "f.vhdx"), "--vhd"}, "only supported by WSL2", "Wsl/Service/ExportDistro/WSL_E_WSL2_NEEDED"},
		{"vhdx without --vhd", b, []string{"--import", "X", filepath.Join(dir, "x"), filepath.Join(dir, "disk.vhdx")}, "Use --vhd to import a VHD", ""},
		{"import option", b, []string{"--import", "X", filepath.Join(dir, "x"), filepath.Join(dir, "a.tar"), "--format", "tar"}, "Invalid command line argument: --format", "Wsl/E_INVALIDARG"},
	} {
		res, err := tc.b.run.Run(ctx, tc.args...)
		text := res.Text()
		if err == nil || !wslexe.IsWSLFailure(res.ExitCode) || !strings.Contains(text, tc.text) {
			t.Errorf("%s: exit %d, %v, %q", tc.name, res.ExitCode, err, text)
			continue
		}
		if hasCode := strings.Contains(text, "Error code:"); hasCode != (tc.code != "") || (tc.code != "" && !strings.Contains(text, tc.code)) {
			t.Errorf("%s: error code line in %q, want %q", tc.name, text, tc.code)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); !os.IsNotExist(err) {
		t.Errorf("a refused import created its folder: %v", err)
	}
}

// TestInstallReportsWSLsPhases: the progress callback sees wsl.exe's lines as it prints them.
func TestInstallReportsWSLsPhases(t *testing.T) {
	b, _ := newManaged(t, nil)
	var seen []string
	_, err := b.Install(context.Background(), InstallOptions{Distro: "Ubuntu-24.04", Name: "dev"}, func(p InstallProgress) {
		if p.Text != "" && (len(seen) == 0 || seen[len(seen)-1] != p.Phase+"|"+p.Text) {
			seen = append(seen, p.Phase+"|"+p.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every line is reported, in order, even when they arrive in one read; the success message
	// keeps the phase it came in.
	want := []string{"downloading|Downloading: Ubuntu 24.04 LTS", "installing|Installing: Ubuntu 24.04 LTS",
		"installing|Distribution successfully installed. It can be launched via 'wsl.exe -d dev'"}
	if !reflect.DeepEqual(seen, want) {
		t.Fatalf("phases %q, want %q", seen, want)
	}
}

func TestCompleteLines(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Downloading: Ubuntu", nil}, // not a complete line yet
		{"Downloading: Ubuntu\r\n", []string{"Downloading: Ubuntu"}},
		{"Downloading: U\r\n\r\nInstalling: U\n\n", []string{"Downloading: U", "Installing: U"}},
		{"Downloading: U\r\nInstall", []string{"Downloading: U"}},
		{"[==   10%]\r[====  20%]\r\r\nInstalling: U\r\n", []string{"[====  20%]", "Installing: U"}},
	} {
		if got := completeLines(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("completeLines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestCapabilitiesSayTheVersionNeeded: once wsl --version is known, each command the installed WSL
// cannot run says which version it needs; rename says why it cannot run inside WSL.
func TestCapabilitiesSayTheVersionNeeded(t *testing.T) {
	b, _ := newManaged(t, func(s *fakewsltest.State) { s.Manage.WSLVersion = "2.4.13.0" })
	if r := b.Capabilities().Reason(backend.ActMove); r != "" {
		t.Errorf("before the version is known move reads %q", r)
	}
	if _, err := b.Info(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := b.Capabilities()
	for a, want := range map[backend.Action]string{
		backend.ActMove:         "needs WSL 2.5.0 or newer; 2.4.13.0 installed",
		backend.ActResize:       "needs WSL 2.5.0 or newer; 2.4.13.0 installed",
		backend.ActExportFormat: "needs WSL 2.5.8 or newer; 2.4.13.0 installed",
		backend.ActInstall:      "",
		backend.ActSparse:       "",
		backend.ActExport:       "",
		backend.ActClone:        "",
		backend.ActCompact:      "",
		backend.ActRename:       "",
	} {
		if r := c.Reason(a); (want == "") != (r == "") || !strings.Contains(r, want) {
			t.Errorf("%s: %q, want %q", a, r, want)
		}
	}

	inbox, _, _ := newBackend(t, func() fakewsltest.State { s := twoDistros(); s.Inbox = true; return s }(), func(o *Options) { o.Inside = func() *bool { v := true; return &v }() })
	inbox.Info(context.Background())
	c = inbox.Capabilities()
	for _, a := range []backend.Action{backend.ActInstall, backend.ActSparse, backend.ActSetUser, backend.ActMove, backend.ActExportFormat} {
		if r := c.Reason(a); !strings.Contains(r, "inbox wsl.exe") {
			t.Errorf("inbox %s: %q", a, r)
		}
	}
	if r := c.Reason(backend.ActRename); r != "renaming writes the Windows registry: run wsldash.exe from Windows" {
		t.Errorf("rename inside WSL: %q", r)
	}
	if r := c.Reason(backend.ActExport); r != "" {
		t.Errorf("export on the inbox wsl.exe: %q", r)
	}

	missing, err := New(Options{WSLExe: filepath.Join(t.TempDir(), "no-wsl.exe"), Inside: no()})
	if err != nil {
		t.Fatal(err)
	}
	defer missing.Close()
	if r := missing.Capabilities().Reason(backend.ActInstall); r == "" {
		t.Error("install possible without wsl.exe")
	}
}

// FuzzCompleteLines: whatever wsl.exe prints, the lines handed on are non-empty, trimmed, hold no
// line break, and a prefix of the output never yields more of them than the whole.
func FuzzCompleteLines(f *testing.F) {
	f.Add("Downloading: Ubuntu\r\nInstalling: Ubuntu\r\n")
	f.Add("\r\r\nx\n\ny")
	f.Fuzz(func(t *testing.T, s string) {
		all := completeLines(s)
		for _, l := range all {
			if l == "" || strings.ContainsAny(l, "\r\n") || l != strings.TrimSpace(l) {
				t.Fatalf("line %q from %q", l, s)
			}
		}
		if part := completeLines(s[:len(s)/2]); len(part) > len(all) {
			t.Fatalf("prefix gave %d lines, whole %d", len(part), len(all))
		}
	})
}

// FuzzParseFormat: a format name either parses to one of Formats, whose Ext FormatOf reads back,
// or is refused.
func FuzzParseFormat(f *testing.F) {
	for _, s := range []string{"tar", "TAR.GZ", "vhdx", "zip", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := backend.ParseFormat(s)
		if err != nil {
			return
		}
		if !contains(backend.Formats, fm) || backend.FormatOf("x"+fm.Ext()) != fm {
			t.Fatalf("%q parsed to %q", s, fm)
		}
	})
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
