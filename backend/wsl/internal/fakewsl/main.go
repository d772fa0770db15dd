// Command fakewsl is a test double of wsl.exe. Tests build it with `go build` and point the real
// runner at it. It keeps a small state machine of distros in a JSON file ($FAKEWSL_STATE), answers
// the wsl.exe commands wsldash uses in wsl.exe's own formats and encodings (UTF-16LE without BOM
// and CRLF by default; UTF-8 when WSL_UTF8=1 and the state is a Store build; \r\r\n on request),
// exits -1 on failure like wsl.exe, and appends each argv as a JSON line to $FAKEWSL_LOG.
//
// Linux commands (--exec / --) really run on the test machine, with /proc, /sys and /etc in their
// arguments rewritten to the state's GuestRoot so tests control what the "guest" shows. Failure
// injection (hang, error code, garbage, access denied), the 2.4.4 missing '*' marker, German
// output, an inbox build and extra distros are switched on in the state file.
package main

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Distro is one fake registration.
type Distro struct {
	Name    string `json:"name"`
	State   string `json:"state"` // Stopped, Running (persistent, like a user's shell), or transitional
	Version int    `json:"version"`
	Content string `json:"content,omitempty"` // what the "disk" holds; round-trips through export/import
	Dir     string `json:"dir,omitempty"`
	Holders []int  `json:"holders,omitempty"` // pids of fake processes running inside it
	// Root is the host folder standing for the distro's own file system (\\wsl.localhost\NAME\);
	// --unregister deletes it with the disk, as wsl.exe does.
	Root string `json:"root,omitempty"`
	// IdleSince is when its last client ended (lifecycle.go); "" while it has one or is stopped.
	IdleSince string `json:"idle_since,omitempty"`
}

