package demo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// TestExportProgressOverTheClock: an export takes the time wsl.exe would, reports growing
// progress up to the archive's size, and shows a stopped distro as Exporting meanwhile.
func TestExportProgressOverTheClock(t *testing.T) {
	b, clk := newTest(Options{Seed: 1})
	ctx := context.Background()
	start := clk.Now()
	var seen []int64
	var states []backend.State
	err := b.Export(ctx, "Debian", `C:\backup\debian.tar`, "", func(n int64) {
		seen = append(seen, n)
		if len(seen) == 1 {
			b.mu.Lock()
			d, _ := b.find("Debian")
			states = append(states, d.State)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := int64(2_147_483_648) * 35 / 100
	if len(seen) < 4 || seen[len(seen)-1] != want {
		t.Fatalf("progress %v, want several steps ending at %d", seen, want)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("progress went back: %v", seen)
		}
	}
	took := clk.Now().Sub(start)
	if wantDur := time.Duration(float64(want) / archiveRate * float64(time.Second)); took < wantDur-progressStep || took > wantDur+progressStep {
		t.Fatalf("export took %v of simulated time, want about %v", took, wantDur)
	}
	if len(states) != 1 || states[0] != backend.StateExporting {
		t.Fatalf("state during export %v, want Exporting", states)
	}
	ds, _ := b.Distros(ctx)
	if d := find(ds, "Debian"); d.State != backend.StateStopped {
		t.Fatalf("after export Debian is %s", d.State)
	}
	// The same file twice: refused, never replaced.
	if err := b.Export(ctx, "Debian", `C:\backup\debian.tar`, "", nil); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second export to the same file: %v", err)
	}
	// Nothing is written to disk, even at a path of this machine.
	dir := t.TempDir()
	if err := b.Export(ctx, "Ubuntu-24.04", filepath.Join(dir, "u.tar"), "", nil); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatal("the demo wrote to disk")
	}
	// Busy and unknown distros.
	if err := b.Export(ctx, "openSUSE-Tumbleweed", `C:\x.tar`, "", nil); !errors.Is(err, backend.ErrBusy) {
		t.Fatalf("export of an installing distro: %v", err)
	}
	if err := b.Export(ctx, "NoSuch", `C:\y.tar`, "", nil); !errors.Is(err, backend.ErrNotFound) || !strings.Contains(err.Error(), "export NoSuch") {
		t.Fatalf("export of a missing distro: %v", err)
	}
}

// TestExportCancelLeavesNoArchive: a cancelled export leaves nothing to import.
func TestExportCancelLeavesNoArchive(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := b.Export(ctx, "Debian", `C:\d.tar`, "", func(int64) {
		if n++; n == 2 {
			cancel()
		}
	})
	if err == nil || !strings.Contains(err.Error(), "cancelled") || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled export: %v", err)
	}
	if err := b.Import(context.Background(), "Debian2", `C:\wsl\d2`, `C:\d.tar`, 0); !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("import of a cancelled export: %v", err)
	}
	ds, _ := b.Distros(context.Background())
	if d := find(ds, "Debian"); d.State != backend.StateStopped {
		t.Fatalf("after a cancelled export Debian is %s", d.State)
	}
}

