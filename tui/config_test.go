package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigMissingGivesDefaults(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join(t.TempDir(), "nope", "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Theme != "default" || cfg.Refresh.Duration != time.Second || cfg.FPS != DefaultFPS || len(cfg.Keys) != 0 {
		t.Fatalf("defaults = %+v", cfg)
	}
}

func TestLoadConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	data, err := os.ReadFile("testdata/config/good.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Theme != "nord" || cfg.Refresh.Duration != 2*time.Second || cfg.FPS != 30 {
		t.Fatalf("cfg = %+v", cfg)
	}
	if got := cfg.Keys["start"]; len(got) != 2 || got[1] != "ctrl+s" {
		t.Fatalf("keys = %v", cfg.Keys)
	}
	km := DefaultKeyMap()
	if err := km.Apply(cfg.Keys); err != nil {
		t.Fatal(err)
	}
	if km.Start.Help().Key != "s/ctrl+s" {
		t.Fatalf("help key %q", km.Start.Help().Key)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"syntax", "theme = \"nord\"\nrefresh = \n", "config.toml:2:"},
		{"bad duration", "refresh = \"soon\"", "bad duration"},
		{"duration out of range", "refresh = \"1ms\"", "out of range"},
		{"fps zero", "fps = 0", "fps 0 out of range"},
		{"fps too high", "fps = 500", "fps 500 out of range"},
		{"fps not a number", "fps = \"fast\"", "config.toml"},
		{"unknown theme", "theme = \"neon\"", "unknown theme \"neon\""},
		{"unknown setting", "colour = \"red\"", "unknown setting colour"},
		{"unknown action", "[keys]\nlaunch = [\"l\"]", "unknown action \"launch\""},
		{"empty keys", "[keys]\nstart = []", "no keys"},
		{"bad key", "[keys]\nstart = [\"s t\"]", "bad key"},
		{"duplicate key", "[keys]\nstart = [\"t\"]", "bound to both"},
		{"wrong type", "theme = 3", "config.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("config.toml", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestConfigPath(t *testing.T) {
	p, err := ConfigPath()
	if err != nil {
		t.Skip("no user config dir here:", err)
	}
	if !strings.HasSuffix(p, filepath.Join("wsldash", "config.toml")) {
		t.Fatalf("path = %q", p)
	}
}

// FuzzParseConfig: any input gives a config or an error, never a panic; a config that parses
// always yields a usable key map and a sane refresh interval.
func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"good.toml", "bad.toml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "config", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("[keys]\nquit = [\"x\"]\nkill = [\"k\"]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("fuzz.toml", data)
		if err != nil {
			if cfg != nil {
				t.Fatal("config and error both returned")
			}
			return
		}
		if cfg.Refresh.Duration < MinRefresh || cfg.Refresh.Duration > MaxRefresh {
			t.Fatalf("refresh %v accepted", cfg.Refresh.Duration)
		}
		km := DefaultKeyMap()
		if err := km.Apply(cfg.Keys); err != nil {
			t.Fatalf("accepted config gives a bad key map: %v", err)
		}
	})
}
