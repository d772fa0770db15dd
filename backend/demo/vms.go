package demo

import (
	"context"

	"github.com/wsldash/wsldash/backend"
)

// The demo host's VMs, as `wsldash vms` would list them on Windows: WSL's VM (while it is up; its
// process figure is the simulated vmmemWSL, as in the host view), a WSL containers VM, a
// Hyper-V Manager VM, and Windows Sandbox, whose statistics HCS refused (so its memory and CPU
// are unknown while its vmmem process is still listed). Deterministic: only WSL's own figures
// move, with the simulation.
const demoWSLVMID = "5E0C7D2A-3B41-4F7E-9A26-8C1D0B6E4F13"

// VMs lists the demo host's VMs, WSL's first.
func (b *Backend) VMs(ctx context.Context) (backend.VMList, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	u64 := func(v uint64) *uint64 { return &v }
	f64 := func(v float64) *float64 { return &v }
	var l backend.VMList
	s := b.sim
	if s.vmUp {
		l.VMs = append(l.VMs, backend.VM{Kind: backend.VMKindWSL, ID: demoWSLVMID, Owner: "WSL", Type: "VirtualMachine",
			State: "Running", MemoryBytes: u64(s.vmHost), CPUSeconds: f64(1260.4 + 0.3*float64(s.step)),
			Process: "vmmemWSL", PID: 5132, ProcessBytes: u64(s.vmHost)})
	}
	l.VMs = append(l.VMs,
		backend.VM{Kind: backend.VMKindWSLC, ID: "A7F3E912-6C0B-4D58-B1E4-2F9A7C3D5E80", Owner: "wslc", Type: "VirtualMachine",
			State: "Running", MemoryBytes: u64(1228 * mib), CPUSeconds: f64(88.5),
			Process: "vmmemwslc-a7f3e912", PID: 7720, ProcessBytes: u64(1106 * mib)},
		backend.VM{Kind: backend.VMKindHyperV, ID: "C2B94F60-1D7A-4E3B-8F05-6A9E2D4C7B11", Owner: "VMMS", Type: "VirtualMachine",
			State: "Running", Name: "Windows 11 dev environment", MemoryBytes: u64(4 * gib), CPUSeconds: f64(3021.7),
			Process: "vmmem", PID: 9188, ProcessBytes: u64(3891 * mib)},
		backend.VM{Kind: backend.VMKindSandbox, ID: "E81D3C4B-9F2A-4B67-A0C5-7D3E1F8B2A96", Owner: "Madrid", Type: "VirtualMachine",
			State: "Running", Note: "statistics need an elevated prompt",
			Process: "vmmem", PID: 10344, ProcessBytes: u64(612 * mib)},
	)
	return l, nil
}

var _ backend.VMLister = (*Backend)(nil)
