package backend

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// wslNameRE is WSL's own expression (s_ValidateDistroName), the oracle the hand-written check is
// compared with.
var wslNameRE = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,256}$`)

func TestValidDistroName(t *testing.T) {
	for _, c := range []struct {
		name string
		want string // in the error; "" = accepted
	}{
		// Names WSL ships or its tests use.
		{"Ubuntu", ""},
		{"Ubuntu-24.04", ""},
		{"openSUSE-Leap-16.0", ""},
		{"SUSE-Linux-Enterprise-15-SP7", ""},
		{"kali-linux", ""},
		{"docker-desktop-data", ""},
		{"test_distro", ""}, // UnitTests.cpp: a tar's defaultName that installs
		{"DoesNotExist", ""},
		{"a", ""},
		{"...", ""},
		{strings.Repeat("x", 256), ""},
		// Refused: UnitTests.cpp "invalid!" (E_INVALIDARG), the reserved Legacy in any case, the
		// length, and what the expression has no room for.
		{"invalid!", "'!' is not allowed"},
		{"Legacy", "reserved"},
		{"legacy", "reserved"},
		{"LEGACY", "reserved"},
		{"", "cannot be empty"},
		{strings.Repeat("x", 257), "at most 256 characters, this one 257"},
		{"my distro", "a space is not allowed"},
		{"a/b", "'/' is not allowed"},
		{`a\b`, `'\\' is not allowed`},
		{"Ubuntu–24.04", "'–' is not allowed"}, // an en dash
		{"Übuntu", "'Ü' is not allowed"},
		{"tab\there", `'\t' is not allowed`},
		{"bad\xffbyte", "the byte 0xff is not allowed"},
		{"Legacy2", ""},
	} {
		err := ValidDistroName(c.name)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: %v, want %q", c.name, err, c.want)
		case err != nil && KindOf(err) != KindFailed:
			t.Errorf("%q: kind %v", c.name, KindOf(err))
		}
	}
	// Legacy stays a name a registered distro can have (lxrun's, listed by wsl -l).
	if !IsDistroName("Legacy") || IsDistroName("a b") || IsDistroName("") {
		t.Error("IsDistroName")
	}
}

// FuzzValidDistroName: the check agrees with WSL's expression on any input, and a refusal is one
// line.
func FuzzValidDistroName(f *testing.F) {
	for _, s := range []string{"Ubuntu", "", "Legacy", "invalid!", "a b", strings.Repeat("y", 257), "Ü", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidDistroName(s)
		want := wslNameRE.MatchString(s) && !strings.EqualFold(s, "Legacy")
		if (err == nil) != want {
			t.Fatalf("%q: %v, WSL accepts it: %v", s, err, want)
		}
		if IsDistroName(s) != wslNameRE.MatchString(s) {
			t.Fatalf("IsDistroName(%q)", s)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("%q: not one line: %q", s, err.Error())
		}
	})
}

func TestPrecheck(t *testing.T) {
	ds := []Distro{
		{Name: "Ubuntu", State: StateRunning, Version: 2},
		{Name: "Debian", State: StateStopped, Version: 2},
		{Name: "Alpine", State: StateStopped, Version: 1},
		{Name: "Arch", State: StateInstalling, Version: 2},
	}
	for _, c := range []struct {
		a      Action
		distro string
		kind   Kind
		want   string // in the message; "" = allowed
	}{
		{ActMove, "debian", 0, ""}, // any case
		{ActMove, "Ubuntu", 0, ""}, // a running distro is stopped first
		{ActMove, "Nope", KindNotFound, "no such distro"},
		{ActMove, "Alpine", KindUnsupported, "a WSL 1 distro has no virtual disk to move"},
		{ActResize, "Alpine", KindUnsupported, "no virtual disk to resize"},
		{ActSparse, "Alpine", KindUnsupported, "no virtual disk to make sparse"},
		{ActCompact, "Alpine", KindUnsupported, "no virtual disk to compact"},
		{ActSetUser, "Alpine", 0, ""},
		{ActExport, "Alpine", 0, ""},
		{ActClone, "Alpine", 0, ""},
		{ActRename, "Alpine", 0, ""},
		{ActUnregister, "Ubuntu", 0, ""},
		{ActSetUser, "Arch", KindBusy, "Arch is installing"},
		{ActExport, "Arch", KindBusy, "Arch is installing"},
		{ActClone, "Arch", KindBusy, "Arch is installing"},
		{ActUnregister, "Arch", KindBusy, "Arch is installing"},
		{ActRename, "Arch", KindBusy, "Arch is installing"},
		{ActRename, "Ubuntu", KindBusy, "Ubuntu is running: stop it first (wsldash terminate Ubuntu)"},
	} {
		err := Precheck(c.a, c.distro, ds)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s %s: %v", c.a, c.distro, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != c.kind || e.Op != string(c.a) || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s %s: %#v, want %v %q", c.a, c.distro, err, c.kind, c.want)
		}
		if stop := errors.Is(err, ErrStopFirst); stop != (c.a == ActRename && c.distro == "Ubuntu") {
			t.Errorf("%s %s: ErrStopFirst %v", c.a, c.distro, stop)
		}
	}
}

func TestCheckNewName(t *testing.T) {
	ds := []Distro{{Name: "Ubuntu"}, {Name: "Debian"}}
	for _, c := range []struct {
		a              Action
		name, renaming string
		want           string // "" = allowed
	}{
		{ActImport, "Fedora", "", ""},
		{ActImport, "ubuntu", "", "a distro named Ubuntu already exists"},
		{ActClone, "Debian", "", "a distro named Debian already exists"},
		{ActInstall, "bad name", "", "a space is not allowed"},
		{ActInstall, "legacy", "", "reserved"},
		{ActRename, "Debian-12", "Debian", ""},
		{ActRename, "DEBIAN", "Debian", ""}, // its own name in another case
		{ActRename, "Debian", "debian", "it is already called Debian"},
		{ActRename, "UBUNTU", "Debian", "a distro named Ubuntu already exists"},
		{ActRename, "", "Debian", "cannot be empty"},
	} {
		err := CheckNewName(c.a, c.name, c.renaming, ds)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s %q: %v", c.a, c.name, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindFailed || e.Op != string(c.a) || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s %q: %#v, want %q", c.a, c.name, err, c.want)
		}
	}
}

func TestCheckFormat(t *testing.T) {
	wsl1, wsl2 := Distro{Name: "Alpine", Version: 1}, Distro{Name: "Debian", Version: 2}
	for _, f := range []Format{"", FormatTar, FormatTarGz, FormatTarXz} {
		if err := CheckFormat(ActExport, wsl1, f); err != nil {
			t.Errorf("%q of WSL 1: %v", f, err)
		}
	}
	if err := CheckFormat(ActExport, wsl2, FormatVHD); err != nil {
		t.Error(err)
	}
	if err := CheckFormat(ActClone, wsl1, FormatVHD); KindOf(err) != KindUnsupported || !strings.Contains(err.Error(), "clone Alpine: Alpine is a WSL 1 distro: it has no disk") {
		t.Errorf("vhd of WSL 1: %v", err)
	}
	if err := CheckFormat(ActExport, wsl2, "zip"); KindOf(err) != KindFailed || !strings.Contains(err.Error(), `unknown format "zip"`) {
		t.Errorf("zip: %v", err)
	}
}

func TestCheckExportFile(t *testing.T) {
	if err := CheckExportFile(ActExport, "Debian", `C:\d.tar`, false); err != nil {
		t.Error(err)
	}
	if err := CheckExportFile(ActExport, "Debian", `C:\d.tar`, true); KindOf(err) != KindFailed || !strings.Contains(err.Error(), `export Debian: C:\d.tar already exists`) {
		t.Errorf("existing file: %v", err)
	}
	if err := CheckExportFile(ActClone, "Debian", "", false); err == nil || !strings.Contains(err.Error(), "no file") {
		t.Errorf("no file: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int64{"256GB": 256 << 30, "1TB": 1 << 40, "1T": 1 << 40, "512": 512, "7B": 7, "3K": 3 << 10, "20M": 20 << 20} {
		if n, err := ParseSize(s); err != nil || n != want {
			t.Errorf("%s: %d %v, want %d", s, n, err, want)
		}
	}
	for _, s := range []string{"", "256gb", "1.5GB", "-1GB", "GB", "256 GB", "10PB", "99999999999999999999", "9999999999TB"} {
		if _, err := ParseSize(s); err == nil || !strings.Contains(err.Error(), "e.g. 256GB") {
			t.Errorf("%q: %v", s, err)
		}
	}
}

func TestCheckUserNameAndImport(t *testing.T) {
	for _, u := range []string{"", "a b", "o'neil", "x\n"} {
		if err := CheckUserName(u); err == nil {
			t.Errorf("user %q accepted", u)
		}
	}
	if err := CheckUserName("dev"); err != nil {
		t.Error(err)
	}
	for _, c := range []struct {
		disk    bool
		version int
		kind    Kind
		ok      bool
	}{
		{false, 0, 0, true}, {false, 1, 0, true}, {true, 2, 0, true}, {true, 0, 0, true},
		{false, 3, KindFailed, false}, {true, 1, KindUnsupported, false},
	} {
		err := CheckImport(ActImport, "X", c.disk, c.version)
		if (err == nil) != c.ok || (err != nil && KindOf(err) != c.kind) {
			t.Errorf("disk %v version %d: %v", c.disk, c.version, err)
		}
	}
}

func TestInstalledIsRegisteredAndNotInstalling(t *testing.T) {
	ds := []Distro{{Name: "Debian", State: StateStopped}, {Name: "openSUSE-Tumbleweed", State: StateInstalling}}
	for name, want := range map[string]bool{"debian": true, "openSUSE-Tumbleweed": false, "Nope": false} {
		if got := Installed(ds, name); got != want {
			t.Errorf("Installed(%s) = %v, want %v", name, got, want)
		}
	}
}
