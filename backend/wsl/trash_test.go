package wsl

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// wslpathStandIn is `wslpath -w` inside distro own, whose / is the host folder root: paths under
// drive (the host folder standing for C:\) become C:\…, every other path is inside the distro,
// \\wsl.localhost\own\….
func wslpathStandIn(own, root, drive string) func(string) (string, error) {
	win := func(rel string) string { return strings.ReplaceAll(filepath.ToSlash(rel), "/", `\`) }
	return func(p string) (string, error) {
		p = filepath.Clean(p)
		if rel, err := filepath.Rel(drive, p); err == nil && !strings.HasPrefix(rel, "..") {
			return `C:\` + strings.TrimPrefix(win(rel), "."), nil
		}
		if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
			return `\\wsl.localhost\` + own + `\` + strings.TrimPrefix(win(rel), "."), nil
		}
		return "", fmt.Errorf("wslpath stand-in: %s is neither in the distro (%s) nor on C: (%s)", p, root, drive)
	}
}

// insideSetup is wsldash running inside Ubuntu: Ubuntu's and Debian's file systems and drive C:
// are host folders, the double is called through interop from Ubuntu, and HOME is Ubuntu's
// /root. Debian is the one to remove.
type insideSetup struct {
	ubuntuRoot, debianRoot, drive string
	b                             *Backend
	f                             *fakewsltest.Fake
}

func newInside(t *testing.T, mod func(*Options)) *insideSetup {
	t.Helper()
	needFake(t)
	base := t.TempDir()
	s := &insideSetup{ubuntuRoot: filepath.Join(base, "ubuntu"), debianRoot: filepath.Join(base, "debian"), drive: filepath.Join(base, "c")}
	for _, d := range []string{filepath.Join(s.ubuntuRoot, "root"), s.debianRoot, filepath.Join(s.drive, "Users", "dev", "AppData", "Local")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	st := twoDistros()
	st.Distros[0].Root, st.Distros[1].Root = s.ubuntuRoot, s.debianRoot
	st.Drives = map[string]string{"C": s.drive}
	st.Caller = "Ubuntu"
	t.Setenv("WSL_DISTRO_NAME", "Ubuntu")
	t.Setenv("HOME", filepath.Join(s.ubuntuRoot, "root"))
	t.Setenv("XDG_CACHE_HOME", "")
	yes := true
	s.b, s.f, _ = newBackend(t, st, func(o *Options) {
		o.Inside = &yes
		o.ProcRoot = filepath.Join(st.GuestRoot, "proc")
		o.TrashDir = ""
		o.WinPath = wslpathStandIn("Ubuntu", s.ubuntuRoot, s.drive)
		o.WindowsDataDir = func() (string, error) { return filepath.Join(s.drive, "Users", "dev", "AppData", "Local"), nil }
		if mod != nil {
			mod(o)
		}
	})
	return s
}

func registered(f *fakewsltest.Fake, name string) bool {
	for _, d := range f.Read().Distros {
		if strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

// Inside WSL the trash lives on the Windows side: the archive survives the unregister, and the
// distro can be restored from it.
func TestTrashInsideWSLLivesOnWindows(t *testing.T) {
	s := newInside(t, nil)
	ctx := context.Background()
	e, err := s.b.Trash(ctx, "Debian", nil)
	if err != nil {
		t.Fatal(err)
	}
	if rel, err := filepath.Rel(s.drive, e.Archive); err != nil || strings.HasPrefix(rel, "..") {
		t.Fatalf("archive %s is not on the Windows drive %s", e.Archive, s.drive)
	}
	if _, err := os.Stat(e.Archive); err != nil {
		t.Fatalf("archive gone after the unregister: %v", err)
	}
	if _, err := os.Stat(s.debianRoot); !os.IsNotExist(err) {
		t.Fatalf("the double did not delete Debian's file system: %v", err)
	}
	if err := s.b.TrashRestore(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	if !registered(s.f, "Debian") {
		t.Fatal("not restored")
	}
}

// Unregistering the distro wsldash runs in is refused before anything is exported.
func TestTrashRefusesOwnDistro(t *testing.T) {
	s := newInside(t, nil)
	_, err := s.b.Trash(context.Background(), "ubuntu", nil)
	if err == nil || !strings.Contains(err.Error(), "running inside Ubuntu") {
		t.Fatalf("err = %v", err)
	}
	if n := s.f.Count("--export") + s.f.Count("--unregister"); n != 0 {
		t.Fatalf("%d export/unregister calls", n)
	}
	if !registered(s.f, "Ubuntu") {
		t.Fatal("Ubuntu unregistered")
	}
}

// A trash folder inside the distro being removed is refused before the export, whether it is
// given as a \\wsl$ path or is a local folder wslpath maps there.
func TestTrashRefusesTargetInsideTheDistro(t *testing.T) {
	for _, tc := range []struct {
		name string
		dir  func(s *insideSetup) string
	}{
		{"unc", func(*insideSetup) string { return `\\wsl$\debian\root\trash` }},
		{"localhost", func(*insideSetup) string { return `//WSL.LOCALHOST/Debian/trash` }},
		{"wslpath", func(s *insideSetup) string { return filepath.Join(s.debianRoot, "trash") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s *insideSetup
			s = newInside(t, func(o *Options) {
				if tc.name == "wslpath" {
					// Debian's file system mounted where wslpath names it as Debian's.
					o.WinPath = func(p string) (string, error) {
						if rel, err := filepath.Rel(s.debianRoot, p); err == nil && !strings.HasPrefix(rel, "..") {
							return `\\wsl.localhost\Debian\` + rel, nil
						}
						return wslpathStandIn("Ubuntu", s.ubuntuRoot, s.drive)(p)
					}
				}
			})
			s.b.opts.TrashDir = tc.dir(s)
			_, err := s.b.Trash(context.Background(), "Debian", nil)
			if err == nil || !strings.Contains(err.Error(), "inside Debian itself") {
				t.Fatalf("err = %v", err)
			}
			if n := s.f.Count("--export") + s.f.Count("--unregister"); n != 0 {
				t.Fatalf("%d export/unregister calls", n)
			}
		})
	}
}

// Inside WSL without a Windows folder to use, the trash refuses instead of falling back to the
// distro's own disk.
func TestTrashInsideWSLWithoutWindowsFolderRefuses(t *testing.T) {
	s := newInside(t, func(o *Options) {
		o.WindowsDataDir = func() (string, error) { return "", fmt.Errorf("cmd.exe is not reachable") }
	})
	_, err := s.b.Trash(context.Background(), "Debian", nil)
	if err == nil || !strings.Contains(err.Error(), EnvTrashDir) {
		t.Fatalf("err = %v", err)
	}
	if s.f.Count("--export") != 0 {
		t.Fatal("exported")
	}
	if left, _ := filepath.Glob(filepath.Join(s.ubuntuRoot, "root", ".cache", "*")); len(left) != 0 {
		t.Fatalf("wrote into the distro: %v", left)
	}
}

// An export that exits 0 but wrote a bad archive stops the unregister.
func TestTrashRefusesBadExport(t *testing.T) {
	for _, bad := range []string{"empty", "truncated", "notar"} {
		t.Run(bad, func(t *testing.T) {
			st := twoDistros()
			st.ExportBad = bad
			b, f, _ := newBackend(t, st, nil)
			_, err := b.Trash(context.Background(), "Debian", nil)
			if err == nil || !strings.Contains(err.Error(), "NOT unregistered") {
				t.Fatalf("err = %v", err)
			}
			if f.Count("--export") != 1 || f.Count("--unregister") != 0 || !registered(f, "Debian") {
				t.Fatalf("calls %v", f.Calls())
			}
			if es, _ := b.TrashList(); len(es) != 0 {
				t.Fatalf("a bad archive left in the trash: %+v", es)
			}
		})
	}
}

// The double's paths: a Linux path from Windows lands on C:, from inside a distro inside it, and
// \\wsl.localhost\X exists only while X does.
func TestFakePathsAreWindowsPaths(t *testing.T) {
	s := newInside(t, func(o *Options) { o.WinPath = func(p string) (string, error) { return p, nil } })
	ctx := context.Background()
	// A Linux path given unconverted from inside Ubuntu is inside Ubuntu.
	if err := s.b.Export(ctx, "Debian", "/root/d.tar", "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.ubuntuRoot, "root", "d.tar")); err != nil {
		t.Fatalf("a Linux path did not land inside the calling distro: %v", err)
	}
	// A path into Debian's file system is gone with Debian.
	if _, err := s.b.run.Run(ctx, "--export", "Ubuntu", `\\wsl.localhost\Debian\u.tar`); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.debianRoot, "u.tar")); err != nil {
		t.Fatalf("not in Debian: %v", err)
	}
	if _, err := s.b.run.Run(ctx, "--unregister", "Debian"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.debianRoot); !os.IsNotExist(err) {
		t.Fatalf("--unregister kept the distro's files: %v", err)
	}
	_, err := s.b.run.Run(ctx, "--export", "Ubuntu", `\\wsl.localhost\Debian\u.tar`)
	if !strings.HasSuffix(backend.CodeOf(err), "ERROR_PATH_NOT_FOUND") {
		t.Fatalf("export into an unregistered distro: %v", err)
	}
	if _, err := s.b.run.Run(ctx, "--export", "Ubuntu", `D:\x.tar`); !strings.HasSuffix(backend.CodeOf(err), "ERROR_PATH_NOT_FOUND") {
		t.Fatalf("export to a drive that does not exist: %v", err)
	}
}

// Archives are named Debian-<UTC second>Z.tar (a second one in the same second -2); an entry an
// older wsldash wrote as Debian.<unix nanoseconds>.tar is still listed and restorable.
func TestTrashNamesReadableAndOldNamesStillListed(t *testing.T) {
	s := newInside(t, nil)
	ctx := context.Background()
	e, err := s.b.Trash(ctx, "Debian", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^Debian-\d{8}T\d{6}Z\.tar$`).MatchString(filepath.Base(e.Archive)) {
		t.Errorf("archive %s, want Debian-YYYYMMDDTHHMMSSZ.tar", filepath.Base(e.Archive))
	}
	base := strings.TrimSuffix(e.Archive, ".tar")
	if got := freeTrashName(filepath.Dir(e.Archive), filepath.Base(base)); got != base+"-2.tar" {
		t.Errorf("a second archive of Debian in the same second: %s, want %s-2.tar", got, base)
	}
	// Make it an entry as an older wsldash wrote it.
	old := filepath.Join(filepath.Dir(e.Archive), "Debian.1764072000000000000.tar")
	if err := os.Rename(e.Archive, old); err != nil {
		t.Fatal(err)
	}
	os.Remove(base + ".json")
	e.Archive = old
	if err := writeEntry(e); err != nil {
		t.Fatal(err)
	}
	es, err := s.b.TrashList()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Archive != old || !es[0].Restorable() {
		t.Fatalf("listed %+v, want the old-named entry, restorable", es)
	}
	if err := s.b.TrashRestore(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	if !registered(s.f, "Debian") {
		t.Fatal("the old-named archive was not restored")
	}
}
