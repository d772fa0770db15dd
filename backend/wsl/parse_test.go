package wsl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// dump renders what procScript prints for the given guest files.
func dump() string {
	return "@@wsldash passwd\nroot:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/bash\n" +
		"@@wsldash uptime\n1000.00 1800.00\n" +
		"@@wsldash pid 1\n1 (init) S 0 1 1 0 -1 4194560 1 0 0 0 5 5 0 0 20 0 1 0 0 2990080 300 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n" +
		"@@wsldash status\nName:\tinit\nUid:\t0\t0\t0\t0\nVmRSS:\t    1200 kB\n" +
		"@@wsldash pid 42\n42 (we\nird) S 1 42 1 0 -1 4194304 129 0 0 0 40000 10000 0 0 20 0 3 0 50000 2990080 425 18446744073709551615 1 1 0 0 0 0 0 6 0 1 0 0 17 0 0 0 0 0 0\n" +
		"@@wsldash status\nName:\twe\\nird\nUid:\t4242\t4242\t4242\t4242\n" +
		"@@wsldash pid 7\ngarbage\n@@wsldash status\nName:\tnot-7\nUid:\t0\t0\t0\t0\n" +
		"@@wsldash end\n"
}

func TestParseProcessDump(t *testing.T) {
	ps, err := ParseProcessDump([]byte(dump()), "Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("got %+v", ps)
	}
	if ps[0].User != "root" || ps[0].RSSBytes != 1200*1024 || ps[0].Distro != "Ubuntu" {
		t.Errorf("init %+v", ps[0])
	}
	// Unknown uid shows as the number; no VmRSS falls back to stat's pages; the status of the
	// unparseable pid 7 is not attached to anyone.
	if ps[1].PID != 42 || ps[1].User != "4242" || ps[1].RSSBytes != 425*4096 || ps[1].Name != "we\nird" {
		t.Errorf("pid 42 %+v", ps[1])
	}
	if _, err := ParseProcessDump([]byte("@@wsldash passwd\n"), "U"); backend.KindOf(err) != backend.KindParse {
		t.Errorf("truncated: %v", err)
	}
}

func TestParseReclaim(t *testing.T) {
	out := "@@wsldash before\n" + guestMeminfo + "@@wsldash after\n" + strings.Replace(guestMeminfo, "Cached:          2000000", "Cached:           500000", 1)
	b, a, err := parseReclaim([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if b != 2110000*1024 || a != 610000*1024 {
		t.Fatalf("before %d after %d", b, a)
	}
	if r := (backend.ReclaimResult{CacheBefore: b, CacheAfter: a}); r.Freed() != 1500000*1024 {
		t.Fatalf("freed %d", r.Freed())
	}
	for _, bad := range []string{"", "@@wsldash before\nMemTotal: 1 kB\n", "@@wsldash before\nx\n@@wsldash after\nMemTotal: 1 kB\n"} {
		if _, _, err := parseReclaim([]byte(bad)); backend.KindOf(err) != backend.KindParse {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestParseFrame(t *testing.T) {
	f, err := parseSample(frame{secs: map[string][]byte{secMeminfo: []byte(guestMeminfo), secStat: []byte("cpu  1 2 3 4 5 6 7 8 0 0\n")}})
	if err != nil || f.psi != nil || f.cpu.User != 1 || f.guest.TotalBytes == 0 {
		t.Fatalf("%+v %v", f, err)
	}
	if _, err := parseSample(frame{secs: map[string][]byte{secMeminfo: []byte("junk")}}); backend.KindOf(err) != backend.KindParse {
		t.Fatalf("junk: %v", err)
	}
}

func TestPickProbeDistro(t *testing.T) {
	ds := []backend.Distro{{Name: "A", State: backend.StateRunning}, {Name: "B", State: backend.StateRunning, Default: true}, {Name: "C", State: backend.StateStopped}}
	if n, err := pickProbeDistro(ds, nil); n != "B" || err != nil {
		t.Fatalf("%q %v", n, err)
	}
	if n, err := pickProbeDistro(ds, map[string]bool{"b": true}); n != "A" || err != nil {
		t.Fatalf("%q %v", n, err)
	}
	if _, err := pickProbeDistro(ds, map[string]bool{"a": true, "b": true}); backend.KindOf(err) != backend.KindNotRunning {
		t.Fatalf("all released: %v", err)
	}
	if _, err := pickProbeDistro(ds[2:], nil); err == nil || err.Error() != "sample: no distro is running; the VM is stopped" {
		t.Fatalf("none running: %v", err)
	}
}

func FuzzParseProcessDump(f *testing.F) {
	f.Add([]byte(dump()))
	f.Add([]byte("@@wsldash end\n"))
	f.Add([]byte("@@wsldash pid 1\n@@wsldash status\n@@wsldash end"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ps, err := ParseProcessDump(b, "X")
		if err != nil {
			if backend.KindOf(err) != backend.KindParse {
				t.Fatalf("kind %v", backend.KindOf(err))
			}
			return
		}
		for i, p := range ps {
			if p.Distro != "X" || p.User == "" || p.CPUPercent < 0 {
				t.Fatalf("bad process %+v", p)
			}
			if i > 0 && ps[i-1].PID > p.PID {
				t.Fatal("not sorted by pid")
			}
		}
	})
}

func FuzzParseReclaim(f *testing.F) {
	f.Add([]byte("@@wsldash before\n" + guestMeminfo + "@@wsldash after\n" + guestMeminfo))
	f.Add([]byte("@@wsldash before\n@@wsldash after\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, _, err := parseReclaim(b); err != nil && backend.KindOf(err) != backend.KindParse {
			t.Fatalf("kind %v", backend.KindOf(err))
		}
	})
}

func FuzzParseFrame(f *testing.F) {
	f.Add([]byte(guestMeminfo), []byte(guestStat), []byte(guestPSI))
	f.Fuzz(func(t *testing.T, m, s, p []byte) {
		fr, err := parseSample(frame{secs: map[string][]byte{secMeminfo: m, secStat: s, secPSI: p}})
		if err != nil {
			return
		}
		g := fr.guest
		if g.UsedBytes+g.CacheBytes+g.FreeBytes != g.TotalBytes && g.FreeBytes+g.CacheBytes < g.TotalBytes {
			t.Fatalf("guest does not add up: %+v", g)
		}
	})
}

func BenchmarkParseProcessDump(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("@@wsldash passwd\nroot:x:0:0::/:/bin/sh\n@@wsldash uptime\n1000.0 1.0\n")
	for pid := 1; pid <= 300; pid++ {
		fmt.Fprintf(&sb, "@@wsldash pid %d\n%d (proc%d) S 1 1 1 0 -1 0 0 0 0 0 10 10 0 0 20 0 1 0 100 1000 100 0 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n@@wsldash status\nName:\tproc%d\nUid:\t0\t0\t0\t0\nVmRSS:\t 400 kB\n", pid, pid, pid, pid)
	}
	sb.WriteString("@@wsldash end\n")
	raw := []byte(sb.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ParseProcessDump(raw, "X"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseFrame(b *testing.B) {
	f := frame{secs: map[string][]byte{secMeminfo: []byte(guestMeminfo), secStat: []byte(guestStat), secPSI: []byte(guestPSI)}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseSample(f); err != nil {
			b.Fatal(err)
		}
	}
}
