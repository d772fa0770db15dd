//go:build linux

package procfs

import (
	"encoding/binary"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func openFDs(t *testing.T) int {
	t.Helper()
	es, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(es)
}

func startSleeper(t *testing.T) *exec.Cmd {
	t.Helper()
	c := exec.Command("sleep", "60")
	if err := c.Start(); err != nil {
		t.Skip("cannot start sleep:", err)
	}
	t.Cleanup(func() { c.Process.Kill(); c.Wait() })
	return c
}

// A kept process file is read again from the start each time, and once the process exits the
// read fails as "not found" and the descriptor is closed, not kept.
func TestKeptProcessFileFollowsTheProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	before := openFDs(t)
	fs := NewFS("")
	c := startSleeper(t)
	pid := c.Process.Pid
	name := strconv.Itoa(pid) + "/stat"
	for i := 0; i < 3; i++ {
		ps, err := fs.ProcStat(pid)
		if err != nil || ps.Comm != "sleep" {
			t.Fatalf("read %d: %+v %v", i, ps, err)
		}
	}
	if _, ok := fs.kept[name]; !ok {
		t.Fatal("the process's stat file is not kept open")
	}
	c.Process.Kill()
	c.Wait()
	_, err := fs.ProcStat(pid)
	if backend.KindOf(err) != backend.KindNotFound || !vanished(err) {
		t.Fatalf("after exit: %v (kind %v), want not found", err, backend.KindOf(err))
	}
	if _, ok := fs.kept[name]; ok {
		t.Fatal("a dead process's descriptor is still kept")
	}
	if _, err := fs.Meminfo(); err != nil {
		t.Fatal(err)
	}
	fs.Close()
	if after := openFDs(t); after != before {
		t.Fatalf("%d descriptors open after Close, %d before", after, before)
	}
	// Still usable after Close.
	if _, err := fs.Meminfo(); err != nil {
		t.Fatal(err)
	}
	fs.Close()
}

// The scanner closes the kept file of a process that is gone from the listing.
func TestScannerForgetsGoneProcesses(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	fs := NewFS("")
	defer fs.Close()
	s := NewProcScanner(fs)
	c := startSleeper(t)
	name := strconv.Itoa(c.Process.Pid) + "/stat"
	if _, err := s.Scan(""); err != nil {
		t.Fatal(err)
	}
	if _, ok := fs.kept[name]; !ok {
		t.Fatal("child's stat not kept after a scan")
	}
	c.Process.Kill()
	c.Wait()
	got, err := s.Scan("")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if p.PID == c.Process.Pid {
			t.Fatalf("dead child listed: %+v", p)
		}
	}
	if _, ok := fs.kept[name]; ok {
		t.Fatal("dead child's stat still kept")
	}
}

// Past maxKept, files are read the plain way: every process is still listed.
func TestKeptFilesAreBounded(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "stat", machineStat(100, 100, 1000))
	n := maxKept + 40
	for pid := 1; pid <= n; pid++ {
		writeFile(t, root, strconv.Itoa(pid)+"/stat", procStatLine(pid, "p", 1, 1, 10))
		writeFile(t, root, strconv.Itoa(pid)+"/status", "Name:\tp\nUid:\t0\n")
	}
	s, _ := newTestScanner(root)
	defer s.fs.Close()
	for i := 0; i < 2; i++ {
		got, err := s.Scan("")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("scan %d: %d processes, want %d", i, len(got), n)
		}
	}
	if len(s.fs.kept) > maxKept {
		t.Fatalf("%d files kept open, bound %d", len(s.fs.kept), maxKept)
	}
}

// dirent builds one linux_dirent64 record.
func dirent(name string) []byte {
	reclen := (19 + len(name) + 1 + 7) &^ 7
	b := make([]byte, reclen)
	binary.NativeEndian.PutUint16(b[16:], uint16(reclen))
	copy(b[19:], name)
	return b
}

func TestAppendDirentPIDs(t *testing.T) {
	var buf []byte
	for _, n := range []string{".", "..", "1", "self", "42", "0", "007", "4194304", "12a", "99999999999999999999", "thread-self", "7"} {
		buf = append(buf, dirent(n)...)
	}
	got := appendDirentPIDs(nil, buf)
	want := []int{1, 42, 4194304, 7}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	// A cut or corrupt record ends the parse without a panic.
	if got := appendDirentPIDs(nil, buf[:30]); len(got) != 0 {
		t.Fatalf("cut record gave %v", got)
	}
}

func FuzzAppendDirentPIDs(f *testing.F) {
	f.Add(append(dirent("1"), dirent("self")...))
	f.Add(dirent("12345"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, pid := range appendDirentPIDs(nil, b) {
			if pid <= 0 {
				t.Fatalf("pid %d from %q", pid, b)
			}
		}
	})
}