// Fail injects a failure.
type Fail struct {
	Mode    string `json:"mode"`            // hang, error, garbage, denied
	Match   string `json:"match,omitempty"` // only when the joined argv contains this
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// State is the whole fake.
type State struct {
	Distros  []Distro `json:"distros"`
	Default  string   `json:"default,omitempty"`
	Inbox    bool     `json:"inbox,omitempty"` // ignores WSL_UTF8, has no --version
	CRCRLF   bool     `json:"crcrlf,omitempty"`
	NoMarker bool     `json:"no_marker,omitempty"`
	Lang     string   `json:"lang,omitempty"` // "" (en) or "de"
	Extra    int      `json:"extra,omitempty"`
	Fail     *Fail    `json:"fail,omitempty"`
	// GuestRoot replaces / for /proc, /sys and /etc in exec'd commands.
	GuestRoot string `json:"guest_root,omitempty"`
	// Export pacing: the archive is written in ExportChunks pieces of ExportChunkBytes, with
	// ExportDelayMS between them, so progress can be seen.
	ExportChunks     int `json:"export_chunks,omitempty"`
	ExportChunkBytes int `json:"export_chunk_bytes,omitempty"`
	ExportDelayMS    int `json:"export_delay_ms,omitempty"`
	// ExportBad makes --export exit 0 with its success message but write a bad archive:
	// "empty", "truncated" (cut inside the first entry) or "notar".
	ExportBad string `json:"export_bad,omitempty"`
	// Drives maps drive letters to host folders for Windows paths (nil: C: is the host's /).
	Drives map[string]string `json:"drives,omitempty"`
	// Caller is the distro wsl.exe is called from through interop ("" = from Windows): Linux and
	// relative paths then lie inside it (see paths.go).
	Caller string `json:"caller,omitempty"`
	// Warnings are printed to stderr by every call, as wsl.exe prints .wslconfig warnings.
	Warnings []string `json:"warnings,omitempty"`
	// The lifecycle (lifecycle.go): the clock (RFC 3339, "" = wall clock), the idle timeouts in ms
	// (nil = WSL's defaults, < 0 = never), and the VM's state as the double keeps it.
	Clock          string `json:"clock,omitempty"`
	InstanceIdleMS *int   `json:"instance_idle_ms,omitempty"`
	VMIdleMS       *int   `json:"vm_idle_ms,omitempty"`
	VM             string `json:"vm,omitempty"`
	VMIdleSince    string `json:"vm_idle_since,omitempty"`
	// Manage: --list --online, --install, --manage and compact's fstrim (manage.go).
	Manage *ManageState `json:"manage,omitempty"`
	// DF: which df each distro has (df.go).
	DF *DFState `json:"df,omitempty"`
}

var st State
var statePath = os.Getenv("FAKEWSL_STATE")

func main() {
	args := os.Args[1:]
	logCall(args)
	if err := load(); err != nil {
		fmt.Fprintln(os.Stderr, "fakewsl:", err)
		os.Exit(2)
	}
	update(func() error { lifecycle(); return nil })
	warnings()
	if f := st.Fail; f != nil && (f.Match == "" || strings.Contains(strings.Join(args, " "), f.Match)) {
		inject(f)
	}
	os.Exit(dispatch(args))
}

func logCall(args []string) {
	p := os.Getenv("FAKEWSL_LOG")
	if p == "" {
		return
	}
	b, _ := json.Marshal(map[string]any{"args": args, "pid": os.Getpid()})
	f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	f.Write(append(b, '\n'))
	f.Close()
}

func inject(f *Fail) {
	switch f.Mode {
	case "hang":
		time.Sleep(24 * time.Hour)
	case "garbage":
		os.Stdout.Write([]byte{0xff, 0x00, 0xd8, 0x41, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x0d, 0x00, 0x0a, 0x01})
		os.Exit(0)
	case "denied":
		fail("Access is denied.", "Wsl/Service/E_ACCESSDENIED")
	case "error":
		fail(f.Message, f.Code)
	}
}

// out writes wsl.exe's own text in its encoding.
func out(text string) {
	os.Stdout.Write(encode(text))
}

func de() bool { return st.Lang == "de" }

// fail prints message and the error code line, then exits -1 (255 on Linux, as through interop).
func fail(message, code string) {
	label := "Error code:"
	if de() {
		label = "Fehlercode:"
	}
	if code != "" {
		message += "\n" + label + " " + code
	}
	out(message + "\n")
	os.Exit(-1)
}

func notFound(op string) {
	msg := "There is no distribution with the supplied name."
	if de() {
		msg = "Es ist keine Distribution mit dem angegebenen Namen vorhanden."
	}
	fail(msg, "Wsl/Service/"+op+"WSL_E_DISTRO_NOT_FOUND")
}

func ok() {
	out("The operation completed successfully. \n")
}

func dispatch(args []string) int {
	if len(args) == 0 {
		fail("interactive shells are not supported by fakewsl", "Wsl/E_INVALIDARG")
	}
	if code, ok := manageDispatch(args); ok {
		return code
	}
	if code, ok := guestDispatch(args); ok {
		return code
	}
	switch args[0] {
	case "-l", "--list":
		return list(args[1:])
	case "--status":
		return status()
	case "--version", "-v":
		return version()
	case "-t", "--terminate":
		return terminate(arg(args, 1))
	case "--shutdown":
		return shutdown()
	case "-s", "--set-default":
		return setDefault(arg(args, 1))
	case "--export":
		return export(args[1:])
	case "--import":
		return importDistro(args[1:])
	case "--unregister":
		return unregister(arg(args, 1))
	case "-d", "--distribution":
		return execIn(args[1:])
	}
	fail("Invalid command line argument: "+args[0], "Wsl/E_INVALIDARG")
	return 255
}

func arg(a []string, i int) string {
	if i < len(a) {
		return a[i]
	}
	fail("Missing argument.", "Wsl/E_INVALIDARG")
	return ""
}

// distros returns the registrations plus the Extra ones, the default first, with effective state.
func distros() []Distro {
	all := append([]Distro(nil), st.Distros...)
	for i := 0; i < st.Extra; i++ {
		all = append(all, Distro{Name: fmt.Sprintf("extra-%02d", i), State: "Stopped", Version: 2})
	}
	for i := range all {
		if all[i].State == "" {
			all[i].State = "Stopped"
		}
		// Holders that lifecycle() found alive and that died since have just started the idle time.
		if all[i].State == "Stopped" && (len(all[i].Holders) > 0 || lingering(all[i])) {
			all[i].State = "Running"
		}
	}
	for i := range all {
		if strings.EqualFold(all[i].Name, st.Default) && i > 0 {
			d := all[i]
			copy(all[1:i+1], all[:i])
			all[0] = d
		}
	}
	return all
}

func find(name string) int {
	for i, d := range st.Distros {
		if strings.EqualFold(d.Name, name) {
			return i
		}
	}
	return -1
}

func noDistros() {
	if de() {
		// Modelled on the English text, not a verbatim German string (wsl-facts §1.6 has none):
		// what matters is that it is a message the parsers do not know, so the -l -q fallback runs.
		out("Das Windows-Subsystem für Linux hat keine installierten Distributionen.\nInstallieren Sie eine Distribution aus der Liste der verfügbaren Distributionen.\n")
		os.Exit(-1)
	}
	out("Windows Subsystem for Linux has no installed distributions.\nYou can resolve this by installing a distribution with the instructions below:\n\n" +
		"Use 'wsl.exe --list --online' to list available distributions\nand 'wsl.exe --install <Distro>' to install.\n")
	os.Exit(-1)
}

func list(args []string) int {
	var verbose, quiet, running bool
	for _, a := range args {
		switch a {
		case "-v", "--verbose":
			verbose = true
		case "-q", "--quiet":
			quiet = true
		case "--running":
			running = true
		}
	}
	ds := distros()
	var b strings.Builder
	switch {
	case quiet:
		for _, d := range ds {
			if !running || d.State == "Running" {
				b.WriteString(d.Name + "\n")
			}
		}
	case verbose:
		if len(ds) == 0 {
			noDistros()
		}
		maxLen := 4
		for _, d := range ds {
			maxLen = max(maxLen, len(d.Name))
		}
		fmt.Fprintf(&b, "%s %-*s%-16s%s\n", " ", maxLen+4, "NAME", "STATE", "VERSION")
		for _, d := range ds {
			m := " "
			if strings.EqualFold(d.Name, st.Default) && !st.NoMarker {
				m = "*"
			}
			fmt.Fprintf(&b, "%s %-*s%-16s%d\n", m, maxLen+4, d.Name, d.State, d.Version)
		}
	default:
		if len(ds) == 0 {
			noDistros()
		}
		var rows []string
		for _, d := range ds {
			if running && d.State != "Running" {
				continue
			}
			if d.State != "Running" && d.State != "Stopped" {
				continue // hidden without --all
			}
			if strings.EqualFold(d.Name, st.Default) {
				suffix := " (Default)"
				if de() {
					suffix = " (Standard)"
				}
				rows = append(rows, d.Name+suffix)
			} else {
				rows = append(rows, d.Name)
			}
		}
		if running && len(rows) == 0 {
			if de() {
				out("Es werden keine Distributionen ausgeführt.\n")
			} else {
				out("There are no running distributions.\n")
			}
			os.Exit(-1)
		}
		if de() {
			b.WriteString("Windows Subsystem für Linux-Distributionen:\n")
		} else {
			b.WriteString("Windows Subsystem for Linux Distributions:\n")
		}
		for _, r := range rows {
			b.WriteString(r + "\n")
		}
	}
	out(b.String())
	return 0
}

func status() int {
	var b strings.Builder
	if st.Default != "" && find(st.Default) >= 0 {
		if de() {
			b.WriteString("Standarddistribution: " + st.Distros[find(st.Default)].Name + "\n")
		} else {
			b.WriteString("Default Distribution: " + st.Distros[find(st.Default)].Name + "\n")
		}
	}
	if de() {
		b.WriteString("Standardversion: 2\n")
	} else {
		b.WriteString("Default Version: 2\n")
	}
	out(b.String())
	return 0
}

func version() int {
	if st.Inbox {
		fail("Invalid command line option: --version", "")
	}
	labels := []string{"WSL version", "Kernel version", "WSLg version", "MSRDC version", "Direct3D version", "DXCore version", "Windows version"}
	if de() {
		labels = []string{"WSL-Version", "Kernelversion", "WSLg-Version", "MSRDC-Version", "Direct3D-Version", "DXCore-Version", "Windows-Version"}
	}
	vals := []string{"2.6.1.0", "6.6.87.2-1", "1.0.66", "1.2.6353", "1.611.1-81528511", "10.0.26100.1-240331-1435.ge-release", "10.0.26100.4770"}
	if v := manageVersion(); v != "" {
		vals[0] = v
	}
	var b strings.Builder
	for i := range labels {
		b.WriteString(labels[i] + ": " + vals[i] + "\n")
	}
	out(b.String())
	return 0
}

func terminate(name string) int {
	var holders []int
	err := update(func() error {
		i := find(name)
		if i < 0 {
			return errNotFound
		}
		holders = st.Distros[i].Holders
		st.Distros[i].Holders, st.Distros[i].IdleSince = nil, ""
		if st.Distros[i].State == "Running" {
			st.Distros[i].State = "Stopped"
		}
		return nil
	})
	if errors.Is(err, errNotFound) {
		notFound("TerminateDistro/")
	}
	killAll(holders)
	ok()
	return 0
}

func shutdown() int {
	var holders []int
	update(func() error {
		st.VM, st.VMIdleSince = "Stopped", ""
		for i := range st.Distros {
			holders = append(holders, st.Distros[i].Holders...)
			st.Distros[i].Holders, st.Distros[i].IdleSince = nil, ""
			if st.Distros[i].State == "Running" {
				st.Distros[i].State = "Stopped"
			}
		}
		return nil
	})
	killAll(holders)
	return 0
}

func setDefault(name string) int {
	err := update(func() error {
		i := find(name)
		if i < 0 {
			return errNotFound
		}
		st.Default = st.Distros[i].Name
		return nil
	})
	if err != nil {
		notFound("SetDefaultDistro/")
	}
	ok()
	return 0
}

var errNotFound = errors.New("not found")

func setState(name, state string) {
	update(func() error {
		if i := find(name); i >= 0 {
			st.Distros[i].State = state
		}
		return nil
	})
}

func export(args []string) int {
	name, file, format := exportArgs(args)
	i := find(name)
	if i < 0 {
		notFound("ExportDistro/")
	}
	d := st.Distros[i]
	if d.State != "Stopped" && d.State != "Running" {
		fail("The operation could not be completed because the distribution is busy.", "Wsl/Service/ExportDistro/WSL_E_DISTRO_NOT_STOPPED")
	}
	if format == "vhd" && d.Version != 2 {
		fail("This operation is only supported by WSL2.", "Wsl/Service/ExportDistro/WSL_E_WSL2_NEEDED")
	}
	host := mustHost(file, "Wsl/Service/ExportDistro/ERROR_PATH_NOT_FOUND")
	prev := d.State
	setState(name, "Exporting")
	defer setState(name, prev)
	f, err := os.Create(host)
	if err != nil {
		fail(errPathMsg, "Wsl/Service/ExportDistro/ERROR_PATH_NOT_FOUND")
	}
	if st.ExportBad != "" {
		writeBad(f, st.ExportBad, d.Content)
		f.Close()
		out("Export in progress, this may take a few minutes.\n")
		ok()
		return 0
	}
	if format == "vhd" {
		f.WriteString(vhdMagic + d.Content)
		f.Close()
		out("Export in progress, this may take a few minutes.\n")
		ok()
		return 0
	}
	w := archiveWriter(f, format)
	chunks, size, delay := max(st.ExportChunks, 1), max(st.ExportChunkBytes, 512), time.Duration(st.ExportDelayMS)*time.Millisecond
	tw := tar.NewWriter(w)
	tw.WriteHeader(&tar.Header{Name: "etc/wsldash-fake", Mode: 0o644, Size: int64(len(d.Content)), Typeflag: tar.TypeReg})
	io.WriteString(tw, d.Content)
	tw.WriteHeader(&tar.Header{Name: "padding", Mode: 0o644, Size: int64(chunks * size), Typeflag: tar.TypeReg})
	buf := make([]byte, size)
	for c := 0; c < chunks; c++ {
		tw.Write(buf)
		tw.Flush()
		if fl, ok := w.(interface{ Flush() error }); ok {
			fl.Flush()
		}
		if c+1 < chunks {
			time.Sleep(delay)
		}
	}
	tw.Close()
	w.Close()
	f.Close()
	out("Export in progress, this may take a few minutes.\n")
	ok()
	return 0
}

func importDistro(args []string) int {
	if len(args) < 3 {
		fail("Missing argument.", "Wsl/E_INVALIDARG")
	}
	name, dir, file := args[0], args[1], args[2]
	version, vhd := importOptions(args[3:])
	if find(name) >= 0 {
		fail("A distribution with the supplied name already exists. Use --name to choose a different name.", "Wsl/Service/RegisterDistro/ERROR_ALREADY_EXISTS")
	}
	if !validDistroName(name) {
		fail("Invalid distribution name.", "Wsl/Service/RegisterDistro/E_INVALIDARG")
	}
	if !vhd && isVHDName(file) {
		// WslClient.cpp ImportDistribution: PrintMessage(MessagePassVhdFlag) and -1, no error code.
		out("This looks like a VHD file. Use --vhd to import a VHD instead of a tar.\n")
		return 255
	}
	if vhd && version == 1 {
		fail("This operation is only supported by WSL2.", "Wsl/Service/RegisterDistro/WSL_E_WSL2_NEEDED")
	}
	file = mustHost(file, "Wsl/Service/RegisterDistro/ERROR_PATH_NOT_FOUND")
	dir = mustHost(dir, "Wsl/Service/RegisterDistro/ERROR_PATH_NOT_FOUND")
	f, err := os.Open(file)
	if err != nil {
		fail("The system cannot find the file specified.", "Wsl/Service/RegisterDistro/ERROR_FILE_NOT_FOUND")
	}
	defer f.Close()
	if vhd {
		return importVHD(name, dir, f)
	}
	r, err := archiveReader(f)
	if err != nil {
		fail("The archive is not a valid tar file.", "Wsl/Service/RegisterDistro/WSL_E_IMPORT_FAILED")
	}
	tr := tar.NewReader(r)
	content, found := "", false
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail("The archive is not a valid tar file.", "Wsl/Service/RegisterDistro/WSL_E_IMPORT_FAILED")
		}
		if h.Name == "etc/wsldash-fake" {
			b, _ := io.ReadAll(tr)
			content, found = string(b), true
		}
	}
	if !found {
		fail("The archive is not a valid tar file.", "Wsl/Service/RegisterDistro/WSL_E_IMPORT_FAILED")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail(err.Error(), "Wsl/Service/RegisterDistro/ERROR_PATH_NOT_FOUND")
	}
	os.WriteFile(filepath.Join(dir, "ext4.vhdx"), []byte(content), 0o644)
	update(func() error {
		st.Distros = append(st.Distros, Distro{Name: name, State: "Stopped", Version: version, Content: content, Dir: dir})
		if st.Default == "" {
			st.Default = name
		}
		return nil
	})
	ok()
	return 0
}

