package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/internal/units"
	dlg "github.com/wsldash/wsldash/tui/dialog"
)

// Managing distros from the dashboard: export (e), import (I), clone (c), unregister to the
// trash (U), and the manage menu (m: move, resize, sparse, default user, compact, rename). Each
// asks what it needs in a dialog, confirms what changes or stops something, and runs as a job
// (jobs.go) through backend.Archiver or backend.Manager. A choice the installed WSL is too old
// for is shown disabled with the version it needs (Capabilities).

// actManage is the manage menu's key (never sent to a backend).
const actManage backend.Action = "manage"

func (m *Model) archiver() (backend.Archiver, bool) {
	a, ok := m.be.(backend.Archiver)
	if !ok {
		m.setFlash(flashErr, "this backend cannot export, import or unregister distros")
	}
	return a, ok
}

func (m *Model) manager() (backend.Manager, bool) {
	g, ok := m.be.(backend.Manager)
	if !ok {
		m.setFlash(flashErr, "this backend cannot manage distros")
	}
	return g, ok
}

// manage is a distro-management key on the selected distro d (none for import).
func (m *Model) manage(a backend.Action, d backend.Distro) tea.Cmd {
	if a != actManage && m.refuse(a) {
		return nil
	}
	if a != backend.ActImport && d.Name == "" {
		m.setFlash(flashInfo, "no distro selected")
		return nil
	}
	switch a {
	case backend.ActExport:
		m.exportDialog(d)
	case backend.ActImport:
		m.importDialog()
	case backend.ActClone:
		m.cloneDialog(d)
	case backend.ActUnregister:
		m.unregisterDialog(d)
	case actManage:
		m.manageMenu(d)
	}
	return nil
}

