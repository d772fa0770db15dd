package main

// The management commands of wsl.exe: --list --online, --install, --manage, and fstrim run
// inside a distro (for compact). Sources (read in WSL@HEAD unless named):
//   - --list --online: WslClient.cpp ListDistributionsHelper, "%-<max+4>s%s\n" rows after the
//     localized MessageDistributionListOnline and the English NAME / FRIENDLY NAME header
//     (wsl-facts.md §1.3); network failure "Failed to fetch the distribution list from '<url>'. …"
//     with Wsl/WININET_E_CANNOT_CONNECT (test/windows/UnitTests.cpp).
//   - --install: "Downloading: <friendly>", "Installing: <friendly>", then "Distribution
//     successfully installed. It can be launched via 'wsl.exe -d <name>'" (public transcripts of
//     `wsl --install --distribution Ubuntu-24.04 --location D:\… --no-launch`); an unknown distro
//     "Invalid distribution name: '<x>'.\nTo get a list of valid distributions, use 'wsl.exe --list
//     --online'." with Wsl/InstallDistro/WSL_E_DISTRO_NOT_FOUND (test/windows); an existing name
//     "A distribution with the supplied name already exists." ERROR_ALREADY_EXISTS.
//   - --manage: WslClient.cpp Manage: exactly one of --set-sparse|-s, --move, --set-default-user,
//     --resize, else WSL_E_INVALID_USAGE; success prints the system string for ERROR_SUCCESS;
//     --set-sparse first shows MessageConversionStart; enabling needs --allow-unsafe since ~2.5
//     (LxssUserSession.cpp SetSparse, microsoft/WSL#13075); the distro must be stopped
//     (WSL_E_DISTRO_NOT_STOPPED); --set-default-user runs `/usr/bin/id -u -- USER` inside and
//     passes on its exit code; --move can move the disk and leave BasePath stale with
//     E_ACCESSDENIED (microsoft/WSL#40716), switched on by Manage.MoveStale.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ManageState is the double's state for these commands.
type ManageState struct {
	// WSLVersion overrides the "WSL version:" line of --version ("" = 2.6.1.0).
	WSLVersion string `json:"wsl_version,omitempty"`
	// Online is the catalogue; nil = the sample of wsl-facts.md §1.3. Offline fails like no network.
	Online  [][2]string `json:"online,omitempty"`
	Offline bool        `json:"offline,omitempty"`
	// Disks: per distro (lower-case name) its disk file size and what is used inside.
	Disks map[string]*Disk `json:"disks,omitempty"`
	// MoveStale: --move moves the disk but leaves the registration (Dir) as it was, and fails
	// with E_ACCESSDENIED, as in microsoft/WSL#40716.
	MoveStale bool `json:"move_stale,omitempty"`
}

// Disk is a distro's ext4.vhdx as the double keeps it.
type Disk struct {
	Bytes  int64  `json:"bytes"`          // size of the file on the host
	Used   int64  `json:"used"`           // used inside (what fstrim leaves)
	Sparse bool   `json:"sparse"`         // --set-sparse true
	Max    string `json:"max,omitempty"`  // the last --resize
	User   string `json:"user,omitempty"` // the last --set-default-user
	Moved  string `json:"moved,omitempty"`
}

var defaultOnline = [][2]string{
	{"Ubuntu", "Ubuntu"}, {"Ubuntu-24.04", "Ubuntu 24.04 LTS"}, {"openSUSE-Tumbleweed", "openSUSE Tumbleweed"},
	{"openSUSE-Leap-16.0", "openSUSE Leap 16.0"}, {"SUSE-Linux-Enterprise-15-SP7", "SUSE Linux Enterprise 15 SP7"},
	{"SUSE-Linux-Enterprise-16.0", "SUSE Linux Enterprise 16.0"}, {"kali-linux", "Kali Linux Rolling"},
	{"Debian", "Debian GNU/Linux"},
}

func mst() *ManageState {
	if st.Manage == nil {
		st.Manage = &ManageState{}
	}
	return st.Manage
}

func manageVersion() string {
	if st.Manage != nil {
		return st.Manage.WSLVersion
	}
	return ""
}

// manageDispatch answers the commands above; ok is false for any other command.
func manageDispatch(args []string) (code int, ok bool) {
	switch {
	case len(args) >= 2 && (args[0] == "-l" || args[0] == "--list") && (args[1] == "--online" || args[1] == "-o"):
		return listOnline(), true
	case len(args) >= 1 && (args[0] == "-o"):
		return listOnline(), true
	case len(args) >= 1 && args[0] == "--install":
		return install(args[1:]), true
	case len(args) >= 1 && args[0] == "--manage":
		return manage(args[1:]), true
	case len(args) >= 5 && (args[0] == "-d" || args[0] == "--distribution") && args[2] == "-u" && args[3] == "root" &&
		args[4] == "--exec" && len(args) >= 6 && args[5] == "fstrim":
		return fstrim(args[1]), true
	}
	return 0, false
}

