// Package wtprofile renames a WSL distro in Windows Terminal's settings, losslessly: only the
// string tokens that name the distro (and the profile ids derived from its name) change, every
// other byte — comments, order, spacing — stays as it was.
//
// Where Windows Terminal keeps a distro (read in microsoft/WSL@HEAD, 2026-08):
//   - Terminal's own WSL generator (source "Windows.Terminal.Wsl") makes a profile per distro
//     named after it, whose guid is the v5 UUID of the distro's name (UTF-16LE) in the namespace
//     {2bde4a90-d05f-401c-9492-e40884ead1d8} (GeneratedProfilesTerminalNamespace in
//     src/windows/common/wslutil.h; "Ubuntu" gives the well-known
//     {2c4de342-38b7-51cf-b940-2309a097f518}). The user's changes to it live in settings.json
//     under that guid, and "defaultProfile" may name it.
//   - For a distro installed from a .wsl file ("modern"), WSL writes a fragment,
//     %LOCALAPPDATA%\Microsoft\Windows Terminal\Fragments\Microsoft.WSL\{id}.json, and records
//     its path in the registration's TerminalProfilePath (LxssUserSession.cpp
//     _CreateTerminalProfile): its profiles carry "name" (the distro's), a guid derived from the
//     distribution's GUID (unchanged by a rename) and a command line by --distribution-id, plus
//     {"updates": <the generator's guid for the name>, "hidden": true}, which hides the
//     generator's duplicate.
//
// A rename therefore changes: in settings.json, the name of the WSL profiles named after the
// distro, and the generator's guid (and defaultProfile) from the old name's to the new name's, so
// the user's colours and font follow the distro; in the fragment, the name, and the "updates"
// guid, or the generator's profile for the new name would appear beside WSL's.
package wtprofile

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// Namespaces of WSL's v5 UUIDs (src/windows/common/wslutil.h).
var (
	generatedNamespace = [16]byte{0x2b, 0xde, 0x4a, 0x90, 0xd0, 0x5f, 0x40, 0x1c, 0x94, 0x92, 0xe4, 0x08, 0x84, 0xea, 0xd1, 0xd8}
	wslNamespace       = [16]byte{0xbe, 0x93, 0x72, 0xfe, 0x59, 0xe1, 0x48, 0x76, 0xbd, 0xa9, 0xc3, 0x3c, 0x8f, 0x2f, 0x1a, 0xf1}
)

// Source names of the profile generators that name a WSL distro.
const (
	SourceTerminalWSL = "Windows.Terminal.Wsl" // Terminal's own generator
	SourceWSLFragment = "Microsoft.WSL"        // WSL's fragment (the folder's name)
)

// v5 is the RFC 4122 version 5 UUID of name (UTF-16LE, as WSL and Terminal hash a wstring) in
// ns, as "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" in lower case.
func v5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	u := utf16.Encode([]rune(name))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	h.Write(b)
	s := h.Sum(nil)
	s[6] = s[6]&0x0f | 0x50
	s[8] = s[8]&0x3f | 0x80
	return fmt.Sprintf("{%x-%x-%x-%x-%x}", s[0:4], s[4:6], s[6:8], s[8:10], s[10:16])
}

// GeneratedGUID is the guid Windows Terminal's WSL generator gives the distro named name.
func GeneratedGUID(name string) string { return v5(generatedNamespace, name) }

// FragmentGUID is the guid of the profile WSL writes for the registration distroGUID ("{…}");
// its fragment file is named after it.
func FragmentGUID(distroGUID string) string {
	g := strings.ToLower(strings.Trim(distroGUID, "{}"))
	return v5(wslNamespace, "{"+g+"}")
}

// FragmentPath is where WSL writes the distro's fragment (when the registration does not say).
func FragmentPath(localAppData, distroGUID string) string {
	return filepath.Join(localAppData, "Microsoft", "Windows Terminal", "Fragments", "Microsoft.WSL", FragmentGUID(distroGUID)+".json")
}

// SettingsPaths are the settings.json files of Windows Terminal's releases: the Store's, the
// Preview's, and an unpackaged install's.
func SettingsPaths(localAppData string) []string {
	return []string{
		filepath.Join(localAppData, "Packages", "Microsoft.WindowsTerminal_8wekyb3d8bbwe", "LocalState", "settings.json"),
		filepath.Join(localAppData, "Packages", "Microsoft.WindowsTerminalPreview_8wekyb3d8bbwe", "LocalState", "settings.json"),
		filepath.Join(localAppData, "Microsoft", "Windows Terminal", "settings.json"),
	}
}

func eqGUID(a, b string) bool {
	return strings.EqualFold(strings.Trim(a, "{} "), strings.Trim(b, "{} "))
}

// profileList is settings' profiles: an array, or an object's "list".
func profileList(root *value) []*value {
	p := root.get("profiles")
	if p == nil {
		return nil
	}
	if p.kind == '{' {
		p = p.get("list")
	}
	if p == nil || p.kind != '[' {
		return nil
	}
	return p.elems
}

