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
