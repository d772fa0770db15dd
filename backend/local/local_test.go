package local

import (
	"bufio"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// fakeProc lays out a small /proc and cgroup tree from the procfs package's captured files.
func fakeProc(t *testing.T) (proc, cg string) {
	t.Helper()
	dir := t.TempDir()
	proc, cg = filepath.Join(dir, "proc"), filepath.Join(dir, "cgroup")
	src := "../procfs/testdata/live"
	files := map[string]string{
		"meminfo":               "meminfo",
		"stat":                  "stat",
		"pressure/memory":       "pressure_memory",
		"self/mountinfo":        "self_mountinfo",
		"sys/vm/drop_caches":    "",
		"sys/vm/compact_memory": "",
		"sys/kernel/osrelease":  "",
	}
	for dst, from := range files {
		p := filepath.Join(proc, dst)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var b []byte
		if from != "" {
			var err error
			if b, err = os.ReadFile(filepath.Join(src, from)); err != nil {
				t.Fatal(err)
			}
		}
		if dst == "sys/kernel/osrelease" {
			b = []byte("6.6.87.2-microsoft-standard-WSL2\n")
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(cg, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cg, "memory.reclaim"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return proc, cg
}

func uid(n int) *int { return &n }

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newFake(t *testing.T, euid int) (*Backend, string, string) {
	proc, cg := fakeProc(t)
	synced := 0
	b := New(Options{ProcRoot: proc, CgroupRoot: cg, EUID: uid(euid), Now: func() time.Time { return t0 }, Sync: func() { synced++ }})
	return b, proc, cg
}

func TestNoDistrosIsTheTruth(t *testing.T) {
	b, _, _ := newFake(t, 1000)
	ds, err := b.Distros(context.Background())
	if err != nil || ds == nil || len(ds) != 0 {
		t.Fatalf("Distros = %v, %v; want an empty, non-nil list", ds, err)
	}
	for _, a := range []backend.Action{backend.ActStart, backend.ActTerminate, backend.ActShutdown, backend.ActSetDefault} {
		if r := b.Capabilities().Reason(a); r == "" {
			t.Errorf("%s must be unavailable with a reason", a)
		}
	}
	if err := b.Start(context.Background(), "Ubuntu"); !errors.Is(err, backend.ErrUnsupported) {
		t.Errorf("start: %v", err)
	}
	info, _ := b.Info(context.Background())
	if info.Backend != "local" || info.Simulated || info.KernelVersion != "6.6.87.2-microsoft-standard-WSL2" {
		t.Errorf("info %+v", info)
	}
}

func TestSampleFromFakeTree(t *testing.T) {
	b, proc, _ := newFake(t, 1000)
	ctx := context.Background()
	s, err := b.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := s.Guest
	if g.TotalBytes != 24683620*1024 {
		t.Errorf("total %d", g.TotalBytes)
	}
	if g.UsedBytes+g.CacheBytes+g.FreeBytes != g.TotalBytes {
		t.Errorf("used+cache+free != total")
	}
	// One reading gives no rate: the first CPU figure is unknown, not 0.
	if !s.Time.Equal(t0) || s.CPUPercent != nil || s.MemoryPressure == nil || s.Host != nil {
		t.Errorf("first sample: %+v", s)
	}
	// Nor does a second reading with no time between them (the same /proc/stat).
	if s, err = b.Sample(ctx); err != nil || s.CPUPercent != nil {
		t.Errorf("second reading, no time passed: cpu %v, %v; want unknown", s.CPUPercent, err)
	}
	// A second /proc/stat with more busy ticks gives a CPU percentage.
	st, _ := os.ReadFile(filepath.Join(proc, "stat"))
	lines := strings.SplitN(string(st), "\n", 2)
	f := strings.Fields(lines[0])
	user, _ := strconv.ParseUint(f[1], 10, 64)
	idle, _ := strconv.ParseUint(f[4], 10, 64)
	f[1] = strconv.FormatUint(user+100, 10)
	f[4] = strconv.FormatUint(idle+300, 10)
	os.WriteFile(filepath.Join(proc, "stat"), []byte(strings.Join(f, " ")+"\n"+lines[1]), 0o644)
	s, err = b.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.CPUPercent == nil || math.Abs(*s.CPUPercent-25) > 0.01 {
		t.Errorf("cpu = %v, want 25 (100 busy of 400 ticks)", s.CPUPercent)
	}
}

func TestSampleErrorIsClear(t *testing.T) {
	b, proc, _ := newFake(t, 1000)
	os.WriteFile(filepath.Join(proc, "meminfo"), []byte("garbage\x00\xff\n"), 0o644)
	_, err := b.Sample(context.Background())
	if !errors.Is(err, backend.ErrParse) {
		t.Fatalf("garbage meminfo: %v", err)
	}
	os.Remove(filepath.Join(proc, "meminfo"))
	if _, err := b.Sample(context.Background()); err == nil {
		t.Fatal("a missing meminfo must be an error")
	}
}

func TestReclaimNeedsRoot(t *testing.T) {
	b, proc, _ := newFake(t, 1000)
	_, err := b.Reclaim(context.Background(), backend.ReclaimDropCache)
	if !errors.Is(err, backend.ErrUnsupported) || !strings.Contains(err.Error(), "root") {
		t.Fatalf("non-root reclaim: %v", err)
	}
	if r := b.Capabilities().Reason(backend.ActReclaim); !strings.Contains(r, "root") {
		t.Errorf("reclaim capability reason %q", r)
	}
	if b, _ := os.ReadFile(filepath.Join(proc, "sys/vm/drop_caches")); len(b) != 0 {
		t.Error("non-root reclaim wrote to drop_caches")
	}
}

func TestReclaimAsRootWrites(t *testing.T) {
	for _, tc := range []struct {
		mode backend.ReclaimMode
		file string
		want string
	}{
		{backend.ReclaimDropCache, "proc/sys/vm/drop_caches", "1"},
		{backend.ReclaimCompact, "proc/sys/vm/compact_memory", "1"},
		{backend.ReclaimGradual, "cgroup/memory.reclaim", ""}, // a byte count, checked below
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			b, proc, _ := newFake(t, 0)
			root := filepath.Dir(proc)
			res, err := b.Reclaim(context.Background(), tc.mode)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(filepath.Join(root, tc.file))
			if tc.want != "" && string(got) != tc.want {
				t.Errorf("%s = %q, want %q", tc.file, got, tc.want)
			}
			if tc.mode == backend.ReclaimGradual {
				n, err := strconv.ParseUint(string(got), 10, 64)
				if err != nil || n == 0 {
					t.Errorf("memory.reclaim got %q, want a byte count", got)
				}
			}
			if res.Mode != tc.mode || res.CacheBefore == 0 {
				t.Errorf("result %+v", res)
			}
		})
	}
	b, _, cg := newFake(t, 0)
	os.Remove(filepath.Join(cg, "memory.reclaim"))
	if _, err := b.Reclaim(context.Background(), backend.ReclaimGradual); !errors.Is(err, backend.ErrUnsupported) {
		t.Errorf("gradual without memory.reclaim: %v", err)
	}
	if _, err := b.Reclaim(context.Background(), "sideways"); err == nil {
		t.Error("unknown mode accepted")
	}
}

func TestMountsAndProcessesLocal(t *testing.T) {
	b, _, _ := newFake(t, 1000)
	ms, err := b.Mounts(context.Background(), "")
	if err != nil || len(ms) == 0 {
		t.Fatalf("mounts: %v %d", err, len(ms))
	}
	if _, err := b.Mounts(context.Background(), "Ubuntu"); !errors.Is(err, backend.ErrNotFound) {
		t.Errorf("mounts of a distro: %v", err)
	}
	if err := b.KillProcess(context.Background(), "", 1, backend.SigKill); !errors.Is(err, backend.ErrPermission) {
		t.Errorf("kill 1: %v", err)
	}
}

// TestLiveAgreesWithProcMeminfo is the check: the local backend's sample agrees with
// /proc/meminfo read at the same moment (total within 1%, used+cache+free <= total).
func TestLiveAgreesWithProcMeminfo(t *testing.T) {
	b := New(Options{})
	s, err := b.Sample(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		t.Skip("no /proc/meminfo:", err)
	}
	defer f.Close()
	var totalKB uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			totalKB, _ = strconv.ParseUint(strings.Fields(v)[0], 10, 64)
		}
	}
	total := float64(totalKB * 1024)
	if d := math.Abs(float64(s.Guest.TotalBytes)-total) / total; d > 0.01 {
		t.Errorf("total %d vs /proc/meminfo %v: %.2f%% apart", s.Guest.TotalBytes, total, d*100)
	}
	g := s.Guest
	if g.UsedBytes+g.CacheBytes+g.FreeBytes > g.TotalBytes {
		t.Errorf("used+cache+free %d > total %d", g.UsedBytes+g.CacheBytes+g.FreeBytes, g.TotalBytes)
	}
	ps, err := b.Processes(context.Background(), "")
	if err != nil || len(ps) == 0 {
		t.Errorf("live processes: %v, %d", err, len(ps))
	}
}

