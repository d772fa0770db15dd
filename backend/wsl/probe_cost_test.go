package wsl

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestProbeCost measures what a probe costs in the guest, driven as the dashboard drives it at
// its default 1 s refresh with the processes pane visible: "meminfo stat psi self" every second,
// with "procs mounts" added every third. It runs on this machine's real /proc, topped up with
// idle sleep processes to about WSLDASH_PROBE_COST_PROCS processes (default 120). CPU is the
// probe process's utime+stime+cutime+cstime (its reaped children included) over the window, in
// % of one core; bytes are what it wrote. It is a measurement, not a check: it runs only when
// WSLDASH_PROBE_COST is a duration (e.g. 60s), and WSLDASH_PROBE_COST_KIND picks the probe:
// "sh" (probeScript under /bin/sh), "go" (this test binary as `probe NONCE`, which serves as
// wsldash does; see guestprobe_test.go). Nothing is asserted about time.
func TestProbeCost(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("WSLDASH_PROBE_COST"))
	if err != nil || runtime.GOOS != "linux" {
		t.Skip("set WSLDASH_PROBE_COST=60s (Linux) to measure the probe's cost")
	}
	want := 120
	if n, err := strconv.Atoi(os.Getenv("WSLDASH_PROBE_COST_PROCS")); err == nil {
		want = n
	}
	if have := countPIDs(t); have < want {
		for i := 0; i < want-have; i++ {
			c := exec.Command("sleep", "100000")
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Process.Kill(); c.Wait() })
		}
	}
	kind := os.Getenv("WSLDASH_PROBE_COST_KIND")
	nonce := newNonce()
	var cmd *exec.Cmd
	switch kind {
	case "", "sh":
		kind = "sh"
		cmd = exec.Command("sh", "-c", probeScript, "wsldash-probe", nonce)
	case "go":
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command(exe, "probe", nonce)
	default:
		t.Fatalf("WSLDASH_PROBE_COST_KIND=%q: want sh or go", kind)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outR, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { in.Close(); cmd.Wait() }()
	cr := &countingReader{r: outR}
	sc := bufio.NewScanner(cr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	end := []byte("@@wsldash/" + nonce + " end ")
	ask := func(id int, secs string) {
		if _, err := fmt.Fprintf(in, "%d %s\n", id, secs); err != nil {
			t.Fatal(err)
		}
		for sc.Scan() {
			if bytes.HasPrefix(sc.Bytes(), end) {
				return
			}
		}
		t.Fatalf("the probe ended: %v", sc.Err())
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	id := 0
	step := func() {
		id++
		secs := "meminfo stat psi self"
		if id%3 == 1 {
			secs += " procs mounts"
		}
		ask(id, secs)
	}
	for i := 0; i < 6; i++ { // warm-up: the first procs and mounts are sent in full
		step()
		<-tick.C
	}
	c0, b0, t0 := probeTicks(t, cmd.Process.Pid), cr.n, time.Now()
	for time.Since(t0) < d {
		<-tick.C
		step()
	}
	c1, b1, t1 := probeTicks(t, cmd.Process.Pid), cr.n, time.Now()
	secs := t1.Sub(t0).Seconds()
	t.Logf("%s probe, %d processes: %.3f%% of one core, %.0f bytes/s over %.0f s (%d requests)",
		kind, countPIDs(t), float64(c1-c0)/userHZ/secs*100, float64(b1-b0)/secs, secs, id)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// probeTicks is utime+stime+cutime+cstime of pid.
func probeTicks(t *testing.T, pid int) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	var sum uint64
	for _, i := range []int{11, 12, 13, 14} { // fields 14-17, after pid and comm
		v, _ := strconv.ParseUint(f[i], 10, 64)
		sum += v
	}
	return sum
}

func countPIDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err == nil {
			n++
		}
	}
	return n
}
