//go:build !windows

package local

import "syscall"

func syncDisks() { syscall.Sync() }

func signal(pid, sig int) error { return syscall.Kill(pid, syscall.Signal(sig)) }
