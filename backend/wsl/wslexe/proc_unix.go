//go:build !windows

package wslexe

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
)

// setProcAttr puts the child in its own process group and makes cancellation kill the group, so
// a child of wsl.exe (or of a test double) dies with it; and the child dies with wsldash.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(cmd.SysProcAttr)
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

// afterStart: on Linux the parent-death signal set by setProcAttr does what Windows' job does.
func afterStart(*exec.Cmd) {}

// setDetached makes a child that outlives wsldash: a session of its own (no terminal, so no
// hangup), no parent-death signal.
func setDetached(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

func withoutBreakaway(*exec.Cmd) bool { return false }

// DetachedAlive reports whether pid runs and its command line contains marker (so a reused pid
// is not taken for the keep-alive). Without /proc (not Linux) only the first is checked.
func DetachedAlive(pid int, marker string) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return runtime.GOOS != "linux"
	}
	return marker == "" || bytes.Contains(b, []byte(marker))
}

// KillDetached ends a child started by StartDetached, with its session's process group.
func KillDetached(pid int) error {
	if pid <= 0 {
		return nil
	}
	if err := syscall.Kill(-pid, syscall.SIGKILL); err != nil {
		return syscall.Kill(pid, syscall.SIGKILL)
	}
	return nil
}
