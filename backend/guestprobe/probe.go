// Package guestprobe is `wsldash probe NONCE`: the Linux build of wsldash run in a WSL 2 distro
// by the wsl backend (from Windows) to answer requests for /proc sections. It speaks exactly the
// protocol of the wsl backend's sh probe (package wsl's doc): one request per line on stdin,
// "<id> <section>...", answered by a marker line "@@wsldash/<nonce> <section>" and the section's
// bytes for each section asked, then "@@wsldash/<nonce> end <id>"; it ends when stdin closes.
//
// It exists because the sh probe, however careful, forks and reads files a byte at a time, and
// the VM reclaims memory only while everything in it is nearly idle. Here the files read every
// request (meminfo, stat, pressure, uptime, each process's stat) are opened once and re-read with
// pread (package procfs); a process's status is read only the first time its pid (and start
// time) is seen, and sent only then; /etc/passwd is read again only when its modification time
// changes, and only the lines of uids in use are sent, each once; mountinfo is answered with
// "unchanged" when it is byte-identical to what this probe last sent. Between requests it is
// blocked in one read of stdin: no goroutines, no timers.
//
// Sections: meminfo, stat (the cpu lines), psi, mounts, procs, self (the probe's own
// /proc/self/stat line), kind ("go <version>"), fresh (forget what was sent: the next procs and
// mounts are sent in full), dmem (the distro's cgroup memory, as the wsl backend's memScript
// prints it: dmem.go). An unknown section comes back empty, as from the sh probe.
//
// Written by hand because what it speaks is our own protocol, and the libraries that read /proc
// (gopsutil, prometheus/procfs) open, read and close every file on every call and allocate per
// process, which is the cost this package exists to avoid; the readers are package procfs's.
//
// The procs section (the same format as the sh probe's, see package wsl): "@@wsldash uptime"
// then /proc/uptime; "@@wsldash status <pid>" then the Name and Uid lines of each process not
// sent before; "@@wsldash passwd" then the passwd lines not sent before of the uids in use (only
// when there are any); last "@@wsldash stats" then every process's stat line, as they come. The
// stat lines come last because a process name (up to 15 bytes, newlines allowed) could start a
// line "@@wsldash pid " but never one of these longer sub-markers.
package guestprobe

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend/procfs"
)

// EnvGuestRoot names a folder that stands for / (its proc and etc/passwd are read instead of
// /proc and /etc/passwd). The wsl.exe double sets it from its GuestRoot, as it rewrites /proc in
// the sh probe's script. It is honoured only outside WSL (InsideWSL false): in a real distro the
// probe always reads the real /proc.
const EnvGuestRoot = "WSLDASH_GUEST_ROOT"

// Options configure Serve.
type Options struct {
	// Root stands for / ("" = /): Root/proc and Root/etc/passwd are read.
	Root string
	// Version is what the kind section says after "go ".
	Version string
}

// Probe is one probe's state: what it has read and sent.
type Probe struct {
	marker []byte // "@@wsldash/<nonce> "
	opts   Options
	proc   *procfs.FS // Root/proc
	self   *procfs.FS // the real /proc, for /proc/self/stat
	passwd string

	out       []byte // the frame being built
	scratch   []byte
	statusBuf []byte
	pids      []int
	lastUID   int // the uid status found

	cg    *procfs.FS // Root/sys/fs/cgroup, for dmem (made on first use)
	cgDir string     // the distro cgroup whose files cg keeps open

	noPSI      bool
	mounts     []byte // the mountinfo last sent
	sentMounts bool

	known   map[int]procEntry // pid -> what was read of it
	seen    map[int]bool      // this scan's pids (reused)
	users   map[int][]byte    // uid -> its passwd line (from the file)
	sentUID map[int][]byte    // uid -> the line sent
	pwMod   time.Time
	pwSize  int64
	pwRead  bool
}

