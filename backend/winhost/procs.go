package winhost

import (
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
	"unsafe"

	"github.com/wsldash/wsldash/backend"
)

// VM host process names (wsl-facts §5.1).
const (
	VMProcessWSL    = "vmmemWSL" // Windows 11: HCS HostingProcessNameSuffix "WSL"
	VMProcessLegacy = "vmmem"    // Windows 10 / Server 2022: every VM's process is called this
)

// vmmemSuffixSupported reports whether HCS on this Windows build names the VM's process with the
// owner's suffix ("vmmemWSL"): build ≥ 22420, or 22138 ≤ build < 22350, or build 22000 with
// UBR ≥ 71 (WSL's IsVmemmSuffixSupported; wsl-facts §5.1).
func vmmemSuffixSupported(build, ubr uint32) bool {
	switch {
	case build >= 22420:
		return true
	case build >= 22138 && build < 22350:
		return true
	case build == 22000 && ubr >= 71:
		return true
	}
	return false
}

// procInfo is one host process, from the handle-free listing or a per-pid query.
type procInfo struct {
	PID  uint32
	Name string // image name, e.g. "vmmemWSL" (a trailing ".exe" is ignored when matching)
	// Created is the creation time as a FILETIME (100 ns since 1601); 0 when unknown. A pid with a
	// different creation time is another process.
	Created    int64
	WorkingSet uint64 // bytes
	CPU100ns   uint64 // user + kernel time, 100 ns units
}

// pickResult says what pickVMProcess found.
type pickResult int

const (
	pickNone      pickResult = iota // no candidate: the VM is not running
	pickFound                       // exactly one candidate
	pickAmbiguous                   // several candidates (other users' VMs, other Hyper-V VMs)
)

// pickVMProcess chooses the WSL VM's host process: the one process named exactly "vmmemWSL";
// or, only when there is none and this Windows does not name VM processes with a suffix
// (Windows 10), the one named "vmmem". Other vmmem* names (WSL-for-containers VMs such as
// "vmmemWSLC…") are never taken. Several candidates are not guessed between.
func pickVMProcess(procs []procInfo, suffixSupported bool) (procInfo, pickResult) {
	p, r := pickByName(procs, VMProcessWSL)
	if r != pickNone || suffixSupported {
		return p, r
	}
	return pickByName(procs, VMProcessLegacy)
}

// otherVMProcesses lists the host processes of VMs that are not WSL's: every "vmmem…" process
// except "vmmemWSL" and a plain "vmmem" (which on Windows 10 may be WSL's and cannot be told
// apart from other VMs'). WSL containers (WSLC) run each session in its own VM whose process is
// "vmmemwslc-…" or "vmmem<session name>" (wsl-facts §10.6). Sorted by name, then pid.
func otherVMProcesses(procs []procInfo) []backend.VMProcess {
	var out []procInfo
	for _, p := range procs {
		n := imageBase(p.Name)
		if len(n) <= len(VMProcessLegacy) || !strings.EqualFold(n[:len(VMProcessLegacy)], VMProcessLegacy) || strings.EqualFold(n, VMProcessWSL) {
			continue
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := imageBase(out[i].Name), imageBase(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].PID < out[j].PID
	})
	if len(out) == 0 {
		return nil
	}
	vms := make([]backend.VMProcess, len(out))
	for i, p := range out {
		vms[i] = backend.VMProcess{Process: imageBase(p.Name), Bytes: p.WorkingSet}
	}
	return vms
}

func pickByName(procs []procInfo, want string) (procInfo, pickResult) {
	var found procInfo
	n := 0
	for _, p := range procs {
		if imageBase(p.Name) == want {
			found = p
			n++
		}
	}
	switch n {
	case 0:
		return procInfo{}, pickNone
	case 1:
		return found, pickFound
	}
	return procInfo{}, pickAmbiguous
}

