//go:build windows

package winhost

import (
	"io/fs"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// golang.org/x/sys/windows has no wrapper for GetCompressedFileSizeW, so it is called directly.
var procGetCompressedFileSizeW = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetCompressedFileSizeW")

const invalidFileSize = 0xFFFFFFFF // INVALID_FILE_SIZE

// DiskUsage is the file's size on disk (GetCompressedFileSizeW), which for a sparse or
// compressed ext4.vhdx is less than its length. Errors are *backend.Error (KindNotFound,
// KindPermission or KindFailed).
func DiskUsage(path string) (int64, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return 0, diskError(path, err)
	}
	if err := procGetCompressedFileSizeW.Find(); err != nil {
		return 0, diskError(path, err)
	}
	var high uint32
	r1, _, e1 := procGetCompressedFileSizeW.Call(uintptr(unsafe.Pointer(p)), uintptr(unsafe.Pointer(&high)))
	low := uint32(r1)
	if low == invalidFileSize {
		// INVALID_FILE_SIZE is also a valid low word; only a set last error means failure.
		if errno, ok := e1.(syscall.Errno); ok && errno != 0 {
			return 0, diskError(path, &fs.PathError{Op: "GetCompressedFileSizeW", Path: path, Err: errno})
		}
	}
	return int64(high)<<32 | int64(low), nil
}
