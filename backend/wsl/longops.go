package wsl

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

// begin marks a long operation on distro; a second one at the same time is KindBusy.
func (b *Backend) begin(op, distro string) (func(), error) {
	k := key(distro)
	b.mu.Lock()
	defer b.mu.Unlock()
	if cur, ok := b.busy[k]; ok {
		return nil, &backend.Error{Kind: backend.KindBusy, Op: op, Distro: distro, Message: fmt.Sprintf("%s is already in progress", cur)}
	}
	b.busy[k] = op
	return func() {
		b.mu.Lock()
		delete(b.busy, k)
		b.listOK = false
		b.mu.Unlock()
	}, nil
}

// runLong runs a long wsl.exe command without the per-call timeout, polling onTick every
// PollInterval while it runs. Cancelling ctx kills it.
func (b *Backend) runLong(ctx context.Context, op string, onTick func(), args ...string) error {
	return b.runLongText(ctx, op, onTick, nil, args...)
}

// runLongText is runLong that also reads what wsl.exe prints as it prints it: onLine gets each
// new complete non-empty line of stdout (decoded, trimmed), in order, from the same goroutine as
// onTick.
func (b *Backend) runLongText(ctx context.Context, op string, onTick func(), onLine func(string), args ...string) error {
	proc, err := b.run.Start(ctx, args...)
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var buf []byte
	more := make(chan struct{}, 1)
	outc := make(chan []byte, 1)
	go func() {
		chunk := make([]byte, 4096)
		for {
			n, err := proc.Stdout().Read(chunk)
			if n > 0 {
				mu.Lock()
				if len(buf) < 1<<20 {
					buf = append(buf, chunk[:n]...)
				}
				mu.Unlock()
				select {
				case more <- struct{}{}:
				default:
				}
			}
			if err != nil {
				break
			}
		}
		mu.Lock()
		out := buf
		mu.Unlock()
		outc <- out
	}()
	seen := 0
	line := func() {
		if onLine == nil {
			return
		}
		mu.Lock()
		text := wslout.Decode(buf)
		mu.Unlock()
		ls := completeLines(text)
		for ; seen < len(ls); seen++ {
			onLine(ls[seen])
		}
	}
	tick := time.NewTicker(b.opts.PollInterval)
	defer tick.Stop()
	for {
		select {
		case <-proc.Done():
			code, _ := proc.Wait()
			out := <-outc
			line()
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if code != 0 {
				return wslexe.ExitError(op, wslexe.Result{Stdout: out, Stderr: proc.Stderr(), ExitCode: code})
			}
			return nil
		case <-more:
			line()
		case <-tick.C:
			if onTick != nil {
				onTick()
			}
		case <-ctx.Done():
			proc.Stop()
			return ctx.Err()
		}
	}
}

