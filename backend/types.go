// Package backend holds wsldash's domain types and the Backend interface that every data source
// implements (wsl, local, demo). It has no Bubble Tea import: front ends (the TUI, the CLI) depend
// on it, never the other way round. See ARCHITECTURE.md.
package backend

import "time"

// State is a distro's state in wsl.exe's own words (hard-coded English in wsl.exe, never
// localized: WSL@HEAD ListDistributionsHelper).
type State string

const (
	StateRunning      State = "Running"
	StateStopped      State = "Stopped"
	StateInstalling   State = "Installing"
	StateUninstalling State = "Uninstalling"
	StateConverting   State = "Converting"
	StateExporting    State = "Exporting"
)

// Busy reports whether the distro is in a transitional state in which actions are refused.
func (s State) Busy() bool {
	switch s {
	case StateInstalling, StateUninstalling, StateConverting, StateExporting:
		return true
	}
	return false
}

// Distro is one registered WSL distribution.
type Distro struct {
	Name    string `json:"name"`
	State   State  `json:"state"`
	Version int    `json:"version"` // 1 or 2
	Default bool   `json:"default"`
	// BasePath is the install folder, DiskPath the ext4.vhdx (WSL 2) and DiskBytes its size on
	// disk; empty/zero when unknown (for example from Linux, where the registry is out of reach).
	BasePath  string `json:"base_path,omitempty"`
	DiskPath  string `json:"disk_path,omitempty"`
	DiskBytes int64  `json:"disk_bytes,omitempty"`
	// Held is true while the dashboard itself keeps the distro running (a probe or a started
	// distro kept alive); the user can let go of it.
	Held bool `json:"held,omitempty"`
	// Kept is true while a detached keep-alive (wsldash start --keep) keeps the distro running;
	// unlike Held it outlives wsldash, until wsldash release.
	Kept bool `json:"kept,omitempty"`
}

// GuestMemory is the Linux guest's view of memory (/proc/meminfo, VM-wide on WSL 2; on local,
// this machine's).
//
// Used is Total − Free − Cache on every backend, so that Used + Cache + Free == Total and the
// memory graph stacks them up to the total: Cache is buff/cache as free(1) counts it (Buffers +
// Cached + SReclaimable). This is not the "used" of free(1) in procps-ng 4, which is Total −
// Available: that one also counts the cache the kernel could not drop (shared memory, dirty
// pages, its reserves), so it is larger. AvailableBytes is MemAvailable, for that comparison.
type GuestMemory struct {
	TotalBytes     uint64 `json:"total_bytes"`
	UsedBytes      uint64 `json:"used_bytes"`
	CacheBytes     uint64 `json:"cache_bytes"`
	FreeBytes      uint64 `json:"free_bytes"`
	AvailableBytes uint64 `json:"available_bytes"`
	SwapTotalBytes uint64 `json:"swap_total_bytes"`
	SwapFreeBytes  uint64 `json:"swap_free_bytes"`
	// ShmemBytes is the part of Cache that is shared memory (tmpfs): it cannot be dropped.
	ShmemBytes uint64 `json:"shmem_bytes"`
	// DirtyBytes must be written back before it can be dropped.
	DirtyBytes uint64 `json:"dirty_bytes"`
	// FileCacheBytes is Active(file)+Inactive(file)+SReclaimable, the cache WSL's gradual
	// reclaim counts (after 2.9.4); nil when meminfo lacks one of them. Not in the JSON: the
	// reclaim gate reports what it implies.
	FileCacheBytes *uint64 `json:"-"`
}

// Reclaimable is the page cache that dropping caches could give back now: the cache less shared
// memory and dirty pages.
func (g GuestMemory) Reclaimable() uint64 {
	nr := g.ShmemBytes + g.DirtyBytes
	if nr >= g.CacheBytes {
		return 0
	}
	return g.CacheBytes - nr
}

