package winhost

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// fakeOS scripts the operating-system side of Host and counts the calls.
type fakeOS struct {
	mu   sync.Mutex
	now  time.Time
	ncpu int

	procs     []procInfo // what snapshot lists
	snapErr   error
	stat      map[uint32]procInfo // what procStat returns by pid
	statErr   map[uint32]error
	memErr    error
	hcs       *hcsReading // nil: HCS not asked (deps.hcs nil) unless hcsErr is set
	hcsErr    error
	hcsBlock  chan struct{} // when set, each HCS query waits for a value from it
	hcsDelay  time.Duration // each HCS query advances the clock by this (a slow HCS)
	snapCalls int
	statCalls int
	hcsCalls  int
}

const (
	fakeTotal = 32 << 30
	fakeAvail = 12 << 30
)

func (f *fakeOS) deps(suffix bool) *hostDeps {
	d := &hostDeps{
		now:             func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now },
		ncpu:            f.ncpu,
		suffixSupported: suffix,
		snapshot: func(ctx context.Context) ([]procInfo, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.snapCalls++
			if f.snapErr != nil {
				return nil, f.snapErr
			}
			return append([]procInfo(nil), f.procs...), nil
		},
		procStat: func(pid uint32) (procInfo, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.statCalls++
			if err := f.statErr[pid]; err != nil {
				return procInfo{}, err
			}
			p, ok := f.stat[pid]
			if !ok {
				return procInfo{}, fmt.Errorf("OpenProcess %d: %w", pid, errnoInvalidParameter)
			}
			p.Name = ""
			return p, nil
		},
		hostMem: func(ctx context.Context) (uint64, uint64, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.memErr != nil {
				return 0, 0, f.memErr
			}
			return fakeTotal, fakeAvail, nil
		},
	}
	if f.hcs != nil || f.hcsErr != nil {
		// The wait never times out: a sample waits for a query it starts unless the last one
		// took longer than hcsWait by the fake clock (hcsDelay).
		d.hcsWait = hcsWaitDefault
		d.after = func(time.Duration) <-chan time.Time { return nil }
		d.hcs = func(ctx context.Context) (hcsReading, error) {
			f.mu.Lock()
			block := f.hcsBlock
			f.mu.Unlock()
			if block != nil {
				<-block
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			f.now = f.now.Add(f.hcsDelay)
			f.hcsCalls++
			if f.hcsErr != nil {
				return hcsReading{}, f.hcsErr
			}
			return *f.hcs, nil
		}
	}
	return d
}

func (f *fakeOS) advance(d time.Duration) { f.mu.Lock(); f.now = f.now.Add(d); f.mu.Unlock() }

// setVM makes pid the running process name with the given counters, in both the listing and
// the per-pid view.
func (f *fakeOS) setVM(pid uint32, name string, created int64, ws, cpu uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := procInfo{PID: pid, Name: name, Created: created, WorkingSet: ws, CPU100ns: cpu}
	f.procs = []procInfo{{PID: 4, Name: "System"}, p, {PID: 800, Name: "explorer.exe"}}
	if f.stat == nil {
		f.stat = map[uint32]procInfo{}
	}
	f.stat = map[uint32]procInfo{pid: p}
}

func (f *fakeOS) stopVM() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.procs = []procInfo{{PID: 4, Name: "System"}}
	f.stat = nil
}

func newFake() *fakeOS {
	return &fakeOS{now: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), ncpu: 8}
}

func mustSample(t *testing.T, h *Host) *backend.HostView {
	t.Helper()
	hv, err := h.Sample(context.Background())
	if err != nil {
		t.Fatalf("Sample: %v", err)
	}
	if hv == nil {
		t.Fatal("Sample: nil HostView")
	}
	if strings.Contains(hv.Note, "\n") {
		t.Fatalf("Note has several lines: %q", hv.Note)
	}
	return hv
}

const sec100ns = 10_000_000

// cpuOf is the host view's CPU, NaN when unknown (so no comparison with a number passes).
func cpuOf(hv *backend.HostView) float64 {
	if hv.VMCPUPercent == nil {
		return math.NaN()
	}
	return *hv.VMCPUPercent
}

