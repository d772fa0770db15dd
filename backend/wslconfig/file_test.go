package wslconfig

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func TestReadFileMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".wslconfig")
	f, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if f.Exists() || len(f.Bytes()) != 0 || f.Path() != p {
		t.Errorf("missing file: exists=%v bytes=%q path=%q", f.Exists(), f.Bytes(), f.Path())
	}
}

func TestReadFileWarningsNamePath(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".wslconfig")
	if err := os.WriteFile(p, []byte("[wsl2]\nbogus=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if w := f.Warnings(); len(w) != 1 || w[0].Text != "Unknown key 'wsl2.bogus' in "+p+":2" {
		t.Errorf("warnings %+v", w)
	}
	if f.ModTime().IsZero() {
		t.Error("no mod time")
	}
}

func TestReadFileIsADirectory(t *testing.T) {
	_, err := ReadFile(t.TempDir())
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *backend.Error", err)
	}
}

func TestWriteFileNew(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".wslconfig")
	f, _ := ReadFile(p)
	if err := f.Set("wsl2.memory", "8GB"); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, f); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "[wsl2]\nmemory=8GB\n" {
		t.Errorf("content %q", got)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if names := dirNames(t, dir); strings.Join(names, ",") != ".wslconfig" {
		t.Errorf("directory holds %q; want only .wslconfig (no backup of nothing, no temp files)", names)
	}
}

func TestWriteFileReplaceKeepsBackupAndMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".wslconfig")
	old := mustRead(t, "realistic.wslconfig")
	if err := os.WriteFile(p, old, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Set("wsl2.memory", "12GB"); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, f); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != strings.Replace(string(old), "memory = 8GB", "memory = 12GB", 1) {
		t.Errorf("new content wrong:\n%q", got)
	}
	bak, _ := os.ReadFile(p + ".bak")
	if string(bak) != string(old) {
		t.Error("backup does not hold the previous content")
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", st.Mode().Perm())
	}
	if names := dirNames(t, dir); strings.Join(names, ",") != ".wslconfig,.wslconfig.bak" {
		t.Errorf("directory holds %q", names)
	}
}

func TestWriteFileThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.wslconfig")
	link := filepath.Join(dir, ".wslconfig")
	os.WriteFile(real, []byte("[wsl2]\n"), 0o644)
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	f := mustParse(t, []byte("[wsl2]\nswap=0\n"))
	if err := WriteFile(link, f); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if got, _ := os.ReadFile(real); string(got) != "[wsl2]\nswap=0\n" {
		t.Errorf("target content %q", got)
	}
}

// writeFails checks that a failed WriteFile leaves the original as it was and no temp file.
func writeFails(t *testing.T, dir, p string, original []byte) {
	t.Helper()
	f := mustParse(t, []byte("[wsl2]\nmemory=1GB\n"))
	err := WriteFile(p, f)
	if err == nil {
		t.Fatal("WriteFile succeeded")
	}
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Errorf("err %T is not a *backend.Error: %v", err, err)
	}
	got, rerr := os.ReadFile(p)
	if rerr != nil || string(got) != string(original) {
		t.Errorf("original changed: %q, %v", got, rerr)
	}
	for _, n := range dirNames(t, dir) {
		if strings.HasSuffix(n, ".tmp") {
			t.Errorf("temp file left: %s", n)
		}
	}
}