// HostView is the Windows host's view of the WSL VM. Fields are zero (VMCPUPercent: nil) when
// unknown; the whole struct is absent (nil) from a Sample when nothing about the host is known.
type HostView struct {
	// VMProcess is the host process that holds the VM's memory: "vmmemWSL" (Windows 11) or
	// "vmmem" (Windows 10). Empty when not found (VM not running, or access denied).
	VMProcess      string `json:"vm_process,omitempty"`
	VMProcessBytes uint64 `json:"vm_process_bytes,omitempty"`
	TotalBytes     uint64 `json:"total_bytes,omitempty"`
	AvailableBytes uint64 `json:"available_bytes,omitempty"`
	// VMCPUPercent is nil until two readings give a rate (and when the VM is not running).
	VMCPUPercent *float64 `json:"vm_cpu_percent,omitempty"`
	// OtherVMs are the host processes of other VMs seen beside WSL's (WSL containers'
	// vmmemwslc-*, other HCS systems' vmmem<name>): shown apart, never counted as the WSL VM
	// and never summed into it. Absent when there are none.
	OtherVMs []VMProcess `json:"other_vms,omitempty"`
	// Note says why some part is missing, in one line (for example "HCS statistics need an
	// elevated prompt").
	Note string `json:"note,omitempty"`
}

// VMProcess is one VM's host process as Windows lists it.
type VMProcess struct {
	Process string `json:"process"`         // image name without ".exe", e.g. "vmmemwslc-1a2b"
	Bytes   uint64 `json:"bytes,omitempty"` // working set; 0 when unknown
}

// Pressure is PSI (/proc/pressure/*) "some" averages, in percent.
type Pressure struct {
	Avg10  float64 `json:"avg10"`
	Avg60  float64 `json:"avg60"`
	Avg300 float64 `json:"avg300"`
}

// Sample is one observation of the VM (or the local machine).
type Sample struct {
	Time  time.Time   `json:"time"`
	Guest GuestMemory `json:"guest"`
	// CPUPercent is the busy share of the VM's (or machine's) CPUs since the previous reading,
	// 0..100; nil when unknown: one reading cannot give a rate, and a stopped VM has none.
	CPUPercent *float64 `json:"cpu_percent"`
	// MemoryPressure is nil where the kernel has no PSI.
	MemoryPressure *Pressure `json:"memory_pressure,omitempty"`
	Host           *HostView `json:"host,omitempty"`
	// Distros is each running distro's share of the memory (nil when the backend cannot tell,
	// or has no distros), and DistrosRemainder what belongs to none of them: with it the parts
	// add up to Guest.UsedBytes (and, for cgroup figures, Guest.CacheBytes).
	Distros          []DistroMemory   `json:"distros,omitempty"`
	DistrosRemainder *MemoryRemainder `json:"distros_remainder,omitempty"`
	// CPU is the /proc/stat reading behind CPUPercent, the input of WSL's reclaim gate
	// (reclaim.Gate); nil when the backend has none.
	CPU *CPUCounters `json:"-"`
	// SelfTicks is the CPU time, in clock ticks and children included, that wsldash itself has
	// used in the VM so far: the probe in the guest, or the whole dashboard when it runs
	// inside WSL. nil when unknown (and on a machine with no VM).
	SelfTicks *uint64 `json:"-"`
}

// CPUCounters are the cumulative counters of /proc/stat's aggregate cpu line, in clock ticks
// (USER_HZ), and the number of CPUs they sum over (its cpuN lines; 0 when unknown).
type CPUCounters struct {
	User, Nice, System, Idle, IOWait, IRQ, SoftIRQ, Steal uint64
	CPUs                                                  int
}

// Busy is every non-idle counter: what WSL's reclaim gate counts after 2.9.4.
func (c CPUCounters) Busy() uint64 {
	return c.User + c.Nice + c.System + c.IRQ + c.SoftIRQ + c.Steal
}

// Total is busy and idle (idle + iowait) together.
func (c CPUCounters) Total() uint64 { return c.Busy() + c.Idle + c.IOWait }

// Percent returns a pointer to v, for the optional percentages (Sample.CPUPercent,
// HostView.VMCPUPercent).
func Percent(v float64) *float64 { return &v }

// MountKind classifies a mount for display.
type MountKind string

const (
	MountDrvfs    MountKind = "drvfs"    // a Windows drive: drvfs (WSL 1) or 9p with aname=drvfs
	MountVirtiofs MountKind = "virtiofs" // a Windows drive over virtiofs (wsl2.virtiofs=true)
	MountPlan9    MountKind = "9p"       // other 9p shares (WSL's drivers, wslg)
	MountDisk     MountKind = "disk"     // a block device: the distro's vhdx, or wsl --mount
	MountOther    MountKind = "other"
)

