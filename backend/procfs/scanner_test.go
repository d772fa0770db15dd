package procfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// copyTree copies testdata/fakeproc into a temp dir the test may change.
func copyTree(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := os.CopyFS(dst, os.DirFS(fakeRoot))
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func writeFile(t *testing.T, root, name, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// procStatLine is a /proc/<pid>/stat line with the fields the scanner reads.
func procStatLine(pid int, comm string, utime, stime, start uint64) string {
	return fmt.Sprintf("%d (%s) S 1 %d 1 0 -1 4194304 0 0 0 0 %d %d 0 0 20 0 1 0 %d 1000 10 18446744073709551615 0 0\n",
		pid, comm, pid, utime, stime, start)
}

// machineStat is /proc/stat for 2 CPUs with the given aggregate user+system+idle ticks.
func machineStat(user, system, idle uint64) string {
	return fmt.Sprintf("cpu  %d 0 %d %d 100 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\ncpu1 0 0 0 0 0 0 0 0 0 0\nbtime 1\n",
		user, system, idle)
}

type lookupCounter struct {
	names map[int]string
	calls map[int]int
}

func (l *lookupCounter) lookup(uid int) string {
	l.calls[uid]++
	if n, ok := l.names[uid]; ok {
		return n
	}
	return strconv.Itoa(uid)
}

func newTestScanner(root string) (*ProcScanner, *lookupCounter) {
	s := NewProcScanner(NewFS(root))
	l := &lookupCounter{names: map[int]string{0: "root"}, calls: map[int]int{}}
	s.lookup = l.lookup
	return s, l
}

type row struct {
	pid  int
	name string
	user string
	cpu  float64
	rss  uint64
	// unknown: no rate yet for this process (its first scan), shown as unknown, not 0
	unknown bool
}

func checkRows(t *testing.T, got []backend.Process, want []row, distro string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d processes %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.PID != w.pid || g.Name != w.name || g.User != w.user || g.RSSBytes != w.rss || g.Distro != distro || g.CPUUnknown != w.unknown ||
			g.CPUPercent < w.cpu-1e-9 || g.CPUPercent > w.cpu+1e-9 {
			t.Errorf("row %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestProcScannerFirstScan(t *testing.T) {
	s, _ := newTestScanner(fakeRoot)
	got, err := s.Scan("Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	// Every CPU unknown (one reading gives no rate): sorted by RSS, then pid. 99 (vanished) and sys (not a pid) are absent.
	checkRows(t, got, []row{
		{42, "a b) c", "1000", 0, 1700 * 1024, true},
		{1, "init", "root", 0, 1200 * 1024, true},
		{77, "kworker/0:1-events", "root", 0, 0, true},
	}, "Ubuntu")
}

func TestProcScannerCPUBetweenScans(t *testing.T) {
	root := copyTree(t)
	s, users := newTestScanner(root)
	if _, err := s.Scan(""); err != nil {
		t.Fatal(err)
	}
	// One second on 2 CPUs: the machine total moves by 200 ticks (9600 -> 9800).
	writeFile(t, root, "stat", machineStat(1050, 550, 8100))
	writeFile(t, root, "1/stat", procStatLine(1, "init", 380, 120, 5))       // +100 ticks: one full core
	writeFile(t, root, "42/stat", procStatLine(42, "a b) c", 80, 20, 26846)) // +50 ticks: half a core
	got, err := s.Scan("")
	if err != nil {
		t.Fatal(err)
	}
	// RSS comes from stat's rss pages (the same counter as status's VmRSS on a real kernel);
	// procStatLine writes 10 pages. status is read only for a process not seen before.
	page := uint64(os.Getpagesize())
	checkRows(t, got, []row{
		{1, "init", "root", 100, 10 * page, false},
		{42, "a b) c", "1000", 50, 10 * page, false},
		{77, "kworker/0:1-events", "root", 0, 0, false}, // its stat was not rewritten: a kernel thread, no rss
	}, "")

	// Next second: 42 exits, pid 1 is a new process (new start time), 5 appears,
	// and 77's counters go backwards (never negative).
	if err := os.RemoveAll(filepath.Join(root, "42")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, root, "stat", machineStat(1150, 650, 8100))
	writeFile(t, root, "1/stat", procStatLine(1, "init2", 500, 200, 7))
	writeFile(t, root, "5/stat", procStatLine(5, "new", 10, 0, 50))
	writeFile(t, root, "5/status", "Name:\tnew\nUid:\t1000\nVmRSS:\t4 kB\n")
	writeFile(t, root, "77/stat", procStatLine(77, "kworker/0:1-events", 0, 0, 40))
	got, err = s.Scan("")
	if err != nil {
		t.Fatal(err)
	}
	checkRows(t, got, []row{
		{1, "init2", "root", 0, 10 * page, true}, // a new process under an old pid: no rate yet
		{5, "new", "1000", 0, 10 * page, true},
		{77, "kworker/0:1-events", "root", 0, 10 * page, false},
	}, "")
	if _, ok := s.prev[42]; ok || len(s.prev) != 3 {
		t.Errorf("scanner remembers %v, want pids 1, 5, 77", s.prev)
	}
	if users.calls[0] != 1 || users.calls[1000] != 1 {
		t.Errorf("user lookups %v, want one per uid", users.calls)
	}

	// A scan in which the machine total did not move has no rate: unknown, not 0, NaN or Inf.
	writeFile(t, root, "1/stat", procStatLine(1, "init2", 600, 200, 7))
	got, err = s.Scan("")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if p.CPUPercent != 0 || !p.CPUUnknown {
			t.Errorf("%+v: want unknown with no machine ticks", p)
		}
	}
}

func TestProcScannerClampsToCores(t *testing.T) {
	root := copyTree(t)
	s, _ := newTestScanner(root)
	if _, err := s.Scan(""); err != nil {
		t.Fatal(err)
	}
	writeFile(t, root, "stat", machineStat(1010, 500, 8000))            // +10 ticks
	writeFile(t, root, "1/stat", procStatLine(1, "init", 1300, 100, 5)) // +1000 ticks: impossible
	got, err := s.Scan("")
	if err != nil {
		t.Fatal(err)
	}
	if got[0].PID != 1 || got[0].CPUPercent != 200 {
		t.Errorf("top row %+v, want pid 1 clamped to 200%% (2 cores)", got[0])
	}
}

func TestProcScannerBadProcess(t *testing.T) {
	root := copyTree(t)
	writeFile(t, root, "42/stat", "garbage")
	s, _ := newTestScanner(root)
	got, err := s.Scan("")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("got %+v, want 1 and 77 without the unparseable 42", got)
	}

	// When nothing parses, the error comes out.
	only := t.TempDir()
	writeFile(t, only, "stat", machineStat(1, 1, 1))
	writeFile(t, only, "7/stat", "garbage")
	writeFile(t, only, "7/status", "Name:\tx\nUid:\t0\n")
	s, _ = newTestScanner(only)
	_, err = s.Scan("")
	wantParseErr(t, err, "parse process stat", "no (comm)")
}

func TestProcScannerErrors(t *testing.T) {
	s, _ := newTestScanner(filepath.Join(t.TempDir(), "missing"))
	if _, err := s.Scan(""); backend.KindOf(err) != backend.KindNotFound {
		t.Errorf("missing root: %v", err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "stat", "no cpu here\n")
	s, _ = newTestScanner(dir)
	_, err := s.Scan("")
	wantParseErr(t, err, "parse stat")
}

func TestLookupUserFallsBackToNumber(t *testing.T) {
	const uid = 2147480001 // nobody has this uid
	if got := lookupUser(uid); got != strconv.Itoa(uid) {
		t.Errorf("lookupUser(%d) = %q", uid, got)
	}
}

func TestProcScannerLive(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	s := NewProcScanner(NewFS(""))
	for range 2 {
		got, err := s.Scan("local")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range got {
			if p.CPUPercent < 0 || p.Distro != "local" || p.User == "" {
				t.Errorf("bad row %+v", p)
			}
			found = found || p.PID == os.Getpid()
		}
		if !found {
			t.Errorf("own pid %d not listed", os.Getpid())
		}
	}
}
