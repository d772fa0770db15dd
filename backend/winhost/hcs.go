package winhost

import (
	"time"
)

// hcsStatistics mirrors the parts of hcsshim.Statistics (schema1.Statistics) we use. hcsshim's
// type only exists in Windows builds, so the Windows glue copies it into this (fromHCSStatistics)
// and everything else is tested on any OS.
type hcsStatistics struct {
	Timestamp           time.Time
	Uptime100ns         uint64
	ProcessorTotal100ns uint64 // Processor.TotalRuntime100ns: all virtual processors
	MemoryCommitBytes   uint64 // Memory.UsageCommitBytes
	// MemoryPrivateWorkingSetBytes is Memory.UsagePrivateWorkingSetBytes. Whether HCS fills it
	// for a VA-backed VM such as WSL's is UNCERTAIN (wsl-facts §6.2); 0 means unknown.
	MemoryPrivateWorkingSetBytes uint64
}

// hcsVM is one compute system HCS listed for owner WSL, with its statistics or the error met
// opening it or reading them.
type hcsVM struct {
	ID    string
	Stats hcsStatistics
	Err   error
}

// hcsReading is what one HCS round trip found: the WSL VMs.
type hcsReading struct {
	VMs []hcsVM
}

// usable is the one VM whose statistics may be shown as WSL's: HCS listed exactly one VM with
// owner WSL that still exists, and its statistics were read. The candidates are counted, not the
// successes: with several (early WSL-for-containers VMs also had owner "WSL") nothing is
// guessed, even when all but one of them failed to read.
func (r hcsReading) usable() (hcsVM, bool) {
	if r.running() != 1 {
		return hcsVM{}, false
	}
	for _, v := range r.VMs {
		if !isGone(v.Err) {
			return v, v.Err == nil
		}
	}
	return hcsVM{}, false
}

// ambiguous is true when HCS lists several existing VMs with owner WSL.
func (r hcsReading) ambiguous() bool { return r.running() > 1 }

// running is the number of VMs HCS listed that were not gone by the time they were opened.
func (r hcsReading) running() int {
	n := 0
	for _, v := range r.VMs {
		if !isGone(v.Err) {
			n++
		}
	}
	return n
}

// firstErr is the first per-VM error other than "gone".
func (r hcsReading) firstErr() error {
	for _, v := range r.VMs {
		if v.Err != nil && !isGone(v.Err) {
			return v.Err
		}
	}
	return nil
}

// cpuMark is the VM's CPU counter reading, stamped with HCS's own timestamp when it gave one.
func (v hcsVM) cpuMark(now time.Time) cpuMark {
	at := v.Stats.Timestamp
	if at.IsZero() {
		at = now
	}
	return cpuMark{At: at, Busy: v.Stats.ProcessorTotal100ns, Key: "hcs:" + normGUID(v.ID)}
}
