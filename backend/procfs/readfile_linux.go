//go:build linux

package procfs

import (
	"os"
	"syscall"
)

// readFileInto reads the whole file into buf[:0], growing it as needed, and returns the filled
// slice. procfs files report size 0, so it reads until EOF rather than trusting Stat.
//
// It uses open/read/close directly: os.Open registers every file with the runtime's poller
// (fcntl O_NONBLOCK, epoll_ctl add and del), twice the system calls for a /proc file that never
// blocks. Errors are *os.PathError, as os.Open's are, so errors.Is(err, fs.ErrNotExist) holds.
func readFileInto(path string, buf []byte) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return buf[:0], &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	if cap(buf) == 0 {
		buf = make([]byte, 0, initialBuf)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return buf, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}
