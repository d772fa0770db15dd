package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// keepFake is the fake backend with the wsl backend's keep and release.
type keepFake struct {
	*fake.Backend
	kept []string
	rels []string
}

func (k *keepFake) Keep(_ context.Context, d string) error {
	k.kept = append(k.kept, d)
	k.mark(d, true)
	return nil
}
func (k *keepFake) Unkeep(d string) (bool, error) {
	k.rels = append(k.rels, d)
	k.mark(d, false)
	return true, nil
}
func (k *keepFake) InstanceIdle() (time.Duration, bool, bool) { return 15 * time.Second, false, false }
func (k *keepFake) Capabilities() backend.Capabilities {
	c := k.Backend.Capabilities()
	c[backend.ActKeep], c[backend.ActRelease] = backend.Can(), backend.Can()
	return c
}
func (k *keepFake) mark(name string, kept bool) {
	ds, _ := k.Backend.Distros(context.Background())
	for i := range ds {
		if ds[i].Name == name {
			ds[i].Kept = kept
		}
	}
	k.Backend.SetDistros(ds)
}

func newKeepHarness(t *testing.T) (*harness, *keepFake) {
	be := &keepFake{Backend: fake.New()}
	return newHarness(t, be, 120, 40), be
}

// Quitting while wsldash holds a distro names it, says when WSL stops it, and offers to keep it.
func TestQuitWhileHoldingAsks(t *testing.T) {
	h, be := newKeepHarness(t)
	h.key("q")
	if h.quit || h.m.dialog == nil {
		t.Fatal("quit without asking while docker-desktop is held")
	}
	if b := h.m.dialog.body; !strings.Contains(b, "docker-desktop") || !strings.Contains(b, "about 15 s") {
		t.Fatalf("dialog body %q", b)
	}
	h.key("down")
	h.key("enter")
	if !h.quit || len(be.kept) != 1 || be.kept[0] != "docker-desktop" {
		t.Fatalf("keep and quit: quit %v, kept %v", h.quit, be.kept)
	}

	h, be = newKeepHarness(t)
	h.key("q")
	h.key("enter") // the first choice: quit and let it stop
	if !h.quit || len(be.kept) != 0 {
		t.Fatalf("plain quit: quit %v, kept %v", h.quit, be.kept)
	}

	h, _ = newKeepHarness(t)
	h.key("q")
	h.key("esc")
	if h.quit || h.m.dialog != nil {
		t.Fatal("esc did not cancel the quit")
	}
}

// K keeps the selected distro, the table says "kept", and R releases it.
func TestKeepAndReleaseKeys(t *testing.T) {
	h, be := newKeepHarness(t)
	h.selectDistro("Debian")
	h.key("K")
	if len(be.kept) != 1 || be.kept[0] != "Debian" {
		t.Fatalf("kept %v", be.kept)
	}
	mustFlash(t, h, flashOK, "stays running after wsldash quits")
	if !h.distro("Debian").Kept || !strings.Contains(lineOf(h.screen(), "Debian"), "kept") {
		t.Fatalf("table row %q", lineOf(h.screen(), "Debian"))
	}
	h.key("R")
	if len(be.rels) != 1 || h.distro("Debian").Kept {
		t.Fatalf("released %v", be.rels)
	}
	h.selectDistro("kali-linux")
	h.key("R")
	if len(be.rels) != 1 {
		t.Fatal("released a distro that is neither held nor kept")
	}
}

// Without keep (the demo, the fake), q quits at once and K says why it cannot.
func TestKeepUnsupported(t *testing.T) {
	h, _ := newFakeHarness(t, 120, 40)
	h.key("K")
	mustFlash(t, h, flashErr, "not supported")
	h.key("q")
	if !h.quit {
		t.Fatal("q did not quit")
	}
}

func lineOf(screen, sub string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
