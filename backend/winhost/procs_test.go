package winhost

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/wsldash/wsldash/backend"
)

func TestVmmemSuffixSupported(t *testing.T) {
	cases := []struct {
		build, ubr uint32
		want       bool
	}{
		{19041, 0, false}, {19045, 5000, false}, // Windows 10
		{20348, 2000, false},                  // Server 2022
		{22000, 0, false}, {22000, 70, false}, // Windows 11 21H2 before .71
		{22000, 71, true}, {22000, 3000, true},
		{22001, 71, false}, // only 22000 gets the UBR rule
		{22137, 0, false}, {22138, 0, true}, {22349, 0, true}, {22350, 0, false},
		{22419, 0, false}, {22420, 0, true}, {22621, 0, true}, {26100, 0, true},
		{0, 0, false}, {math.MaxUint32, 0, true},
	}
	for _, c := range cases {
		if got := vmmemSuffixSupported(c.build, c.ubr); got != c.want {
			t.Errorf("vmmemSuffixSupported(%d, %d) = %v, want %v", c.build, c.ubr, got, c.want)
		}
	}
}

func procs(names ...string) []procInfo {
	out := make([]procInfo, len(names))
	for i, n := range names {
		out[i] = procInfo{PID: uint32(4 * (i + 1)), Name: n}
	}
	return out
}

func TestPickVMProcess(t *testing.T) {
	cases := []struct {
		name   string
		procs  []procInfo
		suffix bool
		want   pickResult
		pid    uint32
	}{
		{"win11 vmmemWSL", procs("System", "vmmemWSL", "explorer.exe"), true, pickFound, 8},
		{"win11 ignores vmmem", procs("vmmem", "explorer.exe"), true, pickNone, 0},
		{"win11 prefers vmmemWSL", procs("vmmem", "vmmemWSL"), true, pickFound, 8},
		{"win10 vmmem", procs("System", "vmmem"), false, pickFound, 8},
		{"win10 vmmemWSL still wins", procs("vmmem", "vmmemWSL"), false, pickFound, 8},
		{"WSLC never", procs("vmmemWSLC", "vmmemwslc-session", "vmmemDocker"), true, pickNone, 0},
		{"WSLC never on win10", procs("vmmemWSLC"), false, pickNone, 0},
		{"case matters", procs("VMMEMWSL", "vmmemwsl"), true, pickNone, 0},
		{"exe suffix tolerated", procs("vmmemWSL.exe"), true, pickFound, 4},
		{"two vmmemWSL", procs("vmmemWSL", "vmmemWSL"), true, pickAmbiguous, 0},
		{"two vmmem on win10", procs("vmmem", "vmmem"), false, pickAmbiguous, 0},
		{"empty", nil, true, pickNone, 0},
		{"no name", procs(""), false, pickNone, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, res := pickVMProcess(c.procs, c.suffix)
			if res != c.want || p.PID != c.pid {
				t.Fatalf("got pid %d result %d, want pid %d result %d", p.PID, res, c.pid, c.want)
			}
		})
	}
}

// snapEntry is one process to encode with buildSnapshot.
type snapEntry struct {
	pid          uint32
	name         string
	created      int64
	user, kernel uint64
	ws           uint64
}

// buildSnapshot lays out a SystemProcessInformation buffer as Windows does: entries chained by
// NextEntryOffset with thread records (here, padding) after each, names at the end of the
// buffer referenced by absolute address base+offset.
func buildSnapshot(base uintptr, entries []snapEntry) []byte {
	const threads = 80 // bytes of thread records after each entry
	stride := spiSize + threads
	namesAt := stride * len(entries)
	var names []byte
	buf := make([]byte, namesAt)
	for i, e := range entries {
		o := i * stride
		if i < len(entries)-1 {
			binary.LittleEndian.PutUint32(buf[o+spiNext:], uint32(stride))
		}
		binary.LittleEndian.PutUint64(buf[o+spiCreate:], uint64(e.created))
		binary.LittleEndian.PutUint64(buf[o+spiUser:], e.user)
		binary.LittleEndian.PutUint64(buf[o+spiKernel:], e.kernel)
		putPtr(buf[o+spiPID:], uintptr(e.pid))
		putPtr(buf[o+spiWorkingSet:], uintptr(e.ws))
		if e.name != "" {
			u := utf16.Encode([]rune(e.name))
			binary.LittleEndian.PutUint16(buf[o+spiNameLen:], uint16(2*len(u)))
			putPtr(buf[o+spiNameBuf:], base+uintptr(namesAt+len(names)))
			for _, c := range u {
				names = binary.LittleEndian.AppendUint16(names, c)
			}
			names = append(names, 0, 0) // terminator, not counted in Length
		}
	}
	return append(buf, names...)
}

