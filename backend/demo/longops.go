package demo

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Export, import, clone, unregister (through the trash) and the trash, simulated: they take the
// time wsl.exe would (bsdtar through a socket, about archiveRate, times Options.Speed), report
// progress every progressStep of that time through Options.Wait, and change the simulated host
// as the real ones change the real one. Nothing is written to disk: an archive exists only in
// the demo, and every message that names one says so.

var _ backend.Archiver = (*Backend)(nil)

const (
	// archiveRate is how fast wsl.exe exports or imports (bytes a second, before Options.Speed).
	archiveRate = 256 * mib
	// progressStep is how often a long operation reports its progress (simulated time).
	progressStep = 250 * time.Millisecond
	// unregisterDuration is wsl --unregister deleting the registration and the disk.
	unregisterDuration = 1500 * time.Millisecond
	// defaultArchiveBytes is the export size of a distro with no known disk size.
	defaultArchiveBytes = 900 * mib
	// demoPrefix marks every path the demo "writes" to.
	demoPrefix = "(demo, not on disk) "
)

// simArchive is a tar the demo "wrote": its size and what it holds.
type simArchive struct {
	bytes   int64
	version int
	procs   []simProc // the programs of the exported distro, so a clone runs the same
	from    string
	format  backend.Format // "" = tar
}

// longState is the demo's archives and trash. The zero value is ready.
type longState struct {
	archives map[string]simArchive // by pathKey
	trash    []backend.TrashEntry  // oldest first
}

func pathKey(p string) string {
	return strings.ToLower(filepath.Clean(strings.TrimPrefix(p, demoPrefix)))
}

// sibling is the path of name in the folder that holds p, a Windows path (as the demo's are)
// or one of this machine.
func sibling(p, name string) string {
	if i := strings.LastIndexByte(p, '\\'); i >= 0 {
		return p[:i+1] + name
	}
	return filepath.Join(filepath.Dir(p), name)
}

// DemoPath says that a path the demo reports holds nothing on disk.
func DemoPath(p string) string { return demoPrefix + p }

// archiveBytes is the size of a distro's export: about a third of its (sparse) disk.
func archiveBytes(d *simDistro) int64 {
	if d.DiskBytes > 0 {
		return d.DiskBytes * 35 / 100
	}
	return defaultArchiveBytes
}

// formatBytes is the size of d's export in format: a vhd is the disk file itself; gzip and xz
// make the tar about 45% and 35% of its size (typical for a distro's binaries).
func formatBytes(d *simDistro, format backend.Format) int64 {
	n := archiveBytes(d)
	switch format {
	case backend.FormatVHD:
		if d.DiskBytes > 0 {
			return d.DiskBytes
		}
	case backend.FormatTarGz:
		return n * 45 / 100
	case backend.FormatTarXz:
		return n * 35 / 100
	}
	return n
}

// transfer waits for n bytes to be moved at archiveRate (times Speed), calling progress with
// the bytes done after each step. It returns ctx's error if cancelled.
func (b *Backend) transfer(ctx context.Context, n int64, progress func(int64)) error {
	perStep := int64(float64(archiveRate) * b.sim.speed * progressStep.Seconds())
	if perStep < 1 {
		perStep = 1
	}
	for done := int64(0); done < n; {
		step := progressStep
		if left := n - done; left < perStep {
			step = time.Duration(float64(progressStep) * float64(left) / float64(perStep))
			done = n
		} else {
			done += perStep
		}
		if err := b.wait(ctx, step); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if progress != nil {
			progress(done)
		}
	}
	return nil
}

func cancelled(op, distro string, err error) error {
	return &backend.Error{Kind: backend.KindFailed, Op: op, Distro: distro,
		Message: "cancelled; the partial (simulated) archive was removed", Err: err}
}

