package backend

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// WSL's rules for distros, in one place: the name a distro may have (ValidDistroName), what an
// action needs of the distro it acts on (Precheck) and of the distro it makes (CheckNewName), and
// the small syntaxes of their arguments (CheckFormat, CheckExportFile, ParseSize, CheckUserName,
// CheckImport).
// Every backend checks them on a fresh list right before it acts; the front ends ask the same
// functions to grey out what would be refused. A refusal is an *Error with its Kind and a
// one-line Message a front end can show as it is.

// MaxDistroName is the longest name WSL accepts, in characters (LX_INIT_DISTRO_NAME_MAX).
const MaxDistroName = 256

// LegacyDistroName is the name WSL reserves, in any case (LXSS_LEGACY_INSTALL_NAME): that of the
// distro lxrun installed before WSL had distro names.
const LegacyDistroName = "Legacy"

// ValidDistroName says why WSL would refuse name for a distro, or nil when it accepts it. The
// rule is WSL's own (LxssUserSessionImpl::s_ValidateDistroName): ^[a-zA-Z0-9._-]{1,256}$, and
// not Legacy in any case.
func ValidDistroName(name string) error {
	if err := distroNameSyntax(name); err != nil {
		return err
	}
	if strings.EqualFold(name, LegacyDistroName) {
		return &Error{Kind: KindFailed, Message: fmt.Sprintf("%s is reserved by WSL (lxrun's old distro, in any case)", name)}
	}
	return nil
}

// IsDistroName reports whether name can be a registered distro's: ValidDistroName without the
// reservation of Legacy, which lxrun's own distro still has (wsl -l lists it). Parsers of wsl.exe's
// listings and lookups of an existing distro use it; a name being given uses ValidDistroName.
func IsDistroName(name string) bool { return distroNameSyntax(name) == nil }

// distroNameSyntax is ValidDistroName's characters and length. WSL counts UTF-16 units; every
// character it allows is ASCII, so a valid name's bytes are its characters.
func distroNameSyntax(name string) error {
	if name == "" {
		return &Error{Kind: KindFailed, Message: "a distro name cannot be empty"}
	}
	for i := 0; i < len(name); {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(name[i:])
		what := strconv.QuoteRune(r)
		switch {
		case r == utf8.RuneError && size == 1:
			what = fmt.Sprintf("the byte 0x%02x", c)
		case r == ' ':
			what = "a space"
		}
		return &Error{Kind: KindFailed, Message: fmt.Sprintf("%s is not allowed in a distro name (letters a-z, digits, '.', '_' and '-' only)", what)}
	}
	if len(name) > MaxDistroName {
		return &Error{Kind: KindFailed, Message: fmt.Sprintf("a distro name has at most %d characters, this one %d", MaxDistroName, len(name))}
	}
	return nil
}

// FindDistro returns the distro named name (WSL compares names ignoring case).
func FindDistro(distros []Distro, name string) (Distro, bool) {
	for _, d := range distros {
		if strings.EqualFold(d.Name, name) {
			return d, true
		}
	}
	return Distro{}, false
}

// ErrStopFirst is in the chain of a Precheck refusal that stopping the distro lifts (renaming a
// running distro), so that a front end can say how to stop it in its own words.
var ErrStopFirst = errors.New("stop the distro first")

// diskVerbs are the actions that need a WSL 2 distro's virtual disk, in the words of the
// refusal ("a WSL 1 distro has no virtual disk to …").
var diskVerbs = map[Action]string{ActMove: "move", ActResize: "resize", ActSparse: "make sparse", ActCompact: "compact"}

// Precheck says why action a cannot be done now to the registered distro named distro, given the
// registered distros (a fresh list when a backend is about to act), or nil. Every action needs the
// distro registered and not in a transitional state (installing, converting, …); move, resize,
// sparse and compact need a WSL 2 distro (WSL 1 has no virtual disk); rename needs it stopped
// (the refusal wraps ErrStopFirst). Install and import act on no registered distro: CheckNewName
// is their rule.
func Precheck(a Action, distro string, distros []Distro) error {
	refuse := func(k Kind, d, msg string, err error) error {
		return &Error{Kind: k, Op: string(a), Distro: d, Message: msg, Err: err}
	}
	d, ok := FindDistro(distros, distro)
	if !ok {
		return refuse(KindNotFound, distro, "no such distro", nil)
	}
	if verb, disk := diskVerbs[a]; disk && d.Version != 2 {
		return refuse(KindUnsupported, d.Name, "a WSL 1 distro has no virtual disk to "+verb, nil)
	}
	if d.State.Busy() {
		return refuse(KindBusy, d.Name, fmt.Sprintf("%s is %s", d.Name, strings.ToLower(string(d.State))), nil)
	}
	if a == ActRename && d.State != StateStopped {
		return refuse(KindBusy, d.Name, fmt.Sprintf("%s is %s: stop it first (wsldash terminate %s)", d.Name, strings.ToLower(string(d.State)), d.Name), ErrStopFirst)
	}
	return nil
}

