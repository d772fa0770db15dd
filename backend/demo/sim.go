package demo

import (
	"math"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
)

const (
	kib = 1024
	mib = 1024 * kib
	gib = 1024 * mib

	vmTotal      = 16318032 * kib // MemTotal of a 16 GB VM (50% of a 32 GB host), as the kernel reports it
	hostTotal    = 32 * gib
	kernelBase   = 380 * mib // kernel, init, WSLg and the system distro
	vmOverhead   = 160 * mib // what vmmemWSL holds beyond guest pages
	minFree      = 256 * mib // below this the guest evicts page cache
	vcpus        = 8
	hostCPUs     = 16
	sharedCache  = 96 * mib // cache not owned by one distro (system distro, modules)
	shmemBase    = 48 * mib
	reportRate   = 512 * mib // bytes per second the host gets back through free page reporting
	fragFraction = 0.12      // share of freed anonymous memory stuck in partly used blocks until compaction

	// WSL's timers: a distro stops 15 s after its last client, the VM 60 s after the last
	// distro (wsl-facts §2); autoMemoryReclaim follows reclaim.Gate. The demo divides them by
	// Options.Speed.
	vmIdleTimeout     = 60 * time.Second
	stepSeconds       = 1
	startDelay        = 1500 * time.Millisecond
	vmBootDelay       = 2 * time.Second
	terminateDuration = 800 * time.Millisecond
)

// workload is a distro's periodic activity: busy for Busy out of every Period.
type workload struct {
	Period, Busy, Offset int     // seconds
	BusyCPU, IdleCPU     float64 // percent of one core
	BusyAnon             uint64  // extra anonymous memory while busy, freed at the end
	BusyCacheRate        uint64  // page cache read per second while busy
	IdleCacheRate        uint64  // per second while idle
	BootCache            uint64  // read at start
}

func (w workload) busyAt(sec int) bool {
	if w.Period <= 0 {
		return false
	}
	p := (sec + w.Offset) % w.Period
	return p < w.Busy
}

type simDistro struct {
	backend.Distro
	base  uint64 // resident anonymous memory of its daemons while running
	anon  uint64 // current extra anon (workload)
	cache uint64 // page cache attributed to its filesystem
	work  workload
	up    int // seconds since start
	procs []simProc

	// Managed (manage.go): no user yet (installed, first-run set-up pending), the default
	// user, the disk's maximum size, sparse, and what it holds inside once compacted (0 = the
	// default share of the file).
	firstRun bool
	user     string
	maxBytes int64
	sparse   bool
	used     int64
}

type simProc struct {
	pid    int
	name   string
	user   string
	rss    uint64
	cpu    float64 // share of the distro's CPU while busy (0..1)
	idle   float64 // percent of one core when the distro is idle
	busy   bool    // only present while the workload is busy
	killed bool
	// handlesTerm: SIGTERM starts a graceful shutdown that does not end the process (yet).
	handlesTerm bool
}

// sim is the whole simulated host. All randomness is a pure function of (seed, step, key), so
// reading (Sample, Processes) never changes the trajectory.
type sim struct {
	seed    uint64
	speed   float64
	mode    backend.ReclaimMode
	start   time.Time // simulated time of step 0
	step    int       // seconds simulated since start
	distros []*simDistro

	vmUp        bool
	vmHost      uint64  // vmmemWSL working set
	frag        uint64  // freed guest pages not yet returned (need compaction)
	droppedIdle bool    // dropcache ran in this idle period
	noDistroFor float64 // seconds with no distro running while the VM is up
	cpu         float64 // VM-wide percent at the last step
	// The VM's /proc/stat since it booted, in clock ticks (USER_HZ, all vCPUs), and what
	// wsldash itself used of it (the reclaim gate's inputs).
	ticks     backend.CPUCounters
	selfTicks float64
	// gate is WSL's reclaim gate (the rule of the demo's WSL version), fed every simulated
	// second on the sim's timeline, where each second counts Options.Speed seconds: the same
	// gate the dashboard shows, so what the demo reclaims is what the pane said it would.
	gate     *reclaim.Gate
	lastStep float64 // gate seconds at the last gradual step
}

const (
	// wslVersion is the demo's installed WSL: its reclaim gate follows that version's rule.
	wslVersion = "2.6.1.0"
	userHZ     = 100
	// selfCores is the demo's wsldash in the VM: the Go probe's measured cost, in cores.
	selfCores = 0.0002
)

func (s *sim) now() time.Time { return s.start.Add(time.Duration(s.step) * time.Second) }

