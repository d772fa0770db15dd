// Package fake is a small deterministic backend.Backend for the TUI's tests: actions succeed at
// once (or fail, when a test says so) and every call is recorded. It is not the demo backend; it
// exists so Update tests can inject failures and count calls.
package fake

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
)

const gib = 1 << 30

// Backend is a fake backend. Its fields may be set before use; use the methods afterwards.
type Backend struct {
	mu      sync.Mutex
	info    backend.Info
	caps    backend.Capabilities
	distros []backend.Distro
	procs   []backend.Process
	mounts  []backend.Mount
	fail    map[backend.Action]error
	calls   []string
	n       int
	start   time.Time
}

// New returns a fake with four distros, a few processes and mounts, and every action possible.
func New() *Backend {
	caps := backend.Capabilities{}
	for _, a := range []backend.Action{backend.ActStart, backend.ActTerminate, backend.ActShutdown,
		backend.ActSetDefault, backend.ActReclaim, backend.ActKill, backend.ActShell} {
		caps[a] = backend.Can()
	}
	b := &Backend{
		info: backend.Info{Backend: "fake", Label: "fake", WSLVersion: "2.3.26.0",
			KernelVersion: "5.15.153.1-2", DefaultDistro: "Ubuntu-24.04"},
		caps: caps,
		distros: []backend.Distro{
			{Name: "Ubuntu-24.04", State: backend.StateRunning, Version: 2, Default: true, DiskBytes: 9 * gib},
			{Name: "docker-desktop", State: backend.StateRunning, Version: 2, DiskBytes: 3 * gib, Held: true},
			{Name: "Debian", State: backend.StateStopped, Version: 2, DiskBytes: 2 * gib},
			{Name: "kali-linux", State: backend.StateStopped, Version: 2},
			{Name: "Alpine", State: backend.StateStopped, Version: 1},
			{Name: "openSUSE-Tumbleweed", State: backend.StateInstalling, Version: 2},
		},
		fail:  map[backend.Action]error{},
		start: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC),
	}
	for i := 0; i < 12; i++ {
		b.procs = append(b.procs, backend.Process{PID: 100 + i*37, Name: fmt.Sprintf("proc-%02d", i), User: "dev",
			CPUPercent: float64((i * 7) % 23), RSSBytes: uint64(i+1) * 23 << 20})
	}
	b.mounts = []backend.Mount{
		{Source: "/dev/sdc", Target: "/", FSType: "ext4", Kind: backend.MountDisk},
		{Source: "C:\\", Target: "/mnt/c", FSType: "9p", Kind: backend.MountDrvfs},
		{Source: "none", Target: "/mnt/wslg", FSType: "tmpfs", Kind: backend.MountOther},
	}
	return b
}

// SetCaps replaces the capabilities.
func (b *Backend) SetCaps(c backend.Capabilities) { b.mu.Lock(); b.caps = c; b.mu.Unlock() }

// SetInfo replaces Info's answer.
func (b *Backend) SetInfo(i backend.Info) { b.mu.Lock(); b.info = i; b.mu.Unlock() }

// SetDistros replaces the distro list.
func (b *Backend) SetDistros(d []backend.Distro) {
	b.mu.Lock()
	b.distros = slices.Clone(d)
	b.mu.Unlock()
}

// SetProcesses replaces the process list (for every distro).
func (b *Backend) SetProcesses(p []backend.Process) {
	b.mu.Lock()
	b.procs = slices.Clone(p)
	b.mu.Unlock()
}

// FailNext makes the next call of action a fail with err.
func (b *Backend) FailNext(a backend.Action, err error) { b.mu.Lock(); b.fail[a] = err; b.mu.Unlock() }

// Calls returns the recorded calls ("start kali-linux", "sample", …).
func (b *Backend) Calls() []string { b.mu.Lock(); defer b.mu.Unlock(); return slices.Clone(b.calls) }

func (b *Backend) record(s string) { b.calls = append(b.calls, s) }

func (b *Backend) failed(a backend.Action) error {
	if err, ok := b.fail[a]; ok {
		delete(b.fail, a)
		return err
	}
	return b.caps.Check(a)
}

func (b *Backend) Info(context.Context) (backend.Info, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("info")
	return b.info, nil
}

func (b *Backend) Capabilities() backend.Capabilities {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := backend.Capabilities{}
	for k, v := range b.caps {
		out[k] = v
	}
	return out
}

func (b *Backend) Distros(context.Context) ([]backend.Distro, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("distros")
	return slices.Clone(b.distros), nil
}

// Sample is a deterministic wave: the n-th call gives the n-th point. While no distro runs the
// VM is stopped, and a stopped VM has no CPU figure.
func (b *Backend) Sample(context.Context) (backend.Sample, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("sample")
	n := b.n
	b.n++
	s := SampleAt(b.start, n)
	if !slices.ContainsFunc(b.distros, func(d backend.Distro) bool { return d.State == backend.StateRunning }) {
		s.CPUPercent = nil
	}
	return s, nil
}

