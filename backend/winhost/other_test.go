//go:build !windows

package winhost

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func TestReadRegistrationsUnsupported(t *testing.T) {
	regs, err := ReadRegistrations()
	if regs != nil || backend.KindOf(err) != backend.KindUnsupported || !errors.Is(err, backend.ErrUnsupported) {
		t.Fatalf("got %v, %v; want nil and KindUnsupported", regs, err)
	}
}

// Off Windows, Sample returns a nil HostView and a KindUnsupported error (never panics), so a
// backend can leave Sample.Host nil.
func TestHostSampleUnsupported(t *testing.T) {
	h := NewHost()
	for range 2 {
		hv, err := h.Sample(context.Background())
		if hv != nil || backend.KindOf(err) != backend.KindUnsupported {
			t.Fatalf("got %v, %v; want nil and KindUnsupported", hv, err)
		}
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDiskUsageStat(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ext4.vhdx")
	if err := os.WriteFile(p, make([]byte, 12345), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := DiskUsage(p)
	if err != nil || n != 12345 {
		t.Fatalf("DiskUsage = %d, %v", n, err)
	}
	_, err = DiskUsage(filepath.Join(dir, "missing.vhdx"))
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.KindNotFound || be.Op != "disk usage" {
		t.Fatalf("missing file: %#v", err)
	}
	if os.Geteuid() != 0 { // root reads anything
		locked := filepath.Join(dir, "locked")
		if err := os.Mkdir(locked, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := DiskUsage(filepath.Join(locked, "x")); backend.KindOf(err) != backend.KindPermission {
			t.Fatalf("unreadable dir: %v", err)
		}
	}
}
