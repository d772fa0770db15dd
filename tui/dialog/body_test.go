package dialog

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// SetBody replaces what a running job says it does; SetNoBytes drops the byte figures, the
// rate and the time left (a job that counts no bytes has none), keeping the elapsed time.
func TestSetBodyAndNoBytes(t *testing.T) {
	t0 := time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC)
	d := NewProgress("Install Ubuntu", "Starting…", 0, t0)
	v := ansi.Strip(d.View(80, 24, NoColorStyles()))
	for _, w := range []string{"Starting…", "so far (total unknown)", "time left —"} {
		if !strings.Contains(v, w) {
			t.Fatalf("plain progress lacks %q:\n%s", w, v)
		}
	}
	d.SetBody("Downloading: Ubuntu 24.04 LTS")
	d.SetNoBytes()
	d.SetProgress(0, t0.Add(65*time.Second))
	v = ansi.Strip(d.View(80, 24, NoColorStyles()))
	for _, w := range []string{"Downloading: Ubuntu 24.04 LTS", "elapsed 1m05s", "esc cancel"} {
		if !strings.Contains(v, w) {
			t.Errorf("lacks %q:\n%s", w, v)
		}
	}
	for _, n := range []string{"Starting…", "0 B", "rate", "time left"} {
		if strings.Contains(v, n) {
			t.Errorf("shows %q:\n%s", n, v)
		}
	}
}
