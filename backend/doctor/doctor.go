// Package doctor is `wsldash doctor`'s check logic: pure functions from Facts (gathered by the
// front end: wsl.exe's answers, the registry, the host view, the terminal, the files) to one
// Result per check, ok / warn / fail with the fix. No I/O here, so every rule is tested with
// made-up facts.
package doctor

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

// Status of one check.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip" // does not apply here (plain Linux has no wsl.exe)
)

// Result is one check: what it found and, unless ok, how to fix it.
type Result struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Found  string `json:"found"`
	Fix    string `json:"fix,omitempty"`
}

// Report is every check, in order.
type Report struct {
	Backend   string   `json:"backend"`
	Simulated bool     `json:"simulated"`
	Where     Where    `json:"where"`
	OK        bool     `json:"ok"` // no check failed
	Checks    []Result `json:"checks"`
}

// Where wsldash runs.
type Where string

const (
	OnWindows Where = "windows"
	InsideWSL Where = "inside-wsl"
	OnLinux   Where = "linux"
)

// Facts is what the checks look at. A nil error with an empty value means "not asked".
type Facts struct {
	Backend   string // wsl, local, demo
	Simulated bool
	Where     Where

	// wsl.exe: where it was found, `--version`, and the raw stdout of `-l -v` run with
	// WSL_UTF8=1 (bytes as wsl.exe wrote them, to see the encoding it chose).
	WSLExe        string
	WSLExeErr     error
	WSLVersion    string // "2.4.13.0"; "" with a nil error = an inbox wsl.exe without --version
	WSLVersionErr error
	ListRaw       []byte
	ListErr       error
	Asked         bool // wsl.exe was asked at all (false when not found, or skipped)

	// The backend's distro list (every backend has one).
	Distros    []backend.Distro
	DistrosErr error

	// The registry (Windows only).
	RegistryDistros int
	RegistryErr     error
	RegistryAsked   bool

	// Inside WSL: the host helper (wsldash.exe host --watch --json) — where it was found, or
	// the one line that says how to get it.
	HostHelper      string
	HostHelperFound bool

	// The host view of one sample, and whether this process is elevated (Windows).
	Host     *backend.HostView
	HostErr  error
	Elevated bool

	// .wslconfig: its path (or why none), whether it exists, WSL's parse warnings, when it
	// changed and when the VM started (zero = unknown).
	WSLConfigPath     string
	WSLConfigErr      error
	WSLConfigExists   bool
	WSLConfigWarnings []string
	WSLConfigModTime  time.Time
	VMStart           time.Time

	// The terminal wsldash's output goes to.
	TTY           bool
	Width, Height int
	ColorProfile  string // colorprofile's name: TrueColor, ANSI256, ANSI, Ascii, NoTTY

	// config.toml.
	ConfigPath   string
	ConfigExists bool
	ConfigErr    error

	// The guest probe the wsl backend runs in the VM (its ProbeKind): "go <version>", "sh", or ""
	// (not asked, or none), and why the sh one.
	GuestProbe    string
	GuestProbeWhy string
}

// Run runs every check.
func Run(f Facts) Report {
	checks := []Result{
		WSLExe(f), UTF8(f), DistroList(f), Registry(f), HCS(f), VMProcess(f), Interop(f), HostHelper(f),
		WSLConfig(f), Terminal(f), ConfigFile(f),
	}
	if usesWSL(f) && f.Where == OnWindows { // only there does a probe run in the VM
		checks = append(checks[:8], append([]Result{GuestProbe(f)}, checks[8:]...)...)
	}
	r := Report{Backend: f.Backend, Simulated: f.Simulated, Where: f.Where, OK: true, Checks: checks}
	for _, c := range checks {
		if c.Status == Fail {
			r.OK = false
		}
	}
	return r
}

func res(name string, s Status, found, fix string) Result {
	return Result{Name: name, Status: s, Found: found, Fix: fix}
}

// notWSL is the skip reason of the WSL checks on the demo and plain Linux.
func notWSL(f Facts) string {
	if f.Simulated {
		return "the demo simulates WSL: there is no wsl.exe to ask"
	}
	return "not on Windows or inside WSL (backend " + f.Backend + "): no wsl.exe to ask"
}

func usesWSL(f Facts) bool { return f.Backend == "wsl" }

