package backend

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestProcessCPUUnknownIsNull: a process's first scan has no CPU rate; JSON says null, a
// measured 0 stays 0, and both read back as they were.
func TestProcessCPUUnknownIsNull(t *testing.T) {
	ps := []Process{
		{PID: 7, Name: "new", User: "dev", CPUUnknown: true, RSSBytes: 4096},
		{PID: 8, Name: "idle", User: "dev", RSSBytes: 8192, Distro: "Ubuntu"},
		{PID: 9, Name: "busy", User: "dev", CPUPercent: 150.5},
	}
	raw, err := json.Marshal(ps)
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	for _, want := range []string{`"pid":7,"name":"new","user":"dev","rss_bytes":4096,"cpu_percent":null`,
		`"cpu_percent":0`, `"cpu_percent":150.5`, `"distro":"Ubuntu"`} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "CPUUnknown") || strings.Count(s, "cpu_percent") != 3 {
		t.Errorf("JSON fields: %s", s)
	}
	var back []Process
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		if back[i] != ps[i] {
			t.Errorf("round trip %d: %+v, want %+v", i, back[i], ps[i])
		}
	}
}
