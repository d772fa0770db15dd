// Command record captures real /proc/meminfo series for the reclaim detector's tests. It is a
// development tool, not part of wsldash: run it as root on a Linux machine (or in a WSL distro)
// from the repository root:
//
//	go run ./backend/reclaim/internal/record dropcache backend/reclaim/testdata/recorded-dropcache.csv
//	go run ./backend/reclaim/internal/record idle backend/reclaim/testdata/recorded-idle.csv
//
// "dropcache" fills about 1 GiB of page cache (dd a 1 GiB file with conv=fsync, then cat it to
// /dev/null), waits, runs `sync; echo 1 > /proc/sys/vm/drop_caches`, and waits again. "idle" records
// 60 s of a machine doing small file reads and a Go build, for false-positive tests. Samples are
// taken every 250 ms. The CSV has a header, then "offset_ms,total,used,cache,free" rows in bytes
// (cache is Buffers+Cached+SReclaimable, used is the rest of total less free, as backend.GuestMemory
// counts them). Lines starting with '#' are comments; "# mark,<name>,<offset_ms>" records when a
// phase began (the drop_caches write, for example). Temporary files are removed on exit.
package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

const interval = 250 * time.Millisecond

type row struct {
	ms                       int64
	total, used, cache, free uint64
}

type recorder struct {
	mu    sync.Mutex
	start time.Time
	rows  []row
	marks []string
}

func readMeminfo() (total, used, cache, free uint64, err error) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, 0, 0, 0, err
	}
	vals := map[string]uint64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 2 {
			continue
		}
		k := string(bytes.TrimSuffix(f[0], []byte(":")))
		v, err := strconv.ParseUint(string(f[1]), 10, 64)
		if err != nil {
			continue
		}
		vals[k] = v * 1024
	}
	total, free = vals["MemTotal"], vals["MemFree"]
	cache = vals["Buffers"] + vals["Cached"] + vals["SReclaimable"]
	if total >= free+cache {
		used = total - free - cache
	}
	return total, used, cache, free, nil
}

func (r *recorder) run(ctx context.Context) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		total, used, cache, free, err := readMeminfo()
		if err == nil {
			r.mu.Lock()
			r.rows = append(r.rows, row{time.Since(r.start).Milliseconds(), total, used, cache, free})
			r.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *recorder) mark(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.marks = append(r.marks, fmt.Sprintf("# mark,%s,%d", name, time.Since(r.start).Milliseconds()))
}

func (r *recorder) write(path, what string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s: /proc/meminfo every %v, recorded %s by backend/reclaim/internal/record\n", what, interval, r.start.UTC().Format(time.RFC3339))
	for _, m := range r.marks {
		b.WriteString(m + "\n")
	}
	b.WriteString("offset_ms,total,used,cache,free\n")
	for _, x := range r.rows {
		fmt.Fprintf(&b, "%d,%d,%d,%d,%d\n", x.ms, x.total, x.used, x.cache, x.free)
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func sh(ctx context.Context, script string) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", script)
	cmd.Stderr = os.Stderr
	return cmd.Run()
}

func wait(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func dropcache(ctx context.Context, r *recorder, dir string) error {
	f := filepath.Join(dir, "fill.bin")
	// Start from a small cache so the fill is visible (this is a first, smaller drop).
	r.mark("reset_drop_caches")
	if err := sh(ctx, "sync; echo 1 > /proc/sys/vm/drop_caches"); err != nil {
		return err
	}
	wait(ctx, 3*time.Second)
	r.mark("fill")
	if err := sh(ctx, "dd if=/dev/zero of="+f+" bs=1M count=1024 conv=fsync status=none && cat "+f+" > /dev/null"); err != nil {
		return err
	}
	r.mark("filled")
	wait(ctx, 5*time.Second)
	r.mark("drop_caches")
	if err := sh(ctx, "sync; echo 1 > /proc/sys/vm/drop_caches"); err != nil {
		return err
	}
	r.mark("dropped")
	wait(ctx, 5*time.Second)
	return nil
}

func idle(ctx context.Context, r *recorder, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	r.mark("workload")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // small file reads
		defer wg.Done()
		_ = sh(ctx, "while true; do cat /etc/os-release /etc/passwd /proc/cpuinfo > /dev/null; find /usr/share/doc -maxdepth 2 -name '*.gz' 2>/dev/null | head -n 20 | xargs -r cat > /dev/null; sleep 0.2; done")
	}()
	go func() { // a build with an empty cache, so it really compiles
		defer wg.Done()
		_ = sh(ctx, "cd "+dir+" && GOCACHE="+dir+"/gocache GOFLAGS=-mod=mod go build -o /dev/null std >/dev/null 2>&1; sleep 120")
	}()
	<-ctx.Done()
	wg.Wait()
	return nil
}

func main() {
	if len(os.Args) != 3 || (os.Args[1] != "dropcache" && os.Args[1] != "idle") {
		fmt.Fprintln(os.Stderr, "usage: record dropcache|idle OUT.csv")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "wsldash-record-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(dir)
	ctx, stop := context.WithCancel(context.Background())
	r := &recorder{start: time.Now()}
	done := make(chan struct{})
	go func() { r.run(ctx); close(done) }()
	what := os.Args[1]
	if what == "dropcache" {
		err = dropcache(context.Background(), r, dir)
	} else {
		err = idle(context.Background(), r, dir)
	}
	stop()
	<-done
	if err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	if err := r.write(os.Args[2], what); err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
}
