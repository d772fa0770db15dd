//go:build windows

package main

import "os"

// The double is only run on Linux by the tests; on Windows it merely has to compile.

func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p != nil
}

func killTree(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}