// noise returns a deterministic value in [0,1) for (seed, a, b).
func (s *sim) noise(a, b uint64) float64 {
	x := s.seed ^ (a * 0x9E3779B97F4A7C15) ^ (b * 0xC2B2AE3D27D4EB4F)
	x ^= x >> 33
	x *= 0xFF51AFD7ED558CCD
	x ^= x >> 33
	x *= 0xC4CEB9FE1A85EC53
	x ^= x >> 33
	return float64(x>>11) / float64(1<<53)
}

func (s *sim) scaled(d time.Duration) float64 {
	return d.Seconds() / s.speed
}

// advanceTo runs whole simulated seconds up to t.
func (s *sim) advanceTo(t time.Time) {
	for !s.now().Add(stepSeconds * time.Second).After(t) {
		s.tick()
	}
}

func (s *sim) running() []*simDistro {
	var r []*simDistro
	for _, d := range s.distros {
		if d.State == backend.StateRunning {
			r = append(r, d)
		}
	}
	return r
}

func (s *sim) tick() {
	s.step++
	run := s.running()
	if !s.vmUp {
		s.cpu = 0
		return
	}
	var cpuCores float64
	for i, d := range run {
		d.up++
		busy := d.work.busyAt(s.step)
		jit := 0.85 + 0.3*s.noise(uint64(s.step), uint64(i)+1)
		if d.up <= 8 { // boot: systemd and friends read their files
			cpuCores += 0.3 * jit
			d.cache += d.work.BootCache / 8
		} else if busy {
			cpuCores += d.work.BusyCPU / 100 * jit
			d.cache += uint64(float64(d.work.BusyCacheRate) * jit)
			if d.anon < d.work.BusyAnon {
				d.anon += d.work.BusyAnon / 10
				if d.anon > d.work.BusyAnon {
					d.anon = d.work.BusyAnon
				}
			}
		} else {
			cpuCores += d.work.IdleCPU / 100 * jit
			d.cache += uint64(float64(d.work.IdleCacheRate) * jit)
			if d.anon > 0 { // the build finished: its memory is freed
				s.frag += uint64(float64(d.anon) * fragFraction)
				d.anon = 0
			}
		}
	}
	s.cpu = math.Min(100, cpuCores/vcpus*100)
	s.countTicks(cpuCores)
	s.evict()
	s.autoReclaim(len(run))
	s.followHost()
	if len(run) == 0 {
		s.noDistroFor++
		if s.noDistroFor >= s.scaled(vmIdleTimeout) {
			s.vmOff()
		}
	} else {
		s.noDistroFor = 0
	}
}

func (s *sim) used() uint64 {
	u := uint64(kernelBase)
	for _, d := range s.distros {
		if d.State == backend.StateRunning {
			u += d.base + d.anon
		}
	}
	return u
}

func (s *sim) cache() uint64 {
	if !s.vmUp {
		return 0
	}
	c := uint64(sharedCache)
	for _, d := range s.distros {
		c += d.cache
	}
	return c
}

// evict keeps minFree free by dropping page cache, largest owner first, as the kernel would
// under pressure (the VM never exceeds its memory).
func (s *sim) evict() {
	for i := 0; i < 8; i++ {
		u, c := s.used(), s.cache()
		if u+c+minFree <= vmTotal {
			return
		}
		need := u + c + minFree - vmTotal
		var big *simDistro
		for _, d := range s.distros {
			if big == nil || d.cache > big.cache {
				big = d
			}
		}
		if big == nil || big.cache == 0 {
			return
		}
		if need > big.cache {
			need = big.cache
		}
		big.cache -= need
	}
}

// gateTime is the sim's now on the gate's timeline: Speed gate seconds per simulated second.
func (s *sim) gateTime() time.Time {
	return s.start.Add(time.Duration(float64(s.step) * s.speed * float64(time.Second)))
}

// autoReclaim is WSL's autoMemoryReclaim thread: it acts when WSL's own gate (backend/reclaim,
// the rule of the demo's WSL version) says the VM is idle.
func (s *sim) autoReclaim(running int) {
	if s.gate == nil {
		s.gate = reclaim.NewGateForVersion(wslVersion, s.mode)
	}
	c := s.ticks
	self := uint64(s.selfTicks)
	s.gate.Add(backend.Sample{Time: s.gateTime(), Guest: s.guest(), CPU: &c, SelfTicks: &self})
	st := s.gate.State()
	if st.State != reclaim.GateIdle || running == 0 {
		s.droppedIdle = false
		return
	}
	now := float64(s.step) * s.speed
	switch s.mode {
	case backend.ReclaimGradual:
		// One step a poll while idle, of the size the gate computed (NextBytes).
		if now-s.lastStep >= float64(st.PollSeconds) && st.NextBytes != nil && *st.NextBytes > 0 {
			s.lastStep = now
			s.reclaimCache(*st.NextBytes)
			s.frag = 0
		}
	case backend.ReclaimDisabled:
	default: // dropcache, once per idle period
		if !s.droppedIdle {
			s.dropCaches()
			s.frag = 0
			s.droppedIdle = true
		}
	}
}