func TestWriteFileReadOnlyDir(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".wslconfig")
	original := []byte("[wsl2]\nmemory=4GB\n")
	if err := os.WriteFile(p, original, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	// Root ignores mode bits; make the directory immutable instead where chattr works.
	if probe, err := os.CreateTemp(dir, "probe"); err == nil {
		probe.Close()
		os.Remove(probe.Name())
		if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
			t.Skipf("running as root and chattr +i failed (%v: %s); TestWriteFileFailures covers the same path", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
	}
	writeFails(t, dir, p, original)
}

func TestWriteFileFailures(t *testing.T) {
	for _, step := range []string{"create", "sync", "rename"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, ".wslconfig")
			original := []byte("[wsl2]\nmemory=4GB\n")
			os.WriteFile(p, original, 0o644)
			boom := errors.New("injected " + step + " failure")
			oc, os_, or := createTemp, syncFile, rename
			t.Cleanup(func() { createTemp, syncFile, rename = oc, os_, or })
			calls := 0
			switch step {
			case "create":
				createTemp = func(dir, pattern string) (*os.File, error) {
					calls++
					if calls == 2 { // the backup is written first; fail the real file
						return nil, boom
					}
					return oc(dir, pattern)
				}
			case "sync":
				syncFile = func(f *os.File) error {
					if strings.Contains(f.Name(), ".wslconfig.bak") {
						return os_(f)
					}
					return boom
				}
			case "rename":
				rename = func(from, to string) error {
					if strings.HasSuffix(to, ".bak") {
						return or(from, to)
					}
					return boom
				}
			}
			writeFails(t, dir, p, original)
		})
	}
	t.Run("no fsync on this file system", func(t *testing.T) {
		os_ := syncFile
		t.Cleanup(func() { syncFile = os_ })
		syncFile = func(*os.File) error { return &os.PathError{Op: "sync", Path: "x", Err: syscall.EINVAL} }
		p := filepath.Join(t.TempDir(), ".wslconfig")
		if err := WriteFile(p, mustParse(t, []byte("[wsl2]\n"))); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(p); string(got) != "[wsl2]\n" {
			t.Errorf("content %q", got)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		dir := t.TempDir()
		err := WriteFile(filepath.Join(dir, "nope", ".wslconfig"), mustParse(t, nil))
		if err == nil || backend.KindOf(err) != backend.KindNotFound {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("nil file", func(t *testing.T) {
		if err := WriteFile(filepath.Join(t.TempDir(), "x"), nil); err == nil {
			t.Error("no error")
		}
	})
}

func TestRestartPending(t *testing.T) {
	vm := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		mod, start time.Time
		want       bool
	}{
		{vm.Add(time.Minute), vm, true},
		{vm.Add(-time.Minute), vm, false},
		{vm, vm, false},
		{vm, time.Time{}, false},
		{time.Time{}, vm, false},
	}
	for _, c := range cases {
		if got := RestartPending(c.mod, c.start); got != c.want {
			t.Errorf("RestartPending(%v, %v) = %v", c.mod, c.start, got)
		}
	}
}

func TestWSLPath(t *testing.T) {
	good := map[[2]string]string{
		{`C:\Users\me`, "/mnt/"}:       "/mnt/c/Users/me",
		{`D:\Users\Jöns Ä`, "/mnt/"}:   "/mnt/d/Users/Jöns Ä",
		{`C:\Users\me`, "/windir/"}:    "/windir/c/Users/me",
		{`c:/Users/me`, ""}:            "/mnt/c/Users/me",
		{`C:\Users\me\`, "/mnt"}:       "/mnt/c/Users/me",
		{`E:\`, "/mnt/"}:               "/mnt/e",
		{`C:\Users\a b\c`, "/mnt/wsl"}: "/mnt/wsl/c/Users/a b/c",
	}
	for in, want := range good {
		if got, err := wslPath(in[0], in[1]); err != nil || got != want {
			t.Errorf("wslPath(%q, %q) = %q, %v; want %q", in[0], in[1], got, err, want)
		}
	}
	for _, bad := range []string{"", "%USERPROFILE%", `\\server\share`, "C:", "1:\\x"} {
		if _, err := wslPath(bad, "/mnt/"); err == nil {
			t.Errorf("wslPath(%q) accepted", bad)
		}
	}
}

// TestWriteFileRespectsTheUsersFile: a read-only file is refused, not replaced, and every
// refusal names the user's path, never the temporary file the write goes through (issue 22
// item 8).
func TestWriteFileRespectsTheUsersFile(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the path to write
		want  []string                              // in the message
		kind  backend.Kind
	}{
		{"read-only file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, ".wslconfig")
			if err := os.WriteFile(p, []byte("[wsl2]\nmemory=4GB\n"), 0o444); err != nil {
				t.Fatal(err)
			}
			return p
		}, []string{"is read-only (mode 0444)"}, backend.KindPermission},
		{"missing folder", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "nonexistent", ".wslconfig")
		}, []string{"does not exist", "nonexistent"}, backend.KindNotFound},
		{"unwritable folder", func(t *testing.T, dir string) string {
			oc := createTemp
			t.Cleanup(func() { createTemp = oc })
			// As the OS says it (root ignores a folder's mode): the temp file's name, EACCES.
			createTemp = func(d, pattern string) (*os.File, error) {
				return nil, &fs.PathError{Op: "open", Path: filepath.Join(d, ".wslconfig.2788182244.tmp"), Err: fs.ErrPermission}
			}
			return filepath.Join(dir, ".wslconfig")
		}, []string{"permission denied"}, backend.KindPermission},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			p := c.setup(t, dir)
			before, _ := os.ReadFile(p)
			err := WriteFile(p, mustParse(t, []byte("[wsl2]\nmemory=1GB\n")))
			if err == nil {
				t.Fatal("WriteFile succeeded")
			}
			msg := err.Error()
			if !strings.Contains(msg, p) || strings.Contains(msg, ".tmp") {
				t.Errorf("error %q must name %s and no temporary file", msg, p)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			if backend.KindOf(err) != c.kind {
				t.Errorf("kind %v, want %v", backend.KindOf(err), c.kind)
			}
			if after, _ := os.ReadFile(p); string(after) != string(before) {
				t.Errorf("file changed: %q -> %q", before, after)
			}
			for _, n := range dirNames(t, dir) {
				if n != filepath.Base(p) && n != "nonexistent" {
					t.Errorf("left behind: %s", n)
				}
			}
		})
	}
}
