//go:build windows

package wslconfig

import (
	"os"
	"path/filepath"

	"github.com/wsldash/wsldash/backend"
)

// DefaultPath is %UserProfile%\.wslconfig (WSLDASH_WSLCONFIG overrides it).
func DefaultPath() (string, error) {
	if p := os.Getenv(EnvOverride); p != "" {
		return p, nil
	}
	home := os.Getenv("USERPROFILE")
	if home == "" {
		var err error
		if home, err = os.UserHomeDir(); err != nil {
			return "", &backend.Error{Kind: backend.KindNotFound, Op: "config", Message: "cannot find your profile folder (%UserProfile%); pass --file", Err: err}
		}
	}
	return filepath.Join(home, ".wslconfig"), nil
}
