// Package wsl is the backend for real WSL: it drives wsl.exe (package wslexe, parsers in
// package wslout) from Windows or from inside any WSL distro.
//
// Cost model. wsl.exe is slow to start (tens of milliseconds, more through interop), so:
//   - Distros runs `wsl.exe -l -v` when the list can have changed: after an action, when the
//     probe's stream ends (its distro stopped), on a Changes notification (on Windows: the Lxss
//     registry key changed), and otherwise once per Options.ListTTL (10 s, DefaultListTTL says
//     why). `-l -v` never boots the VM.
//   - Sample never spawns wsl.exe per sample. Inside WSL 2 it reads /proc directly. Otherwise it
//     keeps ONE long-lived probe and asks it for the sections it needs on its stdin: the Linux
//     build, `wsl.exe -d X --cd <its folder> --exec ./wsldash probe <nonce>` (package
//     guestprobe: pread-kept /proc files, a status once per process), else the sh script
//     `wsl.exe -d X --exec sh -c <script>` (after `go install`, where no Linux build is at hand;
//     ProbeKind says which and why). Processes and Mounts of the probed distro are sections of
//     the same stream, asked only when a caller asks (the dashboard: while a visible pane shows
//     them, at that pane's period). Nothing is printed on a timer.
//   - What the probe costs is counted by WSL's reclaim gate (0.5 % of the VM's CPUs), so it
//     sends only what changed where that is cheap to know (mounts, statuses, passwd lines), and
//     the caller slows down when nobody looks (the dashboard's idle cadence).
//   - Processes and Mounts of another distro cost one wsl.exe call for both (the same script,
//     given one request and then end of input), reused for Options.DetailTTL, only when asked.
//
// The probe's protocol. The script (probeScript) reads one request per line on stdin,
// "<id> <section>...", and answers with one frame on stdout:
//
//	@@wsldash/<nonce> <section>     once per section asked, in the order asked
//	<the section's raw bytes>
//	@@wsldash/<nonce> end <id>
//
// <nonce> is random per probe (its first argument), so no guest-controlled text (a process name)
// can end a frame. Sections: meminfo (/proc/meminfo), stat (the cpu lines of /proc/stat), psi
// (/proc/pressure/memory, empty without PSI), mounts (/proc/self/mountinfo, or "unchanged"),
// procs (uptime, the statuses of new processes, passwd, every process's stat: procCache's
// format), self (the probe's own stat line: Sample.SelfTicks), kind ("go <version>" or "sh"),
// fresh (forget what was sent). An unknown section comes back empty, so a new
// one (cgroup memory, /proc/net) is one case line in the script, one constant and one pure
// parser over the section's bytes; a caller asks for it with probe.request. The parsers are the
// procfs ones, over bytes. The script ends at end of input, so the probe dies with wsldash.
//
// Never starting a distro to look at it. The probe runs only in a WSL 2 distro that is already
// Running (the default distro if it runs, else the first running one), picked from a list at
// most 2 s old. A WSL 1 distro is never probed: it runs outside the VM and its /proc/meminfo is
// Windows' memory; with only WSL 1 distros running there are no VM figures, and the error says
// why. Inside a WSL 1 distro the same holds: its own processes and mounts come from its /proc,
// the VM figures from a probe in a WSL 2 distro. Being a wsl.exe client, the probe keeps that
// distro alive, so it is shown as Held and Release(distro) lets go of it: the probe stops and the
// distro is not picked again automatically, even if it is the only one running, until the user
// starts it (Start) or asks to watch it again (Watch). When no distro can be probed Sample
// returns zeros and a KindNotRunning error.
//
// Unregistering exists only as Trash: export to the trash folder, verify the archive, then
// `wsl.exe --unregister`, each step recorded so a killed unregister can be told apart. The trash
// is in the Windows user's local app data (from inside WSL through interop), never in the distro
// being removed, and the distro wsldash runs in is refused. TrashRestore imports it back;
// TrashPurge deletes the archive. There is deliberately no other path to `--unregister`.
//
// Held children die with wsldash (keep.go); Keep starts a detached keep-alive that outlives it.
//
// Proven here only against the fakewsl double (internal/fakewsl), never against a real wsl.exe:
// the interop exit code 255 for -1, CREATE_NO_WINDOW, that killing wsl.exe on Windows also ends
// the Linux side of a probe or keep-alive, that wsl.exe relays each request line on the probe's
// stdin as it comes and its end (piped input is relayed; WSL 2.4.8's relay deadlocked on large
// piped input, microsoft/WSL#12523, fixed since; a request is a few bytes), the Lxss change
// notification, `wslpath -w` paths for export/import from inside WSL, the Windows job object and
// the detached keep-alive (breakaway, hidden console), that the parent-death signal on an interop
// wsl.exe ends the Windows side, and export/import timings on real disks.
package wsl

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/guestprobe"
	"github.com/wsldash/wsldash/backend/procfs"
	"github.com/wsldash/wsldash/backend/winhost"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// HostSource is what the Windows host can tell beyond wsl.exe: the registry registrations
