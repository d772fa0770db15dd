//go:build windows

package local

import "syscall"

// The local backend reads a Linux /proc; on Windows it only builds (the wsl backend is used).

func syncDisks() {}

func signal(pid, sig int) error { return syscall.EWINDOWS }