// WSLExe: wsl.exe found, and its version.
func WSLExe(f Facts) Result {
	const name = "wsl.exe"
	switch {
	case !usesWSL(f):
		return res(name, Skip, notWSL(f), "")
	case f.WSLExeErr != nil:
		fix := "install WSL (`wsl --install` in an admin PowerShell), or pass --wsl-exe PATH / set $WSLDASH_WSL_EXE"
		if f.Where == InsideWSL {
			fix = "interop may be off: check [interop] enabled=true in /etc/wsl.conf and that /mnt/c is mounted, or pass --wsl-exe PATH"
		}
		return res(name, Fail, f.WSLExeErr.Error(), fix)
	case f.WSLVersionErr != nil:
		return res(name, Fail, fmt.Sprintf("%s does not answer --version: %v", f.WSLExe, f.WSLVersionErr),
			"run `wsl --status` in a terminal; if it hangs, restart the WSL service (`wsl --shutdown`, or reboot)")
	case f.WSLVersion == "":
		return res(name, Warn, f.WSLExe+": the inbox wsl.exe (no --version): old WSL without memory reclaim settings or WSL_UTF8",
			"update to WSL from the Microsoft Store: `wsl --update`")
	}
	return res(name, OK, fmt.Sprintf("%s, WSL %s", f.WSLExe, f.WSLVersion), "")
}

// IsUTF16 reports whether wsl.exe's output is UTF-16 (it ignored WSL_UTF8): ASCII text in
// UTF-16LE has a NUL in every other byte.
func IsUTF16(raw []byte) bool {
	if bytes.HasPrefix(raw, []byte{0xff, 0xfe}) {
		return true
	}
	n := min(len(raw), 64)
	return n >= 2 && bytes.Count(raw[:n], []byte{0}) >= n/4
}

// UTF8: wsl.exe honours WSL_UTF8=1 (its own output in UTF-8 instead of UTF-16).
func UTF8(f Facts) Result {
	const name = "WSL_UTF8"
	switch {
	case !usesWSL(f):
		return res(name, Skip, notWSL(f), "")
	case !f.Asked || f.ListErr != nil && len(f.ListRaw) == 0:
		return res(name, Skip, "wsl.exe could not be asked (see wsl.exe)", "")
	case IsUTF16(f.ListRaw):
		return res(name, Warn, "wsl.exe ignores WSL_UTF8=1 and writes UTF-16; wsldash decodes it, scripts reading wsl.exe directly see NULs",
			"update WSL (`wsl --update`): WSL_UTF8 is honoured by WSL from the Store")
	}
	return res(name, OK, "wsl.exe writes UTF-8 when asked (WSL_UTF8=1)", "")
}

// DistroList: the distro list parses (wsl.exe -l -v, or the backend's list).
func DistroList(f Facts) Result {
	const name = "distro list"
	if usesWSL(f) && f.Asked && f.ListErr == nil {
		if _, err := wslout.ParseListVerbose(wslout.Decode(f.ListRaw)); err != nil && !wslout.IsNoDistros(wslout.Decode(f.ListRaw)) {
			return res(name, Fail, "wsl.exe -l -v cannot be parsed: "+err.Error(),
				"report it with the output of `wsl.exe -l -v` (https://github.com/wsldash/wsldash/issues)")
		}
	}
	if f.DistrosErr != nil {
		return res(name, Fail, f.DistrosErr.Error(), "run `wsl -l -v` in a terminal to see what WSL says")
	}
	if len(f.Distros) == 0 {
		if f.Backend == "local" {
			return res(name, OK, "plain Linux: no distros to list (local data only)", "")
		}
		return res(name, Warn, "no distro is installed", "install one: `wsl --install -d Ubuntu`")
	}
	running := 0
	var names []string
	for _, d := range f.Distros {
		names = append(names, d.Name)
		if d.State == backend.StateRunning {
			running++
		}
	}
	return res(name, OK, fmt.Sprintf("%d distros (%d running): %s", len(f.Distros), running, strings.Join(names, ", ")), "")
}

