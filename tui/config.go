package tui

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/wsldash/wsldash/themes"
)

// Duration is a time.Duration written in the config file as a Go duration string ("2s", "500ms").
type Duration struct{ time.Duration }

// UnmarshalText parses a duration such as "1s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("bad duration %q (want e.g. \"1s\" or \"500ms\")", b)
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration as "1s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.Duration.String()), nil }

// Config is the dashboard's part of config.toml:
//
//	theme = "nord"          # default, catppuccin-mocha, dracula, nord, gruvbox, solarized-light
//	refresh = "1s"          # sample interval, 100ms to 1h
//	fps = 10                # frames a second at most, 1 to 60: what a key waits for its echo
//	idle_refresh = "10s"    # the cadence when unfocused or while WSL's idle window runs
//	[keys]                  # action = [keys…]; see `?` in the dashboard for the action names
//	start = ["s", "ctrl+s"]
type Config struct {
	Theme   string   `toml:"theme"`
	Refresh Duration `toml:"refresh"`
	FPS     int      `toml:"fps"`
	// IdleRefresh is the refresh when nobody is looking (cadence.go); never faster than Refresh.
	IdleRefresh Duration            `toml:"idle_refresh"`
	Keys        map[string][]string `toml:"keys"`
}

// Refresh limits.
const (
	DefaultRefresh = time.Second
	MinRefresh     = 100 * time.Millisecond
	MaxRefresh     = time.Hour
)

// Frame-rate limits. Since Bubble Tea v2.2.0 the renderer's ticker stops after half a second of
// frames with nothing to draw and starts again on the next change, so a dashboard that changes
// once a refresh pays fps/2 wake-ups a refresh (each ~0.02% of a core here), and none at all
// between the idle cadence's refreshes. A key shows on screen within 1/fps: 100 ms at the
// default; fps = 30 makes typing in the filter snappier for a few tenths of a percent more.
const (
	DefaultFPS = 10
	MaxFPS     = 60
)

// DefaultConfig is the configuration used when there is no config file.
func DefaultConfig() *Config {
	return &Config{Theme: themes.DefaultName, Refresh: Duration{DefaultRefresh}, FPS: DefaultFPS, IdleRefresh: Duration{DefaultIdleRefresh}}
}

// ConfigPath is os.UserConfigDir()/wsldash/config.toml.
func ConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("config path: %w", err)
	}
	return filepath.Join(dir, "wsldash", "config.toml"), nil
}

// LoadConfig reads the config file at path. A missing file gives the defaults; a file that cannot
// be parsed or holds an unknown setting, theme, action or key gives an error that names the file
// and, where the parser knows it, the line.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultConfig(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig parses config.toml contents; name is used in error messages.
func ParseConfig(name string, data []byte) (*Config, error) {
	cfg := DefaultConfig()
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(cfg)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("%s:%d: %s", name, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return nil, fmt.Errorf("%s: unknown setting %s", name, strings.Join(keys, ", "))
	}
	if _, err := themes.Get(cfg.Theme, true); err != nil {
		return nil, fmt.Errorf("%s: theme: %v", name, err)
	}
	if r := cfg.Refresh.Duration; r < MinRefresh || r > MaxRefresh {
		return nil, fmt.Errorf("%s: refresh %s out of range (%s to %s)", name, r, MinRefresh, MaxRefresh)
	}
	if r := cfg.IdleRefresh.Duration; r < MinRefresh || r > MaxRefresh {
		return nil, fmt.Errorf("%s: idle_refresh %s out of range (%s to %s)", name, r, MinRefresh, MaxRefresh)
	}
	if cfg.FPS < 1 || cfg.FPS > MaxFPS {
		return nil, fmt.Errorf("%s: fps %d out of range (1 to %d)", name, cfg.FPS, MaxFPS)
	}
	km := DefaultKeyMap()
	if err := km.Apply(cfg.Keys); err != nil {
		return nil, fmt.Errorf("%s: [keys]: %v", name, err)
	}
	return cfg, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
