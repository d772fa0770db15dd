package main

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend/winhost"
)

func TestVMsCommand(t *testing.T) {
	if runtime.GOOS != "windows" {
		_, _, err := run(t, "vms")
		if err == nil || !strings.Contains(err.Error(), "only in the Windows build") {
			t.Fatalf("vms off Windows: %v", err)
		}
	}
	mem, cpu, pmem := uint64(6<<30), 90.0, uint64(5<<30)
	orig := listVMs
	t.Cleanup(func() { listVMs = orig })
	listVMs = func(ctx context.Context) (winhost.VMList, error) {
		return winhost.VMList{VMs: []winhost.VM{
			{Kind: winhost.KindWSL, ID: "EED44DAF", Owner: "WSL", Type: "VirtualMachine", State: "Running",
				MemoryBytes: &mem, CPUSeconds: &cpu, Process: "vmmemWSL", PID: 11, ProcessBytes: &pmem},
			{Kind: winhost.KindUnknownVM, Process: "vmmem", PID: 12, ProcessBytes: &pmem},
		}, Note: "HCS needs an elevated prompt"}, nil
	}
	out, _, err := run(t, "vms")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"KIND", "WSL's VM", "EED44DAF", "6.0 GiB", "90.0s", "vmmemWSL", "unknown", "note: HCS needs an elevated prompt"} {
		if !strings.Contains(out, want) {
			t.Errorf("human output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = run(t, "vms", "--json")
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