// (base path, disk, default distro), the size of a disk file, and the host's view of the VM. On
// Windows New uses a winhost-backed source when Options.Host is nil.
type HostSource interface {
	Registrations() ([]winhost.Registration, error)
	DiskUsage(path string) (int64, error)
	Sample(ctx context.Context) (*backend.HostView, error)
}

// Options configure New. The zero value discovers everything.
type Options struct {
	WSLExe  string        // "" = discover (see wslexe.Find)
	Timeout time.Duration // per wsl.exe call, default 10s
	// ListTTL is the slow period of the distro list: the last `-l -v` is reused for this long
	// unless something says the list changed (an action, the probe's end, Changes), default 10s.
	ListTTL  time.Duration
	ProcRoot string     // "" = "/proc"; inside WSL guest data is read from here
	WSLConf  string     // "" = "/etc/wsl.conf": the own distro's, inside WSL (config.go)
	Inside   *bool      // nil = detect (IsInsideWSL)
	Host     HostSource // nil = none (on Windows: the winhost source)

	// DetailTTL is how long the processes and mounts of a distro other than the probed one are
	// reused (they cost a wsl.exe call), default 10s.
	DetailTTL time.Duration
	// Changes, when set, says the distro list may have changed (one receive each time): the
	// next Distros asks wsl.exe. On Windows New sets it from a change notification on the Lxss
	// registry key when it is nil.
	Changes <-chan struct{}
	// TrashDir holds unregistered distros' archives, default WindowsDataDir()/wsldash/trash.
	TrashDir string
	// WindowsDataDir is the Windows user's local app data as a local path. Default: on Windows
	// os.UserCacheDir() (%LocalAppData%); inside WSL %UserProfile%\AppData\Local found through
	// interop (cmd.exe, as for .wslconfig), under /mnt/<drive>; elsewhere an error.
	WindowsDataDir func() (string, error)
	// Now is the clock used for the list TTL and sample times (tests inject one), default time.Now.
	Now func() time.Time
	// PollInterval is how often long operations report progress, default 250ms.
	PollInterval time.Duration
	// KeepDir records the keep-alives started by Keep, default os.UserCacheDir()/wsldash/kept.
	KeepDir string
	// WinPath turns a local path into one wsl.exe understands. Default: identity on Windows, and
	// `wslpath -w` inside WSL.
	WinPath func(path string) (string, error)
	// OnCall sees every wsl.exe invocation (argv and duration).
	OnCall func(wslexe.Call)
	// GuestProbe is a local path to the Linux wsldash for the guest's architecture, run in the
	// probed distro as `wsldash probe` (package guestprobe) in place of the sh script; "off" runs
	// the script. "" = $WSLDASH_GUEST_PROBE (a path, or off), else discover: on Windows the
	// release's linux\wsldash beside wsldash.exe; on a Linux machine that is not WSL this program
	// itself when it offers the probe (guestprobe.Offered: tests and benchmarks against the
	// double). Inside WSL 2 the own distro's /proc is read and no probe runs for the VM figures.
	GuestProbe string
}

