package wslexe

import "syscall"

// dieWithParent makes the kernel kill the child when wsldash ends, however it ends (a crash, a
// SIGKILL, a closed terminal): the held children must not keep a distro and the VM running.
// The signal fires when the OS thread that started the child exits; Go keeps its threads for the
// process's life unless a goroutine locked to one ends, and this package locks none.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
