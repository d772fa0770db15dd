package procfs

import (
	"strings"
	"testing"
)

func TestParseProcStat(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want ProcStat
	}{
		{"live cat", readTestdata(t, "live/self_stat"), ProcStat{PID: 3356, Comm: "cat", State: 'R', PPID: 3347,
			StartTime: 26844, NumThreads: 1, RSSPages: 382}},
		{"comm with blank and paren", readTestdata(t, "live/weird_comm_stat"), ProcStat{PID: 3360, Comm: "a b) c", State: 'S',
			PPID: 3359, StartTime: 26846, NumThreads: 1, RSSPages: 425}},
		{"fake init", readTestdata(t, "fakeproc/1/stat"), ProcStat{PID: 1, Comm: "init", State: 'S', UTime: 300, STime: 100,
			StartTime: 5, NumThreads: 1, RSSPages: 300}},
		{"kernel thread", readTestdata(t, "fakeproc/77/stat"), ProcStat{PID: 77, Comm: "kworker/0:1-events", State: 'I',
			PPID: 2, StartTime: 40, NumThreads: 1}},
		{"comm that fakes the fields", []byte("9 () R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22) S 1 0 0 0 0 0 0 0 0 0 7 8 0 0 0 0 2 0 99 0 -1 0\n"),
			ProcStat{PID: 9, Comm: ") R 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22", State: 'S', PPID: 1, UTime: 7, STime: 8,
				NumThreads: 2, StartTime: 99, RSSPages: -1}},
		{"comm with newline, empty comm", []byte("5 (\n) Z 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0"),
			ProcStat{PID: 5, Comm: "\n", State: 'Z', PPID: 1, NumThreads: 1, StartTime: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProcStat(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseProcStatErrors(t *testing.T) {
	full := " S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0\n"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"no (comm)"}},
		{"no parens", "1 init S 0", []string{"no (comm)"}},
		{"paren order", "1 )init( S 0", []string{"no (comm)"}},
		{"bad pid", "x (init)" + full, []string{"bad pid"}},
		{"negative pid", "-1 (init)" + full, []string{"bad pid"}},
		{"truncated", "1 (init) S 1 0 0", []string{"want 22 fields", "got 4"}},
		{"long state", "1 (init) SS 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0", []string{"field 3"}},
		{"bad utime", "1 (init) S 1 0 0 0 0 0 0 0 0 0 x 0 0 0 0 0 1 0 1 0 0", []string{"field 14", `"x"`}},
		{"bad rss", "1 (init) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 z", []string{"field 24"}},
		{"huge threads", "1 (init) S 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 99999999999 0 1 0 0", []string{"field 20"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProcStat([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error, got %+v", p)
			}
			wantParseErr(t, err, "parse process stat", tt.want...)
		})
	}
}

func TestParseProcStatus(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want ProcStatus
	}{
		{"live cat", readTestdata(t, "live/self_status"), ProcStatus{Name: "cat", UID: 0, VmRSS: 1668 * 1024, Threads: 1}},
		{"live weird", readTestdata(t, "live/weird_comm_status"), ProcStatus{Name: "a b) c", VmRSS: 1808 * 1024, Threads: 1}},
		{"fake user process", readTestdata(t, "fakeproc/42/status"), ProcStatus{Name: "a b) c", UID: 1000, VmRSS: 1700 * 1024, Threads: 3}},
		{"kernel thread without VmRSS", readTestdata(t, "fakeproc/77/status"), ProcStatus{Name: "kworker/0:1-events", Threads: 1}},
		{"escaped name", []byte("Name:\ta\\nb\\\\c\\t\nUid:\t5\t6\t7\t8\n"), ProcStatus{Name: "a\nb\\c\\t", UID: 5}},
		{"name with edge blanks", []byte("Name:\t x \nUid:\t1\n"), ProcStatus{Name: " x ", UID: 1}},
		{"empty name", []byte("Name:\t\nUid:\t1\n"), ProcStatus{UID: 1}},
		{"VmRSS without unit", []byte("Name:\tx\nUid:\t1\nVmRSS:\t3\n"), ProcStatus{Name: "x", UID: 1, VmRSS: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseProcStatus(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseProcStatusErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"no Name"}},
		{"no uid", "Name:\tx\n", []string{"no Uid"}},
		{"bad uid", "Name:\tx\nUid:\tme\n", []string{"line 2", "bad uid"}},
		{"negative uid", "Name:\tx\nUid:\t-1\t0\n", []string{"line 2", "bad uid"}},
		{"bad VmRSS", "Name:\tx\nUid:\t1\nVmRSS:\t1 MB\n", []string{"line 3", "VmRSS"}},
		{"VmRSS overflow", "Name:\tx\nUid:\t1\nVmRSS:\t18014398509481984 kB\n", []string{"line 3", "VmRSS"}},
		{"bad Threads", "Name:\tx\nUid:\t1\nThreads:\tmany\n", []string{"line 3", "Threads"}},
		{"no colon", "Name:\tx\nUid:\t1\n" + strings.Repeat("z", 100) + "\n", []string{"line 3", "no ':'", "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseProcStatus([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error, got %+v", p)
			}
			wantParseErr(t, err, "parse process status", tt.want...)
		})
	}
}
