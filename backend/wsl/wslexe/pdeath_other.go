//go:build !linux && !windows

package wslexe

import "syscall"

// dieWithParent: no parent-death signal here (the double only runs on Linux).
func dieWithParent(*syscall.SysProcAttr) {}
