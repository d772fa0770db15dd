package backend

import "encoding/json"

// MarshalJSON writes a Process with "cpu_percent": null when its CPU is not known yet.
func (p Process) MarshalJSON() ([]byte, error) {
	type plain Process // no methods: no recursion
	out := struct {
		plain
		CPUPercent *float64 `json:"cpu_percent"` // shadows plain's
	}{plain: plain(p)}
	if !p.CPUUnknown {
		out.CPUPercent = &p.CPUPercent
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes: null is CPUUnknown.
func (p *Process) UnmarshalJSON(b []byte) error {
	type plain Process
	in := struct {
		*plain
		CPUPercent *float64 `json:"cpu_percent"`
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	p.CPUUnknown = in.CPUPercent == nil
	if in.CPUPercent != nil {
		p.CPUPercent = *in.CPUPercent
	} else {
		p.CPUPercent = 0
	}
	return nil
}
