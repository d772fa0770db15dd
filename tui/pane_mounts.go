package tui

import (
	"strconv"

	"github.com/wsldash/wsldash/backend"
)

// mountsPane is the mount table of the selected distro (or this machine).
type mountsPane struct {
	list list[backend.Mount]
	of   string // the distro the list shows
}

func (p *mountsPane) scroll() scroller { return &p.list }
func (p *mountsPane) chrome() int      { return 3 }

func (p *mountsPane) filterWhat() string { return "mounts: target, source, type, kind" }
func (p *mountsPane) filter(q string) {
	p.list.filter(q, func(mt *backend.Mount, q string) bool {
		return anyContains(q, mt.Target, mt.Source, mt.FSType, string(mt.Kind))
	})
}

// set takes an answer; the cursor stays on its row.
func (p *mountsPane) set(msg mountsMsg) {
	p.of = msg.distro
	if msg.err != nil {
		p.list.Set(nil, detailErr(msg.distro, msg.err), nil)
		return
	}
	p.list.Set(msg.mounts, "", nil)
}

func (p *mountsPane) render(sh *shared, r Rect) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	const typeW, kindW = 10, 9
	flex := max(iw-2-typeW-kindW, 8)
	targetW := flex / 2
	srcW := flex - targetW
	optW := 0
	if flex >= 80 { // wide: fixed target/source, the mount options get the rest
		targetW, srcW = 30, 24
		optW = flex - targetW - srcW
	}
	body := make([]string, 0, r.H-2)
	hdr := "  " + col("TARGET", targetW, false) + col("SOURCE", srcW, false) + col("TYPE", typeW, false) + col("KIND", kindW, false)
	if optW > 0 {
		hdr += "OPTIONS"
	}
	body = append(body, P.header.s(fit(hdr, iw)))
	body = listRows(sh, body, &p.list, PaneMounts, iw, "no mounts", func(mark string, mt *backend.Mount) string {
		line := mark + col(mt.Target, targetW-1, false) + " " + col(mt.Source, srcW-1, false) + " " +
			col(mt.FSType, typeW-1, false) + " " + col(string(mt.Kind), kindW, false)
		if optW > 0 {
			line += col(mt.Options, optW, false)
		}
		return line
	})
	note := sh.detailFor()
	if n := p.list.Len(); n > 0 {
		note += " · " + strconv.Itoa(n)
	}
	sh.paneBox(r, PaneMounts, p.list.title("Mounts"), note, body)
}