func TestHostHCSDeniedUsesProcess(t *testing.T) {
	f := newFake()
	f.hcsErr = &tagged{err: errors.New("hcs::GetComputeSystems: Access is denied."), tag: errnoAccessDenied}
	f.setVM(2156, "vmmemWSL", 111, 6<<30, 100*sec100ns)
	h := newHostWith(f.deps(true))

	hv := mustSample(t, h)
	want := backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 6 << 30, TotalBytes: fakeTotal, AvailableBytes: fakeAvail,
		Note: "HCS statistics need an elevated prompt; showing vmmemWSL only"}
	if !reflect.DeepEqual(*hv, want) {
		t.Fatalf("first sample\n got %+v\nwant %+v", *hv, want)
	}

	// One second later the VM used two cores' worth: 2/8 of the host.
	f.advance(time.Second)
	f.setVM(2156, "vmmemWSL", 111, 7<<30, 102*sec100ns)
	hv = mustSample(t, h)
	if math.Abs(cpuOf(hv)-25) > 1e-9 || hv.VMProcessBytes != 7<<30 {
		t.Fatalf("second sample: %+v", *hv)
	}
	if f.hcsCalls != 1 {
		t.Errorf("HCS asked %d times after a denial, want 1", f.hcsCalls)
	}
	if f.snapCalls != 1 || f.statCalls != 1 {
		t.Errorf("listing %d times, per-pid %d times; want 1 and 1 (pid cached)", f.snapCalls, f.statCalls)
	}
}

func TestHostNotRunningThrottlesListing(t *testing.T) {
	f := newFake()
	f.stopVM()
	h := newHostWith(f.deps(true))
	for i := range 3 {
		hv := mustSample(t, h)
		want := backend.HostView{TotalBytes: fakeTotal, AvailableBytes: fakeAvail, Note: noteNotRunning}
		if !reflect.DeepEqual(*hv, want) {
			t.Fatalf("sample %d: %+v", i, *hv)
		}
		f.advance(time.Second)
	}
	if f.snapCalls != 1 {
		t.Fatalf("listed %d times within %v, want 1", f.snapCalls, rescanEvery)
	}
	// The VM starts; it is seen at the next rescan.
	f.setVM(3000, "vmmemWSL", 5, 1<<30, 0)
	hv := mustSample(t, h) // t = 3 s after the first listing
	if hv.VMProcess != "vmmemWSL" || hv.Note != "" || f.snapCalls != 2 {
		t.Fatalf("after start: %+v, %d listings", *hv, f.snapCalls)
	}
}

func TestHostVMRestartRefindsPid(t *testing.T) {
	f := newFake()
	f.setVM(100, "vmmemWSL", 1, 1<<30, 50*sec100ns)
	h := newHostWith(f.deps(true))
	mustSample(t, h)
	f.advance(time.Second)
	mustSample(t, h)

	// wsl --shutdown and a new boot: another pid, counters from zero.
	f.setVM(200, "vmmemWSL", 2, 2<<30, sec100ns)
	f.advance(time.Second)
	hv := mustSample(t, h)
	if hv.VMProcessBytes != 2<<30 || hv.VMCPUPercent != nil {
		t.Fatalf("after restart: %+v (CPU must be unknown until a second reading of the new VM)", *hv)
	}
	f.setVM(200, "vmmemWSL", 2, 2<<30, 5*sec100ns)
	f.advance(time.Second)
	hv = mustSample(t, h)
	if math.Abs(cpuOf(hv)-50) > 1e-9 {
		t.Fatalf("CPU after restart = %v, want 50", cpuOf(hv))
	}
}

