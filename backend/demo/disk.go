package demo

import (
	"context"

	"github.com/wsldash/wsldash/backend"
)

var _ backend.DiskReporter = (*Backend)(nil)

// demoFSBlocks is the df size (1K-blocks) of the ext4 on a fresh 1 TB ext4.vhdx.
const demoFSBlocks = 1055762868

// DiskUsage answers as the wsl backend does: the disk file's size, and for a running WSL 2
// distro the inside's use (simulated: what its export would hold, a third of the file), the
// rest unknown. Nothing is started.
func (b *Backend) DiskUsage(ctx context.Context, name string) (backend.DiskUsage, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	d, err := b.find(name)
	if err != nil {
		return backend.DiskUsage{Distro: name}, err
	}
	return backend.DiskUsageOf(d.Distro, func() (backend.FSUsage, error) {
		used := archiveBytes(d) / 1024 * 1024
		size := int64(demoFSBlocks) * 1024
		return backend.FSUsage{SizeBytes: size, UsedBytes: used, AvailBytes: max(size-used-size/20, 0)}, nil
	})
}
