package main

import (
	"os/exec"
	"syscall"
)

// linuxSide makes the Linux command end when this wsl.exe ends, as the real relay does (killing
// wsl.exe ends the Linux side of a `wsl.exe --exec`), so a killed client leaves nothing behind.
func linuxSide(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
