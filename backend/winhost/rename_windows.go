//go:build windows

package winhost

import (
	"errors"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/wsldash/wsldash/backend"
)

// RenameRegistration writes DistributionName of the registration guid ("{…}") under
// HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss. wsl.exe has no rename; this is the value
// it reads the name from. The caller checks that the distro is stopped and the name is free.
func RenameRegistration(guid, newName string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, LxssKeyPath+`\`+guid, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return renameError(err)
	}
	defer k.Close()
	if _, _, err := k.GetStringValue("DistributionName"); err != nil {
		return renameError(err)
	}
	return renameError(k.SetStringValue("DistributionName", newName))
}

func renameError(err error) error {
	if err == nil {
		return nil
	}
	kind := backend.KindFailed
	switch {
	case errors.Is(err, windows.ERROR_ACCESS_DENIED):
		kind = backend.KindPermission
	case errors.Is(err, registry.ErrNotExist):
		kind = backend.KindNotFound
	}
	return &backend.Error{Kind: kind, Op: "rename", Message: "write HKCU\\" + LxssKeyPath + " DistributionName: " + err.Error(), Err: err}
}