type procEntry struct {
	stat  string // "PID/stat", made once per pid
	start uint64 // start time: a pid whose start time changed is a new process
	uid   int
	sent  bool // its status went out
}

// New makes a probe that marks its frames with nonce.
func New(nonce string, opts Options) *Probe {
	root := opts.Root
	return &Probe{
		marker:  []byte("@@wsldash/" + nonce + " "),
		opts:    opts,
		proc:    procfs.NewFS(root + "/proc"),
		self:    procfs.NewFS("/proc"),
		passwd:  root + "/etc/passwd",
		known:   map[int]procEntry{},
		seen:    map[int]bool{},
		users:   map[int][]byte{},
		sentUID: map[int][]byte{},
	}
}

// Close releases the files kept open.
func (p *Probe) Close() {
	p.proc.Close()
	p.self.Close()
	if p.cg != nil {
		p.cg.Close()
	}
}

// Serve answers the requests read from in on out until in ends (nil) or a write fails.
func (p *Probe) Serve(in io.Reader, out io.Writer) error {
	buf := make([]byte, 4096)
	var pending []byte
	for {
		n, err := in.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.IndexByte(pending, '\n')
			if i < 0 {
				break
			}
			frame := p.Answer(pending[:i])
			if _, werr := out.Write(frame); werr != nil {
				return werr
			}
			pending = pending[:copy(pending, pending[i+1:])]
		}
		if err == io.EOF {
			return nil // a last line without its newline is not a request (as sh's read)
		}
		if err != nil {
			return err
		}
		if len(pending) > 64<<10 {
			pending = pending[:0] // no request is this long: drop it rather than grow
		}
	}
}

// Answer builds the frame for one request line (without its newline). The returned bytes are
// valid until the next call.
func (p *Probe) Answer(line []byte) []byte {
	p.out = p.out[:0]
	id, rest := field(line)
	for {
		var s []byte
		s, rest = field(rest)
		if len(s) == 0 {
			break
		}
		p.out = append(append(append(p.out, p.marker...), s...), '\n')
		p.section(string(s)) // a switch on string(s) does not allocate
	}
	p.out = append(append(append(append(p.out, p.marker...), "end "...), id...), '\n')
	return p.out
}

// field splits off the first blank-separated word (sh's default IFS: space, tab).
func field(b []byte) (word, rest []byte) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != '\t' {
		j++
	}
	return b[i:j], b[j:]
}

func (p *Probe) section(s string) {
	switch s {
	case "meminfo":
		p.out, _ = p.proc.AppendFile(p.out, "meminfo", true)
	case "stat":
		p.cpuLines()
	case "psi":
		if !p.noPSI {
			var err error
			if p.out, err = p.proc.AppendFile(p.out, "pressure/memory", true); err != nil {
				p.noPSI = true // no PSI in this kernel: it will not appear later
			}
		}
	case "self":
		p.out, _ = p.self.AppendFile(p.out, "self/stat", true)
	case "kind":
		p.out = append(append(append(p.out, "go "...), p.opts.Version...), '\n')
	case "mounts":
		p.mountinfo()
	case "procs":
		p.procs()
	case "dmem":
		p.dmem()
	case "fresh":
		p.sentMounts = false
		clear(p.known)
		clear(p.sentUID)
	}
}

// cpuLines appends the cpu lines of stat (they come first; the first other line ends them).
func (p *Probe) cpuLines() {
	var err error
	p.scratch, err = p.proc.AppendFile(p.scratch[:0], "stat", true)
	if err != nil {
		return
	}
	b := p.scratch
	for len(b) > 0 {
		l := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i+1], b[i+1:]
		} else {
			b = nil
		}
		if !bytes.HasPrefix(l, []byte("cpu")) {
			break
		}
		p.out = append(p.out, l...)
	}
}