// Registry: the Lxss keys are readable (Windows only; they give disk paths and sizes).
func Registry(f Facts) Result {
	const name = "registry"
	switch {
	case f.Where != OnWindows:
		return res(name, Skip, "the WSL registry (HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss) is read only from Windows", "")
	case !f.RegistryAsked:
		return res(name, Skip, "not asked", "")
	case f.RegistryErr != nil:
		return res(name, Warn, f.RegistryErr.Error()+": disk paths and sizes are unknown", "run wsldash as the user who owns the distros")
	}
	return res(name, OK, fmt.Sprintf("%d registrations readable", f.RegistryDistros), "")
}

// hcsNote reports whether the host view's note is about HCS statistics.
func hcsNote(h *backend.HostView) bool {
	return h != nil && strings.Contains(strings.ToLower(h.Note), "hcs")
}

// HCS: HCS statistics reachable, and whether elevation would add them.
func HCS(f Facts) Result {
	const name = "HCS"
	switch {
	case f.Simulated:
		return res(name, Skip, "the demo simulates the host view", "")
	case f.Where != OnWindows:
		return res(name, Skip, "the Host Compute Service is reachable only from Windows", "")
	case hcsNote(f.Host) && !f.Elevated:
		return res(name, Warn, "HCS statistics not available: "+f.Host.Note,
			"run wsldash from an elevated terminal for the VM's own memory and CPU figures (the vmmemWSL process is shown either way)")
	case hcsNote(f.Host):
		return res(name, Warn, "HCS statistics not available even elevated: "+f.Host.Note, "")
	case f.Host == nil:
		why := "no host view"
		if f.HostErr != nil {
			why += ": " + f.HostErr.Error()
		}
		return res(name, Warn, why, "start a distro and run doctor again: HCS has statistics only while the VM runs")
	}
	return res(name, OK, "HCS statistics readable", "")
}

// VMProcess: the host process holding the VM's memory, and which name rule found it.
func VMProcess(f Facts) Result {
	const name = "VM host process"
	switch {
	case f.Where == InsideWSL && (f.Host == nil || f.Host.VMProcess == ""):
		return res(name, Skip, "inside WSL the host's processes are not visible (the guest's /proc is)", "")
	case f.Where == OnLinux && !f.Simulated:
		return res(name, Skip, "plain Linux: there is no WSL VM", "")
	case f.Host == nil || f.Host.VMProcess == "":
		why := "not found"
		if f.HostErr != nil {
			why = f.HostErr.Error()
		} else if f.Host != nil && f.Host.Note != "" {
			why = f.Host.Note
		}
		return res(name, Warn, "no VM process: "+why+" (the VM is stopped, or access is denied)",
			"start a distro (`wsldash start NAME`); if one runs, run wsldash as the same user")
	}
	rule := "vmmemWSL: the Windows 11 name of WSL's VM process"
	if strings.EqualFold(f.Host.VMProcess, "vmmem") {
		rule = "vmmem: the Windows 10 name, the one owned by WSL's VM (not a container's vmmem)"
	}
	return res(name, OK, fmt.Sprintf("%s holds %.1f GiB (%s)", f.Host.VMProcess, float64(f.Host.VMProcessBytes)/(1<<30), rule), "")
}

// HostHelper: inside WSL, the Windows build of wsldash that brings the host view (vmmemWSL,
// HCS, disk sizes) through interop.
func HostHelper(f Facts) Result {
	const name = "host helper"
	switch {
	case f.Where != InsideWSL || !usesWSL(f):
		return res(name, Skip, "only used inside WSL (elsewhere the host is read directly, or there is none)", "")
	case !f.HostHelperFound:
		return res(name, Warn, "no host helper: the dashboard shows the guest only", f.HostHelper)
	}
	return res(name, OK, f.HostHelper, "")
}

// GuestProbe says which probe reads the VM's figures from Windows: the Linux build
// (`wsldash probe`), or the sh script, which costs several times more CPU in the VM, where WSL's
// reclaim gate counts it.
func GuestProbe(f Facts) Result {
	const name = "guest probe"
	switch {
	case !usesWSL(f) || f.Where == InsideWSL && f.GuestProbe == "":
		return res(name, Skip, "only used from Windows (inside WSL the distro's /proc is read)", "")
	case strings.HasPrefix(f.GuestProbe, "go "):
		return res(name, OK, "the Linux build (wsldash probe, "+strings.TrimPrefix(f.GuestProbe, "go ")+") reads the VM", "")
	case f.GuestProbe == "sh":
		return res(name, Warn, "the sh script reads the VM: about 0.6% of one core at a 1 s refresh with the process list open, where the Linux build takes under 0.1% (scripts/guest-cost), out of WSL's idle budget of 0.5% of the VM's CPUs; the dashboard idles sooner with it. "+f.GuestProbeWhy,
			"use the release zip, which carries linux\\wsldash beside wsldash.exe")
	}
	return res(name, Skip, "no probe ran (no WSL 2 distro running?)", "")
}

