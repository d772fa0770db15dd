//go:build !windows

package winhost

import "github.com/wsldash/wsldash/backend"

// RenameRegistration needs the Windows registry; elsewhere it is KindUnsupported.
func RenameRegistration(guid, newName string) error {
	return &backend.Error{Kind: backend.KindUnsupported, Op: "rename",
		Message: "renaming writes the WSL registry (HKCU\\" + LxssKeyPath + "), which only the Windows build (wsldash.exe) can do"}
}