// Export "writes" the distro to file in format: it takes the time a real export would, shows
// the distro Exporting meanwhile (a running distro keeps running), and records the archive in the
// demo. What backend.Precheck and CheckFormat refuse (a busy distro, a vhd of a WSL 1 one) is
// refused as the wsl backend refuses it.
func (b *Backend) Export(ctx context.Context, name, file string, format backend.Format, progress func(int64)) error {
	b.mu.Lock()
	b.advance()
	d, err := b.precheck(backend.ActExport, name)
	if err == nil {
		err = b.exportable("export", d, file)
	}
	if err == nil {
		err = backend.CheckFormat(backend.ActExport, d.Distro, format)
	}
	if err == nil {
		err = b.begin(d.Name)
	}
	if err != nil {
		b.mu.Unlock()
		return withOp(err, "export")
	}
	restore := b.markExporting(d)
	n := formatBytes(d, format)
	a := simArchive{bytes: n, version: d.Version, procs: append([]simProc(nil), d.procs...), from: d.Name, format: format}
	b.mu.Unlock()

	werr := b.transfer(ctx, n, progress)

	b.mu.Lock()
	defer b.mu.Unlock()
	restore()
	b.end(d.Name)
	if werr != nil {
		return cancelled("export", d.Name, werr)
	}
	if b.lops.archives == nil {
		b.lops.archives = map[string]simArchive{}
	}
	b.lops.archives[pathKey(file)] = a
	return nil
}

// exportable refuses what backend.CheckExportFile refuses, a file counting as there when it is
// in the demo or on disk. Callers hold b.mu.
func (b *Backend) exportable(op string, d *simDistro, file string) error {
	_, inDemo := b.lops.archives[pathKey(file)]
	_, err := os.Lstat(file)
	return backend.CheckExportFile(backend.Action(op), d.Name, file, err == nil || inDemo)
}

// markExporting shows a stopped distro as Exporting (as wsl -l -v does) and returns what puts
// it back. Callers hold b.mu.
func (b *Backend) markExporting(d *simDistro) func() {
	if d.State != backend.StateStopped {
		return func() {}
	}
	d.State = backend.StateExporting
	return func() {
		if d.State == backend.StateExporting {
			d.State = backend.StateStopped
		}
	}
}

func withOp(err error, op string) error {
	if e, ok := err.(*backend.Error); ok && e.Op == "" {
		e.Op = op
	}
	return err
}

// Import registers a new, stopped distro from a demo archive (or from a real tar on disk, of
// which only the size is read), taking the time a real import would. version 0 is WSL's
// default, 2.
func (b *Backend) Import(ctx context.Context, name, dir, file string, version int) error {
	b.mu.Lock()
	b.advance()
	a, err := b.importable(backend.ActImport, name, file, version)
	if err == nil {
		err = b.begin(name)
	}
	b.mu.Unlock()
	if err != nil {
		return err
	}
	return b.importArchive(ctx, "import", name, dir, a, version)
}

// checkNew checks the name and version of a distro about to be made (backend.CheckImport,
// CheckNewName). Callers hold b.mu.
func (b *Backend) checkNew(a backend.Action, name string, version int) error {
	if err := backend.CheckImport(a, name, false, version); err != nil {
		return err
	}
	return backend.CheckNewName(a, name, "", b.list())
}

// importable checks an import before it starts and finds its archive. Callers hold b.mu.
func (b *Backend) importable(a backend.Action, name, file string, version int) (simArchive, error) {
	op := string(a)
	if err := b.checkNew(a, name, version); err != nil {
		return simArchive{}, err
	}
	arc, ok := b.lops.archives[pathKey(file)]
	if !ok {
		st, err := os.Stat(file)
		if err != nil || !st.Mode().IsRegular() || st.Size() == 0 {
			return simArchive{}, &backend.Error{Kind: backend.KindNotFound, Op: op, Distro: name,
				Message: "The system cannot find the file specified.", Code: "Wsl/Service/RegisterDistro/ERROR_FILE_NOT_FOUND"}
		}
		arc = simArchive{bytes: st.Size(), version: 2}
		if backend.FormatOf(file) == backend.FormatVHD {
			arc.format = backend.FormatVHD
		}
	}
	if err := backend.CheckImport(a, name, arc.format == backend.FormatVHD, version); err != nil {
		return simArchive{}, err
	}
	return arc, nil
}

