// Package demo is a simulated WSL host: six distros, one VM, workloads that fill the page cache,
// and WSL's autoMemoryReclaim (disabled, gradual, dropCache) with its real idle delays divided
// by a speed factor. It is deterministic for a seed and a clock: every value is a pure function
// of the seed, the simulated second and the actions taken, so golden tests can pin it.
//
// It exists for people (`wsldash --demo` on any machine) and for UI tests. It is labelled "demo"
// wherever it shows (Info.Label, Info.Simulated) and never stands in for testing a real backend.
package demo

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Clock tells the time (sampler.Clock satisfies it).
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options configure the simulation.
type Options struct {
	Seed int64
	// Clock drives simulated time: one simulated second per clock second. Nil = wall clock.
	Clock Clock
	// Speed divides WSL's idle delays (dropcache after ~10 min idle, gradual after ~3 min, the
	// VM's 60 s idle timeout), so reclaim shows up sooner. 0 = 1 (real delays).
	Speed float64
	// ReclaimMode is the simulated autoMemoryReclaim; "" = dropcache (WSL's default since 2024).
	ReclaimMode backend.ReclaimMode
	// Warmup simulates this much time before the clock's now, so the dashboard opens on a history
	// (see Backfill). 0 = none.
	Warmup time.Duration
	// Wait is how actions take their realistic time (start ~1.5 s, +2 s to boot the VM). Nil =
	// a real timer that honours ctx. Tests pass a func that advances their fixed clock.
	Wait func(ctx context.Context, d time.Duration) error
}

// Backend is the simulated host. It implements backend.Backend.
type Backend struct {
	mu       sync.Mutex
	clock    Clock
	wait     func(context.Context, time.Duration) error
	sim      *sim
	backfill []backend.Sample
	pending  map[string]bool
	lops     longState // simulated archives and trash (longops.go)
}

var (
	_ backend.Backend    = (*Backend)(nil)
	_ backend.Backfiller = (*Backend)(nil)
	_ backend.Renamer    = (*Backend)(nil) // manage.go
)

// New builds the simulated host at the clock's now.
func New(opts Options) *Backend {
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	if opts.ReclaimMode == "" {
		opts.ReclaimMode = backend.ReclaimDropCache
	}
	if opts.Wait == nil {
		opts.Wait = realWait
	}
	now := opts.Clock.Now().Truncate(time.Second)
	s := &sim{
		seed:  uint64(opts.Seed)*0x9E3779B97F4A7C15 + 1,
		speed: opts.Speed,
		mode:  opts.ReclaimMode,
		start: now.Add(-opts.Warmup.Truncate(time.Second)),
	}
	s.distros = initialDistros()
	for _, d := range s.distros {
		if d.State == backend.StateRunning {
			d.up = 3600 // running for an hour already: no boot burst
		}
	}
	s.vmOn()
	b := &Backend{clock: opts.Clock, wait: opts.Wait, sim: s, pending: map[string]bool{}}
	for s.now().Before(now) {
		s.tick()
		b.backfill = append(b.backfill, b.sampleLocked())
	}
	return b
}

func realWait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Backfill returns the samples simulated during Options.Warmup, one a second, oldest first, so a
// front end can open on a history. The demo only: real backends have no past.
func (b *Backend) Backfill() []backend.Sample {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]backend.Sample(nil), b.backfill...)
}

// Label is what the demo is called wherever it shows.
const Label = "demo (simulated WSL host)"

func (b *Backend) Info(ctx context.Context) (backend.Info, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	def := ""
	for _, d := range b.sim.distros {
		if d.Default {
			def = d.Name
		}
	}
	return backend.Info{
		Backend:        "demo",
		Label:          Label,
		Simulated:      true,
		DryRun:         true,
		WSLVersion:     wslVersion,
		TimeScale:      b.sim.speed,
		KernelVersion:  "6.6.87.2-1",
		WindowsVersion: "10.0.26100.4770",
		Hostname:       "DEMO-PC",
		HomeDir:        strings.TrimSuffix(profile, `\AppData\Local`),
		DefaultDistro:  def,
		ReclaimMode:    b.sim.mode,
	}, nil
}