func unregister(name string) int {
	var holders []int
	var gone Distro
	err := update(func() error {
		i := find(name)
		if i < 0 {
			return errNotFound
		}
		holders = st.Distros[i].Holders
		gone = st.Distros[i]
		st.Distros = append(st.Distros[:i], st.Distros[i+1:]...)
		if strings.EqualFold(st.Default, name) {
			st.Default = ""
			if len(st.Distros) > 0 {
				st.Default = st.Distros[0].Name
			}
		}
		return nil
	})
	if err != nil {
		notFound("UnregisterDistro/")
	}
	killAll(holders)
	deleteDisk(gone)
	out("Unregistering.\n")
	ok()
	return 0
}

// execIn handles -d NAME [-u USER] [--cd DIR] (--exec|-e|--) CMD...
func execIn(args []string) int {
	name := arg(args, 0)
	var cmdArgs []string
	user := ""
	cd, haveCD := "", false
	for i := 1; i < len(args); i++ {
		switch args[i] {
		case "-u", "--user":
			user = arg(args, i+1)
			i++
		case "--cd":
			cd, haveCD = arg(args, i+1), true
			i++
		case "--exec", "-e", "--":
			cmdArgs = args[i+1:]
			i = len(args)
		}
	}
	var dir string
	if haveCD {
		dir = changeDirectory(cd) // while parsing its arguments, before the service is asked, as wsl.exe
	}
	idx := find(name)
	if idx < 0 {
		notFound("")
	}
	if s := st.Distros[idx].State; s != "Stopped" && s != "Running" {
		fail("The operation could not be completed because the distribution is busy.", "Wsl/Service/CreateInstance/WSL_E_DISTRO_NOT_STOPPED")
	}
	if len(cmdArgs) == 0 {
		fail("interactive shells are not supported by fakewsl", "Wsl/E_INVALIDARG")
	}
	if user == "root" && len(cmdArgs) >= 2 && cmdArgs[0] == "kill" {
		return fakeKill(cmdArgs[1:])
	}
	pid := os.Getpid()
	update(func() error {
		if i := find(name); i >= 0 {
			st.Distros[i].Holders = append(aliveOnly(st.Distros[i].Holders), pid)
		}
		return nil
	})
	defer update(func() error {
		if i := find(name); i >= 0 {
			st.Distros[i].Holders = without(st.Distros[i].Holders, pid)
			lastClientLeft(i)
		}
		return nil
	})
	for i, a := range cmdArgs {
		cmdArgs[i] = rewrite(a)
	}
	cmd := exec.Command(cmdArgs[0], cmdArgs[1:]...)
	cmd.Dir = dir // a relative command is found there, as execvpe finds it in the working directory
	if st.GuestRoot != "" {
		// The Go probe (`wsldash probe`) reads its /proc and /etc/passwd under this root, as the
		// rewrite points the sh probe's paths there (guestprobe.EnvGuestRoot; honoured outside WSL).
		cmd.Env = append(os.Environ(), "WSLDASH_GUEST_ROOT="+st.GuestRoot)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	linuxSide(cmd)
	err := cmd.Run()
	logGuest(cmd.ProcessState) // guestlog.go: what the guest command cost
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stdout, "<3>WSL (1) ERROR: CreateProcessParseCommon:989: execvpe(%s) failed: No such file or directory\n", cmdArgs[0])
		return 1
	}
	return 0
}

