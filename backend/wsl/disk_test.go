package wsl

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// dfCalls are the df runs the double saw.
func dfCalls(f *fakewsltest.Fake) [][]string {
	var out [][]string
	for _, c := range f.Calls() {
		if len(c) > 3 && c[2] == "--exec" && c[3] == "df" {
			out = append(out, c)
		}
	}
	return out
}

func TestDiskUsageRunning(t *testing.T) {
	for _, flavour := range []string{"gnu", "busybox"} {
		b, f := newManaged(t, func(s *fakewsltest.State) {
			if flavour == "busybox" {
				s.DF = &fakewsltest.DFState{Busybox: []string{"Ubuntu"}}
			}
		})
		u, err := b.DiskUsage(context.Background(), "ubuntu")
		if err != nil {
			t.Fatal(err)
		}
		if u.Distro != "Ubuntu" || u.VHDXBytes == nil || *u.VHDXBytes != 40<<30 || u.Inside == nil {
			t.Fatalf("%s: %+v", flavour, u)
		}
		if u.Inside.UsedBytes != 12<<30 || u.Inside.SizeBytes != 1055762868*1024 || u.Inside.AvailBytes <= 0 {
			t.Fatalf("%s: inside %+v", flavour, *u.Inside)
		}
		if u.Reclaimable == nil || *u.Reclaimable != 28<<30 || u.Note != "" || !strings.Contains(u.Reclaim, "elevated") {
			t.Fatalf("%s: %+v", flavour, u)
		}
		want := [][]string{{"-d", "Ubuntu", "--exec", "df", "-P", "-k", "/"}}
		if got := dfCalls(f); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: calls %q", flavour, got)
		}
	}
}

// A stopped distro is never started to look inside: its inside and reclaimable are unknown.
func TestDiskUsageStoppedNotStarted(t *testing.T) {
	b, f := newManaged(t, nil)
	u, err := b.DiskUsage(context.Background(), "Debian")
	if err != nil {
		t.Fatal(err)
	}
	if u.VHDXBytes == nil || *u.VHDXBytes != 8<<30 || u.Inside != nil || u.Reclaimable != nil {
		t.Fatalf("%+v", u)
	}
	if !strings.Contains(u.Note, "does not start a distro") {
		t.Fatalf("note %q", u.Note)
	}
	if got := dfCalls(f); len(got) != 0 {
		t.Fatalf("df ran: %q", got)
	}
	b.invalidate()
	ds, _ := b.Distros(context.Background())
	if d, _ := byName(ds, "Debian"); d.State != backend.StateStopped {
		t.Fatalf("Debian is %s", d.State)
	}
}

func TestDiskUsageUnknowns(t *testing.T) {
	// No df in the distro: wsl.exe's execvpe error; the VHDX size still comes.
	b, _ := newManaged(t, func(s *fakewsltest.State) { s.DF = &fakewsltest.DFState{Missing: []string{"Ubuntu"}} })
	u, err := b.DiskUsage(context.Background(), "Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	if u.VHDXBytes == nil || u.Inside != nil || u.Reclaimable != nil || !strings.Contains(u.Note, "df inside failed") {
		t.Fatalf("missing df: %+v", u)
	}
	// No registry (Linux, outside WSL): the file's size is unknown, the inside is not.
	b2, _, _ := newBackend(t, manageState(t), nil)
	u, err = b2.DiskUsage(context.Background(), "Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	if u.VHDXBytes != nil || u.Inside == nil || u.Reclaimable != nil || !strings.Contains(u.Note, "registry") {
		t.Fatalf("no registry: %+v", u)
	}
	// WSL 1: no virtual disk, nothing asked.
	b3, f3 := newManaged(t, func(s *fakewsltest.State) { s.Distros[0].Version = 1 })
	u, err = b3.DiskUsage(context.Background(), "Ubuntu")
	if err != nil || u.VHDXBytes != nil || u.Inside != nil || u.Reclaim != "" || !strings.Contains(u.Note, "WSL 1") {
		t.Fatalf("wsl1: %+v %v", u, err)
	}
	if len(dfCalls(f3)) != 0 {
		t.Fatal("df ran for WSL 1")
	}
	if _, err := b3.DiskUsage(context.Background(), "nope"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("unknown distro: %v", err)
	}
}

// A df that hangs costs one timeout: the error comes back with what is known (the file's size).
func TestDiskUsageHungDF(t *testing.T) {
	st := manageState(t)
	st.Fail = &fakewsltest.Fail{Mode: "hang", Match: "--exec df"}
	var f *fakewsltest.Fake
	b, f, _ := newBackend(t, st, func(o *Options) { o.Host = hostRef{&f}; o.Timeout = 300 * time.Millisecond })
	u, err := b.DiskUsage(context.Background(), "Ubuntu")
	if !errors.Is(err, backend.ErrTimeout) {
		t.Fatalf("err %v", err)
	}
	if u.VHDXBytes == nil || *u.VHDXBytes != 40<<30 || u.Inside != nil || u.Reclaimable != nil || !strings.Contains(u.Note, "did not answer") {
		t.Fatalf("%+v", u)
	}
	if n := len(dfCalls(f)); n != 1 {
		t.Fatalf("df started %d times", n)
	}
}
