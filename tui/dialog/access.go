package dialog

// Cursor is a Choose dialog's highlighted choice.
func (d Dialog) Cursor() int { return d.cursor }
