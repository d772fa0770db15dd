//go:build !windows

package hostview

import "github.com/wsldash/wsldash/backend"

// SystemSource exists only on Windows; elsewhere it is a KindUnsupported error.
func SystemSource() (Source, func() error, error) {
	return nil, nil, &backend.Error{Kind: backend.KindUnsupported, Op: "host",
		Message: "the host helper runs on Windows only (inside WSL, wsldash starts wsldash.exe host itself)"}
}