func (b *Backend) Capabilities() backend.Capabilities {
	return backend.Capabilities{
		backend.ActStart:      backend.Can(),
		backend.ActTerminate:  backend.Can(),
		backend.ActShutdown:   backend.Can(),
		backend.ActSetDefault: backend.Can(),
		backend.ActReclaim:    backend.Can(),
		backend.ActKill:       backend.Can(),
		backend.ActShell:      backend.Can(),
		// Simulated (longops.go): nothing is written to or deleted from disk.
		backend.ActExport:       backend.Can(),
		backend.ActExportFormat: backend.Can(),
		backend.ActImport:       backend.Can(),
		backend.ActClone:        backend.Can(),
		backend.ActUnregister:   backend.Can(),
		// Simulated too (manage.go).
		backend.ActInstall: backend.Can(),
		backend.ActMove:    backend.Can(),
		backend.ActResize:  backend.Can(),
		backend.ActSparse:  backend.Can(),
		backend.ActSetUser: backend.Can(),
		backend.ActCompact: backend.Can(),
		backend.ActRename:  backend.Can(),
	}
}

// advance runs the simulation up to the clock's now. Callers hold b.mu.
func (b *Backend) advance() { b.sim.advanceTo(b.clock.Now()) }

func (b *Backend) Distros(ctx context.Context) ([]backend.Distro, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	out := make([]backend.Distro, 0, len(b.sim.distros))
	for _, d := range b.sim.distros {
		out = append(out, d.Distro)
	}
	// wsl.exe lists the default first.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Default && !out[j].Default })
	return out, nil
}

func (b *Backend) Sample(ctx context.Context) (backend.Sample, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	s := b.sampleLocked()
	s.Time = b.clock.Now()
	if !b.sim.vmUp {
		return s, &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "no distro is running; the VM is stopped"}
	}
	return s, nil
}

func (b *Backend) sampleLocked() backend.Sample {
	s := b.sim
	smp := backend.Sample{Time: s.now(), Guest: s.guest(), Host: s.host()}
	if s.vmUp { // a stopped VM has no CPU figure: nil, not 0
		smp.CPUPercent = backend.Percent(round2(s.cpu))
		c := s.ticks
		smp.CPU = &c
		self := uint64(s.selfTicks)
		smp.SelfTicks = &self
		g := smp.Guest
		p := 0.0
		if g.TotalBytes > 0 && g.FreeBytes < g.TotalBytes/20 {
			p = 4 + 10*s.noise(uint64(s.step), 5)
		}
		smp.MemoryPressure = &backend.Pressure{Avg10: round2(p), Avg60: round2(p / 2), Avg300: round2(p / 5)}
		smp.Distros = b.distroMemory(g)
		smp.DistrosRemainder = backend.SplitMemory(g, smp.Distros)
	}
	return smp
}

func round2(v float64) float64 { return float64(int64(v*100+0.5)) / 100 }

func (b *Backend) find(name string) (*simDistro, error) {
	for _, d := range b.sim.distros {
		if strings.EqualFold(d.Name, name) {
			return d, nil
		}
	}
	return nil, &backend.Error{Kind: backend.KindNotFound, Distro: name,
		Message: "There is no distribution with the supplied name.", Code: "Wsl/Service/WSL_E_DISTRO_NOT_FOUND"}
}

// resolve maps "" to the default distro.
func (b *Backend) resolve(name string) (*simDistro, error) {
	if name == "" {
		for _, d := range b.sim.distros {
			if d.Default {
				return d, nil
			}
		}
	}
	return b.find(name)
}

// running resolves a distro that must be running to be looked into. Callers hold b.mu.
func (b *Backend) running(op, distro string) (*simDistro, error) {
	b.advance()
	d, err := b.resolve(distro)
	if err != nil {
		return nil, err
	}
	if d.State != backend.StateRunning {
		return nil, &backend.Error{Kind: backend.KindNotRunning, Op: op, Distro: d.Name, Message: "the distro is not running"}
	}
	return d, nil
}