// completeLines are text's non-empty complete lines, trimmed (a line still being written is not
// one yet). A line redrawn with carriage returns (a console progress bar) is what a terminal
// would show: its last non-empty part.
func completeLines(text string) []string {
	i := strings.LastIndexByte(text, '\n')
	if i < 0 {
		return nil
	}
	var out []string
	for _, l := range wslout.Lines(text[:i]) {
		parts := strings.Split(l, "\r")
		l = ""
		for j := len(parts) - 1; j >= 0 && l == ""; j-- {
			l = strings.TrimSpace(parts[j])
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Export runs `wsl.exe --export NAME FILE` (a tar), with `--format tar.gz|tar.xz` for a
// compressed tar (WSL minFormat or newer) or `--vhd` for the disk itself (a WSL 2 distro, a
// Store WSL). progress, if set, gets the bytes written so far, polled from the file's size, and
// the final size. Cancelling ctx kills wsl.exe and removes the partial file; so does a failure.
func (b *Backend) Export(ctx context.Context, name, file string, format backend.Format, progress func(written int64)) error {
	if err := b.checkName("export", name); err != nil {
		return err
	}
	args, err := b.formatArgs(ctx, "export", name, format)
	if err != nil {
		return err
	}
	done, err := b.begin("export", name)
	if err != nil {
		return err
	}
	defer done()
	return b.export(ctx, name, file, progress, args...)
}

// minFormat is the oldest WSL known to have `wsl --export --format`: 2.5.8, the first release
// whose source is public (microsoft/WSL tag 2.5.8, WslClient.cpp ExportDistribution parses
// --format tar|tar.gz|tar.xz|vhd). Which closed-source release added it is not documented, so
// older ones are refused with this version; a plain tar and --vhd work on them.
const minFormat = "2.5.8"

// formatArgs are the wsl.exe arguments after `--export NAME FILE` for format, or why it cannot
// be done here. A vhd needs a WSL 2 distro (wsl.exe's own check is WSL_E_WSL2_NEEDED): it is
// asked for with --vhd, which every Store WSL has and which is what --format vhd sets.
func (b *Backend) formatArgs(ctx context.Context, op, name string, format backend.Format) ([]string, error) {
	switch format {
	case "", backend.FormatTar:
		return nil, nil
	case backend.FormatTarGz, backend.FormatTarXz:
		if err := b.requireWSL(ctx, op, name, minFormat); err != nil {
			return nil, err
		}
		return []string{"--format", string(format)}, nil
	case backend.FormatVHD:
		if err := b.requireWSL(ctx, op, name, ""); err != nil {
			return nil, err
		}
		d, err := b.find(ctx, op, name)
		if err != nil {
			return nil, err
		}
		if d.Version != 2 {
			return nil, &backend.Error{Kind: backend.KindUnsupported, Op: op, Distro: d.Name,
				Message: d.Name + " is a WSL 1 distro: it has no disk to export as a vhd; export a tar instead"}
		}
		return []string{"--vhd"}, nil
	}
	return nil, &backend.Error{Kind: backend.KindFailed, Op: op, Distro: name,
		Message: fmt.Sprintf("unknown format %q: use tar, tar.gz, tar.xz or vhd", string(format))}
}

func (b *Backend) export(ctx context.Context, name, file string, progress func(int64), extra ...string) error {
	wf, err := b.opts.WinPath(file)
	if err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "export", Distro: name, Message: err.Error(), Err: err}
	}
	// Never overwrite: a failed or cancelled export removes its file, and that must not be a file
	// the user already had.
	if _, err := os.Lstat(file); err == nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "export", Distro: name,
			Message: fmt.Sprintf("%s already exists; choose another file name or remove it first", file)}
	}
	last := int64(-1)
	report := func() {
		if progress == nil {
			return
		}
		if st, err := os.Stat(file); err == nil && st.Size() != last {
			last = st.Size()
			progress(last)
		}
	}
	if err := b.runLong(ctx, "export", report, append([]string{"--export", name, wf}, extra...)...); err != nil {
		rmErr := os.Remove(file)
		if ctx.Err() != nil { // cancelled: say what became of the partial file
			msg := "cancelled; the partial file " + file + " was removed"
			if rmErr != nil && !os.IsNotExist(rmErr) {
				msg = "cancelled; the partial file " + file + " could not be removed: " + rmErr.Error()
			}
			return &backend.Error{Kind: backend.KindFailed, Op: "export", Distro: name, Message: msg, Err: ctx.Err()}
		}
		return withDistro(err, name)
	}
	report()
	return nil
}

// Import runs `wsl.exe --import NAME DIR FILE [--version N]` (version 0 = WSL's default).
func (b *Backend) Import(ctx context.Context, name, dir, file string, version int) error {
	if err := b.checkName("import", name); err != nil {
		return err
	}
	done, err := b.begin("import", name)
	if err != nil {
		return err
	}
	defer done()
	return b.importDistro(ctx, name, dir, file, version)
}

