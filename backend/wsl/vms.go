package wsl

import (
	"context"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

// VMs lists every VM on the Windows host, read-only (HCS's compute systems and the vmmem
// processes). Inside WSL and on other systems it is unsupported: only the Windows build of
// wsldash can ask HCS (winhost.ListVMs answers with a KindUnsupported error there).
func (b *Backend) VMs(ctx context.Context) (backend.VMList, error) { return winhost.ListVMs(ctx) }

var _ backend.VMLister = (*Backend)(nil)
