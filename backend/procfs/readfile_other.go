//go:build !linux

package procfs

import (
	"io"
	"os"
	"strconv"
)

// readFileInto reads the whole file into buf[:0], growing it as needed, and returns the filled
// slice. procfs files report size 0, so it reads until EOF rather than trusting Stat.
func readFileInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	return fill(buf, func(p []byte, _ int) (int, error) {
		n, err := f.Read(p)
		if err == io.EOF {
			err = nil // the next Read returns 0 bytes
		}
		return n, err
	})
}

// Elsewhere (the Windows build parses /proc text shipped from a distro, and never reads files)
// nothing is kept open: the kept-file calls read the plain way.

type keptFiles struct{}

func (fs *FS) readKept(name string) ([]byte, error) {
	b, err := readFileInto(fs.Root+"/"+name, fs.buf)
	fs.buf = b
	return b, err
}

func (keptFiles) forget(string) {}

func (keptFiles) closeKept() {}

func (fs *FS) listPIDs(pids []int) ([]int, error) {
	d, err := os.Open(fs.Root)
	if err != nil {
		return pids, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return pids, err
	}
	for _, n := range names {
		if n == "" || n[0] < '1' || n[0] > '9' {
			continue
		}
		if pid, err := strconv.Atoi(n); err == nil && pid > 0 {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}
