package fakewsltest

// DFState mirrors fakewsl's DFState (its df.go).
type DFState struct {
	Busybox []string `json:"busybox,omitempty"`
	Missing []string `json:"missing,omitempty"`
}
