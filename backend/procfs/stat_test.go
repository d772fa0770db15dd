package procfs

import (
	"math"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func TestParseStatFiles(t *testing.T) {
	tests := []struct {
		file             string
		cpu              CPUTimes
		cpu1             CPUTimes
		ncpu             int
		btime            int64
		running, blocked int
	}{
		{"live/stat", CPUTimes{User: 4052, System: 2560, Idle: 46690, IOWait: 133, SoftIRQ: 121},
			CPUTimes{User: 2208, System: 1391, Idle: 23002, IOWait: 118, SoftIRQ: 59}, 2, 1795614575, 1, 0},
		{"fakeproc/stat", CPUTimes{User: 1000, System: 500, Idle: 8000, IOWait: 100},
			CPUTimes{User: 500, System: 250, Idle: 4000, IOWait: 50}, 2, 1795614575, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s, err := ParseStat(readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if s.CPU != tt.cpu {
				t.Errorf("CPU = %+v, want %+v", s.CPU, tt.cpu)
			}
			if len(s.PerCPU) != tt.ncpu {
				t.Fatalf("%d CPUs, want %d", len(s.PerCPU), tt.ncpu)
			}
			if s.PerCPU[1] != tt.cpu1 {
				t.Errorf("cpu1 = %+v, want %+v", s.PerCPU[1], tt.cpu1)
			}
			if s.BootTime != tt.btime || s.ProcsRunning != tt.running || s.ProcsBlocked != tt.blocked {
				t.Errorf("btime %d running %d blocked %d, want %d %d %d", s.BootTime, s.ProcsRunning, s.ProcsBlocked, tt.btime, tt.running, tt.blocked)
			}
		})
	}
}

func TestParseStatInline(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Stat
	}{
		{"2.4 kernel: four fields", "cpu 1 2 3 4\n", Stat{CPU: CPUTimes{1, 2, 3, 4, 0, 0, 0, 0}}},
		{"guest fields ignored", "cpu 1 2 3 4 5 6 7 8 9 10\n", Stat{CPU: CPUTimes{1, 2, 3, 4, 5, 6, 7, 8}}},
		{"extra future field ignored", "cpu 1 2 3 4 5 6 7 8 9 10 11\n", Stat{CPU: CPUTimes{1, 2, 3, 4, 5, 6, 7, 8}}},
		{"cpu-like keys that are not cpuN", "cpu 1 2 3 4\ncpufreq x\ncpu_x 1\n", Stat{CPU: CPUTimes{1, 2, 3, 4, 0, 0, 0, 0}}},
		{"offline CPU gap", "cpu 2 0 0 2\ncpu0 1 0 0 1\ncpu3 1 0 0 1\n",
			Stat{CPU: CPUTimes{User: 2, Idle: 2}, PerCPU: []CPUTimes{{User: 1, Idle: 1}, {User: 1, Idle: 1}}}},
		{"CRLF and no final newline", "cpu 1 2 3 4\r\nbtime 5", Stat{CPU: CPUTimes{1, 2, 3, 4, 0, 0, 0, 0}, BootTime: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseStat([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if s.CPU != tt.want.CPU || s.BootTime != tt.want.BootTime || len(s.PerCPU) != len(tt.want.PerCPU) {
				t.Fatalf("got %+v, want %+v", s, tt.want)
			}
			for i := range s.PerCPU {
				if s.PerCPU[i] != tt.want.PerCPU[i] {
					t.Errorf("cpu %d = %+v, want %+v", i, s.PerCPU[i], tt.want.PerCPU[i])
				}
			}
		})
	}
}

func TestParseStatErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"no aggregate"}},
		{"only per-cpu", "cpu0 1 2 3 4\n", []string{"no aggregate"}},
		{"three fields", "cpu 1 2 3\n", []string{"line 1", "at least 4"}},
		{"bad tick", "cpu 1 x 3 4\n", []string{"line 1", `"x"`}},
		{"bad per-cpu tick", "cpu 1 2 3 4\ncpu0 1 2 3 -4\n", []string{"line 2", `"-4"`}},
		{"tick overflow", "cpu 1 2 3 18446744073709551616\n", []string{"line 1", "bad tick"}},
		{"bad btime", "cpu 1 2 3 4\nbtime soon\n", []string{"line 2", "btime"}},
		{"bad procs_running", "cpu 1 2 3 4\nprocs_running -1\n", []string{"line 2", "procs_running"}},
		{"missing procs_blocked value", "cpu 1 2 3 4\nprocs_blocked\n", []string{"line 2", "procs_blocked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStat([]byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			wantParseErr(t, err, "parse stat", tt.want...)
		})
	}
}

