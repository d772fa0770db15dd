//go:build !windows

package main

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// alive: a zombie (dead, not yet reaped, as an orphan may stay where nothing reaps) is dead, as it
// is to Windows.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: trust kill(0)
	}
	if i := bytes.LastIndexByte(b, ')'); i > 0 && i+2 < len(b) {
		return b[i+2] != 'Z'
	}
	return true
}

// killTree kills a holder and its process group (the runner starts each child as a group leader).
func killTree(pid int) {
	syscall.Kill(-pid, syscall.SIGKILL)
	syscall.Kill(pid, syscall.SIGKILL)
}
