package doctor

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

const listV = "  NAME      STATE           VERSION\n* Ubuntu    Running         2\n  Debian    Stopped         2\n"

// windowsFacts is a healthy Windows machine.
func windowsFacts() Facts {
	return Facts{
		Backend: "wsl", Where: OnWindows, Asked: true,
		WSLExe: `C:\Windows\System32\wsl.exe`, WSLVersion: "2.4.13.0",
		ListRaw:       []byte(listV),
		Distros:       []backend.Distro{{Name: "Ubuntu", State: backend.StateRunning, Version: 2}, {Name: "Debian", State: backend.StateStopped, Version: 2}},
		RegistryAsked: true, RegistryDistros: 2,
		Host:          &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 3 << 30},
		WSLConfigPath: `C:\Users\dev\.wslconfig`, WSLConfigExists: true,
		TTY: true, Width: 120, Height: 40, ColorProfile: "TrueColor",
		ConfigPath: `C:\Users\dev\AppData\Roaming\wsldash\config.toml`,
	}
}

func find(r Report, name string) Result {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return Result{}
}

func TestHealthyWindowsIsAllOK(t *testing.T) {
	r := Run(windowsFacts())
	if !r.OK {
		t.Errorf("a healthy machine fails: %+v", r.Checks)
	}
	for _, c := range r.Checks {
		if c.Status == Fail || c.Status == Warn {
			t.Errorf("%s: %s %s", c.Name, c.Status, c.Found)
		}
		if c.Found == "" {
			t.Errorf("%s says nothing about what it found", c.Name)
		}
	}
	if len(r.Checks) != 12 {
		t.Errorf("%d checks, want 12", len(r.Checks))
	}
}

func TestEachRule(t *testing.T) {
	late := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		mod    func(*Facts)
		check  string
		want   Status
		found  string // in Found
		fix    string // in Fix
		failed bool   // the report as a whole fails
	}{
		{"no wsl.exe", func(f *Facts) { f.WSLExeErr = errors.New("wsl.exe not found"); f.Asked = false }, "wsl.exe", Fail, "not found", "wsl --install", true},
		{"wsl.exe hangs", func(f *Facts) { f.WSLVersionErr = errors.New("timed out") }, "wsl.exe", Fail, "timed out", "wsl --shutdown", true},
		{"inbox wsl.exe", func(f *Facts) { f.WSLVersion = "" }, "wsl.exe", Warn, "inbox", "wsl --update", false},
		{"UTF-16 output", func(f *Facts) { f.ListRaw = wslout.Encode(listV, wslout.UTF16) }, "WSL_UTF8", Warn, "UTF-16", "wsl --update", false},
		{"garbage list", func(f *Facts) { f.ListRaw = []byte("what is this\x01\x02") }, "distro list", Fail, "cannot be parsed", "issues", true},
		{"list error", func(f *Facts) { f.DistrosErr = errors.New("list: timeout") }, "distro list", Fail, "timeout", "wsl -l -v", true},
		{"no distros", func(f *Facts) {
			f.Distros = nil
			f.ListRaw = []byte("Windows Subsystem for Linux has no installed distributions.\n")
		}, "distro list", Warn, "no distro", "wsl --install", false},
		{"registry denied", func(f *Facts) { f.RegistryErr = errors.New("access denied") }, "registry", Warn, "access denied", "user", false},
		{"HCS needs elevation", func(f *Facts) { f.Host.Note = "HCS statistics need an elevated prompt" }, "HCS", Warn, "elevated", "elevated terminal", false},
		{"no host view", func(f *Facts) { f.Host = nil; f.HostErr = errors.New("sample: VM stopped") }, "HCS", Warn, "no host view: sample: VM stopped", "start a distro", false},
		{"VM stopped", func(f *Facts) { f.Host = &backend.HostView{} }, "VM host process", Warn, "no VM process", "wsldash start", false},
		{"Windows 10 name", func(f *Facts) { f.Host.VMProcess = "vmmem" }, "VM host process", OK, "Windows 10", "", false},
		{".wslconfig warnings", func(f *Facts) { f.WSLConfigWarnings = []string{"line 3: unknown key"} }, ".wslconfig", Warn, "unknown key", "config list", false},
		{"restart pending", func(f *Facts) { f.VMStart = late; f.WSLConfigModTime = late.Add(time.Minute) }, ".wslconfig", Warn, "not in force", "wsl --shutdown", false},
		{"no restart pending", func(f *Facts) { f.VMStart = late; f.WSLConfigModTime = late.Add(-time.Minute) }, ".wslconfig", OK, "parses", "", false},
		{"tiny terminal", func(f *Facts) { f.Width, f.Height = 60, 20 }, "terminal", Warn, "60x20", "80x24", false},
		{"no colour", func(f *Facts) { f.ColorProfile = "Ascii" }, "terminal", Warn, "Ascii", "NO_COLOR", false},
		{"not a terminal", func(f *Facts) { f.TTY = false }, "terminal", Warn, "not a terminal", "", false},
		{"bad config", func(f *Facts) { f.ConfigErr = errors.New("config.toml: line 2: bad fps") }, "config file", Fail, "bad fps", "fix or remove", true},
		{"no config", func(f *Facts) { f.ConfigExists = false }, "config file", OK, "defaults", "", false},
	}
	for _, c := range cases {
		f := windowsFacts()
		f.ConfigExists = true
		c.mod(&f)
		r := Run(f)
		got := find(r, c.check)
		if got.Status != c.want || !strings.Contains(got.Found, c.found) || !strings.Contains(got.Fix, c.fix) {
			t.Errorf("%s: %s = %+v, want %s with %q / fix %q", c.name, c.check, got, c.want, c.found, c.fix)
		}
		if c.want != OK && c.want != Skip && got.Fix == "" && c.check != "terminal" {
			t.Errorf("%s: %s has no fix", c.name, c.check)
		}
		if r.OK == c.failed {
			t.Errorf("%s: report OK = %v", c.name, r.OK)
		}
	}
}

