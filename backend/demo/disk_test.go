package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func TestDiskUsage(t *testing.T) {
	b, _ := newTest(Options{Seed: 1})
	ctx := context.Background()
	u, err := b.DiskUsage(ctx, "ubuntu-24.04")
	if err != nil {
		t.Fatal(err)
	}
	if u.VHDXBytes == nil || *u.VHDXBytes != 38_654_705_664 || u.Inside == nil || u.Reclaimable == nil {
		t.Fatalf("running: %+v", u)
	}
	if *u.Reclaimable != *u.VHDXBytes-u.Inside.UsedBytes || u.Inside.UsedBytes <= 0 || u.Reclaim == "" {
		t.Fatalf("running: %+v %+v", u, *u.Inside)
	}
	// Stopped: the file's size, the inside unknown (nil), and not started to look.
	u, err = b.DiskUsage(ctx, "Debian")
	if err != nil || u.VHDXBytes == nil || u.Inside != nil || u.Reclaimable != nil || !strings.Contains(u.Note, "does not start a distro") {
		t.Fatalf("stopped: %+v %v", u, err)
	}
	ds, _ := b.Distros(ctx)
	for _, d := range ds {
		if d.Name == "Debian" && d.State != backend.StateStopped {
			t.Fatalf("Debian %s", d.State)
		}
	}
	u, err = b.DiskUsage(ctx, "Ubuntu-18.04")
	if err != nil || u.VHDXBytes != nil || u.Inside != nil || !strings.Contains(u.Note, "WSL 1") {
		t.Fatalf("wsl1: %+v %v", u, err)
	}
	if _, err := b.DiskUsage(ctx, "nope"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("unknown: %v", err)
	}
}