// Backend implements backend.Backend over wsl.exe.
type Backend struct {
	opts   Options
	run    *wslexe.Runner
	runErr error // why there is no runner (wsl.exe not found)
	inside bool
	fs     *procfs.FS
	scan   *procfs.ProcScanner
	own    string // WSL_DISTRO_NAME when inside

	listMu  sync.Mutex // serialises list refreshes
	mu      sync.Mutex
	listAt  time.Time
	list    []backend.Distro
	listErr error
	listOK  bool

	probe     *probe
	probeNext time.Time // earliest time to (re)start a probe after one failed
	probeErr  error
	released  map[string]bool
	held      map[string]*wslexe.Proc
	busy      map[string]string
	stop      map[string]int // distros being terminated ("*": shutdown), see stopping
	lastCPU   procfs.CPUTimes
	haveCPU   bool
	lastSeq   uint64
	lastPct   *float64
	version   *wslout.Version
	closed    bool
	others    map[string]*detail // processes and mounts of distros other than the probed one
	quit      chan struct{}      // closed by Close
	ownWSL1   bool               // inside a WSL 1 distro: its /proc is not the VM's

	trashHook   func(step string) // tests: called after each recorded step of Trash
	lastRunning time.Time         // when a list last showed a running distro (vmidle.go)

	cfgOnce sync.Once
	cfgPath string // .wslconfig, found once (inside WSL that asks cmd.exe): wslconfigPath
	cfgErr  error  // why it was not found

	dmem distroMem // per-distro memory, looked at in the background (distromem.go)

	goOnce   sync.Once // the Go probe's path is found once (findGoProbe)
	goPath   string    // the Go probe to start, "" = the sh probe
	goWhy    string    // why the sh probe is used (no Go probe, or it failed: then goPath is "")
	lastKind string    // the kind of the last probe started
	selfBuf  []byte    // /proc/self/stat inside WSL (sampleInside)
	selfMu   sync.Mutex
}

var _ backend.Backend = (*Backend)(nil)

// New makes the backend. A missing wsl.exe is not an error here: the backend then reports it
// through Capabilities and from every call, so front ends can show why.
func New(opts Options) (*Backend, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = wslexe.DefaultTimeout
	}
	if opts.ListTTL <= 0 {
		opts.ListTTL = DefaultListTTL
	}
	if opts.DetailTTL <= 0 {
		opts.DetailTTL = DefaultDetailTTL
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 250 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Host == nil {
		opts.Host = defaultHost()
	}
	b := &Backend{opts: opts, released: map[string]bool{}, held: map[string]*wslexe.Proc{}, busy: map[string]string{}, stop: map[string]int{},
		others: map[string]*detail{}, quit: make(chan struct{})}
	if opts.Inside != nil {
		b.inside = *opts.Inside
	} else {
		b.inside = IsInsideWSL()
	}
	if b.inside {
		b.fs = procfs.NewFS(opts.ProcRoot)
		b.scan = procfs.NewProcScanner(b.fs)
		b.own = os.Getenv("WSL_DISTRO_NAME")
		root := cmp.Or(opts.ProcRoot, "/proc")
		if v, err := os.ReadFile(filepath.Join(root, "version")); err == nil {
			b.ownWSL1 = IsWSL1Kernel(v)
		}
	}
	if b.inside && b.opts.Host == nil {
		b.opts.Host = insideHost(b.opts) // host_inside.go: the Windows-side helper
	}
	if b.opts.WinPath == nil {
		b.opts.WinPath = defaultWinPath(b.inside)
	}
	if b.opts.WindowsDataDir == nil {
		b.opts.WindowsDataDir = defaultWindowsDataDir(b.inside)
	}
	exe, err := wslexe.Find(opts.WSLExe)
	if err != nil {
		b.runErr = err
		return b, nil
	}
	b.run = wslexe.New(exe, opts.Timeout)
	b.run.OnCall = opts.OnCall
	if b.opts.Changes == nil && b.opts.Host != nil && !b.inside {
		b.opts.Changes = watchLxss(b.quit) // nil where there is no registry
	}
	if b.opts.Changes != nil {
		go b.followChanges(b.opts.Changes)
	}
	return b, nil
}

