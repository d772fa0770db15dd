package wsl

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

// Managing distros: the online catalogue, install, and wsl --manage (move, resize, sparse,
// default user), and compact built on them. Every command that needs a newer wsl.exe than the
// installed one is refused up front with the version it needs (wsl --version, asked once).

// Minimum WSL versions. --move and --resize: Docs disk-space.md ("WSL 2.5 or later",
// wsl-facts.md §2). --manage itself (--set-sparse, --set-default-user) exists only in the Store
// WSL; which 2.x release added each is not documented, so only the inbox wsl.exe (no --version)
// is refused for them and a Store wsl.exe's own error is passed on.
const (
	minMove   = "2.5.0"
	minResize = "2.5.0"
)

// The option and result types are package backend's (the Manager interface); these names
// keep the wsl package's callers short.
type (
	InstallOptions  = backend.InstallOptions
	InstallResult   = backend.InstallResult
	MoveResult      = backend.MoveResult
	CompactOptions  = backend.CompactOptions
	CompactResult   = backend.CompactResult
	InstallProgress = backend.InstallProgress
)

var _ backend.Manager = (*Backend)(nil)

// wslVersion is the installed WSL's version ("" for an inbox wsl.exe without --version).
func (b *Backend) wslVersion(ctx context.Context) (string, error) {
	b.mu.Lock()
	v := b.version
	b.mu.Unlock()
	if v != nil {
		return v.WSL, nil
	}
	res, err := b.run.Run(wslexe.Operation(ctx), "--version")
	if err != nil && !wslexe.IsWSLFailure(res.ExitCode) {
		return "", err
	}
	pv, perr := wslout.ParseVersion(res.Text())
	if perr != nil {
		pv = wslout.Version{}
	}
	b.mu.Lock()
	b.version = &pv
	b.mu.Unlock()
	return pv.WSL, nil
}

// requireWSL refuses op when the installed WSL is older than min ("" min: any Store WSL), with
// the reason Capabilities gives.
func (b *Backend) requireWSL(ctx context.Context, op, distro, min string) error {
	v, err := b.wslVersion(ctx)
	if err != nil {
		return err
	}
	if r := needs(v, min); r != "" {
		return &backend.Error{Kind: backend.KindUnsupported, Op: op, Distro: distro, Message: op + " " + r}
	}
	return nil
}

// VersionLess compares dotted versions numerically ("2.4.13.0" < "2.5.0"); a part that is not a
// number compares as 0.
func VersionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(strings.TrimSpace(pa[i]))
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(strings.TrimSpace(pb[i]))
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// OnlineDistros is the catalogue, from `wsl.exe --list --online` (it downloads the manifest).
func (b *Backend) OnlineDistros(ctx context.Context) ([]backend.OnlineDistro, error) {
	if err := b.ready("install --list"); err != nil {
		return nil, err
	}
	if err := b.requireWSL(ctx, "install --list", "", ""); err != nil {
		return nil, err
	}
	res, err := b.run.Run(ctx, "--list", "--online")
	if err != nil {
		return nil, err
	}
	return wslout.ParseOnline(res.Text())
}

// InstallArgs are the wsl.exe arguments for o, paths already in Windows form. --no-launch is
// always there: wsl.exe would otherwise start the distro's first-run set-up and wait for a user.
func InstallArgs(o InstallOptions) []string {
	args := []string{"--install"}
	if o.Distro != "" {
		args = append(args, o.Distro)
	}
	if o.FromFile != "" {
		args = append(args, "--from-file", o.FromFile)
	}
	if o.Name != "" {
		args = append(args, "--name", o.Name)
	}
	if o.Location != "" {
		args = append(args, "--location", o.Location)
	}
	if o.WebDownload {
		args = append(args, "--web-download")
	}
	return append(args, "--no-launch")
}