// importArchive runs an import whose checks passed and whose name is begun; it ends it.
func (b *Backend) importArchive(ctx context.Context, op, name, dir string, a simArchive, version int) error {
	werr := b.transfer(ctx, a.bytes, nil)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(name)
	if werr != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: op, Distro: name, Message: "cancelled; nothing was registered", Err: werr}
	}
	b.advance()
	if version == 0 {
		version = 2 // WSL's default version
	}
	procs := append([]simProc(nil), a.procs...)
	if len(procs) == 0 {
		procs = []simProc{{pid: 1, name: "init", user: "root", rss: 1 * mib}, {pid: 8, name: "bash", user: "root", rss: 4 * mib}}
	}
	for i := range procs {
		procs[i].killed = false
	}
	nd := &simDistro{
		Distro: backend.Distro{Name: name, State: backend.StateStopped, Version: version, BasePath: dir},
		base:   40 * mib,
		work:   workload{Period: 600, Busy: 20, BusyCPU: 30, IdleCPU: 0.05, BusyCacheRate: 4 * mib, IdleCacheRate: 16 * kib, BootCache: 120 * mib},
		procs:  procs,
	}
	switch {
	case version == 2 && a.format == backend.FormatVHD:
		nd.DiskBytes = a.bytes // the disk copied as it is
	case version == 2:
		nd.DiskBytes = a.bytes * 11 / 10 // the new ext4.vhdx: the files and the file system's own
	}
	if version == 2 {
		nd.DiskPath = dir + `\ext4.vhdx`
	}
	b.sim.distros = append(b.sim.distros, nd)
	if !b.hasDefault() {
		nd.Default = true
	}
	return nil
}

func (b *Backend) hasDefault() bool {
	for _, d := range b.sim.distros {
		if d.Default {
			return true
		}
	}
	return false
}

