package fakewsltest

// ManageState mirrors fakewsl's ManageState (its manage.go).
type ManageState struct {
	WSLVersion string           `json:"wsl_version,omitempty"`
	Online     [][2]string      `json:"online,omitempty"`
	Offline    bool             `json:"offline,omitempty"`
	Disks      map[string]*Disk `json:"disks,omitempty"`
	MoveStale  bool             `json:"move_stale,omitempty"`
}

// Disk mirrors fakewsl's Disk.
type Disk struct {
	Bytes  int64  `json:"bytes"`
	Used   int64  `json:"used"`
	Sparse bool   `json:"sparse"`
	Max    string `json:"max,omitempty"`
	User   string `json:"user,omitempty"`
	Moved  string `json:"moved,omitempty"`
}
