package dialog

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// Kind is what a dialog asks for. The zero Kind is None: no dialog.
type Kind int

const (
	None      Kind = iota
	Confirm        // yes or no
	Choose         // one of a list
	TypedName      // yes, only after typing a name exactly
	Form           // a few fields
	Progress       // a running job: bar, bytes, rate, time left; then its result
)

func (k Kind) String() string {
	switch k {
	case Confirm:
		return "confirm"
	case Choose:
		return "choose"
	case TypedName:
		return "typed-name"
	case Form:
		return "form"
	case Progress:
		return "progress"
	}
	return "none"
}

// Styles are the dialog's styles; the root builds them from its theme. Box is the frame (border
// and padding included in the width given to View). With NoColor, state is also shown in text
// (a ▸ marker, [brackets] on the focused button) so that plain styles lose nothing.
type Styles struct {
	Box, Title, Body, Muted, Key, Selected, Button, ButtonActive, Error, BarFull, BarEmpty lipgloss.Style
	NoColor                                                                                bool
}

// NoColorStyles are plain styles: a rounded frame and nothing else, for NO_COLOR and tests.
func NoColorStyles() Styles {
	return Styles{Box: lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(1, 2), NoColor: true}
}

// Keys are the bindings the dialog reacts to; the root passes its KeyMap's.
type Keys struct {
	Up, Down, Next, Prev, Confirm, Cancel key.Binding
}

// DefaultKeys mirror the dashboard's default bindings (for tests and standalone use).
func DefaultKeys() Keys {
	b := func(keys ...string) key.Binding { return key.NewBinding(key.WithKeys(keys...)) }
	return Keys{Up: b("up", "k"), Down: b("down", "j"), Next: b("tab"), Prev: b("shift+tab"),
		Confirm: b("y", "enter"), Cancel: b("n", "esc")}
}

// Choice is one entry of a Choose dialog. A choice with a Disabled reason is shown dimmed with
// that reason and cannot be chosen.
type Choice struct {
	Label, Desc string
	Disabled    string
}

// Field is one field of a Form: a text input, or a cycle through Choices (←/→) when Choices is
// set, in which case Value picks the initial choice. Validate, when set, is checked on submit.
type Field struct {
	Label, Value, Placeholder string
	Choices                   []string
	Validate                  func(string) error
}

// Result is what a key did. Done: the dialog is answered and closed; OK: confirmed (Done and
// !OK is cancelled). Choice is the chosen index (Choose); Values are the fields' values (Form)
// or the typed name (TypedName).
type Result struct {
	Done   bool
	OK     bool
	Choice int
	Values []string
}

// field is a Form field's state.
type field struct {
	Field
	input  textinput.Model // text fields
	choice int             // choice fields
	err    string          // the Validate error shown under it
}

// Dialog is one dialog. It is a value; the zero value is no dialog.
type Dialog struct {
	kind        Kind
	title, body string
	verb        string

	// Confirm
	yes bool // the focused button

	// Choose
	choices []Choice
	cursor  int

	// TypedName
	name  string
	input textinput.Model

	// Form
	fields []field
	focus  int

	// TypedName, Choose, Form: a note shown above the hint after a refused key.
	note string

	prog progress

	keys *Keys // the bindings the hints name: the last ones Update saw, or DefaultKeys
}

// NewConfirm asks yes or no. With danger the No button has the focus first, so that enter alone
// does nothing destructive.
func NewConfirm(title, body string, danger bool) Dialog {
	return Dialog{kind: Confirm, title: title, body: body, yes: !danger}
}

// NewChoose offers choices; verb says what enter does with one ("reclaim", "send"). The cursor
// starts on the first choice that is not disabled.
func NewChoose(title, body, verb string, choices []Choice) Dialog {
	d := Dialog{kind: Choose, title: title, body: body, verb: verb, choices: slices.Clone(choices)}
	d.cursor = d.nextEnabled(-1, 1)
	if d.cursor < 0 {
		d.cursor = 0
	}
	return d
}

