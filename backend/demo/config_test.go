package demo

import (
	"context"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// The demo's .wslconfig says the mode the demo runs, and both files are samples.
func TestConfigSamples(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []backend.ReclaimMode{backend.ReclaimDropCache, backend.ReclaimGradual, backend.ReclaimDisabled} {
		b, _ := newTest(Options{Seed: 1, ReclaimMode: mode})
		cf, err := b.WSLConfig(ctx)
		if err != nil || !cf.Sample || !cf.Exists || cf.Path != "demo sample" || !cf.ModTime.Equal(t0.Add(-26*time.Hour).Truncate(time.Hour)) {
			t.Fatalf("WSLConfig = %+v, %v", cf, err)
		}
		f, err := wslconfig.FromStore(cf)
		if err != nil {
			t.Fatal(err)
		}
		if got := wslconfig.ReclaimMode(f); got != mode {
			t.Fatalf("demo .wslconfig says %s, demo runs %s", got, mode)
		}
		if w := f.Warnings(); len(w) != 1 || w[0].Text != "Unknown key 'wsl2.autoMemoryReclaim' in .wslconfig:6" {
			t.Fatalf("warnings %v", w)
		}
	}
	b, _ := newTest(Options{Seed: 1})
	for _, name := range []string{"", "Debian"} {
		if cf, err := b.WSLConf(ctx, name); err != nil || !cf.Sample || len(cf.Text) == 0 {
			t.Fatalf("WSLConf(%q) = %+v, %v", name, cf, err)
		}
	}
	if _, err := b.WSLConf(ctx, "nope"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("an unknown distro's wsl.conf: %v", err)
	}
}