// dropCaches is echo 1 > /proc/sys/vm/drop_caches: clean, unmapped cache goes.
func (s *sim) dropCaches() {
	for _, d := range s.distros {
		keep := d.cache / 50 // mapped executables and dirty pages stay
		d.cache = keep
	}
}

// reclaimCache takes n bytes of cache, oldest (largest) owners first: memory.reclaim.
func (s *sim) reclaimCache(n uint64) {
	for n > 0 {
		var big *simDistro
		for _, d := range s.distros {
			if big == nil || d.cache > big.cache {
				big = d
			}
		}
		if big == nil || big.cache <= 8*mib {
			return
		}
		take := min(n, big.cache-8*mib)
		big.cache -= take
		n -= take
	}
}

// followHost moves vmmemWSL toward the guest's touched memory: up at once (a touched page is
// backed), down at the rate free page reporting gives pages back.
func (s *sim) followHost() {
	// Stranded pages are free pages: new allocations reuse them first.
	if free := s.guest().FreeBytes; s.frag > free {
		s.frag = free
	}
	target := uint64(vmOverhead) + s.used() + s.cache() + s.frag
	if target >= s.vmHost {
		s.vmHost = target
		return
	}
	s.vmHost -= min(s.vmHost-target, uint64(reportRate))
}

// countTicks adds one second of the VM's CPU to its counters: busy time split between user
// (most) and system, the rest idle; wsldash's own share is part of the busy time.
func (s *sim) countTicks(cores float64) {
	cores = math.Min(cores+selfCores, vcpus)
	busy := cores * userHZ
	s.ticks.CPUs = vcpus
	s.ticks.User += uint64(math.Round(busy * 0.8))
	s.ticks.System += uint64(math.Round(busy * 0.2))
	s.ticks.Idle += uint64(math.Round((vcpus - cores) * userHZ))
	s.selfTicks += selfCores * userHZ
}

func (s *sim) vmOff() {
	s.vmUp = false
	s.vmHost = 0
	s.frag = 0
	s.cpu = 0
	s.ticks, s.selfTicks = backend.CPUCounters{}, 0 // a new VM's counters start again
	for _, d := range s.distros {
		d.cache, d.anon = 0, 0
	}
}

func (s *sim) vmOn() {
	if s.vmUp {
		return
	}
	s.vmUp = true
	s.noDistroFor = 0
	s.vmHost = vmOverhead + kernelBase
}

func (s *sim) guest() backend.GuestMemory {
	if !s.vmUp {
		return backend.GuestMemory{}
	}
	u, c := s.used(), s.cache()
	if u+c > vmTotal {
		c = vmTotal - u
	}
	free := vmTotal - u - c
	dirty := uint64(2 * mib)
	if s.cpu > 5 {
		dirty = 24 * mib
	}
	swap := uint64(4 * gib)
	file := c - shmemBase // Active(file)+Inactive(file)+SReclaimable: the cache less tmpfs
	if c < shmemBase {
		file = 0
	}
	return backend.GuestMemory{
		FileCacheBytes: &file,
		TotalBytes:     vmTotal,
		UsedBytes:      u,
		CacheBytes:     c,
		FreeBytes:      free,
		AvailableBytes: free + c*9/10,
		SwapTotalBytes: swap,
		SwapFreeBytes:  swap,
		ShmemBytes:     shmemBase,
		DirtyBytes:     dirty,
	}
}

func (s *sim) host() *backend.HostView {
	windowsUse := uint64(9*gib) + uint64(s.noise(uint64(s.step/5), 77)*float64(600*mib))
	h := &backend.HostView{TotalBytes: hostTotal}
	if s.vmUp {
		h.VMProcess = "vmmemWSL"
		h.VMProcessBytes = s.vmHost
		h.VMCPUPercent = backend.Percent(s.cpu * vcpus / hostCPUs)
	} else {
		h.Note = "the WSL VM is not running"
	}
	if used := windowsUse + h.VMProcessBytes; used < hostTotal {
		h.AvailableBytes = hostTotal - used
	}
	return h
}