// Install runs `wsl.exe --install DISTRO [--from-file F] [--name N] [--location DIR]
// [--web-download] --no-launch` without the per-call timeout (it downloads). progress, if set,
// is called every PollInterval and whenever wsl.exe prints a new line: its phase ("Downloading:
// <friendly name>", "Installing: <friendly name>", WslInstall.cpp) and the time so far; there
// are no byte counts (wsl.exe's download bar, ConsoleProgressBar, draws only on a console). The
// new distro is registered but has no user yet: the result says how to finish its set-up.
func (b *Backend) Install(ctx context.Context, o InstallOptions, progress func(InstallProgress)) (InstallResult, error) {
	res := InstallResult{Distro: o.Name, Source: o.Distro}
	if err := b.ready("install"); err != nil {
		return res, err
	}
	if (o.Distro == "") == (o.FromFile == "") {
		return res, &backend.Error{Kind: backend.KindFailed, Op: "install", Message: "give a distro from the catalogue or --from-file FILE (one of them)"}
	}
	if o.Distro != "" && !backend.IsDistroName(o.Distro) {
		return res, &backend.Error{Kind: backend.KindNotFound, Op: "install", Distro: o.Distro, Message: fmt.Sprintf("%q is not a valid distro name", o.Distro)}
	}
	if o.Name != "" {
		if err := backend.ValidDistroName(o.Name); err != nil {
			return res, withOp(err, "install", o.Name)
		}
	}
	if err := b.requireWSL(ctx, "install", o.Distro, ""); err != nil {
		return res, err
	}
	// The new distro's name (a file without --name names itself, inside): no distro may have it
	// already.
	name := o.Name
	if name == "" && o.FromFile == "" {
		name = o.Distro
	}
	if name != "" {
		ds, err := b.fresh(ctx)
		if err != nil {
			return res, err
		}
		if err := backend.CheckNewName(backend.ActInstall, name, "", ds); err != nil {
			return res, err
		}
	}
	if res.Distro == "" {
		res.Distro = o.Distro
	}
	if o.FromFile != "" {
		res.Source = o.FromFile
	}
	w := o
	for _, p := range []*string{&w.Location, &w.FromFile} {
		if *p == "" {
			continue
		}
		wp, err := b.opts.WinPath(*p)
		if err != nil {
			return res, &backend.Error{Kind: backend.KindFailed, Op: "install", Distro: res.Distro, Message: err.Error(), Err: err}
		}
		*p = wp
	}
	defer b.invalidate()
	began := b.opts.Now()
	var p InstallProgress
	report := func() {
		if progress != nil {
			p.Elapsed = b.opts.Now().Sub(began)
			progress(p)
		}
	}
	onLine := func(l string) {
		p.Text = l
		switch {
		case strings.HasPrefix(l, "Downloading:"):
			p.Phase = backend.InstallDownloading
		case strings.HasPrefix(l, "Installing:"):
			p.Phase = backend.InstallInstalling
		}
		report()
	}
	if err := b.runLongText(ctx, "install", report, onLine, InstallArgs(w)...); err != nil {
		return res, withDistro(err, res.Distro)
	}
	if res.Distro == "" {
		// --from-file without --name: WSL takes the name from the file's own
		// /etc/wsl-distribution.conf, which wsldash does not read.
		res.FirstRun = "the distro is installed without a user yet (its name is the one its file gives; see wsldash list): open its shell (wsl -d NAME) to create one; wsldash does not wait for that set-up"
		return res, nil
	}
	res.FirstRun = fmt.Sprintf("%s is installed without a user yet: open its shell (wsl -d %s, or enter on it in the dashboard) to create one; wsldash does not wait for that set-up", res.Distro, res.Distro)
	return res, nil
}

// fresh is the distro list read now, not the cache: what the checks right before an action
// decide on.
func (b *Backend) fresh(ctx context.Context) ([]backend.Distro, error) {
	b.invalidate()
	return b.Distros(ctx)
}

// precheck returns the distro named name from a fresh list if backend.Precheck lets a be done
// to it now.
func (b *Backend) precheck(ctx context.Context, a backend.Action, name string) (backend.Distro, []backend.Distro, error) {
	ds, err := b.fresh(ctx)
	if err != nil {
		return backend.Distro{}, nil, err
	}
	if err := backend.Precheck(a, name, ds); err != nil {
		return backend.Distro{}, ds, err
	}
	d, _ := backend.FindDistro(ds, name)
	return d, ds, nil
}

// withOp fills in a rule's refusal with the operation and distro it is about.
func withOp(err error, op, distro string) error {
	if e, ok := err.(*backend.Error); ok {
		if e.Op == "" {
			e.Op = op
		}
		if e.Distro == "" {
			e.Distro = distro
		}
	}
	return err
}

