//go:build !windows

package winhost

import "github.com/wsldash/wsldash/backend"

// newHostDeps: the host side of WSL only exists on Windows.
func newHostDeps() (*hostDeps, error) {
	return nil, &backend.Error{Kind: backend.KindUnsupported, Op: "host sample", Message: "the WSL VM's host process and HCS can only be read on Windows"}
}