func listOnline() int {
	if st.Inbox {
		fail("Invalid command line option: --online", "Wsl/E_INVALIDARG")
	}
	if st.Manage != nil && st.Manage.Offline {
		fail("Failed to fetch the distribution list from 'https://raw.githubusercontent.com/microsoft/WSL/master/distributions/DistributionInfo.json'. A connection with the server could not be established",
			"Wsl/WININET_E_CANNOT_CONNECT")
	}
	rows := defaultOnline
	if st.Manage != nil && st.Manage.Online != nil {
		rows = st.Manage.Online
	}
	maxLen := 4
	for _, r := range rows {
		maxLen = max(maxLen, len(r[0]))
	}
	var b strings.Builder
	if de() {
		b.WriteString("Nachfolgend finden Sie eine Liste der gültigen Distributionen, die installiert werden können.\nInstallieren Sie sie mit 'wsl.exe --install <Distro>'.\n\n")
	} else {
		b.WriteString("The following is a list of valid distributions that can be installed.\nInstall using 'wsl.exe --install <Distro>'.\n\n")
	}
	f := fmt.Sprintf("%%-%ds%%s\n", maxLen+4)
	fmt.Fprintf(&b, f, "NAME", "FRIENDLY NAME")
	for _, r := range rows {
		fmt.Fprintf(&b, f, r[0], r[1])
	}
	out(b.String())
	return 0
}

func friendly(name string) (string, bool) {
	rows := defaultOnline
	if st.Manage != nil && st.Manage.Online != nil {
		rows = st.Manage.Online
	}
	for _, r := range rows {
		if strings.EqualFold(r[0], name) {
			return r[1], true
		}
	}
	return "", false
}

