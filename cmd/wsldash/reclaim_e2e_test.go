package main

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend/procfs"
)

// TestReclaimOnRealKernel is the memory-reclaim issue's acceptance test, on this machine's real
// kernel: with 1 GiB of page cache made, `wsldash reclaim --backend local` frees it, and a running
// `wsldash stats --watch --json --backend local --refresh 250ms` reports a reclaim event of at
// least 512 MiB within 5 s. It needs root (drop_caches); otherwise it is skipped, saying so.
func TestReclaimOnRealKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips the real-kernel reclaim test (it writes 1 GiB)")
	}
	if os.Geteuid() != 0 {
		t.Skip("not root: dropping the page cache needs root (run the suite as root to include this test)")
	}
	if f, err := os.OpenFile("/proc/sys/vm/drop_caches", os.O_WRONLY, 0); err != nil {
		t.Skipf("/proc/sys/vm/drop_caches is not writable here: %v", err)
	} else {
		f.Close()
	}
	dir := t.TempDir()
	if isTmpfs(dir) {
		t.Skip("the temp dir is on tmpfs, whose pages are not droppable page cache")
	}
	bin := filepath.Join(dir, "wsldash")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	watch := exec.Command(bin, "stats", "--watch", "--json", "--backend", "local", "--refresh", "250ms")
	stdout, err := watch.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := watch.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { watch.Process.Kill(); watch.Wait() }()
	lines := make(chan map[string]any, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				lines <- m
			}
		}
	}()
	// next returns the next line, failing the test at the deadline.
	next := func(deadline <-chan time.Time, what string) map[string]any {
		select {
		case m, ok := <-lines:
			if !ok {
				t.Fatalf("stats --watch ended while waiting for %s", what)
			}
			return m
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
		return nil
	}
	cache := func(m map[string]any) float64 {
		g, _ := m["guest"].(map[string]any)
		v, _ := g["cache_bytes"].(float64)
		return v
	}
	first := next(time.After(10*time.Second), "the first sample")
	base := cache(first)

	// Make 1 GiB of clean page cache: write it, fsync it (dirty pages can't be dropped).
	const gib = 1 << 30
	f, err := os.Create(filepath.Join(dir, "cache.bin"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	for n := 0; n < gib; n += len(buf) {
		if _, err := f.Write(buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Read it back so every page is cached even if writeback dropped some.
	if rf, err := os.Open(filepath.Join(dir, "cache.bin")); err == nil {
		io.Copy(io.Discard, rf)
		rf.Close()
	}
	// Wait (bounded) until the watch sees the cache, so the detector has a level before the drop.
	seen := time.After(20 * time.Second)
	for n := 0; ; n++ {
		m := next(seen, "the 1 GiB of page cache to show in stats")
		if cache(m) >= base+900<<20 && n >= 6 {
			break
		}
	}

	out, err := exec.Command(bin, "reclaim", "--backend", "local", "--json").CombinedOutput()
	reclaimed := time.Now()
	if err != nil {
		t.Fatalf("reclaim: %v\n%s", err, out)
	}
	var res map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("reclaim --json: %v\n%s", err, out)
	}
	if freed, _ := res["freed_bytes"].(float64); freed < 512<<20 {
		t.Errorf("reclaim freed %.0f MiB, want ≥ 512 MiB", freed/(1<<20))
	}

	deadline := time.After(5 * time.Second)
	for {
		m := next(deadline, "a reclaim event of ≥ 512 MiB within 5 s")
		if m["type"] != "event" {
			continue
		}
		b, _ := m["bytes"].(float64)
		t.Logf("event %v after %v: %.0f MiB (%v, %v)", m["kind"], time.Since(reclaimed).Round(10*time.Millisecond), b/(1<<20), m["series"], m["source"])
		if m["kind"] == "reclaim" && b >= 512<<20 {
			return
		}
	}
}

func isTmpfs(dir string) bool {
	mounts, err := procfs.NewFS("/proc").Mountinfo("self")
	if err != nil {
		return false
	}
	best, fstype := "", ""
	for _, m := range mounts {
		if strings.HasPrefix(dir, m.MountPoint) && len(m.MountPoint) > len(best) {
			best, fstype = m.MountPoint, m.FSType
		}
	}
	return fstype == "tmpfs"
}
