package tui

import (
	"image/color"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/themes"
	dlg "github.com/wsldash/wsldash/tui/dialog"
)

// Styles is every style the dashboard draws with, built from one themes.Palette. The root model
// owns it and pushes the bubbles' parts (Help, Input, Spinner) into them whenever it changes.
type Styles struct {
	Palette themes.Palette
	NoColor bool

	Title, Badge, HeaderInfo, HeaderMuted, Clock lipgloss.Style

	Border, BorderFocus       lipgloss.Style // the box-drawing characters
	PaneTitle, PaneTitleFocus lipgloss.Style
	PaneNote                  lipgloss.Style // right side of a pane title

	TableHeader lipgloss.Style
	Cell, Muted lipgloss.Style
	Selected    lipgloss.Style // the cursor row of the focused pane
	SelectedDim lipgloss.Style // the cursor row of an unfocused pane
	Running     lipgloss.Style
	Stopped     lipgloss.Style
	Busy        lipgloss.Style
	Pending     lipgloss.Style

	MsgInfo, MsgOK, MsgErr lipgloss.Style

	Dialog, DialogTitle, Button, ButtonActive lipgloss.Style
	Dlg                                       dlg.Styles // the dialog component's, from the above

	FooterKey, FooterDesc, FooterDisabled lipgloss.Style

	TooSmall lipgloss.Style

	// Pushed to bubbles.
	Help    help.Styles
	Input   textinput.Styles
	Spinner lipgloss.Style

	// P holds precomputed paints of the styles View uses most.
	P paints

	// Graph series colours (nil with NoColor).
	Used, Cache, Free, VM, CPU color.Color
	Axis                       lipgloss.Style
}

// NewStyles builds the styles for a palette. With noColor every style is plain text; selection is
// shown in reverse video and with a marker instead.
func NewStyles(p themes.Palette, noColor bool) Styles {
	st := lipgloss.NewStyle
	if noColor {
		plain := st()
		bold := st().Bold(true)
		s := Styles{
			Palette: p, NoColor: true,
			Title: bold, Badge: st().Reverse(true).Bold(true), HeaderInfo: plain, HeaderMuted: plain, Clock: plain,
			Border: plain, BorderFocus: bold, PaneTitle: plain, PaneTitleFocus: st().Reverse(true).Bold(true), PaneNote: plain,
			TableHeader: bold, Cell: plain, Muted: plain, Selected: st().Reverse(true), SelectedDim: st().Underline(true),
			Running: bold, Stopped: plain, Busy: st().Italic(true), Pending: st().Italic(true),
			MsgInfo: plain, MsgOK: bold, MsgErr: st().Reverse(true),
			Dialog: st().Border(lipgloss.RoundedBorder()).Padding(1, 2), DialogTitle: bold,
			Button: st().Padding(0, 2), ButtonActive: st().Padding(0, 2).Reverse(true),
			FooterKey: bold, FooterDesc: plain, FooterDisabled: st().Faint(true),
			TooSmall: bold, Spinner: plain, Axis: plain,
		}
		s.Help = help.Styles{Ellipsis: plain, ShortKey: bold, ShortDesc: plain, ShortSeparator: plain,
			FullKey: bold, FullDesc: plain, FullSeparator: plain}
		ts := textinput.DefaultStyles(true)
		for _, ss := range []*textinput.StyleState{&ts.Focused, &ts.Blurred} {
			ss.Text, ss.Placeholder, ss.Suggestion, ss.Prompt = plain, plain, plain, bold
		}
		ts.Cursor.Blink = false
		ts.Cursor.Color = nil
		s.Input = ts
		s.Dlg = s.dialogStyles(st().Reverse(true), plain)
		s.buildPaints()
		return s
	}
	fg := st().Foreground(p.Fg)
	muted := st().Foreground(p.FgMuted)
	s := Styles{
		Palette:     p,
		Title:       st().Foreground(p.Accent).Bold(true),
		Badge:       st().Foreground(p.Bg).Background(p.Warn).Bold(true),
		HeaderInfo:  fg,
		HeaderMuted: muted,
		Clock:       fg.Bold(true),

		Border:         st().Foreground(p.Border),
		BorderFocus:    st().Foreground(p.BorderFocus),
		PaneTitle:      fg.Bold(true),
		PaneTitleFocus: st().Foreground(p.Accent).Bold(true),
		PaneNote:       muted,

		TableHeader: muted.Bold(true),
		Cell:        fg,
		Muted:       muted,
		Selected:    st().Foreground(p.Fg).Background(p.BgPanel).Bold(true),
		SelectedDim: st().Foreground(p.Fg).Background(p.BgPanel),
		Running:     st().Foreground(p.OK),
		Stopped:     muted,
		Busy:        st().Foreground(p.Warn),
		Pending:     st().Foreground(p.Accent),

		MsgInfo: st().Foreground(p.Accent),
		MsgOK:   st().Foreground(p.OK).Bold(true),
		MsgErr:  st().Foreground(p.Err).Bold(true),

		Dialog:       st().Border(lipgloss.RoundedBorder()).BorderForeground(p.BorderFocus).Padding(1, 2).Foreground(p.Fg).Background(p.Bg),
		DialogTitle:  st().Foreground(p.Accent).Bold(true).Background(p.Bg),
		Button:       st().Padding(0, 2).Foreground(p.Fg).Background(p.BgPanel),
		ButtonActive: st().Padding(0, 2).Foreground(p.Bg).Background(p.Accent).Bold(true),

		FooterKey:      st().Foreground(p.Accent).Bold(true),
		FooterDesc:     muted,
		FooterDisabled: st().Foreground(p.FgMuted).Faint(true),

		TooSmall: st().Foreground(p.Warn).Bold(true),
		Spinner:  st().Foreground(p.Accent),
		Axis:     muted,

		Used: p.Used, Cache: p.Cache, Free: p.Free, VM: p.VM, CPU: p.CPU,
	}
	if !p.Adaptive {
		s.Badge = s.Badge.Foreground(p.Bg)
	}
	s.Help = help.Styles{
		Ellipsis: muted, ShortKey: s.FooterKey, ShortDesc: muted, ShortSeparator: muted,
		FullKey: s.FooterKey, FullDesc: fg, FullSeparator: muted,
	}
	ts := textinput.DefaultStyles(p.Dark)
	ts.Focused.Prompt = s.FooterKey
	ts.Focused.Text = fg
	ts.Focused.Placeholder = muted
	ts.Blurred.Prompt = muted
	ts.Blurred.Text = fg
	ts.Cursor.Color = p.Accent
	ts.Cursor.Blink = false
	s.Input = ts
	s.Dlg = s.dialogStyles(st().Foreground(p.Accent), st().Foreground(p.Border))
	s.buildPaints()
	return s
}

