//go:build !windows

package main

import "syscall"

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// killTree kills a holder and its process group (the runner starts each child as a group leader).
func killTree(pid int) {
	syscall.Kill(-pid, syscall.SIGKILL)
	syscall.Kill(pid, syscall.SIGKILL)
}