// CheckNewName says why action a (install, import, clone or rename) cannot give a distro the name
// name, or nil: WSL must accept the name (ValidDistroName) and no other registered distro may have
// it, in any case. renaming is the distro a rename renames ("" otherwise): it may take its own
// name in another case, not the one it has.
func CheckNewName(a Action, name, renaming string, distros []Distro) error {
	refuse := func(msg string) error {
		d := name
		if renaming != "" {
			d = renaming
		}
		return &Error{Kind: KindFailed, Op: string(a), Distro: d, Message: msg}
	}
	if err := ValidDistroName(name); err != nil {
		return refuse(err.(*Error).Message)
	}
	o, taken := FindDistro(distros, name)
	switch {
	case !taken:
		return nil
	case renaming != "" && o.Name == name:
		return refuse(fmt.Sprintf("it is already called %s", o.Name))
	case renaming != "" && strings.EqualFold(o.Name, renaming):
		return nil
	}
	return refuse(fmt.Sprintf("a distro named %s already exists", o.Name))
}

// CheckFormat says why d cannot be exported in format f ("" is a tar), or nil: the format must be
// one WSL writes, and a vhd is a WSL 2 distro's disk.
func CheckFormat(a Action, d Distro, f Format) error {
	switch f {
	case "", FormatTar, FormatTarGz, FormatTarXz:
		return nil
	case FormatVHD:
		if d.Version != 2 {
			return &Error{Kind: KindUnsupported, Op: string(a), Distro: d.Name,
				Message: d.Name + " is a WSL 1 distro: it has no disk to export as a vhd; export a tar instead"}
		}
		return nil
	}
	return &Error{Kind: KindFailed, Op: string(a), Distro: d.Name,
		Message: fmt.Sprintf("unknown format %q: use tar, tar.gz, tar.xz or vhd", string(f))}
}

// CheckExportFile says why file cannot be what an export of distro writes, or nil: there must be
// a file name, and an export never replaces a file (exists: one is there), since a failed or
// cancelled export removes its file and that must not be one the user had.
func CheckExportFile(a Action, distro, file string, exists bool) error {
	switch {
	case file == "":
		return &Error{Kind: KindFailed, Op: string(a), Distro: distro, Message: "no file to export to"}
	case exists:
		return &Error{Kind: KindFailed, Op: string(a), Distro: distro,
			Message: fmt.Sprintf("%s already exists; choose another file name or remove it first", file)}
	}
	return nil
}

var sizeRE = regexp.MustCompile(`^([0-9]+)(B|K|KB|M|MB|G|GB|T|TB)?$`)

// ParseSize reads WSL's size syntax (ParseMemorySize: digits and an optional upper-case B, K, KB,
// M, MB, G, GB, T or TB; binary multiples) as bytes, or says why it is not one.
func ParseSize(s string) (int64, error) {
	bad := &Error{Kind: KindFailed, Op: string(ActResize),
		Message: fmt.Sprintf("size %q: use a whole number with B, K, KB, M, MB, G, GB, T or TB (upper case), e.g. 256GB", s)}
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, bad
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	shift := map[string]uint{"": 0, "B": 0, "K": 10, "KB": 10, "M": 20, "MB": 20, "G": 30, "GB": 30, "T": 40, "TB": 40}[m[2]]
	if err != nil || n > (1<<63-1)>>shift {
		return 0, bad
	}
	return n << shift, nil
}

// CheckUserName says why user cannot be a distro's default user, or nil: wsl.exe looks it up with
// `id -u` inside, so it must be one word without quotes.
func CheckUserName(user string) error {
	if user == "" || strings.ContainsAny(user, "' \t\r\n") {
		return &Error{Kind: KindFailed, Op: string(ActSetUser), Message: fmt.Sprintf("%q is not a user name", user)}
	}
	return nil
}

// CheckImport says why an import of a disk (a .vhd/.vhdx; else a tar) as WSL version version (0:
// WSL's default) would be refused, or nil: the version is 1 or 2, and a disk imports only as WSL 2
// (wsl --import --vhd --version 1 is WSL_E_WSL2_NEEDED).
func CheckImport(a Action, name string, disk bool, version int) error {
	if version != 0 && version != 1 && version != 2 {
		return &Error{Kind: KindFailed, Op: string(a), Distro: name, Message: fmt.Sprintf("version must be 1 or 2, not %d", version)}
	}
	if disk && version == 1 {
		return &Error{Kind: KindUnsupported, Op: string(a), Distro: name, Message: "a vhd imports only as a WSL 2 distro, not --version 1"}
	}
	return nil
}

// Installed reports whether a distro of this name is installed: registered (WSL's names ignore
// case) and not still Installing. The catalogue shows it so; an Installing one is not yet.
func Installed(distros []Distro, name string) bool {
	d, ok := FindDistro(distros, name)
	return ok && d.State != StateInstalling
}
