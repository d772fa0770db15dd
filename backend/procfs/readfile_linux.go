//go:build linux

package procfs

import (
	"os"
	"syscall"
)

// readFileInto reads the whole file into buf[:0] (see fill).
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
	b, err := fill(buf, func(p []byte, _ int) (int, error) {
		for {
			n, err := syscall.Read(fd, p)
			if err != syscall.EINTR {
				return max(n, 0), err
			}
		}
	})
	if err != nil {
		return b, &os.PathError{Op: "read", Path: path, Err: err}
	}
	return b, nil
}
