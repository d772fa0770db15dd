package wsl

import (
	"fmt"

	"github.com/wsldash/wsldash/backend"
)

// Capabilities: everything, unless wsl.exe is missing; and, once `wsl --version` has been asked
// (Info asks it once, and every version-gated command does), each command the installed WSL is
// too old for says which version it needs. Before that they read as possible: the command
// itself then asks and refuses with the same reason. Front ends get them with each distro list.
func (b *Backend) Capabilities() backend.Capabilities {
	acts := []backend.Action{backend.ActStart, backend.ActTerminate, backend.ActShutdown, backend.ActSetDefault,
		backend.ActReclaim, backend.ActKill, backend.ActShell, backend.ActExport, backend.ActExportFormat,
		backend.ActImport, backend.ActClone, backend.ActUnregister, backend.ActKeep, backend.ActRelease,
		backend.ActInstall, backend.ActMove, backend.ActResize, backend.ActSparse, backend.ActSetUser,
		backend.ActCompact, backend.ActRename}
	c := backend.Capabilities{}
	for _, a := range acts {
		if b.runErr != nil {
			c[a] = backend.Cannot(b.runErr.Error())
		} else {
			c[a] = backend.Can()
		}
	}
	if b.runErr != nil {
		return c
	}
	b.mu.Lock()
	v := b.version
	b.mu.Unlock()
	if v != nil {
		for a, min := range versionGates {
			if r := needs(v.WSL, min); r != "" {
				c[a] = backend.Cannot(r)
			}
		}
	}
	switch {
	case b.inside:
		c[backend.ActRename] = backend.Cannot("renaming writes the Windows registry: run wsldash.exe from Windows")
	case b.opts.Host == nil:
		c[backend.ActRename] = backend.Cannot("renaming writes the WSL registry, which cannot be read here")
	}
	return c
}

// versionGates is the WSL each version-gated action needs ("" = any Store WSL, which has
// --version; the inbox wsl.exe of Windows 10 has none of them).
var versionGates = map[backend.Action]string{
	backend.ActExportFormat: minFormat,
	backend.ActInstall:      "",
	backend.ActMove:         minMove,
	backend.ActResize:       minResize,
	backend.ActSparse:       "",
	backend.ActSetUser:      "",
	// compact's fstrim runs anywhere; its sparse step is checked when asked for.
}

// needs is why an installed WSL (installed "" = the inbox wsl.exe) cannot do what needs min, or
// "" when it can: "needs WSL 2.5.0 or newer; 2.4.13 installed".
func needs(installed, min string) string {
	switch {
	case installed == "" && min == "":
		return "needs the Store WSL (wsl --update); this is the inbox wsl.exe"
	case installed == "":
		return fmt.Sprintf("needs WSL %s or newer (wsl --update); this is the inbox wsl.exe", min)
	case min != "" && VersionLess(installed, min):
		return fmt.Sprintf("needs WSL %s or newer; %s installed (wsl --update)", min, installed)
	}
	return ""
}

// The optional contracts whose methods live in files of their own (distromem.go, probe.go,
// trash.go); the others are asserted beside their methods.
var (
	_ backend.MemoryWatcher  = (*Backend)(nil)
	_ backend.Releaser       = (*Backend)(nil)
	_ backend.TrashInspector = (*Backend)(nil)
	_ backend.GuestProber    = (*Backend)(nil)
	_ backend.Renamer        = (*Backend)(nil)
)
