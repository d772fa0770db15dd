package tui

import (
	"fmt"
	"image/color"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

var (
	darkBg  = tea.BackgroundColorMsg{Color: lipgloss.Color("#101010")}
	lightBg = tea.BackgroundColorMsg{Color: lipgloss.Color("#FAFAFA")}
)

func bgMsg(dark bool) tea.BackgroundColorMsg {
	if dark {
		return darkBg
	}
	return lightBg
}

// assertFrame checks that a frame is exactly w×h cells.
func assertFrame(t *testing.T, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Fatalf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func TestGoldenDemo(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		for _, dark := range []bool{true, false} {
			mode := map[bool]string{true: "dark", false: "light"}[dark]
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], mode), func(t *testing.T) {
				h := newDemoHarness(t, size[0], size[1])
				h.send(bgMsg(dark))
				out := h.m.View().Content
				assertFrame(t, out, size[0], size[1])
				golden.RequireEqual(t, ansi.Strip(out))
			})
		}
	}
}

// The light and dark renderings have the same text but different colours.
func TestLightAndDarkDiffer(t *testing.T) {
	d := newDemoHarness(t, 120, 40)
	d.send(darkBg)
	l := newDemoHarness(t, 120, 40)
	l.send(lightBg)
	dv, lv := d.m.View().Content, l.m.View().Content
	if ansi.Strip(dv) != ansi.Strip(lv) {
		t.Fatal("light and dark should differ only in colour")
	}
	if dv == lv {
		t.Fatal("light and dark renderings are identical: BackgroundColorMsg was ignored")
	}
	if !strings.Contains(dv, "\x1b[") {
		t.Fatal("no colour at all in the dark rendering")
	}
}

func TestGoldenHelp(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	h.key("?")
	golden.RequireEqual(t, h.screen())
}

func TestGoldenConfirmDialog(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	h.key("S")
	out := h.m.View().Content
	assertFrame(t, out, 120, 40)
	golden.RequireEqual(t, ansi.Strip(out))
}

func TestGoldenNoColor(t *testing.T) {
	h := newDemoHarness(t, 120, 40, noColor())
	out := h.m.View().Content
	if loc := colourSGR.FindStringIndex(out); loc != nil {
		t.Fatalf("NO_COLOR output has colours: %q", out[max(loc[0]-40, 0):loc[1]+20])
	}
	if !strings.Contains(out, "▸") {
		t.Fatal("NO_COLOR output must mark the selection")
	}
	golden.RequireEqual(t, ansi.Strip(out))
}

func TestEveryThemeRenders(t *testing.T) {
	var prev string
	for _, name := range []string{"default", "catppuccin-mocha", "dracula", "nord", "gruvbox", "solarized-light"} {
		t.Run(name, func(t *testing.T) {
			h := newDemoHarness(t, 120, 40, withTheme(name))
			v := h.m.View()
			assertFrame(t, v.Content, 120, 40)
			if v.Content == prev {
				t.Fatal("same output as the previous theme")
			}
			prev = v.Content
			if fixed := name != "default"; fixed != (v.BackgroundColor != nil) {
				t.Fatalf("BackgroundColor = %v; fixed themes paint their background, default does not", v.BackgroundColor)
			}
		})
	}
}

func TestViewSettings(t *testing.T) {
	h := newDemoHarness(t, 120, 40)
	v := h.m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion || v.WindowTitle != "wsldash — demo" {
		t.Fatalf("view settings: alt=%v mouse=%v title=%q", v.AltScreen, v.MouseMode, v.WindowTitle)
	}
	if !strings.Contains(h.screen(), "DEMO") {
		t.Fatal("the demo must be labelled")
	}
	f, _ := newFakeHarness(t, 120, 40)
	if got := f.m.View().WindowTitle; got != "wsldash" {
		t.Fatalf("title = %q", got)
	}
	if strings.Contains(f.screen(), "DEMO") {
		t.Fatal("only the demo gets the DEMO badge")
	}
}

func TestSizes(t *testing.T) {
	for _, sz := range [][2]int{{0, 0}, {1, 1}, {30, 10}, {59, 14}, {60, 15}, {80, 24}, {300, 100}, {1000, 500}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			h := newDemoHarness(t, sz[0], sz[1])
			for _, k := range []string{"2", "r", "esc", "5", "3", "4", "1", "?", "?", "S"} {
				h.key(k)
				out := h.m.View().Content
				if sz[0] == 0 || sz[1] == 0 {
					if out != "" {
						t.Fatalf("0-size screen should be empty, got %q", out)
					}
					continue
				}
				lines := strings.Split(out, "\n")
				if len(lines) > sz[1] {
					t.Fatalf("%d lines on a %d-line screen", len(lines), sz[1])
				}
				for _, l := range lines {
					if ansi.StringWidth(l) > sz[0] {
						t.Fatalf("line wider than the screen: %q", ansi.Strip(l))
					}
				}
				small := sz[0] < MinWidth || sz[1] < MinHeight
				if small && sz[0] >= 20 && sz[1] >= 3 && !strings.Contains(ansi.Strip(out), "too small") {
					t.Fatalf("no too-small message: %q", ansi.Strip(out))
				}
				if !small && k != "S" && k != "r" {
					assertFrame(t, out, sz[0], sz[1])
				}
			}
			h.key("esc")
		})
	}
}

var _ color.Color = lipgloss.Color("#000")

// colourSGR matches an SGR sequence that sets a colour.
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9]*;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]*)*m`)
