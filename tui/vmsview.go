package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// The VMs view (7): every VM on the Windows host, as `wsldash vms` lists them: what HCS reports
// (owner, type, id, state, memory, CPU time) beside each vmmem process, labelled (WSL's VM, WSL
// containers, Windows Sandbox, Docker, Hyper-V VM, unknown). Read-only: no key acts on a VM
// here. Fetched only while the view is open, every fetchEvery refreshes, through
// backend.VMLister (the wsl backend in the Windows build, the demo).

// vmsState is the VMs view's data; the root model holds a pointer.
type vmsState struct {
	fetched[backend.VMList]
	list list[backend.VM]
}

func (vs *vmsState) scroll() scroller { return &vs.list }
func (vs *vmsState) chrome() int      { return 4 }

func (vs *vmsState) filterWhat() string { return "VMs: kind, owner, name, id, state, process" }
func (vs *vmsState) filter(q string) {
	vs.list.filter(q, func(v *backend.VM, q string) bool {
		return anyContains(q, v.Kind, v.Owner, v.Name, v.ID, v.State, v.Process)
	})
}

type vmsMsg = fetchMsg[backend.VMList]

func vmsCmd(ctx context.Context, be backend.Backend, id uint64) tea.Cmd {
	return fetchCmd(ctx, be, id, "list VMs", "this backend cannot list the Windows host's VMs", backend.VMLister.VMs)
}

// vmsCmds asks for the VMs when the VMs view is open and no request is out (force: in any
// case, superseding it).
func (m *Model) vmsCmds(force bool) []tea.Cmd {
	if m.view != ViewVMs || (!force && m.vms.id != 0) {
		return nil
	}
	m.vms.id = m.nextID()
	return []tea.Cmd{vmsCmd(m.ctx, m.be, m.vms.id)}
}

func (m *Model) onVMs(msg vmsMsg) {
	if m.vms.accept(msg) {
		m.vms.list.Set(m.vms.val.VMs, m.vms.err, nil)
	}
}

// shortID is the first group of a GUID ("5E0C7D2A"), enough to tell a host's VMs apart.
func shortID(id string) string {
	if i := strings.IndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}

// vmName is a VM's HCS name where it gives one, else its short id, else "—".
func vmName(v *backend.VM) string {
	if v.Name != "" {
		return v.Name
	}
	return cmpOr(shortID(v.ID), "—")
}

// cpuTime formats processor seconds: "88.5s", "50m22s", "3h07m".
func cpuTime(s float64) string {
	switch {
	case s < 100:
		return strconv.FormatFloat(s, 'f', 1, 64) + "s"
	case s < 3600:
		n := int(s)
		return fmt.Sprintf("%dm%02ds", n/60, n%60)
	}
	n := int(s) / 60
	return fmt.Sprintf("%dh%02dm", n/60, n%60)
}

func (vs *vmsState) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	if needsWindows(sh, r, PaneVMs, "VMs", "VMs on a Windows host") {
		return
	}
	l := vs.val
	iw := r.W - 2
	kindW, ownerW, stateW, memW, cpuW, pmemW := 16, 8, 9, 10, 8, 11
	if iw < 100 { // 80 columns: every column still fits its usual values
		ownerW, stateW, memW, cpuW, pmemW = 7, 8, 9, 7, 9
	}
	flex := max(iw-2-kindW-ownerW-stateW-memW-cpuW-pmemW, 8)
	nameW := flex * 55 / 100
	procW := flex - nameW
	body := make([]string, 0, r.H-2)

	status := " " + P.muted.s("every VM on the Windows host: what HCS reports beside each vmmem process")
	body = append(body, fit(status, iw))
	hdr := "  " + col("KIND", kindW, false) + col("OWNER", ownerW, false) + col("NAME / ID", nameW, false) +
		col("STATE", stateW, false) + col("MEMORY", memW-1, true) + " " + col("CPU", cpuW-1, true) + " " +
		col("PROCESS", procW, false) + col("PROC MEM", pmemW-1, true)
	body = append(body, P.header.s(fit(hdr, iw)))
	body = listRows(sh, body, &vs.list, PaneVMs, iw, "no VMs are running", func(mark string, v *backend.VM) string {
		cpu := "—"
		if v.CPUSeconds != nil {
			cpu = cpuTime(*v.CPUSeconds)
		}
		return mark + col(cmpOr(v.Kind, backend.VMKindUnknown), kindW-1, false) + " " + col(cmpOr(v.Owner, "—"), ownerW-1, false) + " " +
			col(vmName(v), nameW-1, false) + " " + col(cmpOr(v.State, "—"), stateW-1, false) + " " +
			col(optBytes(v.MemoryBytes), memW-1, true) + " " + col(cpu, cpuW-1, true) + " " +
			col(cmpOr(v.Process, "—"), procW-1, false) + " " + col(optBytes(v.ProcessBytes), pmemW-1, true)
	})
	from, to := vs.list.window()
	vis, shown := vs.list.Visible(), max(to-from, 1)
	// What could not be read, below the table where rows are left: each VM's note, then the
	// list's (what elevation would add).
	var notes []string
	for i := range l.VMs {
		if v := &l.VMs[i]; v.Note != "" {
			notes = append(notes, v.Kind+" "+vmName(v)+": "+v.Note)
		}
	}
	if l.Note != "" {
		notes = append(notes, l.Note)
	}
	if len(notes) > 0 && vis-shown >= 2 {
		body = append(body, fit("", iw))
		for _, n := range notes[:min(len(notes), vis-shown-1)] {
			body = append(body, fit(P.muted.s("  "+n), iw))
		}
	}
	note := "read-only"
	if len(l.VMs) > 0 {
		note = strconv.Itoa(len(l.VMs)) + " VMs · " + note
	}
	if vs.err != "" && len(l.VMs) > 0 {
		note = vs.err
	}
	sh.paneBox(r, PaneVMs, vs.list.title("VMs"), note, body)
}