// homeDir is where exports and installs go by default: the backend's (the demo's simulated
// Windows profile), else this user's home.
func (m *Model) homeDir() string {
	if m.info.HomeDir != "" {
		return m.info.HomeDir
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}

// inDir joins name to dir with dir's own separator: a Windows path (the demo's profile, or
// Windows itself) gets a backslash whatever system wsldash runs on.
func inDir(dir, name string) string {
	if strings.Contains(dir, `\`) && !strings.Contains(dir, "/") {
		return strings.TrimSuffix(dir, `\`) + `\` + name
	}
	return filepath.Join(dir, name)
}

// withFormat gives file the extension of format f, replacing an archive extension it has.
func withFormat(file string, f backend.Format) string {
	low := strings.ToLower(file)
	for _, ext := range []string{".tar.gz", ".tar.xz", ".tgz", ".txz", ".tar", ".vhdx", ".vhd"} {
		if strings.HasSuffix(low, ext) {
			file = file[:len(file)-len(ext)]
			break
		}
	}
	return file + f.Ext()
}

func notEmpty(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s is needed", what)
		}
		return nil
	}
}

// ruleReason is a backend rule's refusal in a dialog's words: its one-line message alone (the
// dialog already names the action and the distro).
func ruleReason(err error) string {
	var e *backend.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// newName is a name field's check for the distro action a makes (renaming: the distro a rename
// renames, else ""): backend.CheckNewName on the distros listed when it is asked.
func newName(a backend.Action, renaming string, sh *shared) func(string) error {
	return func(s string) error {
		if err := backend.CheckNewName(a, strings.TrimSpace(s), renaming, sh.distros); err != nil {
			return errors.New(ruleReason(err))
		}
		return nil
	}
}

// formatChoices are the export formats this distro and this WSL can write, as form choices; the
// reason a format is not offered goes in the dialog's body.
func (m *Model) formatChoices(d backend.Distro) (choices []string, notes []string) {
	for _, f := range backend.Formats {
		switch err := backend.CheckFormat(backend.ActExport, d, f); {
		case err != nil:
			notes = append(notes, string(f)+": "+ruleReason(err))
		case (f == backend.FormatTarGz || f == backend.FormatTarXz) && m.caps.Reason(backend.ActExportFormat) != "":
			if len(notes) == 0 || !strings.HasPrefix(notes[len(notes)-1], "tar.gz") {
				notes = append(notes, "tar.gz, tar.xz: "+m.caps.Reason(backend.ActExportFormat))
			}
		default:
			choices = append(choices, string(f))
		}
	}
	return choices, notes
}

// exportTotal is how many bytes an export of d in format f will write, where that can be known:
// a tar holds about what the distro uses inside (df, running distros only), a vhd is the disk
// file; a compressed tar's size is not known ahead (-1).
func exportTotal(ctx context.Context, be backend.Backend, d backend.Distro, f backend.Format) int64 {
	switch f {
	case backend.FormatVHD:
		if d.DiskBytes > 0 {
			return d.DiskBytes
		}
	case backend.FormatTar:
		if dr, ok := be.(backend.DiskReporter); ok {
			if u, err := dr.DiskUsage(ctx, d.Name); err == nil && u.Inside != nil {
				return u.Inside.UsedBytes
			}
		}
	}
	return -1
}

func (m *Model) exportDialog(d backend.Distro) {
	arc, ok := m.archiver()
	if !ok {
		return
	}
	choices, notes := m.formatChoices(d)
	body := "A copy of " + d.Name + " in one file; an existing file is never replaced, and a cancelled export leaves none."
	if d.State == backend.StateRunning {
		body += " It keeps running meanwhile (files written during the export may be inconsistent)."
	}
	for _, n := range notes {
		body += " " + n + "."
	}
	file := inDir(m.homeDir(), d.Name+"-"+m.clock.Now().Format("20060102")+".tar")
	fields := []dlg.Field{
		{Label: "File", Value: file, Validate: notEmpty("a file")},
		{Label: "Format (the extension follows it)", Value: "tar", Choices: choices},
	}
	be := m.be
	m.dialog = formDialog("Export "+d.Name, body, "export", fields, func(m *Model, r dlg.Result) tea.Cmd {
		f, _ := backend.ParseFormat(r.Values[1])
		path := withFormat(strings.TrimSpace(r.Values[0]), f)
		return m.startJob(jobSpec{
			title: "Exporting " + d.Name, body: "to " + path + " (" + string(f) + ")",
			target: d.Name, label: "exporting",
			run: func(ctx context.Context, p *jobFeed) (string, error) {
				p.setTotal(exportTotal(ctx, be, d, f))
				var written int64
				err := arc.Export(ctx, d.Name, path, f, func(n int64) { written = n; p.progress(n) })
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("exported %s to %s (%s)", d.Name, path, units.HumanBytes(float64(written))), nil
			},
		})
	})
}

func (m *Model) importDialog() {
	arc, ok := m.archiver()
	if !ok {
		return
	}
	fields := []dlg.Field{
		{Label: "File (.tar, .tar.gz, .tar.xz, .vhdx)", Validate: notEmpty("a file")},
		{Label: "Name", Validate: newName(backend.ActImport, "", &m.shared)},
		{Label: "Install folder", Value: inDir(m.homeDir(), "wsl"), Validate: notEmpty("a folder")},
		{Label: "WSL version", Value: "default", Choices: []string{"default", "2", "1"}},
	}
	m.dialog = formDialog("Import a distro", "A new distro from an exported file; its disk goes in the install folder (under it, a folder named after it).",
		"import", fields, func(m *Model, r dlg.Result) tea.Cmd {
			file, name := strings.TrimSpace(r.Values[0]), strings.TrimSpace(r.Values[1])
			dir := filepath.Join(strings.TrimSpace(r.Values[2]), name)
			version := map[string]int{"2": 2, "1": 1}[r.Values[3]]
			return m.startJob(jobSpec{
				title: "Importing " + name, body: "from " + file + " into " + dir,
				run: func(ctx context.Context, p *jobFeed) (string, error) {
					if err := arc.Import(ctx, name, dir, file, version); err != nil {
						return "", err
					}
					return fmt.Sprintf("imported %s into %s", name, dir), nil
				},
			})
		})
}

func (m *Model) cloneDialog(d backend.Distro) {
	arc, ok := m.archiver()
	if !ok {
		return
	}
	fields := []dlg.Field{
		{Label: "New name", Value: d.Name + "-copy", Validate: newName(backend.ActClone, "", &m.shared)},
		{Label: "Install folder (empty: next to the others)", Value: ""},
	}
	be := m.be
	m.dialog = formDialog("Clone "+d.Name, "Export, then import as a new distro; "+d.Name+" is left as it is.", "clone", fields,
		func(m *Model, r dlg.Result) tea.Cmd {
			name, dir := strings.TrimSpace(r.Values[0]), strings.TrimSpace(r.Values[1])
			return m.startJob(jobSpec{
				title: "Cloning " + d.Name, body: "as " + name,
				target: d.Name, label: "cloning",
				run: func(ctx context.Context, p *jobFeed) (string, error) {
					p.setTotal(exportTotal(ctx, be, d, backend.FormatTar))
					if err := arc.Clone(ctx, d.Name, name, dir, backend.FormatTar, p.progress); err != nil {
						return "", err
					}
					return fmt.Sprintf("cloned %s as %s", d.Name, name), nil
				},
			})
		})
}

func (m *Model) unregisterDialog(d backend.Distro) {
	arc, ok := m.archiver()
	if !ok {
		return
	}
	body := "wsl --unregister deletes " + d.Name + "'s disk and everything in it. wsldash first exports it to the trash " +
		"and checks the archive; only then does it unregister. Restore it from the trash (8, then u)." +
		dockerNote(backend.ActUnregister, d.Name, m.distros)
	be := m.be
	m.dialog = typedNameDialog("Unregister "+d.Name+"?", body+" Type its name to go on.", d.Name, func(m *Model, r dlg.Result) tea.Cmd {
		return m.startJob(jobSpec{
			title: "Unregistering " + d.Name, body: "exporting it to the trash first, then unregistering",
			target: d.Name, label: "unregistering",
			run: func(ctx context.Context, p *jobFeed) (string, error) {
				p.setTotal(exportTotal(ctx, be, d, backend.FormatTar))
				e, err := arc.Trash(ctx, d.Name, p.progress)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("unregistered %s; its archive is in the trash (%s): 8 then u restores it", d.Name, units.HumanBytes(float64(e.Bytes))), nil
			},
		})
	})
}

// manageChoices are the manage menu's entries, in order.
var manageChoices = []struct {
	act         backend.Action
	label, desc string
}{
	{backend.ActMove, "move", "move its disk to another folder or drive (stops it)"},
	{backend.ActResize, "resize", "set its disk's maximum size (stops it)"},
	{backend.ActSparse, "sparse", "make its disk sparse (freed space goes back to Windows) or not"},
	{backend.ActSetUser, "default user", "the user its shells start as"},
	{backend.ActCompact, "compact", "give the disk's free space back to Windows (fstrim, stop, shrink)"},
	{backend.ActRename, "rename", "rename it and its Windows Terminal profile (stopped)"},
	{backend.ActExport, "export", "a copy in one file (tar, tar.gz, tar.xz, vhd)"},
	{backend.ActClone, "clone", "a copy as a new distro"},
	{backend.ActUnregister, "unregister", "remove it, keeping an archive in the trash"},
}

func (m *Model) manageMenu(d backend.Distro) {
	choices := make([]dialogChoice, len(manageChoices))
	for i, c := range manageChoices {
		choices[i] = dialogChoice{label: c.label, desc: c.desc, disabled: m.manageReason(c.act, d)}
	}
	body := ""
	if backend.IsDockerDistro(d.Name) {
		body = "It is Docker Desktop's distro: moving, resizing, compacting or renaming it with wsl breaks Docker Desktop; use Docker Desktop's own settings."
	}
	dd := chooseDialog("Manage "+d.Name, body, "choose", choices, op{})
	dd.then = func(m *Model, r dlg.Result) tea.Cmd {
		act := manageChoices[r.Choice].act
		switch act {
		case backend.ActExport, backend.ActClone, backend.ActUnregister:
			return m.manage(act, d)
		}
		m.manageAction(act, d)
		return nil
	}
	m.dialog = dd
}

// manageReason is why a manage entry cannot be chosen for d now ("" = it can): what the backend
// cannot do, else backend.Precheck's reason on the distros listed now, with the dashboard's key
// for stopping a distro where that is what it needs.
func (m *Model) manageReason(a backend.Action, d backend.Distro) string {
	if r := m.caps.Reason(a); r != "" {
		return r
	}
	if _, ok := m.be.(backend.Manager); !ok && a != backend.ActExport && a != backend.ActClone && a != backend.ActUnregister {
		return "this backend cannot manage distros"
	}
	switch err := backend.Precheck(a, d.Name, m.distros); {
	case errors.Is(err, backend.ErrStopFirst):
		return "stop it first (t)"
	case err != nil:
		return ruleReason(err)
	}
	return ""
}

// manageJob runs one Manager operation on d as a job.
func (m *Model) manageJob(title, label string, d backend.Distro, run jobFunc) tea.Cmd {
	return m.startJob(jobSpec{title: title + " " + d.Name, target: d.Name, label: label, run: run})
}

// stopsNote is what a dialog says when the operation stops a running distro.
func stopsNote(d backend.Distro, ds []backend.Distro) string {
	if d.State != backend.StateRunning {
		return ""
	}
	return " " + d.Name + " is running: it is stopped first." + dockerNote(backend.ActTerminate, d.Name, ds)
}

func (m *Model) manageAction(a backend.Action, d backend.Distro) {
	g, ok := m.manager()
	if !ok {
		return
	}
	switch a {
	case backend.ActMove:
		m.dialog = formDialog("Move "+d.Name, "Its disk moves to the folder (wsl --manage --move); wsldash checks that the registration followed it."+stopsNote(d, m.distros),
			"move", []dlg.Field{{Label: "To folder", Value: "", Validate: notEmpty("a folder")}}, func(m *Model, r dlg.Result) tea.Cmd {
				dir := strings.TrimSpace(r.Values[0])
				return m.manageJob("Moving", "moving", d, func(ctx context.Context, _ *jobFeed) (string, error) {
					res, err := g.Move(ctx, d.Name, dir)
					if err != nil {
						return "", err
					}
					if res.Stale {
						return "", &backend.Error{Kind: backend.KindFailed, Op: "move", Distro: d.Name,
							Message: "the disk moved to " + dir + " but the registration still names " + res.After + " (microsoft/WSL#40716): " + res.Note}
					}
					return fmt.Sprintf("moved %s to %s", d.Name, cmpOr(res.After, dir)), nil
				})
			})
	case backend.ActResize:
		m.dialog = formDialog("Resize "+d.Name+"'s disk", "The disk's maximum size, in WSL's syntax (256GB, 1TB); shrinking below what it holds fails."+stopsNote(d, m.distros),
			"resize", []dlg.Field{{Label: "Size", Value: "", Placeholder: "256GB", Validate: notEmpty("a size")}}, func(m *Model, r dlg.Result) tea.Cmd {
				size := strings.TrimSpace(r.Values[0])
				return m.manageJob("Resizing", "resizing", d, func(ctx context.Context, _ *jobFeed) (string, error) {
					if err := g.Resize(ctx, d.Name, size); err != nil {
						return "", err
					}
					return fmt.Sprintf("%s's disk can now grow to %s", d.Name, size), nil
				})
			})
	case backend.ActSparse:
		choices := []dialogChoice{
			{label: "sparse on", desc: "freed blocks go back to Windows (WSL marks it unsafe: --allow-unsafe)"},
			{label: "sparse off", desc: "the disk file keeps its size"},
		}
		dd := chooseDialog("Sparse disk for "+d.Name+"?", "WSL gates making a disk sparse behind --allow-unsafe: it is investigating a data-corruption report. Back up first (e)."+stopsNote(d, m.distros), "set", choices, op{})
		dd.then = func(m *Model, r dlg.Result) tea.Cmd {
			on := r.Choice == 0
			return m.manageJob("Setting sparse on", "setting sparse", d, func(ctx context.Context, _ *jobFeed) (string, error) {
				if err := g.SetSparse(ctx, d.Name, on, on); err != nil {
					return "", err
				}
				return fmt.Sprintf("%s's disk is %s", d.Name, map[bool]string{true: "sparse", false: "not sparse"}[on]), nil
			})
		}
		m.dialog = dd
	case backend.ActSetUser:
		m.dialog = formDialog("Default user of "+d.Name, "The user its shells start as; the user must exist inside.",
			"set", []dlg.Field{{Label: "User", Validate: notEmpty("a user")}}, func(m *Model, r dlg.Result) tea.Cmd {
				user := strings.TrimSpace(r.Values[0])
				return m.manageJob("Setting the user of", "setting user", d, func(ctx context.Context, _ *jobFeed) (string, error) {
					if err := g.SetDefaultUser(ctx, d.Name, user); err != nil {
						return "", err
					}
					return fmt.Sprintf("%s's shells now start as %s", d.Name, user), nil
				})
			})
	case backend.ActCompact:
		m.compactDialog(g, d)
	case backend.ActRename:
		m.dialog = formDialog("Rename "+d.Name, "The registration's name and the Windows Terminal profile that names it.",
			"rename", []dlg.Field{{Label: "New name", Value: d.Name, Validate: newName(backend.ActRename, d.Name, &m.shared)}}, func(m *Model, r dlg.Result) tea.Cmd {
				name := strings.TrimSpace(r.Values[0])
				return m.manageJob("Renaming", "renaming", d, func(ctx context.Context, _ *jobFeed) (string, error) {
					res, err := g.Rename(ctx, d.Name, name)
					if err != nil {
						return "", err
					}
					return renameText(res), nil
				})
			})
	}
}

func (m *Model) compactDialog(g backend.Manager, d backend.Distro) {
	choices := []dialogChoice{
		{label: "elevated", desc: "fstrim inside, stop it; then Optimize-VHD in an elevated prompt (needs admin)"},
		{label: "sparse", desc: "make the disk sparse, fstrim: no admin needed (WSL marks sparse unsafe)"},
	}
	body := "The disk file never shrinks by itself (microsoft/WSL#4699)." + stopsNote(d, m.distros)
	if dockerNote(backend.ActTerminate, d.Name, m.distros) != "" {
		body = "It is Docker Desktop's: shrink it from Docker Desktop instead." + body
	}
	dd := chooseDialog("Compact "+d.Name+"'s disk?", body, "compact", choices, op{})
	dd.then = func(m *Model, r dlg.Result) tea.Cmd {
		o := backend.CompactOptions{Sparse: r.Choice == 1}
		return m.manageJob("Compacting", "compacting", d, func(ctx context.Context, _ *jobFeed) (string, error) {
			res, err := g.Compact(ctx, d.Name, o)
			if err != nil {
				return "", err
			}
			return compactText(res), nil
		})
	}
	m.dialog = dd
}

// compactText says what a compact did: the sizes before and after, and what is left to do.
func compactText(r backend.CompactResult) string {
	s := fmt.Sprintf("%s's disk: %s before, %s after", r.Distro, optBytes(r.Before), optBytes(r.After))
	if r.Trimmed != nil {
		s += "; fstrim freed " + units.HumanBytes(float64(*r.Trimmed)) + " inside"
	}
	if r.Elevated != "" {
		s += ". To shrink the file, in an elevated prompt (admin): " + r.Elevated
	}
	return s
}

// renameText says what a rename changed, Windows Terminal's files included.
func renameText(r backend.RenameResult) string {
	s := fmt.Sprintf("renamed %s to %s", r.Distro, r.NewName)
	changed := 0
	for _, p := range r.Profiles {
		if len(p.Changes) > 0 {
			changed++
		}
		if p.Error != "" {
			s += "; " + shortPath(p.File) + " left as it was: " + p.Error
		}
	}
	if changed > 0 {
		s += fmt.Sprintf("; its Windows Terminal profile renamed in %d file(s) (a .bak kept)", changed)
	}
	if r.Note != "" {
		s += "; " + r.Note
	}
	return s
}
