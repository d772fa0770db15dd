package procfs

import (
	"os"
	"testing"
)

// Parse benchmarks run on the captured files so the numbers do not depend on the machine's
// state; the Read/FS/Scan benchmarks use the live /proc and are skipped without one.

func benchParse(b *testing.B, file string, parse func([]byte) error) {
	data := readTestdata(b, file)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseMeminfo(b *testing.B) {
	benchParse(b, "live/meminfo", func(d []byte) error { _, err := ParseMeminfo(d); return err })
}

func BenchmarkParseStat(b *testing.B) {
	b.Run("ParseStat", func(b *testing.B) {
		benchParse(b, "live/stat", func(d []byte) error { _, err := ParseStat(d); return err })
	})
	b.Run("ParseStatInto", func(b *testing.B) {
		var s Stat
		benchParse(b, "live/stat", func(d []byte) error { return ParseStatInto(d, &s) })
	})
}

func BenchmarkParsePressure(b *testing.B) {
	benchParse(b, "live/pressure_io", func(d []byte) error { _, err := ParsePressure(d); return err })
}

func BenchmarkParseMountinfo(b *testing.B) {
	b.Run("live", func(b *testing.B) {
		benchParse(b, "live/self_mountinfo", func(d []byte) error { _, err := ParseMountinfo(d); return err })
	})
	b.Run("wsl2", func(b *testing.B) {
		benchParse(b, "wsl2/mountinfo", func(d []byte) error { _, err := ParseMountinfo(d); return err })
	})
}

func BenchmarkParseProcStat(b *testing.B) {
	benchParse(b, "live/weird_comm_stat", func(d []byte) error { _, err := ParseProcStat(d); return err })
}

func BenchmarkParseProcStatus(b *testing.B) {
	benchParse(b, "live/self_status", func(d []byte) error { _, err := ParseProcStatus(d); return err })
}

func needLive(b *testing.B, path string) {
	if _, err := os.Stat(path); err != nil {
		b.Skip("no " + path)
	}
}

func benchRead(b *testing.B, path string) {
	needLive(b, path)
	b.Run("os.ReadFile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := os.ReadFile(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reused-buffer", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = readFileInto(path, buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReadMeminfoFile is the cost of only reading /proc/meminfo (the kernel formats it on
// every read), to compare with the parse cost.
func BenchmarkReadMeminfoFile(b *testing.B) { benchRead(b, "/proc/meminfo") }

// BenchmarkReadStatFile is the same for /proc/stat.
func BenchmarkReadStatFile(b *testing.B) { benchRead(b, "/proc/stat") }

func BenchmarkFSMeminfo(b *testing.B) {
	needLive(b, "/proc/meminfo")
	fs := NewFS("")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fs.Meminfo(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFSStatInto(b *testing.B) {
	needLive(b, "/proc/stat")
	fs := NewFS("")
	var s Stat
	b.ReportAllocs()
	for b.Loop() {
		if err := fs.StatInto(&s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFSPressure(b *testing.B) {
	needLive(b, "/proc/pressure/memory")
	fs := NewFS("")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fs.Pressure("memory"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProcScannerScan(b *testing.B) {
	needLive(b, "/proc/self/stat")
	s := NewProcScanner(NewFS(""))
	ps, err := s.Scan("")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(ps)), "procs")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Scan(""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseNetSockets(b *testing.B) {
	var ss []Socket
	benchParse(b, "live/net_tcp", func(d []byte) (err error) { ss, err = ParseNetSocketsInto(d, "tcp", ss); return err })
}

func BenchmarkParseCgroupMemStat(b *testing.B) {
	benchParse(b, "cgroup/visible/sys/wsl-user/distro-417/memory.stat", func(d []byte) error { _, err := ParseCgroupMemStat(d); return err })
}

// BenchmarkListeners is a whole `ports` look on the live /proc: four net files and every
// process's fd links.
func BenchmarkListeners(b *testing.B) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		b.Skip("no /proc/net")
	}
	fs := NewFS("")
	defer fs.Close()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fs.Listeners(""); err != nil {
			b.Fatal(err)
		}
	}
}
