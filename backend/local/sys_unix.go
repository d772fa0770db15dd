//go:build !windows

package local

import "syscall"

func syncDisks() { syscall.Sync() }

func terminate(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }
