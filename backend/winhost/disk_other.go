//go:build !windows

package winhost

import "os"

// DiskUsage is the file's length (os.Stat) off Windows, where the size on disk is not asked for.
// Errors are *backend.Error (KindNotFound, KindPermission or KindFailed).
func DiskUsage(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, diskError(path, err)
	}
	return fi.Size(), nil
}
