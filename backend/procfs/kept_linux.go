//go:build linux

package procfs

import (
	"encoding/binary"
	"os"
	"syscall"
	"unsafe"
)

// The files read every refresh — meminfo, stat, pressure and each process's stat — are opened
// once and read again with pread at offset 0 (procfs regenerates the text on every read from 0),
// so a steady-state read is one system call instead of three. A process's file fails with ESRCH
// once the process has exited; it is then closed and opened again by path, which finds the new
// process if the pid was reused, or fails with ENOENT.
//
// These calls are raw (syscall.RawSyscall): a system call that goes through the runtime's
// entersyscall wakes the sysmon thread from its deep sleep, and sysmon then polls every 20 µs
// for as long as the goroutine stays busy, so a process scan of a few hundred short system calls
// cost as many thread wake-ups again. None of these reads can block: the kernel formats them
// from in-memory state without waiting on I/O or on a process's memory map (unlike cmdline,
// environ or maps, which are not read here). mountinfo and status still go through readFileInto.

// maxKept bounds the files kept open, so a machine with thousands of processes does not run the
// dashboard out of file descriptors; past it, files are opened, read and closed each time.
const maxKept = 512

var atFDCWD = -100 // AT_FDCWD; a variable, since a negative constant cannot become a uintptr

// keptFiles is FS's state for the files it keeps open.
type keptFiles struct {
	kept   map[string]int // name under Root -> descriptor
	dirFD  int            // Root's descriptor + 1; 0 = not open
	dirBuf []byte
	path   []byte // NUL-terminated path scratch
}

// readKept reads Root/name through the kept descriptor, opening it the first time. The caller
// holds fs.mu.
func (fs *FS) readKept(name string) ([]byte, error) {
	if fd, ok := fs.kept[name]; ok {
		b, err := preadAll(fd, fs.buf)
		fs.buf = b
		if err == nil {
			return b, nil
		}
		rawClose(fd)
		delete(fs.kept, name)
		if err != syscall.ESRCH {
			return b[:0], &os.PathError{Op: "read", Path: fs.Root + "/" + name, Err: err}
		}
		// The process this descriptor belonged to has exited; the pid may be someone else's now.
	}
	fs.path = append(append(append(fs.path[:0], fs.Root...), '/'), name...)
	fs.path = append(fs.path, 0)
	fd, errno := rawOpen(fs.path, 0)
	if errno != 0 {
		return fs.buf[:0], &os.PathError{Op: "open", Path: fs.Root + "/" + name, Err: errno}
	}
	b, err := preadAll(fd, fs.buf)
	fs.buf = b
	if err != nil {
		rawClose(fd)
		return b[:0], &os.PathError{Op: "read", Path: fs.Root + "/" + name, Err: err}
	}
	if fs.kept == nil {
		fs.kept = make(map[string]int)
	}
	if len(fs.kept) < maxKept {
		fs.kept[name] = fd
	} else {
		rawClose(fd)
	}
	return b, nil
}

// forget closes the kept descriptor of Root/name, if any. The caller holds fs.mu.
func (fs *FS) forget(name string) {
	if fd, ok := fs.kept[name]; ok {
		rawClose(fd)
		delete(fs.kept, name)
	}
}

// closeKept closes every kept descriptor. The caller holds fs.mu.
func (fs *FS) closeKept() {
	for name, fd := range fs.kept {
		rawClose(fd)
		delete(fs.kept, name)
	}
	if fs.dirFD > 0 {
		rawClose(fs.dirFD - 1)
		fs.dirFD = 0
	}
}

// listPIDs appends the numeric entries of Root to pids. The directory stays open; each listing
// seeks it back to the start and reads it with getdents64.
func (fs *FS) listPIDs(pids []int) ([]int, error) {
	if fs.dirFD == 0 {
		fs.path = append(append(fs.path[:0], fs.Root...), 0)
		fd, errno := rawOpen(fs.path, syscall.O_DIRECTORY)
		if errno != 0 {
			return pids, &os.PathError{Op: "open", Path: fs.Root, Err: errno}
		}
		fs.dirFD = fd + 1 // 0 means none
	}
	fd := fs.dirFD - 1
	if _, _, errno := syscall.RawSyscall(syscall.SYS_LSEEK, uintptr(fd), 0, 0); errno != 0 {
		rawClose(fd)
		fs.dirFD = 0
		return pids, &os.PathError{Op: "seek", Path: fs.Root, Err: errno}
	}
	if cap(fs.dirBuf) == 0 {
		fs.dirBuf = make([]byte, 32<<10)
	}
	buf := fs.dirBuf[:cap(fs.dirBuf)]
	for {
		n, _, errno := syscall.RawSyscall(syscall.SYS_GETDENTS64, uintptr(fd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			return pids, &os.PathError{Op: "getdents", Path: fs.Root, Err: errno}
		}
		if n == 0 {
			return pids, nil
		}
		pids = appendDirentPIDs(pids, buf[:n])
	}
}

// appendDirentPIDs appends the names of linux_dirent64 records that are positive decimal
// numbers. Record layout: ino u64, off s64, reclen u16, type u8, name (NUL-terminated).
func appendDirentPIDs(pids []int, b []byte) []int {
	for len(b) >= 19 {
		reclen := int(binary.NativeEndian.Uint16(b[16:18]))
		if reclen < 19 || reclen > len(b) {
			break
		}
		name := b[19:reclen]
		pid := 0
		i := 0
		for ; i < len(name) && name[i] >= '0' && name[i] <= '9' && pid < 1<<30; i++ {
			pid = pid*10 + int(name[i]-'0')
		}
		if i > 0 && (i == len(name) || name[i] == 0) && name[0] != '0' {
			pids = append(pids, pid)
		}
		b = b[reclen:]
	}
	return pids
}

// rawOpen opens path (NUL-terminated) read-only, close-on-exec, with any extra flags.
func rawOpen(path []byte, flags int) (int, syscall.Errno) {
	for {
		fd, _, errno := syscall.RawSyscall6(syscall.SYS_OPENAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(&path[0])),
			uintptr(syscall.O_RDONLY|syscall.O_CLOEXEC|flags), 0, 0, 0)
		if errno != syscall.EINTR {
			return int(fd), errno
		}
	}
}

func rawClose(fd int) { syscall.RawSyscall(syscall.SYS_CLOSE, uintptr(fd), 0, 0) }

// preadAll reads the whole file from offset 0 into buf[:0] (see fill). An error is the
// syscall.Errno itself.
func preadAll(fd int, buf []byte) ([]byte, error) {
	return fill(buf, func(p []byte, off int) (int, error) {
		for {
			n, _, errno := syscall.RawSyscall6(syscall.SYS_PREAD64, uintptr(fd), uintptr(unsafe.Pointer(&p[0])),
				uintptr(len(p)), uintptr(off), 0, 0)
			switch errno {
			case syscall.EINTR:
				continue
			case 0:
				return int(n), nil
			}
			return 0, errno
		}
	})
}