// rewrite points /proc, /sys and /etc inside an argument (a path or a script) at GuestRoot.
func rewrite(a string) string {
	if st.GuestRoot == "" {
		return a
	}
	// One pass, so the /sys/ inside a rewritten /proc/sys/ is not rewritten again.
	return strings.NewReplacer("/proc/", st.GuestRoot+"/proc/", "/sys/", st.GuestRoot+"/sys/", "/etc/", st.GuestRoot+"/etc/").Replace(a)
}

// fakeKill "kills" a guest process by removing GuestRoot/proc/PID, as util-linux kill takes its
// arguments: `kill [-s SIGNAL] PID` (TERM when no signal is given). A process whose directory
// holds a file "ignores-TERM" survives TERM, as a process with a handler may; KILL always ends it.
func fakeKill(args []string) int {
	sig := "TERM"
	if len(args) == 3 && args[0] == "-s" {
		sig, args = args[1], args[2:]
		switch sig {
		case "TERM", "KILL", "15", "9":
		default:
			fmt.Fprintf(os.Stderr, "kill: unknown signal: %s\n", sig)
			return 1
		}
	}
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "kill: too many arguments")
		return 1
	}
	pid := args[0]
	if _, err := strconv.Atoi(pid); err != nil || st.GuestRoot == "" {
		fmt.Fprintf(os.Stderr, "kill: failed to parse argument: '%s'\n", pid)
		return 1
	}
	dir := filepath.Join(st.GuestRoot, "proc", pid)
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(os.Stderr, "kill: (%s) - No such process\n", pid)
		return 1
	}
	if _, err := os.Stat(filepath.Join(dir, "ignores-TERM")); err == nil && (sig == "TERM" || sig == "15") {
		return 0
	}
	os.RemoveAll(dir)
	return 0
}

