package wslconfig

import (
	"time"

	"github.com/wsldash/wsldash/backend"
)

// The released autoMemoryReclaim timings (WSL ≤ 2.9.4, src/linux/init/util.cpp
// StartMemoryReductionThread; wsl-facts.md §5.3), for the demo simulator and for explanations.
const (
	// SampleInterval is how often WSL's reclaim thread samples user CPU time.
	SampleInterval = 30 * time.Second
	// GradualIdleDelay is how long the CPU must be idle before gradual reclaim starts (6 samples).
	GradualIdleDelay = 3 * time.Minute
	// DropCacheIdleDelay is how long the CPU must be idle before dropcache drops the cache (20 samples).
	DropCacheIdleDelay = 10 * time.Minute
	// IdleCPUPercent is the user CPU below which WSL calls the VM idle.
	IdleCPUPercent = 0.5
	// GradualStepFraction is the share of the memory in use that gradual reclaims per sample.
	GradualStepFraction = 0.03
	// GradualFloorBytes is the usage below which gradual stops; it resumes above GradualResumeBytes.
	GradualFloorBytes  = 1 << 30
	GradualResumeBytes = 11 << 30 / 10
)

// DescribeReclaim says in one line what WSL will do with the page cache in this mode.
func DescribeReclaim(mode backend.ReclaimMode) string {
	switch mode {
	case backend.ReclaimGradual:
		return "gradual: after about 3 minutes of idle CPU (<0.5% user), releases ~3% of memory in use every 30 s via memory.reclaim until under ~1 GiB"
	case backend.ReclaimDisabled:
		return "never: page cache stays in vmmemWSL until you reclaim or wsl --shutdown"
	case backend.ReclaimCompact:
		return "compact: a manual action only (echo 1 > /proc/sys/vm/compact_memory), not an autoMemoryReclaim mode"
	}
	return "dropcache: after about 10 minutes of idle CPU (<0.5% user), drops the page cache once per idle period"
}