// NewTypedName confirms a destructive action only once name is typed exactly. The title says
// what is destroyed.
func NewTypedName(title, body, name string) Dialog {
	d := Dialog{kind: TypedName, title: title, body: body, name: name, verb: "confirm"}
	d.input = newInput("")
	d.input.Focus()
	return d
}

// NewForm asks for fields; verb names the submit ("export").
func NewForm(title, body, verb string, fields []Field) Dialog {
	d := Dialog{kind: Form, title: title, body: body, verb: verb}
	d.fields = make([]field, len(fields))
	for i, f := range fields {
		ff := field{Field: f}
		ff.Choices = slices.Clone(f.Choices)
		if len(ff.Choices) > 0 {
			ff.choice = max(slices.Index(ff.Choices, f.Value), 0)
		} else {
			ff.input = newInput(f.Value)
			ff.input.Placeholder = f.Placeholder
		}
		d.fields[i] = ff
	}
	d.setFocus(0)
	return d
}

// NewProgress shows a running job. total is the expected byte count (<= 0: unknown); started
// is when the job began (the elapsed time is measured from it).
func NewProgress(title, body string, total int64, started time.Time) Dialog {
	return Dialog{kind: Progress, title: title, body: body,
		prog: progress{total: total, started: started, now: started}}
}

func newInput(v string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.KeyMap.Paste.SetEnabled(false) // the root forwards paste events through Paste
	s := ti.Styles()
	s.Cursor.Blink = false // no blink messages to route; the dialog sees only keys
	ti.SetStyles(s)
	ti.SetValue(v)
	return ti
}

// WithKeys sets the bindings the dialog's hints name before the first key arrives (Update
// records the ones it is given).
func (d Dialog) WithKeys(k Keys) Dialog {
	if d.kind == TypedName || d.kind == Form {
		k = textSafe(k)
	}
	d.keys = &k
	return d
}

// own gives ti a value of its own: a textinput.Model copy shares its runes with the original,
// and editing in place (backspace) would change a Dialog the caller still holds.
func own(ti *textinput.Model) {
	pos := ti.Position()
	ti.SetValue(ti.Value())
	ti.SetCursor(pos)
}

// Kind is the dialog's kind; None for the zero Dialog.
func (d Dialog) Kind() Kind { return d.kind }

// Active reports whether there is a dialog.
func (d Dialog) Active() bool { return d.kind != None }

// Title is the dialog's title.
func (d Dialog) Title() string { return d.title }

// Finished reports whether a progress dialog shows its result.
func (d Dialog) Finished() bool { return d.kind == Progress && d.prog.finished }

// isText reports whether a key types text (and so belongs to a text input rather than to a
// binding such as y or j).
func isText(msg tea.KeyPressMsg) bool {
	return msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0
}

// matches is key.Matches that, when textual is false, ignores keys that type text.
func matches(msg tea.KeyPressMsg, textual bool, bs ...key.Binding) bool {
	if !textual && isText(msg) {
		return false
	}
	return key.Matches(msg, bs...)
}

// textSafe makes sure Confirm and Cancel each have a key that types nothing, for the kinds
// with a text input: a Confirm bound only to "y" gets enter, a Cancel bound only to "n" esc.
func textSafe(k Keys) Keys {
	add := func(b key.Binding, fallback string) key.Binding {
		for _, s := range b.Keys() {
			if len([]rune(s)) != 1 {
				return b
			}
		}
		b.SetKeys(append(slices.Clone(b.Keys()), fallback)...)
		return b
	}
	k.Confirm, k.Cancel = add(k.Confirm, "enter"), add(k.Cancel, "esc")
	return k
}

func done(ok bool) Result { return Result{Done: true, OK: ok} }

