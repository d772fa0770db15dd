package winhost

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

const (
	idWSL     = "EED44DAF-4F7E-4CF5-82FD-F9C8EBF8DB82"
	idHyperV  = "5A1C9E2B-0D8F-4C61-9E7A-2B3C4D5E6F70"
	idSandbox = "A8DC5139-5E6D-4EE6-B955-D7E400D2F447"
)

func TestBuildVMListElevated(t *testing.T) {
	systems := []hcsSystem{
		{ID: idHyperV, Owner: "VMMS", Type: "VirtualMachine", State: "Running", Name: "Ubuntu Server",
			Stats: &hcsStatistics{MemoryCommitBytes: 4 << 30, ProcessorTotal100ns: 25 * sec100ns}},
		{ID: idWSL, Owner: "WSL", Type: "VirtualMachine", State: "Running",
			Stats: &hcsStatistics{MemoryCommitBytes: 6 << 30, ProcessorTotal100ns: 90 * sec100ns}},
		{ID: idSandbox, Owner: "Madrid", Type: "VirtualMachine", State: "Running", Err: tag(errors.New("denied"), errDenied)},
		{ID: "0000", Owner: "VMMS", Err: tag(errors.New("gone"), errGone)},
	}
	procs := []vmProc{
		{procInfo{PID: 10, Name: "vmmem.exe", WorkingSet: 1 << 30}, `NT VIRTUAL MACHINE\` + idHyperV},
		{procInfo{PID: 11, Name: "vmmemWSL", WorkingSet: 5 << 30}, `NT VIRTUAL MACHINE\` + strings.ToLower(idWSL)},
		{procInfo{PID: 12, Name: "vmmem", WorkingSet: 2 << 30}, ""}, // its user could not be read
	}
	l := buildVMList(systems, nil, procs)
	got := ""
	for _, v := range l.VMs {
		got += fmt.Sprintf("%s|%s|%s|%s|%d|%s\n", v.Kind, v.Owner, v.ID, v.Process, v.PID, v.Note)
	}
	want := "WSL's VM|WSL|" + idWSL + "|vmmemWSL|11|\n" +
		"Hyper-V VM|VMMS|" + idHyperV + "|vmmem|10|\n" +
		"Windows Sandbox|Madrid|" + idSandbox + "||0|statistics need an elevated prompt\n" +
		"unknown|||vmmem|12|\n"
	if got != want || l.Note != "" {
		t.Fatalf("got\n%swant\n%snote %q", got, want, l.Note)
	}
	if *l.VMs[0].MemoryBytes != 6<<30 || *l.VMs[0].CPUSeconds != 90 || *l.VMs[0].ProcessBytes != 5<<30 {
		t.Errorf("WSL figures: %+v", l.VMs[0])
	}
	b, _ := json.Marshal(l.VMs[2])
	if !strings.Contains(string(b), `"memory_bytes":null`) || !strings.Contains(string(b), `"cpu_seconds":null`) {
		t.Errorf("unknown figures must be null: %s", b)
	}
}

func TestBuildVMListWithoutElevation(t *testing.T) {
	procs := []vmProc{
		{procInfo{PID: 11, Name: "vmmemWSL", WorkingSet: 5 << 30}, ""},
		{procInfo{PID: 12, Name: "vmmemwslc-7f3a", WorkingSet: 1 << 30}, ""},
		{procInfo{PID: 13, Name: "vmmem", WorkingSet: 2 << 30}, ""},
	}
	for _, c := range []struct {
		err  error
		note string
	}{
		{fmt.Errorf("hcs::GetComputeSystems: %w", syscall.Errno(5)), noteVMsDenied},
		{fmt.Errorf("hcs::GetComputeSystems: %w", syscall.Errno(0x8037011b)), noteVMsDenied},
		{&dllError{msg: "Failed to load vmcompute.dll", err: syscall.Errno(126)}, noteVMsMissing},
	} {
		l := buildVMList(nil, c.err, procs)
		if l.Note != c.note || len(l.VMs) != 3 || l.VMs[0].Kind != KindWSL || l.VMs[1].Kind != KindWSLC ||
			l.VMs[2].Kind != KindUnknownVM || *l.VMs[2].ProcessBytes != 2<<30 {
			t.Errorf("%v: %+v", c.err, l)
		}
	}
	if l := buildVMList(nil, nil, nil); l.VMs == nil {
		t.Error("no VMs must be an empty list, not null")
	}
}

func TestVMKind(t *testing.T) {
	cases := map[[3]string]string{
		{"WSL", "", ""}:                      KindWSL,
		{"WSL", "", "vmmemwslc-1"}:           KindWSLC, // early WSLC VMs had owner WSL
		{"wslc-session", "", ""}:             KindWSLC,
		{"VMMS", "DockerDesktopVM", "vmmem"}: KindDocker,
		{"docker", "", ""}:                   KindDocker,
		{"Madrid", "", ""}:                   KindSandbox,
		{"VMMS", "Windows 11 dev", "vmmem"}:  KindHyperV,
		{"", "", "vmmem"}:                    KindUnknownVM,
		{"", "", "vmmemWSL"}:                 KindWSL,
		{"SomethingElse", "", ""}:            KindUnknownVM,
	}
	for in, want := range cases {
		if got := vmKind(in[0], in[1], in[2]); got != want {
			t.Errorf("vmKind%q = %q, want %q", in, got, want)
		}
	}
	if vmIDOfUser(`nt virtual machine\{`+idWSL+`}`) != normGUID(idWSL) || vmIDOfUser(`HOST\me`) != "" || vmIDOfUser("") != "" {
		t.Error("vmIDOfUser")
	}
	if !isVMProcess("vmmem.exe") || !isVMProcess("vmmemWSL") || isVMProcess("vmm") || isVMProcess("explorer.exe") {
		t.Error("isVMProcess")
	}
}