// SampleAt is the fake's n-th sample. Like a real backend's, the first has no CPU figure: one
// reading gives no rate.
func SampleAt(start time.Time, n int) backend.Sample {
	total := uint64(16 * gib)
	used := uint64(4*gib) + uint64(n%60)*(40<<20)
	cache := uint64(3*gib) + uint64(n%90)*(25<<20)
	var cpu *float64
	if n > 0 {
		cpu = backend.Percent(float64((n*13)%70) + 5)
	}
	return backend.Sample{
		Time:       start.Add(time.Duration(n) * time.Second),
		CPUPercent: cpu,
		Guest: backend.GuestMemory{TotalBytes: total, UsedBytes: used, CacheBytes: cache,
			FreeBytes: total - used - cache, AvailableBytes: total - used},
		Host: &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: used + cache + gib, TotalBytes: 32 * gib},
	}
}

func (b *Backend) Mounts(_ context.Context, distro string) ([]backend.Mount, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("mounts " + distro)
	if err := b.running("mounts", distro); err != nil {
		return nil, err
	}
	return slices.Clone(b.mounts), nil
}

func (b *Backend) Processes(_ context.Context, distro string) ([]backend.Process, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("processes " + distro)
	if err := b.running("processes", distro); err != nil {
		return nil, err
	}
	return slices.Clone(b.procs), nil
}

// running refuses, as the real backends do, to look into a distro that is not there ("" is the
// default) or not running: a look would start it. Callers hold b.mu.
func (b *Backend) running(op, distro string) error {
	for _, d := range b.distros {
		if (distro == "" && d.Default) || (distro != "" && strings.EqualFold(d.Name, distro)) {
			if d.State != backend.StateRunning {
				return &backend.Error{Kind: backend.KindNotRunning, Op: op, Distro: d.Name, Message: "not running"}
			}
			return nil
		}
	}
	return &backend.Error{Kind: backend.KindNotFound, Op: op, Distro: distro, Message: "no such distro",
		Code: "Wsl/Service/WSL_E_DISTRO_NOT_FOUND"}
}

func (b *Backend) setState(name string, s backend.State) error {
	for i := range b.distros {
		if b.distros[i].Name == name {
			b.distros[i].State = s
			return nil
		}
	}
	return &backend.Error{Kind: backend.KindNotFound, Distro: name, Message: "no such distro",
		Code: "Wsl/Service/WSL_E_DISTRO_NOT_FOUND"}
}

func (b *Backend) Start(_ context.Context, d string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("start " + d)
	if err := b.failed(backend.ActStart); err != nil {
		return err
	}
	return b.setState(d, backend.StateRunning)
}

func (b *Backend) Terminate(_ context.Context, d string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("terminate " + d)
	if err := b.failed(backend.ActTerminate); err != nil {
		return err
	}
	return b.setState(d, backend.StateStopped)
}

func (b *Backend) Shutdown(_ context.Context, force bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record(fmt.Sprintf("shutdown force=%v", force))
	if err := b.failed(backend.ActShutdown); err != nil {
		return err
	}
	for i := range b.distros {
		if b.distros[i].State == backend.StateRunning {
			b.distros[i].State = backend.StateStopped
		}
	}
	return nil
}

func (b *Backend) SetDefault(_ context.Context, d string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("set-default " + d)
	if err := b.failed(backend.ActSetDefault); err != nil {
		return err
	}
	found := false
	for i := range b.distros {
		b.distros[i].Default = b.distros[i].Name == d
		found = found || b.distros[i].Default
	}
	if !found {
		return b.setState(d, "")
	}
	b.info.DefaultDistro = d
	return nil
}

func (b *Backend) Reclaim(_ context.Context, mode backend.ReclaimMode) (backend.ReclaimResult, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("reclaim " + string(mode))
	if err := b.failed(backend.ActReclaim); err != nil {
		return backend.ReclaimResult{}, err
	}
	return backend.ReclaimResult{Mode: mode, CacheBefore: 3 * gib, CacheAfter: gib, Where: "Ubuntu-24.04"}, nil
}

func (b *Backend) KillProcess(_ context.Context, d string, pid int, sig backend.Signal) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record(fmt.Sprintf("kill %s %d %s", d, pid, sig))
	if err := b.failed(backend.ActKill); err != nil {
		return err
	}
	if err := backend.CheckKill(pid, "", sig); err != nil {
		return err
	}
	if err := b.running("kill", d); err != nil {
		return err
	}
	b.procs = slices.DeleteFunc(b.procs, func(p backend.Process) bool { return p.PID == pid })
	return nil
}

func (b *Backend) ShellCommand(d string) (*exec.Cmd, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.record("shell " + d)
	if err := b.failed(backend.ActShell); err != nil {
		return nil, err
	}
	return exec.Command("true"), nil
}

func (b *Backend) Close() error { return nil }

var _ backend.Backend = (*Backend)(nil)
