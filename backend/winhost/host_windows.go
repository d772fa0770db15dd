//go:build windows

package winhost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/Microsoft/hcsshim"
	"github.com/shirou/gopsutil/v4/mem"
	"github.com/sirupsen/logrus"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// HCS owner and system type of the WSL VM (wsl-facts §6.1).
const (
	hcsOwnerWSL = "WSL"
	hcsTypeVM   = "VirtualMachine"
)

// Compile-time proof that sysProcInfo (used by the portable parser) has the layout of x/sys's
// SYSTEM_PROCESS_INFORMATION on this architecture: each pair of constants overflows uintptr
// (a build error) unless the two sides are equal.
var (
	xSPI windows.SYSTEM_PROCESS_INFORMATION
	xNTS windows.NTUnicodeString
)

const (
	_ = unsafe.Sizeof(xSPI) - uintptr(spiSize)
	_ = uintptr(spiSize) - unsafe.Sizeof(xSPI)
	_ = unsafe.Offsetof(xSPI.NextEntryOffset) - uintptr(spiNext)
	_ = uintptr(spiNext) - unsafe.Offsetof(xSPI.NextEntryOffset)
	_ = unsafe.Offsetof(xSPI.CreateTime) - uintptr(spiCreate)
	_ = uintptr(spiCreate) - unsafe.Offsetof(xSPI.CreateTime)
	_ = unsafe.Offsetof(xSPI.UserTime) - uintptr(spiUser)
	_ = uintptr(spiUser) - unsafe.Offsetof(xSPI.UserTime)
	_ = unsafe.Offsetof(xSPI.KernelTime) - uintptr(spiKernel)
	_ = uintptr(spiKernel) - unsafe.Offsetof(xSPI.KernelTime)
	_ = unsafe.Offsetof(xSPI.ImageName) + unsafe.Offsetof(xNTS.Length) - uintptr(spiNameLen)
	_ = uintptr(spiNameLen) - unsafe.Offsetof(xSPI.ImageName) - unsafe.Offsetof(xNTS.Length)
	_ = unsafe.Offsetof(xSPI.ImageName) + unsafe.Offsetof(xNTS.Buffer) - uintptr(spiNameBuf)
	_ = uintptr(spiNameBuf) - unsafe.Offsetof(xSPI.ImageName) - unsafe.Offsetof(xNTS.Buffer)
	_ = unsafe.Offsetof(xSPI.UniqueProcessID) - uintptr(spiPID)
	_ = uintptr(spiPID) - unsafe.Offsetof(xSPI.UniqueProcessID)
	_ = unsafe.Offsetof(xSPI.WorkingSetSize) - uintptr(spiWorkingSet)
	_ = uintptr(spiWorkingSet) - unsafe.Offsetof(xSPI.WorkingSetSize)
)

// hcsTimeout bounds one HCS round trip (enumerate, open, statistics, close).
const hcsTimeout = 5 * time.Second

var quietLogrus sync.Once

// quietHCSLogs points logrus (hcsshim's logger) at io.Discard unless the program already
// pointed it somewhere other than stderr.
func quietHCSLogs() {
	quietLogrus.Do(func() {
		if logrus.StandardLogger().Out == os.Stderr {
			logrus.SetOutput(io.Discard)
		}
	})
}

func newHostDeps() (*hostDeps, error) {
	// hcsshim logs through logrus, whose default output is stderr: that would draw over the TUI.
	quietHCSLogs()
	_, _, build := windows.RtlGetNtVersionNumbers()
	ncpu := int(windows.GetActiveProcessorCount(windows.ALL_PROCESSOR_GROUPS))
	if ncpu < 1 {
		ncpu = runtime.NumCPU()
	}
	s := &winSys{}
	return &hostDeps{
		now:             time.Now,
		ncpu:            ncpu,
		suffixSupported: vmmemSuffixSupported(build, readUBR()),
		snapshot:        s.snapshot,
		procStat:        procStat,
		hostMem:         hostMem,
		hcs:             hcsRead,
		hcsWait:         hcsWaitDefault,
	}, nil
}

