package backendtest

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// allActions are the actions a front end may ask of a backend (backend.Action).
var allActions = []backend.Action{
	backend.ActStart, backend.ActTerminate, backend.ActShutdown, backend.ActSetDefault,
	backend.ActReclaim, backend.ActKill, backend.ActShell, backend.ActExport, backend.ActExportFormat,
	backend.ActImport, backend.ActClone, backend.ActUnregister, backend.ActInstall, backend.ActMove,
	backend.ActResize, backend.ActSparse, backend.ActSetUser, backend.ActCompact, backend.ActRename,
	backend.ActKeep, backend.ActRelease,
}

var archiverActions = []backend.Action{backend.ActExport, backend.ActExportFormat, backend.ActImport,
	backend.ActClone, backend.ActUnregister}

var managerActions = []backend.Action{backend.ActInstall, backend.ActMove, backend.ActResize,
	backend.ActSparse, backend.ActSetUser, backend.ActCompact, backend.ActRename}

// call is one way of asking a backend for an action, on distro d.
type call struct {
	name string
	do   func(t *testing.T, b backend.Backend, d string) error
}

// calls are the methods that perform each action.
func calls(a backend.Action) []call {
	dir := func(t *testing.T) string { return filepath.Join(t.TempDir(), "x") }
	arch := func(f func(t *testing.T, a backend.Archiver, d string) error) func(*testing.T, backend.Backend, string) error {
		return func(t *testing.T, b backend.Backend, d string) error { return f(t, b.(backend.Archiver), d) }
	}
	mgr := func(f func(t *testing.T, m backend.Manager, d string) error) func(*testing.T, backend.Backend, string) error {
		return func(t *testing.T, b backend.Backend, d string) error { return f(t, b.(backend.Manager), d) }
	}
	switch a {
	case backend.ActStart:
		return []call{{"Start", func(t *testing.T, b backend.Backend, d string) error { return b.Start(ctxT(t), d) }}}
	case backend.ActTerminate:
		return []call{{"Terminate", func(t *testing.T, b backend.Backend, d string) error { return b.Terminate(ctxT(t), d) }}}
	case backend.ActShutdown:
		return []call{{"Shutdown", func(t *testing.T, b backend.Backend, d string) error { return b.Shutdown(ctxT(t), false) }}}
	case backend.ActSetDefault:
		return []call{{"SetDefault", func(t *testing.T, b backend.Backend, d string) error { return b.SetDefault(ctxT(t), d) }}}
	case backend.ActReclaim:
		return []call{{"Reclaim", func(t *testing.T, b backend.Backend, d string) error {
			_, err := b.Reclaim(ctxT(t), backend.ReclaimDropCache)
			return err
		}}}
	case backend.ActKill:
		return []call{{"KillProcess", func(t *testing.T, b backend.Backend, d string) error {
			return b.KillProcess(ctxT(t), d, 4242, backend.SigTerm)
		}}}
	case backend.ActShell:
		return []call{{"ShellCommand", func(t *testing.T, b backend.Backend, d string) error {
			_, err := b.ShellCommand(d)
			return err
		}}}
	case backend.ActExport:
		return []call{{"Export", arch(func(t *testing.T, a backend.Archiver, d string) error {
			return a.Export(ctxT(t), d, dir(t)+".tar", backend.FormatTar, nil)
		})}}
	case backend.ActExportFormat:
		return []call{{"Export tar.gz", arch(func(t *testing.T, a backend.Archiver, d string) error {
			return a.Export(ctxT(t), d, dir(t)+".tar.gz", backend.FormatTarGz, nil)
		})}}
	case backend.ActImport:
		return []call{{"Import", arch(func(t *testing.T, a backend.Archiver, d string) error {
			return a.Import(ctxT(t), "wsldash-imported", dir(t), dir(t)+".tar", 2)
		})}}
	case backend.ActClone:
		return []call{{"Clone", arch(func(t *testing.T, a backend.Archiver, d string) error {
			return a.Clone(ctxT(t), d, "wsldash-clone", dir(t), backend.FormatTar, nil)
		})}}
	case backend.ActUnregister:
		// The trash's verbs have no action of their own: they share unregister's.
		return []call{
			{"Trash", arch(func(t *testing.T, a backend.Archiver, d string) error {
				_, err := a.Trash(ctxT(t), d, nil)
				return err
			})},
			{"TrashList", arch(func(t *testing.T, a backend.Archiver, d string) error {
				_, err := a.TrashList()
				return err
			})},
			{"TrashRestore", arch(func(t *testing.T, a backend.Archiver, d string) error { return a.TrashRestore(ctxT(t), d) })},
			{"TrashPurge", arch(func(t *testing.T, a backend.Archiver, d string) error { return a.TrashPurge(d) })},
			{"RestoreDir", arch(func(t *testing.T, a backend.Archiver, d string) error {
				_, err := a.RestoreDir(d)
				return err
			})},
		}
	case backend.ActInstall:
		return []call{{"Install", mgr(func(t *testing.T, m backend.Manager, d string) error {
			_, err := m.Install(ctxT(t), backend.InstallOptions{Distro: "Ubuntu", Name: "wsldash-installed"}, nil)
			return err
		})}}
	case backend.ActMove:
		return []call{{"Move", mgr(func(t *testing.T, m backend.Manager, d string) error {
			_, err := m.Move(ctxT(t), d, dir(t))
			return err
		})}}
	case backend.ActResize:
		return []call{{"Resize", mgr(func(t *testing.T, m backend.Manager, d string) error { return m.Resize(ctxT(t), d, "256GB") })}}
	case backend.ActSparse:
		return []call{{"SetSparse", mgr(func(t *testing.T, m backend.Manager, d string) error { return m.SetSparse(ctxT(t), d, false, false) })}}
	case backend.ActSetUser:
		return []call{{"SetDefaultUser", mgr(func(t *testing.T, m backend.Manager, d string) error { return m.SetDefaultUser(ctxT(t), d, "root") })}}
	case backend.ActCompact:
		return []call{{"Compact", mgr(func(t *testing.T, m backend.Manager, d string) error {
			_, err := m.Compact(ctxT(t), d, backend.CompactOptions{DryRun: true})
			return err
		})}}
	case backend.ActKeep:
		return []call{{"Keep", func(t *testing.T, b backend.Backend, d string) error { return b.(backend.Keeper).Keep(ctxT(t), d) }}}
	case backend.ActRelease:
		return []call{{"Unkeep", func(t *testing.T, b backend.Backend, d string) error {
			_, err := b.(backend.Keeper).Unkeep(d)
			return err
		}}}
	case backend.ActRename:
		return []call{{"Rename", mgr(func(t *testing.T, m backend.Manager, d string) error {
			_, err := m.Rename(ctxT(t), d, "wsldash-renamed")
			return err
		})}}
	}
	return nil
}

