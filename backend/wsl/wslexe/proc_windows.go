//go:build windows

package wslexe

import (
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows"
)

// setProcAttr hides the console window wsl.exe would otherwise flash. Cancellation kills wsl.exe;
// the Linux side of a `wsl.exe --exec` ends when its relay goes away.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: windows.CREATE_NO_WINDOW}
}

// setDetached makes a child that outlives wsldash: a console of its own that is never shown
// (CREATE_NO_WINDOW, so closing wsldash's console sends it no close event), its own process
// group (no Ctrl-C from ours), and out of any job wsldash is in where that job allows it
// (StartDetached retries without the breakaway otherwise). It is not put in wsldash's job.
func setDetached(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true,
		CreationFlags: windows.CREATE_NO_WINDOW | windows.CREATE_NEW_PROCESS_GROUP | windows.CREATE_BREAKAWAY_FROM_JOB}
}

// withoutBreakaway drops CREATE_BREAKAWAY_FROM_JOB, which fails when wsldash's own job forbids it.
func withoutBreakaway(cmd *exec.Cmd) bool {
	if cmd.SysProcAttr == nil || cmd.SysProcAttr.CreationFlags&windows.CREATE_BREAKAWAY_FROM_JOB == 0 {
		return false
	}
	cmd.SysProcAttr.CreationFlags &^= windows.CREATE_BREAKAWAY_FROM_JOB
	return true
}

// DetachedAlive reports whether pid is a running process. Windows gives no cheap command line,
// so marker is not checked there: a reused pid would look alive until the next release.
func DetachedAlive(pid int, marker string) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	var code uint32
	return windows.GetExitCodeProcess(h, &code) == nil && code == 259 // STILL_ACTIVE
}

// KillDetached ends a child started by StartDetached.
func KillDetached(pid int) error {
	h, err := windows.OpenProcess(windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	return windows.TerminateProcess(h, 1)
}