// Update handles one key press with the root's bindings. When the result is Done the returned
// Dialog is the zero Dialog. The Cmd is for the text inputs (nil today; kept for them).
func (d Dialog) Update(msg tea.KeyPressMsg, k Keys) (Dialog, Result, tea.Cmd) {
	if d.kind == TypedName || d.kind == Form {
		k = textSafe(k)
	}
	if d.kind != None {
		d.keys = &k
	}
	switch d.kind {
	case Confirm:
		return d.updateConfirm(msg, k)
	case Choose:
		return d.updateChoose(msg, k)
	case TypedName:
		return d.updateTypedName(msg, k)
	case Form:
		return d.updateForm(msg, k)
	case Progress:
		return d.updateProgress(msg, k)
	}
	return d, Result{}, nil
}

func (d Dialog) updateConfirm(msg tea.KeyPressMsg, k Keys) (Dialog, Result, tea.Cmd) {
	switch s := msg.String(); {
	case s == "enter": // the focused button, whatever the bindings say
		return Dialog{}, done(d.yes), nil
	case s == "left" || s == "right" || s == "h" || s == "l" || s == "tab" || s == "shift+tab" ||
		key.Matches(msg, k.Next, k.Prev):
		d.yes = !d.yes
	case key.Matches(msg, k.Confirm):
		return Dialog{}, done(true), nil
	case key.Matches(msg, k.Cancel):
		return Dialog{}, done(false), nil
	}
	return d, Result{}, nil
}

// nextEnabled is the first enabled choice after from in direction dir (wrapping), or -1.
func (d Dialog) nextEnabled(from, dir int) int {
	n := len(d.choices)
	for i := 1; i <= n; i++ {
		j := ((from+dir*i)%n + n) % n
		if d.choices[j].Disabled == "" {
			return j
		}
	}
	return -1
}

func (d Dialog) updateChoose(msg tea.KeyPressMsg, k Keys) (Dialog, Result, tea.Cmd) {
	switch {
	case key.Matches(msg, k.Up, k.Prev):
		if j := d.nextEnabled(d.cursor, -1); j >= 0 {
			d.cursor, d.note = j, ""
		}
	case key.Matches(msg, k.Down, k.Next):
		if j := d.nextEnabled(d.cursor, 1); j >= 0 {
			d.cursor, d.note = j, ""
		}
	case key.Matches(msg, k.Confirm):
		if d.cursor < len(d.choices) && d.choices[d.cursor].Disabled == "" {
			return Dialog{}, Result{Done: true, OK: true, Choice: d.cursor}, nil
		}
		d.note = "nothing here can be chosen"
		if d.cursor < len(d.choices) {
			d.note = d.choices[d.cursor].Disabled
		}
	case key.Matches(msg, k.Cancel):
		return Dialog{}, done(false), nil
	}
	return d, Result{}, nil
}

func (d Dialog) updateTypedName(msg tea.KeyPressMsg, k Keys) (Dialog, Result, tea.Cmd) {
	switch {
	case matches(msg, false, k.Confirm):
		if v := d.input.Value(); v == d.name {
			return Dialog{}, Result{Done: true, OK: true, Values: []string{v}}, nil
		}
		d.note = "type " + quote(d.name) + " exactly to confirm"
		return d, Result{}, nil
	case matches(msg, false, k.Cancel):
		return Dialog{}, done(false), nil
	}
	changed, cmd := edit(&d.input, msg)
	if changed {
		d.note = ""
	}
	return d, Result{}, cmd
}

// edit passes a key to a text input (given a value of its own first) and says whether the text
// changed.
func edit(ti *textinput.Model, msg tea.Msg) (bool, tea.Cmd) {
	before := ti.Value()
	own(ti)
	var cmd tea.Cmd
	*ti, cmd = ti.Update(msg)
	return ti.Value() != before, cmd
}

// quote puts s in typographic quotes, so that spaces in a name are visible.
func quote(s string) string { return "“" + s + "”" }