// TestImportCloneAndTrash: the whole round trip on the demo.
func TestImportCloneAndTrash(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	if err := b.Export(ctx, "kali-linux", `C:\k.tar`, "", nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Import(ctx, "kali-copy", `D:\wsl\kali-copy`, `C:\k.tar`, 0); err != nil {
		t.Fatal(err)
	}
	if err := b.Import(ctx, "KALI-copy", `D:\wsl\again`, `C:\k.tar`, 0); backend.KindOf(err) != backend.KindFailed || !strings.Contains(err.Error(), "a distro named kali-copy already exists") {
		t.Fatalf("import under a taken name: %v", err)
	}
	if err := b.Import(ctx, "bad name", `D:\wsl\x`, `C:\k.tar`, 0); err == nil || !strings.Contains(err.Error(), "a space is not allowed") {
		t.Fatalf("an invalid name: %v", err)
	}
	// WSL's rule, not a shorter one of the demo's own: 256 characters are a name, 257 and Legacy
	// are not.
	long := strings.Repeat("k", 256)
	if err := b.Import(ctx, long, `D:\wsl\long`, `C:\k.tar`, 0); err != nil {
		t.Fatalf("a 256-character name: %v", err)
	}
	for _, n := range []string{long + "k", "legacy"} {
		if err := b.Import(ctx, n, `D:\wsl\x`, `C:\k.tar`, 0); backend.KindOf(err) != backend.KindFailed {
			t.Fatalf("%.20s… imported: %v", n, err)
		}
	}
	if err := b.Import(ctx, "ghost", `D:\wsl\g`, `C:\nothing.tar`, 0); !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("import of a missing file: %v", err)
	}
	var prog []int64
	if err := b.Clone(ctx, "Ubuntu-24.04", "Ubuntu-dev", "", "", func(n int64) { prog = append(prog, n) }); err != nil {
		t.Fatal(err)
	}
	if len(prog) == 0 {
		t.Fatal("clone reported no progress")
	}
	ds, _ := b.Distros(ctx)
	kc, dev := find(ds, "kali-copy"), find(ds, "Ubuntu-dev")
	if kc.State != backend.StateStopped || kc.Version != 2 || kc.BasePath != `D:\wsl\kali-copy` {
		t.Fatalf("imported distro %+v", kc)
	}
	if dev.Name == "" || dev.State != backend.StateStopped || !strings.HasPrefix(dev.BasePath, demoPrefix) {
		t.Fatalf("cloned distro %+v", dev)
	}
	// The clone runs the same programs as its source.
	if err := b.Start(ctx, "Ubuntu-dev"); err != nil {
		t.Fatal(err)
	}
	ps, err := b.Processes(ctx, "Ubuntu-dev")
	if err != nil || len(ps) == 0 {
		t.Fatalf("clone processes: %v %v", ps, err)
	}
	hasGopls := false
	for _, p := range ps {
		hasGopls = hasGopls || p.Name == "gopls"
	}
	if !hasGopls {
		t.Fatalf("the clone of Ubuntu-24.04 lacks its programs: %+v", ps)
	}

	// Unregister through the trash: the distro goes (a running one is stopped first), the
	// default moves, the trash lists it; restore brings it back; purge empties the trash.
	e, err := b.Trash(ctx, "Ubuntu-24.04", nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Ubuntu-24.04" || e.Bytes <= 0 || !strings.HasPrefix(e.Archive, demoPrefix) {
		t.Fatalf("trash entry %+v", e)
	}
	ds, _ = b.Distros(ctx)
	if find(ds, "Ubuntu-24.04").Name != "" {
		t.Fatal("still registered after unregister")
	}
	if !ds[0].Default {
		t.Fatalf("no default after unregistering the default: %+v", ds)
	}
	es, _ := b.TrashList()
	if len(es) != 1 || es[0].Name != "Ubuntu-24.04" {
		t.Fatalf("trash %+v", es)
	}
	if err := b.TrashRestore(ctx, "Ubuntu-24.04"); err != nil {
		t.Fatal(err)
	}
	ds, _ = b.Distros(ctx)
	if d := find(ds, "Ubuntu-24.04"); d.Name == "" || d.State != backend.StateStopped {
		t.Fatalf("not restored: %+v", ds)
	}
	if es, _ := b.TrashList(); len(es) != 0 {
		t.Fatalf("restored entry still in the trash: %+v", es)
	}
	if _, err := b.Trash(ctx, "Debian", nil); err != nil {
		t.Fatal(err)
	}
	if err := b.TrashPurge("Debian"); err != nil {
		t.Fatal(err)
	}
	if err := b.TrashPurge("Debian"); !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("purge of nothing: %v", err)
	}
	if err := b.TrashRestore(ctx, "Debian"); !errors.Is(err, backend.ErrNotFound) {
		t.Fatalf("restore after purge: %v", err)
	}
}

// TestTrashCancelledKeepsTheDistro: cancelled during the export, the distro stays registered.
func TestTrashCancelledKeepsTheDistro(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	_, err := b.Trash(ctx, "Debian", func(int64) { cancel() })
	if err == nil {
		t.Fatal("a cancelled unregister succeeded")
	}
	ds, _ := b.Distros(context.Background())
	if find(ds, "Debian").Name == "" {
		t.Fatal("a cancelled unregister removed the distro")
	}
	if es, _ := b.TrashList(); len(es) != 0 {
		t.Fatalf("a cancelled export left a trash entry: %+v", es)
	}
}

// TestLongOpsOneAtATime: a second long operation on the same distro is refused while one runs.
func TestLongOpsOneAtATime(t *testing.T) {
	clkB, _ := newTest(Options{Seed: 1})
	release := make(chan struct{})
	started := make(chan struct{})
	var once sync.Once
	clkB.wait = func(ctx context.Context, d time.Duration) error {
		once.Do(func() { close(started) })
		<-release
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- clkB.Export(context.Background(), "Debian", `C:\a.tar`, "", nil) }()
	<-started
	if err := clkB.Export(context.Background(), "Debian", `C:\b.tar`, "", nil); !errors.Is(err, backend.ErrBusy) {
		t.Errorf("second export meanwhile: %v", err)
	}
	if _, err := clkB.Trash(context.Background(), "Debian", nil); err == nil {
		t.Error("unregister during an export was accepted")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
