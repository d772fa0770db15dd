package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// Inside WSL without the host helper the host view is only a note: the memory pane and the
// memory view say it in one line, and no vmmemWSL line or gap is invented.
func TestHostNoteWithoutVMProcess(t *testing.T) {
	const note = "host view: put wsldash.exe beside wsldash (or set $WSLDASH_HOST_EXE)"
	be := fake.New()
	be.SetInfo(backend.Info{Backend: "wsl", Label: "wsl"})
	h := newHarness(t, be, 160, 40)
	for range 3 {
		s := memSample(h.clock.Now().Add(time.Second), 2*gib, 1)
		s.Host = &backend.HostView{Note: note}
		h.feed(s)
	}
	s := h.screen()
	if strings.Count(s, note) != 1 || strings.Contains(s, "vmmemWSL") || strings.Contains(s, "gap ") {
		t.Fatalf("overview: want the note once and no VM line:\n%s", s)
	}
	h.key("2")
	s = h.screen()
	if !strings.Contains(s, "Windows sees unknown: host view: put wsldash.exe") || strings.Contains(s, "gap   ") {
		t.Fatalf("memory view:\n%s", s)
	}
}
