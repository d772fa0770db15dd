package winhost

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// rescanEvery is how often the process list is searched again while no VM process is known
// (VM stopped, or several candidates), so an idle dashboard does not list every process every
// second.
const rescanEvery = 3 * time.Second

// othersEvery is how often the process list is searched for other VMs' host processes (WSL
// containers, other HCS systems) while the WSL VM's own process is known by its pid.
const othersEvery = 30 * time.Second

// hostDeps are the operating-system calls Host uses. The Windows build fills them with real
// calls; tests fill them with fakes.
type hostDeps struct {
	now             func() time.Time
	ncpu            int  // logical processors of the host
	suffixSupported bool // vmmemSuffixSupported for this Windows build
	// snapshot lists every process without opening any (names, working sets, CPU times).
	snapshot func(ctx context.Context) ([]procInfo, error)
	// procStat reads one process (working set, CPU time, creation time; Name left empty).
	procStat func(pid uint32) (procInfo, error)
	// hostMem is the host's total and available physical memory.
	hostMem func(ctx context.Context) (total, avail uint64, err error)
	// hcs lists the WSL VMs and reads their statistics; nil means HCS is never asked. It runs
	// off the sample path (hcsPoller), at most one call at a time.
	hcs func(ctx context.Context) (hcsReading, error)
	// hcsWait is how long a sample waits for the HCS query it starts (hcsWaitDefault).
	hcsWait time.Duration
	after   func(time.Duration) <-chan time.Time // nil: time.After
}

// Host samples the Windows host's view of the WSL VM. Its methods are safe for concurrent use;
// samples are taken one at a time.
type Host struct {
	mu          sync.Mutex
	d           *hostDeps // nil when unsupported
	unsupported error
	closed      bool

	vm         procInfo // the VM process last found (valid when haveVM)
	haveVM     bool
	procDenied bool // opening the VM process was refused: use the handle-free listing
	lastScan   time.Time
	lastPick   pickResult // result of the last listing; pickFound forces no throttling
	scanned    bool

	others   []backend.VMProcess // other VMs' host processes at the last listing
	othersAt time.Time           // when they were listed (zero: never)

	hcsOff   string     // why HCS is no longer asked ("" = ask)
	poll     *hcsPoller // nil when HCS is never asked
	hcsSeq   uint64     // the HCS answer the CPU figure below was computed from
	hcsCPU   *float64
	prevProc cpuMark
	prevHCS  cpuMark
}

// NewHost makes a sampler for this host. On systems other than Windows, Sample returns
// (nil, *backend.Error{Kind: KindUnsupported}).
func NewHost() *Host {
	d, err := newHostDeps()
	if err != nil {
		return &Host{unsupported: err}
	}
	return newHostWith(d)
}

func newHostWith(d *hostDeps) *Host {
	h := &Host{d: d}
	if d.hcs != nil {
		h.poll = newHCSPoller(d.hcs, d.now, d.hcsWait, d.after)
	}
	return h
}

// Close releases the sampler. Sample after Close returns an error. Close is idempotent.
func (h *Host) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	if h.poll != nil {
		h.poll.close()
	}
	return nil
}

