package demo

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// The Manager, simulated: the online catalogue, install, move, resize, sparse, default user,
// compact and rename change the simulated host as wsl.exe changes the real one, take their time
// on the injected clock (through Options.Wait) and refuse what the wsl backend refuses, with
// wsl.exe's words where it has them. Nothing is downloaded or written to disk.

var _ backend.Manager = (*Backend)(nil)

// catalogue is `wsl --list --online` as wsl-facts.md §10.2 shows it.
var catalogue = []backend.OnlineDistro{
	{Name: "Ubuntu", FriendlyName: "Ubuntu"},
	{Name: "Ubuntu-24.04", FriendlyName: "Ubuntu 24.04 LTS"},
	{Name: "openSUSE-Tumbleweed", FriendlyName: "openSUSE Tumbleweed"},
	{Name: "openSUSE-Leap-16.0", FriendlyName: "openSUSE Leap 16.0"},
	{Name: "SUSE-Linux-Enterprise-15-SP7", FriendlyName: "SUSE Linux Enterprise 15 SP7"},
	{Name: "SUSE-Linux-Enterprise-16.0", FriendlyName: "SUSE Linux Enterprise 16.0"},
	{Name: "kali-linux", FriendlyName: "Kali Linux Rolling"},
	{Name: "Debian", FriendlyName: "Debian GNU/Linux"},
}

const (
	// catalogueDelay is wsl --list --online fetching the manifest.
	catalogueDelay = 800 * time.Millisecond
	// downloadRate is the simulated download of a distro's .wsl file (bytes a second, before
	// Options.Speed), and downloadBytes its size.
	downloadRate  = 40 * mib
	downloadBytes = 360 * mib
	// installedBytes is a fresh distro's ext4.vhdx.
	installedBytes = 1_288_490_188
	// manageDelay is a quick wsl --manage (resize, sparse, set-user) and fstrim.
	manageDelay = 1200 * time.Millisecond
)

// OnlineDistros is the catalogue, after the time fetching it takes.
func (b *Backend) OnlineDistros(ctx context.Context) ([]backend.OnlineDistro, error) {
	if err := b.wait(ctx, catalogueDelay); err != nil {
		return nil, &backend.Error{Kind: backend.KindFailed, Op: "install --list", Message: "cancelled", Err: err}
	}
	return append([]backend.OnlineDistro(nil), catalogue...), nil
}

func findCatalogue(name string) (backend.OnlineDistro, bool) {
	for _, c := range catalogue {
		if strings.EqualFold(c.Name, name) {
			return c, true
		}
	}
	return backend.OnlineDistro{}, false
}

