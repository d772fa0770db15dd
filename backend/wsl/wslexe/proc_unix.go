//go:build !windows

package wslexe

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts the child in its own process group and makes cancellation kill the group, so
// a child of wsl.exe (or of a test double) dies with it.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
}