// implements reports whether b has the interface whose methods perform a.
func implements(b backend.Backend, a backend.Action) bool {
	for _, x := range archiverActions {
		if x == a {
			_, ok := b.(backend.Archiver)
			return ok
		}
	}
	for _, x := range managerActions {
		if x == a {
			_, ok := b.(backend.Manager)
			return ok
		}
	}
	if a == backend.ActKeep || a == backend.ActRelease {
		_, ok := b.(backend.Keeper)
		return ok
	}
	return true
}

// testCapabilities: every action is possible (Can) or refused with a reason, and a method asked
// for an action the backend refuses returns exactly that refusal: a *backend.Error of kind
// unsupported that carries the reason. An action whose interface the backend lacks is never
// possible.
func testCapabilities(t *testing.T, h Harness, s Subject) {
	b := s.Backend
	caps := b.Capabilities()
	target := noSuchDistro
	if ds := distros(t, b); len(ds) > 0 {
		target = ds[0].Name
	}
	for _, a := range allActions {
		err := caps.Check(a)
		if err == nil {
			if !implements(b, a) {
				t.Errorf("%s: Capabilities says it is possible, but the backend lacks the interface that performs it", a)
			}
			continue
		}
		e := asError(t, string(a), err)
		if e == nil {
			continue
		}
		if e.Kind != backend.KindUnsupported || strings.TrimSpace(e.Message) == "" {
			t.Errorf("%s: Capabilities.Check refuses it without a reason (kind %q, %q)", a, e.Kind, e.Message)
			continue
		}
		if !implements(b, a) {
			continue
		}
		for _, c := range calls(a) {
			got := c.do(t, b, target)
			if got == nil {
				t.Errorf("%s: %s succeeded although Capabilities refuses %s (%q)", a, c.name, a, e.Message)
				continue
			}
			ge := asError(t, string(a)+": "+c.name, got)
			if ge == nil {
				continue
			}
			if ge.Kind != backend.KindUnsupported || !strings.Contains(ge.Message, e.Message) {
				t.Errorf("%s: %s must refuse with Capabilities' reason (kind unsupported, %q), got kind %q: %v",
					a, c.name, e.Message, ge.Kind, got)
			}
		}
	}
}