// Install "downloads" a catalogue distro (not one from a file) and registers it, reporting the
// phases as wsl.exe prints them. The new distro is stopped and has no user yet (its first-run
// set-up), like one installed with --no-launch; a cancelled install registers nothing.
func (b *Backend) Install(ctx context.Context, o backend.InstallOptions, progress func(backend.InstallProgress)) (backend.InstallResult, error) {
	res := backend.InstallResult{Distro: o.Name, Source: o.Distro}
	fail := func(kind backend.Kind, distro, msg, code string) (backend.InstallResult, error) {
		return res, &backend.Error{Kind: kind, Op: "install", Distro: distro, Message: msg, Code: code}
	}
	if (o.Distro == "") == (o.FromFile == "") {
		return fail(backend.KindFailed, "", "give a distro from the catalogue or --from-file FILE (one of them)", "")
	}
	label, name := "", o.Name
	if o.FromFile != "" {
		res.Source = o.FromFile
		base := filepath.Base(strings.ReplaceAll(o.FromFile, `\`, "/"))
		label = base
		if name == "" {
			name = strings.TrimSuffix(base, filepath.Ext(base))
		}
	} else {
		c, ok := findCatalogue(o.Distro)
		if !ok {
			return fail(backend.KindNotFound, o.Distro, fmt.Sprintf("Invalid distribution name: '%s'.\nTo get a list of valid distributions, use 'wsl.exe --list --online'.", o.Distro),
				"Wsl/InstallDistro/WSL_E_DISTRO_NOT_FOUND")
		}
		label = c.FriendlyName
		if name == "" {
			name = c.Name
		}
	}
	res.Distro = name
	b.mu.Lock()
	b.advance()
	err := b.checkNew(backend.ActInstall, name, 0)
	if err == nil && o.FromFile != "" {
		// The file must exist: a demo archive, or a real file (of which nothing is read).
		_, inDemo := b.lops.archives[pathKey(o.FromFile)]
		if st, serr := os.Stat(o.FromFile); !inDemo && (serr != nil || !st.Mode().IsRegular()) {
			err = &backend.Error{Kind: backend.KindNotFound, Op: "install", Distro: name,
				Message: "The system cannot find the file specified.", Code: "Wsl/InstallDistro/ERROR_FILE_NOT_FOUND"}
		}
	}
	if err == nil {
		err = b.begin(name)
	}
	b.mu.Unlock()
	if err != nil {
		return res, withOp(err, "install")
	}
	began := b.clock.Now()
	report := func(phase, text string) {
		if progress != nil {
			progress(backend.InstallProgress{Phase: phase, Text: text, Elapsed: b.clock.Now().Sub(began)})
		}
	}
	var werr error
	if o.FromFile == "" {
		text := "Downloading: " + label
		report(backend.InstallDownloading, text)
		werr = b.steps(ctx, time.Duration(float64(downloadBytes)/(downloadRate*b.sim.speed)*float64(time.Second)), func() { report(backend.InstallDownloading, text) })
	}
	if werr == nil {
		text := "Installing: " + label
		report(backend.InstallInstalling, text)
		werr = b.steps(ctx, time.Duration(float64(installedBytes)/(archiveRate*b.sim.speed)*float64(time.Second)), func() { report(backend.InstallInstalling, text) })
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(name)
	if werr != nil {
		return res, &backend.Error{Kind: backend.KindFailed, Op: "install", Distro: name, Message: "cancelled; nothing was installed", Err: werr}
	}
	b.advance()
	dir := o.Location
	if dir == "" {
		dir = fmt.Sprintf(`%s\wsl\{%08x-demo-4000-8000-%012x}`, profile, len(b.sim.distros), len(name))
	}
	nd := &simDistro{
		Distro:   backend.Distro{Name: name, State: backend.StateStopped, Version: 2, BasePath: dir, DiskPath: dir + `\ext4.vhdx`, DiskBytes: installedBytes},
		base:     36 * mib,
		work:     workload{Period: 600, Busy: 20, BusyCPU: 30, IdleCPU: 0.05, BusyCacheRate: 4 * mib, IdleCacheRate: 16 * kib, BootCache: 110 * mib},
		procs:    []simProc{{pid: 1, name: "init", user: "root", rss: 1 * mib}, {pid: 8, name: "bash", user: "root", rss: 4 * mib}},
		firstRun: true,
	}
	b.sim.distros = append(b.sim.distros, nd)
	if !b.hasDefault() {
		nd.Default = true
	}
	res.FirstRun = fmt.Sprintf("%s is installed without a user yet: open its shell (wsl -d %s, or enter on it in the dashboard) to create one; wsldash does not wait for that set-up", name, name)
	return res, nil
}

// steps waits d in progressStep pieces, calling tick after each, on the injected clock.
func (b *Backend) steps(ctx context.Context, d time.Duration, tick func()) error {
	for left := d; left > 0; left -= progressStep {
		step := min(left, progressStep)
		if err := b.wait(ctx, step); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		tick()
	}
	return nil
}

// list is the simulated distros as Distros lists them (in the simulation's order). Callers hold
// b.mu.
func (b *Backend) list() []backend.Distro {
	out := make([]backend.Distro, len(b.sim.distros))
	for i, d := range b.sim.distros {
		out[i] = d.Distro
	}
	return out
}

// precheck finds the distro named name if backend.Precheck lets a be done to it now, as the wsl
// backend decides. Callers hold b.mu.
func (b *Backend) precheck(a backend.Action, name string) (*simDistro, error) {
	if err := backend.Precheck(a, name, b.list()); err != nil {
		return nil, err
	}
	return b.find(name)
}

// manageable finds a distro that wsl --manage can change (backend.Precheck: a WSL 2 one, not
// busy) and that nothing else works on. It stops a running one first, as the wsl backend does.
// Callers hold b.mu; on success the name is begun (the caller ends it).
func (b *Backend) manageable(a backend.Action, name string) (*simDistro, error) {
	b.advance()
	d, err := b.precheck(a, name)
	if err != nil {
		return nil, err
	}
	if err := b.begin(d.Name); err != nil {
		return nil, withOp(err, string(a))
	}
	b.stop(d)
	return d, nil
}

// Move moves a WSL 2 distro's disk to dir (stopping it first), taking the time copying the disk
// would; the registration follows (the demo has no microsoft/WSL#40716).
func (b *Backend) Move(ctx context.Context, name, dir string) (backend.MoveResult, error) {
	res := backend.MoveResult{Distro: name, To: dir}
	if dir == "" {
		return res, &backend.Error{Kind: backend.KindFailed, Op: "move", Distro: name, Message: "no folder to move to"}
	}
	b.mu.Lock()
	d, err := b.manageable(backend.ActMove, name)
	if err != nil {
		b.mu.Unlock()
		return res, err
	}
	res.Distro, res.Before = d.Name, d.BasePath
	n := d.DiskBytes
	b.mu.Unlock()
	werr := b.transfer(ctx, n, nil)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(d.Name)
	if werr != nil {
		res.After, res.Verified = d.BasePath, true
		return res, &backend.Error{Kind: backend.KindFailed, Op: "move", Distro: d.Name, Message: "cancelled; the disk stays where it was", Err: werr}
	}
	d.BasePath, d.DiskPath = dir, dir+`\ext4.vhdx`
	res.After, res.Verified = d.BasePath, true
	return res, nil
}

// Resize sets the disk's maximum size (stopping the distro first); a size below what the disk
// holds is refused, as resize2fs would.
func (b *Backend) Resize(ctx context.Context, name, size string) error {
	max, err := backend.ParseSize(size)
	if err != nil {
		err.(*backend.Error).Distro = name
		return err
	}
	return b.quickManage(ctx, backend.ActResize, name, func(d *simDistro) error {
		if used := usedBytes(d); max < used {
			return &backend.Error{Kind: backend.KindFailed, Op: "resize", Distro: d.Name,
				Message: fmt.Sprintf("%s holds %.1f GiB: the disk cannot be smaller than that", d.Name, float64(used)/(1<<30))}
		}
		d.maxBytes = max
		return nil
	})
}

// quickManage runs a short wsl --manage on a stopped WSL 2 distro: the checks, the wait, then
// change (which may still refuse).
func (b *Backend) quickManage(ctx context.Context, a backend.Action, name string, change func(d *simDistro) error) error {
	op := string(a)
	b.mu.Lock()
	d, err := b.manageable(a, name)
	b.mu.Unlock()
	if err != nil {
		return err
	}
	werr := b.wait(ctx, manageDelay)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(d.Name)
	if werr != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: op, Distro: d.Name, Message: "cancelled; nothing was changed", Err: werr}
	}
	return change(d)
}

// SetSparse makes the disk sparse or not (stopping the distro first). Enabling without
// allowUnsafe is refused with WSL's own message.
func (b *Backend) SetSparse(ctx context.Context, name string, on, allowUnsafe bool) error {
	if on && !allowUnsafe {
		b.mu.Lock()
		d, err := b.precheck(backend.ActSparse, name)
		b.mu.Unlock()
		if err != nil {
			return err
		}
		return &backend.Error{Kind: backend.KindFailed, Op: "sparse", Distro: d.Name, Code: "Wsl/Service/E_INVALIDARG",
			Message: "Sparse VHD support is currently disabled due to potential data corruption.\nTo force a distribution to use a sparse VHD, please run:\nwsl.exe --manage " + d.Name + " --set-sparse true --allow-unsafe"}
	}
	return b.quickManage(ctx, backend.ActSparse, name, func(d *simDistro) error {
		d.sparse = on
		return nil
	})
}

// users are the users a distro has: root, the users its processes run as, and its default user.
func users(d *simDistro) map[string]bool {
	u := map[string]bool{"root": true}
	if d.user != "" {
		u[d.user] = true
	}
	for _, p := range d.procs {
		if _, err := strconv.Atoi(p.user); err != nil {
			u[p.user] = true
		}
	}
	return u
}

// SetDefaultUser sets the user the distro's shells start as; the user must exist inside (wsl.exe
// asks `id -u` there). WSL 1 distros have one too.
func (b *Backend) SetDefaultUser(ctx context.Context, name, user string) error {
	if err := backend.CheckUserName(user); err != nil {
		err.(*backend.Error).Distro = name
		return err
	}
	b.mu.Lock()
	b.advance()
	d, err := b.precheck(backend.ActSetUser, name)
	if err == nil {
		err = b.begin(d.Name)
	}
	b.mu.Unlock()
	if err != nil {
		return withOp(err, "set-user")
	}
	werr := b.wait(ctx, manageDelay)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(d.Name)
	if werr != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "set-user", Distro: d.Name, Message: "cancelled; nothing was changed", Err: werr}
	}
	if !users(d)[user] {
		return &backend.Error{Kind: backend.KindNotFound, Op: "set-user", Distro: d.Name,
			Message: fmt.Sprintf("no user %q in %s: /usr/bin/id: '%s': no such user", user, d.Name, user)}
	}
	d.user = user
	d.firstRun = false
	return nil
}

// usedBytes is what the distro's disk holds inside (the rest of the file is free blocks that
// only compact gives back): about 55% of the file, less after a compact. Callers hold b.mu.
func usedBytes(d *simDistro) int64 {
	if d.used > 0 {
		return d.used
	}
	return d.DiskBytes * 55 / 100
}

// Compact gives a WSL 2 distro's free space back in the wsl backend's order (fstrim inside, stop;
// with Sparse make the disk sparse first, so the file shrinks; without, the file keeps its size
// until the elevated Optimize-VHD the result names). DryRun only plans.
func (b *Backend) Compact(ctx context.Context, name string, o backend.CompactOptions) (backend.CompactResult, error) {
	res := backend.CompactResult{Distro: name, DryRun: o.DryRun, Method: "elevated", Steps: []string{}}
	if o.Sparse {
		res.Method = "sparse"
	}
	b.mu.Lock()
	b.advance()
	d, err := b.precheck(backend.ActCompact, name)
	if err != nil {
		b.mu.Unlock()
		return res, err
	}
	res.Distro = d.Name
	res.DiskPath = cmp.Or(d.DiskPath, d.BasePath+`\ext4.vhdx`)
	before := d.DiskBytes
	res.Before = &before
	b.mu.Unlock()
	backend.PlanCompact(&res, d.Name, res.DiskPath, o.Sparse)
	if o.DryRun {
		return res, nil
	}
	if o.Sparse {
		if err := b.SetSparse(ctx, d.Name, true, true); err != nil {
			return res, err
		}
	}
	b.mu.Lock()
	err = b.begin(d.Name)
	b.mu.Unlock()
	if err != nil {
		return res, withOp(err, "compact")
	}
	werr := b.wait(ctx, manageDelay)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(d.Name)
	if werr != nil {
		return res, &backend.Error{Kind: backend.KindFailed, Op: "compact", Distro: d.Name, Message: "cancelled during fstrim; the disk is as it was", Err: werr}
	}
	b.advance()
	used := usedBytes(d)
	trimmed := max(d.DiskBytes-used, 0)
	res.Trimmed = &trimmed
	d.used = used
	if d.sparse {
		d.DiskBytes = used
	}
	b.stop(d)
	after := d.DiskBytes
	res.After = &after
	return res, nil
}

// Rename renames a stopped distro. It refuses what backend.Precheck and CheckNewName refuse (a
// running or busy distro, a name taken in any case, a name WSL would not accept), as the wsl
// backend does.
func (b *Backend) Rename(ctx context.Context, name, newName string) (backend.RenameResult, error) {
	res := backend.RenameResult{Distro: name, NewName: newName, Profiles: []backend.ProfileFile{},
		Note: "demo: no Windows Terminal files were looked at"}
	return res, b.rename(name, newName)
}

func (b *Backend) rename(name, newName string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	d, err := b.precheck(backend.ActRename, name)
	if err != nil {
		return err
	}
	if err := backend.CheckNewName(backend.ActRename, newName, name, b.list()); err != nil {
		return err
	}
	if b.pending[strings.ToLower(d.Name)] {
		return &backend.Error{Kind: backend.KindBusy, Op: "rename", Distro: d.Name, Message: "another operation is in progress on this distro"}
	}
	d.Name = newName
	return nil
}