func putPtr(b []byte, v uintptr) {
	if ptrSize == 8 {
		binary.LittleEndian.PutUint64(b, uint64(v))
	} else {
		binary.LittleEndian.PutUint32(b, uint32(v))
	}
}

var sampleSnapshot = []snapEntry{
	{pid: 0, name: ""}, // System Idle Process has no name
	{pid: 4, name: "System", created: 1, kernel: 5e7, ws: 150 << 10},
	{pid: 2156, name: "vmmemWSL", created: 133000000000000000, user: 1234, kernel: 4321, ws: 6 << 30},
	{pid: 9000, name: "WindowsTerminal.exe", created: 133000000000000001, user: 10, ws: 80 << 20},
	{pid: 9004, name: "bash-ünïcødé-😀.exe", created: 2},
}

func TestParseProcessSnapshot(t *testing.T) {
	const base = uintptr(0x7ff600000000 & uint64(^uintptr(0)))
	buf := buildSnapshot(base, sampleSnapshot)
	got, err := parseProcessSnapshot(buf, base)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]procInfo, len(sampleSnapshot))
	for i, e := range sampleSnapshot {
		want[i] = procInfo{PID: e.pid, Name: e.name, Created: e.created, WorkingSet: e.ws, CPU100ns: e.user + e.kernel}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	if p, res := pickVMProcess(got, true); res != pickFound || p.PID != 2156 || p.WorkingSet != 6<<30 {
		t.Fatalf("pick from snapshot: %+v %d", p, res)
	}
}

