package tui

import (
	"context"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// The ports view (6): the networking mode, the VM's addresses and every running distro's
// listening sockets in one table. It is fetched only while the view is open, every fetchEvery
// refreshes, through backend.NetworkLister (one look per running distro at most).

// portsState is the ports view's data; the root model holds a pointer so that its own struct
// grows by one field.
type portsState struct {
	fetched[backend.Network]
	list list[backend.Port]
}

func (ps *portsState) scroll() scroller { return &ps.list }
func (ps *portsState) chrome() int      { return 4 }

func (ps *portsState) filterWhat() string {
	return "ports: port, address, protocol, process, pid, distro"
}
func (ps *portsState) filter(q string) {
	ps.list.filter(q, func(p *backend.Port, q string) bool {
		pid := ""
		if p.PID != nil {
			pid = strconv.Itoa(*p.PID)
		}
		return anyContains(q, strconv.Itoa(p.Port), p.Address, p.Proto, p.Process, pid, distroLabel(p.Distro))
	})
}

type portsMsg = fetchMsg[backend.Network]

func portsCmd(ctx context.Context, be backend.Backend, id uint64) tea.Cmd {
	return fetchCmd(ctx, be, id, "ports", "this backend cannot list sockets",
		func(nl backend.NetworkLister, ctx context.Context) (backend.Network, error) {
			return nl.Network(ctx, "")
		})
}

// portsCmds asks for the sockets when the ports view is open and no request is out (force: in
// any case, superseding it).
func (m *Model) portsCmds(force bool) []tea.Cmd {
	if m.view != ViewPorts || (!force && m.ports.id != 0) {
		return nil
	}
	m.ports.id = m.nextID()
	return []tea.Cmd{portsCmd(m.ctx, m.be, m.ports.id)}
}

func (m *Model) onPorts(msg portsMsg) {
	if m.ports.accept(msg) {
		m.ports.list.Set(m.ports.val.Ports, m.ports.err, nil)
	}
}

// distroLabel names a distro in a table; Docker Desktop's own distros say so.
func distroLabel(name string) string {
	switch {
	case name == "":
		return "—"
	case backend.IsDockerDistro(name):
		return name + " (Docker)"
	}
	return name
}

func (ps *portsState) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	const protoW, portW, pidW = 6, 7, 8
	flex := max(iw-2-protoW-portW-pidW, 12)
	addrW := min(max(flex*30/100, 10), 24)
	procW := min(max(flex*30/100, 8), 20)
	distW := flex - addrW - procW
	body := make([]string, 0, r.H-2)

	n := ps.val
	mode := "mode " + P.cell.s(cmpOr(n.Mode, "—"))
	if n.ModeSource != "" {
		mode += P.muted.s(" (" + n.ModeSource + ")")
	}
	status := " " + P.muted.s("networking ") + mode
	if len(n.Addresses) > 0 {
		status += P.muted.s(" · addresses ") + P.cell.s(strings.Join(n.Addresses, ", "))
	}
	body = append(body, fit(status, iw))
	hdr := "  " + col("PROTO", protoW, false) + col("ADDRESS", addrW, false) + col("PORT", portW-1, true) + " " +
		col("PID", pidW-1, true) + " " + col("PROCESS", procW, false) + "DISTRO"
	body = append(body, P.header.s(fit(hdr, iw)))
	body = listRows(sh, body, &ps.list, PanePorts, iw, "no listening sockets", func(mark string, p *backend.Port) string {
		pid := "—"
		if p.PID != nil {
			pid = strconv.Itoa(*p.PID)
		}
		return mark + col(p.Proto, protoW, false) + col(p.Address, addrW-1, false) + " " + col(strconv.Itoa(p.Port), portW-1, true) + " " +
			col(pid, pidW-1, true) + " " + col(cmpOr(p.Process, "—"), procW-1, false) + " " + col(distroLabel(p.Distro), distW, false)
	})
	note := "all running distros"
	if sh.info.ThisMachine {
		note = "this machine"
	}
	if len(n.Ports) > 0 {
		note += " · " + strconv.Itoa(len(n.Ports)) + " listening"
	}
	if ps.err != "" && len(n.Ports) > 0 {
		note = ps.err
	}
	for _, s := range n.Notes {
		note += " · " + s
	}
	sh.paneBox(r, PanePorts, ps.list.title("Ports"), note, body)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
