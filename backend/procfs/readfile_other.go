//go:build !linux

package procfs

import (
	"io"
	"os"
)

// readFileInto reads the whole file into buf[:0], growing it as needed, and returns the filled
// slice. procfs files report size 0, so it reads until EOF rather than trusting Stat.
func readFileInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf[:0], err
	}
	defer f.Close()
	if cap(buf) == 0 {
		buf = make([]byte, 0, initialBuf)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