func TestParseProcessSnapshotCorrupt(t *testing.T) {
	const base = uintptr(0x100000)
	good := buildSnapshot(base, sampleSnapshot[:3])
	cases := map[string]func() []byte{
		"empty":     func() []byte { return nil },
		"truncated": func() []byte { return good[:spiSize-1] },
		"next past end": func() []byte {
			b := append([]byte(nil), good...)
			binary.LittleEndian.PutUint32(b[spiNext:], uint32(len(b)))
			return b
		},
		"next too small (loop)": func() []byte {
			b := append([]byte(nil), good...)
			binary.LittleEndian.PutUint32(b[spiNext:], 8)
			return b
		},
		"name before buffer": func() []byte {
			b := append([]byte(nil), good...)
			o := spiSize + 80 // second entry ("System")
			putPtr(b[o+spiNameBuf:], base-2)
			return b
		},
		"name past end": func() []byte {
			b := append([]byte(nil), good...)
			o := spiSize + 80
			putPtr(b[o+spiNameBuf:], base+uintptr(len(b))-2)
			return b
		},
		"name far away": func() []byte {
			b := append([]byte(nil), good...)
			o := spiSize + 80
			putPtr(b[o+spiNameBuf:], ^uintptr(0)-1)
			return b
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := parseProcessSnapshot(mk(), base); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

// FuzzParseProcessSnapshot: any buffer and base decode without panicking, the entry count is
// bounded by the buffer size and every name is valid UTF-8.
func FuzzParseProcessSnapshot(f *testing.F) {
	const base = 0x100000
	f.Add(buildSnapshot(base, sampleSnapshot), uint64(base))
	f.Add(buildSnapshot(base, sampleSnapshot[2:3]), uint64(base))
	f.Add([]byte{}, uint64(0))
	f.Fuzz(func(t *testing.T, buf []byte, b uint64) {
		got, _ := parseProcessSnapshot(buf, uintptr(b))
		if len(got) > len(buf)/spiSize {
			t.Fatalf("%d entries from %d bytes", len(got), len(buf))
		}
		for _, p := range got {
			if !utf8.ValidString(p.Name) {
				t.Fatalf("invalid UTF-8 name %q", p.Name)
			}
		}
	})
}

func TestCPUPercent(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sec := uint64(1e7) // one second in 100 ns units
	mk := func(at time.Duration, busy uint64, key string) cpuMark {
		return cpuMark{At: t0.Add(at), Busy: busy, Key: key}
	}
	cases := []struct {
		name      string
		prev, cur cpuMark
		ncpu      int
		want      float64
		tolerance float64
	}{
		{"first sample", cpuMark{}, mk(time.Second, 5*sec, "a"), 8, 0, 0},
		{"one core of eight", mk(0, 0, "a"), mk(time.Second, sec, "a"), 8, 12.5, 1e-9},
		{"all of four", mk(0, 10*sec, "a"), mk(2*time.Second, 18*sec, "a"), 4, 100, 1e-9},
		{"half of one", mk(0, 0, "a"), mk(2*time.Second, sec, "a"), 1, 50, 1e-9},
		{"idle", mk(0, 7, "a"), mk(time.Second, 7, "a"), 2, 0, 0},
		{"clamped", mk(0, 0, "a"), mk(time.Second, 3*sec, "a"), 2, 100, 0},
		{"counter reset", mk(0, 9*sec, "a"), mk(time.Second, sec, "a"), 2, 0, 0},
		{"other counter", mk(0, 0, "a"), mk(time.Second, sec, "b"), 2, 0, 0},
		{"clock stood still", mk(time.Second, 0, "a"), mk(time.Second, sec, "a"), 2, 0, 0},
		{"clock went back", mk(2*time.Second, 0, "a"), mk(time.Second, sec, "a"), 2, 0, 0},
		{"no cpus", mk(0, 0, "a"), mk(time.Second, sec, "a"), 0, 0, 0},
		{"sub-second", mk(0, 0, "a"), mk(250*time.Millisecond, sec/8, "a"), 1, 50, 1e-9},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := cpuPercent(c.prev, c.cur, c.ncpu)
			if math.Abs(got-c.want) > c.tolerance {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func BenchmarkPickVMProcess(b *testing.B) {
	ps := make([]procInfo, 400)
	for i := range ps {
		ps[i] = procInfo{PID: uint32(i * 4), Name: fmt.Sprintf("proc%d.exe", i)}
	}
	ps[321].Name = "vmmemWSL"
	b.ReportAllocs()
	for b.Loop() {
		if _, r := pickVMProcess(ps, true); r != pickFound {
			b.Fatal(r)
		}
	}
}

func BenchmarkParseProcessSnapshot(b *testing.B) {
	const base = 0x100000
	es := make([]snapEntry, 400)
	for i := range es {
		es[i] = snapEntry{pid: uint32(i * 4), name: fmt.Sprintf("process-number-%d.exe", i), ws: 1 << 20}
	}
	buf := buildSnapshot(base, es)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseProcessSnapshot(buf, base); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCPUPercent(b *testing.B) {
	t0 := time.Unix(0, 0)
	prev := cpuMark{At: t0, Busy: 1, Key: "k"}
	cur := cpuMark{At: t0.Add(time.Second), Busy: 5e6, Key: "k"}
	b.ReportAllocs()
	var s float64
	for b.Loop() {
		s += cpuPercent(prev, cur, 8)
	}
	if s == 0 {
		b.Fatal("zero")
	}
}

func TestOtherVMProcesses(t *testing.T) {
	procs := []procInfo{
		{PID: 9, Name: "vmmemwslc-b"}, {PID: 1, Name: "vmmemWSL"}, {PID: 2, Name: "vmmem"}, {PID: 3, Name: "VMMEM.EXE"},
		{PID: 8, Name: "vmmemwslc-a.exe", WorkingSet: 5}, {PID: 7, Name: "vmmemwsl.exe"}, {PID: 6, Name: "explorer.exe"},
		{PID: 5, Name: "vmmemwslc-b"}, {PID: 4, Name: ""},
	}
	got := otherVMProcesses(procs)
	want := []backend.VMProcess{{Process: "vmmemwslc-a", Bytes: 5}, {Process: "vmmemwslc-b"}, {Process: "vmmemwslc-b"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got := otherVMProcesses(procs[1:3]); got != nil {
		t.Fatalf("only WSL's names: %+v, want nil", got)
	}
}
