package dialog

// SetTotal sets a progress dialog's expected byte count once the job knows it (<= 0: unknown).
func (d *Dialog) SetTotal(total int64) {
	if d.kind == Progress && !d.prog.finished {
		d.prog.total = max(total, 0)
	}
}
