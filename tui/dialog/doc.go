// Package dialog is the dashboard's one modal dialog: a yes/no confirmation, a choice from a
// list, a typed-name confirmation for destructive actions, a small form, and a progress box with
// bytes, rate and time left.
//
// It is hand-written because bubbles has no dialog component and huh (charmbracelet's form
// library) is not one of the project's chosen dependencies; the parts that exist as bubbles are
// used (textinput for text, key for bindings). The progress bar is drawn here, a row of
// BarFull and BarEmpty cells, rather than with bubbles' progress, which takes colours instead
// of styles: this way the bar uses the same Styles as the rest of the box and is plain text
// without colour.
//
// A Dialog is a value the root model holds, not a tea.Model: the root feeds it key presses with
// its own key bindings (Update), paste events (Paste) and, for a progress dialog, the job's
// progress with the time it was measured (SetProgress, Finish), and draws it with View and
// Overlay. The zero Dialog is "no dialog". Update returns the zero Dialog together with a Result
// whose Done is set once the dialog is answered; Done with !OK means cancelled.
//
// Keys. The dialog reads only the Keys it is given, plus the arrows, tab and h/l for the
// buttons. In the kinds with a text input (TypedName and Form) a key that types text always goes
// to the input, so that bindings such as y/n/j/k can be typed; only the binding keys that type
// nothing (enter, esc, tab, the arrows, ctrl+…) act there.
//
// Form: enter submits from any field (the fields come filled with their defaults, so accepting
// them is one key); tab/shift+tab (and ↑/↓) move between fields. When a Validate fails, the first
// failing field gets the focus and its error is shown under it; editing the field clears it.
//
// Without colour (Styles.NoColor) the dialog writes no colour codes: the focused button is in
// [brackets], the selected choice and focused field carry ▸, a disabled choice ✗; the only
// escape code left is the text input's cursor, in reverse video.
//
// Progress: the rate is the average over the last few seconds of SetProgress samples, taken
// from the times given (the package never reads the clock); time left is shown only when the
// total is known and a rate has been measured, otherwise "—".
package dialog