func TestHostPidReuseDetected(t *testing.T) {
	f := newFake()
	f.setVM(100, "vmmemWSL", 1, 1<<30, 0)
	h := newHostWith(f.deps(true))
	mustSample(t, h)
	// pid 100 now belongs to another process (other creation time) and the VM is gone.
	f.mu.Lock()
	f.stat = map[uint32]procInfo{100: {PID: 100, Created: 99, WorkingSet: 5}}
	f.procs = []procInfo{{PID: 100, Name: "notepad.exe", Created: 99}}
	f.mu.Unlock()
	f.advance(time.Second)
	hv := mustSample(t, h)
	if hv.VMProcess != "" || hv.Note != noteNotRunning {
		t.Fatalf("reused pid taken for the VM: %+v", *hv)
	}
}

func TestHostOpenProcessDeniedFallsBackToListing(t *testing.T) {
	f := newFake()
	f.setVM(100, "vmmemWSL", 1, 3<<30, 0)
	f.statErr = map[uint32]error{100: fmt.Errorf("OpenProcess 100: %w", errnoAccessDenied)}
	h := newHostWith(f.deps(true))
	mustSample(t, h) // found by listing
	f.advance(time.Second)
	mustSample(t, h) // per-pid denied -> listing
	f.advance(time.Second)
	f.setVM(100, "vmmemWSL", 1, 4<<30, 8*sec100ns)
	hv := mustSample(t, h)
	if hv.VMProcess != "vmmemWSL" || hv.VMProcessBytes != 4<<30 || math.Abs(cpuOf(hv)-100) > 1e-9 || hv.Note != "" {
		t.Fatalf("listing fallback: %+v", *hv)
	}
	if f.statCalls != 1 {
		t.Errorf("per-pid queried %d times after a denial, want 1", f.statCalls)
	}
	if f.snapCalls != 3 {
		t.Errorf("listed %d times, want 3 (every sample once denied)", f.snapCalls)
	}
}

func TestHostHCSStatistics(t *testing.T) {
	f := newFake()
	t0 := f.now
	f.setVM(100, "vmmemWSL", 1, 3<<30, 0)
	f.hcs = &hcsReading{VMs: []hcsVM{{ID: "EED44DAF-4F7E-4CF5-82FD-F9C8EBF8DB82",
		Stats: hcsStatistics{Timestamp: t0, ProcessorTotal100ns: 10 * sec100ns}}}}
	h := newHostWith(f.deps(true))
	hv := mustSample(t, h)
	if hv.VMCPUPercent != nil || hv.Note != "" || hv.VMProcessBytes != 3<<30 {
		t.Fatalf("first: %+v (one reading gives no rate: CPU unknown, not 0)", *hv)
	}
	// HCS's own timestamps (2 s apart) are used, not the sampler's clock (1 s).
	f.advance(time.Second)
	f.mu.Lock()
	f.hcs.VMs[0].Stats = hcsStatistics{Timestamp: t0.Add(2 * time.Second), ProcessorTotal100ns: 14 * sec100ns}
	f.mu.Unlock()
	f.setVM(100, "vmmemWSL", 1, 3<<30, 8*sec100ns) // process says 100%: must be ignored
	hv = mustSample(t, h)
	if math.Abs(cpuOf(hv)-25) > 1e-9 {
		t.Fatalf("HCS CPU = %v, want 25", cpuOf(hv))
	}
}

func TestHostHCSMemoryFallback(t *testing.T) {
	f := newFake()
	f.setVM(100, "vmmemWSL", 1, 3<<30, 0)
	f.hcs = &hcsReading{VMs: []hcsVM{{ID: "A", Stats: hcsStatistics{MemoryPrivateWorkingSetBytes: 5 << 30}}}}
	h := newHostWith(f.deps(true))
	mustSample(t, h)
	f.statErr = map[uint32]error{}
	f.statErr[100] = errors.New("GetProcessMemoryInfo 100: Only part of a ReadProcessMemory request was completed.")
	hv := mustSample(t, h)
	if hv.VMProcess != "vmmemWSL" || hv.VMProcessBytes != 5<<30 || !strings.HasPrefix(hv.Note, "cannot read vmmemWSL: GetProcessMemoryInfo") {
		t.Fatalf("fallback: %+v", *hv)
	}
}