// Mount is one mount point as seen in a distro (or on the local machine).
type Mount struct {
	Source  string    `json:"source"`
	Target  string    `json:"target"`
	FSType  string    `json:"type"`
	Options string    `json:"options"`
	Kind    MountKind `json:"kind"`
	Distro  string    `json:"distro,omitempty"`
}

// Process is one guest process.
type Process struct {
	PID        int     `json:"pid"`
	Name       string  `json:"name"`
	User       string  `json:"user"`
	CPUPercent float64 `json:"cpu_percent"`
	RSSBytes   uint64  `json:"rss_bytes"`
	Distro     string  `json:"distro,omitempty"`

	// CPUUnknown: no rate yet (the process's first scan); CPUPercent is then 0 and means
	// nothing, and the JSON says "cpu_percent": null (process_json.go). A flag, not a pointer,
	// so that a scan of thousands of processes allocates nothing for it.
	CPUUnknown bool `json:"-"`
}

// Info describes the backend and the host for the header line.
type Info struct {
	Backend string `json:"backend"` // "wsl", "local", "demo"
	// Label is shown wherever the backend's data appears; the demo's says "demo".
	Label string `json:"label"`
	// Simulated says the data is made up (the demo): front ends show Label with it. It is a
	// label, not a switch; what a front end does differently follows from the fields below,
	// Capabilities and the optional interfaces.
	Simulated bool `json:"simulated"`
	// DryRun is true when actions change nothing real (the demo's are simulated: nothing is
	// written to disk and no distro starts): front ends say so beside what an action reports.
	DryRun bool `json:"dry_run,omitempty"`
	// ThisMachine is true when the backend watches the machine wsldash runs on instead of a WSL
	// VM (local): there are no distros and no VM to restart, what it shows is this machine's,
	// and Hostname names it.
	ThisMachine    bool   `json:"this_machine,omitempty"`
	WSLVersion     string `json:"wsl_version,omitempty"`
	KernelVersion  string `json:"kernel_version,omitempty"`
	WindowsVersion string `json:"windows_version,omitempty"`
	Hostname       string `json:"hostname,omitempty"`
	// DefaultDistro is empty when there is none (or on local).
	DefaultDistro string `json:"default_distro,omitempty"`
	// ReclaimMode is the autoMemoryReclaim mode in force, when known.
	ReclaimMode ReclaimMode `json:"reclaim_mode,omitempty"`
	// HomeDir is where a front end suggests putting exports and new distros: the Windows user's
	// profile as the backend sees it (the demo's simulated C:\Users\dev); "" means the home
	// directory of the user running wsldash.
	HomeDir string `json:"-"`
	// TimeScale is how many seconds of WSL's timers pass per second of samples: the demo's
	// speed-up (its idle delays run that much faster); 0 or 1 is real time.
	TimeScale float64 `json:"-"`
}

// ReclaimMode is both WSL's autoMemoryReclaim setting and the kind of manual reclaim asked for.
type ReclaimMode string

const (
	ReclaimDisabled  ReclaimMode = "disabled"
	ReclaimGradual   ReclaimMode = "gradual"   // cgroup v2 memory.reclaim, a bit at a time
	ReclaimDropCache ReclaimMode = "dropcache" // echo 1 > /proc/sys/vm/drop_caches
	ReclaimCompact   ReclaimMode = "compact"   // echo 1 > /proc/sys/vm/compact_memory (manual only)
)

// ReclaimResult reports a manual reclaim.
type ReclaimResult struct {
	Mode ReclaimMode `json:"mode"`
	// Before and After are the guest's cache (page cache) around the action.
	CacheBefore uint64 `json:"cache_before_bytes"`
	CacheAfter  uint64 `json:"cache_after_bytes"`
	// Where names the distro that ran it (wsl) or "local".
	Where string `json:"where,omitempty"`
}

// Freed is how much cache the reclaim gave back (0 if it grew meanwhile).
func (r ReclaimResult) Freed() uint64 {
	if r.CacheAfter >= r.CacheBefore {
		return 0
	}
	return r.CacheBefore - r.CacheAfter
}
