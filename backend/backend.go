package backend

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// Backend is a source of WSL data and the actions on it. Every method that does I/O takes a
// context and must return promptly when it is cancelled; implementations are safe for use from
// several goroutines. A front end calls them from its own goroutines (in the TUI: tea.Cmds),
// never from its render loop.
type Backend interface {
	// Info describes the backend and the host (versions, default distro). Cheap after the first call.
	Info(ctx context.Context) (Info, error)
	// Capabilities says which actions this backend can perform now, and why not otherwise.
	Capabilities() Capabilities

	// Distros lists the registered distros. An empty list is a valid answer (local has none).
	Distros(ctx context.Context) ([]Distro, error)
	// Sample takes one observation. CPU percentages are relative to the previous call, and nil
	// (unknown, never 0) when there is none to compare with.
	Sample(ctx context.Context) (Sample, error)
	// Mounts lists the mounts of a distro ("" = the default, or the local machine).
	Mounts(ctx context.Context, distro string) ([]Mount, error)
	// Processes lists the processes of a distro ("" = the default, or the local machine).
	Processes(ctx context.Context, distro string) ([]Process, error)

	Start(ctx context.Context, distro string) error
	Terminate(ctx context.Context, distro string) error
	// Shutdown stops every distro and the VM; force is wsl --shutdown --force.
	Shutdown(ctx context.Context, force bool) error
	SetDefault(ctx context.Context, distro string) error
	Reclaim(ctx context.Context, mode ReclaimMode) (ReclaimResult, error)
	// KillProcess sends sig (SigTerm or SigKill, nothing else) to pid in the distro. Every
	// backend refuses pid 1 (the distro's init) with KindPermission.
	KillProcess(ctx context.Context, distro string, pid int, sig Signal) error
	// ShellCommand returns the command that opens an interactive shell in the distro; the caller
	// runs it with the terminal handed over (tea.ExecProcess).
	ShellCommand(distro string) (*exec.Cmd, error)

	// Close releases what the backend holds (probes, kept-alive distros, timers).
	Close() error
}

// Signal is what KillProcess sends: a polite request to exit, or the end without appeal.
type Signal string

const (
	// SigTerm (SIGTERM, 15) asks the process to exit; it may clean up first, or ignore it.
	SigTerm Signal = "TERM"
	// SigKill (SIGKILL, 9) ends the process at once; it cannot refuse or clean up.
	SigKill Signal = "KILL"
)

// Number is the signal's number on Linux (0 for an unknown signal).
func (s Signal) Number() int {
	switch s {
	case SigTerm:
		return 15
	case SigKill:
		return 9
	}
	return 0
}

// CheckKill says why a process must not be signalled, before anything is sent: a signal other
// than TERM or KILL, a pid below 2 (pid 1 is the distro's init, or this machine's), or a process
// named like WSL's own init (/init, "init-systemd(<distro>)", whose end ends the distro's
// sessions). name may be "" when unknown. It returns nil when the kill may go ahead.
func CheckKill(pid int, name string, sig Signal) error {
	if sig.Number() == 0 {
		return &Error{Kind: KindFailed, Op: "kill", Message: fmt.Sprintf("unknown signal %q: use TERM or KILL", string(sig))}
	}
	if pid <= 1 {
		return &Error{Kind: KindPermission, Op: "kill",
			Message: fmt.Sprintf("pid %d is the distro's init: terminate the distro instead", pid)}
	}
	if IsInit(name) {
		return &Error{Kind: KindPermission, Op: "kill",
			Message: fmt.Sprintf("%s (pid %d) is WSL's init for this distro: terminate the distro instead", name, pid)}
	}
	return nil
}

// IsInit reports whether a process name (its comm, at most 15 bytes) is WSL's init: "init" (the
// /init of each distro and its session leaders) or "init-systemd(…" (the init that starts systemd).
func IsInit(name string) bool {
	return name == "init" || name == "/init" || strings.HasPrefix(name, "init-systemd(")
}

// Action names what a front end may ask of a backend.
type Action string

const (
	ActStart      Action = "start"
	ActTerminate  Action = "terminate"
	ActShutdown   Action = "shutdown"
	ActSetDefault Action = "set-default"
	ActReclaim    Action = "reclaim"
	ActKill       Action = "kill"
	ActShell      Action = "shell"
	ActExport     Action = "export"
	// ActExportFormat is exporting to a compressed tar (wsl --export --format tar.gz|tar.xz),
	// which needs a newer WSL than a plain tar or a vhd.
	ActExportFormat Action = "export-format"
	ActImport       Action = "import"
	ActClone        Action = "clone"
	// ActUnregister is unregistering through the trash (the only way there is).
	ActUnregister Action = "unregister"
	// The Manager's actions (manage.go).
	ActInstall Action = "install"
	ActMove    Action = "move"
	ActResize  Action = "resize"
	ActSparse  Action = "sparse"
	ActSetUser Action = "set-user"
	ActCompact Action = "compact"
	ActRename  Action = "rename"
	// ActKeep keeps a distro running after the front end exits; ActRelease ends that.
	ActKeep    Action = "keep"
	ActRelease Action = "release"
)

// Capability is whether an action is possible and, if not, why.
type Capability struct {
	OK     bool
	Reason string // why not, in one short line; empty when OK
}

// Capabilities maps each action to whether the backend can do it. An action that is absent is
// unsupported.
type Capabilities map[Action]Capability

// Can is a supported capability.
func Can() Capability { return Capability{OK: true} }

// Cannot is an unsupported capability with its reason.
func Cannot(reason string) Capability { return Capability{Reason: reason} }

// Check returns nil when the action is possible, else an *Error of kind KindUnsupported with the
// reason.
func (c Capabilities) Check(a Action) error {
	cp, ok := c[a]
	if !ok {
		return &Error{Kind: KindUnsupported, Op: string(a), Message: "not supported by this backend"}
	}
	if !cp.OK {
		return &Error{Kind: KindUnsupported, Op: string(a), Message: cp.Reason}
	}
	return nil
}

// Reason is the reason an action is unavailable, or "" when it is available.
func (c Capabilities) Reason(a Action) string {
	if err := c.Check(a); err != nil {
		return err.(*Error).Message
	}
	return ""
}