func TestHostWindows10(t *testing.T) {
	t.Run("vmmem with HCS denied", func(t *testing.T) {
		f := newFake()
		f.hcsErr = fmt.Errorf("hcs::GetComputeSystems: %w", errnoAccessDenied)
		f.setVM(100, "vmmem", 1, 3<<30, 0)
		hv := mustSample(t, newHostWith(f.deps(false)))
		if hv.VMProcess != "vmmem" || hv.Note != "HCS statistics need an elevated prompt; showing vmmem only" {
			t.Fatalf("%+v", *hv)
		}
	})
	t.Run("vmmem of another VM while HCS lists no WSL VM", func(t *testing.T) {
		f := newFake()
		f.hcs = &hcsReading{}
		f.setVM(100, "vmmem", 1, 3<<30, 0)
		hv := mustSample(t, newHostWith(f.deps(false)))
		if hv.VMProcess != "" || hv.Note != noteNotRunning {
			t.Fatalf("%+v", *hv)
		}
	})
	t.Run("vmmem ignored on Windows 11", func(t *testing.T) {
		f := newFake()
		f.setVM(100, "vmmem", 1, 3<<30, 0)
		hv := mustSample(t, newHostWith(f.deps(true)))
		if hv.VMProcess != "" || hv.Note != noteNotRunning {
			t.Fatalf("%+v", *hv)
		}
	})
	t.Run("several vmmem", func(t *testing.T) {
		f := newFake()
		f.procs = []procInfo{{PID: 1, Name: "vmmem"}, {PID: 2, Name: "vmmem"}}
		hv := mustSample(t, newHostWith(f.deps(false)))
		if hv.VMProcess != "" || hv.Note != "several vmmem processes; cannot tell which is WSL's" {
			t.Fatalf("%+v", *hv)
		}
	})
}

func TestHostHCSErrors(t *testing.T) {
	t.Run("transient is retried", func(t *testing.T) {
		f := newFake()
		f.hcsErr = errors.New("hcs::GetComputeSystems: The RPC server is unavailable.\nmore detail")
		f.setVM(100, "vmmemWSL", 1, 1, 0)
		h := newHostWith(f.deps(true))
		hv := mustSample(t, h)
		mustSample(t, h)
		if hv.Note != "HCS statistics failed: hcs::GetComputeSystems: The RPC server is unavailable.; showing vmmemWSL only" || f.hcsCalls != 2 {
			t.Fatalf("%q after %d calls", hv.Note, f.hcsCalls)
		}
	})
	t.Run("missing vmcompute.dll is permanent", func(t *testing.T) {
		f := newFake()
		f.hcsErr = fmt.Errorf("hcs::GetComputeSystems: %w", errnoModNotFound)
		f.setVM(100, "vmmemWSL", 1, 1, 0)
		h := newHostWith(f.deps(true))
		mustSample(t, h)
		hv := mustSample(t, h)
		if hv.Note != noteHCSMissing+"; showing vmmemWSL only" || f.hcsCalls != 1 {
			t.Fatalf("%q after %d calls", hv.Note, f.hcsCalls)
		}
	})
	t.Run("transient naming vmcompute.dll is retried", func(t *testing.T) {
		f := newFake()
		f.hcsErr = errors.New("hcs::GetComputeSystems: The RPC server is unavailable.: [Event Detail: vmcompute.dll could not reach the service]")
		f.setVM(100, "vmmemWSL", 1, 1, 0)
		h := newHostWith(f.deps(true))
		mustSample(t, h)
		hv := mustSample(t, h)
		if !strings.HasPrefix(hv.Note, "HCS statistics failed: ") || f.hcsCalls != 2 {
			t.Fatalf("%q after %d calls", hv.Note, f.hcsCalls)
		}
	})
	t.Run("HCS_E_ACCESS_DENIED is permanent", func(t *testing.T) {
		f := newFake()
		f.hcsErr = fmt.Errorf("hcs::GetComputeSystems: %w", syscall.Errno(0x8037011b))
		f.setVM(100, "vmmemWSL", 1, 1, 0)
		h := newHostWith(f.deps(true))
		mustSample(t, h)
		hv := mustSample(t, h)
		if hv.Note != noteHCSDenied+"; showing vmmemWSL only" || f.hcsCalls != 1 {
			t.Fatalf("%q after %d calls", hv.Note, f.hcsCalls)
		}
	})
	t.Run("open denied per VM is permanent", func(t *testing.T) {
		f := newFake()
		f.hcs = &hcsReading{VMs: []hcsVM{{ID: "A", Err: tag(errors.New("hcs::OpenComputeSystem A: Access is denied."), errDenied)}}}
		f.setVM(100, "vmmemWSL", 1, 1, 0)
		h := newHostWith(f.deps(true))
		hv := mustSample(t, h)
		mustSample(t, h)
		if hv.Note != noteHCSDenied+"; showing vmmemWSL only" || f.hcsCalls != 1 {
			t.Fatalf("%q after %d calls", hv.Note, f.hcsCalls)
		}
	})
	t.Run("VM gone between list and open", func(t *testing.T) {
		f := newFake()
		f.hcs = &hcsReading{VMs: []hcsVM{{ID: "A", Err: tag(errors.New("gone"), errGone)}}}
		f.stopVM()
		hv := mustSample(t, newHostWith(f.deps(true)))
		if hv.Note != noteNotRunning {
			t.Fatalf("%+v", *hv)
		}
	})
	t.Run("HCS runs a VM the listing cannot see", func(t *testing.T) {
		f := newFake()
		f.hcs = &hcsReading{VMs: []hcsVM{{ID: "A"}}}
		f.stopVM()
		h := newHostWith(f.deps(true))
		hv := mustSample(t, h)
		mustSample(t, h)
		if hv.VMProcess != "" || hv.Note != "the VM's host process (vmmemWSL) was not found" {
			t.Fatalf("%+v", *hv)
		}
		if f.snapCalls != 2 {
			t.Errorf("listed %d times; HCS saying the VM runs must bypass the throttle", f.snapCalls)
		}
	})
}