func (b *Backend) Mounts(ctx context.Context, distro string) ([]backend.Mount, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, err := b.running("mounts", distro)
	if err != nil {
		return nil, err
	}
	return mountsFor(d), nil
}

func (b *Backend) Processes(ctx context.Context, distro string) ([]backend.Process, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, err := b.running("processes", distro)
	if err != nil {
		return nil, err
	}
	return b.procsOf(d), nil
}

// procsOf lists a running distro's live processes. Callers hold b.mu.
func (b *Backend) procsOf(d *simDistro) []backend.Process {
	busy := d.work.busyAt(b.sim.step)
	var out []backend.Process
	for i, p := range d.procs {
		if p.killed || (p.busy && !busy) {
			continue
		}
		jit := 0.8 + 0.4*b.sim.noise(uint64(b.sim.step), uint64(p.pid)+uint64(i)*7)
		cpu := p.idle * jit
		if busy {
			cpu = d.work.BusyCPU*p.cpu*jit + p.idle
		}
		rss := p.rss
		if p.busy {
			rss += d.anon
		}
		out = append(out, backend.Process{PID: p.pid, Name: p.name, User: p.user, CPUPercent: round2(cpu), RSSBytes: rss, Distro: d.Name})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].CPUPercent != out[j].CPUPercent {
			return out[i].CPUPercent > out[j].CPUPercent
		}
		return out[i].RSSBytes > out[j].RSSBytes
	})
	return out
}

// begin marks a distro busy with a long action; one at a time per distro.
func (b *Backend) begin(name string) error {
	if b.pending[strings.ToLower(name)] {
		return &backend.Error{Kind: backend.KindBusy, Distro: name, Message: "another operation is in progress on this distro"}
	}
	b.pending[strings.ToLower(name)] = true
	return nil
}

func (b *Backend) end(name string) { delete(b.pending, strings.ToLower(name)) }

func (b *Backend) Start(ctx context.Context, name string) error {
	b.mu.Lock()
	b.advance()
	d, err := b.find(name)
	if err == nil && d.State.Busy() {
		err = &backend.Error{Kind: backend.KindBusy, Op: "start", Distro: d.Name,
			Message: fmt.Sprintf("the distro is %s", strings.ToLower(string(d.State)))}
	}
	if err == nil && d.State == backend.StateRunning {
		b.mu.Unlock()
		return nil
	}
	if err == nil {
		err = b.begin(d.Name)
	}
	if err != nil {
		b.mu.Unlock()
		return err
	}
	delay := startDelay
	if !b.sim.vmUp {
		delay += vmBootDelay
	}
	b.mu.Unlock()

	werr := b.wait(ctx, delay)

	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(d.Name)
	if werr != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "start", Distro: d.Name, Err: werr}
	}
	b.advance()
	b.sim.vmOn()
	d.State = backend.StateRunning
	d.up = 0
	d.Held = true // the dashboard keeps what it started alive, as the wsl backend does
	return nil
}

func (b *Backend) Terminate(ctx context.Context, name string) error {
	b.mu.Lock()
	b.advance()
	d, err := b.find(name)
	if err == nil {
		err = b.begin(d.Name)
	}
	b.mu.Unlock()
	if err != nil {
		return err
	}
	werr := b.wait(ctx, terminateDuration)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(d.Name)
	if werr != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "terminate", Distro: d.Name, Err: werr}
	}
	b.advance()
	b.stop(d)
	return nil
}

// stop ends a distro: its processes exit and its filesystem is unmounted, so its page cache goes.
func (b *Backend) stop(d *simDistro) {
	if d.State != backend.StateRunning {
		return
	}
	b.sim.frag += uint64(float64(d.anon+d.base) * fragFraction)
	d.State = backend.StateStopped
	d.Held = false
	d.cache, d.anon, d.up = 0, 0, 0
	for i := range d.procs {
		d.procs[i].killed = false
	}
}