func TestParseStatIntoReuses(t *testing.T) {
	b := readTestdata(t, "live/stat")
	var s Stat
	if err := ParseStatInto(b, &s); err != nil {
		t.Fatal(err)
	}
	first := &s.PerCPU[0]
	s.BootTime = 42 // must be reset
	if err := ParseStatInto(b, &s); err != nil {
		t.Fatal(err)
	}
	if &s.PerCPU[0] != first {
		t.Error("PerCPU was reallocated")
	}
	if len(s.PerCPU) != 2 || s.BootTime != 1795614575 {
		t.Errorf("second parse: %d CPUs, btime %d", len(s.PerCPU), s.BootTime)
	}
	if n := testing.AllocsPerRun(20, func() { _ = ParseStatInto(b, &s) }); n != 0 {
		t.Errorf("ParseStatInto allocates %.0f times per call with a warm Stat", n)
	}
}

func TestCPUTimes(t *testing.T) {
	c := CPUTimes{User: 1, Nice: 2, System: 3, Idle: 4, IOWait: 5, IRQ: 6, SoftIRQ: 7, Steal: 8}
	if c.Total() != 36 {
		t.Errorf("Total = %d", c.Total())
	}
	if c.Busy() != 27 {
		t.Errorf("Busy = %d", c.Busy())
	}
	if b := (CPUTimes{Idle: math.MaxUint64, IOWait: 2, User: 1}).Busy(); b != 1 {
		t.Errorf("Busy with a wrapping total = %d, want 1", b)
	}
}

func TestCPUPercent(t *testing.T) {
	base := CPUTimes{User: 100, System: 100, Idle: 800}
	tests := []struct {
		name      string
		prev, cur CPUTimes
		want      float64
	}{
		{"half busy", base, CPUTimes{User: 150, System: 100, Idle: 850}, 50},
		{"all busy", base, CPUTimes{User: 200, System: 200, Idle: 800}, 100},
		{"idle", base, CPUTimes{User: 100, System: 100, Idle: 900}, 0},
		{"iowait counts as idle", base, CPUTimes{User: 100, System: 100, Idle: 800, IOWait: 100}, 0},
		{"steal counts as busy", base, CPUTimes{User: 100, System: 100, Idle: 850, Steal: 50}, 50},
		{"no delta", base, base, 0},
		{"zero readings", CPUTimes{}, CPUTimes{}, 0},
		{"total backwards", base, CPUTimes{User: 1, Idle: 1}, 0},
		{"busy backwards (iowait went down, idle up)", CPUTimes{User: 100, IOWait: 0, Idle: 100}, CPUTimes{User: 90, Idle: 120}, 0},
		{"first sample from zero", CPUTimes{}, base, 20},
		{"iowait going backwards cannot exceed 100", CPUTimes{User: 0, IOWait: 100}, CPUTimes{User: 100, IOWait: 10}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CPUPercent(tt.prev, tt.cur)
			if math.IsNaN(got) || math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("CPUPercent = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCPURateKnowsWhenItCannot: a rate needs two readings some time apart.
func TestCPURateKnowsWhenItCannot(t *testing.T) {
	a := CPUTimes{User: 100, Idle: 900}
	b := CPUTimes{User: 150, Idle: 950}
	if _, ok := CPURate(CPUTimes{}, a); ok {
		t.Error("a rate from one reading")
	}
	if _, ok := CPURate(a, a); ok {
		t.Error("a rate with no time between the readings")
	}
	if _, ok := CPURate(b, a); ok {
		t.Error("a rate from counters that went backwards")
	}
	if p, ok := CPURate(a, b); !ok || p != 50 {
		t.Errorf("rate %v %v, want 50", p, ok)
	}
	idle := CPUTimes{User: 100, Idle: 1000}
	if p, ok := CPURate(a, idle); !ok || p != 0 {
		t.Errorf("a measured idle CPU is 0 and known: %v %v", p, ok)
	}
}

func TestStatCounters(t *testing.T) {
	s, err := ParseStat([]byte("cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 1 1 1\ncpu1 0 1 2 3\nintr 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Counters()
	want := backend.CPUCounters{User: 1, Nice: 2, System: 3, Idle: 4, IOWait: 5, IRQ: 6, SoftIRQ: 7, Steal: 8, CPUs: 2}
	if *c != want {
		t.Fatalf("Counters = %+v, want %+v", *c, want)
	}
	if c.Busy() != s.CPU.Busy() || c.Total() != s.CPU.Total() {
		t.Fatalf("busy/total differ: %d/%d against %d/%d", c.Busy(), c.Total(), s.CPU.Busy(), s.CPU.Total())
	}
	if got := (CPUTimes{}).Counters(-1); got.CPUs != 0 {
		t.Fatalf("negative cpu count: %+v", got)
	}
}