// Defaults of the list's slow period and of another distro's details.
//
// Ten seconds: a distro started or stopped outside wsldash (a terminal opened, `wsl -t`) shows
// within 10 s, well inside the time WSL itself takes to act on it (an instance stays 15 s after
// its last client, the VM 60 s after its last instance), and the list then costs 0.1 wsl.exe
// starts a second. What wsldash does itself, the probe's end (its distro stopped) and, on
// Windows, a change of the Lxss registry key (installed, unregistered, moved, new default)
// refresh it at once.
const (
	DefaultListTTL   = 10 * time.Second
	DefaultDetailTTL = 10 * time.Second
)

// followChanges forgets the cached list on each change notification.
func (b *Backend) followChanges(ch <-chan struct{}) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
			b.invalidate()
		case <-b.quit:
			return
		}
	}
}

// Options returns the options in force (defaults filled in).
func (b *Backend) Options() Options { return b.opts }

// IsInsideWSL reports whether this Linux process runs inside a WSL distro with interop: the
// WSLInterop binfmt entry exists, or WSL_DISTRO_NAME is set, or /proc/version names Microsoft.
func IsInsideWSL() bool {
	return runtime.GOOS == "linux" && guestprobe.InsideWSL()
}

// IsWSL1Kernel reports whether /proc/version's text is WSL 1's: "4.4.0-19041-Microsoft
// (Microsoft@Microsoft.com)", the Windows kernel's Linux emulation, against WSL 2's
// "6.6.87.2-microsoft-standard-WSL2" (wsl-facts §10). Under WSL 1 /proc/meminfo describes
// Windows, not a VM.
func IsWSL1Kernel(version []byte) bool {
	v := string(version)
	return strings.Contains(v, "-Microsoft") && !strings.Contains(strings.ToLower(v), "wsl2") &&
		!strings.Contains(v, "microsoft-standard")
}

func defaultWinPath(inside bool) func(string) (string, error) {
	if !inside {
		return func(p string) (string, error) { return p, nil }
	}
	return func(p string) (string, error) {
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		out, err := exec.Command("wslpath", "-w", abs).Output()
		if err != nil {
			return "", fmt.Errorf("wslpath -w %s: %w", abs, err)
		}
		return strings.TrimSpace(string(out)), nil
	}
}

func defaultWindowsDataDir(inside bool) func() (string, error) {
	if !inside {
		return func() (string, error) {
			if runtime.GOOS != "windows" {
				return "", errors.New("not on Windows and not inside WSL")
			}
			return os.UserCacheDir()
		}
	}
	return func() (string, error) {
		cfg, err := wslconfig.DefaultPath() // <profile>/.wslconfig, through interop
		if err != nil {
			return "", err
		}
		return filepath.Join(filepath.Dir(cfg), "AppData", "Local"), nil
	}
}

func (b *Backend) ready(op string) error {
	if b.runErr != nil {
		var be *backend.Error
		if errors.As(b.runErr, &be) {
			e := *be
			e.Op = op
			return &e
		}
		return b.runErr
	}
	return nil
}

func key(name string) string { return strings.ToLower(name) }

