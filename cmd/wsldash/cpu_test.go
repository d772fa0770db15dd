package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// rateBackend answers Sample like a real backend: no CPU figure until its unknown-th reading.
type rateBackend struct {
	backend.Backend
	n, unknown int
	err        error
}

func (r *rateBackend) Sample(context.Context) (backend.Sample, error) {
	r.n++
	s := backend.Sample{Time: time.Unix(int64(r.n), 0), Guest: backend.GuestMemory{TotalBytes: 1 << 30}}
	if r.n > r.unknown {
		s.CPUPercent = backend.Percent(12.34)
	}
	return s, r.err
}

// TestPrimedSampleWaitsForARate: `stats` reads until the backend can give a rate (the wsl
// probe's frames are 1 s apart, so one 250 ms wait is not always enough), through the injected
// wait: no sleeping here.
func TestPrimedSampleWaitsForARate(t *testing.T) {
	var waited time.Duration
	wait := func(_ context.Context, d time.Duration) { waited += d }
	b := &rateBackend{unknown: 3}
	s, err := primedSample(context.Background(), b, wait, 250*time.Millisecond, nil)
	if err != nil || s.CPUPercent == nil || *s.CPUPercent != 12.34 {
		t.Fatalf("primed sample: %v, %v", s.CPUPercent, err)
	}
	if b.n != 4 || waited != 750*time.Millisecond {
		t.Fatalf("%d readings, %v waited; want 4 and 750ms", b.n, waited)
	}
	// A backend that never gives a rate: bounded, and the figure stays unknown.
	b = &rateBackend{unknown: 1 << 30}
	s, err = primedSample(context.Background(), b, wait, time.Millisecond, nil)
	if err != nil || s.CPUPercent != nil || b.n != primeTries+1 {
		t.Fatalf("never known: cpu %v, %d readings, %v", s.CPUPercent, b.n, err)
	}
	// A stopped VM: no waiting for a CPU it does not have.
	b = &rateBackend{unknown: 1 << 30, err: &backend.Error{Kind: backend.KindNotRunning}}
	if _, err = primedSample(context.Background(), b, wait, time.Millisecond, nil); b.n != 1 || err == nil {
		t.Fatalf("stopped: %d readings, %v", b.n, err)
	}
}

// TestUnknownCPUIsNullNotZero: the JSON contract says null for a CPU figure that is not known
// (the first reading of a watch), and keeps a measured 0 as 0; human output shows "—".
func TestUnknownCPUIsNullNotZero(t *testing.T) {
	info := backend.Info{Backend: "wsl"}
	for _, c := range []struct {
		cpu  *float64
		want string
	}{{nil, `"cpu_percent":null`}, {backend.Percent(0), `"cpu_percent":0`}, {backend.Percent(12.34), `"cpu_percent":12.3`}} {
		var buf bytes.Buffer
		s := backend.Sample{Time: time.Unix(0, 0), CPUPercent: c.cpu, Host: &backend.HostView{VMProcess: "vmmemWSL"}}
		if err := writeJSON(&buf, toJSON(info, s, nil, nil)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), c.want) {
			t.Errorf("cpu %v: %s, want %s", c.cpu, buf.String(), c.want)
		}
		if c.cpu == nil {
			var m map[string]any
			json.Unmarshal(buf.Bytes(), &m)
			if _, ok := m["host"].(map[string]any)["vm_cpu_percent"]; ok {
				t.Errorf("an unknown host CPU is in the JSON: %s", buf.String())
			}
			var h bytes.Buffer
			printSample(&h, s, false)
			printSample(&h, s, true)
			// — for the CPU in each form, the VM's CPU, and (watch line) its unsized process.
			if strings.Contains(h.String(), "0.0%") || strings.Count(h.String(), units.Unknown) != 4 {
				t.Errorf("human output shows an unknown CPU as a number:\n%s", h.String())
			}
		}
	}
}
