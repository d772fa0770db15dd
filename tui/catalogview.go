package tui

import (
	"context"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	dlg "github.com/wsldash/wsldash/tui/dialog"
)

// The catalogue view (9): the distros wsl --install offers (backend.Manager.OnlineDistros),
// fetched each time the view opens (it downloads a manifest; a failure is the table's note, not
// fatal) and never refreshed meanwhile. `i` on a row asks for the new distro's name, folder and
// source, then installs it as a job that shows wsl.exe's phase and the time elapsed (it gives no
// byte counts through a pipe) and ends with how to finish the first-run user set-up: wsldash
// never waits for it.

// catalogState is the catalogue view's data and pane; the root model holds a pointer.
type catalogState struct {
	fetched[[]backend.OnlineDistro]
	list list[backend.OnlineDistro]
}

func (cs *catalogState) scroll() scroller { return &cs.list }
func (cs *catalogState) chrome() int      { return 4 }

func (cs *catalogState) filterWhat() string { return "catalogue: name, friendly name" }
func (cs *catalogState) filter(q string) {
	cs.list.filter(q, func(o *backend.OnlineDistro, q string) bool { return anyContains(q, o.Name, o.FriendlyName) })
}

type catalogMsg = fetchMsg[[]backend.OnlineDistro]

func catalogCmd(ctx context.Context, be backend.Backend, id uint64) tea.Cmd {
	return fetchCmd(ctx, be, id, "install --list", "this backend has no online catalogue", backend.Manager.OnlineDistros)
}

// catalogCmds asks for the catalogue (setView's hook: on each open, superseding a request out).
func (m *Model) catalogCmds() []tea.Cmd {
	if m.view != ViewCatalog {
		return nil
	}
	m.catalog.id = m.nextID()
	m.catalog.list.reset()
	return []tea.Cmd{catalogCmd(m.ctx, m.be, m.catalog.id)}
}

func (m *Model) onCatalog(msg catalogMsg) {
	if m.catalog.accept(msg) {
		m.catalog.list.Set(m.catalog.val, m.catalog.err, func(a, b *backend.OnlineDistro) bool { return a.Name == b.Name })
	}
}

// registered reports whether a distro of this name is registered (WSL's names ignore case).
func (sh *shared) registered(name string) bool {
	_, ok := backend.FindDistro(sh.distros, name)
	return ok
}

func (cs *catalogState) render(sh *shared, r Rect) {
	if needsWindows(sh, r, PaneCatalog, "Catalogue", "WSL's online catalogue") {
		return
	}
	P := &sh.styles.P
	iw := r.W - 2
	const statW = 11
	nameW := min(max(iw*30/100, 12), 34)
	friendW := max(iw-2-nameW-statW, 10)
	body := make([]string, 0, r.H-2)
	status := " " + P.muted.s("what wsl --install offers (wsl --list --online) · i installs one; its first-run user set-up is left to its shell")
	body = append(body, fit(status, iw))
	hdr := "  " + col("NAME", nameW, false) + col("FRIENDLY NAME", friendW, false) + col("", statW, false)
	body = append(body, P.header.s(fit(hdr, iw)))
	body = listRows(sh, body, &cs.list, PaneCatalog, iw, "the catalogue is empty", func(mark string, o *backend.OnlineDistro) string {
		st := ""
		if backend.Installed(sh.distros, o.Name) {
			st = "installed"
		} else if sh.registered(o.Name) {
			st = "installing"
		}
		return mark + col(o.Name, nameW-1, false) + " " + col(cmpOr(o.FriendlyName, "—"), friendW-1, false) + " " + col(st, statW, false)
	})
	note := "fetched when the view opens"
	if n := len(cs.val); n > 0 {
		inst := 0
		for i := range cs.val {
			if backend.Installed(sh.distros, cs.val[i].Name) {
				inst++
			}
		}
		note = strconv.Itoa(n) + " distros · " + strconv.Itoa(inst) + " installed"
	}
	if cs.err != "" {
		note = "could not fetch the catalogue"
	}
	sh.paneBox(r, PaneCatalog, cs.list.title("Catalogue"), note, body)
}

func (cs *catalogState) onKey(h host, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	sh := h.ctxt()
	if !key.Matches(msg, sh.keys.Install) {
		return nil, false
	}
	if h.refuse(backend.ActInstall) {
		return nil, true
	}
	o, ok := cs.list.Selected()
	if !ok {
		h.setFlash(flashInfo, "no catalogue entry selected")
		return nil, true
	}
	if sh.registered(o.Name) {
		h.setFlash(flashInfo, o.Name+" is already installed")
		return nil, true
	}
	src := *o
	fields := []dlg.Field{
		{Label: "Name", Value: src.Name, Validate: newName(backend.ActInstall, "", sh)},
		{Label: "Location", Placeholder: "WSL's default folder"},
		{Label: "Web download", Value: "no", Choices: []string{"no", "yes"}},
	}
	body := "Install " + cmpOr(src.FriendlyName, src.Name) + " (wsl --install " + src.Name + " --no-launch). Location: a folder for its disk, empty for WSL's default. Web download: from the web instead of the Microsoft Store."
	h.openDialog(formDialog("Install "+src.Name+"?", body, "install", fields, func(m *Model, r dlg.Result) tea.Cmd {
		opts := backend.InstallOptions{Distro: src.Name, Name: strings.TrimSpace(r.Values[0]),
			Location: strings.TrimSpace(r.Values[1]), WebDownload: r.Values[2] == "yes"}
		return m.installJob(opts)
	}))
	return nil, true
}

func (m *Model) installJob(o backend.InstallOptions) tea.Cmd {
	mg, ok := m.be.(backend.Manager)
	if !ok {
		m.setFlash(flashErr, "install: this backend cannot install distros")
		return nil
	}
	name := cmpOr(o.Name, o.Distro)
	return m.startJob(jobSpec{title: "Install " + name, body: "Starting wsl --install " + o.Distro + "…", target: name, label: "installing",
		noBytes: true,
		run: func(ctx context.Context, feed *jobFeed) (string, error) {
			res, err := mg.Install(ctx, o, func(p backend.InstallProgress) {
				text := p.Text
				if text == "" {
					text = cmpOr(p.Phase, "waiting for wsl.exe") + "…"
				}
				feed.setPhase(text)
			})
			if err != nil {
				return "", err
			}
			text := "installed " + res.Distro
			if res.Source != "" && !strings.EqualFold(res.Source, res.Distro) {
				text += " from " + res.Source
			}
			if res.FirstRun != "" {
				text += ". " + res.FirstRun
			}
			return text, nil
		}})
}
