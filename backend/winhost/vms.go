package winhost

import (
	"sort"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// Labels of the VMs on a host (VM.Kind): backend's, named here for winhost's callers.
const (
	KindWSL        = backend.VMKindWSL
	KindWSLC       = backend.VMKindWSLC
	KindSandbox    = backend.VMKindSandbox
	KindDocker     = backend.VMKindDocker
	KindHyperV     = backend.VMKindHyperV
	KindUnknownVM  = backend.VMKindUnknown
	vmUserDomain   = "NT VIRTUAL MACHINE"
	noteVMsDenied  = "HCS needs an elevated prompt: run elevated to see each VM's owner, type, id, state and CPU, and which vmmem process is whose"
	noteVMsMissing = "HCS is not available on this Windows (no vmcompute.dll): only the vmmem processes are listed"
)

// VM is one virtual machine on the host (backend.VM: the dashboard shows the same type).
type VM = backend.VM

// VMList is every VM on the host, WSL's first (backend.VMList).
type VMList = backend.VMList

// hcsSystem is one compute system as HCS enumerates it, with its statistics when they could be
// read (Stats nil) and the error met opening it or reading them.
type hcsSystem struct {
	ID, Owner, Type, State, Name string
	Stats                        *hcsStatistics
	Err                          error
}

// vmProc is one vmmem* host process, with the account it runs as when it could be read
// ("NT VIRTUAL MACHINE\<VM-ID>"; "" when opening the process or its token was refused).
type vmProc struct {
	procInfo
	User string
}

// vmKind labels a compute system by its owner and name. The owners other than WSL's are
// UNCERTAIN (seen in hcsdiag listings, not in documentation): Hyper-V Manager's VMs are owned
// by VMMS, Windows Sandbox by "Madrid" (its code name) or a name with "Sandbox", Docker's by
// "docker"; WSL containers' by a "wslc…" owner or their vmmemwslc process.
func vmKind(owner, name, process string) string {
	o, n, p := strings.ToLower(owner), strings.ToLower(name), strings.ToLower(imageBase(process))
	switch {
	case o == "wsl" && (p == "" || p == "vmmemwsl" || p == "vmmem"):
		return KindWSL
	case strings.HasPrefix(o, "wslc") || strings.HasPrefix(p, "vmmemwslc"):
		return KindWSLC
	case strings.Contains(o, "docker") || strings.Contains(n, "docker"):
		return KindDocker
	case o == "madrid" || strings.Contains(o, "sandbox") || strings.Contains(n, "sandbox"):
		return KindSandbox
	case o == "vmms":
		return KindHyperV
	case o == "" && p == "vmmemwsl":
		return KindWSL
	}
	return KindUnknownVM
}

// vmIDOfUser is the VM id in "NT VIRTUAL MACHINE\<VM-ID>" (normGUID form), or "".
func vmIDOfUser(user string) string {
	dom, acct, ok := strings.Cut(user, `\`)
	if !ok || !strings.EqualFold(dom, vmUserDomain) {
		return ""
	}
	return normGUID(acct)
}

// buildVMList joins HCS's compute systems (nil when HCS could not be asked: hcsErr says why) with
// the vmmem* processes. Systems that were gone by the time they were opened are left out.
func buildVMList(systems []hcsSystem, hcsErr error, procs []vmProc) VMList {
	var l VMList
	byID := map[string]int{}
	for _, s := range systems {
		if isGone(s.Err) {
			continue
		}
		vm := VM{ID: s.ID, Owner: s.Owner, Type: s.Type, State: s.State, Name: s.Name}
		if s.Stats != nil {
			mem := s.Stats.MemoryCommitBytes
			if mem > 0 {
				vm.MemoryBytes = &mem
			}
			cpu := float64(s.Stats.ProcessorTotal100ns) / 1e7
			vm.CPUSeconds = &cpu
		} else if s.Err != nil {
			if isAccessDenied(s.Err) {
				vm.Note = "statistics need an elevated prompt"
			} else {
				vm.Note = "statistics: " + firstLine(s.Err.Error())
			}
		}
		byID[normGUID(s.ID)] = len(l.VMs)
		l.VMs = append(l.VMs, vm)
	}
	for _, p := range procs {
		ws := p.WorkingSet
		if i, ok := byID[vmIDOfUser(p.User)]; ok && vmIDOfUser(p.User) != "" && l.VMs[i].Process == "" {
			l.VMs[i].Process, l.VMs[i].PID, l.VMs[i].ProcessBytes = imageBase(p.Name), p.PID, &ws
			continue
		}
		l.VMs = append(l.VMs, VM{Process: imageBase(p.Name), PID: p.PID, ProcessBytes: &ws})
	}
	for i := range l.VMs {
		l.VMs[i].Kind = vmKind(l.VMs[i].Owner, l.VMs[i].Name, l.VMs[i].Process)
	}
	sort.SliceStable(l.VMs, func(i, j int) bool { return vmRank(l.VMs[i].Kind) < vmRank(l.VMs[j].Kind) })
	switch {
	case hcsErr == nil:
	case isAccessDenied(hcsErr):
		l.Note = noteVMsDenied
	case isMissingHCS(hcsErr):
		l.Note = noteVMsMissing
	default:
		l.Note = "HCS failed: " + firstLine(hcsErr.Error()) + "; only the vmmem processes are listed"
	}
	if l.VMs == nil {
		l.VMs = []VM{}
	}
	return l
}

func vmRank(kind string) int {
	switch kind {
	case KindWSL:
		return 0
	case KindWSLC:
		return 1
	case KindUnknownVM:
		return 3
	}
	return 2
}

// isVMProcess is true for the host process of a VM: "vmmem" and every "vmmem…" name.
func isVMProcess(name string) bool {
	n := imageBase(name)
	return len(n) >= len(VMProcessLegacy) && strings.EqualFold(n[:len(VMProcessLegacy)], VMProcessLegacy)
}