// readUBR is the update build revision (the "71" of 22000.71), 0 when unreadable.
func readUBR() uint32 {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE)
	if err != nil {
		return 0
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue("UBR")
	if err != nil {
		return 0
	}
	return uint32(v)
}

func hostMem(ctx context.Context) (total, avail uint64, err error) {
	vm, err := mem.VirtualMemoryWithContext(ctx)
	if err != nil {
		return 0, 0, err
	}
	return vm.Total, vm.Available, nil
}

// winSys keeps the process-listing buffer between samples.
type winSys struct{ buf []byte }

const maxSnapshotBuf = 64 << 20

// snapshot lists all processes with NtQuerySystemInformation(SystemProcessInformation), which
// needs no process handle.
func (w *winSys) snapshot(ctx context.Context) ([]procInfo, error) {
	size := len(w.buf)
	if size == 0 {
		size = 512 << 10
	}
	for size <= maxSnapshotBuf {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(w.buf) < size {
			w.buf = make([]byte, size)
		}
		var ret uint32
		err := windows.NtQuerySystemInformation(windows.SystemProcessInformation, unsafe.Pointer(&w.buf[0]), uint32(len(w.buf)), &ret)
		if errors.Is(err, windows.STATUS_INFO_LENGTH_MISMATCH) || errors.Is(err, windows.STATUS_BUFFER_TOO_SMALL) {
			size = max(2*len(w.buf), int(ret)+64<<10)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("NtQuerySystemInformation: %w", err)
		}
		n := len(w.buf)
		if ret > 0 && int(ret) <= n {
			n = int(ret)
		}
		return parseProcessSnapshot(w.buf[:n], uintptr(unsafe.Pointer(&w.buf[0])))
	}
	return nil, errors.New("NtQuerySystemInformation: the process list needs more than 64 MiB")
}

// x/sys/windows has no GetProcessMemoryInfo; kernel32 exports it as K32GetProcessMemoryInfo.
var procK32GetProcessMemoryInfo = windows.NewLazySystemDLL("kernel32.dll").NewProc("K32GetProcessMemoryInfo")

// processMemoryCounters is PROCESS_MEMORY_COUNTERS.
type processMemoryCounters struct {
	CB                         uint32
	PageFaultCount             uint32
	PeakWorkingSetSize         uintptr
	WorkingSetSize             uintptr
	QuotaPeakPagedPoolUsage    uintptr
	QuotaPagedPoolUsage        uintptr
	QuotaPeakNonPagedPoolUsage uintptr
	QuotaNonPagedPoolUsage     uintptr
	PagefileUsage              uintptr
	PeakPagefileUsage          uintptr
}

// procStat opens pid once with PROCESS_QUERY_LIMITED_INFORMATION and reads its CPU and creation
// times and its working set. A process that has exited is reported as gone.
func procStat(pid uint32) (procInfo, error) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return procInfo{}, fmt.Errorf("OpenProcess %d: %w", pid, err)
	}
	defer windows.CloseHandle(h)
	var created, exited, kernel, user windows.Filetime
	if err := windows.GetProcessTimes(h, &created, &exited, &kernel, &user); err != nil {
		return procInfo{}, fmt.Errorf("GetProcessTimes %d: %w", pid, err)
	}
	if exited.HighDateTime != 0 || exited.LowDateTime != 0 {
		return procInfo{}, tag(fmt.Errorf("process %d has exited", pid), errGone)
	}
	if err := procK32GetProcessMemoryInfo.Find(); err != nil {
		return procInfo{}, err
	}
	var mc processMemoryCounters
	mc.CB = uint32(unsafe.Sizeof(mc))
	r1, _, e1 := procK32GetProcessMemoryInfo.Call(uintptr(h), uintptr(unsafe.Pointer(&mc)), uintptr(mc.CB))
	if r1 == 0 {
		return procInfo{}, fmt.Errorf("GetProcessMemoryInfo %d: %w", pid, e1)
	}
	return procInfo{
		PID:        pid,
		Created:    filetime(created),
		WorkingSet: uint64(mc.WorkingSetSize),
		CPU100ns:   uint64(filetime(kernel)) + uint64(filetime(user)),
	}, nil
}

