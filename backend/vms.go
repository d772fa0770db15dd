package backend

import "context"

// Labels of the VMs on a host (VM.Kind).
const (
	VMKindWSL     = "WSL's VM"
	VMKindWSLC    = "WSL containers"
	VMKindSandbox = "Windows Sandbox"
	VMKindDocker  = "Docker"
	VMKindHyperV  = "Hyper-V VM"
	VMKindUnknown = "unknown"
)

// VM is one virtual machine on the Windows host: a compute system HCS reports, its host process,
// or both when the process's user (NT VIRTUAL MACHINE\<VM-ID>) ties them together. Unknown
// numbers are null in JSON, never 0.
type VM struct {
	Kind  string `json:"kind"`            // VMKindWSL, VMKindWSLC, VMKindSandbox, VMKindDocker, VMKindHyperV, VMKindUnknown
	ID    string `json:"id,omitempty"`    // HCS id (a GUID); empty when only the process is known
	Owner string `json:"owner,omitempty"` // HCS owner ("WSL", "VMMS", …)
	Type  string `json:"type,omitempty"`  // HCS system type ("VirtualMachine", "Container")
	State string `json:"state,omitempty"` // HCS state ("Running", …)
	Name  string `json:"name,omitempty"`  // HCS name, when it gives one
	// MemoryBytes is HCS's commit for the VM (Statistics.Memory.UsageCommitBytes), when readable.
	MemoryBytes *uint64 `json:"memory_bytes"`
	// CPUSeconds is the VM's processor time since it started (HCS statistics), when readable.
	CPUSeconds *float64 `json:"cpu_seconds"`
	// Process is the VM's host process (vmmemWSL, vmmem, vmmemwslc-…); ProcessBytes its working set.
	Process      string  `json:"process,omitempty"`
	PID          uint32  `json:"pid,omitempty"`
	ProcessBytes *uint64 `json:"process_bytes"`
	// Note says what could not be read for this VM, in one line.
	Note string `json:"note,omitempty"`
}

// VMList is every VM on the host, WSL's first. Note says, in one line, what is missing for
// all of them (for example that elevation would add HCS's view).
type VMList struct {
	VMs  []VM   `json:"vms"`
	Note string `json:"note,omitempty"`
}

// VMLister is a backend that can list every VM on the Windows host, read-only (the wsl backend
// in the Windows build; the demo). Elsewhere it returns a KindUnsupported error.
type VMLister interface {
	VMs(ctx context.Context) (VMList, error)
}
