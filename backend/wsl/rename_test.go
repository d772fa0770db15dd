package wsl

import (
	"context"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

func TestRename(t *testing.T) {
	b, f := newManaged(t, nil)
	var wrote []string
	old := renameRegistration
	renameRegistration = func(guid, newName string) error {
		wrote = append(wrote, guid+"="+newName)
		f.Update(func(s *fakewsltest.State) {
			for i := range s.Distros {
				if "{"+s.Distros[i].Name+"}" == guid {
					s.Distros[i].Name = newName
				}
			}
		})
		return nil
	}
	t.Cleanup(func() { renameRegistration = old })
	ctx := context.Background()
	// Running: refused, nothing written.
	if err := b.Rename(ctx, "Ubuntu", "Ubuntu-old"); backend.KindOf(err) != backend.KindBusy || !strings.Contains(err.Error(), "stop it first") {
		t.Fatalf("running: %v", err)
	}
	// The new name exists (case-insensitively).
	if err := b.Rename(ctx, "Debian", "ubuntu"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("taken: %v", err)
	}
	if err := b.Rename(ctx, "Debian", "bad name"); err == nil {
		t.Fatal("bad name accepted")
	}
	if len(wrote) != 0 {
		t.Fatalf("wrote %v", wrote)
	}
	if err := b.Rename(ctx, "Debian", "Debian-12"); err != nil {
		t.Fatal(err)
	}
	if len(wrote) != 1 || wrote[0] != "{Debian}=Debian-12" {
		t.Fatalf("wrote %v", wrote)
	}
	b.invalidate()
	ds, _ := b.Distros(ctx)
	if _, ok := byName(ds, "Debian-12"); !ok {
		t.Fatalf("not renamed: %+v", ds)
	}
	// No wsl.exe call changes anything: the rename is the registry write alone.
	if got := changing(f); len(got) != 0 {
		t.Fatalf("calls %q", got)
	}
}
