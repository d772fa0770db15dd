package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
)

var helpSizes = [][2]int{{60, 15}, {80, 24}, {120, 40}, {200, 60}}

// helpBody is the help pane's inner lines on screen (between the pane's borders).
func helpBody(t *testing.T, h *harness) []string {
	t.Helper()
	lines := strings.Split(h.screen(), "\n")
	if len(lines) < 5 || !strings.Contains(lines[1], "Help") {
		t.Fatalf("no help pane on screen:\n%s", h.screen())
	}
	body := lines[2 : len(lines)-2]
	for i, l := range body {
		body[i] = strings.TrimSuffix(strings.TrimPrefix(l, "│"), "│")
	}
	return body
}

// readHelp opens help and pages through it with j, returning every line it showed. It stops when
// the help says there is no more below, and fails if that takes more presses than it has lines.
func readHelp(t *testing.T, h *harness) string {
	t.Helper()
	h.key("?")
	var seen []string
	for presses := 0; ; presses++ {
		body := helpBody(t, h)
		seen = append(seen, body...)
		last := body[len(body)-1]
		if !strings.Contains(last, "↓ more") {
			return strings.Join(seen, "\n")
		}
		if presses > 200 {
			t.Fatalf("help still says there is more after %d presses of j:\n%s", presses, h.screen())
		}
		h.key("j")
	}
}

// At every size down to the smallest the layout takes, every group title and every key of
// every view shows in the help, at once or by scrolling, and no text in it is cut.
func TestHelpShowsEveryKey(t *testing.T) {
	for _, size := range helpSizes {
		for v := range viewCount {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], views[v].key.name), func(t *testing.T) {
				h := newDemoHarness(t, size[0], size[1])
				h.key(views[v].key.key)
				if h.m.view != v {
					t.Fatalf("key %q did not open view %d", views[v].key.key, v)
				}
				all := readHelp(t, h)
				if strings.Contains(all, "…") {
					t.Fatalf("help cuts text with …:\n%s", all)
				}
				for _, g := range h.m.keys.helpGroups(h.m.scope()) {
					if !strings.Contains(all, "  "+g.Title) {
						t.Errorf("group %q never shows:\n%s", g.Title, all)
					}
					kw := helpKeyWidth(g)
					for _, kb := range g.Keys {
						hb := kb.Help()
						want := col(hb.Key, kw, false) + "  " + strings.Fields(hb.Desc)[0]
						if !strings.Contains(all, want) {
							t.Errorf("key %q (%s) never shows:\n%s", hb.Key, hb.Desc, all)
						}
					}
				}
				// Every note, whole (the long one used to be cut at 120 columns), wrapped or not.
				words := strings.Join(strings.Fields(all), " ")
				for _, n := range helpNotes {
					if !strings.Contains(words, n) {
						t.Errorf("note %q never shows whole:\n%s", n, all)
					}
				}
			})
		}
	}
}

// Where everything fits there is nothing to scroll and no position line; where it does not, the
// position line says so and the paging keys move by a page and to either end.
func TestHelpScrolls(t *testing.T) {
	for _, size := range helpSizes {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			h := newDemoHarness(t, size[0], size[1])
			h.key("?")
			lines, rows := h.m.helpPage(h.m.helpRect())
			body := helpBody(t, h)
			if len(lines) <= rows {
				if strings.Contains(h.screen(), "more ·") {
					t.Fatalf("a position line where everything fits:\n%s", h.screen())
				}
				h.key("j")
				if h.m.helpScroll != 0 {
					t.Fatalf("j scrolled help that fits (to %d)", h.m.helpScroll)
				}
				return
			}
			if size[0] >= 120 {
				t.Fatalf("help at %dx%d should fit without scrolling (%d lines, %d rows)", size[0], size[1], len(lines), rows)
			}
			pos := func() string { b := helpBody(t, h); return strings.TrimSpace(b[len(b)-1]) }
			if want := fmt.Sprintf("↓ more · lines 1–%d of %d", rows, len(lines)); !strings.HasPrefix(pos(), want) {
				t.Fatalf("position line %q, want it to start %q", pos(), want)
			}
			top := body[1]
			h.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
			if h.m.helpScroll != min(rows, len(lines)-rows) {
				t.Fatalf("pgdown scrolled to %d, want %d", h.m.helpScroll, min(rows, len(lines)-rows))
			}
			h.send(tea.KeyPressMsg{Code: tea.KeyEnd})
			if want := fmt.Sprintf("↑ more · lines %d–%d of %d", len(lines)-rows+1, len(lines), len(lines)); !strings.HasPrefix(pos(), want) {
				t.Fatalf("after end the position line is %q, want it to start %q", pos(), want)
			}
			h.key("j") // past the end stays at the end
			if h.m.helpScroll != len(lines)-rows {
				t.Fatalf("j past the end scrolled to %d", h.m.helpScroll)
			}
			h.key("k")
			if !strings.HasPrefix(pos(), "↑↓ more") {
				t.Fatalf("one line up from the end the position line is %q", pos())
			}
			h.send(tea.KeyPressMsg{Code: tea.KeyPgUp})
			h.send(tea.KeyPressMsg{Code: tea.KeyHome})
			if h.m.helpScroll != 0 || helpBody(t, h)[1] != top {
				t.Fatalf("home did not go back to the top (at %d)", h.m.helpScroll)
			}
			// Closing and opening again starts at the top.
			h.key("G")
			h.key("?")
			h.key("?")
			if h.m.helpScroll != 0 {
				t.Fatalf("help reopened at line %d", h.m.helpScroll)
			}
		})
	}
}

// The help at 80x24, at the top and at the end.
func TestGoldenHelp80x24(t *testing.T) {
	h := newDemoHarness(t, 80, 24)
	h.key("?")
	top := h.screen()
	h.key("G")
	golden.RequireEqual(t, top+"\n\n"+h.screen())
}
