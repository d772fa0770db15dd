package tui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// The config view (key 5) shows .wslconfig (every known key: value, default, whether set; the
// warnings WSL would print; whether a restart is pending) and the selected distro's
// /etc/wsl.conf, read-only, through the backend's backend.ConfigStore (the demo's are samples).
// Files are read in a Cmd with an id (never in Update or View); a result whose id is not the one
// awaited is dropped.

// configState is the config view's data, behind a pointer in Model.
type configState struct {
	req    uint64 // id of the read in flight, 0 = none
	loaded bool
	res    configMsg
	// The two panes: .wslconfig and the selected distro's /etc/wsl.conf.
	wslconfig, wslconf confPane
}

// configMsg is the result of reading both files.
type configMsg struct {
	id      uint64
	config  confFile // .wslconfig
	distro  confFile // /etc/wsl.conf
	forName string   // the distro whose wsl.conf was asked for
}

// confFile is one file as the panes show it: a source line, an error or the parsed rows.
type confFile struct {
	source  string // path, or what a sample is called ("demo sample")
	note    string // e.g. "no file: WSL uses its defaults"
	err     string
	modTime time.Time
	rows    []confRow
	sample  bool // a canned file on no disk (the demo's)
}

// confRow is one line of a config pane.
type confRow struct {
	text string
	kind confKind
}

type confKind int

const (
	confSet confKind = iota
	confDefault
	confWarn
	confSection
)

// configEnv is what the read needs to know, captured when it is asked for.
type configEnv struct {
	be     backend.Backend
	info   backend.Info
	distro string
}

// configCmd reads .wslconfig and the distro's wsl.conf through the backend's config store.
func configCmd(ctx context.Context, id uint64, env configEnv) tea.Cmd {
	return func() tea.Msg { return readConfig(ctx, id, env) }
}

func readConfig(ctx context.Context, id uint64, env configEnv) configMsg {
	msg := configMsg{id: id, forName: env.distro}
	cs, ok := env.be.(backend.ConfigStore)
	if !ok {
		msg.config.err = "this backend cannot read WSL's config files"
		msg.distro.err = msg.config.err
		return msg
	}
	if cf, err := cs.WSLConfig(ctx); err != nil {
		msg.config.err = errText(err)
	} else if f, err := wslconfig.FromStore(cf); err != nil {
		msg.config.err = errText(err)
	} else {
		msg.config = settingsRows(f, cf.Path, cf.Sample)
		if !cf.Exists {
			msg.config.note = "no file: WSL uses its defaults"
		}
	}
	if env.distro == "" && !env.info.ThisMachine {
		msg.distro.err = "no distro selected"
		return msg
	}
	if cf, err := cs.WSLConf(ctx, env.distro); err != nil {
		msg.distro.err = errText(err)
	} else if f, err := wslconfig.WSLConfFromStore(cf); err != nil {
		msg.distro.err = errText(err)
	} else {
		src := cf.Path
		if !cf.Sample && env.distro != "" {
			src += " of " + env.distro
		}
		msg.distro = settingsRows(f, src, cf.Sample)
		if !cf.Exists {
			msg.distro.note = "no file: the distro uses WSL's defaults"
		}
	}
	return msg
}

// settingsRows turns a parsed file into pane rows: warnings first, then every known key by
// section with its value (or default) and whether the file sets it.
func settingsRows(f *wslconfig.File, source string, sample bool) confFile {
	out := confFile{source: source, modTime: f.ModTime(), sample: sample}
	for _, w := range f.Warnings() {
		out.rows = append(out.rows, confRow{"⚠ " + w.Text, confWarn})
	}
	section := ""
	for _, s := range f.Settings() {
		if sec := s.Key.Section(); sec != section {
			section = sec
			out.rows = append(out.rows, confRow{"[" + sec + "]", confSection})
		}
		k := confDefault
		val := s.Key.Default
		if s.Set {
			k, val = confSet, s.Value
			if !s.Valid {
				val += " (invalid: " + s.Key.Default + ")"
				k = confWarn
			}
		}
		out.rows = append(out.rows, confRow{s.Key.Short() + "\x00" + val + "\x00" + s.Key.Default, k})
	}
	return out
}

// loadConfig asks for both files (superseding a read in flight).
func (m *Model) loadConfig() tea.Cmd {
	m.conf.req = m.nextID()
	env := configEnv{be: m.be, info: m.info, distro: m.selected}
	return configCmd(m.ctx, m.conf.req, env)
}

