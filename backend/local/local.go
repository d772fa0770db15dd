// Package local is the backend for the Linux machine wsldash runs on when it is not WSL: its own
// memory, CPU, mounts and processes, read from /proc with the procfs parsers. It has no distros
// (an empty list is the truth) and cannot start or stop any; reclaim drops this machine's page
// cache when run as root and says clearly why not otherwise.
package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/procfs"
)

// Options point the backend at its files (tests use a fake tree).
type Options struct {
	ProcRoot string // default /proc
	// WSLConf is the /etc/wsl.conf the config store reads (default /etc/wsl.conf).
	WSLConf string
	// CgroupRoot is the cgroup v2 mount holding memory.reclaim (default /sys/fs/cgroup).
	CgroupRoot string
	// Clock stamps samples (default time.Now).
	Now func() time.Time
	// EUID is the effective uid (default os.Geteuid); tests set it to check the root/non-root paths.
	EUID *int
	// Sync flushes dirty pages before dropping caches (default syscall.Sync).
	Sync func()
	// Signal sends signal number sig to pid (default kill(2)); tests record what is sent.
	Signal func(pid, sig int) error
}

// Backend reads this machine.
type Backend struct {
	opts Options
	fs   *procfs.FS

	mu      sync.Mutex
	prevCPU procfs.CPUTimes
	stat    procfs.Stat
	scanner *procfs.ProcScanner
}

var _ backend.Backend = (*Backend)(nil)

