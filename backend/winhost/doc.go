// Package winhost is the Windows-only host side of the WSL backend: the per-user registry keys
// under HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss (ReadRegistrations), the size on disk
// of a distro's ext4.vhdx (DiskUsage), and the host's view of the WSL VM (Host.Sample): the memory
// of the VM's host process, the host's total and available memory, and the VM's CPU use.
//
// # Layout
//
// Everything that can be pure lives in files without build tags and is tested on Linux: the
// registry decoding (readRegistrations over a small regReader interface), the Windows build
// check that decides between "vmmemWSL" and "vmmem" (vmmemSuffixSupported), the choice of the VM
// process (pickVMProcess), the decoding of a SystemProcessInformation buffer
// (parseProcessSnapshot), the CPU arithmetic (cpuPercent), the conversion of HCS statistics, the
// mapping from errors to one-line notes, and the whole sampling state machine (Host with
// injected hostDeps). The *_windows.go files only make the system calls; on other systems
// ReadRegistrations and Host.Sample return a *backend.Error of kind KindUnsupported (Sample then
// returns a nil HostView, matching backend.Sample.Host being nil when nothing about the host is
// known).
//
// # Where the numbers come from (Windows)
//
//   - The VM's host process is "vmmemWSL" on Windows 11 and "vmmem" on Windows 10 / Server 2022
//     (wsl-facts §5.1). Other vmmem* processes (WSL-for-containers VMs, Windows Sandbox, Hyper-V
//     VMs) are never taken; several candidates are reported as ambiguous rather than guessed.
//   - It is found with one handle-free NtQuerySystemInformation(SystemProcessInformation) call,
//     which also gives its working set and CPU times. This is hand-written (over
//     golang.org/x/sys/windows) rather than gopsutil's process.Processes because, in gopsutil
//     v4.26.10, that lists pids with EnumProcesses, names them with a Toolhelp32 snapshot, opens
//     every process once (PidExists) and needs a further PROCESS_QUERY_LIMITED_INFORMATION handle
//     for MemoryInfo and Times; the system information call needs no handle at all (it is what
//     Task Manager uses), so it still works if opening vmmemWSL is denied.
//   - Once found, the pid is cached and each sample opens that one process with
//     PROCESS_QUERY_LIMITED_INFORMATION for GetProcessTimes and K32GetProcessMemoryInfo (one
//     handle; gopsutil would open it three times, and GetProcessTimes also gives the creation time
//     that detects pid reuse). If that open is denied (UNCERTAIN whether it is for a non-elevated
//     user, wsl-facts §5.1) the sampler falls back to the handle-free listing for every sample.
//     When the process disappears (the VM stopped; its id changes every boot) it is looked for
//     again, at most every rescanEvery while the VM is not running.
//   - Host total/available memory come from gopsutil's mem.VirtualMemory (GlobalMemoryStatusEx).
//   - The VM's CPU comes from HCS when the caller may use HCS: hcsshim.GetContainers with
//     Owners ["WSL"] and Types ["VirtualMachine"], then OpenContainer + Statistics + Close (the
//     handle is never kept: the WSL VM terminates on its last handle closed, wsl-facts §6.2), and
//     the delta of Statistics.Processor.TotalRuntime100ns. HCS usually needs an elevated prompt;
//     when it is denied (Errno 5, or HCS's own 0x8037011B) the sampler says so once per sample
//     in HostView.Note and never asks HCS again (a process's elevation cannot change), and the
//     CPU comes from the delta of vmmem's own CPU times instead. Several VMs with owner WSL are
//     never guessed between. HCS runs off the sample path (hcsPoller): one query at a time; a
//     sample waits for it only while HCS answers fast, otherwise it shows the last answer and,
//     from 3 s, its age.
//   - ListVMs (wsldash vms) lists every compute system of any owner and every vmmem* process,
//     tied together by the process's user NT VIRTUAL MACHINE\<id> where its token can be read.
//
// hcsshim logs through logrus, whose default output is stderr, where it would draw over the TUI:
// on Windows, NewHost points logrus at io.Discard unless the program already redirected it.
//
// VMCPUPercent is a percentage of the whole host: 100 means every logical processor of the host
// was busy running the VM for the whole interval. The first sample, and the first after the VM
// or the source of the numbers changed, reports 0.
package winhost
