//go:build windows

package winhost

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// TerminalProfilePath is the registration's TerminalProfilePath (HKCU Lxss\{guid}): the Windows
// Terminal fragment WSL wrote for a distro it installed from a .wsl file. "" when there is none.
func TerminalProfilePath(guid string) (string, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, LxssKeyPath+`\`+guid, registry.QUERY_VALUE)
	if err != nil {
		return "", registryError(err)
	}
	defer k.Close()
	s, _, err := k.GetStringValue("TerminalProfilePath")
	if errors.Is(err, registry.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", registryError(err)
	}
	return s, nil
}
