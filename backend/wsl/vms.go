package wsl

import (
	"context"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

// listVMs is where VMs looks (a seam for tests): HCS and the vmmem processes through winhost,
// which outside the Windows build answers with a KindUnsupported error.
var listVMs = winhost.ListVMs

// VMs lists every VM on the Windows host, read-only (HCS's compute systems and the vmmem
// processes). Inside WSL and on other systems it is unsupported: only the Windows build of
// wsldash can ask HCS.
func (b *Backend) VMs(ctx context.Context) (backend.VMList, error) { return listVMs(ctx) }

var _ backend.VMLister = (*Backend)(nil)