// New makes the local backend.
func New(opts Options) *Backend {
	if opts.ProcRoot == "" {
		opts.ProcRoot = "/proc"
	}
	if opts.CgroupRoot == "" {
		opts.CgroupRoot = "/sys/fs/cgroup"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.EUID == nil {
		u := os.Geteuid()
		opts.EUID = &u
	}
	if opts.Sync == nil {
		opts.Sync = syncDisks
	}
	if opts.Signal == nil {
		opts.Signal = signal
	}
	f := procfs.NewFS(opts.ProcRoot)
	return &Backend{opts: opts, fs: f, scanner: procfs.NewProcScanner(f)}
}

const noDistros = "this machine has no WSL distros (local backend)"

// noWSLExe is why the local backend cannot install: there is no wsl.exe to ask.
const noWSLExe = "this machine has no wsl.exe (local backend)"

func (b *Backend) root() bool { return *b.opts.EUID == 0 }

func (b *Backend) Info(ctx context.Context) (backend.Info, error) {
	host, _ := os.Hostname()
	kernel, _ := os.ReadFile(filepath.Join(b.opts.ProcRoot, "sys/kernel/osrelease"))
	return backend.Info{
		Backend:       "local",
		ThisMachine:   true,
		Label:         "local (this Linux machine)",
		KernelVersion: strings.TrimSpace(string(kernel)),
		Hostname:      host,
	}, nil
}

func (b *Backend) Capabilities() backend.Capabilities {
	reclaim := backend.Can()
	if !b.root() {
		reclaim = backend.Cannot("dropping the page cache needs root: run wsldash with sudo")
	}
	return backend.Capabilities{
		backend.ActStart:      backend.Cannot(noDistros),
		backend.ActTerminate:  backend.Cannot(noDistros),
		backend.ActSetDefault: backend.Cannot(noDistros),
		backend.ActShutdown:   backend.Cannot("there is no WSL VM to shut down (local backend)"),
		backend.ActExport:     backend.Cannot(noDistros),
		backend.ActImport:     backend.Cannot(noDistros),
		backend.ActUnregister: backend.Cannot(noDistros),
		backend.ActClone:      backend.Cannot(noDistros),
		// The Manager's actions need wsl.exe, which a plain Linux machine does not have.
		backend.ActExportFormat: backend.Cannot(noDistros),
		backend.ActInstall:      backend.Cannot(noWSLExe + ": installing a distro runs wsl --install"),
		backend.ActMove:         backend.Cannot(noDistros),
		backend.ActResize:       backend.Cannot(noDistros),
		backend.ActSparse:       backend.Cannot(noDistros),
		backend.ActSetUser:      backend.Cannot(noDistros),
		backend.ActCompact:      backend.Cannot(noDistros),
		backend.ActRename:       backend.Cannot(noDistros),
		backend.ActReclaim:      reclaim,
		backend.ActKill:         backend.Can(),
		backend.ActShell:        backend.Can(),
	}
}

// Distros is empty: a plain Linux machine has no WSL distros.
func (b *Backend) Distros(ctx context.Context) ([]backend.Distro, error) {
	return []backend.Distro{}, nil
}

func (b *Backend) Sample(ctx context.Context) (backend.Sample, error) {
	mi, err := b.fs.Meminfo()
	if err != nil {
		return backend.Sample{}, err
	}
	s := backend.Sample{Time: b.opts.Now(), Guest: mi.Guest()}
	b.mu.Lock()
	if err := b.fs.StatInto(&b.stat); err != nil {
		b.mu.Unlock()
		return backend.Sample{}, err
	}
	// A rate needs two readings some time apart: until then the CPU is unknown (nil), never 0.
	// Readings with no time between them keep the older one for the next sample.
	pct, ok := procfs.CPURate(b.prevCPU, b.stat.CPU)
	if ok {
		s.CPUPercent = backend.Percent(pct)
	}
	if ok || b.stat.CPU.Total() != b.prevCPU.Total() {
		b.prevCPU = b.stat.CPU
	}
	s.CPU = b.stat.Counters()
	b.mu.Unlock()
	// The dashboard's own CPU: inside WSL it is part of what WSL's reclaim gate counts.
	if ps, err := b.fs.ProcStat(os.Getpid()); err == nil {
		self := ps.UTime + ps.STime
		s.SelfTicks = &self
	}
	if psi, err := b.fs.Pressure("memory"); err == nil {
		p := psi.Some
		s.MemoryPressure = &p
	}
	return s, nil
}

func (b *Backend) Mounts(ctx context.Context, distro string) ([]backend.Mount, error) {
	if distro != "" {
		return nil, b.noSuchDistro("mounts", distro)
	}
	mis, err := b.fs.Mountinfo("self")
	if err != nil {
		return nil, err
	}
	out := make([]backend.Mount, len(mis))
	for i, m := range mis {
		out[i] = m.Mount("")
	}
	return out, nil
}

func (b *Backend) Processes(ctx context.Context, distro string) ([]backend.Process, error) {
	if distro != "" {
		return nil, b.noSuchDistro("processes", distro)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.scanner.Scan("")
}

func (b *Backend) noSuchDistro(op, d string) error {
	return &backend.Error{Kind: backend.KindNotFound, Op: op, Distro: d, Message: noDistros}
}

func (b *Backend) unsupported(a backend.Action) error { return b.Capabilities().Check(a) }

func (b *Backend) Start(ctx context.Context, d string) error { return b.unsupported(backend.ActStart) }
func (b *Backend) Terminate(ctx context.Context, d string) error {
	return b.unsupported(backend.ActTerminate)
}
func (b *Backend) Shutdown(ctx context.Context, force bool) error {
	return b.unsupported(backend.ActShutdown)
}
func (b *Backend) SetDefault(ctx context.Context, d string) error {
	return b.unsupported(backend.ActSetDefault)
}

// Reclaim gives memory back on this machine, as root:
//   - dropcache: sync, then 1 > /proc/sys/vm/drop_caches (clean page cache);
//   - compact: 1 > /proc/sys/vm/compact_memory;
//   - gradual: the reclaimable cache (less a 128 MiB floor) into cgroup v2 memory.reclaim, as WSL's
//     gradual mode does; a clear error where the kernel or the cgroup layout lacks it.
func (b *Backend) Reclaim(ctx context.Context, mode backend.ReclaimMode) (backend.ReclaimResult, error) {
	if mode == "" {
		mode = backend.ReclaimDropCache
	}
	res := backend.ReclaimResult{Mode: mode, Where: "local"}
	if !b.root() {
		// The refusal Capabilities gives, so that a front end shows one reason whichever it asked.
		e := b.unsupported(backend.ActReclaim).(*backend.Error)
		e.Message += fmt.Sprintf(" (%s as uid %d: `sudo wsldash reclaim`)", describe(mode), *b.opts.EUID)
		return res, e
	}
	before, err := b.fs.Meminfo()
	if err != nil {
		return res, err
	}
	res.CacheBefore = before.Guest().CacheBytes
	switch mode {
	case backend.ReclaimDropCache:
		b.opts.Sync()
		err = b.write(filepath.Join(b.opts.ProcRoot, "sys/vm/drop_caches"), "1")
	case backend.ReclaimCompact:
		err = b.write(filepath.Join(b.opts.ProcRoot, "sys/vm/compact_memory"), "1")
	case backend.ReclaimGradual:
		const floor = 128 << 20
		n := before.Guest().Reclaimable()
		if n <= floor {
			res.CacheAfter = res.CacheBefore
			return res, nil
		}
		err = b.write(filepath.Join(b.opts.CgroupRoot, "memory.reclaim"), strconv.FormatUint(n-floor, 10))
		// The kernel answers EAGAIN when it reclaimed less than asked: that is not a failure.
		if errors.Is(err, syscall.EAGAIN) {
			err = nil
		}
	default:
		return res, &backend.Error{Kind: backend.KindFailed, Op: "reclaim",
			Message: fmt.Sprintf("unknown mode %q (dropcache, gradual or compact)", mode)}
	}
	if err != nil {
		return res, err
	}
	after, err := b.fs.Meminfo()
	if err != nil {
		return res, err
	}
	res.CacheAfter = after.Guest().CacheBytes
	return res, nil
}

func describe(m backend.ReclaimMode) string {
	switch m {
	case backend.ReclaimCompact:
		return "compacting memory"
	case backend.ReclaimGradual:
		return "gradual reclaim (memory.reclaim)"
	}
	return "dropping the page cache"
}

func (b *Backend) write(path, v string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fileErr(path, err)
	}
	_, werr := f.WriteString(v)
	cerr := f.Close()
	if werr != nil {
		return fileErr(path, werr)
	}
	if cerr != nil {
		return fileErr(path, cerr)
	}
	return nil
}

func fileErr(path string, err error) error {
	e := &backend.Error{Kind: backend.KindFailed, Op: "reclaim", Err: err, Message: fmt.Sprintf("%s: %v", path, err)}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		e.Kind = backend.KindUnsupported
		e.Message = path + " does not exist: this kernel or cgroup layout does not offer it"
	case errors.Is(err, fs.ErrPermission):
		e.Kind = backend.KindPermission
		e.Message = path + ": permission denied (root, and a writable /proc/sys, are needed)"
	}
	return e
}

// KillProcess sends the signal asked for (TERM or KILL).
func (b *Backend) KillProcess(ctx context.Context, distro string, pid int, sig backend.Signal) error {
	if distro != "" {
		return b.noSuchDistro("kill", distro)
	}
	if err := backend.CheckKill(pid, "", sig); err != nil {
		return err
	}
	err := b.opts.Signal(pid, sig.Number())
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ESRCH):
		return &backend.Error{Kind: backend.KindNotFound, Op: "kill", Message: fmt.Sprintf("no process %d", pid), Err: err}
	case errors.Is(err, syscall.EPERM):
		return &backend.Error{Kind: backend.KindPermission, Op: "kill", Message: fmt.Sprintf("not allowed to signal pid %d", pid), Err: err}
	}
	return &backend.Error{Kind: backend.KindFailed, Op: "kill", Err: err}
}

// ShellCommand is the user's $SHELL (or /bin/sh).
func (b *Backend) ShellCommand(distro string) (*exec.Cmd, error) {
	sh := os.Getenv("SHELL")
	if sh == "" {
		sh = "/bin/sh"
	}
	return exec.Command(sh), nil
}

// Close releases the /proc files kept open between samples.
func (b *Backend) Close() error { return b.fs.Close() }
