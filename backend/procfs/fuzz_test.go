package procfs

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wsldash/wsldash/backend"
)

// addFiles seeds a fuzz target with testdata files and extra inline inputs.
func addFiles(f *testing.F, files []string, extra ...string) {
	for _, name := range files {
		f.Add(readTestdata(f, name))
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func FuzzParseMeminfo(f *testing.F) {
	addFiles(f, []string{"live/meminfo", "wsl1/meminfo", "wsl1/meminfo_swapfree_glitch", "bad/meminfo_overflow", "bad/meminfo_no_total"},
		"MemTotal: 1 kB\n", "MemTotal:\n", "MemTotal: 18014398509481983 kB\nMemFree: 1 kB\nCached: 18014398509481983 kB",
		"MemTotal: 5\r\nBuffers: 9 kB\n", ":", "\n\n")
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMeminfo(b)
		checkFuzzErr(t, err)
		if err != nil {
			if m != (Meminfo{}) {
				t.Fatalf("error %v with a non-zero result %+v", err, m)
			}
			return
		}
		g := m.Guest()
		if g.TotalBytes != m.MemTotal || g.FreeBytes != m.MemFree || g.CacheBytes < m.Buffers {
			t.Fatalf("Guest() = %+v from %+v", g, m)
		}
		if m.MemFree <= m.MemTotal && g.CacheBytes <= m.MemTotal-m.MemFree {
			if g.UsedBytes+g.CacheBytes+g.FreeBytes != g.TotalBytes {
				t.Fatalf("Used+Cache+Free = %d, Total %d (%+v)", g.UsedBytes+g.CacheBytes+g.FreeBytes, g.TotalBytes, g)
			}
		} else if g.UsedBytes != 0 {
			t.Fatalf("Used = %d though Free+Cache exceed Total (%+v)", g.UsedBytes, g)
		}
	})
}

func FuzzParseStat(f *testing.F) {
	addFiles(f, []string{"live/stat", "fakeproc/stat"},
		"cpu 1 2 3 4\n", "cpu 1 2 3\n", "cpu0 1 2 3 4\ncpu 1 1 1 1 1 1 1 1 1 1 1\nbtime -5\nprocs_running 3\nprocs_blocked 0\n",
		"cpu 18446744073709551615 18446744073709551615 0 0\n", "cpuX\ncpu", "procs_blocked")
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseStat(b)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		// The reusing variant must give the same answer from a dirty Stat.
		dirty := Stat{PerCPU: make([]CPUTimes, 3, 8), BootTime: 9, ProcsRunning: 9}
		if err := ParseStatInto(b, &dirty); err != nil {
			t.Fatalf("ParseStatInto failed where ParseStat did not: %v", err)
		}
		if dirty.CPU != s.CPU || dirty.BootTime != s.BootTime || dirty.ProcsRunning != s.ProcsRunning ||
			dirty.ProcsBlocked != s.ProcsBlocked || len(dirty.PerCPU) != len(s.PerCPU) {
			t.Fatalf("ParseStatInto = %+v, ParseStat = %+v", dirty, s)
		}
		if s.ProcsRunning < 0 || s.ProcsBlocked < 0 {
			t.Fatalf("negative counts %+v", s)
		}
		for _, c := range append([]CPUTimes{s.CPU}, s.PerCPU...) {
			for _, p := range []float64{CPUPercent(CPUTimes{}, c), CPUPercent(c, CPUTimes{}), CPUPercent(c, c), CPUPercent(s.CPU, c)} {
				if math.IsNaN(p) || p < 0 || p > 100 {
					t.Fatalf("CPUPercent = %v for %+v", p, c)
				}
			}
		}
	})
}

func FuzzParsePressure(f *testing.F) {
	addFiles(f, []string{"live/pressure_cpu", "live/pressure_io", "live/pressure_memory", "old_kernel_pressure_cpu"},
		"some avg10=NaN avg60=0 avg300=0 total=0\n", "some avg10=1e308 avg60=0x1p3 avg300=0 total=1\nfull =\n", "some\n", "full avg10=0.00")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePressure(b)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		for _, x := range []backend.Pressure{p.Some, p.Full} {
			for _, v := range []float64{x.Avg10, x.Avg60, x.Avg300} {
				if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					t.Fatalf("bad average %v in %+v", v, p)
				}
			}
		}
		if !p.HasFull && (p.Full != backend.Pressure{} || p.FullTotal != 0) {
			t.Fatalf("full values without a full line: %+v", p)
		}
	})
}