// Clone exports src and imports it as newName (a temporary demo archive, dropped after). The
// new name is reserved for the whole clone.
func (b *Backend) Clone(ctx context.Context, src, newName, dir string, format backend.Format, progress func(int64)) error {
	if dir == "" {
		dir = DemoPath(profile + `\wsldash\distros\` + newName)
	}
	if format == "" {
		format = backend.FormatTar
	}
	tmp := DemoPath(sibling(strings.TrimPrefix(dir, demoPrefix), ".wsldash-clone-"+src+format.Ext()))
	b.mu.Lock()
	b.advance()
	d, err := b.precheck(backend.ActClone, src)
	if err == nil {
		err = b.exportable("clone", d, tmp)
	}
	if err == nil {
		err = b.checkNew(backend.ActClone, newName, 0)
	}
	if err == nil {
		err = b.begin(newName)
	}
	b.mu.Unlock()
	if err != nil {
		return withOp(err, "clone")
	}
	if err := b.Export(ctx, d.Name, tmp, format, progress); err != nil {
		b.mu.Lock()
		b.end(newName)
		b.mu.Unlock()
		return withOp(err, "clone")
	}
	b.mu.Lock()
	a := b.lops.archives[pathKey(tmp)]
	delete(b.lops.archives, pathKey(tmp))
	b.mu.Unlock()
	return b.importArchive(ctx, "clone", newName, dir, a, d.Version)
}

// trashDir is where the demo "keeps" its trash.
const trashDir = profile + `\wsldash\trash`

// Trash unregisters a distro the safe way, simulated: export to the trash (with progress),
// verify, then unregister (a running distro is stopped first, as wsl --unregister does).
func (b *Backend) Trash(ctx context.Context, name string, progress func(int64)) (backend.TrashEntry, error) {
	b.mu.Lock()
	b.advance()
	d, err := b.precheck(backend.ActUnregister, name)
	var e backend.TrashEntry
	if err == nil {
		e = backend.TrashEntry{Name: d.Name, Version: d.Version, BasePath: d.BasePath, Trashed: b.clock.Now().UTC()}
		e.Archive = b.freeTrashName(backend.TrashArchiveName(d.Name, e.Trashed))
		err = b.exportable("unregister", d, e.Archive)
	}
	if err == nil { // the entry is listed from the first step on, as the wsl backend's
		e.State = backend.TrashExporting
		b.putTrash(e)
	}
	b.mu.Unlock()
	if err != nil {
		return e, withOp(err, "unregister")
	}
	if err := b.Export(ctx, d.Name, e.Archive, backend.FormatTar, progress); err != nil {
		b.mu.Lock()
		b.dropTrash(e)
		b.mu.Unlock()
		return e, withOp(err, "unregister")
	}
	b.mu.Lock()
	a := b.lops.archives[pathKey(e.Archive)]
	e.Bytes = a.bytes
	e.State = backend.TrashVerified // the archive is a valid backup whatever happens next
	b.putTrash(e)
	err = b.begin(d.Name)
	if err == nil {
		e.State = backend.TrashUnregistering
		b.putTrash(e)
	}
	b.mu.Unlock()
	if err != nil { // something else began on it between the export and now: keep it, and the archive
		return e, withOp(err, "unregister")
	}
	werr := b.wait(ctx, unregisterDuration)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end(d.Name)
	if werr != nil {
		e.State = backend.TrashVerified // the unregister never ran
		b.putTrash(e)
		return e, &backend.Error{Kind: backend.KindFailed, Op: "unregister", Distro: d.Name,
			Message: "cancelled before unregistering; the distro is still registered, and its archive is in the trash", Err: werr}
	}
	e.State = backend.TrashDone
	b.putTrash(e)
	b.advance()
	b.stop(d)
	for i, o := range b.sim.distros {
		if o == d {
			b.sim.distros = append(b.sim.distros[:i], b.sim.distros[i+1:]...)
			break
		}
	}
	if d.Default && len(b.sim.distros) > 0 {
		b.sim.distros[0].Default = true
	}
	return e, nil
}

// TrashList lists the demo's trash, newest first.
func (b *Backend) TrashList() ([]backend.TrashEntry, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := append([]backend.TrashEntry{}, b.lops.trash...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Trashed.After(out[j].Trashed) })
	return out, nil
}

// RestoreDir is where TrashRestore installs a distro in the demo.
func (b *Backend) RestoreDir(name string) (string, error) {
	return DemoPath(profile + `\wsldash\distros\` + name), nil
}

// TrashRestore imports the newest trashed archive of name back, then drops it from the trash.
func (b *Backend) TrashRestore(ctx context.Context, name string) error {
	b.mu.Lock()
	i := b.trashIndex(name)
	if i < 0 {
		b.mu.Unlock()
		return &backend.Error{Kind: backend.KindNotFound, Op: "restore", Distro: name, Message: "not in the trash"}
	}
	e := b.lops.trash[i]
	a, err := b.importable("restore", e.Name, e.Archive, e.Version)
	if err == nil {
		err = b.begin(e.Name)
	}
	b.mu.Unlock()
	if err != nil {
		return err
	}
	dir, _ := b.RestoreDir(e.Name)
	if err := b.importArchive(ctx, "restore", e.Name, dir, a, e.Version); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dropTrash(e)
	return nil
}

// TrashPurge deletes every trashed archive of name.
func (b *Backend) TrashPurge(name string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for i := b.trashIndex(name); i >= 0; i = b.trashIndex(name) {
		b.dropTrash(b.lops.trash[i])
		n++
	}
	if n == 0 {
		return &backend.Error{Kind: backend.KindNotFound, Op: "purge", Distro: name, Message: "not in the trash"}
	}
	return nil
}

// trashIndex is the newest trash entry of name, or -1. Callers hold b.mu.
func (b *Backend) trashIndex(name string) int {
	for i := len(b.lops.trash) - 1; i >= 0; i-- {
		if strings.EqualFold(b.lops.trash[i].Name, name) {
			return i
		}
	}
	return -1
}

// putTrash records e, replacing the entry of the same archive (its earlier step). Callers hold
// b.mu.
func (b *Backend) putTrash(e backend.TrashEntry) {
	for i, o := range b.lops.trash {
		if o.Archive == e.Archive {
			b.lops.trash[i] = e
			return
		}
	}
	b.lops.trash = append(b.lops.trash, e)
}

// freeTrashName is the trash's archive for base, base-2 and on when one of that name is there
// (as the wsl backend names them). Callers hold b.mu.
func (b *Backend) freeTrashName(base string) string {
	name := base
	for i := 2; ; i++ {
		p := DemoPath(trashDir + `\` + name + ".tar")
		if !slices.ContainsFunc(b.lops.trash, func(o backend.TrashEntry) bool { return o.Archive == p }) {
			return p
		}
		name = base + "-" + strconv.Itoa(i)
	}
}

// dropTrash removes an entry and its archive. Callers hold b.mu.
func (b *Backend) dropTrash(e backend.TrashEntry) {
	for i, o := range b.lops.trash {
		if o.Archive == e.Archive {
			b.lops.trash = append(b.lops.trash[:i], b.lops.trash[i+1:]...)
			break
		}
	}
	delete(b.lops.archives, pathKey(e.Archive))
}