// imageBase drops a trailing ".exe" (any case).
func imageBase(name string) string {
	if len(name) > 4 && strings.EqualFold(name[len(name)-4:], ".exe") {
		return name[:len(name)-4]
	}
	return name
}

// sysProcInfo mirrors golang.org/x/sys/windows.SYSTEM_PROCESS_INFORMATION (whose ImageName is an
// NTUnicodeString, inlined here) so that parseProcessSnapshot can be built and tested on any OS.
// The Windows build asserts at compile time that the offsets used here match x/sys's type.
type sysProcInfo struct {
	NextEntryOffset              uint32
	NumberOfThreads              uint32
	WorkingSetPrivateSize        int64
	HardFaultCount               uint32
	NumberOfThreadsHighWatermark uint32
	CycleTime                    uint64
	CreateTime                   int64
	UserTime                     int64
	KernelTime                   int64
	ImageNameLength              uint16 // bytes, without a terminator
	ImageNameMaximumLength       uint16
	ImageNameBuffer              uintptr // absolute address inside the same buffer
	BasePriority                 int32
	UniqueProcessID              uintptr
	InheritedFromUniqueProcessID uintptr
	HandleCount                  uint32
	SessionID                    uint32
	UniqueProcessKey             uintptr
	PeakVirtualSize              uintptr
	VirtualSize                  uintptr
	PageFaultCount               uint32
	PeakWorkingSetSize           uintptr
	WorkingSetSize               uintptr
	QuotaPeakPagedPoolUsage      uintptr
	QuotaPagedPoolUsage          uintptr
	QuotaPeakNonPagedPoolUsage   uintptr
	QuotaNonPagedPoolUsage       uintptr
	PagefileUsage                uintptr
	PeakPagefileUsage            uintptr
	PrivatePageCount             uintptr
	ReadOperationCount           int64
	WriteOperationCount          int64
	OtherOperationCount          int64
	ReadTransferCount            int64
	WriteTransferCount           int64
	OtherTransferCount           int64
}

// Field offsets and sizes of sysProcInfo, for decoding without unsafe pointer casts.
const (
	spiSize          = int(unsafe.Sizeof(sysProcInfo{}))
	spiNext          = int(unsafe.Offsetof(sysProcInfo{}.NextEntryOffset))
	spiCreate        = int(unsafe.Offsetof(sysProcInfo{}.CreateTime))
	spiUser          = int(unsafe.Offsetof(sysProcInfo{}.UserTime))
	spiKernel        = int(unsafe.Offsetof(sysProcInfo{}.KernelTime))
	spiNameLen       = int(unsafe.Offsetof(sysProcInfo{}.ImageNameLength))
	spiNameBuf       = int(unsafe.Offsetof(sysProcInfo{}.ImageNameBuffer))
	spiPID           = int(unsafe.Offsetof(sysProcInfo{}.UniqueProcessID))
	spiWorkingSet    = int(unsafe.Offsetof(sysProcInfo{}.WorkingSetSize))
	ptrSize          = int(unsafe.Sizeof(uintptr(0)))
	maxSnapshotProcs = 1 << 20 // far above any real system; bounds a corrupt buffer
)