func (b *Backend) importDistro(ctx context.Context, name, dir, file string, version int) error {
	wd, err := b.opts.WinPath(dir)
	if err == nil {
		file, err = b.opts.WinPath(file)
	}
	if err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "import", Distro: name, Message: err.Error(), Err: err}
	}
	args := []string{"--import", name, wd, file}
	if version == 1 || version == 2 {
		args = append(args, "--version", strconv.Itoa(version))
	} else if version != 0 {
		return &backend.Error{Kind: backend.KindFailed, Op: "import", Distro: name, Message: fmt.Sprintf("version must be 1 or 2, not %d", version)}
	}
	if backend.FormatOf(file) == backend.FormatVHD {
		// wsl.exe refuses a .vhd/.vhdx without --vhd (MessagePassVhdFlag), and a disk with
		// --version 1 (WSL_E_WSL2_NEEDED).
		if version == 1 {
			return &backend.Error{Kind: backend.KindUnsupported, Op: "import", Distro: name, Message: "a vhd imports only as a WSL 2 distro, not --version 1"}
		}
		args = append(args, "--vhd")
	}
	return withDistro(b.runLong(ctx, "import", nil, args...), name)
}

// Clone copies src to newName: export to a temporary file in format (a tar, or with FormatVHD
// the disk itself, imported with --vhd) next to dir, import into dir, remove the file. dir "" is os.UserCacheDir()/wsldash/distros/NEW (outside WSL only: inside, pass a folder on
// a Windows drive).
func (b *Backend) Clone(ctx context.Context, src, newName, dir string, format backend.Format, progress func(int64)) error {
	if err := b.checkName("clone", src); err != nil {
		return err
	}
	if err := b.checkName("clone", newName); err != nil {
		return err
	}
	if format == "" {
		format = backend.FormatTar
	}
	fargs, err := b.formatArgs(ctx, "clone", src, format)
	if err != nil {
		return err
	}
	if dir == "" {
		if b.inside {
			return &backend.Error{Kind: backend.KindFailed, Op: "clone", Distro: src, Message: "inside WSL the target folder must be given (a folder on a Windows drive)"}
		}
		cache, err := os.UserCacheDir()
		if err != nil {
			return &backend.Error{Kind: backend.KindFailed, Op: "clone", Message: err.Error(), Err: err}
		}
		dir = filepath.Join(cache, "wsldash", "distros", newName)
	}
	doneSrc, err := b.begin("clone", src)
	if err != nil {
		return err
	}
	defer doneSrc()
	doneNew, err := b.begin("clone", newName)
	if err != nil {
		return err
	}
	defer doneNew()
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "clone", Message: err.Error(), Err: err}
	}
	tmp := filepath.Join(filepath.Dir(filepath.Clean(dir)), fmt.Sprintf(".wsldash-clone-%s-%d%s", src, time.Now().UnixNano(), format.Ext()))
	defer os.Remove(tmp)
	if err := b.export(ctx, src, tmp, progress, fargs...); err != nil {
		return err
	}
	version := 0
	if ds, err := b.Distros(ctx); err == nil {
		for _, d := range ds {
			if strings.EqualFold(d.Name, src) {
				version = d.Version
			}
		}
	}
	return b.importDistro(ctx, newName, dir, tmp, version)
}

// TrashEntry is one unregistered distro kept as an archive (shared with the other backends
// through backend.Archiver). Its metadata file is written before the export starts and rewritten
// at each step, so an unregister killed at any point leaves an entry that says how far it got
// (State), and TrashStatus says what that means now.
type TrashEntry = backend.TrashEntry

var _ backend.Archiver = (*Backend)(nil)

// The steps of an unregister, in order (TrashEntry.State).
const (
	TrashExporting     = backend.TrashExporting
	TrashVerified      = backend.TrashVerified
	TrashUnregistering = backend.TrashUnregistering
	TrashDone          = backend.TrashDone
)

