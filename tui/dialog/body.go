package dialog

// SetBody replaces the dialog's body text: a progress dialog's job says what it is doing now
// (an install's phase).
func (d *Dialog) SetBody(body string) { d.body = body }

// SetNoBytes makes a progress dialog say nothing of bytes: its job counts none (an install, a
// restore), so only the elapsed time is shown, never "0 B".
func (d *Dialog) SetNoBytes() { d.prog.noBytes = true }
