package wsl

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
			switch {
			case code == 0: // it finished: a cancel that came too late undid nothing
				return nil
			case ctx.Err() != nil:
				return cancelledErr(op, ctx.Err())
			}
			return wslexe.ExitError(op, wslexe.Result{Stdout: out, Stderr: proc.Stderr(), ExitCode: code})
		case <-more:
			line()
		case <-tick.C:
			if onTick != nil {
				onTick()
			}
		case <-ctx.Done():
			proc.Stop()
			return cancelledErr(op, ctx.Err())
		}
	}
}

// cancelledErr is a long command's end by its context, as the *backend.Error every failure is.
func cancelledErr(op string, err error) error {
	return &backend.Error{Kind: backend.KindFailed, Op: op, Message: "cancelled", Err: err}
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
	d, _, err := b.precheck(ctx, backend.ActExport, name)
	if err != nil {
		return err
	}
	args, err := b.formatArgs(ctx, backend.ActExport, d, format)
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

// formatArgs are the wsl.exe arguments after `--export NAME FILE` for exporting d in format, or
// why it cannot be done: backend.CheckFormat's rule (a vhd needs a WSL 2 distro, wsl.exe's own
// WSL_E_WSL2_NEEDED), and the WSL it needs. A vhd is asked for with --vhd, which every Store WSL
// has and which is what --format vhd sets.
func (b *Backend) formatArgs(ctx context.Context, a backend.Action, d backend.Distro, format backend.Format) ([]string, error) {
	if err := backend.CheckFormat(a, d, format); err != nil {
		return nil, err
	}
	op := string(a)
	switch format {
	case backend.FormatTarGz, backend.FormatTarXz:
		if err := b.requireWSL(ctx, op, d.Name, minFormat); err != nil {
			return nil, err
		}
		return []string{"--format", string(format)}, nil
	case backend.FormatVHD:
		if err := b.requireWSL(ctx, op, d.Name, ""); err != nil {
			return nil, err
		}
		return []string{"--vhd"}, nil
	}
	return nil, nil
}

func (b *Backend) export(ctx context.Context, name, file string, progress func(int64), extra ...string) error {
	wf, err := b.opts.WinPath(file)
	if err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "export", Distro: name, Message: err.Error(), Err: err}
	}
	_, serr := os.Lstat(file)
	if err := backend.CheckExportFile(backend.ActExport, name, file, serr == nil); err != nil {
		return err
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

// Import runs `wsl.exe --import NAME DIR FILE [--version N]` (version 0 = WSL's default), NAME
// being one backend.CheckNewName accepts on a list read just before.
func (b *Backend) Import(ctx context.Context, name, dir, file string, version int) error {
	if err := b.newName(ctx, backend.ActImport, name); err != nil {
		return err
	}
	done, err := b.begin("import", name)
	if err != nil {
		return err
	}
	defer done()
	return b.importDistro(ctx, name, dir, file, version)
}

// newName refuses, on a fresh list, a name a new distro cannot have (backend.CheckNewName).
func (b *Backend) newName(ctx context.Context, a backend.Action, name string) error {
	ds, err := b.fresh(ctx)
	if err != nil {
		return err
	}
	return backend.CheckNewName(a, name, "", ds)
}

func (b *Backend) importDistro(ctx context.Context, name, dir, file string, version int) error {
	wd, err := b.opts.WinPath(dir)
	if err == nil {
		file, err = b.opts.WinPath(file)
	}
	if err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "import", Distro: name, Message: err.Error(), Err: err}
	}
	disk := backend.FormatOf(file) == backend.FormatVHD
	if err := backend.CheckImport(backend.ActImport, name, disk, version); err != nil {
		return err
	}
	args := []string{"--import", name, wd, file}
	if version != 0 {
		args = append(args, "--version", strconv.Itoa(version))
	}
	if disk {
		// wsl.exe refuses a .vhd/.vhdx without --vhd (MessagePassVhdFlag).
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
	if format == "" {
		format = backend.FormatTar
	}
	// Both names are checked before the export, which takes minutes.
	d, ds, err := b.precheck(ctx, backend.ActClone, src)
	if err != nil {
		return err
	}
	if err := backend.CheckNewName(backend.ActClone, newName, "", ds); err != nil {
		return err
	}
	fargs, err := b.formatArgs(ctx, backend.ActClone, d, format)
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
	return b.importDistro(ctx, newName, dir, tmp, d.Version)
}
