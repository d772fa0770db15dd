package tui

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDumpScreens writes coloured frames for eyeballing (WSLDASH_DUMP=dir go test -run Dump).
func TestDumpScreens(t *testing.T) {
	dir := os.Getenv("WSLDASH_DUMP")
	if dir == "" {
		t.Skip("set WSLDASH_DUMP=dir to write frames")
	}
	for _, c := range []struct {
		name  string
		theme string
		dark  bool
		keys  []string
	}{
		{"default-dark", "", true, nil}, {"default-light", "", false, nil},
		{"dracula", "dracula", true, nil}, {"solarized-light", "solarized-light", true, nil},
		{"nord", "nord", true, nil}, {"gruvbox", "gruvbox", true, nil}, {"catppuccin-mocha", "catppuccin-mocha", true, nil},
		{"dialog-dark", "", true, []string{"S"}}, {"help-light", "", false, []string{"?"}},
		{"procs-dark", "", true, []string{"3", "j", "j"}},
	} {
		h := newDemoHarness(t, 120, 40, withTheme(c.theme))
		h.send(bgMsg(c.dark))
		for _, k := range c.keys {
			h.key(k)
		}
		v := h.m.View()
		bg := "default"
		if v.BackgroundColor != nil {
			r, g, b, _ := v.BackgroundColor.RGBA()
			bg = string([]byte{byte(r >> 8), byte(g >> 8), byte(b >> 8)})
		}
		_ = bg
		if err := os.WriteFile(filepath.Join(dir, c.name+".ans"), []byte(v.Content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