// Info describes the backend. `wsl.exe --version` is asked once; an inbox wsl.exe has none.
func (b *Backend) Info(ctx context.Context) (backend.Info, error) {
	info := backend.Info{Backend: "wsl", Label: "WSL"}
	info.Hostname, _ = os.Hostname()
	if err := b.ready("info"); err != nil {
		return info, err
	}
	ctx = wslexe.Operation(ctx)
	b.mu.Lock()
	v := b.version
	b.mu.Unlock()
	if v == nil {
		res, err := b.run.Run(ctx, "--version")
		if err == nil || wslexe.IsWSLFailure(res.ExitCode) {
			pv, perr := wslout.ParseVersion(res.Text())
			if perr != nil {
				pv = wslout.Version{} // inbox: no --version; remember that
			}
			v = &pv
			b.mu.Lock()
			b.version = v
			b.mu.Unlock()
		} else if backend.KindOf(err) == backend.KindTimeout || ctx.Err() != nil {
			return info, err
		}
	}
	if v != nil {
		info.WSLVersion, info.KernelVersion, info.WindowsVersion = v.WSL, v.Kernel, v.Windows
	}
	info.ReclaimMode = b.reclaimMode()
	ds, err := b.Distros(ctx)
	if err != nil {
		return info, err
	}
	for _, d := range ds {
		if d.Default {
			info.DefaultDistro = d.Name
		}
	}
	return info, nil
}

// reclaimMode is experimental.autoMemoryReclaim from .wslconfig (WSL's default when the file or
// key is absent), or "" when the file cannot be found.
func (b *Backend) reclaimMode() backend.ReclaimMode {
	if p, _ := b.wslconfigPath(); p == "" {
		return ""
	}
	f, err := wslconfig.ReadFile(b.cfgPath)
	if err != nil {
		return ""
	}
	return wslconfig.ReclaimMode(f)
}

// Distros lists the distros from `wsl.exe -l -v`, cached for ListTTL (errors too, so a hung
// wsl.exe is not asked again on every refresh) or until something says it changed: an action,
// the end of the probe's stream, a Changes notification. It is enriched with the registry when
// a HostSource is set. Distros the dashboard keeps running are marked Held.
func (b *Backend) Distros(ctx context.Context) ([]backend.Distro, error) {
	if err := b.ready("list"); err != nil {
		return nil, err
	}
	if ds, err, ok := b.cachedList(); ok {
		return ds, err
	}
	b.listMu.Lock()
	defer b.listMu.Unlock()
	if ds, err, ok := b.cachedList(); ok {
		return ds, err
	}
	ds, err := b.fetchList(wslexe.Operation(ctx))
	if ctx.Err() != nil {
		return nil, err // a cancelled call says nothing about wsl.exe: don't cache it
	}
	b.mu.Lock()
	b.list, b.listErr, b.listAt, b.listOK = ds, err, b.opts.Now(), true
	b.mu.Unlock()
	return b.withKept(b.cachedListLocked())
}

// listAge is how old the cached list is (very old when there is none).
func (b *Backend) listAge() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.listOK {
		return 1<<63 - 1
	}
	return b.opts.Now().Sub(b.listAt)
}

func (b *Backend) cachedList() ([]backend.Distro, error, bool) {
	b.mu.Lock()
	fresh := b.listOK && b.opts.Now().Sub(b.listAt) < b.opts.ListTTL
	b.mu.Unlock()
	if !fresh {
		return nil, nil, false
	}
	ds, err := b.withKept(b.cachedListLocked())
	return ds, err, true
}

// cachedListLocked copies the cached list and marks held distros (takes b.mu).
func (b *Backend) cachedListLocked() ([]backend.Distro, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.listErr != nil {
		return nil, b.listErr
	}
	out := make([]backend.Distro, len(b.list))
	copy(out, b.list)
	for i := range out {
		k := key(out[i].Name)
		if b.held[k] != nil || (b.probe != nil && key(b.probe.distro) == k && !b.probe.dead()) {
			out[i].Held = true
		}
	}
	return out, nil
}

