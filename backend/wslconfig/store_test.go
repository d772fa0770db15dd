package wslconfig

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Load gives a store's answer: a missing file is no error; FromStore parses it as ReadFile would,
// except that a sample's warnings name the file as WSL does, not the sample's label.
func TestLoadAndFromStore(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".wslconfig")
	cf, err := Load(p)
	if err != nil || cf.Exists || cf.Text != nil || cf.Path != p {
		t.Fatalf("missing: %+v, %v", cf, err)
	}
	f, err := FromStore(cf)
	if err != nil || f.Exists() || len(f.Settings()) == 0 {
		t.Fatalf("a missing file parses to defaults: %v", err)
	}
	const text = "[wsl2]\nmemory=8gb\n"
	os.WriteFile(p, []byte(text), 0o644)
	mt := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	os.Chtimes(p, mt, mt)
	if cf, err = Load(p); err != nil || !cf.Exists || string(cf.Text) != text || !cf.ModTime.Equal(mt) {
		t.Fatalf("Load = %+v, %v", cf, err)
	}
	want, _ := ReadFile(p)
	f, err = FromStore(cf)
	if err != nil || f.Path() != p || !f.ModTime().Equal(mt) || !f.Exists() || len(f.Warnings()) != 1 ||
		f.Warnings()[0] != want.Warnings()[0] {
		t.Fatalf("FromStore = %v %v %v, ReadFile warned %v", f.Path(), f.Warnings(), err, want.Warnings())
	}
	f, _ = FromStore(backend.ConfigFile{Path: "demo sample", Exists: true, Text: []byte(text), Sample: true})
	if w := f.Warnings(); len(w) != 1 || w[0].Text != "Invalid memory string '8gb' for .wslconfig entry 'wsl2.memory' in .wslconfig:2" {
		t.Fatalf("a sample's warnings: %v", w)
	}
	w, _ := WSLConfFromStore(backend.ConfigFile{Exists: true, Text: []byte("[boot]\nsystemd=true\n")})
	if v, ok := w.Get("boot.systemd"); !ok || v != "true" || len(w.KnownKeys()) == len(Keys()) {
		t.Fatalf("wsl.conf dialect: %q %v", v, ok)
	}
}
