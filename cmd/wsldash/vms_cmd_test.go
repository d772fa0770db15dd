package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/demo"
)

// hostVMs is a backend whose VMLister answers with a fixed list (the wsl backend on Windows).
type hostVMs struct {
	backend.Backend
	l backend.VMList
}

func (h hostVMs) VMs(context.Context) (backend.VMList, error) { return h.l, nil }

func TestVMsCommand(t *testing.T) {
	// local lists no VMs: it says so rather than ask HCS from a machine that has none.
	if _, _, err := run(t, "vms", "--backend", "local"); backend.KindOf(err) != backend.KindUnsupported ||
		!strings.Contains(err.Error(), "cannot list the Windows host's VMs") {
		t.Fatalf("vms on local: %v", err)
	}
	mem, cpu, pmem := uint64(6<<30), 90.0, uint64(5<<30)
	a := newApp()
	a.wrap = func(b backend.Backend) backend.Backend {
		return hostVMs{b, backend.VMList{VMs: []backend.VM{
			{Kind: backend.VMKindWSL, ID: "EED44DAF", Owner: "WSL", Type: "VirtualMachine", State: "Running",
				MemoryBytes: &mem, CPUSeconds: &cpu, Process: "vmmemWSL", PID: 11, ProcessBytes: &pmem},
			{Kind: backend.VMKindUnknown, Process: "vmmem", PID: 12, ProcessBytes: &pmem},
		}, Note: "HCS needs an elevated prompt"}}
	}
	out, _, err := runApp(t, a, "vms", "--backend", "local")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"KIND", "WSL's VM", "EED44DAF", "6.0 GiB", "90.0s", "vmmemWSL", "unknown", "note: HCS needs an elevated prompt"} {
		if !strings.Contains(out, want) {
			t.Errorf("human output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runApp(t, a, "vms", "--backend", "local", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		VMs []map[string]any `json:"vms"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.VMs) != 2 || got.VMs[0]["owner"] != "WSL" ||
		got.VMs[1]["memory_bytes"] != nil || got.VMs[1]["process_bytes"] != float64(5<<30) {
		t.Fatalf("%v: %s", err, out)
	}
}

// `wsldash --demo vms` lists the demo's VMs, the ones the dashboard's view 7 shows (both ask the
// demo's VMLister), labelled as the demo's.
func TestVMsDemo(t *testing.T) {
	a := newApp()
	out, errOut, err := runApp(t, a, "--demo", "vms", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got backend.VMList
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want, err := demo.New(a.demoOptions()).VMs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(want.VMs) < 2 || !reflect.DeepEqual(got, want) {
		t.Fatalf("--demo vms = %+v\nthe demo's VMLister: %+v", got, want)
	}
	if !strings.Contains(errOut, demo.Label) {
		t.Errorf("JSON from the demo must be labelled on stderr: %q", errOut)
	}
	out, _, err = runApp(t, newApp(), "--demo", "vms")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[" + demo.Label + "]", "WSL's VM", "vmmemWSL", "Windows Sandbox", "statistics need an elevated prompt"} {
		if !strings.Contains(out, want) {
			t.Errorf("--demo vms lacks %q:\n%s", want, out)
		}
	}
}