// find returns the distro named name from a fresh list.
func (b *Backend) find(ctx context.Context, op, name string) (backend.Distro, error) {
	b.invalidate()
	ds, err := b.Distros(ctx)
	if err != nil {
		return backend.Distro{}, err
	}
	for _, d := range ds {
		if strings.EqualFold(d.Name, name) {
			return d, nil
		}
	}
	return backend.Distro{}, &backend.Error{Kind: backend.KindNotFound, Op: op, Distro: name, Message: "no such distro"}
}

// stopFor terminates d if it runs (wsl --manage needs it stopped).
func (b *Backend) stopFor(ctx context.Context, d backend.Distro) error {
	if d.State == backend.StateStopped {
		return nil
	}
	return b.Terminate(ctx, d.Name)
}

// manageStopped runs `wsl.exe --manage NAME <args>` on a stopped distro (stopping it first),
// as a long operation (moving or converting a disk takes minutes). It returns the distro as it
// was before (its zero value when a check refused it).
func (b *Backend) manageStopped(ctx context.Context, a backend.Action, name, min string, args ...string) (backend.Distro, error) {
	op := string(a)
	if err := b.checkName(op, name); err != nil {
		return backend.Distro{}, err
	}
	if err := b.requireWSL(ctx, op, name, min); err != nil {
		return backend.Distro{}, err
	}
	d, _, err := b.precheck(ctx, a, name)
	if err != nil {
		return d, err
	}
	done, err := b.begin(op, d.Name)
	if err != nil {
		return d, err
	}
	defer done()
	if err := b.stopFor(ctx, d); err != nil {
		return d, err
	}
	err = b.runLong(ctx, op, nil, append([]string{"--manage", d.Name}, args...)...)
	return d, withDistro(err, d.Name)
}

// Move runs `wsl.exe --manage NAME --move DIR` (stopping the distro first), then reads the
// registration back: a known WSL bug moves the disk and leaves BasePath as it was
// (microsoft/WSL#40716), which Stale reports. A failed move whose registration is stale comes
// back with both the result and the error.
func (b *Backend) Move(ctx context.Context, name, dir string) (MoveResult, error) {
	res := MoveResult{Distro: name, To: dir}
	wdir, err := b.opts.WinPath(dir)
	if err != nil {
		return res, &backend.Error{Kind: backend.KindFailed, Op: "move", Distro: name, Message: err.Error(), Err: err}
	}
	res.To = wdir
	d, merr := b.manageStopped(ctx, backend.ActMove, name, minMove, "--move", wdir)
	res.Distro, res.Before = d.Name, d.BasePath
	if d.Name == "" || (merr != nil && backend.KindOf(merr) == backend.KindUnsupported) {
		return res, merr
	}
	after, err := b.find(ctx, "move", d.Name)
	if err != nil || b.opts.Host == nil || d.BasePath == "" {
		res.Note = "the registration could not be read back (no registry access here): check `wsldash list --json`'s base_path"
		return res, merr
	}
	res.After, res.Verified = after.BasePath, true
	switch {
	case samePath(after.BasePath, wdir):
	case samePath(after.BasePath, d.BasePath) && merr != nil && !strings.HasSuffix(backend.CodeOf(merr), "E_ACCESSDENIED"):
		res.Note = fmt.Sprintf("the move failed and the registration still points at %s", d.BasePath)
	case samePath(after.BasePath, d.BasePath):
		// Either wsl.exe said it moved the distro, or it failed with the known bug's
		// E_ACCESSDENIED after moving the disk.
		res.Stale = true
		res.Note = fmt.Sprintf("the registration still points at %s (a known WSL bug, microsoft/WSL#40716): the disk may be in %s while WSL looks in the old folder; do not delete either folder", d.BasePath, wdir)
	default:
		res.Note = fmt.Sprintf("the registration now points at %s, neither the old folder nor %s", after.BasePath, wdir)
	}
	return res, merr
}

