package guestprobe

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

const statRest = " S 1 77 1 0 -1 4194304 129 0 0 0 40 10 0 0 20 0 3 0 %START% 2990080 425 18446744073709551615 1 1 0 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n"

func statLine(pid, comm, start string) string {
	return pid + " (" + comm + ")" + strings.Replace(statRest, "%START%", start, 1)
}

// guest writes a fake root (proc and etc/passwd) and returns it.
func guest(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"proc/meminfo":        "MemTotal:       100 kB\nMemFree:         50 kB\n",
		"proc/stat":           "cpu  1 2 3 4 0 0 0 0 0 0\ncpu0 1 2 3 4 0 0 0 0 0 0\nintr 99999 0\ncpu9 not-a-cpu-line\n",
		"proc/uptime":         "12.50 20.00\n",
		"proc/self/mountinfo": "22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n",
		"proc/1/stat":         statLine("1", "init", "5"),
		"proc/1/status":       "Name:\tinit\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t0\t0\t0\t0\nVmRSS:\t    1234 kB\n",
		"proc/42/stat":        statLine("42", "a b\n@@wsldash pid", "50"),
		"proc/42/status":      "Name:\ta b\\n@@wsldash pid\nUid:\t1000\t1000\t1000\t1000\n",
		"proc/99/README":      "no stat: it ended while being read\n",
		"etc/passwd":          "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/bin/false\ndev:x:1000:1000::/home/dev:/bin/bash\n",
	}
	for name, body := range files {
		write(t, root, name, body)
	}
	return root
}

func write(t *testing.T, root, name, body string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ask(p *Probe, req string) string { return string(p.Answer([]byte(req))) }

func TestSections(t *testing.T) {
	root := guest(t)
	p := New("n1", Options{Root: root, Version: "v1.2.3"})
	defer p.Close()
	got := ask(p, "1 meminfo stat psi kind nosuch")
	want := "@@wsldash/n1 meminfo\nMemTotal:       100 kB\nMemFree:         50 kB\n" +
		"@@wsldash/n1 stat\ncpu  1 2 3 4 0 0 0 0 0 0\ncpu0 1 2 3 4 0 0 0 0 0 0\n" +
		"@@wsldash/n1 psi\n" + // no PSI here: empty, as the sh probe's
		"@@wsldash/n1 kind\ngo v1.2.3\n" +
		"@@wsldash/n1 nosuch\n" +
		"@@wsldash/n1 end 1\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// Blanks and tabs separate words, as sh's read; an empty request is an empty frame.
	if got := ask(p, "\t8  kind \t"); got != "@@wsldash/n1 kind\ngo v1.2.3\n@@wsldash/n1 end 8\n" {
		t.Fatalf("%q", got)
	}
	if got := ask(p, ""); got != "@@wsldash/n1 end \n" {
		t.Fatalf("%q", got)
	}
	write(t, root, "proc/pressure/memory", "some avg10=1.00 avg60=0.00 avg300=0.00 total=5\n")
	if got := ask(p, "2 psi"); got != "@@wsldash/n1 psi\n@@wsldash/n1 end 2\n" {
		t.Fatalf("PSI cannot appear in a running kernel; the probe does not look again: %q", got)
	}
	p2 := New("n2", Options{Root: root})
	defer p2.Close()
	if got := ask(p2, "3 psi"); got != "@@wsldash/n2 psi\nsome avg10=1.00 avg60=0.00 avg300=0.00 total=5\n@@wsldash/n2 end 3\n" {
		t.Fatalf("psi: %q", got)
	}
}

// self is the probe's own /proc/self/stat (the real /proc, whatever the root).
func TestSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	p := New("n", Options{Root: guest(t)})
	defer p.Close()
	got := ask(p, "1 self")
	line, ok := strings.CutPrefix(got, "@@wsldash/n self\n")
	if !ok || !strings.HasPrefix(line, strconv.Itoa(os.Getpid())+" (") || !strings.HasSuffix(got, "\n@@wsldash/n end 1\n") {
		t.Fatalf("%q", got)
	}
}

// mounts is sent in full once, then "unchanged" while the file's bytes are the same.
func TestMountsOnlyWhenChanged(t *testing.T) {
	root := guest(t)
	p := New("n", Options{Root: root})
	defer p.Close()
	full := "@@wsldash/n mounts\n22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n@@wsldash/n end 1\n"
	if got := ask(p, "1 mounts"); got != full {
		t.Fatalf("first: %q", got)
	}
	if got := ask(p, "2 mounts"); got != "@@wsldash/n mounts\nunchanged\n@@wsldash/n end 2\n" {
		t.Fatalf("second: %q", got)
	}
	write(t, root, "proc/self/mountinfo", "22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n30 22 0:60 / /mnt/c rw - 9p C:\\134 rw")
	if got := ask(p, "3 mounts"); got != "@@wsldash/n mounts\n22 1 8:32 / / rw,relatime - ext4 /dev/sdc rw\n30 22 0:60 / /mnt/c rw - 9p C:\\134 rw\n@@wsldash/n end 3\n" {
		t.Fatalf("changed (no final newline in the file): %q", got)
	}
	if got := ask(p, "4 fresh mounts"); !strings.Contains(got, "/mnt/c") {
		t.Fatalf("after fresh: %q", got)
	}
}

