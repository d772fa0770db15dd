package reclaim

import "github.com/wsldash/wsldash/backend"

// Describe says in one line what WSL does with the page cache in mode under rule, in the
// rule's own terms (see the Gate's doc for the source): how long, and by which CPU, the VM must
// be quiet, and what it then gives back. An empty mode is WSL's default, dropcache.
func Describe(rule GateRule, mode backend.ReclaimMode) string {
	current := rule == RuleCurrent
	switch mode {
	case backend.ReclaimDisabled:
		return "never: page cache stays in vmmemWSL until you reclaim or wsl --shutdown"
	case backend.ReclaimCompact:
		return "compact: a manual action only (echo 1 > /proc/sys/vm/compact_memory), not an autoMemoryReclaim mode"
	case backend.ReclaimGradual:
		if current {
			return "gradual: once the VM's busy CPU stayed at or under 0.5% of its CPUs for 2 minutes (10 s polls), reclaims page cache every 10 s in steps of 1/32 of its memory (256 MiB to 1 GiB) down to a 128 MiB floor"
		}
		return "gradual: once the VM's user CPU stayed under 0.5% of its CPUs for 3 minutes (30 s polls), releases ~3% of memory in use every 30 s via memory.reclaim until under ~1 GiB"
	}
	if current {
		return "dropcache: once the VM's busy CPU stayed at or under 0.5% of its CPUs for 2 minutes (10 s polls), drops the page cache and slab once per idle period"
	}
	return "dropcache: once the VM's user CPU stayed under 0.5% of its CPUs for 10 minutes (30 s polls), drops the page cache once per idle period"
}

// ThresholdPercent is WSL's idle limit, in % of all the VM's CPUs, in both rules.
const ThresholdPercent = 0.5