// Paste inserts pasted text into the focused text input (TypedName, Form); the root forwards
// tea.PasteMsg here. Other kinds ignore it.
func (d Dialog) Paste(text string) Dialog {
	switch d.kind {
	case TypedName:
		edit(&d.input, tea.PasteMsg{Content: text})
		d.note = ""
	case Form:
		if d.focus < len(d.fields) && len(d.fields[d.focus].Choices) == 0 {
			d.fields = slices.Clone(d.fields)
			f := &d.fields[d.focus]
			edit(&f.input, tea.PasteMsg{Content: text})
			f.err = ""
		}
	}
	return d
}

// setFocus moves the form's focus to field i (the fields must already be d's own copy).
func (d *Dialog) setFocus(i int) {
	for j := range d.fields {
		if len(d.fields[j].Choices) > 0 {
			continue
		}
		if j == i {
			d.fields[j].input.Focus()
		} else {
			d.fields[j].input.Blur()
		}
	}
	d.focus = i
}

// Values are the form's current values, in field order.
func (d Dialog) Values() []string {
	v := make([]string, len(d.fields))
	for i, f := range d.fields {
		v[i] = f.value()
	}
	return v
}

func (f field) value() string {
	if len(f.Choices) > 0 {
		return f.Choices[f.choice]
	}
	return f.input.Value()
}

func (d Dialog) updateForm(msg tea.KeyPressMsg, k Keys) (Dialog, Result, tea.Cmd) {
	n := len(d.fields)
	switch {
	case matches(msg, false, k.Confirm):
		d.fields = slices.Clone(d.fields)
		for i := range d.fields {
			d.fields[i].err = ""
		}
		for i := range d.fields {
			f := &d.fields[i]
			if f.Validate == nil {
				continue
			}
			if err := f.Validate(f.value()); err != nil {
				f.err = err.Error()
				d.setFocus(i)
				return d, Result{}, nil
			}
		}
		return Dialog{}, Result{Done: true, OK: true, Values: d.Values()}, nil
	case matches(msg, false, k.Cancel):
		return Dialog{}, done(false), nil
	case n == 0:
		return d, Result{}, nil
	case matches(msg, false, k.Next, k.Down):
		d.fields = slices.Clone(d.fields)
		d.setFocus((d.focus + 1) % n)
		return d, Result{}, nil
	case matches(msg, false, k.Prev, k.Up):
		d.fields = slices.Clone(d.fields)
		d.setFocus((d.focus + n - 1) % n)
		return d, Result{}, nil
	}
	d.fields = slices.Clone(d.fields)
	f := &d.fields[d.focus]
	if c := len(f.Choices); c > 0 {
		switch msg.String() {
		case "left", "h":
			f.choice = (f.choice + c - 1) % c
			f.err = ""
		case "right", "l", "space":
			f.choice = (f.choice + 1) % c
			f.err = ""
		}
		return d, Result{}, nil
	}
	changed, cmd := edit(&f.input, msg)
	if changed {
		f.err = ""
	}
	return d, Result{}, cmd
}

func (d Dialog) updateProgress(msg tea.KeyPressMsg, k Keys) (Dialog, Result, tea.Cmd) {
	p := &d.prog
	switch {
	case p.finished: // any key closes the result
		return Dialog{}, done(p.err == nil), nil
	case p.asking:
		if msg.String() == "esc" || msg.String() == "enter" || key.Matches(msg, k.Confirm) {
			return Dialog{}, done(false), nil
		}
		p.asking = false // any other key: keep going
	case key.Matches(msg, k.Cancel):
		p.asking = true
	}
	return d, Result{}, nil
}

// SetProgress records that done bytes were copied by now. Samples with a time before the last
// one are ignored for the rate; a done below the last one (the job restarted) starts the rate
// afresh.
func (d *Dialog) SetProgress(done int64, now time.Time) {
	if d.kind != Progress || d.prog.finished {
		return
	}
	d.prog.add(done, now)
}

// Finish ends a progress dialog: it shows text (and err, if any) until a key closes it, with
// Result.OK = err == nil.
func (d *Dialog) Finish(text string, err error) {
	if d.kind != Progress {
		return
	}
	d.prog.finished, d.prog.asking = true, false
	d.prog.text, d.prog.err = strings.TrimSpace(text), err
}
