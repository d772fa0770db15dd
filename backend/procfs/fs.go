package procfs

import (
	"errors"
	"os"
	"strconv"
	"sync"
	"syscall"

	"github.com/wsldash/wsldash/backend"
)

// DefaultRoot is where procfs is mounted.
const DefaultRoot = "/proc"

// FS reads files under Root into a buffer it reuses, so a once-a-second poll does not
// allocate a fresh buffer for every file. It is safe for concurrent use (reads are serialised;
// they take microseconds). Nothing it returns aliases the buffer.
type FS struct {
	Root string

	mu  sync.Mutex
	buf []byte

	keptFiles // kept open between reads (Linux; see kept_linux.go). Close releases them.
}

// Close lets go of the files kept open. The FS stays usable: it opens them again on demand.
func (fs *FS) Close() error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.closeKept()
	return nil
}

// forgetProcess closes the kept stat file of a process that is gone.
func (fs *FS) forgetProcess(pid int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.forget(strconv.Itoa(pid) + "/stat")
}

// pidList appends the pids listed under Root to pids.
func (fs *FS) pidList(pids []int) ([]int, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.listPIDs(pids)
}

// NewFS reads under root; "" means DefaultRoot. Tests point it at a fake tree.
func NewFS(root string) *FS {
	if root == "" {
		root = DefaultRoot
	}
	return &FS{Root: root}
}

// initialBuf covers /proc/stat on a machine with a few dozen CPUs and /proc/meminfo in one read.
const initialBuf = 8 << 10

// fill reads a whole file into buf[:0], growing it as needed, and returns the filled slice.
// procfs files report size 0, so it reads until read returns no bytes rather than trusting
// Stat. read gets the free space and how much has been read so far (the offset, for pread).
func fill(buf []byte, read func(p []byte, off int) (int, error)) ([]byte, error) {
	if cap(buf) == 0 {
		buf = make([]byte, 0, initialBuf)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := read(buf[len(buf):cap(buf)], len(buf))
		if n > 0 {
			buf = buf[:len(buf)+n]
		}
		if err != nil || n == 0 {
			return buf, err
		}
	}
}

// readMode is how with reads a file.
type readMode bool

const (
	openEachTime readMode = false // open, read, close
	keepOpen     readMode = true  // a file read every refresh: kept open between reads (readKept)
)

// with reads Root/name and hands the bytes to parse while holding the buffer.
func (fs *FS) with(name string, mode readMode, parse func([]byte) error) (readFailed bool, err error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var b []byte
	if mode == keepOpen {
		b, err = fs.readKept(name)
	} else {
		b, err = readFileInto(fs.Root+"/"+name, fs.buf)
		fs.buf = b
	}
	if err != nil {
		return true, err
	}
	return false, parse(b)
}

// Meminfo reads and parses meminfo.
func (fs *FS) Meminfo() (Meminfo, error) {
	var m Meminfo
	rf, err := fs.with("meminfo", keepOpen, func(b []byte) (err error) {
		m, err = ParseMeminfo(b)
		return err
	})
	if rf {
		return Meminfo{}, readErr("read meminfo", err)
	}
	return m, err
}

// Stat reads and parses stat. The returned PerCPU is freshly allocated; use StatInto to reuse it.
func (fs *FS) Stat() (Stat, error) {
	var s Stat
	err := fs.StatInto(&s)
	return s, err
}

// StatInto reads and parses stat into *s, reusing s.PerCPU's capacity.
func (fs *FS) StatInto(s *Stat) error {
	rf, err := fs.with("stat", keepOpen, func(b []byte) error { return ParseStatInto(b, s) })
	if rf {
		return readErr("read stat", err)
	}
	return err
}

// Pressure reads and parses pressure/<resource> ("memory", "cpu", "io"). A kernel without PSI
// has no such file (or, booted with psi=0, refuses the read): that is a KindUnsupported error
// that wraps the cause, so errors.Is(err, fs.ErrNotExist) holds for a missing file.
func (fs *FS) Pressure(resource string) (PSI, error) {
	if !plainName(resource) {
		return PSI{}, &backend.Error{Kind: backend.KindNotFound, Op: "read pressure", Message: "bad resource name " + strconv.Quote(resource)}
	}
	var p PSI
	rf, err := fs.with("pressure/"+resource, keepOpen, func(b []byte) (err error) {
		p, err = ParsePressure(b)
		return err
	})
	if rf {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.EOPNOTSUPP) {
			return PSI{}, &backend.Error{Kind: backend.KindUnsupported, Op: "read pressure",
				Message: "no pressure stall information (PSI) for " + resource + ": " + err.Error(), Err: err}
		}
		return PSI{}, readErr("read pressure", err)
	}
	return p, err
}

// Mountinfo reads and parses <pid>/mountinfo; pid is "self", "thread-self" or a number.
func (fs *FS) Mountinfo(pid string) ([]MountInfo, error) {
	if !validPID(pid) {
		return nil, &backend.Error{Kind: backend.KindNotFound, Op: "read mountinfo", Message: "bad pid " + strconv.Quote(pid)}
	}
	var ms []MountInfo
	rf, err := fs.with(pid+"/mountinfo", openEachTime, func(b []byte) (err error) {
		ms, err = ParseMountinfo(b)
		return err
	})
	if rf {
		return nil, readErr("read mountinfo", err)
	}
	return ms, err
}

// ProcStat reads and parses <pid>/stat.
func (fs *FS) ProcStat(pid int) (ProcStat, error) {
	var p ProcStat
	rf, err := fs.with(strconv.Itoa(pid)+"/stat", keepOpen, func(b []byte) (err error) {
		p, err = ParseProcStat(b)
		return err
	})
	if rf {
		return ProcStat{}, readErr("read process stat", err)
	}
	return p, err
}

// ProcStatus reads and parses <pid>/status.
func (fs *FS) ProcStatus(pid int) (ProcStatus, error) {
	var p ProcStatus
	rf, err := fs.with(strconv.Itoa(pid)+"/status", openEachTime, func(b []byte) (err error) {
		p, err = ParseProcStatus(b)
		return err
	})
	if rf {
		return ProcStatus{}, readErr("read process status", err)
	}
	return p, err
}

func plainName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '/' || s[i] == '\\' || s[i] == 0 {
			return false
		}
	}
	return true
}

func validPID(s string) bool {
	if s == "self" || s == "thread-self" {
		return true
	}
	n, ok := parseIntN([]byte(s))
	return ok && n > 0 && s[0] != '-'
}

// AppendFile appends the bytes of Root/name to dst: kept open and re-read with pread when keep
// (a file read on every refresh), else opened, read and closed. It is the probe's raw read
// (package guestprobe ships the bytes, not a parse); nothing it returns aliases the FS's buffer.
func (fs *FS) AppendFile(dst []byte, name string, keep bool) ([]byte, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var b []byte
	var err error
	if keep {
		b, err = fs.readKept(name)
	} else {
		b, err = readFileInto(fs.Root+"/"+name, fs.buf)
		fs.buf = b
	}
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// PIDs appends the pids listed under Root to dst (the directory is kept open on Linux).
func (fs *FS) PIDs(dst []int) ([]int, error) { return fs.pidList(dst) }

// Forget closes the kept descriptor of Root/name, if any (a process that is gone).
func (fs *FS) Forget(name string) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.forget(name)
}
