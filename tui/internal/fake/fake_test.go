package fake

import (
	"testing"

	"github.com/wsldash/wsldash/backend/backendtest"
)

// TestConformance: the TUI's fakes keep the contract of a real backend, so that a TUI test
// passing against them says something about the real ones.
func TestConformance(t *testing.T) {
	t.Run("New", func(t *testing.T) {
		backendtest.Run(t, backendtest.Harness{
			New:     func(t *testing.T) backendtest.Subject { return backendtest.Subject{Backend: New()} },
			Distros: true,
		})
	})
	t.Run("NewViews", func(t *testing.T) {
		backendtest.Run(t, backendtest.Harness{
			New:     func(t *testing.T) backendtest.Subject { return backendtest.Subject{Backend: NewViews()} },
			Distros: true,
			Trash:   true,
		})
	})
}
