package procfs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

const fakeRoot = "testdata/fakeproc"

func TestFSReadsFakeTree(t *testing.T) {
	f := NewFS(fakeRoot)
	m, err := f.Meminfo()
	if err != nil {
		t.Fatal(err)
	}
	if m.MemTotal != 24683620*1024 {
		t.Errorf("MemTotal = %d", m.MemTotal)
	}
	s, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.PerCPU) != 2 || s.ProcsRunning != 2 || s.ProcsBlocked != 1 || s.CPU.Total() != 9600 {
		t.Errorf("stat = %+v", s)
	}
	p, err := f.Pressure("cpu")
	if err != nil {
		t.Fatal(err)
	}
	if p.HasFull || p.Some.Avg10 != 1.5 {
		t.Errorf("pressure cpu = %+v", p)
	}
	if _, err := f.Pressure("memory"); err != nil {
		t.Error(err)
	}
	ms, err := f.Mountinfo("self")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 12 {
		t.Errorf("%d mounts", len(ms))
	}
	ps, err := f.ProcStat(42)
	if err != nil || ps.Comm != "a b) c" {
		t.Errorf("ProcStat(42) = %+v, %v", ps, err)
	}
	st, err := f.ProcStatus(42)
	if err != nil || st.UID != 1000 {
		t.Errorf("ProcStatus(42) = %+v, %v", st, err)
	}
}

func TestNewFSDefaultRoot(t *testing.T) {
	if r := NewFS("").Root; r != "/proc" {
		t.Errorf("Root = %q", r)
	}
}

func TestFSErrors(t *testing.T) {
	f := NewFS(fakeRoot)
	tests := []struct {
		name     string
		call     func() error
		kind     backend.Kind
		notExist bool
	}{
		{"pressure without file", func() error { _, err := f.Pressure("io"); return err }, backend.KindUnsupported, true},
		{"pressure path escape", func() error { _, err := f.Pressure("../meminfo"); return err }, backend.KindNotFound, false},
		{"pressure empty name", func() error { _, err := f.Pressure(""); return err }, backend.KindNotFound, false},
		{"mountinfo of a pid without one", func() error { _, err := f.Mountinfo("1"); return err }, backend.KindNotFound, true},
		{"mountinfo bad pid", func() error { _, err := f.Mountinfo("../self"); return err }, backend.KindNotFound, false},
		{"mountinfo negative pid", func() error { _, err := f.Mountinfo("-1"); return err }, backend.KindNotFound, false},
		{"vanished process", func() error { _, err := f.ProcStat(99); return err }, backend.KindNotFound, true},
		{"vanished process status", func() error { _, err := f.ProcStatus(99); return err }, backend.KindNotFound, true},
		{"missing root", func() error { _, err := NewFS(filepath.Join(t.TempDir(), "none")).Meminfo(); return err }, backend.KindNotFound, true},
		{"missing stat", func() error { _, err := NewFS(t.TempDir()).Stat(); return err }, backend.KindNotFound, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatal("no error")
			}
			var be *backend.Error
			if !errors.As(err, &be) || be.Kind != tt.kind || be.Op == "" {
				t.Errorf("error %v: want *backend.Error of kind %v with an Op", err, tt.kind)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tt.notExist {
				t.Errorf("errors.Is(%v, fs.ErrNotExist) = %v, want %v", err, got, tt.notExist)
			}
		})
	}
}

func TestFSParseErrorKeepsKind(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "meminfo"), []byte("MemFree: 1 kB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewFS(dir).Meminfo()
	wantParseErr(t, err, "parse meminfo", "no MemTotal")
}