// samePath compares Windows paths: case-insensitive, either slash, no trailing separator, no
// \\?\ prefix.
func samePath(a, b string) bool {
	norm := func(p string) string {
		p = strings.ReplaceAll(p, "/", `\`)
		p = strings.TrimPrefix(p, `\\?\`)
		return strings.ToLower(strings.TrimRight(p, `\`))
	}
	return a != "" && norm(a) == norm(b)
}

// Resize runs `wsl.exe --manage NAME --resize SIZE` (stopping the distro first); SIZE is in
// WSL's syntax (backend.ParseSize).
func (b *Backend) Resize(ctx context.Context, name, size string) error {
	if _, err := backend.ParseSize(size); err != nil {
		return withOp(err, "resize", name)
	}
	_, err := b.manageStopped(ctx, backend.ActResize, name, minResize, "--resize", size)
	return err
}

// SetSparse runs `wsl.exe --manage NAME --set-sparse true|false [--allow-unsafe]` (stopping the
// distro first). WSL refuses to enable it without --allow-unsafe (a data-corruption bug is
// being investigated, microsoft/WSL#13075); its message is passed on.
func (b *Backend) SetSparse(ctx context.Context, name string, on, allowUnsafe bool) error {
	args := []string{"--set-sparse", strconv.FormatBool(on)}
	if on && allowUnsafe {
		args = append(args, "--allow-unsafe")
	}
	_, err := b.manageStopped(ctx, backend.ActSparse, name, "", args...)
	return err
}

// SetDefaultUser runs `wsl.exe --manage NAME --set-default-user USER` (wsl.exe looks the user up
// with `id -u` inside, which starts the distro).
func (b *Backend) SetDefaultUser(ctx context.Context, name, user string) error {
	if err := b.checkName("set-user", name); err != nil {
		return err
	}
	if err := backend.CheckUserName(user); err != nil {
		return withOp(err, "set-user", name)
	}
	if err := b.requireWSL(ctx, "set-user", name, ""); err != nil {
		return err
	}
	if _, _, err := b.precheck(ctx, backend.ActSetUser, name); err != nil {
		return err
	}
	defer b.invalidate()
	res, err := b.run.Run(ctx, "--manage", name, "--set-default-user", user)
	if err != nil && res.ExitCode == 1 {
		// id's own failure (no such user): wsl.exe passes its exit code and stderr on.
		return &backend.Error{Kind: backend.KindNotFound, Op: "set-user", Distro: name,
			Message: fmt.Sprintf("no user %q in %s: %s", user, name, strings.TrimSpace(wslout.DecodeStderr(res.Stderr)))}
	}
	return withDistro(err, name)
}

// trimmedRE reads util-linux `fstrim -v`: "/: 1.5 GiB (1610612736 bytes) trimmed".
var trimmedRE = regexp.MustCompile(`\((\d+) bytes\) trimmed`)

// Compact gives a distro's free disk space back to Windows in the safe order: with Sparse, stop
// it, make the disk sparse, then fstrim inside (freed blocks leave the file) and stop it; else
// fstrim inside, stop it, and name the elevated Optimize-VHD command that shrinks the file.
// Sizes are read from the registry's disk path before and after. DryRun only plans.
func (b *Backend) Compact(ctx context.Context, name string, o CompactOptions) (CompactResult, error) {
	res := CompactResult{Distro: name, DryRun: o.DryRun, Method: "elevated", Steps: []string{}}
	if o.Sparse {
		res.Method = "sparse"
	}
	if err := b.checkName("compact", name); err != nil {
		return res, err
	}
	d, _, err := b.precheck(ctx, backend.ActCompact, name)
	if err != nil {
		return res, err
	}
	res.Distro, res.DiskPath = d.Name, d.DiskPath
	if d.DiskBytes > 0 {
		n := d.DiskBytes
		res.Before = &n
	}
	backend.PlanCompact(&res, d.Name, d.DiskPath, o.Sparse)
	if o.DryRun {
		return res, nil
	}
	if o.Sparse {
		if err := b.SetSparse(ctx, d.Name, true, true); err != nil {
			return res, err
		}
	}
	done, err := b.begin("compact", d.Name)
	if err != nil {
		return res, err
	}
	out, err := b.run.Run(ctx, "-d", d.Name, "-u", "root", "--exec", "fstrim", "-v", "/")
	if err != nil {
		done()
		return res, withDistro(err, d.Name)
	}
	if m := trimmedRE.FindSubmatch(out.Stdout); m != nil {
		if n, err := strconv.ParseInt(string(m[1]), 10, 64); err == nil {
			res.Trimmed = &n
		}
	}
	done()
	if err := b.Terminate(ctx, d.Name); err != nil {
		return res, err
	}
	if after, err := b.find(ctx, "compact", d.Name); err == nil && after.DiskBytes > 0 {
		n := after.DiskBytes
		res.After = &n
	}
	return res, nil
}