func (b *Backend) Shutdown(ctx context.Context, force bool) error {
	if err := b.wait(ctx, terminateDuration); err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "shutdown", Err: err}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	for _, d := range b.sim.distros {
		b.stop(d)
	}
	b.sim.vmOff()
	return nil
}

func (b *Backend) SetDefault(ctx context.Context, name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, err := b.find(name)
	if err != nil {
		return err
	}
	if d.State.Busy() {
		return &backend.Error{Kind: backend.KindBusy, Op: "set-default", Distro: d.Name, Message: "the distro is " + strings.ToLower(string(d.State))}
	}
	for _, o := range b.sim.distros {
		o.Default = o == d
	}
	return nil
}

func (b *Backend) Reclaim(ctx context.Context, mode backend.ReclaimMode) (backend.ReclaimResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	if !b.sim.vmUp {
		return backend.ReclaimResult{}, &backend.Error{Kind: backend.KindNotRunning, Op: "reclaim", Message: "the VM is not running: there is nothing to reclaim"}
	}
	res := backend.ReclaimResult{Mode: mode, CacheBefore: b.sim.cache(), Where: "demo"}
	switch mode {
	case backend.ReclaimDropCache, "":
		res.Mode = backend.ReclaimDropCache
		b.sim.dropCaches()
		b.sim.frag = 0
	case backend.ReclaimGradual:
		g := b.sim.guest()
		b.sim.reclaimCache(g.Reclaimable())
	case backend.ReclaimCompact:
		b.sim.frag = 0
	default:
		return res, &backend.Error{Kind: backend.KindFailed, Op: "reclaim", Message: fmt.Sprintf("unknown mode %q (dropcache, gradual or compact)", mode)}
	}
	res.CacheAfter = b.sim.cache()
	return res, nil
}

// KillProcess sends TERM or KILL to a simulated process. Most exit on either; a process that
// handles TERM (postgres waits for its clients: a "smart shutdown") stays until KILL.
func (b *Backend) KillProcess(ctx context.Context, distro string, pid int, sig backend.Signal) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, err := b.resolve(distro)
	if err != nil {
		return err
	}
	for i := range d.procs {
		p := &d.procs[i]
		if p.pid != pid || p.killed {
			continue
		}
		if err := backend.CheckKill(pid, p.name, sig); err != nil {
			return withDistro(err, d.Name)
		}
		if sig == backend.SigTerm && p.handlesTerm {
			return nil // delivered; the process carries on
		}
		p.killed = true
		return nil
	}
	if err := backend.CheckKill(pid, "", sig); err != nil {
		return withDistro(err, d.Name)
	}
	return &backend.Error{Kind: backend.KindNotFound, Op: "kill", Distro: d.Name, Message: fmt.Sprintf("no process %d", pid)}
}

func withDistro(err error, distro string) error {
	if e, ok := err.(*backend.Error); ok && e.Distro == "" {
		e.Distro = distro
	}
	return err
}

// ShellCommand opens the user's own shell with a banner: the demo has no distro to enter.
func (b *Backend) ShellCommand(distro string) (*exec.Cmd, error) {
	b.mu.Lock()
	d, err := b.resolve(distro)
	firstRun := err == nil && d.firstRun
	b.mu.Unlock()
	if err != nil {
		return nil, err
	}
	sh := os.Getenv("SHELL")
	if sh == "" {
		sh = "/bin/sh"
	}
	// The dashboard's banner before it says how to come back; this line says what it stands for.
	banner := fmt.Sprintf("[demo] your own shell: on Windows this is `wsl.exe -d %s --cd ~`", d.Name)
	if firstRun {
		banner = fmt.Sprintf("[demo] your own shell: on Windows this first `wsl.exe -d %s` runs its first-run set-up (a new user name and password)", d.Name)
	}
	c := exec.Command("/bin/sh", "-c", `printf '%s\n' "$1"; exec "$2"`, "sh", banner, sh)
	return c, nil
}

// Close has nothing to release: the demo holds no processes or files.
func (b *Backend) Close() error { return nil }