func FuzzParseMountinfo(f *testing.F) {
	addFiles(f, []string{"wsl2/mountinfo", "wsl1/mountinfo", "live/self_mountinfo"},
		"1 0 0:1 / /x rw - tmpfs  rw\n", "7 1 8:1 /a\\040b /mnt/x\\011y rw shared:2 - ext4 /dev/my\\134disk rw\r\n",
		"1 0 0:1 / /x rw -\n", `1 0 0:1 \ \4 \777 - 9p \ aname=drvfs;path=C:\`, "- - - - - - - - -")
	f.Fuzz(func(t *testing.T, b []byte) {
		ms, err := ParseMountinfo(b)
		checkFuzzErr(t, err)
		if err != nil {
			if ms != nil {
				t.Fatalf("error %v with %d mounts", err, len(ms))
			}
			return
		}
		for _, m := range ms {
			if len(m.Source) > len(b) || len(m.MountPoint) > len(b) {
				t.Fatalf("field longer than the input: %+v", m)
			}
			bm := m.Mount("d")
			switch bm.Kind {
			case backend.MountDrvfs, backend.MountVirtiofs, backend.MountPlan9, backend.MountDisk, backend.MountOther:
			default:
				t.Fatalf("unknown kind %q", bm.Kind)
			}
			if !strings.HasPrefix(bm.Options, m.Options) {
				t.Fatalf("merged options %q do not start with %q", bm.Options, m.Options)
			}
		}
	})
}

func FuzzUnescape(f *testing.F) {
	for _, s := range []string{`C:\134`, `a\040b`, `\`, `\12`, `\400`, `\\\\040`, "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := Unescape(s)
		if len(u) > len(s) {
			t.Fatalf("Unescape(%q) = %q grew", s, u)
		}
		if !strings.Contains(s, `\`) && u != s {
			t.Fatalf("Unescape changed %q without backslashes to %q", s, u)
		}
	})
}

func FuzzParseProcStat(f *testing.F) {
	addFiles(f, []string{"live/self_stat", "live/weird_comm_stat", "fakeproc/1/stat", "fakeproc/42/stat", "fakeproc/77/stat"},
		"5 (\n) Z 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0", "1 (x) S", "()", ")(", "1 (a) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 -9223372036854775808")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProcStat(b)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		if p.PID < 0 || len(p.Comm) > len(b) || !strings.Contains(string(b), "("+p.Comm+")") {
			t.Fatalf("bad result %+v from %q", p, b)
		}
	})
}

func FuzzParseProcStatus(f *testing.F) {
	addFiles(f, []string{"live/self_status", "live/weird_comm_status", "fakeproc/42/status", "fakeproc/77/status"},
		"Name:\ta\\nb\\\\c\nUid:\t5\n", "Name:\nUid:", "Uid:\t-1\nName:\tx\n", "Name:\t\\\nUid:\t0\nVmRSS: 18014398509481983 kB\n")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProcStatus(b)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		if p.UID < 0 || p.Threads < 0 || len(p.Name) > len(b) {
			t.Fatalf("bad result %+v", p)
		}
		if utf8.Valid(b) && !utf8.ValidString(p.Name) {
			t.Fatalf("name %q is not valid UTF-8 though the input is", p.Name)
		}
	})
}

func FuzzParseNetSockets(f *testing.F) {
	addFiles(f, []string{"live/net_tcp", "live/net_tcp6", "live/net_udp", "live/net_udp6"},
		"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1\n",
		"sl\n 1: 0:0 0:0 0A a b c 0 0 1\n", " 0:")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, proto := range NetProtos {
			ss, err := ParseNetSockets(b, proto)
			checkFuzzErr(t, err)
			if err != nil {
				if ss != nil {
					t.Fatalf("error %v with sockets %+v", err, ss)
				}
				continue
			}
			for _, s := range ss {
				if s.Proto != proto || !s.LocalAddr.IsValid() || !s.RemoteAddr.IsValid() || s.LocalAddr.Is4() != (proto == "tcp" || proto == "udp") {
					t.Fatalf("%s: bad socket %+v", proto, s)
				}
				if s.Listening() && strings.HasPrefix(proto, "tcp") && s.State != TCPListen {
					t.Fatalf("listening TCP socket in state %x", s.State)
				}
			}
		}
	})
}

func FuzzParseCgroup(f *testing.F) {
	addFiles(f, []string{"cgroup/visible/sys/wsl-user/distro-417/memory.stat", "cgroup/visible/self_cgroup", "cgroup/namespaced/self_cgroup"},
		"anon 1\nfile 2\n", "0::/wsl-user/distro-1/x", "anon 18446744073709551615\nfile 18446744073709551615\n")
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseCgroupMemStat(b)
		checkFuzzErr(t, err)
		if err == nil && (!m.HaveAnon || !m.HaveFile) {
			t.Fatalf("parsed without anon/file: %+v", m)
		}
		if err == nil {
			d := CgroupMemory{Current: m.Anon, Stat: m}.DistroShare("x")
			if d.MemoryBytes > m.Anon || *d.CacheBytes != m.File {
				t.Fatalf("share %+v from %+v", d, m)
			}
		}
		p, err := ParseCgroupV2Path(b)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		if !strings.HasPrefix(p, "/") {
			t.Fatalf("path %q not absolute", p)
		}
		if dir, visible := DistroCgroupDir(p); visible != (dir != "") || (visible && !strings.HasPrefix("/"+dir, WSLDistroCgroupPrefix)) || !strings.HasPrefix(p, "/"+dir) {
			t.Fatalf("DistroCgroupDir(%q) = %q %v", p, dir, visible)
		}
	})
}
