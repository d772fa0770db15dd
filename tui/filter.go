package tui

import (
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// filterPane is a list pane that / filters: its match function lives with its rows, so the
// root only hands it the text.
type filterPane interface {
	listPane
	// filter applies q to the pane's list ("" = none).
	filter(q string)
	// filterWhat says what the filter looks at, for the prompt: "processes: name, command, user, pid".
	filterWhat() string
}

// filterInput is the one filter prompt (drawn in the footer line while it is open): `/` opens
// it on the focused list, every key filters that list as it is typed and acts on nothing else,
// enter keeps the filter (the pane's title shows it), esc brings back the one in force before.
type filterInput struct {
	input  textinput.Model
	pane   Pane   // the list being filtered (PaneNone: the prompt is closed)
	before string // its filter when the prompt opened
}

func newFilterInput() filterInput {
	f := filterInput{input: textinput.New()}
	f.input.Prompt = "/"
	f.input.CharLimit = 64
	return f
}

// typing reports whether the prompt is open (keys and pastes go to it).
func (f *filterInput) typing() bool { return f.pane != PaneNone }

// startFilter opens the prompt on the focused list, with its kept filter to edit.
func (m *Model) startFilter() tea.Cmd {
	fp, ok := m.paneOf(m.focus).(filterPane)
	if !ok {
		m.setFlash(flashInfo, "/ filters a list: tab to one first")
		return nil
	}
	f := &m.filter
	f.pane, f.before = m.focus, fp.scroll().Query()
	f.input.Placeholder = "filter " + fp.filterWhat()
	f.input.SetValue(f.before)
	f.input.CursorEnd()
	return f.input.Focus()
}

// onFilterInput edits the open filter: enter keeps it, esc cancels; the list follows each key.
func (m *Model) onFilterInput(msg tea.Msg) tea.Cmd {
	f := &m.filter
	p := f.pane
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch kp.String() {
		case "esc":
			f.close()
			return m.applyFilter(p, f.before)
		case "enter":
			f.close()
			return nil
		}
	}
	value := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() == value {
		return cmd
	}
	return tea.Batch(cmd, m.applyFilter(p, f.input.Value()))
}

func (f *filterInput) close() {
	f.pane = PaneNone
	f.input.Blur()
}

// clearFilter drops the kept filter of the focused list (esc); false when it has none.
func (m *Model) clearFilter() (tea.Cmd, bool) {
	fp, ok := m.paneOf(m.focus).(filterPane)
	if !ok || fp.scroll().Query() == "" {
		return nil, false
	}
	return m.applyFilter(m.focus, ""), true
}

// applyFilter filters pane p's list, then runs what follows a move of its cursor (the distros
// cursor is the selection; the disks cursor moves it).
func (m *Model) applyFilter(p Pane, q string) tea.Cmd {
	fp, ok := m.paneOf(p).(filterPane)
	if !ok {
		return nil
	}
	fp.filter(q)
	if mv := panes[p].moved; mv != nil {
		return mv(m)
	}
	return nil
}