// install handles --install [--distribution|-d] [DISTRO] [--name N] [--location DIR]
// [--web-download] [--from-file FILE] [--no-launch]. Without --no-launch the real wsl.exe would
// launch the distro's first-run set-up and wait for a user: the double refuses that, so a caller
// that forgets --no-launch fails its test instead of hanging.
func install(args []string) int {
	var distro, name, location, file string
	noLaunch := false
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "--distribution", "-d":
			distro = arg(args, i+1)
			i++
		case "--name", "-n":
			name = arg(args, i+1)
			i++
		case "--location":
			location = arg(args, i+1)
			i++
		case "--from-file":
			file = arg(args, i+1)
			i++
		case "--web-download":
		case "--no-launch":
			noLaunch = true
		default:
			if strings.HasPrefix(a, "-") || distro != "" {
				fail("Invalid command line argument: "+a, "Wsl/E_INVALIDARG")
			}
			distro = a
		}
	}
	if st.Inbox && (name != "" || location != "" || file != "") {
		fail("Invalid command line argument: --name", "Wsl/E_INVALIDARG")
	}
	if !noLaunch {
		fail("fakewsl: --install without --no-launch would wait for the first-run user set-up", "Wsl/E_INVALIDARG")
	}
	label := distro
	if file != "" {
		h, _, okp := hostPath(file)
		if !okp {
			fail(errPathMsg, "Wsl/InstallDistro/ERROR_PATH_NOT_FOUND")
		}
		if _, err := os.Stat(h); err != nil {
			fail("The system cannot find the file specified.", "Wsl/InstallDistro/ERROR_FILE_NOT_FOUND")
		}
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(strings.ReplaceAll(file, `\`, "/")), filepath.Ext(file))
		}
		label = name
	} else {
		fr, found := friendly(distro)
		if !found {
			fail(fmt.Sprintf("Invalid distribution name: '%s'.\nTo get a list of valid distributions, use 'wsl.exe --list --online'.", distro),
				"Wsl/InstallDistro/WSL_E_DISTRO_NOT_FOUND")
		}
		label = fr
		if name == "" {
			name = distro
		}
	}
	if find(name) >= 0 {
		fail("A distribution with the supplied name already exists.", "Wsl/Service/RegisterDistro/ERROR_ALREADY_EXISTS")
	}
	if !validDistroName(name) {
		fail(fmt.Sprintf("Invalid distribution name: '%s'.", name), "Wsl/Service/RegisterDistro/E_INVALIDARG")
	}
	if file == "" {
		out("Downloading: " + label + "\n")
	}
	out("Installing: " + label + "\n")
	update(func() error {
		st.Distros = append(st.Distros, Distro{Name: name, State: "Stopped", Version: 2, Content: name + "-disk", Dir: location})
		mst()
		if st.Manage.Disks == nil {
			st.Manage.Disks = map[string]*Disk{}
		}
		st.Manage.Disks[strings.ToLower(name)] = &Disk{Bytes: 1 << 30, Used: 1 << 30}
		return nil
	})
	out(fmt.Sprintf("Distribution successfully installed. It can be launched via 'wsl.exe -d %s'\n", name))
	return 0
}

func running(d Distro) bool {
	return d.State == "Running" || len(aliveOnly(d.Holders)) > 0 || lingering(d)
}

func notStopped() {
	fail("The operation could not be completed because the VHD is currently in use. To force WSL to stop use: wsl.exe --shutdown",
		"Wsl/Service/WSL_E_DISTRO_NOT_STOPPED")
}

func invalidUsage() {
	fail("Invalid command line argument: --manage", "Wsl/E_INVALIDARG")
}

func disk(name string) *Disk {
	m := mst()
	if m.Disks == nil {
		m.Disks = map[string]*Disk{}
	}
	k := strings.ToLower(name)
	if m.Disks[k] == nil {
		m.Disks[k] = &Disk{}
	}
	return m.Disks[k]
}

// manage handles --manage NAME (--set-sparse|-s true|false [--allow-unsafe] | --move DIR |
// --set-default-user USER | --resize SIZE).
func manage(args []string) int {
	name := arg(args, 0)
	var op, val string
	n, unsafe := 0, false
	for i := 1; i < len(args); i++ {
		switch a := args[i]; a {
		case "--set-sparse", "-s", "--move", "--set-default-user", "--resize":
			op, val = a, arg(args, i+1)
			n++
			i++
		case "--allow-unsafe":
			unsafe = true
		default:
			invalidUsage()
		}
	}
	if st.Inbox {
		fail("Invalid command line option: --manage", "Wsl/E_INVALIDARG")
	}
	if n != 1 {
		invalidUsage()
	}
	i := find(name)
	if i < 0 {
		notFound("")
	}
	d := st.Distros[i]
	if op == "--set-default-user" {
		// wsl.exe runs `/usr/bin/id -u -- 'USER'` inside (which starts the distro) and passes on a
		// failure's exit code with id's stderr.
		if !guestUser(val) {
			fmt.Fprintf(os.Stderr, "/usr/bin/id: '%s': no such user\n", val)
			return 1
		}
		update(func() error {
			disk(d.Name).User = val
			if j := find(name); j >= 0 {
				lastClientLeft(j)
			}
			return nil
		})
		ok()
		return 0
	}
	if d.Version != 2 {
		fail("This operation is only supported by WSL2.", "Wsl/Service/WSL_E_WSL2_NEEDED")
	}
	if running(d) {
		notStopped()
	}
	switch op {
	case "--set-sparse", "-s":
		on := strings.EqualFold(val, "true") || val == "1"
		if !on && !strings.EqualFold(val, "false") && val != "0" {
			invalidUsage()
		}
		if on && !unsafe {
			fail("Sparse VHD support is currently disabled due to potential data corruption.\nTo force a distribution to use a sparse VHD, please run:\nwsl.exe --manage "+d.Name+" --set-sparse true --allow-unsafe",
				"Wsl/Service/E_INVALIDARG")
		}
		out("Conversion in progress, this may take a few minutes.\n")
		update(func() error { disk(d.Name).Sparse = on; return nil })
	case "--resize":
		if !validSize(val) {
			fail(fmt.Sprintf("Invalid size: '%s'.", val), "Wsl/E_INVALIDARG")
		}
		update(func() error { disk(d.Name).Max = val; return nil })
	case "--move":
		h, _, okp := hostPath(val)
		if !okp {
			fail(errPathMsg, "Wsl/Service/MoveDistro/ERROR_PATH_NOT_FOUND")
		}
		os.MkdirAll(h, 0o755)
		stale := st.Manage != nil && st.Manage.MoveStale
		update(func() error {
			disk(d.Name).Moved = val
			if j := find(name); j >= 0 && !stale {
				st.Distros[j].Dir = val
			}
			return nil
		})
		if stale {
			fail("Access is denied.", "Wsl/Service/MoveDistro/E_ACCESSDENIED")
		}
	}
	ok()
	return 0
}

// validSize is ParseMemorySize's syntax: digits and an optional upper-case B, K, KB, M, MB, G,
// GB, T or TB (wsl-facts.md §4.1).
func validSize(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	switch s[i:] {
	case "", "B", "K", "KB", "M", "MB", "G", "GB", "T", "TB":
		return true
	}
	return false
}

// guestUser reports whether the guest's /etc/passwd (under GuestRoot) names user.
func guestUser(user string) bool {
	root := st.GuestRoot
	if root == "" {
		root = "/"
	}
	b, err := os.ReadFile(filepath.Join(root, "etc", "passwd"))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if n, _, _ := strings.Cut(l, ":"); n == user && n != "" {
			return true
		}
	}
	return false
}

// fstrim stands for `fstrim -v /` as root inside the distro (which starts it): on a sparse disk
// the file shrinks to what is used; otherwise the blocks are only marked free inside.
func fstrim(name string) int {
	i := find(name)
	if i < 0 {
		notFound("")
	}
	var freed int64
	update(func() error {
		dk := disk(st.Distros[i].Name)
		freed = max(dk.Bytes-dk.Used, 0)
		if dk.Sparse {
			dk.Bytes = dk.Used
		}
		lastClientLeft(i)
		return nil
	})
	// util-linux fstrim -v: "<mountpoint>: <human> (<n> bytes) trimmed on <device>".
	fmt.Printf("/: %.1f GiB (%d bytes) trimmed on /dev/sdd\n", float64(freed)/(1<<30), freed)
	return 0
}