func aliveOnly(pids []int) []int {
	var out []int
	for _, p := range pids {
		if alive(p) {
			out = append(out, p)
		}
	}
	return out
}

func without(pids []int, p int) []int {
	var out []int
	for _, q := range pids {
		if q != p {
			out = append(out, q)
		}
	}
	return out
}

func killAll(pids []int) {
	for _, p := range pids {
		if p != os.Getpid() {
			killTree(p)
		}
	}
}

// load reads the state file.
func load() error {
	if statePath == "" {
		return errors.New("FAKEWSL_STATE is not set")
	}
	b, err := os.ReadFile(statePath)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, &st)
}

// update re-reads the state under a lock file, applies f and writes it back.
func update(f func() error) error {
	lock := statePath + ".lock"
	for i := 0; ; i++ {
		fh, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fh.Close()
			break
		}
		if fi, err := os.Stat(lock); err == nil && time.Since(fi.ModTime()) > 2*time.Second {
			os.Remove(lock) // a holder was killed mid-update
		}
		time.Sleep(2 * time.Millisecond)
	}
	defer os.Remove(lock)
	if err := load(); err != nil {
		return err
	}
	if err := f(); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	tmp := statePath + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, statePath)
}

// validDistroName is the service's s_ValidateDistroName as wsl.exe applies it: 1 to 256 of
// a-z A-Z 0-9 . _ -, and not "Legacy" in any case. It is the double's own copy on purpose: the
// double stands in for wsl.exe, so it must not share the rule of the code it tests
// (backend.ValidDistroName), or a wrong rule would pass against itself.
func validDistroName(name string) bool {
	if len(name) == 0 || len(name) > 256 || strings.EqualFold(name, "Legacy") {
		return false
	}
	for _, c := range []byte(name) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}
