package wslout

import "fmt"

// Version is the parsed `wsl.exe --version`: 7 lines in a fixed order, labels localized.
type Version struct {
	WSL, Kernel, WSLg, MSRDC, Direct3D, DXCore, Windows string
}

// ParseVersion parses `wsl.exe --version` by line position, splitting each line at its last
// colon (the labels are localized: de "WSL-Version:", fr "Version WSL : ", ja "WSL バージョン:"…).
// Inbox wsl.exe does not know --version and prints usage: that is a KindParse error.
func ParseVersion(text string) (Version, error) {
	lines := nonEmpty(Lines(text))
	if len(lines) < 7 {
		return Version{}, parseErr("version", fmt.Sprintf("wsl.exe --version printed %d lines, want 7 (an inbox wsl.exe has no --version)", len(lines)))
	}
	var vals [7]string
	for i := 0; i < 7; i++ {
		_, v, ok := labelValue(lines[i])
		if !ok || v == "" {
			return Version{}, parseErr("version", fmt.Sprintf("unexpected wsl.exe --version line %d: %q", i+1, clip(lines[i])))
		}
		vals[i] = v
	}
	return Version{vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6]}, nil
}
