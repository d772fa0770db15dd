package main

// The arguments of --export and --import as WslClient.cpp parses them (WSL@HEAD, the same in
// WSL 2.5.8, the first release with public source):
//   - ExportDistribution: positional NAME and FILE, --vhd (a flag), --format VALUE with VALUE
//     tar, tar.gz, tar.xz or vhd (anything else: THROW_HR(E_INVALIDARG)); a missing value is
//     MessageMissingArgument; tar.gz together with --vhd is WSL_E_INVALID_USAGE (tar.xz with
//     --vhd is not refused: the vhd flag wins). The service refuses a vhd of a WSL 1 distro
//     (LxssUserSession.cpp: WSL_E_WSL2_NEEDED).
//   - ImportDistribution: positional NAME DIR FILE, --version N, --vhd; a .vhd/.vhdx FILE without
//     --vhd prints MessagePassVhdFlag and returns -1; --vhd with --version 1 is WSL_E_WSL2_NEEDED.
//   - An unknown option is MessageInvalidCommandLine. The double's wsl.exe before WSL 2.5.8
//     (ManageState.WSLVersion) has no --format, and the inbox one has neither --format nor --vhd.
// The archives: tar.gz is real gzip; tar.xz is the xz magic followed by the plain tar (the
// standard library has no xz encoder; the double reads back only what it wrote); a vhd is
// vhdMagic and the distro's content.

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	vhdMagic = "fakewsl-vhdx:"
	xzMagic  = "\xfd7zXZ\x00"
	// minFormat is the double's oldest wsl.exe with --export --format.
	minFormat = "2.5.8"
)

func invalidArg(a string) {
	fail(fmt.Sprintf("Invalid command line argument: %s\nPlease use 'wsl.exe --help' to get a list of supported arguments.", a), "Wsl/E_INVALIDARG")
}

// wslUsage is WSL_E_INVALID_USAGE: wsl.exe prints its usage text (MessageWslUsage; the
// double prints its first lines) and no error code line (WslClient.cpp), and exits -1.
func wslUsage() {
	out("Copyright (c) Microsoft Corporation. All rights reserved.\nFor privacy information about this product please visit https://aka.ms/privacy.\n\nUsage: wsl.exe [Argument] [Options...] [CommandLine]\n")
	os.Exit(-1)
}

func missingValue(a string) {
	fail(fmt.Sprintf("Command line argument %s requires a value.\nPlease use 'wsl.exe --help' to get a list of supported arguments.", a), "Wsl/E_INVALIDARG")
}

// wslVersion is the double's WSL version ("" for the inbox wsl.exe).
func wslVersion() string {
	if st.Inbox {
		return ""
	}
	if v := manageVersion(); v != "" {
		return v
	}
	return "2.6.1.0"
}

func versionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// exportArgs parses --export's arguments; format is "tar", "tar.gz", "tar.xz" or "vhd".
func exportArgs(args []string) (name, file, format string) {
	var pos []string
	gz, xz, vhd := false, false, false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "--vhd":
			if st.Inbox {
				invalidArg(a)
			}
			vhd = true
		case "--format":
			if st.Inbox || versionLess(wslVersion(), minFormat) {
				invalidArg(a)
			}
			if i+1 >= len(args) {
				missingValue(a)
			}
			i++
			switch args[i] {
			case "tar.gz":
				gz = true
			case "tar.xz":
				xz = true
			case "vhd":
				vhd = true
			case "tar":
			default:
				fail("The parameter is incorrect.", "Wsl/E_INVALIDARG")
			}
		default:
			if strings.HasPrefix(a, "-") && a != "-" {
				invalidArg(a)
			}
			pos = append(pos, a)
		}
	}
	if len(pos) > 2 {
		invalidArg(pos[2])
	}
	if len(pos) < 2 || (gz && vhd) {
		wslUsage()
	}
	format = "tar"
	switch {
	case vhd:
		format = "vhd"
	case gz:
		format = "tar.gz"
	case xz:
		format = "tar.xz"
	}
	return pos[0], pos[1], format
}

// importOptions parses what follows --import NAME DIR FILE.
func importOptions(args []string) (version int, vhd bool) {
	version = 2
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "--version":
			if i+1 >= len(args) {
				missingValue(a)
			}
			i++
			v, err := strconv.Atoi(args[i])
			if err != nil || (v != 1 && v != 2) {
				fail("The parameter is incorrect.", "Wsl/E_INVALIDARG")
			}
			version = v
		case "--vhd":
			if st.Inbox {
				invalidArg(a)
			}
			vhd = true
		default:
			invalidArg(a)
		}
	}
	return version, vhd
}

func isVHDName(file string) bool {
	ext := strings.ToLower(filepath.Ext(strings.ReplaceAll(file, `\`, "/")))
	return ext == ".vhd" || ext == ".vhdx"
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// archiveWriter wraps f for the format's compression.
func archiveWriter(f *os.File, format string) io.WriteCloser {
	switch format {
	case "tar.gz":
		return gzip.NewWriter(f)
	case "tar.xz":
		f.WriteString(xzMagic)
	}
	return nopCloser{f}
}

// archiveReader undoes archiveWriter, sniffing the magic as bsdtar does.
func archiveReader(f *os.File) (io.Reader, error) {
	br := bufio.NewReader(f)
	head, _ := br.Peek(len(xzMagic))
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return gzip.NewReader(br)
	case string(head) == xzMagic:
		br.Discard(len(xzMagic))
	}
	return br, nil
}

// importVHD registers the disk file as a new WSL 2 distro (wsl --import --vhd copies it into dir).
func importVHD(name, dir string, f *os.File) int {
	b, _ := io.ReadAll(f)
	if !strings.HasPrefix(string(b), vhdMagic) {
		// Attaching a file that is not a VHD fails in virtdisk (the system message of
		// ERROR_VIRTDISK_NOT_VIRTUAL_DISK).
		fail("The specified disk is not a virtual disk.", "Wsl/Service/RegisterDistro/ERROR_VIRTDISK_NOT_VIRTUAL_DISK")
	}
	content := strings.TrimPrefix(string(b), vhdMagic)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err.Error(), "Wsl/Service/RegisterDistro/ERROR_PATH_NOT_FOUND")
	}
	os.WriteFile(filepath.Join(dir, "ext4.vhdx"), b, 0o644)
	update(func() error {
		st.Distros = append(st.Distros, Distro{Name: name, State: "Stopped", Version: 2, Content: content, Dir: dir})
		if st.Default == "" {
			st.Default = name
		}
		return nil
	})
	ok()
	return 0
}