// testNames: the listed distros are well formed: valid, distinct names (WSL compares them
// without case), a known state, version 1 or 2, at most one default, and Info's default is it.
func testNames(t *testing.T, h Harness, s Subject) {
	b := s.Backend
	ds := distros(t, b)
	if ds == nil {
		t.Error("Distros returned nil: an empty list is [], and nil reads as unknown")
	}
	if !h.Distros {
		if len(ds) != 0 {
			t.Errorf("a backend without distros lists %d", len(ds))
		}
		return
	}
	if len(ds) == 0 {
		t.Fatal("the harness says the backend has distros, but it lists none")
	}
	seen := map[string]bool{}
	def := ""
	for _, d := range ds {
		if !validName(d.Name) {
			t.Errorf("listed distro name %q is not a valid WSL distro name", d.Name)
		}
		if k := strings.ToLower(d.Name); seen[k] {
			t.Errorf("distro %q is listed twice (WSL's names are unique without regard to case)", d.Name)
		} else {
			seen[k] = true
		}
		switch d.State {
		case backend.StateRunning, backend.StateStopped, backend.StateInstalling, backend.StateUninstalling,
			backend.StateConverting, backend.StateExporting:
		default:
			t.Errorf("distro %q has state %q, which is none of WSL's", d.Name, d.State)
		}
		if d.Version != 1 && d.Version != 2 {
			t.Errorf("distro %q has version %d; WSL's are 1 and 2", d.Name, d.Version)
		}
		if d.Version == 1 && (d.DiskPath != "" || d.DiskBytes != 0) {
			t.Errorf("WSL 1 distro %q has a virtual disk (%q, %d bytes)", d.Name, d.DiskPath, d.DiskBytes)
		}
		if d.DiskBytes < 0 {
			t.Errorf("distro %q has a negative disk size", d.Name)
		}
		if d.Default {
			if def != "" {
				t.Errorf("two default distros: %q and %q", def, d.Name)
			}
			def = d.Name
		}
	}
	info, err := b.Info(ctxT(t))
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	if !strings.EqualFold(info.DefaultDistro, def) {
		t.Errorf("Info's default distro is %q, but the list's is %q", info.DefaultDistro, def)
	}
}

// validName is WSL's rule for a name the backend lists: backend.IsDistroName (an old lxrun
// "Legacy" distro can still be listed, though no new distro may take the name).
func validName(n string) bool { return backend.IsDistroName(n) }

