package tui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
)

// procsPane is the process list: the selected distro's processes, or every running distro's
// (key a), in the order o chooses, with x to signal the one under the cursor.
type procsPane struct {
	list   list[backend.Process]
	sortBy sortBy
	all    bool   // every running distro (a)
	of     string // the distro the list shows (allDistros for all)
}

func (p *procsPane) scroll() scroller { return &p.list }
func (p *procsPane) chrome() int      { return 3 }

func sameProc(a, b *backend.Process) bool { return a.PID == b.PID }

func (p *procsPane) filterWhat() string { return "processes: name, user, pid, distro" }
func (p *procsPane) filter(q string)    { p.list.filter(q, matchProc) }

func matchProc(pr *backend.Process, q string) bool {
	return anyContains(q, pr.Name, pr.User, strconv.Itoa(pr.PID), pr.Distro)
}

// allDistros is the process list's target when it shows every running distro (key a): one
// look per running distro (backend.AllProcesses), each process tagged with its distro.
const allDistros = "\x00all"

// target is the distro whose processes the list asks for.
func (p *procsPane) target(selected string) string {
	if p.all {
		return allDistros
	}
	return selected
}

// procDistro is the distro a listed process runs in (for kill): its own in the all-distros
// list, else the list's.
func (p *procsPane) procDistro(pr *backend.Process) string {
	if p.of == allDistros {
		return pr.Distro
	}
	return p.of
}

// fetchProcs is Processes, or every running distro's for allDistros.
func fetchProcs(ctx context.Context, be backend.Backend, distro string) ([]backend.Process, error) {
	if distro == allDistros {
		ps, _, err := backend.AllProcesses(ctx, be)
		return ps, err
	}
	return be.Processes(ctx, distro)
}

// set takes an answer: the cursor stays on the same process.
func (p *procsPane) set(msg procsMsg) {
	p.of = msg.distro
	if msg.err != nil {
		p.list.Set(nil, detailErr(msg.distro, msg.err), nil)
		return
	}
	if msg.by != p.sortBy { // the order changed while this list was on its way
		sortProcs(msg.procs, p.sortBy)
	}
	p.list.Set(msg.procs, "", sameProc)
}

func (p *procsPane) onKey(h host, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := &h.ctxt().keys
	switch {
	case key.Matches(msg, k.Sort):
		p.sortBy = (p.sortBy + 1) % sortModes
		keep, ok := p.list.Selected()
		pid := 0
		if ok {
			pid = keep.PID
		}
		sortProcs(p.list.items, p.sortBy)
		p.filter(p.list.Query()) // the filtered rows point into the items just reordered
		if ok {
			for i := range p.list.Len() {
				if p.list.At(i).PID == pid {
					p.list.MoveTo(i)
				}
			}
		}
		h.setFlash(flashInfo, "processes by "+p.sortBy.String())
		return nil, true
	case key.Matches(msg, k.AllProcs):
		p.all = !p.all
		if p.all {
			h.setFlash(flashInfo, "processes of every running distro")
		} else {
			h.setFlash(flashInfo, "processes of the selected distro")
		}
		return h.detailsChanged(), true
	case key.Matches(msg, k.Kill):
		return p.kill(h), true
	}
	return nil, false
}

// kill asks which signal to send the process under the cursor.
func (p *procsPane) kill(h host) tea.Cmd {
	if h.refuse(backend.ActKill) {
		return nil
	}
	if !h.ctxt().layout.Visible(PaneProcs) {
		h.setFlash(flashInfo, "open the process list (1 or 3) to pick a process")
		return nil
	}
	pr, ok := p.list.Selected()
	if !ok {
		h.setFlash(flashInfo, "no process selected")
		return nil
	}
	where := p.procDistro(pr)
	if where == "" {
		where = "on this machine"
	} else {
		where = "in " + where
	}
	// Refused before any confirmation: pid 1 and WSL's init end the distro, not a process.
	if err := backend.CheckKill(pr.PID, pr.Name, backend.SigTerm); err != nil {
		h.setFlash(flashErr, errText(err))
		return nil
	}
	h.openDialog(chooseDialog("Signal process?", fmt.Sprintf("Stop %s (pid %d) %s.", pr.Name, pr.PID, where), "send",
		killChoices, op{act: backend.ActKill, distro: p.procDistro(pr), pid: pr.PID, name: pr.Name}))
	return nil
}

func (p *procsPane) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	const pidW, userW, cpuW, rssW = 8, 10, 7, 10
	all := p.of == allDistros
	distW := 0
	if all {
		distW = min(max(iw/5, 10), 20)
	}
	showUser := iw >= 2+pidW+userW+cpuW+rssW+12+distW
	fixed := 2 + pidW + cpuW + rssW + distW
	if showUser {
		fixed += userW
	}
	nameW := max(iw-fixed, 4)
	exact := fixed+nameW == iw
	body := make([]string, 0, r.H-2)
	hdr := "  "
	if all {
		hdr += col("DISTRO", distW, false)
	}
	hdr += col("PID", pidW-2, true) + "  "
	if showUser {
		hdr += col("USER", userW, false)
	}
	hdr += col("CPU%", cpuW-1, true) + " " + col("RSS", rssW-1, true) + " " + "NAME"
	body = append(body, P.header.s(fit(hdr, iw)))
	l := &p.list
	var b strings.Builder
	from, to := l.window()
	for i := from; i < to; i++ {
		pr := l.At(i)
		b.Reset()
		if i == l.cur {
			b.WriteString("▸ ")
		} else {
			b.WriteString("  ")
		}
		if all {
			b.WriteString(col(pr.Distro, distW-1, false))
			b.WriteByte(' ')
		}
		b.WriteString(col(strconv.Itoa(pr.PID), pidW-2, true))
		b.WriteString("  ")
		if showUser {
			b.WriteString(col(pr.User, userW-1, false))
			b.WriteByte(' ')
		}
		cpu := unknown
		if !pr.CPUUnknown {
			cpu = strconv.FormatFloat(pr.CPUPercent, 'f', 1, 64)
		}
		b.WriteString(col(cpu, cpuW-1, true))
		b.WriteByte(' ')
		b.WriteString(col(units.HumanBytes(float64(pr.RSSBytes)), rssW-1, true))
		b.WriteByte(' ')
		name := pr.Name
		if pd, ok := sh.pending[pidKey(pr.PID)]; ok {
			name = sh.spinner() + " " + pd.label + "… " + name
		}
		b.WriteString(col(name, nameW, false))
		line := b.String()
		if !exact {
			line = fit(line, iw)
		}
		body = append(body, sh.rowPaint(i == l.cur, PaneProcs).s(line))
	}
	if l.Len() == 0 {
		body = append(body, fit(P.muted.s("  "+l.emptyText("no processes")), iw))
	}
	note := sh.detailFor()
	if all {
		note = "all running distros"
	}
	if l.Len() > 0 {
		note += " · " + strconv.Itoa(l.Len()) + " · by " + p.sortBy.String()
	}
	sh.paneBox(r, PaneProcs, l.title("Processes"), note, body)
}
