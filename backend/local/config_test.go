package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// local reads this machine's wsl.conf (missing: no file, not an error) and the .wslconfig that
// DefaultPath finds; it has no distros to name.
func TestConfigStore(t *testing.T) {
	dir := t.TempDir()
	cfg, conf := filepath.Join(dir, ".wslconfig"), filepath.Join(dir, "wsl.conf")
	os.WriteFile(cfg, []byte("[wsl2]\nswap=0\n"), 0o644)
	t.Setenv(wslconfig.EnvOverride, cfg)
	ctx := context.Background()
	b := New(Options{WSLConf: conf})
	if f, err := b.WSLConfig(ctx); err != nil || f.Path != cfg || string(f.Text) != "[wsl2]\nswap=0\n" {
		t.Fatalf("WSLConfig = %+v, %v", f, err)
	}
	if f, err := b.WSLConf(ctx, ""); err != nil || f.Exists || f.Path != conf {
		t.Fatalf("a missing wsl.conf = %+v, %v", f, err)
	}
	os.WriteFile(conf, []byte("[user]\ndefault=dev\n"), 0o644)
	if f, err := b.WSLConf(ctx, ""); err != nil || !f.Exists || string(f.Text) != "[user]\ndefault=dev\n" {
		t.Fatalf("wsl.conf = %+v, %v", f, err)
	}
	if _, err := b.WSLConf(ctx, "Ubuntu"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("a distro's wsl.conf on local: %v", err)
	}
}