// parseProcessSnapshot decodes a buffer filled by NtQuerySystemInformation(SystemProcessInformation):
// a chain of SYSTEM_PROCESS_INFORMATION entries linked by NextEntryOffset (0 ends the chain),
// each followed by its threads, with image names stored elsewhere in the same buffer and referred
// to by absolute address. base is the address of buf[0]. Every offset and name is bounds-checked:
// a corrupt buffer gives an error, never a panic. The idle process has no name ("").
func parseProcessSnapshot(buf []byte, base uintptr) ([]procInfo, error) {
	var out []procInfo
	off := 0
	for {
		if len(out) >= maxSnapshotProcs {
			return out, fmt.Errorf("process snapshot: more than %d entries", maxSnapshotProcs)
		}
		if off < 0 || len(buf)-off < spiSize {
			return out, fmt.Errorf("process snapshot: entry at offset %d runs past the %d-byte buffer", off, len(buf))
		}
		e := buf[off : off+spiSize]
		p := procInfo{
			PID:        uint32(readPtr(e[spiPID:])),
			Created:    int64(binary.LittleEndian.Uint64(e[spiCreate:])),
			WorkingSet: uint64(readPtr(e[spiWorkingSet:])),
			CPU100ns:   binary.LittleEndian.Uint64(e[spiUser:]) + binary.LittleEndian.Uint64(e[spiKernel:]),
		}
		nameLen := int(binary.LittleEndian.Uint16(e[spiNameLen:]))
		nameAddr := readPtr(e[spiNameBuf:])
		if nameLen > 0 && nameAddr != 0 {
			if nameAddr < base || nameAddr-base > uintptr(len(buf)) {
				return out, fmt.Errorf("process snapshot: image name of pid %d points outside the buffer", p.PID)
			}
			no := int(nameAddr - base)
			if nameLen > len(buf)-no {
				return out, fmt.Errorf("process snapshot: image name of pid %d runs past the buffer", p.PID)
			}
			p.Name = decodeUTF16LE(buf[no : no+nameLen])
		}
		out = append(out, p)
		next := int(binary.LittleEndian.Uint32(e[spiNext:]))
		if next == 0 {
			return out, nil
		}
		if next < spiSize {
			return out, fmt.Errorf("process snapshot: next entry offset %d is smaller than an entry", next)
		}
		off += next
	}
}

func readPtr(b []byte) uintptr {
	if ptrSize == 8 {
		return uintptr(binary.LittleEndian.Uint64(b))
	}
	return uintptr(binary.LittleEndian.Uint32(b))
}

func decodeUTF16LE(b []byte) string {
	// Fast path: process names are nearly always ASCII, which needs one allocation, not two.
	n := len(b) / 2
	ascii := true
	for i := 0; i < n; i++ {
		if b[2*i+1] != 0 || b[2*i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		a := make([]byte, n)
		for i := range a {
			a[i] = b[2*i]
		}
		return string(a)
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// cpuMark is one reading of a cumulative CPU-time counter.
type cpuMark struct {
	At   time.Time // when it was read (injected; never read from the clock here)
	Busy uint64    // cumulative busy time, 100 ns units
	// Key identifies the counter ("pid:<pid>:<created>" or "hcs:<vm id>"): readings of different
	// counters are never subtracted.
	Key string
}

// cpuRate is cpuPercent with a verdict: ok is false when there is no usable previous reading
// (first sample, other counter, counter went back, clock did not advance) or ncpu < 1, so the
// figure is unknown rather than 0.
func cpuRate(prev, cur cpuMark, ncpu int) (float64, bool) {
	if prev.Key == "" || prev.Key != cur.Key || ncpu < 1 || cur.Busy < prev.Busy || !cur.At.After(prev.At) {
		return 0, false
	}
	return cpuPercent(prev, cur, ncpu), true
}

// cpuPercent is the share of the whole host that the counter used between prev and cur:
// busy-time delta / (wall-time delta × logical CPUs) × 100, clamped to [0, 100]. It is 0 when
// there is no usable previous reading (first sample, other counter, counter went back, clock
// did not advance) or ncpu < 1.
func cpuPercent(prev, cur cpuMark, ncpu int) float64 {
	if prev.Key == "" || prev.Key != cur.Key || ncpu < 1 || cur.Busy < prev.Busy {
		return 0
	}
	wall := cur.At.Sub(prev.At)
	if wall <= 0 {
		return 0
	}
	busy := float64(cur.Busy-prev.Busy) * 100 // ns
	pct := busy / (float64(wall.Nanoseconds()) * float64(ncpu)) * 100
	if pct > 100 {
		return 100
	}
	return pct
}