// testUnknownDistro: every read and every possible action on a distro the backend does not have
// is refused as not found (local, without distros, too).
func testUnknownDistro(t *testing.T, h Harness, s Subject) {
	b := s.Backend
	ctx := ctxT(t)
	_, err := b.Mounts(ctx, noSuchDistro)
	wantKind(t, "Mounts of an unknown distro", err, backend.KindNotFound)
	_, err = b.Processes(ctx, noSuchDistro)
	wantKind(t, "Processes of an unknown distro", err, backend.KindNotFound)
	if r, ok := b.(backend.DiskReporter); ok {
		_, err := r.DiskUsage(ctx, noSuchDistro)
		wantKind(t, "DiskUsage of an unknown distro", err, backend.KindNotFound)
	}
	if n, ok := b.(backend.NetworkLister); ok {
		_, err := n.Network(ctx, noSuchDistro)
		wantKind(t, "Network of an unknown distro", err, backend.KindNotFound)
	}
	// The actions that name an existing distro; Shutdown, Reclaim, Import, Install and the
	// trash's list take none (restore and purge are the trash contract's).
	for _, a := range []backend.Action{backend.ActStart, backend.ActTerminate, backend.ActSetDefault,
		backend.ActKill, backend.ActExport, backend.ActClone, backend.ActMove, backend.ActResize,
		backend.ActSparse, backend.ActSetUser, backend.ActCompact, backend.ActRename} {
		if !can(b, a) {
			continue // refused for everyone: the capabilities contract's
		}
		c := calls(a)[0]
		wantKind(t, string(a)+": "+c.name+" of an unknown distro", c.do(t, b, noSuchDistro), backend.KindNotFound)
	}
	if can(b, backend.ActUnregister) {
		c := calls(backend.ActUnregister)[0]
		wantKind(t, "unregister: Trash of an unknown distro", c.do(t, b, noSuchDistro), backend.KindNotFound)
	}
}

// testKillInit: KillProcess refuses pid 1 (the distro's init, or this machine's) with a
// permission error, before anything is sent.
func testKillInit(t *testing.T, h Harness, s Subject) {
	b := s.Backend
	if !can(b, backend.ActKill) {
		t.Skip("kill is not possible here (the capabilities contract checks its refusal)")
	}
	d := ""
	if h.Distros {
		d = pick(t, b, backend.StateRunning, 0).Name
	}
	for _, sig := range []backend.Signal{backend.SigTerm, backend.SigKill} {
		err := b.KillProcess(ctxT(t), d, 1, sig)
		wantKind(t, "KillProcess of pid 1 ("+string(sig)+")", err, backend.KindPermission)
	}
	wantKind(t, "KillProcess of pid 0", b.KillProcess(ctxT(t), d, 0, backend.SigKill), backend.KindPermission)
	if err := b.KillProcess(ctxT(t), d, 4242, backend.Signal("HUP")); err == nil {
		t.Error("KillProcess sent a signal other than TERM or KILL")
	} else {
		asError(t, "KillProcess with an unknown signal", err)
	}
}

// testReadingDoesNotStart: looking at a stopped distro (mounts, processes, disk use, sockets)
// never starts it: the reads are refused as not running, or answer without the inside.
func testReadingDoesNotStart(t *testing.T, h Harness, s Subject) {
	if !h.Distros {
		t.Skip("no distros")
	}
	b := s.Backend
	ctx := ctxT(t)
	d := pick(t, b, backend.StateStopped, 0)
	_, err := b.Mounts(ctx, d.Name)
	wantKind(t, "Mounts of stopped "+d.Name, err, backend.KindNotRunning)
	_, err = b.Processes(ctx, d.Name)
	wantKind(t, "Processes of stopped "+d.Name, err, backend.KindNotRunning)
	if r, ok := b.(backend.DiskReporter); ok {
		u, err := r.DiskUsage(ctx, d.Name)
		if err != nil {
			t.Errorf("DiskUsage of stopped %s: want the outside's figures with the inside unknown, got %v", d.Name, err)
		} else if u.Inside != nil || u.Reclaimable != nil || u.Note == "" {
			t.Errorf("DiskUsage of stopped %s knows the inside (%+v, reclaimable %v) or does not say why not (%q): only a look inside could tell",
				d.Name, u.Inside, u.Reclaimable, u.Note)
		}
	}
	if n, ok := b.(backend.NetworkLister); ok {
		_, err := n.Network(ctx, d.Name)
		wantKind(t, "Network of stopped "+d.Name, err, backend.KindNotRunning)
	}
	if st := state(t, s, d.Name); st != backend.StateStopped {
		t.Errorf("reading %s started it: it is %q now, was Stopped", d.Name, st)
	}
}

