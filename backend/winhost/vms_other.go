//go:build !windows

package winhost

import (
	"context"

	"github.com/wsldash/wsldash/backend"
)

// ListVMs is Windows-only: on other systems it returns a *backend.Error of kind KindUnsupported.
func ListVMs(ctx context.Context) (VMList, error) {
	return VMList{}, &backend.Error{Kind: backend.KindUnsupported, Op: "list VMs",
		Message: "listing the host's VMs (HCS, vmmem processes) works only in the Windows build of wsldash"}
}
