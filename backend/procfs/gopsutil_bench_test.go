//go:build linux

// Run with: go test -run '^$' -bench Gopsutil ./backend/procfs

package procfs

import (
	"testing"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/mem"
	"github.com/shirou/gopsutil/v4/process"
)

// The gopsutil equivalents of FSMeminfo, FSStatInto and ProcScannerScan, on the live /proc.
// gopsutil is imported by this test file only; see doc.go for the decision.

func BenchmarkGopsutilVirtualMemory(b *testing.B) {
	needLive(b, "/proc/meminfo")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mem.VirtualMemory(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGopsutilCPUTimes(b *testing.B) {
	needLive(b, "/proc/stat")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cpu.Times(false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGopsutilProcesses lists processes and asks each for what a dashboard row needs.
// "name+mem+times" is the set the brief compares; "+username" adds the user column, which
// ProcScannerScan also fills (from a per-uid cache).
func BenchmarkGopsutilProcesses(b *testing.B) {
	needLive(b, "/proc/self/stat")
	for _, withUser := range []bool{false, true} {
		name := "name+mem+times"
		if withUser {
			name += "+username"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				ps, err := process.Processes()
				if err != nil {
					b.Fatal(err)
				}
				n = len(ps)
				for _, p := range ps {
					// Errors are ignored as a dashboard would: the process may have exited.
					_, _ = p.Name()
					_, _ = p.MemoryInfo()
					_, _ = p.Times()
					if withUser {
						_, _ = p.Username()
					}
				}
			}
			b.ReportMetric(float64(n), "procs")
		})
	}
}