// ruled are the actions on one registered distro that backend.Precheck decides.
var ruled = []backend.Action{backend.ActExport, backend.ActClone, backend.ActUnregister, backend.ActMove,
	backend.ActResize, backend.ActSparse, backend.ActSetUser, backend.ActCompact, backend.ActRename}

// testRules: WSL's rules live once, in package backend, and a backend follows them. For every
// listed distro and every ruled action the backend can perform, when backend.Precheck refuses,
// the backend's method refuses too, with Precheck's kind and reason (it must neither act nor
// give another reason). A new name that is reserved, malformed, taken or the distro's own is
// refused by rename, clone and import with backend.CheckNewName's kind and reason.
func testRules(t *testing.T, h Harness, s Subject) {
	b := s.Backend
	ds, err := b.Distros(ctxT(t))
	if err != nil {
		t.Fatalf("Distros: %v", err)
	}
	caps := b.Capabilities()
	can := func(a backend.Action) bool { return caps.Check(a) == nil && implements(b, a) }
	// same checks that got is want's refusal: the kind, and the reason in the message.
	same := func(what string, got, want error) {
		t.Helper()
		w := want.(*backend.Error)
		if got == nil {
			t.Errorf("%s: WSL's rule refuses it (%v), but the backend did it", what, want)
			return
		}
		if e := asError(t, what, got); e != nil && (e.Kind != w.Kind || !strings.Contains(e.Error(), w.Message)) {
			t.Errorf("%s: WSL's rule refuses it as %q: %s; the backend said %q: %v", what, w.Kind, w.Message, e.Kind, got)
		}
	}
	refused := 0
	for _, a := range ruled {
		if !can(a) {
			continue
		}
		for _, d := range ds {
			want := backend.Precheck(a, d.Name, ds)
			if want == nil {
				continue // allowed: doing it is the other contracts' business
			}
			refused++
			c := calls(a)[0]
			same(fmt.Sprintf("%s %s (%s, WSL %d)", c.name, d.Name, d.State, d.Version), c.do(t, b, d.Name), want)
		}
	}
	if !h.Distros {
		return
	}
	t.Logf("%d refusals by WSL's rules checked on the listed distros", refused)
	// New names, on a distro every rule lets through.
	other := func(of string) string {
		for _, d := range ds {
			if !strings.EqualFold(d.Name, of) {
				return strings.ToUpper(d.Name) // WSL's names match without regard to case
			}
		}
		return ""
	}
	dir := func() string { return filepath.Join(t.TempDir(), "x") }
	for _, a := range []backend.Action{backend.ActRename, backend.ActClone, backend.ActImport} {
		if !can(a) {
			continue
		}
		src := ""
		if a != backend.ActImport {
			for _, d := range ds {
				if backend.Precheck(a, d.Name, ds) == nil {
					src = d.Name
					break
				}
			}
			if src == "" {
				continue
			}
		}
		names := []string{"Legacy", "bad name", "x/y", strings.Repeat("n", backend.MaxDistroName+1), other(src)}
		if a == backend.ActRename {
			names = append(names, src)
		}
		for _, n := range names {
			renaming := ""
			if a == backend.ActRename {
				renaming = src
			}
			want := backend.CheckNewName(a, n, renaming, ds)
			if want == nil {
				t.Fatalf("CheckNewName(%s, %q) allows it: the suite's names must be refused", a, n)
			}
			var got error
			switch a {
			case backend.ActRename:
				_, got = b.(backend.Manager).Rename(ctxT(t), src, n)
			case backend.ActClone:
				got = b.(backend.Archiver).Clone(ctxT(t), src, n, dir(), backend.FormatTar, nil)
			case backend.ActImport:
				got = b.(backend.Archiver).Import(ctxT(t), n, dir(), dir()+".tar", 2)
			}
			same(fmt.Sprintf("%s %s to %.40q", a, src, n), got, want)
		}
	}
}
