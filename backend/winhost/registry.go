package winhost

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// LxssKeyPath is the per-user registry key that holds one subkey per registered distro
// (under HKEY_CURRENT_USER).
const LxssKeyPath = `Software\Microsoft\Windows\CurrentVersion\Lxss`

// Defaults WSL applies when a value is absent (wsl-facts §3, DistributionRegistration.h).
const (
	DefaultVhdFileName = "ext4.vhdx"
	DefaultFlags       = 0x7
)

// Flag bits of the per-distro Flags value.
const (
	FlagEnableInterop       = 0x1
	FlagAppendNTPath        = 0x2
	FlagEnableDriveMounting = 0x4
	FlagVMMode              = 0x8 // the distro runs in the WSL 2 VM
)

// Persisted install states (enum LxssDistributionState). Running (2) is never written.
const (
	StateInvalid      = 0
	StateInstalled    = 1
	StateInstalling   = 3
	StateUninstalling = 4
	StateConverting   = 5
	StateExporting    = 6
)

// Registration is one distro as registered under HKCU\...\Lxss\{guid}.
type Registration struct {
	GUID        string // "{...}" subkey name
	Name        string // DistributionName
	BasePath    string // with any \\?\ prefix removed
	VhdFileName string // "ext4.vhdx" when absent
	Flags       uint32 // default 0x7 when absent
	DefaultUID  uint32
	State       uint32 // persisted install state: 1 Installed, 3 Installing, 4 Uninstalling (never Running)
	Default     bool   // GUID == HKCU Lxss DefaultDistribution (compared case-insensitively, braces optional)
}

// Version is the WSL version the distro runs under: 2 if the VM-mode flag is set, else 1.
func (r Registration) Version() int {
	if r.Flags&FlagVMMode != 0 {
		return 2
	}
	return 1
}

// DiskPath is BasePath\VhdFileName for a WSL 2 distro (an absolute VhdFileName is used as is),
// and "" for WSL 1 or when BasePath is unknown. It joins with Windows rules on every OS.
func (r Registration) DiskPath() string {
	if r.Version() != 2 || r.BasePath == "" {
		return ""
	}
	vhd := r.VhdFileName
	if vhd == "" {
		vhd = DefaultVhdFileName
	}
	return winJoin(r.BasePath, vhd)
}

// InstallState maps a transitional persisted state to the backend's State (Installing,
// Uninstalling, Converting, Exporting), and returns "" otherwise: Installed says nothing about
// whether the distro is running, which only wsl.exe knows.
func (r Registration) InstallState() backend.State {
	switch r.State {
	case StateInstalling:
		return backend.StateInstalling
	case StateUninstalling:
		return backend.StateUninstalling
	case StateConverting:
		return backend.StateConverting
	case StateExporting:
		return backend.StateExporting
	}
	return ""
}

// errValueMissing is what a regReader returns (possibly wrapped) for an absent value or a value
// of the wrong type; readRegistrations then applies WSL's default.
var errValueMissing = errors.New("registry value not present")

// regReader reads the Lxss key. subkey "" is the Lxss key itself. Value names are those WSL
// writes; the Windows registry compares them case-insensitively.
type regReader interface {
	SubKeys() ([]string, error)
	String(subkey, name string) (string, error)
	DWord(subkey, name string) (uint32, error)
}

// DeletedKeyPrefix starts the name of WSL's own recovery entries: on unregister, newer WSL renames
// the distro's subkey to Deleted-<GUID> and keeps it for a while (wsl-facts §10.5). It still has a
// DistributionName and a BasePath, but it is not a distro.
const DeletedKeyPrefix = "Deleted-"

// readRegistrations decodes every distro subkey of the Lxss key. A Deleted-<GUID> recovery entry
// and a subkey without a usable DistributionName (for example WSL's own AppxInstallerCache) are
// skipped; any other value that
// is absent, of the wrong type or unreadable takes WSL's default. Only a failure to list the
// subkeys is an error. The result is sorted by name (case-insensitively), then GUID.
func readRegistrations(r regReader) ([]Registration, error) {
	keys, err := r.SubKeys()
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", LxssKeyPath, err)
	}
	def, err := r.String("", "DefaultDistribution")
	if err != nil {
		def = ""
	}
	regs := make([]Registration, 0, len(keys))
	for _, k := range keys {
		if len(k) >= len(DeletedKeyPrefix) && strings.EqualFold(k[:len(DeletedKeyPrefix)], DeletedKeyPrefix) {
			continue
		}
		name, err := r.String(k, "DistributionName")
		name = strings.TrimSpace(name)
		if err != nil || name == "" {
			continue
		}
		reg := Registration{
			GUID:        k,
			Name:        name,
			BasePath:    stripLongPathPrefix(stringOr(r, k, "BasePath", "")),
			VhdFileName: stringOr(r, k, "VhdFileName", DefaultVhdFileName),
			Flags:       dwordOr(r, k, "Flags", DefaultFlags),
			DefaultUID:  dwordOr(r, k, "DefaultUid", 0),
			State:       dwordOr(r, k, "State", StateInvalid),
			Default:     def != "" && sameGUID(k, def),
		}
		regs = append(regs, reg)
	}
	sort.SliceStable(regs, func(i, j int) bool {
		a, b := strings.ToLower(regs[i].Name), strings.ToLower(regs[j].Name)
		if a != b {
			return a < b
		}
		return strings.ToLower(regs[i].GUID) < strings.ToLower(regs[j].GUID)
	})
	return regs, nil
}

func stringOr(r regReader, key, name, def string) string {
	s, err := r.String(key, name)
	if err != nil || strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func dwordOr(r regReader, key, name string, def uint32) uint32 {
	v, err := r.DWord(key, name)
	if err != nil {
		return def
	}
	return v
}

// normGUID lowercases a GUID and removes surrounding spaces and braces.
func normGUID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "{")
	s = strings.TrimSuffix(s, "}")
	return strings.ToLower(strings.TrimSpace(s))
}

// sameGUID compares two GUIDs ignoring case and braces.
func sameGUID(a, b string) bool {
	na, nb := normGUID(a), normGUID(b)
	return na != "" && na == nb
}

// stripLongPathPrefix removes the Win32 long-path prefix WSL may store in BasePath:
// `\\?\C:\x` becomes `C:\x` and `\\?\UNC\srv\share` becomes `\\srv\share`. The NT object
// prefix `\??\` is removed the same way.
func stripLongPathPrefix(p string) string {
	for _, pre := range []string{`\\?\`, `\??\`} {
		if len(p) < len(pre) || p[:len(pre)] != pre {
			continue
		}
		rest := p[len(pre):]
		if len(rest) >= 4 && strings.EqualFold(rest[:4], `UNC\`) {
			return `\\` + rest[4:]
		}
		return rest
	}
	return p
}

// isWinAbs reports whether p is an absolute Windows path (`C:\…`, `C:/…`, `\\srv\…`, `\…`).
func isWinAbs(p string) bool {
	if len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') && isASCIILetter(p[0]) {
		return true
	}
	return strings.HasPrefix(p, `\`) || strings.HasPrefix(p, `/`)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// winJoin joins a Windows directory and a file name with one backslash. path/filepath would use
// the build OS's rules, and this code also runs (in tests, and from Linux callers) off Windows.
func winJoin(dir, name string) string {
	if isWinAbs(name) {
		return name
	}
	name = strings.TrimLeft(name, `\/`)
	if dir == "" {
		return name
	}
	if strings.HasSuffix(dir, `\`) || strings.HasSuffix(dir, `/`) {
		return dir + name
	}
	return dir + `\` + name
}