// parseObject parses a settings file, whose top is an object.
func parseObject(data []byte) (*value, error) {
	root, err := parse(data)
	if err == nil && root.kind != '{' {
		err = fmt.Errorf("%w: not an object", ErrSyntax)
	}
	return root, err
}

func renamed(what, old, new string) string { return fmt.Sprintf("%s %q → %q", what, old, new) }

// RenameInSettings renames the WSL distro oldName to newName in a settings.json: the name of each
// profile from Terminal's WSL generator or WSL's fragment whose name is oldName, the generator's
// guid from oldName's to newName's (unless a profile has the new guid already), and
// defaultProfile when it named the old guid. It returns the new bytes and what changed (none:
// out is data).
func RenameInSettings(data []byte, oldName, newName string) (out []byte, changes []string, err error) {
	root, err := parseObject(data)
	if err != nil {
		return data, nil, err
	}
	newG := GeneratedGUID(newName)
	list := profileList(root)
	newTaken := false
	for _, p := range list {
		if g := p.get("guid"); g.isString() && eqGUID(g.str, newG) {
			newTaken = true
		}
	}
	var edits []edit
	var moved []string // the old guids given the new name's
	for _, p := range list {
		n, src := p.get("name"), p.get("source")
		if !n.isString() || !strings.EqualFold(n.str, oldName) || !src.isString() ||
			(src.str != SourceTerminalWSL && src.str != SourceWSLFragment) {
			continue
		}
		edits = append(edits, edit{n, newName})
		changes = append(changes, renamed("profile name", n.str, newName))
		// The generator hashes the name as registered (case and all): this profile's own.
		if g := p.get("guid"); src.str == SourceTerminalWSL && g.isString() && eqGUID(g.str, GeneratedGUID(n.str)) {
			if newTaken {
				changes = append(changes, fmt.Sprintf("guid %s kept: a profile with %s (%s's) exists already", g.str, newG, newName))
				continue
			}
			edits = append(edits, edit{g, newG})
			changes = append(changes, renamed("profile guid", g.str, newG))
			moved = append(moved, g.str)
		}
	}
	if d := root.get("defaultProfile"); d.isString() {
		for _, g := range moved {
			if eqGUID(d.str, g) {
				edits = append(edits, edit{d, newG})
				changes = append(changes, renamed("defaultProfile", d.str, newG))
				break
			}
		}
	}
	if len(edits) == 0 {
		return data, nil, nil
	}
	return apply(data, edits), changes, nil
}

// RenameInFragment renames the distro in WSL's fragment: each profile's name that is oldName, and
// the "updates" entry that hides the generator's profile, from oldName's guid to newName's.
func RenameInFragment(data []byte, oldName, newName string) (out []byte, changes []string, err error) {
	root, err := parseObject(data)
	if err != nil {
		return data, nil, err
	}
	newG := GeneratedGUID(newName)
	list := profileList(root)
	// The hidden entry is the generator's guid of the name as registered: oldName's, or that of
	// the name a profile here carries (the same name in another case).
	olds := []string{GeneratedGUID(oldName)}
	for _, p := range list {
		if n := p.get("name"); n.isString() && strings.EqualFold(n.str, oldName) {
			olds = append(olds, GeneratedGUID(n.str))
		}
	}
	isOld := func(g string) bool {
		for _, o := range olds {
			if eqGUID(g, o) {
				return true
			}
		}
		return false
	}
	var edits []edit
	for _, p := range list {
		if u := p.get("updates"); u.isString() && isOld(u.str) {
			edits = append(edits, edit{u, newG})
			changes = append(changes, renamed("updates (the hidden generated profile)", u.str, newG))
			continue
		}
		if n := p.get("name"); n.isString() && strings.EqualFold(n.str, oldName) {
			edits = append(edits, edit{n, newName})
			changes = append(changes, renamed("profile name", n.str, newName))
		}
	}
	if len(edits) == 0 {
		return data, nil, nil
	}
	return apply(data, edits), changes, nil
}

// EditFile applies edit to the file at path. When something changes it first keeps the original
// as path+".bak" (replacing an older one), then writes the new text to a temporary file in the
// same folder and renames it over path, so a crash leaves the old file or the new one, never
// half of either. It returns the backup's path ("" when nothing changed) and the changes.
func EditFile(path string, edit func([]byte) ([]byte, []string, error)) (backup string, changes []string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	out, changes, err := edit(data)
	if err != nil || len(changes) == 0 || string(out) == string(data) {
		return "", changes, err
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	backup = path + ".bak"
	if err := writeAtomic(backup, data, mode); err != nil {
		return "", nil, fmt.Errorf("keeping a copy in %s: %w", backup, err)
	}
	if err := writeAtomic(path, out, mode); err != nil {
		return backup, nil, err
	}
	return backup, changes, nil
}

func writeAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(tmp, mode)
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		os.Remove(tmp)
	}
	return werr
}
