package wsl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// The config store reads .wslconfig where DefaultPath finds it, and only the own distro's
// wsl.conf: another distro's, or any from Windows, would need wsl.exe and could start it.
func TestConfigStore(t *testing.T) {
	dir := t.TempDir()
	cfg, conf := filepath.Join(dir, ".wslconfig"), filepath.Join(dir, "wsl.conf")
	os.WriteFile(cfg, []byte("[wsl2]\nmemory=8GB\n"), 0o644)
	os.WriteFile(conf, []byte("[boot]\nsystemd=true\n"), 0o644)
	t.Setenv(wslconfig.EnvOverride, cfg)
	t.Setenv("WSL_DISTRO_NAME", "Ubuntu")
	ctx := context.Background()
	yes := true
	inside, err := New(Options{WSLExe: filepath.Join(dir, "no-wsl.exe"), Inside: &yes, ProcRoot: dir, Host: &fakeHost{}, WSLConf: conf})
	if err != nil {
		t.Fatal(err)
	}
	defer inside.Close()
	outside, err := New(Options{WSLExe: filepath.Join(dir, "no-wsl.exe"), Inside: no()})
	if err != nil {
		t.Fatal(err)
	}
	defer outside.Close()

	for _, b := range []*Backend{inside, outside} {
		f, err := b.WSLConfig(ctx)
		if err != nil || f.Path != cfg || !f.Exists || string(f.Text) != "[wsl2]\nmemory=8GB\n" || f.ModTime.IsZero() || f.Sample {
			t.Fatalf("WSLConfig = %+v, %v", f, err)
		}
	}
	for _, name := range []string{"Ubuntu", "ubuntu", ""} {
		f, err := inside.WSLConf(ctx, name)
		if err != nil || f.Path != conf || string(f.Text) != "[boot]\nsystemd=true\n" {
			t.Fatalf("own wsl.conf (%q) = %+v, %v", name, f, err)
		}
	}
	for _, tc := range []struct {
		b      *Backend
		distro string
		want   string
	}{
		{inside, "Debian", "Debian's wsl.conf is not read from Ubuntu (only the distro wsldash runs in); select Ubuntu"},
		{outside, "Debian", "Debian's wsl.conf is not read from Windows (reading it could start the distro)"},
		{outside, "", "Windows has no wsl.conf"},
	} {
		_, err := tc.b.WSLConf(ctx, tc.distro)
		if backend.KindOf(err) != backend.KindUnsupported || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("WSLConf(%q) inside=%v: %v, want %q", tc.distro, tc.b.inside, err, tc.want)
		}
	}
}
