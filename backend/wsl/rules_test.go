package wsl

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// TestRulesDecideOnAFreshList: every action checks backend.Precheck / CheckNewName on the list as
// it is when the action starts, not on the cache, and a refusal sends nothing that changes
// anything to wsl.exe.
func TestRulesDecideOnAFreshList(t *testing.T) {
	b, f := newManaged(t, nil)
	ctx := context.Background()
	if _, err := b.Distros(ctx); err != nil { // cache: Ubuntu running, Debian stopped, both WSL 2
		t.Fatal(err)
	}
	// Behind the cache, Debian starts installing-over (a transitional state) and Ubuntu becomes
	// WSL 1 (a conversion that finished).
	f.Update(func(s *fakewsltest.State) {
		s.Distros[0].Version = 1
		s.Distros[1].State = "Converting"
	})
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		run  func() error
		kind backend.Kind
		want string
	}{
		{"move WSL 1", func() error { _, err := b.Move(ctx, "Ubuntu", `D:\x`); return err }, backend.KindUnsupported, "no virtual disk to move"},
		{"resize WSL 1", func() error { return b.Resize(ctx, "Ubuntu", "256GB") }, backend.KindUnsupported, "no virtual disk to resize"},
		{"sparse WSL 1", func() error { return b.SetSparse(ctx, "Ubuntu", false, false) }, backend.KindUnsupported, "no virtual disk to make sparse"},
		{"compact WSL 1", func() error { _, err := b.Compact(ctx, "Ubuntu", CompactOptions{}); return err }, backend.KindUnsupported, "no virtual disk to compact"},
		{"vhd of WSL 1", func() error {
			return b.Export(ctx, "Ubuntu", filepath.Join(dir, "u.vhdx"), backend.FormatVHD, nil)
		}, backend.KindUnsupported, "Ubuntu is a WSL 1 distro"},
		{"set-user busy", func() error { return b.SetDefaultUser(ctx, "Debian", "root") }, backend.KindBusy, "Debian is converting"},
		{"export busy", func() error { return b.Export(ctx, "Debian", filepath.Join(dir, "d.tar"), "", nil) }, backend.KindBusy, "Debian is converting"},
		{"unregister busy", func() error { _, err := b.Trash(ctx, "Debian", nil); return err }, backend.KindBusy, "Debian is converting"},
		{"rename busy", func() error { _, err := b.Rename(ctx, "Debian", "Deb"); return err }, backend.KindBusy, "Debian is converting"},
		{"clone into a taken name", func() error { return b.Clone(ctx, "Ubuntu", "DEBIAN", filepath.Join(dir, "c"), "", nil) }, backend.KindFailed, "a distro named Debian already exists"},
		{"install a taken name", func() error {
			_, err := b.Install(ctx, InstallOptions{Distro: "Ubuntu-24.04", Name: "debian"}, nil)
			return err
		}, backend.KindFailed, "a distro named Debian already exists"},
		{"install Legacy", func() error {
			_, err := b.Install(ctx, InstallOptions{Distro: "Ubuntu-24.04", Name: "LEGACY"}, nil)
			return err
		}, backend.KindFailed, "reserved"},
	} {
		err := c.run()
		var e *backend.Error
		if !errors.As(err, &e) || e.Kind != c.kind || !strings.Contains(e.Message, c.want) {
			t.Errorf("%s: %v, want %v %q", c.name, err, c.kind, c.want)
		}
	}
	if got := changing(f); len(got) != 0 {
		t.Fatalf("refused actions sent %q", got)
	}
}
