//go:build windows

package winhost

import (
	"errors"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/wsldash/wsldash/backend"
)

// ReadRegistrations reads HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss. No Lxss key (WSL
// never used by this user) gives an empty list and no error.
func ReadRegistrations() ([]Registration, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, LxssKeyPath, registry.QUERY_VALUE|registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return []Registration{}, nil
	}
	if err != nil {
		return nil, registryError(err)
	}
	defer k.Close()
	regs, err := readRegistrations(winReg{root: k})
	if err != nil {
		return nil, registryError(err)
	}
	return regs, nil
}

func registryError(err error) error {
	kind := backend.KindFailed
	if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		kind = backend.KindPermission
	}
	return &backend.Error{Kind: kind, Op: "registry", Message: "read HKCU\\" + LxssKeyPath + ": " + err.Error(), Err: err}
}

// winReg is the regReader over the real registry. Each value read opens the subkey once; a
// handful of distros make that a few dozen cheap calls.
type winReg struct{ root registry.Key }

func (w winReg) SubKeys() ([]string, error) { return w.root.ReadSubKeyNames(-1) }

func (w winReg) with(subkey string, f func(registry.Key) error) error {
	if subkey == "" {
		return f(w.root)
	}
	k, err := registry.OpenKey(w.root, subkey, registry.QUERY_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return f(k)
}

func (w winReg) String(subkey, name string) (string, error) {
	var s string
	err := w.with(subkey, func(k registry.Key) error {
		var err error
		s, _, err = k.GetStringValue(name)
		return err
	})
	return s, mapValueErr(err)
}

func (w winReg) DWord(subkey, name string) (uint32, error) {
	var v uint64
	err := w.with(subkey, func(k registry.Key) error {
		var err error
		v, _, err = k.GetIntegerValue(name)
		return err
	})
	return uint32(v), mapValueErr(err)
}

func mapValueErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, registry.ErrNotExist) || errors.Is(err, registry.ErrUnexpectedType) {
		return tag(err, errValueMissing)
	}
	return err
}