func (m *Model) onConfig(msg configMsg) {
	if msg.id == 0 || msg.id != m.conf.req {
		return // stale
	}
	m.conf.req = 0
	m.conf.loaded = true
	m.conf.res = msg
	m.conf.wslconfig.list.Set(msg.config.rows, "", nil)
	m.conf.wslconf.list.Set(msg.distro.rows, "", nil)
}

// confPane is one config file's pane: a status line, a column header and the file's rows in
// the shared list.
type confPane struct {
	st     *configState
	distro bool // /etc/wsl.conf (else .wslconfig)
	list   list[confRow]
}

func (p *confPane) scroll() scroller { return &p.list }
func (p *confPane) chrome() int      { return 4 }

func (p *confPane) render(sh *shared, r Rect) {
	if p.distro {
		title := "wsl.conf"
		if n := p.st.res.forName; n != "" {
			title += " · " + n
		}
		p.renderFile(sh, r, PaneWSLConf, title, p.st.res.distro, "", confDefault)
		return
	}
	f := p.st.res.config
	status, sk := restartText(sh, f)
	p.renderFile(sh, r, PaneWSLConfig, ".wslconfig", f, status, sk)
}

// restartText says whether .wslconfig's settings are in force, honestly: the dashboard knows
// when it first saw the VM running, which is the VM's start only if it saw the VM stopped
// before that.
func restartText(sh *shared, f confFile) (string, confKind) {
	r := sh.rec
	switch {
	case f.err != "" || f.modTime.IsZero():
		return "", confDefault
	case sh.info.ThisMachine:
		return "no WSL VM here", confDefault
	case r.vmSince.IsZero():
		return "VM not running: the file applies at the next start", confDefault
	case wslconfig.RestartPending(f.modTime, r.vmSince):
		return "restart pending: changed " + f.modTime.Format("15:04") + ", after the VM started (wsl --shutdown applies it)", confWarn
	case r.vmSawStart:
		return "in force: the VM started after the last change", confSet
	}
	return "restart pending? unknown: VM up before " + r.vmSince.Format("15:04") +
		", file changed " + f.modTime.Format("Jan 2 15:04"), confDefault
}

// renderFile draws one config file: a status line, a column header and the rows.
func (p *confPane) renderFile(sh *shared, r Rect, pn Pane, title string, f confFile, status string, sk confKind) {
	st := sh.styles
	P := &st.P
	iw := r.W - 2
	body := make([]string, 0, r.H-2)
	note := shortPath(f.source)
	if f.note != "" {
		note += " · " + f.note
	}
	switch {
	case !p.st.loaded:
		body = append(body, fit(P.muted.s("  reading…"), iw))
	case f.err != "":
		for _, l := range wrapWords(f.err, iw-2, r.H-2) {
			body = append(body, fit(" "+st.MsgErr.Render(l), iw))
		}
	default:
		if status == "" {
			status = "read-only"
		}
		body = append(body, fit(" "+confPaint(sh, sk).s(status), iw))
		keyW := min(max(iw*36/100, 12), 27)
		valW := min(max(iw*34/100, 10), 34)
		hdr := " " + col("  KEY", keyW, false) + col("VALUE", valW, false) + "DEFAULT (● set)"
		body = append(body, P.header.s(fit(hdr, iw)))
		l := &p.list
		from, to := l.window()
		for i := from; i < to; i++ {
			row := l.At(i)
			mark := " "
			if i == l.cur && sh.focus == pn {
				mark = "▸"
			}
			var line string
			if k, rest, ok := strings.Cut(row.text, "\x00"); ok {
				val, def, _ := strings.Cut(rest, "\x00")
				set := "  "
				if row.kind == confSet || row.kind == confWarn {
					set = "● "
				} else {
					def = "" // the value is the default
				}
				line = mark + set + col(k, keyW-3, false) + " " + col(val, valW-1, false) + " " + def
			} else {
				line = mark + row.text
			}
			body = append(body, confPaint(sh, row.kind).s(fit(line, iw)))
		}
	}
	if len(body) > r.H-2 {
		body = body[:r.H-2]
	}
	sh.paneBox(r, pn, title, note, body)
}

func confPaint(sh *shared, k confKind) paint {
	P := &sh.styles.P
	switch k {
	case confSet:
		return P.cell
	case confWarn:
		return P.busy
	case confSection:
		return P.header
	}
	return P.muted
}