// Sample takes one observation: the VM process ("vmmemWSL", or "vmmem" on Windows 10) and its
// working set, the host's total and available memory, and the VM's CPU use as a percentage of
// the whole host (from HCS when it may be used, otherwise from the VM process's CPU times; the
// first reading is 0). Other VMs' host processes (WSL containers' vmmemwslc-*, vmmem<session>)
// go to OtherVMs, never into the VM's figures. Anything that cannot be read is left zero and HostView.Note says why in
// one line; when the VM is not running VMProcess is "" and Note is "the WSL VM is not running".
// An error is returned only for a cancelled context, a closed Host, or a system other than
// Windows (KindUnsupported, with a nil HostView).
func (h *Host) Sample(ctx context.Context) (*backend.HostView, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.d == nil {
		if h.unsupported == nil {
			return nil, &backend.Error{Kind: backend.KindFailed, Op: "host sample", Message: "winhost.Host must be made with NewHost"}
		}
		return nil, h.unsupported
	}
	if h.closed {
		return nil, &backend.Error{Kind: backend.KindFailed, Op: "host sample", Message: "the host sampler is closed"}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := h.d.now()
	hv := &backend.HostView{}
	var notes []string

	total, avail, err := h.d.hostMem(ctx)
	switch {
	case err == nil:
		hv.TotalBytes, hv.AvailableBytes = total, avail
	case isContextErr(err):
		return nil, err
	default:
		notes = append(notes, "host memory unavailable: "+firstLine(err.Error()))
	}

	// HCS first: when it answers, it says whether the WSL VM runs at all.
	// The answer may be from an earlier query when HCS is slow: it is used with its age.
	var hr hcsReading
	var ha hcsAnswer
	hcsKnown := false
	hcsNote := h.hcsOff
	if hcsNote == "" && h.poll != nil {
		a, err := h.poll.latest(ctx)
		if err != nil {
			return nil, err
		}
		ha = a
		err = a.err
		if a.seq != 0 && err == nil {
			hr, hcsKnown = a.r, true
			err = hr.firstErr()
		}
		if err != nil {
			note, permanent := classifyHCSError(err)
			hcsNote = note
			if permanent {
				h.hcsOff = note
				h.poll.close()
			}
		}
	}
	hcsRunning := hcsKnown && hr.running() > 0

	p, res, statsOK, perr := h.findVM(ctx, now, hcsRunning)
	if isContextErr(perr) {
		return nil, perr
	}
	if h.othersAt.IsZero() || now.Sub(h.othersAt) >= othersEvery {
		// findVM did not list just now (the VM's pid is cached): list for the others.
		procs, err := h.d.snapshot(ctx)
		if isContextErr(err) {
			return nil, err
		}
		h.others, h.othersAt = otherVMProcesses(procs), now
	}
	hv.OtherVMs = append([]backend.VMProcess(nil), h.others...)
	name := imageBase(p.Name)
	running := false
	switch {
	case res == pickFound && (name == VMProcessWSL || !hcsKnown || hcsRunning):
		// A plain "vmmem" while HCS lists no WSL VM belongs to another Hyper-V VM.
		running = true
		hv.VMProcess = name
		if statsOK {
			hv.VMProcessBytes = p.WorkingSet
		} else if perr != nil {
			notes = append(notes, processNote(name, perr))
		}
	case res == pickAmbiguous:
		running = !hcsKnown || hcsRunning
		if running {
			notes = append(notes, "several "+h.expectedName()+" processes; cannot tell which is WSL's")
		}
	case perr != nil:
		running = hcsRunning
		notes = append(notes, "cannot list host processes: "+firstLine(perr.Error()))
		if !hcsKnown {
			// Nothing says whether the VM runs; report what is known without claiming it stopped.
			return finish(hv, notes), nil
		}
	default:
		running = hcsRunning
		if running {
			notes = append(notes, "the VM's host process ("+h.expectedName()+") was not found")
		}
	}
	if !running {
		hv.VMProcess, hv.VMProcessBytes, hv.VMCPUPercent = "", 0, nil
		hv.Note = noteNotRunning
		return hv, nil
	}

	// CPU: HCS's counter when readable, else the VM process's own CPU times.
	// A first reading (or one of another counter) gives no rate: the figure stays nil, not 0.
	var procCPU *float64
	if hv.VMProcess != "" && statsOK {
		m := cpuMark{At: now, Busy: p.CPU100ns, Key: "pid:" + strconv.FormatUint(uint64(p.PID), 10) + ":" + strconv.FormatInt(p.Created, 10)}
		if pct, ok := cpuRate(h.prevProc, m, h.d.ncpu); ok {
			procCPU = &pct
		}
		h.prevProc = m
	}
	if vm, ok := hr.usable(); ok {
		if ha.seq != h.hcsSeq { // a new answer; an old one keeps the figure it gave
			m := vm.cpuMark(ha.at)
			h.hcsCPU = nil
			if pct, ok := cpuRate(h.prevHCS, m, h.d.ncpu); ok {
				h.hcsCPU = &pct
			}
			h.prevHCS, h.hcsSeq = m, ha.seq
		}
		hv.VMCPUPercent = h.hcsCPU
		if hv.VMProcess != "" && hv.VMProcessBytes == 0 {
			hv.VMProcessBytes = vm.Stats.MemoryPrivateWorkingSetBytes
		}
		if age := now.Sub(ha.at); age >= hcsStaleAfter {
			notes = append(notes, "HCS figures from "+age.Round(time.Second).String()+" ago (HCS is slow)")
		}
	} else {
		hv.VMCPUPercent = procCPU
		if hcsNote == "" && hr.ambiguous() {
			hcsNote = noteHCSSeveral
		}
		if hcsNote != "" {
			if hv.VMProcess != "" && statsOK {
				hcsNote += "; showing " + hv.VMProcess + " only"
			}
			notes = append(notes, hcsNote)
		}
	}
	return finish(hv, notes), nil
}

func finish(hv *backend.HostView, notes []string) *backend.HostView {
	hv.Note = strings.Join(notes, "; ")
	return hv
}

func (h *Host) expectedName() string {
	if h.d.suffixSupported {
		return VMProcessWSL
	}
	return VMProcessLegacy
}

// findVM returns the VM process: first by re-reading the cached pid (one handle, no listing),
// else by listing every process (no handle). statsOK says WorkingSet and CPU100ns are valid. A
// listing while nothing is found is repeated at most every rescanEvery unless force is set.
func (h *Host) findVM(ctx context.Context, now time.Time, force bool) (p procInfo, res pickResult, statsOK bool, err error) {
	if h.haveVM && !h.procDenied {
		st, err := h.d.procStat(h.vm.PID)
		switch {
		case err == nil && (h.vm.Created == 0 || st.Created == 0 || st.Created == h.vm.Created):
			st.PID, st.Name = h.vm.PID, h.vm.Name
			if st.Created == 0 {
				st.Created = h.vm.Created
			}
			h.vm = st
			return st, pickFound, true, nil
		case err != nil && isAccessDenied(err):
			h.procDenied = true // elevation cannot change while we run: list from now on
		case err != nil && !isGone(err):
			return h.vm, pickFound, false, err
		default: // gone, or the pid now belongs to another process
			h.haveVM = false
		}
	}
	if !h.haveVM && !force && h.scanned && h.lastPick != pickFound && now.Sub(h.lastScan) < rescanEvery {
		return procInfo{}, h.lastPick, false, nil
	}
	procs, err := h.d.snapshot(ctx)
	if err != nil {
		h.scanned = false
		if h.haveVM {
			return h.vm, pickFound, false, err
		}
		return procInfo{}, pickNone, false, err
	}
	h.scanned, h.lastScan = true, now
	h.others, h.othersAt = otherVMProcesses(procs), now
	p, res = pickVMProcess(procs, h.d.suffixSupported)
	h.lastPick = res
	h.haveVM = res == pickFound
	if h.haveVM {
		h.vm = p
		return p, res, true, nil
	}
	return procInfo{}, res, false, nil
}
