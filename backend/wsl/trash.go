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
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
)

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
	d, _, err := b.precheck(ctx, backend.ActUnregister, name)
	if err != nil {
		return e, err
	}
	e.Name, e.Version, e.BasePath = d.Name, d.Version, d.BasePath
	e.Archive = freeTrashName(dir, backend.TrashArchiveName(e.Name, e.Trashed))
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

// freeTrashName is dir/base.tar, or base-2.tar and on when a distro of the same name was
// trashed in the same second (neither the archive nor its metadata may be overwritten).
func freeTrashName(dir, base string) string {
	name := base
	for i := 2; ; i++ {
		_, err1 := os.Lstat(filepath.Join(dir, name+".tar"))
		_, err2 := os.Lstat(filepath.Join(dir, name+".json"))
		if errors.Is(err1, os.ErrNotExist) && errors.Is(err2, os.ErrNotExist) {
			return filepath.Join(dir, name+".tar")
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
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
		if json.Unmarshal(raw, &e) != nil || !backend.IsDistroName(e.Name) {
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
	if err := b.newName(ctx, "restore", e.Name); err != nil {
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
