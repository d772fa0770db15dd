package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// allDistros is the process list's target when it shows every running distro (key a): one
// look per running distro (backend.AllProcesses), each process tagged with its distro.
const allDistros = "\x00all"

// procsTarget is the distro whose processes the list shows.
func (m *Model) procsTarget() string {
	if m.allProcs {
		return allDistros
	}
	return m.selected
}

// procDistro is the distro a listed process runs in (for kill): its own in the all-distros
// list, else the list's.
func (m *Model) procDistro(p backend.Process) string {
	if m.procsFor == allDistros {
		return p.Distro
	}
	return m.procsFor
}

// fetchProcs is Processes, or every running distro's for allDistros.
func fetchProcs(ctx context.Context, be backend.Backend, distro string) ([]backend.Process, error) {
	if distro == allDistros {
		ps, _, err := backend.AllProcesses(ctx, be)
		return ps, err
	}
	return be.Processes(ctx, distro)
}

// toggleAllProcs switches the process list between the selected distro and all of them.
func (m *Model) toggleAllProcs() tea.Cmd {
	m.allProcs = !m.allProcs
	if m.allProcs {
		m.setFlash(flashInfo, "processes of every running distro")
	} else {
		m.setFlash(flashInfo, "processes of the selected distro")
	}
	return tea.Batch(m.detailCmds(true)...)
}
