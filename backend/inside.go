package backend

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// MemorySource says where a distro's memory figure comes from.
type MemorySource string

const (
	// MemoryCgroup is WSL's per-distro cgroup (/sys/fs/cgroup/wsl-user/distro-<pid>): exact.
	MemoryCgroup MemorySource = "cgroup"
	// MemoryRSSEstimate is the sum of the RSS of the distro's processes: pages shared between
	// processes count more than once and the kernel's share for the distro is missing.
	MemoryRSSEstimate MemorySource = "rss-estimate"
)

// DistroMemory is one running distro's share of the VM's memory.
type DistroMemory struct {
	Name string `json:"name"`
	// MemoryBytes is what the distro uses beyond page cache (cgroup: memory.current less the
	// file pages; estimate: the RSS sum), so the distros' MemoryBytes and the remainder add up
	// to GuestMemory.UsedBytes.
	MemoryBytes uint64 `json:"memory_bytes"`
	// CacheBytes is the distro's page cache (memory.stat file); nil when unknown (an estimate).
	CacheBytes *uint64      `json:"cache_bytes"`
	Source     MemorySource `json:"source"`
	// Docker is true for Docker Desktop's own distros (docker-desktop, docker-desktop-data).
	Docker bool `json:"docker,omitempty"`
}

// MemoryRemainder is what belongs to no distro looked at: the kernel, WSL's own processes and
// system distro, and any distro whose share is unknown.
type MemoryRemainder struct {
	MemoryBytes uint64 `json:"memory_bytes"`
	CacheBytes  uint64 `json:"cache_bytes"`
}

// SplitMemory completes per-distro figures with the remainder of the VM's memory. Parts that
// exceed the total (an RSS estimate counts shared pages twice) leave a remainder of zero rather
// than a negative one.
func SplitMemory(g GuestMemory, ds []DistroMemory) *MemoryRemainder {
	var mem, cache uint64
	for _, d := range ds {
		mem += d.MemoryBytes
		if d.CacheBytes != nil {
			cache += *d.CacheBytes
		}
	}
	r := &MemoryRemainder{}
	if mem < g.UsedBytes {
		r.MemoryBytes = g.UsedBytes - mem
	}
	if cache < g.CacheBytes {
		r.CacheBytes = g.CacheBytes - cache
	}
	return r
}

// IsDockerDistro names Docker Desktop's distros: stopping them stops Docker Desktop.
func IsDockerDistro(name string) bool {
	n := strings.ToLower(name)
	return n == "docker-desktop" || n == "docker-desktop-data"
}

// DockerWarning is the line shown before an action that stops Docker Desktop's distros, or ""
// when the action does not touch them.
func DockerWarning(a Action, distro string, ds []Distro) string {
	const w = "Docker Desktop will stop: its engine runs in the docker-desktop distro"
	switch a {
	case ActTerminate, ActUnregister:
		if IsDockerDistro(distro) {
			return w
		}
	case ActShutdown:
		for _, d := range ds {
			if IsDockerDistro(d.Name) && d.State == StateRunning {
				return w
			}
		}
	}
	return ""
}

// Port is one listening socket.
type Port struct {
	Proto   string `json:"proto"` // tcp, tcp6, udp, udp6
	Address string `json:"address"`
	Port    int    `json:"port"`
	// PID is nil when no visible process holds the socket (another distro's, or one we may not
	// look into without root).
	PID     *int   `json:"pid"`
	Process string `json:"process,omitempty"`
	Distro  string `json:"distro,omitempty"`
}

// Network is what the VM's networking looks like.
type Network struct {
	// Mode is nat, mirrored, bridged, consomme, none or wsl1; "" when unknown (local). JSON: null
	// when unknown, like every unknown (see MarshalJSON).
	Mode string `json:"mode"`
	// ModeSource is where Mode comes from: "wslinfo", ".wslconfig", "default" or "demo"; "" (null)
	// when Mode is unknown.
	ModeSource string   `json:"mode_source"`
	Addresses  []string `json:"addresses"`
	Ports      []Port   `json:"ports"`
	// Notes say what could not be looked at (a distro that failed), one line each.
	Notes []string `json:"notes,omitempty"`
}

// MarshalJSON writes an unknown mode and its source as null, never as "" or a missing key.
func (n Network) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Mode       *string  `json:"mode"`
		ModeSource *string  `json:"mode_source"`
		Addresses  []string `json:"addresses"`
		Ports      []Port   `json:"ports"`
		Notes      []string `json:"notes,omitempty"`
	}{nonEmpty(n.Mode), nonEmpty(n.ModeSource), n.Addresses, n.Ports, n.Notes})
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NetworkLister is a backend that can list listening sockets. distro "" means every running
// distro (one look each at most); local ignores it.
type NetworkLister interface {
	Network(ctx context.Context, distro string) (Network, error)
}

// AllProcessLister is a backend that lists every running distro's processes at once more
// cheaply than one Processes call per distro.
type AllProcessLister interface {
	AllProcesses(ctx context.Context) ([]Process, error)
}

// AllProcesses lists the processes of every running distro, each with its Distro: the
// backend's own AllProcesses when it has one, else one Processes call per running distro (the
// local machine, which has no distros, answers for itself). A distro that fails is skipped and
// named in the returned notes; only if all fail is the first error returned.
func AllProcesses(ctx context.Context, b Backend) ([]Process, []string, error) {
	if a, ok := b.(AllProcessLister); ok {
		ps, err := a.AllProcesses(ctx)
		return ps, nil, err
	}
	ds, err := b.Distros(ctx)
	if err != nil {
		return nil, nil, err
	}
	var running []string
	for _, d := range ds {
		if d.State == StateRunning {
			running = append(running, d.Name)
		}
	}
	if len(ds) == 0 {
		running = []string{""}
	}
	var out []Process
	var notes []string
	var first error
	for _, name := range running {
		ps, err := b.Processes(ctx, name)
		if err != nil {
			if first == nil {
				first = err
			}
			notes = append(notes, name+": "+errMessage(err))
			continue
		}
		out = append(out, ps...)
	}
	if len(out) == 0 && first != nil && len(running) > 0 {
		return nil, notes, first
	}
	return out, notes, nil
}

func errMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// SortPorts orders ports by port number, protocol, address and distro.
func SortPorts(ps []Port) {
	slices.SortStableFunc(ps, func(a, b Port) int {
		if c := cmp.Compare(a.Port, b.Port); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Proto, b.Proto); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Address, b.Address); c != 0 {
			return c
		}
		return cmp.Compare(a.Distro, b.Distro)
	})
}
