//go:build windows

package wsl

import (
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/wsldash/wsldash/backend/winhost"
)

// watchLxss sends on the returned channel each time HKCU\...\Lxss or a key under it changes (a
// distro installed, unregistered, moved, renamed, a new default), through
// RegNotifyChangeKeyValue: the kernel signals an event, nothing is polled. It returns nil when
// the key cannot be watched (no WSL installed yet); the list then follows its slow period.
// Running and Stopped are not in the registry: those follow the probe's end and the slow period.
func watchLxss(quit <-chan struct{}) <-chan struct{} {
	k, err := registry.OpenKey(registry.CURRENT_USER, winhost.LxssKeyPath, registry.NOTIFY)
	if err != nil {
		return nil
	}
	changed, err := windows.CreateEvent(nil, 0, 0, nil)
	if err != nil {
		k.Close()
		return nil
	}
	stop, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		windows.CloseHandle(changed)
		k.Close()
		return nil
	}
	ch := make(chan struct{}, 1)
	go func() {
		<-quit
		windows.SetEvent(stop)
	}()
	go func() {
		defer k.Close()
		defer windows.CloseHandle(changed)
		defer windows.CloseHandle(stop)
		const filter = windows.REG_NOTIFY_CHANGE_NAME | windows.REG_NOTIFY_CHANGE_LAST_SET
		for {
			// Asynchronous: the event is signalled once per registration, so register again
			// after each change (changes in between are coalesced, which is all we need).
			if err := windows.RegNotifyChangeKeyValue(windows.Handle(k), true, filter, changed, true); err != nil {
				return
			}
			ev, err := windows.WaitForMultipleObjects([]windows.Handle{changed, stop}, false, windows.INFINITE)
			if err != nil || ev != windows.WAIT_OBJECT_0 {
				return
			}
			select {
			case ch <- struct{}{}:
			default: // one pending notification is enough
			}
		}
	}()
	return ch
}