// A process's status goes out once (Name and Uid only), a passwd line once per uid in use; a
// pid whose start time changed is a new process; a gone pid is forgotten.
func TestProcsSendsWhatChanged(t *testing.T) {
	root := guest(t)
	p := New("n", Options{Root: root})
	defer p.Close()
	got := ask(p, "1 procs")
	for _, want := range []string{
		"@@wsldash/n procs\n@@wsldash uptime\n12.50 20.00\n",
		"@@wsldash status 1\nName:\tinit\nUid:\t0\t0\t0\t0\n",
		"@@wsldash status 42\nName:\ta b\\n@@wsldash pid\nUid:\t1000\t1000\t1000\t1000\n",
		"root:x:0:0:root:/root:/bin/bash\n", "dev:x:1000:1000::/home/dev:/bin/bash\n",
		"@@wsldash stats\n",
		statLine("1", "init", "5"), statLine("42", "a b\n@@wsldash pid", "50"),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("first procs lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "nobody") || strings.Contains(got, "VmRSS") || strings.Contains(got, "Umask") {
		t.Errorf("sent what is not needed:\n%s", got)
	}
	if i, j := strings.Index(got, "@@wsldash stats\n"), strings.LastIndex(got, "@@wsldash status"); i < j {
		t.Errorf("the stat lines must come last:\n%s", got)
	}
	got = ask(p, "2 procs")
	want := "@@wsldash/n procs\n@@wsldash uptime\n12.50 20.00\n@@wsldash stats\n"
	if !strings.HasPrefix(got, want) || strings.Contains(got, "status") || strings.Contains(got, "passwd") {
		t.Fatalf("second procs:\n%s", got)
	}
	// pid 42 is now another process (a new start time) of another user; pid 1's passwd line
	// changes (a renamed root); the status of a gone pid is not asked again.
	write(t, root, "proc/42/stat", statLine("42", "other", "90"))
	write(t, root, "proc/42/status", "Name:\tother\nUid:\t65534\t65534\t65534\t65534\n")
	later := time.Now().Add(2 * time.Second)
	write(t, root, "etc/passwd", "admin:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/bin/false\ndev:x:1000:1000::/home/dev:/bin/bash\n")
	os.Chtimes(filepath.Join(root, "etc/passwd"), later, later)
	got = ask(p, "3 procs")
	for _, want := range []string{"@@wsldash status 42\nName:\tother\n", "@@wsldash passwd\n", "nobody:x:65534", "admin:x:0:0"} {
		if !strings.Contains(got, want) {
			t.Errorf("third procs lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "status 1\n") || strings.Contains(got, "dev:x") {
		t.Errorf("third procs resent what had not changed:\n%s", got)
	}
	if err := os.RemoveAll(filepath.Join(root, "proc/42")); err != nil {
		t.Fatal(err)
	}
	got = ask(p, "4 procs")
	if strings.Contains(got, "42 (") || len(p.known) != 1 {
		t.Fatalf("a gone process: %d known\n%s", len(p.known), got)
	}
	if got := ask(p, "5 fresh procs"); !strings.Contains(got, "@@wsldash status 1\n") {
		t.Fatalf("fresh resends: %s", got)
	}
}

// Serve answers each whole line, ignores a last line without its newline (as sh's read does),
// and ends at the end of its input.
func TestServe(t *testing.T) {
	p := New("n", Options{Root: guest(t), Version: "x"})
	defer p.Close()
	var out strings.Builder
	if err := p.Serve(strings.NewReader("1 kind\n2 kind\n3 kind"), &out); err != nil {
		t.Fatal(err)
	}
	want := "@@wsldash/n kind\ngo x\n@@wsldash/n end 1\n@@wsldash/n kind\ngo x\n@@wsldash/n end 2\n"
	if out.String() != want {
		t.Fatalf("%q", out.String())
	}
	r, w := io.Pipe()
	r.CloseWithError(io.ErrClosedPipe)
	if err := p.Serve(strings.NewReader("1 kind\n"), w); err == nil {
		t.Fatal("a failed write must end Serve with its error")
	}
}

func TestValidNonce(t *testing.T) {
	for s, ok := range map[string]bool{"0123abcdef": true, "": false, "a b": false, "a\nb": false, strings.Repeat("a", 65): false, "ABC9": true} {
		if ValidNonce(s) != ok {
			t.Errorf("ValidNonce(%q) = %v", s, !ok)
		}
	}
}

// BenchmarkProcsFrame is one procs section on this machine's real /proc, steady state (every
// process seen before: its stat re-read with pread, no status).
func BenchmarkProcsFrame(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("needs /proc")
	}
	p := New("n", Options{})
	defer p.Close()
	p.Answer([]byte("1 procs"))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = len(p.Answer([]byte("2 procs")))
	}
	b.ReportMetric(float64(len(p.known)), "procs")
	b.ReportMetric(float64(n), "bytes/frame")
}

// BenchmarkSampleFrame is the once-a-second request: meminfo stat psi self.
func BenchmarkSampleFrame(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("needs /proc")
	}
	p := New("n", Options{})
	defer p.Close()
	b.ReportAllocs()
	for b.Loop() {
		p.Answer([]byte("1 meminfo stat psi self"))
	}
}
