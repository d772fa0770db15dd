package wsl

import (
	"context"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/procfs"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// Listening sockets and the networking mode, merged from the looks (look.go) at every running
// distro.

// mergeLooks joins the distros' looks into one socket list. Every distro sees every socket of
// the VM (one network namespace), so a socket is listed once: with the first distro in which a
// process holds it, or with no distro and no pid when none does (WSL's own, or a distro not
// looked at). With only set, only that distro's own sockets are kept.
func mergeLooks(looks []look, only string) []backend.Port {
	type key struct {
		proto string
		ino   uint64
		addr  string
		port  uint16
	}
	seen := map[key]bool{}
	var out []backend.Port
	add := func(s procfs.Socket, l *look) {
		k := key{proto: s.Proto, ino: s.Inode}
		if s.Inode == 0 {
			k.addr, k.port = s.LocalAddr.String(), s.LocalPort
		}
		if seen[k] {
			return
		}
		seen[k] = true
		p := backend.Port{Proto: s.Proto, Address: s.LocalAddr.String(), Port: int(s.LocalPort)}
		if l != nil {
			pid := l.owners[s.Inode]
			p.PID, p.Process, p.Distro = &pid, l.comm[pid], l.distro
		}
		out = append(out, p)
	}
	for i := range looks {
		for _, s := range looks[i].socks {
			if _, ok := looks[i].owners[s.Inode]; ok && s.Inode != 0 {
				add(s, &looks[i])
			}
		}
	}
	if only == "" {
		for i := range looks {
			for _, s := range looks[i].socks {
				add(s, nil)
			}
		}
	}
	backend.SortPorts(out)
	return out
}

var _ backend.NetworkLister = (*Backend)(nil)

// Network lists the listening sockets of every running WSL 2 distro (or one), the networking
// mode and the VM's addresses, from one look per distro. A stopped distro is never started.
func (b *Backend) Network(ctx context.Context, distro string) (backend.Network, error) {
	looks, notes, err := b.lookAll(ctx, distro, lookScript)
	if err != nil {
		return backend.Network{}, err
	}
	if distro == "" && len(notes) == 0 {
		b.keepDistroMemory(looks) // the same look: no second one for the next samples
	}
	n := backend.Network{Addresses: []string{}, Ports: mergeLooks(looks, distro), Notes: notes}
	if n.Ports == nil {
		n.Ports = []backend.Port{}
	}
	for _, l := range looks {
		if n.Mode == "" && l.mode != "" {
			n.Mode, n.ModeSource = l.mode, "wslinfo"
		}
		if len(n.Addresses) == 0 && len(l.addrs) > 0 {
			n.Addresses = l.addrs
		}
	}
	if n.Mode == "" {
		n.Mode, n.ModeSource = b.configNetworkingMode()
	}
	return n, nil
}

// configNetworkingMode is wsl2.networkingMode from .wslconfig (WSL's default nat when the key is
// absent), or "" when the file cannot be found.
func (b *Backend) configNetworkingMode() (mode, source string) {
	b.wslconfigPath()
	if b.cfgPath == "" {
		return "", ""
	}
	f, err := wslconfig.ReadFile(b.cfgPath)
	if err != nil {
		return "nat", "default"
	}
	if v, ok := f.Get("wsl2.networkingMode"); ok && v != "" {
		return strings.ToLower(v), ".wslconfig"
	}
	return "nat", "default"
}
