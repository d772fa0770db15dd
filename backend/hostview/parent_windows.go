//go:build windows

package hostview

import (
	"context"
	"os"

	"golang.org/x/sys/windows"
)

// watchParent cancels when the parent process exits. Through interop the end of stdin usually
// comes first; this covers a parent that dies while its pipe lives on in another process.
func watchParent(_ context.Context, cancel context.CancelFunc) {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(os.Getppid()))
	if err != nil {
		return // no parent to watch (already gone, or not ours to open): stdin still ends us
	}
	// One blocked thread, no polling; it ends with the process (Serve returning ends the helper).
	go func() {
		defer windows.CloseHandle(h)
		if ev, err := windows.WaitForSingleObject(h, windows.INFINITE); err != nil || ev == windows.WAIT_OBJECT_0 {
			cancel()
		}
	}()
}