// invalidate forgets the cached list so the next Distros asks wsl.exe.
func (b *Backend) invalidate() {
	b.mu.Lock()
	b.listOK = false
	b.mu.Unlock()
}

func (b *Backend) fetchList(ctx context.Context) ([]backend.Distro, error) {
	res, err := b.run.Run(ctx, "-l", "-v")
	if err != nil {
		if !wslexe.IsWSLFailure(res.ExitCode) {
			return nil, err
		}
		if wslout.IsNoDistros(res.Text()) {
			return []backend.Distro{}, nil
		}
		if backend.CodeOf(err) == "" && backend.KindOf(err) != backend.KindTimeout {
			// A failure without a code is how wsl.exe reports "no distros"; in a language we
			// don't recognise, -l -q (empty, exit 0 when none) settles it.
			if q, qerr := b.run.Run(ctx, "-l", "-q"); qerr == nil {
				if names, perr := wslout.ParseListQuiet(q.Text()); perr == nil && len(names) == 0 {
					return []backend.Distro{}, nil
				}
			}
		}
		return nil, err
	}
	v, err := wslout.ParseListVerbose(res.Text())
	if err != nil {
		return nil, err
	}
	ds := make([]backend.Distro, 0, len(v.Entries))
	for _, e := range v.Entries {
		ds = append(ds, backend.Distro{Name: e.Name, State: e.State, Version: e.Version, Default: e.Default})
	}
	var regs []winhost.Registration
	if b.opts.Host != nil {
		regs, _ = b.opts.Host.Registrations()
	}
	if !v.HasMarker && len(ds) > 0 {
		// WSL 2.4.4 printed no '*' (microsoft/WSL#12302): ask the registry, else --status.
		def := ""
		for _, r := range regs {
			if r.Default {
				def = r.Name
			}
		}
		if def == "" {
			if sr, serr := b.run.Run(ctx, "--status"); serr == nil {
				if st, perr := wslout.ParseStatus(sr.Text()); perr == nil {
					def = st.DefaultDistro
				}
			}
		}
		for i := range ds {
			ds[i].Default = def != "" && strings.EqualFold(ds[i].Name, def)
		}
	}
	for i := range ds {
		for _, r := range regs {
			if !strings.EqualFold(r.Name, ds[i].Name) {
				continue
			}
			ds[i].BasePath, ds[i].DiskPath = r.BasePath, r.DiskPath()
			if ds[i].DiskPath != "" {
				if n, err := b.opts.Host.DiskUsage(ds[i].DiskPath); err == nil {
					ds[i].DiskBytes = n
				}
			}
		}
	}
	return ds, nil
}

// Close stops the probe and lets go of every distro held running.
func (b *Backend) Close() error {
	b.mu.Lock()
	if !b.closed {
		close(b.quit)
	}
	b.closed = true
	p := b.probe
	b.probe = nil
	held := b.held
	b.held = map[string]*wslexe.Proc{}
	b.mu.Unlock()
	if p != nil {
		p.stop()
	}
	for _, h := range held {
		h.Stop()
	}
	b.dmem.wg.Wait() // a per-distro memory look in progress (distromem.go)
	if b.fs != nil {
		b.fs.Close() // the guest's /proc files kept open between samples
	}
	if c, ok := b.opts.Host.(io.Closer); ok && b.opts.Host != nil {
		return c.Close()
	}
	return nil
}

// ShellCommand is `wsl.exe -d X --cd ~`, for the caller to run with the terminal.
func (b *Backend) ShellCommand(distro string) (*exec.Cmd, error) {
	if err := b.ready("shell"); err != nil {
		return nil, err
	}
	args := []string{}
	if distro != "" {
		args = append(args, "-d", distro)
	}
	args = append(args, "--cd", "~")
	cmd := exec.Command(b.run.Exe, args...)
	cmd.Env = wslexe.Env(os.Environ())
	return cmd, nil
}
