package wslout

import (
	"fmt"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// OnlineDistro is one row of `wsl.exe --list --online` (backend.OnlineDistro): the name to pass
// to `wsl --install` and the catalogue's friendly name.
type OnlineDistro = backend.OnlineDistro

// ParseOnline parses `wsl.exe --list --online` (alias -o). wsl.exe prints the localized
// MessageDistributionListOnline (two lines and a blank one in English: "The following is a list of
// valid distributions that can be installed. / Install using 'wsl.exe --install <Distro>'."), then
// the hard-coded English header NAME and FRIENDLY NAME, then one "%-<max+4>s%s" row a distro
// (WSL@HEAD:src/windows/common/WslClient.cpp, ListDistributionsHelper, WSL_LIST_HEADER_NAME /
// WSL_LIST_HEADER_FRIENDLY_NAME in src/windows/inc/wsl.h). Whatever the language, the rows start
// after the line whose fields are exactly NAME FRIENDLY NAME; names never contain spaces, so a
// row is its first field and the rest (which may hold spaces) is the friendly name. No header
// is a KindParse error (an old or unknown output must not read as an empty catalogue).
func ParseOnline(text string) ([]OnlineDistro, error) {
	lines := Lines(text)
	start := -1
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) == 3 && f[0] == "NAME" && f[1] == "FRIENDLY" && f[2] == "NAME" {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil, parseErr("install --list", fmt.Sprintf("no NAME / FRIENDLY NAME header in wsl.exe --list --online output: %q", clip(strings.Join(nonEmpty(lines), " | "))))
	}
	out := []OnlineDistro{}
	for _, row := range nonEmpty(lines[start:]) {
		row = strings.TrimSpace(row)
		name, rest, _ := strings.Cut(row, " ")
		if !validName(name) {
			return nil, parseErr("install --list", fmt.Sprintf("bad distro name %q in wsl.exe --list --online row %q", clip(name), clip(row)))
		}
		friendly := strings.TrimSpace(rest)
		if friendly == "" {
			friendly = name
		}
		out = append(out, OnlineDistro{Name: name, FriendlyName: friendly})
	}
	return out, nil
}
