package wsl

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// stateHost is the registry as the double keeps it: a distro's BasePath is its Dir, its disk
// BasePath\ext4.vhdx, whose size is the double's Manage.Disks[name].Bytes.
type stateHost struct{ f *fakewsltest.Fake }

func (h stateHost) Registrations() ([]winhost.Registration, error) {
	var regs []winhost.Registration
	s := h.f.Read()
	for _, d := range s.Distros {
		flags := uint32(0x7)
		if d.Version == 2 {
			flags |= winhost.FlagVMMode
		}
		regs = append(regs, winhost.Registration{GUID: "{" + d.Name + "}", Name: d.Name, BasePath: d.Dir, VhdFileName: "ext4.vhdx", Flags: flags, Default: d.Name == s.Default})
	}
	return regs, nil
}

func (h stateHost) DiskUsage(p string) (int64, error) {
	s := h.f.Read()
	for _, d := range s.Distros {
		if strings.EqualFold(p, d.Dir+`\ext4.vhdx`) && s.Manage != nil && s.Manage.Disks[strings.ToLower(d.Name)] != nil {
			return s.Manage.Disks[strings.ToLower(d.Name)].Bytes, nil
		}
	}
	return 0, errNoDisk
}

func (h stateHost) Sample(context.Context) (*backend.HostView, error) { return nil, nil }

var errNoDisk = &backend.Error{Kind: backend.KindNotFound, Message: "no disk"}

func manageState(t *testing.T) fakewsltest.State {
	st := twoDistros()
	st.Distros[0].Dir = `C:\wsl\Ubuntu`
	st.Distros[1].Version = 2
	st.Distros[1].Dir = `C:\wsl\Debian`
	st.Drives = map[string]string{"C": t.TempDir(), "D": t.TempDir()}
	st.Manage = &fakewsltest.ManageState{Disks: map[string]*fakewsltest.Disk{
		"ubuntu": {Bytes: 40 << 30, Used: 12 << 30}, "debian": {Bytes: 8 << 30, Used: 3 << 30}}}
	return st
}

func newManaged(t *testing.T, mod func(*fakewsltest.State)) (*Backend, *fakewsltest.Fake) {
	st := manageState(t)
	if mod != nil {
		mod(&st)
	}
	var f *fakewsltest.Fake
	b, f, _ := newBackend(t, st, func(o *Options) { o.Host = hostRef{&f} })
	return b, f
}

// hostRef lets the backend's options name the fake before newBackend has made it.
type hostRef struct{ f **fakewsltest.Fake }

func (h hostRef) Registrations() ([]winhost.Registration, error) {
	return stateHost{*h.f}.Registrations()
}
func (h hostRef) DiskUsage(p string) (int64, error) { return stateHost{*h.f}.DiskUsage(p) }
func (h hostRef) Sample(ctx context.Context) (*backend.HostView, error) {
	return nil, nil
}

// changing are the calls that do something: everything but listing and --version.
func changing(f *fakewsltest.Fake) [][]string {
	var out [][]string
	for _, c := range f.Calls() {
		if len(c) > 0 && (c[0] == "-l" || c[0] == "--list" && (len(c) < 2 || c[1] != "--online") || c[0] == "--version" || c[0] == "--status") {
			continue
		}
		out = append(out, c)
	}
	return out
}

func TestOnlineDistros(t *testing.T) {
	for _, lang := range []string{"", "de"} {
		b, f := newManaged(t, func(s *fakewsltest.State) { s.Lang = lang })
		ds, err := b.OnlineDistros(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 8 || ds[1].Name != "Ubuntu-24.04" || ds[1].FriendlyName != "Ubuntu 24.04 LTS" {
			t.Fatalf("%s: %+v", lang, ds)
		}
		if got := changing(f); !reflect.DeepEqual(got, [][]string{{"--list", "--online"}}) {
			t.Fatalf("calls %q", got)
		}
	}
	b, _ := newManaged(t, func(s *fakewsltest.State) { s.Manage.Offline = true })
	_, err := b.OnlineDistros(context.Background())
	if be, ok := err.(*backend.Error); !ok || be.Code != "Wsl/WININET_E_CANNOT_CONNECT" {
		t.Fatalf("offline: %v", err)
	}
}

func TestInstallSendsNoLaunch(t *testing.T) {
	b, f := newManaged(t, nil)
	res, err := b.Install(context.Background(), InstallOptions{Distro: "Ubuntu-24.04", Name: "dev", Location: `D:\wsl\dev`, WebDownload: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"--install", "Ubuntu-24.04", "--name", "dev", "--location", `D:\wsl\dev`, "--web-download", "--no-launch"}}
	if got := changing(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls %q", got)
	}
	if res.Distro != "dev" || !strings.Contains(res.FirstRun, "wsl -d dev") {
		t.Fatalf("result %+v", res)
	}
	ds, _ := b.Distros(context.Background())
	if _, ok := byName(ds, "dev"); !ok {
		t.Fatalf("dev not listed: %+v", ds)
	}
	// An unknown catalogue name: wsl.exe's error and code, passed on.
	_, err = b.Install(context.Background(), InstallOptions{Distro: "DoesNotExist"}, nil)
	if be, ok := err.(*backend.Error); !ok || be.Code != "Wsl/InstallDistro/WSL_E_DISTRO_NOT_FOUND" || !strings.Contains(be.Message, "Invalid distribution name") {
		t.Fatalf("unknown: %#v", err)
	}
	// The same name again.
	_, err = b.Install(context.Background(), InstallOptions{Distro: "Ubuntu-24.04", Name: "dev"}, nil)
	if !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("again: %v", err)
	}
	// Neither or both sources: refused before wsl.exe.
	n := len(f.Calls())
	if _, err := b.Install(context.Background(), InstallOptions{}, nil); err == nil {
		t.Fatal("no source accepted")
	}
	if len(f.Calls()) != n {
		t.Fatal("wsl.exe called for a refused install")
	}
}

