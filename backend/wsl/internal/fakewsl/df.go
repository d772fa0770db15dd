package main

// df inside a distro (`wsl.exe -d NAME --exec df …`), for wsldash df. The double answers from
// Manage.Disks (Used) on a file system the size of WSL's default 1 TB disk, as the guest's df
// would print it: GNU coreutils by default, BusyBox for the distros in DF.Busybox (Alpine), and
// wsl.exe's own execvpe error for those in DF.Missing. Like any -d call it starts the distro.
// Formats: verbatim GNU coreutils 9.1 and BusyBox v1.35.0 outputs (backend/disk_test.go); the
// size is what df shows on a fresh 1 TB ext4.vhdx (1055762868 1K-blocks), the reserve ext4's 5 %.

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// DFState picks each distro's df.
type DFState struct {
	Busybox []string `json:"busybox,omitempty"` // distros whose df is BusyBox's
	Missing []string `json:"missing,omitempty"` // distros without df
}

const dfBlocks = 1055762868 // 1K-blocks of the ext4 on a fresh 1 TB ext4.vhdx

func dfIn(list func(*DFState) []string, name string) bool {
	if st.DF == nil {
		return false
	}
	return slices.ContainsFunc(list(st.DF), func(s string) bool { return strings.EqualFold(s, name) })
}

// guestDispatch answers `-d NAME [-u USER] --exec df ARGS…`; ok is false for anything else.
func guestDispatch(args []string) (code int, ok bool) {
	if len(args) < 4 || (args[0] != "-d" && args[0] != "--distribution") {
		return 0, false
	}
	i := 2
	if args[i] == "-u" || args[i] == "--user" {
		i += 2
	}
	if i+1 >= len(args) || (args[i] != "--exec" && args[i] != "-e") || args[i+1] != "df" {
		return 0, false
	}
	return df(args[1], args[i+2:]), true
}

func df(name string, args []string) int {
	idx := find(name)
	if idx < 0 {
		notFound("")
	}
	if s := st.Distros[idx].State; s != "Stopped" && s != "Running" {
		fail("The operation could not be completed because the distribution is busy.", "Wsl/Service/CreateInstance/WSL_E_DISTRO_NOT_STOPPED")
	}
	var used int64
	update(func() error {
		used = disk(st.Distros[idx].Name).Used
		lastClientLeft(idx) // it ran a command: it is running now, for the idle time
		return nil
	})
	if dfIn(func(d *DFState) []string { return d.Missing }, name) {
		fmt.Printf("<3>WSL (1) ERROR: CreateProcessParseCommon:989: execvpe(df) failed: No such file or directory\n")
		return 1
	}
	busybox := dfIn(func(d *DFState) []string { return d.Busybox }, name)
	posix, path := false, ""
	for _, a := range args {
		switch {
		case a == "-P":
			posix = true
		case a == "-k":
		case strings.HasPrefix(a, "--output"):
			if busybox {
				fmt.Fprintf(os.Stderr, "df: unrecognized option '%s'\nBusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n", a)
				return 1
			}
		case strings.HasPrefix(a, "-"):
			fmt.Fprintf(os.Stderr, "df: invalid option -- '%s'\n", strings.TrimPrefix(a, "-"))
			return 1
		default:
			path = a
		}
	}
	if path != "/" {
		fmt.Fprintf(os.Stderr, "df: %s: No such file or directory\n", path)
		return 1
	}
	u := used / 1024
	avail := max(dfBlocks-u-dfBlocks/20, 0)
	pct := (u*100 + u + avail - 1) / max(u+avail, 1) // df rounds the capacity up: ceil(used/(used+avail))
	capacity, mounted := "Capacity", "Mounted on"
	if !posix {
		capacity = "Use%"
	}
	if busybox {
		fmt.Printf("%-20s %-10s %9s %9s %s %s\n", "Filesystem", "1024-blocks", "Used", "Available", capacity, mounted)
		fmt.Printf("%-20s %9d %9d %9d %3d%% /\n", "/dev/sdc", dfBlocks, u, avail, pct)
		return 0
	}
	fmt.Printf("Filesystem     1024-blocks     Used Available %s %s\n", capacity, mounted)
	fmt.Printf("%-14s %11d %8d %9d %7d%% /\n", "/dev/sdc", dfBlocks, u, avail, pct)
	return 0
}