func TestInsideWSL(t *testing.T) {
	f := windowsFacts()
	f.Where = InsideWSL
	f.Host = nil
	r := Run(f)
	if c := find(r, "interop"); c.Status != OK {
		t.Errorf("interop: %+v", c)
	}
	if c := find(r, "registry"); c.Status != Skip {
		t.Errorf("registry inside WSL: %+v", c)
	}
	if c := find(r, "VM host process"); c.Status != Skip {
		t.Errorf("VM process inside WSL: %+v", c)
	}
	if c := find(r, "host helper"); c.Status != Warn || c.Fix != "" {
		t.Errorf("no helper inside WSL: %+v", c)
	}
	f.HostHelper = "put wsldash.exe beside wsldash"
	if c := find(Run(f), "host helper"); c.Status != Warn || c.Fix != f.HostHelper {
		t.Errorf("no helper inside WSL says how to get one: %+v", c)
	}
	f.HostHelper, f.HostHelperFound = "/usr/share/wsldash/windows/wsldash.exe (beside)", true
	if c := find(Run(f), "host helper"); c.Status != OK || c.Found != f.HostHelper {
		t.Errorf("helper found: %+v", c)
	}
	f.WSLExeErr = errors.New("wsl.exe not found at /mnt/c/Windows/System32/wsl.exe")
	r = Run(f)
	if c := find(r, "interop"); c.Status != Fail || !strings.Contains(c.Fix, "/etc/wsl.conf") {
		t.Errorf("interop off: %+v", c)
	}
	if c := find(r, "wsl.exe"); !strings.Contains(c.Fix, "interop") {
		t.Errorf("wsl.exe missing inside WSL should point at interop: %+v", c)
	}
}

func TestLocalAndDemoSkipWhatTheyCannotSee(t *testing.T) {
	local := Run(Facts{Backend: "local", Where: OnLinux, TTY: true, Width: 100, Height: 30, ColorProfile: "ANSI256", ConfigPath: "/home/u/.config/wsldash/config.toml",
		WSLConfigErr: errors.New("not running in WSL")})
	if !local.OK {
		t.Errorf("local fails: %+v", local.Checks)
	}
	for _, n := range []string{"wsl.exe", "WSL_UTF8", "registry", "HCS", "VM host process", "interop", ".wslconfig"} {
		if c := find(local, n); c.Status != Skip {
			t.Errorf("local %s: %+v, want skip", n, c)
		}
	}
	if c := find(local, "distro list"); c.Status != OK {
		t.Errorf("local distro list: %+v", c)
	}
	demo := Run(Facts{Backend: "demo", Simulated: true, Where: OnLinux, Distros: []backend.Distro{{Name: "Ubuntu-24.04", State: backend.StateRunning}},
		Host: &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 4 << 30}, TTY: true, Width: 120, Height: 40, ColorProfile: "TrueColor"})
	if c := find(demo, "VM host process"); c.Status != OK {
		t.Errorf("demo VM process: %+v", c)
	}
	if c := find(demo, "wsl.exe"); c.Status != Skip || !strings.Contains(c.Found, "demo") {
		t.Errorf("demo wsl.exe: %+v", c)
	}
}

func TestIsUTF16(t *testing.T) {
	if !IsUTF16(wslout.Encode("Ubuntu\r\n", wslout.UTF16)) || IsUTF16([]byte("Ubuntu\n")) || IsUTF16(nil) {
		t.Error("IsUTF16")
	}
}

func TestGuestProbe(t *testing.T) {
	for _, tc := range []struct {
		f    Facts
		want Status
		has  string
	}{
		{Facts{Backend: "wsl", Where: OnWindows, GuestProbe: "go 1.2.3"}, OK, "wsldash probe, 1.2.3"},
		{Facts{Backend: "wsl", Where: OnWindows, GuestProbe: "sh", GuestProbeWhy: "no Linux build beside wsldash.exe"}, Warn, "no Linux build"},
		{Facts{Backend: "wsl", Where: OnWindows}, Skip, "no probe ran"},
		{Facts{Backend: "wsl", Where: InsideWSL}, Skip, "only used from Windows"},
		{Facts{Backend: "local", Where: OnLinux}, Skip, "only used from Windows"},
	} {
		r := GuestProbe(tc.f)
		if r.Status != tc.want || !strings.Contains(r.Found, tc.has) {
			t.Errorf("%+v: %+v, want %v with %q", tc.f, r, tc.want, tc.has)
		}
	}
}
