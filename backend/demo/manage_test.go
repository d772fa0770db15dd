package demo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

func distro(t *testing.T, b *Backend, name string) backend.Distro {
	t.Helper()
	ds, _ := b.Distros(context.Background())
	for _, d := range ds {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no %s in %+v", name, ds)
	return backend.Distro{}
}

func hasDistro(b *Backend, name string) bool {
	ds, _ := b.Distros(context.Background())
	for _, d := range ds {
		if strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

func TestCatalogueIsWSLsOnTheClock(t *testing.T) {
	b, clk := newTest(Options{Seed: 1})
	start := clk.Now()
	ds, err := b.OnlineDistros(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 8 || ds[1] != (backend.OnlineDistro{Name: "Ubuntu-24.04", FriendlyName: "Ubuntu 24.04 LTS"}) || ds[7].Name != "Debian" {
		t.Fatalf("catalogue %+v", ds)
	}
	if d := clk.Now().Sub(start); d != catalogueDelay {
		t.Errorf("took %v, want %v", d, catalogueDelay)
	}
}

// TestInstallPhasesThenAStoppedDistroWithoutUser: downloading then installing, on the clock; the
// new distro is stopped, WSL 2, and its first shell runs the user set-up.
func TestInstallPhasesThenAStoppedDistroWithoutUser(t *testing.T) {
	b, clk := newTest(Options{Seed: 1})
	start := clk.Now()
	var phases []string
	var last time.Duration
	res, err := b.Install(context.Background(), backend.InstallOptions{Distro: "openSUSE-Leap-16.0", Name: "leap", Location: `D:\wsl\leap`}, func(p backend.InstallProgress) {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase+"|"+p.Text {
			phases = append(phases, p.Phase+"|"+p.Text)
		}
		if p.Elapsed < last {
			t.Errorf("elapsed went back: %v after %v", p.Elapsed, last)
		}
		last = p.Elapsed
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"downloading|Downloading: openSUSE Leap 16.0", "installing|Installing: openSUSE Leap 16.0"}
	if strings.Join(phases, ",") != strings.Join(want, ",") {
		t.Fatalf("phases %q, want %q", phases, want)
	}
	took := clk.Now().Sub(start)
	if took < 8*time.Second || last != took {
		t.Errorf("took %v (last report at %v): a download and an import take seconds", took, last)
	}
	if res.Distro != "leap" || res.Source != "openSUSE-Leap-16.0" || !strings.Contains(res.FirstRun, "without a user") {
		t.Fatalf("result %+v", res)
	}
	d := distro(t, b, "leap")
	if d.State != backend.StateStopped || d.Version != 2 || d.BasePath != `D:\wsl\leap` || d.DiskBytes <= 0 {
		t.Fatalf("installed %+v", d)
	}
	if c, _ := b.ShellCommand("leap"); !strings.Contains(strings.Join(c.Args, " "), "first-run set-up") {
		t.Errorf("shell of a new distro does not say it sets up a user: %q", c.Args)
	}
	// Then root is a user it has; setting it ends the pending set-up.
	if err := b.SetDefaultUser(context.Background(), "leap", "root"); err != nil {
		t.Fatal(err)
	}
	if c, _ := b.ShellCommand("leap"); strings.Contains(strings.Join(c.Args, " "), "first-run") {
		t.Errorf("still first-run after set-user: %q", c.Args)
	}
}

func TestInstallRefusesWhatWSLRefuses(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	_, err := b.Install(ctx, backend.InstallOptions{Distro: "Ubuntu-24.04"}, nil)
	if !errors.Is(err, backend.ErrFailed) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("taken name: %v", err)
	}
	_, err = b.Install(ctx, backend.InstallOptions{Distro: "Gentoo"}, nil)
	if backend.KindOf(err) != backend.KindNotFound || backend.CodeOf(err) != "Wsl/InstallDistro/WSL_E_DISTRO_NOT_FOUND" {
		t.Errorf("unknown distro: %v", err)
	}
	if _, err := b.Install(ctx, backend.InstallOptions{}, nil); err == nil {
		t.Error("no distro and no file: accepted")
	}
	if _, err := b.Install(ctx, backend.InstallOptions{Distro: "Debian", Name: "bad name"}, nil); err == nil {
		t.Error("invalid name accepted")
	}
	if _, err := b.Install(ctx, backend.InstallOptions{FromFile: `C:\img\missing.wsl`}, nil); backend.CodeOf(err) != "Wsl/InstallDistro/ERROR_FILE_NOT_FOUND" {
		t.Errorf("missing file: %v", err)
	}
	// From a file (a demo archive): no download phase, the name from the file.
	if err := b.Export(ctx, "Debian", `C:\img\alpine.wsl`, backend.FormatTarGz, nil); err != nil {
		t.Fatal(err)
	}
	var phases []string
	res, err := b.Install(ctx, backend.InstallOptions{FromFile: `C:\img\alpine.wsl`}, func(p backend.InstallProgress) {
		if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
			phases = append(phases, p.Phase)
		}
	})
	if err != nil || res.Distro != "alpine" || strings.Join(phases, ",") != backend.InstallInstalling || !hasDistro(b, "alpine") {
		t.Fatalf("from file: %+v %v phases %q", res, err, phases)
	}
}

func TestInstallCancelledRegistersNothing(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := b.Install(ctx, backend.InstallOptions{Distro: "Debian", Name: "deb2"}, func(backend.InstallProgress) {
		if n++; n == 3 {
			cancel()
		}
	})
	if err == nil || !errors.Is(err, context.Canceled) || hasDistro(b, "deb2") {
		t.Fatalf("cancelled install: %v, registered %v", err, hasDistro(b, "deb2"))
	}
	// The name is free again.
	if _, err := b.Install(context.Background(), backend.InstallOptions{Distro: "Debian", Name: "deb2"}, nil); err != nil {
		t.Fatal(err)
	}
}

// TestMoveStopsFirstAndRefusesWhatWSLRefuses: like the wsl backend, move stops a running distro
// first; WSL 1 and busy distros are refused.
func TestMoveStopsFirstAndRefusesWhatWSLRefuses(t *testing.T) {
	b, clk := newTest(Options{Seed: 1})
	ctx := context.Background()
	before := distro(t, b, "Ubuntu-24.04")
	start := clk.Now()
	res, err := b.Move(ctx, "ubuntu-24.04", `D:\wsl\ubuntu`)
	if err != nil {
		t.Fatal(err)
	}
	if res.Distro != "Ubuntu-24.04" || res.Before != before.BasePath || res.After != `D:\wsl\ubuntu` || !res.Verified || res.Stale {
		t.Fatalf("result %+v", res)
	}
	if d := distro(t, b, "Ubuntu-24.04"); d.State != backend.StateStopped || d.BasePath != `D:\wsl\ubuntu` {
		t.Fatalf("after move %+v", d)
	}
	if clk.Now().Sub(start) < 10*time.Second {
		t.Errorf("moving a 36 GiB disk took %v", clk.Now().Sub(start))
	}
	if _, err := b.Move(ctx, "Ubuntu-18.04", `D:\x`); backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "a WSL 1 distro has no virtual disk to move") {
		t.Errorf("WSL 1: %v", err)
	}
	if _, err := b.Move(ctx, "openSUSE-Tumbleweed", `D:\x`); !errors.Is(err, backend.ErrBusy) {
		t.Errorf("installing: %v", err)
	}
	if _, err := b.Move(ctx, "Nope", `D:\x`); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
}

func TestResizeSparseSetUser(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	if err := b.Resize(ctx, "Debian", "256gb"); err == nil || !strings.Contains(err.Error(), "upper case") {
		t.Errorf("lower-case unit: %v", err)
	}
	if err := b.Resize(ctx, "Debian", "1MB"); err == nil || !strings.Contains(err.Error(), "cannot be smaller") {
		t.Errorf("smaller than its content: %v", err)
	}
	if err := b.Resize(ctx, "Debian", "256GB"); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	d, _ := b.find("Debian")
	maxBytes := d.maxBytes
	b.mu.Unlock()
	if maxBytes != 256<<30 {
		t.Errorf("max %d", maxBytes)
	}
	err := b.SetSparse(ctx, "Debian", true, false)
	if err == nil || !strings.Contains(err.Error(), "--allow-unsafe") || backend.CodeOf(err) != "Wsl/Service/E_INVALIDARG" {
		t.Errorf("sparse without allow-unsafe: %v", err)
	}
	if err := b.SetSparse(ctx, "Debian", true, true); err != nil {
		t.Fatal(err)
	}
	if err := b.SetSparse(ctx, "Ubuntu-18.04", false, false); backend.KindOf(err) != backend.KindUnsupported {
		t.Errorf("WSL 1 sparse: %v", err)
	}
	if err := b.SetDefaultUser(ctx, "Ubuntu-24.04", "nobody-here"); backend.KindOf(err) != backend.KindNotFound || !strings.Contains(err.Error(), "no such user") {
		t.Errorf("unknown user: %v", err)
	}
	if err := b.SetDefaultUser(ctx, "Ubuntu-24.04", "dev"); err != nil {
		t.Errorf("dev: %v", err)
	}
	if err := b.SetDefaultUser(ctx, "Ubuntu-24.04", "a b"); err == nil {
		t.Error("a user name with a space accepted")
	}
}

// TestCompactSparseShrinksElevatedDoesNot: with sparse the file shrinks to what it holds; without,
// fstrim frees blocks inside but the file keeps its size until the elevated step it names.
func TestCompactSparseShrinksElevatedDoesNot(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	dry, err := b.Compact(ctx, "Debian", backend.CompactOptions{DryRun: true})
	if err != nil || !dry.DryRun || dry.After != nil || len(dry.Steps) != 4 || !strings.HasPrefix(dry.Steps[2], "wsl --shutdown") || !strings.Contains(dry.Elevated, "Optimize-VHD") {
		t.Fatalf("dry run %+v %v", dry, err)
	}
	el, err := b.Compact(ctx, "Debian", backend.CompactOptions{})
	if err != nil || el.Before == nil || el.After == nil || *el.After != *el.Before || el.Trimmed == nil || *el.Trimmed <= 0 {
		t.Fatalf("elevated %+v %v", el, err)
	}
	sp, err := b.Compact(ctx, "Ubuntu-24.04", backend.CompactOptions{Sparse: true})
	if err != nil || sp.Method != "sparse" || sp.After == nil || *sp.After >= *sp.Before {
		t.Fatalf("sparse %+v %v", sp, err)
	}
	if d := distro(t, b, "Ubuntu-24.04"); d.State != backend.StateStopped || d.DiskBytes != *sp.After {
		t.Errorf("after sparse compact %+v", d)
	}
	if _, err := b.Compact(ctx, "Ubuntu-18.04", backend.CompactOptions{}); backend.KindOf(err) != backend.KindUnsupported {
		t.Errorf("WSL 1 compact: %v", err)
	}
}

func TestRenameRefusesRunningAndTakenNames(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	if _, err := b.Rename(ctx, "Ubuntu-24.04", "Ubuntu-dev"); !errors.Is(err, backend.ErrBusy) || !strings.Contains(err.Error(), "stop it first") {
		t.Errorf("running: %v", err)
	}
	if _, err := b.Rename(ctx, "Debian", "KALI-LINUX"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("taken (case-insensitively): %v", err)
	}
	for _, bad := range []string{"legacy", "has space", ""} {
		if _, err := b.Rename(ctx, "Debian", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := b.Rename(ctx, "debian", "Debian-old"); err != nil {
		t.Fatal(err)
	}
	if hasDistro(b, "Debian") || !hasDistro(b, "Debian-old") {
		t.Error("not renamed")
	}
}

// TestExportFormats: a vhd is the disk itself and only for WSL 2; compressed tars are smaller; a
// clone through a vhd keeps the disk's size.
func TestExportFormats(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	if err := b.Export(ctx, "Ubuntu-18.04", `C:\u.vhdx`, backend.FormatVHD, nil); backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "Ubuntu-18.04 is a WSL 1 distro") {
		t.Errorf("vhd of WSL 1: %v", err)
	}
	if err := b.Export(ctx, "Debian", `C:\d.zip`, backend.Format("zip"), nil); err == nil {
		t.Error("zip accepted")
	}
	size := map[backend.Format]int64{}
	for _, f := range backend.Formats {
		var last int64
		if err := b.Export(ctx, "kali-linux", `C:\k`+f.Ext(), f, func(n int64) { last = n }); err != nil {
			t.Fatal(f, err)
		}
		size[f] = last
	}
	kali := distro(t, b, "kali-linux")
	if !(size[backend.FormatTarXz] < size[backend.FormatTarGz] && size[backend.FormatTarGz] < size[backend.FormatTar]) || size[backend.FormatVHD] != kali.DiskBytes {
		t.Fatalf("sizes %v (disk %d)", size, kali.DiskBytes)
	}
	if err := b.Clone(ctx, "kali-linux", "kali2", "", backend.FormatVHD, nil); err != nil {
		t.Fatal(err)
	}
	if d := distro(t, b, "kali2"); d.DiskBytes != kali.DiskBytes || d.Version != 2 {
		t.Errorf("vhd clone %+v", d)
	}
	if err := b.Import(ctx, "k1", `C:\x`, `C:\k.vhdx`, 1); backend.KindOf(err) != backend.KindUnsupported {
		t.Errorf("vhd as WSL 1: %v", err)
	}
}

func TestManagerCapabilitiesAllSimulated(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	c := b.Capabilities()
	for _, a := range []backend.Action{backend.ActExport, backend.ActExportFormat, backend.ActImport, backend.ActClone, backend.ActUnregister,
		backend.ActInstall, backend.ActMove, backend.ActResize, backend.ActSparse, backend.ActSetUser, backend.ActCompact, backend.ActRename} {
		if r := c.Reason(a); r != "" {
			t.Errorf("%s: %s", a, r)
		}
	}
}