func (p *Probe) mountinfo() {
	var err error
	p.scratch, err = p.proc.AppendFile(p.scratch[:0], "self/mountinfo", false)
	if err != nil {
		return
	}
	if p.sentMounts && bytes.Equal(p.scratch, p.mounts) {
		p.out = append(p.out, "unchanged\n"...)
		return
	}
	p.mounts = append(p.mounts[:0], p.scratch...)
	p.sentMounts = true
	p.out = append(p.out, p.scratch...)
	if len(p.scratch) > 0 && p.scratch[len(p.scratch)-1] != '\n' {
		p.out = append(p.out, '\n')
	}
}

// procs appends the process table (see the package doc for its format).
func (p *Probe) procs() {
	p.out = append(p.out, "@@wsldash uptime\n"...)
	p.out, _ = p.proc.AppendFile(p.out, "uptime", true)
	var err error
	p.pids, err = p.proc.PIDs(p.pids[:0])
	if err != nil {
		return
	}
	// The stat lines are read first, into scratch, so that the statuses of new processes (which
	// come before them in the section) are those of the processes listed.
	stats := p.scratch[:0]
	clear(p.seen)
	for _, pid := range p.pids {
		n := len(stats)
		e, had := p.known[pid]
		if !had {
			e.stat = strconv.Itoa(pid) + "/stat"
		}
		stats, err = p.proc.AppendFile(stats, e.stat, true)
		if err != nil || len(stats) == n {
			stats = stats[:n]
			continue // it exited
		}
		if stats[len(stats)-1] != '\n' {
			stats = append(stats, '\n')
		}
		start, ok := startTime(stats[n:])
		if !ok {
			stats = stats[:n] // not a stat line: nothing the backend could use
			continue
		}
		if !had || e.start != start || !e.sent {
			e = procEntry{stat: e.stat, start: start, uid: -1}
			if !p.status(pid) {
				stats = stats[:n] // exited between its stat and its status
				continue
			}
			e.uid, e.sent = p.lastUID, true
		}
		p.known[pid] = e
		p.seen[pid] = true
	}
	p.scratch = stats
	for pid, e := range p.known {
		if !p.seen[pid] {
			delete(p.known, pid)
			p.proc.Forget(e.stat) // gone: its kept stat file is closed
		}
	}
	p.passwdLines()
	p.out = append(p.out, "@@wsldash stats\n"...)
	p.out = append(p.out, stats...)
}

// startTime is field 22 of a stat line (after the comm's last ')').
func startTime(b []byte) (uint64, bool) {
	c := bytes.LastIndexByte(b, ')')
	if c < 0 {
		return 0, false
	}
	rest := b[c+1:]
	for i := 3; i <= 22; i++ {
		var f []byte
		f, rest = field(rest)
		if len(f) == 0 {
			return 0, false
		}
		if i == 22 {
			v, err := strconv.ParseUint(string(f), 10, 64) // string(f) in a call does not allocate
			return v, err == nil
		}
	}
	return 0, false
}

// status appends "@@wsldash status PID" and the Name and Uid lines of pid's status, and sets
// lastUID; false when it could not be read (the process is gone).
func (p *Probe) status(pid int) bool {
	var name [32]byte
	nm := strconv.AppendInt(name[:0], int64(pid), 10)
	nm = append(nm, "/status"...)
	st, err := p.proc.AppendFile(p.statusBuf[:0], string(nm), false)
	p.statusBuf = st
	if err != nil {
		return false
	}
	var nameLine, uidLine []byte
	for b := st; len(b) > 0 && (nameLine == nil || uidLine == nil); {
		l := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		switch {
		case bytes.HasPrefix(l, []byte("Name:")):
			nameLine = l
		case bytes.HasPrefix(l, []byte("Uid:")):
			uidLine = l
		}
	}
	if nameLine == nil || uidLine == nil {
		return false
	}
	u, _ := field(uidLine[len("Uid:"):])
	uid, err := strconv.Atoi(string(u))
	if err != nil {
		return false
	}
	p.lastUID = uid
	p.out = append(p.out, "@@wsldash status "...)
	p.out = strconv.AppendInt(p.out, int64(pid), 10)
	p.out = append(p.out, '\n')
	p.out = append(append(p.out, nameLine...), '\n')
	p.out = append(append(p.out, uidLine...), '\n')
	return true
}

