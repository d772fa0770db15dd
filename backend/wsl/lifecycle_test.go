package wsl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// WSL's lifecycle in the double, and what the backend says about it: a released distro runs
// instanceIdleTimeout more, then the VM idles vmIdleTimeout ("VM idle, stops in about N s", not
// "the VM is stopped") before it stops.
func TestLifecycleInstanceThenVMIdle(t *testing.T) {
	st := twoDistros()
	st.Distros[0].State = "Stopped" // no user shell anywhere
	b, f, clk := newBackend(t, st, nil)
	ctx := context.Background()
	if err := b.Start(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	b.Release("Debian")
	b.invalidate()
	ds, _ := b.Distros(ctx)
	if d, _ := byName(ds, "Debian"); d.State != backend.StateRunning {
		t.Fatalf("released Debian stopped at once: %+v", d)
	}
	f.Advance(16 * time.Second)
	clk.Advance(16 * time.Second)
	b.invalidate()
	ds, _ = b.Distros(ctx)
	if d, _ := byName(ds, "Debian"); d.State != backend.StateStopped {
		t.Fatalf("Debian still running 16 s after its last client: %+v", d)
	}
	if vm := f.Read().VM; vm != "Running" {
		t.Fatalf("double's VM %q right after the last distro stopped, want Running (idle)", vm)
	}
	_, err := b.Sample(ctx)
	if backend.KindOf(err) != backend.KindNotRunning || !strings.Contains(err.Error(), "VM idle, stops in about 44 s") {
		t.Fatalf("sample while the VM idles: %v", err)
	}
	f.Advance(61 * time.Second)
	clk.Advance(61 * time.Second)
	b.invalidate()
	b.Distros(ctx)
	if vm := f.Read().VM; vm != "Stopped" {
		t.Fatalf("double's VM %q 61 s after the last distro, want Stopped", vm)
	}
	if _, err := b.Sample(ctx); err == nil || !strings.Contains(err.Error(), "the VM is stopped") {
		t.Fatalf("sample after vmIdleTimeout: %v", err)
	}
}

// instanceIdleTimeout < 0: WSL never stops an idle distro.
func TestLifecycleNeverIdle(t *testing.T) {
	st := twoDistros()
	never := -1
	st.InstanceIdleMS = &never
	b, f, _ := newBackend(t, st, nil)
	ctx := context.Background()
	if err := b.Start(ctx, "Debian"); err != nil {
		t.Fatal(err)
	}
	b.Release("Debian")
	f.Advance(time.Hour)
	b.invalidate()
	ds, _ := b.Distros(ctx)
	if d, _ := byName(ds, "Debian"); d.State != backend.StateRunning {
		t.Fatalf("Debian stopped although instanceIdleTimeout is -1: %+v", d)
	}
}

// start's note comes from .wslconfig's [general] instanceIdleTimeout when it is set.
func TestInstanceIdleFromWSLConfig(t *testing.T) {
	for _, tc := range []struct {
		file        string
		want        time.Duration
		never, from bool
	}{
		{"[general]\ninstanceIdleTimeout=60000\n", time.Minute, false, true},
		{"[general]\ninstanceIdleTimeout=-1\n", 0, true, true},
		{"[wsl2]\nmemory=4GB\n", DefaultInstanceIdle, false, false},
	} {
		p := filepath.Join(t.TempDir(), ".wslconfig")
		os.WriteFile(p, []byte(tc.file), 0o644)
		t.Setenv(wslconfig.EnvOverride, p)
		b, _, _ := newBackend(t, twoDistros(), nil)
		if d, never, from := b.InstanceIdle(); d != tc.want || never != tc.never || from != tc.from {
			t.Errorf("%q: %v %v %v", tc.file, d, never, from)
		}
	}
}
