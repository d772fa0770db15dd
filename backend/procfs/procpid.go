package procfs

import (
	"bytes"
	"strings"
)

// ProcStat is the part of /proc/<pid>/stat wsldash uses (proc(5) field numbers in comments).
type ProcStat struct {
	PID        int    // (1)
	Comm       string // (2) without the parentheses; at most 15 bytes, any bytes but NUL
	State      byte   // (3) R, S, D, Z, T, t, X, I…
	PPID       int    // (4)
	UTime      uint64 // (14) clock ticks
	STime      uint64 // (15) clock ticks
	StartTime  uint64 // (22) clock ticks after boot
	NumThreads int    // (20)
	RSSPages   int64  // (24) resident pages (signed in the kernel)
}

const opProcStat = "parse process stat"

// ParseProcStat parses /proc/<pid>/stat. The command name may hold blanks and ')' (a program
// can name itself "a b) c"), so it runs from the first '(' to the LAST ')'. It needs the
// fields up to rss (24); later ones are ignored.
func ParseProcStat(b []byte) (ProcStat, error) {
	var p ProcStat
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 0 || closing < open {
		return ProcStat{}, parseErr(opProcStat, 0, "no (comm) in %s", quote(b))
	}
	pid, ok := parseIntN(trimSpace(b[:open]))
	if !ok || pid < 0 {
		return ProcStat{}, parseErr(opProcStat, 0, "bad pid in %s", quote(b))
	}
	p.PID = pid
	rest := b[closing+1:]
	// Fields 3..24 after the comm; index i here is field i+3.
	const need = 24 - 3 + 1
	for i := 0; i < need; i++ {
		var f []byte
		f, rest = nextField(rest)
		if len(f) == 0 {
			return ProcStat{}, parseErr(opProcStat, 0, "want %d fields after comm, got %d in %s", need, i, quote(b[closing+1:]))
		}
		var bad bool
		switch i + 3 {
		case 3:
			if len(f) != 1 {
				bad = true
			}
			p.State = f[0]
		case 4:
			p.PPID, ok = parseIntN(f)
			bad = !ok
		case 14:
			p.UTime, ok = parseUint(f)
			bad = !ok
		case 15:
			p.STime, ok = parseUint(f)
			bad = !ok
		case 20:
			p.NumThreads, ok = parseIntN(f)
			bad = !ok
		case 22:
			p.StartTime, ok = parseUint(f)
			bad = !ok
		case 24:
			p.RSSPages, ok = parseInt(f)
			bad = !ok
		}
		if bad {
			return ProcStat{}, parseErr(opProcStat, 0, "bad field %d %s", i+3, quote(f))
		}
	}
	p.Comm = string(b[open+1 : closing])
	return p, nil
}

// ProcStatus is the part of /proc/<pid>/status wsldash uses.
type ProcStatus struct {
	Name    string // unescaped ("\n" and "\\" are escaped by the kernel)
	UID     int    // real uid (the first of the four on the Uid line)
	VmRSS   uint64 // bytes; 0 for kernel threads, which have no VmRSS line
	Threads int
}

const opProcStatus = "parse process status"

// ParseProcStatus parses /proc/<pid>/status. Name and Uid lines are required; VmRSS and
// Threads default to 0.
func ParseProcStatus(b []byte) (ProcStatus, error) {
	var p ProcStatus
	var haveName, haveUID bool
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			if len(trimSpace(line)) == 0 {
				continue
			}
			return ProcStatus{}, parseErr(opProcStatus, n, "no ':' in %s", quote(line))
		}
		val := line[colon+1:]
		switch string(line[:colon]) {
		case "Name":
			// The value follows one tab; the name itself may start or end with blanks.
			if len(val) > 0 && val[0] == '\t' {
				val = val[1:]
			}
			p.Name = unescapeStatusName(val)
			haveName = true
		case "Uid":
			f, _ := nextField(val)
			v, ok := parseIntN(f)
			if !ok || v < 0 {
				return ProcStatus{}, parseErr(opProcStatus, n, "bad uid in %s", quote(line))
			}
			p.UID, haveUID = v, true
		case "VmRSS":
			f, rest := nextField(val)
			v, ok := parseUint(f)
			unit := trimSpace(rest)
			if !ok || (len(unit) != 0 && string(unit) != "kB") || v > 1<<54-1 {
				return ProcStatus{}, parseErr(opProcStatus, n, "bad VmRSS in %s", quote(line))
			}
			if len(unit) != 0 {
				v *= 1024
			}
			p.VmRSS = v
		case "Threads":
			f, _ := nextField(val)
			v, ok := parseIntN(f)
			if !ok || v < 0 {
				return ProcStatus{}, parseErr(opProcStatus, n, "bad Threads in %s", quote(line))
			}
			p.Threads = v
		}
	}
	if !haveName {
		return ProcStatus{}, parseErr(opProcStatus, 0, "no Name line")
	}
	if !haveUID {
		return ProcStatus{}, parseErr(opProcStatus, 0, "no Uid line")
	}
	return p, nil
}

// unescapeStatusName undoes the kernel's escaping of the Name line (proc_task_name escapes
// only '\n' as `\n` and '\\' as `\\`).
func unescapeStatusName(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b)
	}
	var s strings.Builder
	s.Grow(len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			switch b[i+1] {
			case 'n':
				s.WriteByte('\n')
				i++
				continue
			case '\\':
				s.WriteByte('\\')
				i++
				continue
			}
		}
		s.WriteByte(b[i])
	}
	return s.String()
}