func BenchmarkSample(b *testing.B) {
	be := New(Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := be.Sample(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadSampleFiles(b *testing.B) {
	// The cost of just reading the files a sample reads, for comparison.
	buf := make([]byte, 16<<10)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, p := range []string{"/proc/meminfo", "/proc/stat", "/proc/pressure/memory"} {
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			f.Read(buf)
			f.Close()
		}
	}
}

// TestArchiveOpsRefusedClearly: export, import, clone, unregister and the trash fail on local
// with a typed error that says what is unsupported and why, and touch nothing.
func TestArchiveOpsRefusedClearly(t *testing.T) {
	b, _, _ := newFake(t, 0)
	var a backend.Archiver = b
	ctx := context.Background()
	dir := t.TempDir()
	_, trashErr := a.Trash(ctx, "Ubuntu", nil)
	_, listErr := a.TrashList()
	_, dirErr := a.RestoreDir("Ubuntu")
	for op, err := range map[string]error{
		"export":        a.Export(ctx, "Ubuntu", filepath.Join(dir, "u.tar"), "", nil),
		"import":        a.Import(ctx, "New", dir, filepath.Join(dir, "u.tar"), 2),
		"clone":         a.Clone(ctx, "Ubuntu", "Copy", dir, "", nil),
		"unregister":    trashErr,
		"trash list":    listErr,
		"trash restore": a.TrashRestore(ctx, "Ubuntu"),
		"trash purge":   a.TrashPurge("Ubuntu"),
	} {
		var be *backend.Error
		if !errors.As(err, &be) || be.Kind != backend.KindUnsupported || be.Op != op ||
			!strings.Contains(be.Message, "no WSL distros") || !strings.Contains(be.Message, "needs WSL") {
			t.Errorf("%s: %v", op, err)
		}
	}
	if dirErr == nil {
		t.Error("RestoreDir gave a place on local")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a refused operation wrote %d files", len(ents))
	}
}
