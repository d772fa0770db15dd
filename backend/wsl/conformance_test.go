package wsl

import (
	"strings"
	"sync"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/backendtest"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// TestConformance runs the backend contract against the wsl backend over the wsl.exe double:
// Ubuntu running (WSL 2), Debian stopped (WSL 1), a catalogue, and exports slow enough to cancel.
// The double's own state file says whether a distro was started, whatever the backend's cache says.
func TestConformance(t *testing.T) {
	needFake(t)
	backendtest.Run(t, backendtest.Harness{
		New: func(t *testing.T) backendtest.Subject {
			st := twoDistros()
			st.ExportChunks, st.ExportChunkBytes, st.ExportDelayMS = 20, 4096, 10
			st.Manage = &fakewsltest.ManageState{Online: [][2]string{{"Ubuntu-24.04", "Ubuntu 24.04 LTS"}}}
			b, f, _ := newBackend(t, st, nil)
			var mu sync.Mutex
			var step func()
			b.trashHook = func(string) {
				mu.Lock()
				g := step
				mu.Unlock()
				if g != nil {
					g()
				}
			}
			return backendtest.Subject{
				Backend: b,
				State: func(name string) backend.State {
					for _, d := range f.Read().Distros {
						if strings.EqualFold(d.Name, name) {
							return backend.State(d.State)
						}
					}
					return ""
				},
				Steps: func(g func()) { mu.Lock(); step = g; mu.Unlock() },
				// The double installs at once: hang it so that the cancel lands half way.
				Stall: func(a backend.Action) func() {
					st := f.Read()
					st.Fail = &fakewsltest.Fail{Mode: "hang", Match: "--install"}
					f.Write(st)
					return func() { st := f.Read(); st.Fail = nil; f.Write(st) }
				},
			}
		},
		Distros: true,
		LongOps: []backend.Action{backend.ActExport, backend.ActClone, backend.ActUnregister, backend.ActInstall},
		Trash:   true,
	})
}
