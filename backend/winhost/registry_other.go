//go:build !windows

package winhost

import "github.com/wsldash/wsldash/backend"

// ReadRegistrations needs the Windows registry; elsewhere it returns a *backend.Error of kind
// KindUnsupported.
func ReadRegistrations() ([]Registration, error) {
	return nil, &backend.Error{Kind: backend.KindUnsupported, Op: "registry", Message: "the WSL registry (HKCU\\" + LxssKeyPath + ") can only be read on Windows"}
}