func TestInstallFromFile(t *testing.T) {
	b, f := newManaged(t, nil)
	s := f.Read()
	writeFile(t, s.Drives["C"]+"/img/alpine.wsl", "tar")
	res, err := b.Install(context.Background(), InstallOptions{FromFile: `C:\img\alpine.wsl`, Name: "alp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := changing(f); !reflect.DeepEqual(got, [][]string{{"--install", "--from-file", `C:\img\alpine.wsl`, "--name", "alp", "--no-launch"}}) {
		t.Fatalf("calls %q", got)
	}
	if res.Distro != "alp" || res.Source != `C:\img\alpine.wsl` {
		t.Fatalf("%+v", res)
	}
}

func TestMoveStopsFirstAndVerifiesTheRegistry(t *testing.T) {
	b, f := newManaged(t, nil)
	res, err := b.Move(context.Background(), "Ubuntu", `D:\wsl\Ubuntu`)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"-t", "Ubuntu"}, {"--manage", "Ubuntu", "--move", `D:\wsl\Ubuntu`}}
	if got := changing(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls %q", got)
	}
	if !res.Verified || res.Stale || res.Before != `C:\wsl\Ubuntu` || res.After != `D:\wsl\Ubuntu` {
		t.Fatalf("%+v", res)
	}
}

func TestMoveReportsAStaleBasePath(t *testing.T) {
	b, _ := newManaged(t, func(s *fakewsltest.State) { s.Manage.MoveStale = true })
	res, err := b.Move(context.Background(), "Debian", `D:\wsl\Debian`)
	if be, ok := err.(*backend.Error); !ok || be.Code != "Wsl/Service/MoveDistro/E_ACCESSDENIED" {
		t.Fatalf("err %v", err)
	}
	if !res.Verified || !res.Stale || res.After != `C:\wsl\Debian` || !strings.Contains(res.Note, "40716") {
		t.Fatalf("%+v", res)
	}
}

