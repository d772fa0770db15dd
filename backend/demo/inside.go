package demo

import (
	"context"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// The demo's networking: WSL's default NAT mode with the VM on a 172.x /20 subnet.
const (
	demoMode    = "nat"
	demoAddress = "172.23.148.117/20"
)

// distroMemory is each running distro's share, modelling both ways a real backend learns it:
// Ubuntu-24.04 from its WSL cgroup (exact, with its page cache), docker-desktop from the RSS of
// its processes (an estimate without cache: Docker's init is not in a WSL distro cgroup), and
// any other running distro by cgroup. Callers hold b.mu.
func (b *Backend) distroMemory(g backend.GuestMemory) []backend.DistroMemory {
	s := b.sim
	if !s.vmUp {
		return nil
	}
	var out []backend.DistroMemory
	for _, d := range s.distros {
		if d.State != backend.StateRunning || d.Version == 1 {
			continue
		}
		m := backend.DistroMemory{Name: d.Name, Docker: backend.IsDockerDistro(d.Name)}
		if d.Name == "docker-desktop" {
			m.Source = backend.MemoryRSSEstimate
			for _, p := range b.procsOf(d) {
				m.MemoryBytes += p.RSSBytes
			}
		} else {
			m.Source = backend.MemoryCgroup
			m.MemoryBytes = d.base + d.anon
			c := min(d.cache, g.CacheBytes)
			m.CacheBytes = &c
		}
		out = append(out, m)
	}
	return out
}

// Network lists the demo's listening sockets: each running distro's servers, and one socket of
// WSL's own (no distro's process holds it, so its pid is unknown).
func (b *Backend) Network(ctx context.Context, distro string) (backend.Network, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.advance()
	if distro != "" {
		if _, err := b.running("ports", distro); err != nil {
			return backend.Network{}, err
		}
	}
	n := backend.Network{Mode: demoMode, ModeSource: "demo", Addresses: []string{}, Ports: []backend.Port{}}
	if !b.sim.vmUp {
		return n, nil
	}
	n.Addresses = []string{demoAddress, "fe80::215:5dff:fe3a:9c41/64"}
	type sock struct {
		proto, addr string
		port, pid   int
	}
	socks := map[string][]sock{
		"Ubuntu-24.04": {{"tcp6", "::", 3000, 1187}, {"tcp", "127.0.0.1", 37017, 1203}, {"tcp", "127.0.0.1", 5173, 2431}},
		"docker-desktop": {{"tcp", "0.0.0.0", 5432, 410}, {"tcp6", "::", 5432, 410}, {"tcp", "127.0.0.1", 6379, 455},
			{"udp", "0.0.0.0", 53, 512}},
		"Debian":     {{"tcp", "0.0.0.0", 22, 7}},
		"kali-linux": {{"tcp", "0.0.0.0", 8080, 140}},
	}
	for _, d := range b.sim.distros {
		if d.State != backend.StateRunning || (distro != "" && !strings.EqualFold(distro, d.Name)) {
			continue
		}
		live := map[int]string{}
		for _, p := range b.procsOf(d) {
			live[p.PID] = p.Name
		}
		for _, s := range socks[d.Name] {
			name, ok := live[s.pid]
			if !ok {
				continue // the process is gone (killed, or its build is not running)
			}
			pid := s.pid
			n.Ports = append(n.Ports, backend.Port{Proto: s.proto, Address: s.addr, Port: s.port, PID: &pid, Process: name, Distro: d.Name})
		}
	}
	if distro == "" {
		// The VM-wide DNS proxy of WSL's own init: in every distro's /proc/net, in none's fds.
		n.Ports = append(n.Ports, backend.Port{Proto: "udp", Address: "10.255.255.254", Port: 53})
	}
	backend.SortPorts(n.Ports)
	return n, nil
}

var _ backend.NetworkLister = (*Backend)(nil)