func filetime(f windows.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }

// hcsBusy is set while an HCS round trip runs, so a hung vmcompute call cannot pile up
// goroutines: the next samples skip HCS until it returns.
var hcsBusy atomic.Bool

// hcsRead runs one HCS round trip in a goroutine so a stuck vmcompute call cannot hold the
// sampler past ctx or hcsTimeout; the goroutine then finishes, and closes what it opened, on its
// own. Only the caller's cancellation is returned as a context error; our own timeout is an
// ordinary (retried) failure.
func hcsRead(ctx context.Context) (hcsReading, error) {
	if !hcsBusy.CompareAndSwap(false, true) {
		return hcsReading{}, errors.New("HCS is not answering (the previous query is still running)")
	}
	type result struct {
		r   hcsReading
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer hcsBusy.Store(false)
		r, err := hcsQuery()
		ch <- result{r, err}
	}()
	timer := time.NewTimer(hcsTimeout)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return hcsReading{}, ctx.Err()
	case <-timer.C:
		return hcsReading{}, fmt.Errorf("HCS did not answer within %v", hcsTimeout)
	case res := <-ch:
		return res.r, res.err
	}
}

// hcsQuery lists the WSL VMs and reads each one's statistics, never keeping a handle.
func hcsQuery() (hcsReading, error) {
	systems, err := hcsshim.GetContainers(hcsshim.ComputeSystemQuery{
		Owners: []string{hcsOwnerWSL},
		Types:  []string{hcsTypeVM},
	})
	if err != nil {
		return hcsReading{}, normHCSErr(err)
	}
	var r hcsReading
	for _, s := range systems {
		// The query already filters; check again so a looser HCS cannot hand us other VMs.
		if !strings.EqualFold(s.Owner, hcsOwnerWSL) || (s.SystemType != "" && !strings.EqualFold(s.SystemType, hcsTypeVM)) {
			continue
		}
		vm := hcsVM{ID: s.ID}
		vm.Stats, vm.Err = hcsStatistics1(s.ID)
		r.VMs = append(r.VMs, vm)
	}
	return r, nil
}

func hcsStatistics1(id string) (hcsStatistics, error) {
	c, err := hcsshim.OpenContainer(id)
	if err != nil {
		return hcsStatistics{}, normHCSErr(err)
	}
	defer c.Close()
	s, err := c.Statistics()
	if err != nil {
		return hcsStatistics{}, normHCSErr(err)
	}
	return fromHCSStatistics(s), nil
}

// fromHCSStatistics copies what we use out of hcsshim's Statistics.
func fromHCSStatistics(s hcsshim.Statistics) hcsStatistics {
	return hcsStatistics{
		Timestamp:                    s.Timestamp,
		Uptime100ns:                  s.Uptime100ns,
		ProcessorTotal100ns:          s.Processor.TotalRuntime100ns,
		MemoryCommitBytes:            s.Memory.UsageCommitBytes,
		MemoryPrivateWorkingSetBytes: s.Memory.UsagePrivateWorkingSetBytes,
	}
}

// normHCSErr tags hcsshim's errors (its ContainerError does not unwrap) so the portable
// classifiers recognise them: the inner error of a ContainerError is attached, so errors.Is sees
// its errno (a missing DLL, HCS_E_ACCESS_DENIED) as well.
func normHCSErr(err error) error {
	switch {
	case err == nil:
		return nil
	case hcsshim.IsAccessIsDenied(err):
		return tag(err, errDenied)
	case hcsshim.IsNotExist(err) || hcsshim.IsAlreadyStopped(err):
		return tag(err, errGone)
	}
	var ce *hcsshim.ContainerError
	if errors.As(err, &ce) && ce.Err != nil {
		return tag(err, ce.Err)
	}
	return err
}