// A move that fails for another reason is not the stale-registration bug.
func TestMoveFailureIsNotCalledStale(t *testing.T) {
	b, _ := newManaged(t, nil)
	res, err := b.Move(context.Background(), "Debian", `Q:\nowhere`)
	if err == nil || res.Stale || !res.Verified || !strings.Contains(res.Note, "move failed") {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestTooOldWSLIsRefusedWithTheVersionItNeeds(t *testing.T) {
	b, f := newManaged(t, func(s *fakewsltest.State) { s.Manage.WSLVersion = "2.4.13.0" })
	_, err := b.Move(context.Background(), "Debian", `D:\x`)
	if backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "2.5.0") || !strings.Contains(err.Error(), "2.4.13.0") {
		t.Fatalf("move: %v", err)
	}
	if err := b.Resize(context.Background(), "Debian", "256GB"); backend.KindOf(err) != backend.KindUnsupported {
		t.Fatalf("resize: %v", err)
	}
	if got := changing(f); len(got) != 0 {
		t.Fatalf("calls %q", got)
	}
	// The inbox wsl.exe has no --manage at all.
	b, f = newManaged(t, func(s *fakewsltest.State) { s.Inbox = true })
	if err := b.SetDefaultUser(context.Background(), "Debian", "dev"); backend.KindOf(err) != backend.KindUnsupported || !strings.Contains(err.Error(), "inbox") {
		t.Fatalf("set-user: %v", err)
	}
	if got := changing(f); len(got) != 0 {
		t.Fatalf("calls %q", got)
	}
}

func TestResizeSparseSetUserArgs(t *testing.T) {
	b, f := newManaged(t, nil)
	ctx := context.Background()
	if err := b.Resize(ctx, "Debian", "2.5GB"); err == nil {
		t.Fatal("2.5GB accepted")
	}
	if err := b.Resize(ctx, "Debian", "256GB"); err != nil {
		t.Fatal(err)
	}
	if err := b.SetSparse(ctx, "Debian", false, false); err != nil {
		t.Fatal(err)
	}
	// Enabling without --allow-unsafe: WSL's own refusal, passed on.
	if err := b.SetSparse(ctx, "Debian", true, false); err == nil || !strings.Contains(err.Error(), "--allow-unsafe") {
		t.Fatalf("sparse on: %v", err)
	}
	if err := b.SetSparse(ctx, "Debian", true, true); err != nil {
		t.Fatal(err)
	}
	if err := b.SetDefaultUser(ctx, "Debian", "dev"); err != nil {
		t.Fatal(err)
	}
	if err := b.SetDefaultUser(ctx, "Debian", "nobody"); backend.KindOf(err) != backend.KindNotFound || !strings.Contains(err.Error(), "no such user") {
		t.Fatalf("nobody: %v", err)
	}
	want := [][]string{
		{"--manage", "Debian", "--resize", "256GB"},
		{"--manage", "Debian", "--set-sparse", "false"},
		{"--manage", "Debian", "--set-sparse", "true"},
		{"--manage", "Debian", "--set-sparse", "true", "--allow-unsafe"},
		{"--manage", "Debian", "--set-default-user", "dev"},
		{"--manage", "Debian", "--set-default-user", "nobody"},
	}
	if got := changing(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls\n%q\nwant\n%q", got, want)
	}
	s := f.Read()
	if d := s.Manage.Disks["debian"]; d.Max != "256GB" || !d.Sparse || d.User != "dev" {
		t.Fatalf("double's disk %+v", d)
	}
}

func TestCompact(t *testing.T) {
	ctx := context.Background()
	b, f := newManaged(t, nil)
	plan, err := b.Compact(ctx, "Ubuntu", CompactOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := changing(f); len(got) != 0 {
		t.Fatalf("dry run called %q", got)
	}
	if plan.Before == nil || *plan.Before != 40<<30 || plan.After != nil || len(plan.Steps) != 4 || !strings.Contains(plan.Elevated, `C:\wsl\Ubuntu\ext4.vhdx`) {
		t.Fatalf("plan %+v", plan)
	}
	// A terminated distro's disk stays attached to WSL's VM ("the VHD is currently in use … wsl.exe
	// --shutdown", WSL's MessageVhdInUse): the plan says to shut WSL down before Optimize-VHD.
	if !strings.HasPrefix(plan.Steps[2], "wsl --shutdown") || !strings.HasPrefix(plan.Steps[3], "in an elevated prompt: Optimize-VHD") {
		t.Fatalf("steps %q", plan.Steps)
	}
	// Elevated method: fstrim, stop; the file keeps its size (only Optimize-VHD shrinks it).
	res, err := b.Compact(ctx, "Ubuntu", CompactOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"-d", "Ubuntu", "-u", "root", "--exec", "fstrim", "-v", "/"}, {"-t", "Ubuntu"}}
	if got := changing(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls %q", got)
	}
	if res.Trimmed == nil || *res.Trimmed != 28<<30 || res.After == nil || *res.After != 40<<30 {
		t.Fatalf("res %+v", res)
	}
	// Sparse: stop, set sparse (unsafe, asked for), fstrim, stop; the file shrinks to what is used.
	b, f = newManaged(t, nil)
	res, err = b.Compact(ctx, "Ubuntu", CompactOptions{Sparse: true})
	if err != nil {
		t.Fatal(err)
	}
	want = [][]string{{"-t", "Ubuntu"}, {"--manage", "Ubuntu", "--set-sparse", "true", "--allow-unsafe"},
		{"-d", "Ubuntu", "-u", "root", "--exec", "fstrim", "-v", "/"}, {"-t", "Ubuntu"}}
	if got := changing(f); !reflect.DeepEqual(got, want) {
		t.Fatalf("calls %q", got)
	}
	if *res.Before != 40<<30 || res.After == nil || *res.After != 12<<30 {
		t.Fatalf("res %+v before %d after %v", res, *res.Before, res.After)
	}
}

func TestVersionLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{{"2.4.13.0", "2.5.0", true}, {"2.5.0", "2.5.0", false}, {"2.5.10.0", "2.5.9", false}, {"2.6.1.0", "2.5.0", false}, {"1.2", "2.0", true}} {
		if VersionLess(c.a, c.b) != c.less {
			t.Errorf("VersionLess(%q, %q) != %v", c.a, c.b, c.less)
		}
	}
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
