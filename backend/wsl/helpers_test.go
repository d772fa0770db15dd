package wsl

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

var fakeExe string

func TestMain(m *testing.M) { fakewsltest.Main(m, &fakeExe) }

func needFake(t testing.TB) {
	t.Helper()
	if fakeExe == "" {
		t.Skip("fakewsl needs Linux")
	}
}

const guestMeminfo = `MemTotal:       16318256 kB
MemFree:        12000000 kB
MemAvailable:   14000000 kB
Buffers:           10000 kB
Cached:          2000000 kB
SwapCached:            0 kB
Shmem:             50000 kB
Dirty:              1000 kB
SReclaimable:     100000 kB
SwapTotal:       4194304 kB
SwapFree:        4194304 kB
`

const guestStat = `cpu  4052 0 2560 46690 133 0 121 0 0 0
cpu0 1843 0 1168 23688 15 0 62 0 0 0
cpu1 2208 0 1391 23002 118 0 59 0 0 0
intr 123456 0 0 0
ctxt 99
btime 1700000000
processes 12
procs_running 1
procs_blocked 0
`

const guestPSI = "some avg10=1.50 avg60=0.75 avg300=0.25 total=1234\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"

const guestMountinfo = `83 86 0:37 / /usr/lib/wsl/drivers ro,nosuid,nodev,noatime - 9p drivers ro,aname=drivers;fmask=222;dmask=222,cache=0x5,access=client,msize=65536,trans=fd,rfd=8,wfd=8
86 1 8:48 / / rw,relatime - ext4 /dev/sdd rw,discard,errors=remount-ro,data=ordered
100 86 0:60 / /mnt/c rw,noatime - 9p C:\134 rw,aname=drvfs;path=C:\;uid=1000;gid=1000;symlinkroot=/mnt/,cache=5,access=client,msize=65536,trans=fd,rfd=6,wfd=6
`

// guestRoot builds a fake guest filesystem (the double rewrites /proc, /sys, /etc to it).
func guestRoot(t testing.TB, withReclaim bool) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"proc/meminfo":               guestMeminfo,
		"proc/stat":                  guestStat,
		"proc/pressure/memory":       guestPSI,
		"proc/uptime":                "1000.00 1800.00\n",
		"proc/self/mountinfo":        guestMountinfo,
		"proc/1/stat":                "1 (init) S 0 1 1 0 -1 4194560 1 0 0 0 5 5 0 0 20 0 1 0 0 2990080 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n",
		"proc/1/status":              "Name:\tinit\nUid:\t0\t0\t0\t0\nVmRSS:\t    1200 kB\n",
		"proc/42/stat":               "42 (a b) c) S 1 42 1 0 -1 4194304 129 0 0 0 40000 10000 0 0 20 0 3 0 50000 2990080 425 18446744073709551615 1 1 0 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n",
		"proc/42/status":             "Name:\ta b) c\nUid:\t1000\t1000\t1000\t1000\nVmRSS:\t    1700 kB\nThreads:\t3\n",
		"proc/sys/vm/drop_caches":    "",
		"proc/sys/vm/compact_memory": "",
		"etc/passwd":                 "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/bash\n",
	}
	if withReclaim {
		files["sys/fs/cgroup/memory.reclaim"] = ""
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// clock is a settable clock for the list TTL.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func no() *bool { f := false; return &f }

// newBackend starts a double with st and a backend on it (outside WSL, short timeouts).
func newBackend(t testing.TB, st fakewsltest.State, mod func(*Options)) (*Backend, *fakewsltest.Fake, *clock) {
	t.Helper()
	needFake(t)
	if st.GuestRoot == "" {
		st.GuestRoot = guestRoot(t, true)
	}
	f := fakewsltest.New(t, fakeExe, st)
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	opts := Options{WSLExe: fakeExe, Timeout: 5 * time.Second, Inside: no(), Now: clk.Now,
		PollInterval: 5 * time.Millisecond, TrashDir: filepath.Join(t.TempDir(), "trash")}
	if mod != nil {
		mod(&opts)
	}
	b, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b, f, clk
}

func twoDistros() fakewsltest.State {
	return fakewsltest.State{Default: "Ubuntu", Distros: []fakewsltest.Distro{
		{Name: "Ubuntu", State: "Running", Version: 2, Content: "ubuntu-disk"},
		{Name: "Debian", State: "Stopped", Version: 1, Content: "debian-disk"}}}
}

func byName(ds []backend.Distro, name string) (backend.Distro, bool) {
	for _, d := range ds {
		if d.Name == name {
			return d, true
		}
	}
	return backend.Distro{}, false
}

// fakeHost is a HostSource with fixed registrations.
type fakeHost struct {
	regs []winhost.Registration
	disk map[string]int64
}

func (h *fakeHost) Registrations() ([]winhost.Registration, error) { return h.regs, nil }
func (h *fakeHost) DiskUsage(p string) (int64, error) {
	if n, ok := h.disk[p]; ok {
		return n, nil
	}
	return 0, os.ErrNotExist
}
func (h *fakeHost) Sample(context.Context) (*backend.HostView, error) {
	return &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 123}, nil
}
