//go:build windows

package wslexe

import (
	"os/exec"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The job that ties wsldash's wsl.exe children to it: KILL_ON_JOB_CLOSE ends every process in
// it when the last handle closes, which is when wsldash exits however it ends (the console
// closed, a crash, Task Manager). Only a --keep keep-alive (setDetached) stays out of it.
var (
	jobOnce sync.Once
	job     windows.Handle
)

func theJob() windows.Handle {
	jobOnce.Do(func() {
		h, err := windows.CreateJobObject(nil, nil)
		if err != nil {
			return
		}
		var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
		info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
		if _, err := windows.SetInformationJobObject(h, windows.JobObjectExtendedLimitInformation,
			uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
			windows.CloseHandle(h)
			return
		}
		job = h // never closed: the handle closes when wsldash exits
	})
	return job
}

// afterStart puts a started child in the job. A process wsl.exe starts before this runs is not
// in it (wsl.exe starts none of its own that outlive it).
func afterStart(cmd *exec.Cmd) {
	j := theJob()
	if j == 0 || cmd.Process == nil {
		return
	}
	ph, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(cmd.Process.Pid))
	if err != nil {
		return
	}
	windows.AssignProcessToJobObject(j, ph)
	windows.CloseHandle(ph)
}