func TestHostDegraded(t *testing.T) {
	t.Run("host memory error", func(t *testing.T) {
		f := newFake()
		f.memErr = errors.New("GlobalMemoryStatusEx failed")
		f.setVM(100, "vmmemWSL", 1, 1<<30, 0)
		hv := mustSample(t, newHostWith(f.deps(true)))
		if hv.TotalBytes != 0 || hv.VMProcessBytes != 1<<30 || hv.Note != "host memory unavailable: GlobalMemoryStatusEx failed" {
			t.Fatalf("%+v", *hv)
		}
	})
	t.Run("listing fails", func(t *testing.T) {
		f := newFake()
		f.snapErr = errors.New("NtQuerySystemInformation: boom")
		hv := mustSample(t, newHostWith(f.deps(true)))
		if hv.VMProcess != "" || hv.Note != "cannot list host processes: NtQuerySystemInformation: boom" || hv.TotalBytes != fakeTotal {
			t.Fatalf("%+v", *hv)
		}
	})
	t.Run("listing fails, HCS says stopped", func(t *testing.T) {
		f := newFake()
		f.hcs = &hcsReading{}
		f.snapErr = errors.New("boom")
		hv := mustSample(t, newHostWith(f.deps(true)))
		if hv.Note != noteNotRunning {
			t.Fatalf("%+v", *hv)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		f := newFake()
		h := newHostWith(f.deps(true))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if hv, err := h.Sample(ctx); hv != nil || !errors.Is(err, context.Canceled) {
			t.Fatalf("%v, %v", hv, err)
		}
		// HCS runs with its own context: one of its context errors is no answer, not the sample's.
		f.hcsErr = context.DeadlineExceeded
		f.setVM(100, "vmmemWSL", 1, 1, 0)
		h = newHostWith(f.deps(true))
		if hv, err := h.Sample(context.Background()); err != nil || hv.Note != "" || hv.VMProcess != "vmmemWSL" {
			t.Fatalf("HCS context error: %+v, %v", hv, err)
		}
	})
	t.Run("closed", func(t *testing.T) {
		f := newFake()
		h := newHostWith(f.deps(true))
		if err := h.Close(); err != nil {
			t.Fatal(err)
		}
		if err := h.Close(); err != nil {
			t.Fatal("second Close:", err)
		}
		if hv, err := h.Sample(context.Background()); hv != nil || err == nil {
			t.Fatalf("after Close: %v, %v", hv, err)
		}
	})
}

func TestHostConcurrentSamples(t *testing.T) {
	f := newFake()
	f.setVM(100, "vmmemWSL", 1, 1<<30, 0)
	h := newHostWith(f.deps(true))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			hv, err := h.Sample(context.Background())
			if err != nil || hv.VMProcess != "vmmemWSL" {
				errs <- fmt.Errorf("%+v, %v", hv, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestErrorClassification(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		note      string
		permanent bool
	}{
		{"nil", nil, "", false},
		{"errno 5", syscall.Errno(5), noteHCSDenied, true},
		{"wrapped errno 5", fmt.Errorf("hcs::GetComputeSystems: %w", syscall.Errno(5)), noteHCSDenied, true},
		{"E_ACCESSDENIED", syscall.Errno(0x80070005), noteHCSDenied, true},
		{"tagged", tag(errors.New("x"), errDenied), noteHCSDenied, true},
		{"mod not found", syscall.Errno(126), noteHCSMissing, true},
		{"proc not found", fmt.Errorf("%w", syscall.Errno(127)), noteHCSMissing, true},
		{"DLLError", fmt.Errorf("hcs::GetComputeSystems: %w", &dllError{msg: "Failed to load vmcompute.dll: The specified module could not be found.", err: syscall.Errno(126)}), noteHCSMissing, true},
		// A transient HCS failure whose event text names the DLL is not a missing DLL.
		{"transient naming vmcompute.dll", errors.New("hcs::OpenComputeSystem A: The RPC server is unavailable. (vmcompute.dll!HcsRpc_OpenSystem)"),
			"HCS statistics failed: hcs::OpenComputeSystem A: The RPC server is unavailable. (vmcompute.dll!HcsRpc_OpenSystem)", false},
		{"HCS_E_ACCESS_DENIED", fmt.Errorf("hcs::GetComputeSystems: %w", syscall.Errno(0x8037011b)), noteHCSDenied, true},
		{"other", errors.New("hcs::X: bad\nsecond line"), "HCS statistics failed: hcs::X: bad", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			note, perm := classifyHCSError(c.err)
			if note != c.note || perm != c.permanent {
				t.Fatalf("got %q %v, want %q %v", note, perm, c.note, c.permanent)
			}
		})
	}
	if !isGone(fmt.Errorf("OpenProcess: %w", syscall.Errno(87))) || !isGone(syscall.Errno(0xc037010e)) ||
		!isGone(syscall.Errno(0x490)) || isGone(syscall.Errno(5)) || isGone(nil) {
		t.Error("isGone misclassifies")
	}
	if got := processNote("vmmemWSL", syscall.Errno(5)); got != "cannot read vmmemWSL (access denied; try an elevated prompt)" {
		t.Errorf("processNote = %q", got)
	}
	if got := processNote("", errors.New("x")); got != "cannot read the VM process: x" {
		t.Errorf("processNote = %q", got)
	}
	if tag(nil, errDenied) != nil {
		t.Error("tag(nil) is not nil")
	}
}

// dllError is shaped like x/sys/windows.DLLError: its own message, unwrapping to the errno.
type dllError struct {
	msg string
	err error
}

func (e *dllError) Error() string { return e.msg }
func (e *dllError) Unwrap() error { return e.err }

func TestFirstLine(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	cases := map[string]string{
		"":             "unknown error",
		"\n\n  x  \ny": "x",
		"one":          "one",
		long:           strings.Repeat("é", 80) + "…",
		"  \t\n":       "unknown error",
	}
	for in, want := range cases {
		if got := firstLine(in); got != want {
			t.Errorf("firstLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestZeroHostFails(t *testing.T) {
	var h Host
	if hv, err := h.Sample(context.Background()); hv != nil || err == nil {
		t.Fatalf("zero Host: %v, %v", hv, err)
	}
}

// WSL containers (WSLC) and other HCS systems run their own VMs, whose host processes are
// vmmemwslc-* or vmmem<session name> (wsl-facts §10.6): never the WSL VM, never summed into it,
// shown apart.
func TestHostOtherVMsShownApart(t *testing.T) {
	wslc := procInfo{PID: 700, Name: "vmmemwslc-7f3a", Created: 9, WorkingSet: 2 << 30}
	session := procInfo{PID: 701, Name: "vmmemMySession.exe", Created: 9, WorkingSet: 1 << 30}
	apart := []backend.VMProcess{{Process: "vmmemMySession", Bytes: 1 << 30}, {Process: "vmmemwslc-7f3a", Bytes: 2 << 30}}
	for _, suffix := range []bool{true, false} {
		t.Run(fmt.Sprintf("suffix=%v only WSLC", suffix), func(t *testing.T) {
			f := newFake()
			f.procs = []procInfo{{PID: 4, Name: "System"}, wslc, session}
			hv := mustSample(t, newHostWith(f.deps(suffix)))
			want := backend.HostView{TotalBytes: fakeTotal, AvailableBytes: fakeAvail, Note: noteNotRunning, OtherVMs: apart}
			if !reflect.DeepEqual(*hv, want) {
				t.Fatalf("\n got %+v\nwant %+v", *hv, want)
			}
		})
	}
	t.Run("beside vmmemWSL", func(t *testing.T) {
		f := newFake()
		f.setVM(2156, "vmmemWSL", 111, 6<<30, 0)
		f.procs = append(f.procs, wslc)
		h := newHostWith(f.deps(true))
		hv := mustSample(t, h)
		want := backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 6 << 30, TotalBytes: fakeTotal, AvailableBytes: fakeAvail,
			OtherVMs: apart[1:]}
		if !reflect.DeepEqual(*hv, want) {
			t.Fatalf("\n got %+v\nwant %+v", *hv, want)
		}
		// The VM's pid is cached, so there is no listing every second; the others are looked
		// for again after othersEvery.
		f.mu.Lock()
		f.procs = append(f.procs, session)
		f.mu.Unlock()
		f.advance(time.Second)
		if hv = mustSample(t, h); !reflect.DeepEqual(hv.OtherVMs, apart[1:]) || f.snapCalls != 1 {
			t.Fatalf("1 s later: %+v after %d listings", hv.OtherVMs, f.snapCalls)
		}
		f.advance(othersEvery)
		if hv = mustSample(t, h); !reflect.DeepEqual(hv.OtherVMs, apart) || f.snapCalls != 2 || hv.VMProcessBytes != 6<<30 {
			t.Fatalf("after %v: %+v after %d listings", othersEvery, *hv, f.snapCalls)
		}
	})
	t.Run("Windows 10: vmmem is WSL's, vmmemwslc apart", func(t *testing.T) {
		f := newFake()
		f.setVM(100, "vmmem", 1, 3<<30, 0)
		f.procs = append(f.procs, wslc)
		hv := mustSample(t, newHostWith(f.deps(false)))
		if hv.VMProcess != "vmmem" || hv.VMProcessBytes != 3<<30 || !reflect.DeepEqual(hv.OtherVMs, apart[1:]) {
			t.Fatalf("%+v", *hv)
		}
	})
}

// Two VMs with owner WSL: neither's statistics are WSL's, even when one of them cannot be read
// (counting only the readable ones would leave one, and show its CPU as WSL's).
func TestHostTwoOwnerWSLVMsNotGuessed(t *testing.T) {
	for _, c := range []struct {
		name string
		errB error
		note string
	}{
		{"both read", nil, noteHCSSeveral + "; showing vmmemWSL only"},
		{"one fails", errors.New("hcs::System::Properties B: The RPC server is unavailable."),
			"HCS statistics failed: hcs::System::Properties B: The RPC server is unavailable.; showing vmmemWSL only"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake()
			f.setVM(100, "vmmemWSL", 1, 3<<30, 0)
			f.hcs = &hcsReading{VMs: []hcsVM{
				{ID: "A", Stats: hcsStatistics{Timestamp: f.now, ProcessorTotal100ns: 0}},
				{ID: "B", Err: c.errB},
			}}
			h := newHostWith(f.deps(true))
			mustSample(t, h)
			f.advance(time.Second)
			f.mu.Lock()
			f.hcs.VMs[0].Stats = hcsStatistics{Timestamp: f.now, ProcessorTotal100ns: 8 * sec100ns} // 100% if taken
			f.mu.Unlock()
			f.setVM(100, "vmmemWSL", 1, 3<<30, 0) // the process itself used no CPU
			hv := mustSample(t, h)
			if cpuOf(hv) != 0 || hv.Note != c.note {
				t.Fatalf("CPU %v, note %q; want the process's 0 and %q", cpuOf(hv), hv.Note, c.note)
			}
		})
	}
	t.Run("one gone is not a candidate", func(t *testing.T) {
		f := newFake()
		f.setVM(100, "vmmemWSL", 1, 3<<30, 0)
		f.hcs = &hcsReading{VMs: []hcsVM{{ID: "A"}, {ID: "B", Err: tag(errors.New("gone"), errGone)}}}
		if _, ok := f.hcs.usable(); !ok || f.hcs.ambiguous() {
			t.Fatal("a gone VM counted as a candidate")
		}
	})
}

// A slow HCS runs beside the samples: after a query that took longer than hcsWait no sample
// waits for HCS again; each shows the last answer, its CPU figure kept, with its age.
func TestHostSlowHCSDoesNotStallSamples(t *testing.T) {
	f := newFake()
	t0 := f.now
	f.setVM(100, "vmmemWSL", 1, 3<<30, 0)
	f.hcs = &hcsReading{VMs: []hcsVM{{ID: "A", Stats: hcsStatistics{Timestamp: t0, ProcessorTotal100ns: 0}}}}
	f.hcsDelay = 5 * time.Second // the first query takes 5 s; this sample waits for it
	h := newHostWith(f.deps(true))
	defer h.Close()
	hv := mustSample(t, h)
	if hv.Note != "" || f.hcsCalls != 1 {
		t.Fatalf("first: %+v after %d queries", *hv, f.hcsCalls)
	}

	// The second query answers with new counters (25%) once released, and is slow too.
	f.mu.Lock()
	f.hcsBlock = make(chan struct{}) // and takes 5 s once released
	f.hcs = &hcsReading{VMs: []hcsVM{{ID: "A", Stats: hcsStatistics{Timestamp: t0.Add(2 * time.Second), ProcessorTotal100ns: 4 * sec100ns}}}}
	f.mu.Unlock()
	f.advance(time.Second)
	// The first query was slow, so this sample does not wait (waiting would hang here).
	hv = mustSample(t, h)
	if hv.VMCPUPercent != nil || hv.Note != "" || hv.VMProcess != "vmmemWSL" {
		t.Fatalf("while HCS is busy (one answer, no rate yet: unknown): %+v", *hv)
	}
	f.advance(2 * time.Second) // the first answer is now 3 s old
	hv = mustSample(t, h)
	if hv.Note != "HCS figures from 3s ago (HCS is slow)" {
		t.Fatalf("old answer: %q", hv.Note)
	}
	f.hcsBlock <- struct{}{}
	h.poll.settle()
	hv = mustSample(t, h) // starts a third query (blocked), shows the second answer at once
	if math.Abs(cpuOf(hv)-25) > 1e-9 || hv.Note != "" {
		t.Fatalf("second answer: %+v", *hv)
	}
	f.advance(time.Second)
	if hv = mustSample(t, h); math.Abs(cpuOf(hv)-25) > 1e-9 || f.hcsCalls != 2 {
		t.Fatalf("same answer again: CPU %v (kept, not 0) after %d queries", cpuOf(hv), f.hcsCalls)
	}
	close(f.hcsBlock)
	h.poll.settle()
}