// Interop: from inside WSL, Windows programs can be run (wsl.exe answered).
func Interop(f Facts) Result {
	const name = "interop"
	switch {
	case f.Where != InsideWSL:
		return res(name, Skip, "only used inside WSL", "")
	case f.WSLExeErr != nil || f.WSLVersionErr != nil:
		return res(name, Fail, "Windows programs cannot be run from this distro, so distros cannot be listed or started",
			"enable interop: [interop] enabled=true in /etc/wsl.conf, then `wsl --terminate <this distro>`")
	}
	return res(name, OK, "wsl.exe runs from inside WSL", "")
}

// WSLConfig: .wslconfig parse warnings (as WSL prints them) and a pending restart.
func WSLConfig(f Facts) Result {
	const name = ".wslconfig"
	switch {
	case f.Simulated:
		return res(name, Skip, "the demo's .wslconfig is a sample, no file of this machine's (wsldash --demo config list shows it)", "")
	case f.WSLConfigErr != nil && f.WSLConfigPath == "":
		if f.Where == OnLinux {
			return res(name, Skip, "plain Linux: no Windows profile (pass --file to `wsldash config`)", "")
		}
		return res(name, Warn, f.WSLConfigErr.Error(), "pass --file PATH to `wsldash config list`")
	case f.WSLConfigErr != nil:
		return res(name, Fail, f.WSLConfigErr.Error(), "check that "+f.WSLConfigPath+" is readable")
	case !f.WSLConfigExists:
		return res(name, OK, f.WSLConfigPath+" does not exist: every setting has WSL's default", "")
	case len(f.WSLConfigWarnings) > 0:
		return res(name, Warn, fmt.Sprintf("%s: %d warnings WSL will print: %s", f.WSLConfigPath, len(f.WSLConfigWarnings), strings.Join(f.WSLConfigWarnings, "; ")),
			"fix the lines named (`wsldash config list` shows them)")
	case !f.WSLConfigModTime.IsZero() && !f.VMStart.IsZero() && f.WSLConfigModTime.After(f.VMStart):
		return res(name, Warn, f.WSLConfigPath+" changed after the VM started: its settings are not in force yet",
			"`wsl --shutdown` (the VM reads .wslconfig when it starts)")
	}
	return res(name, OK, f.WSLConfigPath+" parses without warnings", "")
}

// Terminal: size, colour profile, braille.
func Terminal(f Facts) Result {
	const name = "terminal"
	if !f.TTY {
		return res(name, Warn, "output is not a terminal: the dashboard needs one (subcommands and --json work anywhere)", "")
	}
	found := fmt.Sprintf("%dx%d, colours: %s; braille (the graphs): ⣿⣶⣤⣀ (a font without braille shows boxes)", f.Width, f.Height, f.ColorProfile)
	switch {
	case f.Width < 80 || f.Height < 24:
		return res(name, Warn, found, "make the window at least 80x24 (the dashboard adapts, but hides panes below that)")
	case f.ColorProfile == "Ascii" || f.ColorProfile == "NoTTY":
		return res(name, Warn, found, "no colours: unset NO_COLOR, or use a terminal with colour (Windows Terminal)")
	}
	return res(name, OK, found, "")
}

// ConfigFile: wsldash's own config.toml parses.
func ConfigFile(f Facts) Result {
	const name = "config file"
	switch {
	case f.ConfigErr != nil:
		return res(name, Fail, f.ConfigErr.Error(), "fix or remove "+f.ConfigPath+" (see the README's config reference)")
	case !f.ConfigExists:
		return res(name, OK, f.ConfigPath+" does not exist: the defaults apply", "")
	}
	return res(name, OK, f.ConfigPath+" parses", "")
}