func TestReadFileIntoGrowsAndReuses(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, 3*initialBuf+17)
	for i := range big {
		big[i] = byte('a' + i%26)
	}
	path := filepath.Join(dir, "big")
	if err := os.WriteFile(path, big, 0o644); err != nil {
		t.Fatal(err)
	}
	buf, err := readFileInto(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(buf) != string(big) {
		t.Fatalf("read %d bytes, want %d", len(buf), len(big))
	}
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := readFileInto(small, buf)
	if err != nil || string(again) != "hi" {
		t.Fatalf("got %q, %v", again, err)
	}
	if &again[:1][0] != &buf[:1][0] {
		t.Error("buffer was not reused")
	}
}

// FS is shared by the sampler and the process list; -race checks the buffer is guarded.
func TestFSConcurrent(t *testing.T) {
	f := NewFS(fakeRoot)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				var err error
				switch i % 3 {
				case 0:
					var m Meminfo
					if m, err = f.Meminfo(); err == nil && m.MemTotal == 0 {
						err = errors.New("MemTotal 0")
					}
				case 1:
					_, err = f.Stat()
				case 2:
					_, err = f.Mountinfo("self")
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestLiveProc reads this machine's /proc, when there is one, and checks it makes sense.
func TestLiveProc(t *testing.T) {
	if _, err := os.Stat("/proc/meminfo"); err != nil {
		t.Skip("no /proc/meminfo here")
	}
	f := NewFS("")
	m, err := f.Meminfo()
	if err != nil {
		t.Fatal(err)
	}
	if m.MemTotal == 0 {
		t.Error("MemTotal is 0")
	}
	g := m.Guest()
	if g.UsedBytes+g.CacheBytes+g.FreeBytes != g.TotalBytes {
		t.Errorf("Used+Cache+Free = %d, Total %d", g.UsedBytes+g.CacheBytes+g.FreeBytes, g.TotalBytes)
	}
	s, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.PerCPU) == 0 || s.CPU.Total() == 0 || s.BootTime <= 0 {
		t.Errorf("stat = %+v", s)
	}
	ms, err := f.Mountinfo("self")
	if err != nil {
		t.Fatal(err)
	}
	root := false
	for _, m := range ms {
		root = root || m.MountPoint == "/"
	}
	if !root {
		t.Error("no / in mountinfo")
	}
	self, err := f.ProcStat(os.Getpid())
	if err != nil || self.PID != os.Getpid() {
		t.Errorf("own stat = %+v, %v", self, err)
	}
}

// AppendFile appends a file's bytes, kept open or not, and a kept file is read again from its
// start (a changed file shows its new bytes); PIDs lists the numeric entries; Forget closes.
func TestAppendFileAndPIDs(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{"meminfo": "MemTotal: 1 kB\n", "7/stat": "7 (x) S\n", "12/stat": "12 (y) S\n"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs := NewFS(root)
	defer fs.Close()
	b, err := fs.AppendFile([]byte("head\n"), "meminfo", true)
	if err != nil || string(b) != "head\nMemTotal: 1 kB\n" {
		t.Fatalf("%q %v", b, err)
	}
	if err := os.WriteFile(filepath.Join(root, "meminfo"), []byte("MemTotal: 22 kB\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err = fs.AppendFile(nil, "meminfo", true); err != nil || string(b) != "MemTotal: 22 kB\n" {
		t.Fatalf("again: %q %v", b, err)
	}
	if b, err = fs.AppendFile(b[:0], "7/stat", false); err != nil || string(b) != "7 (x) S\n" {
		t.Fatalf("%q %v", b, err)
	}
	if b, err = fs.AppendFile([]byte("x"), "nosuch", false); err == nil || string(b) != "x" {
		t.Fatalf("missing file: %q %v", b, err)
	}
	pids, err := fs.PIDs(nil)
	slices.Sort(pids)
	if err != nil || !slices.Equal(pids, []int{7, 12}) {
		t.Fatalf("pids %v %v", pids, err)
	}
	fs.Forget("meminfo")
	if b, err = fs.AppendFile(nil, "meminfo", true); err != nil || string(b) != "MemTotal: 22 kB\n" {
		t.Fatalf("after Forget: %q %v", b, err)
	}
}