// passwdLines appends the passwd lines of uids in use that were not sent yet (or changed).
func (p *Probe) passwdLines() {
	p.readPasswd()
	head := false
	for _, e := range p.known {
		if e.uid < 0 {
			continue
		}
		line, ok := p.users[e.uid]
		if !ok {
			continue // no entry: the backend shows the number
		}
		if sent, ok := p.sentUID[e.uid]; ok && bytes.Equal(sent, line) {
			continue
		}
		if !head {
			p.out = append(p.out, "@@wsldash passwd\n"...)
			head = true
		}
		p.out = append(append(p.out, line...), '\n')
		p.sentUID[e.uid] = line
	}
}

// readPasswd reads the passwd file again when its modification time or size changed.
func (p *Probe) readPasswd() {
	fi, err := os.Stat(p.passwd)
	if err != nil {
		return
	}
	if p.pwRead && fi.ModTime().Equal(p.pwMod) && fi.Size() == p.pwSize {
		return
	}
	b, err := os.ReadFile(p.passwd)
	if err != nil {
		return
	}
	p.pwRead, p.pwMod, p.pwSize = true, fi.ModTime(), fi.Size()
	clear(p.users)
	for len(b) > 0 {
		l := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		f := bytes.SplitN(l, []byte(":"), 4)
		if len(f) < 4 || len(f[0]) == 0 {
			continue
		}
		uid, err := strconv.Atoi(string(f[2]))
		if err != nil {
			continue
		}
		if _, dup := p.users[uid]; !dup { // the first entry names a uid, as getpwuid
			p.users[uid] = l
		}
	}
}

// InsideWSL reports whether this is a WSL distro: the WSLInterop binfmt entry, WSL_DISTRO_NAME
// (wsl.exe sets it for what it starts), or "microsoft" in /proc/version.
func InsideWSL() bool {
	if _, err := os.Stat("/proc/sys/fs/binfmt_misc/WSLInterop"); err == nil {
		return true
	}
	if os.Getenv("WSL_DISTRO_NAME") != "" {
		return true
	}
	v, err := os.ReadFile("/proc/version")
	return err == nil && strings.Contains(strings.ToLower(string(v)), "microsoft")
}

// ValidNonce reports whether s can mark frames: 1 to 64 letters and digits (wsldash makes 16
// hex digits).
func ValidNonce(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// AnswerIfAsked is for a test binary that stands in for wsldash as the guest's probe: when its
// arguments are `probe NONCE` it runs Main and exits, else it returns.
func AnswerIfAsked(args []string, version string) {
	if len(args) != 3 || args[1] != "probe" {
		return
	}
	if err := Main(args[2], version); err != nil {
		os.Stderr.WriteString("wsldash probe: " + err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

// Main is `wsldash probe NONCE`: it serves stdin and stdout until stdin closes. It runs on one
// thread of Go code (GOMAXPROCS 1), and collects garbage less eagerly: a steady request
// allocates next to nothing, and a probe's heap is a few hundred kilobytes.
func Main(nonce, version string) error {
	if !ValidNonce(nonce) {
		return errors.New("probe: the nonce must be 1 to 64 letters and digits")
	}
	runtime.GOMAXPROCS(1)
	debug.SetGCPercent(400)
	root := ""
	if r := os.Getenv(EnvGuestRoot); r != "" && !InsideWSL() {
		root = r // the wsl.exe double's guest, on a machine that is not WSL
	}
	p := New(nonce, Options{Root: root, Version: version})
	defer p.Close()
	return p.Serve(os.Stdin, os.Stdout)
}
