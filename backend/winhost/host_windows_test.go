//go:build windows

package winhost

import (
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/Microsoft/hcsshim"
)

func TestFromHCSStatistics(t *testing.T) {
	ts := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	var s hcsshim.Statistics
	s.Timestamp = ts
	s.Uptime100ns = 42
	s.Processor.TotalRuntime100ns = 1000
	s.Processor.RuntimeUser100ns = 600
	s.Memory.UsageCommitBytes = 7
	s.Memory.UsagePrivateWorkingSetBytes = 9
	got := fromHCSStatistics(s)
	want := hcsStatistics{Timestamp: ts, Uptime100ns: 42, ProcessorTotal100ns: 1000, MemoryCommitBytes: 7, MemoryPrivateWorkingSetBytes: 9}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestNormHCSErr(t *testing.T) {
	denied := &hcsshim.ContainerError{Operation: "hcs::OpenComputeSystem", Err: syscall.Errno(5)}
	if err := normHCSErr(denied); !isAccessDenied(err) || err.Error() != denied.Error() {
		t.Fatalf("denied: %v", err)
	}
	gone := &hcsshim.ContainerError{Operation: "x", Err: hcsshim.ErrComputeSystemDoesNotExist}
	if !isGone(normHCSErr(gone)) {
		t.Fatal("gone not recognised")
	}
	other := errors.New("x")
	if normHCSErr(other) != other || normHCSErr(nil) != nil {
		t.Fatal("other errors must pass through")
	}
}

// TestSamplerOnThisMachine takes real samples; it asserts only what holds on any Windows with
// or without WSL: no error, and host memory present.
func TestSamplerOnThisMachine(t *testing.T) {
	h := NewHost()
	defer h.Close()
	for range 2 {
		hv, err := h.Sample(t.Context())
		if err != nil || hv == nil || hv.TotalBytes == 0 || hv.AvailableBytes > hv.TotalBytes {
			t.Fatalf("%+v, %v", hv, err)
		}
		t.Logf("%+v", *hv)
	}
	regs, err := ReadRegistrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regs {
		t.Logf("%+v v%d disk %s", r, r.Version(), r.DiskPath())
	}
}
