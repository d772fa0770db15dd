package local

import (
	"context"
	"net"

	"github.com/wsldash/wsldash/backend"
)

var _ backend.NetworkLister = (*Backend)(nil)

// Network lists this machine's listening TCP and bound UDP sockets (/proc/net and the socket
// links in every readable /proc/<pid>/fd: without root, other users' sockets have no pid) and
// its non-loopback addresses. There is no WSL networking mode here.
func (b *Backend) Network(ctx context.Context, distro string) (backend.Network, error) {
	if distro != "" {
		return backend.Network{}, b.noSuchDistro("ports", distro)
	}
	ports, err := b.fs.Listeners("")
	if err != nil {
		return backend.Network{}, err
	}
	n := backend.Network{Addresses: []string{}, Ports: ports}
	if !b.root() {
		for _, p := range ports {
			if p.PID == nil {
				n.Notes = append(n.Notes, "sockets of other users show no pid without root")
				break
			}
		}
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ip, ok := a.(*net.IPNet); ok && !ip.IP.IsLoopback() {
				n.Addresses = append(n.Addresses, ip.String())
			}
		}
	} else {
		n.Notes = append(n.Notes, "addresses: "+err.Error())
	}
	return n, nil
}