// dialogStyles are the dialog component's styles, from the dashboard's: full and empty are the
// progress bar's two parts.
func (s *Styles) dialogStyles(full, empty lipgloss.Style) dlg.Styles {
	return dlg.Styles{
		Box: s.Dialog, Title: s.DialogTitle, Body: s.Cell, Muted: s.Muted, Key: s.FooterKey,
		Selected: s.FooterKey, Button: s.Button, ButtonActive: s.ButtonActive, Error: s.MsgErr,
		BarFull: full, BarEmpty: empty, NoColor: s.NoColor,
	}
}

// spinnerFrames is the pending-action spinner (bubbles' MiniDot).
var spinnerFrames = spinner.MiniDot

// stateStyle picks the style of a distro state.
func (s *Styles) stateStyle(st backend.State) lipgloss.Style {
	switch {
	case st == backend.StateRunning:
		return s.Running
	case st.Busy():
		return s.Busy
	}
	return s.Stopped
}

// paint is a style reduced to its escape sequences, for the hot paths of View: wrapping text in a
// precomputed prefix and suffix is far cheaper than lipgloss.Style.Render, which re-measures and
// re-wraps its input. Only for styles without padding, width, borders or per-rune attributes
// (underline, strikethrough).
type paint struct{ pre, post string }

func mkPaint(st lipgloss.Style) paint {
	r := st.Render("X")
	i := strings.IndexByte(r, 'X')
	if i < 0 {
		return paint{}
	}
	return paint{r[:i], r[i+1:]}
}

// s paints text.
func (p paint) s(text string) string {
	if p.pre == "" && p.post == "" {
		return text
	}
	return p.pre + text + p.post
}

// paints are the hot-path styles.
type paints struct {
	cell, muted, header, sel, selDim, border, borderFocus paint
	running, stopped, busy, pending                       paint
}

func (s *Styles) buildPaints() {
	p := &s.P
	p.cell, p.muted, p.header = mkPaint(s.Cell), mkPaint(s.Muted), mkPaint(s.TableHeader)
	p.sel, p.selDim = mkPaint(s.Selected), mkPaint(s.SelectedDim)
	p.border, p.borderFocus = mkPaint(s.Border), mkPaint(s.BorderFocus)
	p.running, p.stopped, p.busy, p.pending = mkPaint(s.Running), mkPaint(s.Stopped), mkPaint(s.Busy), mkPaint(s.Pending)
}

// statePaint is stateStyle as a paint.
func (s *Styles) statePaint(st backend.State) paint {
	switch {
	case st == backend.StateRunning:
		return s.P.running
	case st.Busy():
		return s.P.busy
	}
	return s.P.stopped
}