// TrashDir is where archives go: Options.TrashDir, else wsldash/trash in the Windows user's local
// app data. Inside WSL that is reached through interop (never the distro's own disk, which an
// unregister deletes); when it cannot be found the trash is refused, not moved into the distro.
func (b *Backend) TrashDir() (string, error) {
	if b.opts.TrashDir != "" {
		return b.opts.TrashDir, nil
	}
	base, err := b.opts.WindowsDataDir()
	if err != nil {
		return "", &backend.Error{Kind: backend.KindFailed, Op: "trash",
			Message: "no folder on the Windows side for the trash (inside WSL it must not live on a distro's own disk, which unregister deletes): " +
				err.Error() + "; set " + EnvTrashDir + " to a folder on a Windows drive", Err: err}
	}
	return filepath.Join(base, "wsldash", "trash"), nil
}

// EnvTrashDir names the environment variable the CLI reads for Options.TrashDir.
const EnvTrashDir = "WSLDASH_TRASH_DIR"

// inDistro reports whether the Windows path p is inside distro's own file system
// (\\wsl.localhost\NAME\… or \\wsl$\NAME\…, any case, either slash).
func inDistro(p, distro string) bool {
	q := strings.ReplaceAll(p, "/", `\`)
	for _, pre := range []string{`\\wsl.localhost\`, `\\wsl$\`} {
		if len(q) >= len(pre) && strings.EqualFold(q[:len(pre)], pre) {
			d, _, _ := strings.Cut(q[len(pre):], `\`)
			return strings.EqualFold(d, distro)
		}
	}
	return false
}

// writeEntry writes e's metadata next to its archive, atomically (a crash leaves the old or the
// new file, never half of one).
func writeEntry(e TrashEntry) error {
	e.Registered, e.Note = nil, ""
	meta, _ := json.MarshalIndent(e, "", "  ")
	path := strings.TrimSuffix(e.Archive, ".tar") + ".json"
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, meta, 0o644); err != nil {
		return err
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	return os.Rename(tmp, path)
}

// Trash is the only way this package unregisters a distro: export it to the trash folder, check
// the archive (a tar that reads to its end), and only then `wsl.exe --unregister`. It refuses,
// before exporting anything, to unregister the distro wsldash runs in, and to put the archive
// inside the distro being removed. Each step is recorded in the entry first (see TrashEntry), so
// killed at any point the distro is still registered or restorable, and TrashStatus says which.
// If the unregister fails the archive stays in the trash (it is a valid backup).
func (b *Backend) Trash(ctx context.Context, name string, progress func(int64)) (TrashEntry, error) {
	var e TrashEntry
	if err := b.checkName("unregister", name); err != nil {
		return e, err
	}
	refuse := func(msg string, err error) (TrashEntry, error) {
		return e, &backend.Error{Kind: backend.KindFailed, Op: "unregister", Distro: name, Message: msg, Err: err}
	}
	if b.inside && b.own != "" && strings.EqualFold(name, b.own) {
		return refuse(fmt.Sprintf("wsldash is running inside %s: wsl.exe would end it half way through the unregister; run it from Windows or from another distro", b.own), nil)
	}
	dir, err := b.TrashDir()
	if err != nil {
		return e, err
	}
	if inDistro(dir, name) {
		return refuse(fmt.Sprintf("the trash folder %s is inside %s itself, which unregister deletes; choose a trash folder elsewhere", dir, name), nil)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return refuse(err.Error(), err)
	}
	wdir, err := b.opts.WinPath(dir)
	if err != nil {
		return refuse("cannot tell where the trash folder is for wsl.exe: "+err.Error(), err)
	}
	if inDistro(wdir, name) {
		return refuse(fmt.Sprintf("the trash folder %s (%s) is inside %s itself, which unregister deletes; choose a trash folder on a Windows drive", dir, wdir, name), nil)
	}
	done, err := b.begin("unregister", name)
	if err != nil {
		return e, err
	}
	defer done()
	ctx = wslexe.Operation(ctx)
	e = TrashEntry{Name: name, Trashed: time.Now().UTC()}
	ds, err := b.Distros(ctx)
	if err != nil {
		return e, err
	}
	found := false
	for _, d := range ds {
		if strings.EqualFold(d.Name, name) {
			e.Name, e.Version, e.BasePath, found = d.Name, d.Version, d.BasePath, true
		}
	}
	if !found {
		return e, &backend.Error{Kind: backend.KindNotFound, Op: "unregister", Distro: name, Message: "no such distro"}
	}
	base := fmt.Sprintf("%s.%d", e.Name, e.Trashed.UnixNano())
	e.Archive = filepath.Join(dir, base+".tar")
	step := func(s string) error {
		e.State = s
		if err := writeEntry(e); err != nil {
			return &backend.Error{Kind: backend.KindFailed, Op: "unregister", Distro: e.Name, Message: "writing the trash entry: " + err.Error(), Err: err}
		}
		if b.trashHook != nil {
			b.trashHook(s)
		}
		return nil
	}
	if err := step(TrashExporting); err != nil {
		return e, err
	}
	b.letGo(e.Name)
	if err := b.export(ctx, e.Name, e.Archive, progress); err != nil {
		removeEntry(e)
		return e, err
	}
	n, err := verifyTar(e.Archive)
	if err != nil {
		removeEntry(e)
		return e, &backend.Error{Kind: backend.KindFailed, Op: "unregister", Distro: e.Name,
			Message: "the export is not a usable archive, so the distro was NOT unregistered: " + err.Error(), Err: err}
	}
	e.Bytes = n
	if err := step(TrashVerified); err != nil {
		return e, err
	}
	if err := step(TrashUnregistering); err != nil {
		return e, err
	}
	if _, err := b.run.Run(ctx, "--unregister", e.Name); err != nil {
		// The archive is complete, so the entry stays; TrashStatus tells whether the distro went.
		return e, withDistro(err, e.Name)
	}
	b.invalidate()
	if err := step(TrashDone); err != nil {
		return e, err
	}
	return e, nil
}

// verifyTar checks that path is a non-empty tar that reads to its end (every header and every
// entry's bytes: an export cut short fails here); it returns the size.
func verifyTar(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.Size() == 0 {
		return 0, errors.New("the archive is empty")
	}
	tr := tar.NewReader(f)
	entries := 0
	for {
		_, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("the archive is not a readable tar (after %d entries): %w", entries, err)
		}
		if _, err := io.Copy(io.Discard, tr); err != nil {
			return 0, fmt.Errorf("the archive is cut short in entry %d: %w", entries+1, err)
		}
		entries++
	}
	if entries == 0 {
		return 0, errors.New("the archive holds no files")
	}
	return st.Size(), nil
}

// TrashList lists the trash, newest first.
func (b *Backend) TrashList() ([]TrashEntry, error) {
	dir, err := b.TrashDir()
	if err != nil {
		return nil, err
	}
	metas, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	out := []TrashEntry{}
	for _, m := range metas {
		raw, err := os.ReadFile(m)
		if err != nil {
			continue
		}
		var e TrashEntry
		if json.Unmarshal(raw, &e) != nil || !wslout.ValidName(e.Name) {
			continue
		}
		if e.State == "" {
			e.State = TrashDone
		}
		if st, err := os.Stat(e.Archive); err != nil || st.IsDir() {
			if e.State != TrashExporting { // killed before the export wrote a byte: still listed
				continue
			}
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Trashed.After(out[j].Trashed) })
	return out, nil
}

func (b *Backend) trashFind(op, name string) (TrashEntry, error) {
	es, err := b.TrashList()
	if err != nil {
		return TrashEntry{}, err
	}
	for _, e := range es {
		if strings.EqualFold(e.Name, name) && e.Restorable() {
			return e, nil
		}
	}
	return TrashEntry{}, &backend.Error{Kind: backend.KindNotFound, Op: op, Distro: name, Message: "not in the trash (no complete archive)"}
}

func removeEntry(e TrashEntry) error {
	meta := strings.TrimSuffix(e.Archive, ".tar") + ".json"
	err1 := os.Remove(e.Archive)
	if e.State == TrashExporting && errors.Is(err1, os.ErrNotExist) {
		err1 = nil
	}
	err2 := os.Remove(meta)
	return errors.Join(err1, err2)
}

// TrashStatus is TrashList with each entry's Registered and Note filled in from the distro list:
// after an unregister that was killed, it says whether the distro is still registered or
// restorable from the trash.
func (b *Backend) TrashStatus(ctx context.Context) ([]TrashEntry, error) {
	es, err := b.TrashList()
	if err != nil {
		return nil, err
	}
	var reg map[string]bool
	if len(es) > 0 {
		if ds, err := b.Distros(ctx); err == nil {
			reg = map[string]bool{}
			for _, d := range ds {
				reg[key(d.Name)] = true
			}
		}
	}
	for i := range es {
		e := &es[i]
		if reg != nil {
			r := reg[key(e.Name)]
			e.Registered = &r
		}
		e.Note = trashNote(*e)
	}
	return es, nil
}

func trashNote(e TrashEntry) string {
	registered, known := false, e.Registered != nil
	if known {
		registered = *e.Registered
	}
	switch {
	case e.State == TrashExporting && (registered || !known):
		return "interrupted during the export: the distro was not unregistered; this partial archive can be purged"
	case e.State == TrashExporting:
		return "interrupted during the export, and no distro of this name is registered: the archive is incomplete"
	case e.State != TrashDone && registered:
		return "interrupted before the unregister finished: the distro is still registered; the archive is complete"
	case e.State != TrashDone && !known:
		return "interrupted after the archive was verified: restorable if the distro is gone"
	case e.State != TrashDone:
		return "unregistered (the unregister was interrupted but went through): restorable"
	case registered:
		return "a distro of this name is registered again: restore it under that name only after removing it"
	}
	return "unregistered: restorable"
}

// RestoreDir is where TrashRestore imports a distro: a "distros" folder next to the trash.
func (b *Backend) RestoreDir(name string) (string, error) {
	dir, err := b.TrashDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(filepath.Clean(dir)), "distros", name), nil
}

// TrashRestore imports the newest trashed archive of name back under that name (into
// RestoreDir(name)) and then removes it from the trash.
func (b *Backend) TrashRestore(ctx context.Context, name string) error {
	if err := b.checkName("restore", name); err != nil {
		return err
	}
	e, err := b.trashFind("restore", name)
	if err != nil {
		return err
	}
	done, err := b.begin("restore", e.Name)
	if err != nil {
		return err
	}
	defer done()
	dir, err := b.RestoreDir(e.Name)
	if err != nil {
		return err
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		dir = fmt.Sprintf("%s.%d", dir, time.Now().UnixNano())
	}
	if err := b.importDistro(ctx, e.Name, dir, e.Archive, e.Version); err != nil {
		return err
	}
	if err := removeEntry(e); err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "restore", Distro: e.Name, Message: "restored, but the trash entry could not be removed: " + err.Error(), Err: err}
	}
	return nil
}

// TrashPurge deletes every trashed archive of name for good.
func (b *Backend) TrashPurge(name string) error {
	es, err := b.TrashList()
	if err != nil {
		return err
	}
	n := 0
	var errs []error
	for _, e := range es {
		if strings.EqualFold(e.Name, name) {
			errs = append(errs, removeEntry(e))
			n++
		}
	}
	if n == 0 {
		return &backend.Error{Kind: backend.KindNotFound, Op: "purge", Distro: name, Message: "not in the trash"}
	}
	if err := errors.Join(errs...); err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "purge", Distro: name, Message: err.Error(), Err: err}
	}
	return nil
}
