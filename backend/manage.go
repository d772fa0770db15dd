package backend

import (
	"context"
	"fmt"
	"time"
)

// Manager is what a backend offers beyond Backend for installing and managing distros: the online
// catalogue, install, wsl --manage (move, resize, sparse, default user), compact and rename. The
// wsl backend does it with wsl.exe (and the registry, for rename); the demo simulates it on its
// clock (labelled, nothing on disk). Front ends find it with a type assertion:
// b.(backend.Manager); Capabilities says, per action, whether it can run here and which WSL
// version it needs. Each method refuses what rules.go refuses (Precheck, CheckNewName, …), on the
// distros as they are when it starts.
type Manager interface {
	// OnlineDistros is the catalogue (wsl --list --online).
	OnlineDistros(ctx context.Context) ([]OnlineDistro, error)
	// Install installs a distro from the catalogue or a file, never waiting for its first-run
	// user set-up (the result says how to finish it). progress, if set, is called while it runs:
	// at least every poll interval, and whenever wsl.exe says it moved to a new phase.
	Install(ctx context.Context, o InstallOptions, progress func(InstallProgress)) (InstallResult, error)
	// Move moves a stopped distro's disk to dir (stopping it first) and reads the registration back.
	Move(ctx context.Context, name, dir string) (MoveResult, error)
	// Resize sets the maximum size of a WSL 2 distro's disk (WSL's size syntax, e.g. 256GB).
	Resize(ctx context.Context, name, size string) error
	// SetSparse makes a WSL 2 distro's disk sparse or not; enabling needs allowUnsafe (WSL gates
	// it behind --allow-unsafe).
	SetSparse(ctx context.Context, name string, on, allowUnsafe bool) error
	// SetDefaultUser sets the user a distro's shells start as (the user must exist inside).
	SetDefaultUser(ctx context.Context, name, user string) error
	// Compact gives a WSL 2 distro's free disk space back to Windows, in the safe order.
	Compact(ctx context.Context, name string, o CompactOptions) (CompactResult, error)
	// Rename renames a stopped distro (refused while it runs, or when the new name is taken) and
	// the Windows Terminal profiles that name it; the result says what changed there.
	Rename(ctx context.Context, name, newName string) (RenameResult, error)
}

// OnlineDistro is one row of the online catalogue: the name to pass to install and the
// catalogue's friendly name.
type OnlineDistro struct {
	Name         string `json:"name"`
	FriendlyName string `json:"friendly_name"`
}

// InstallOptions are an install's: a catalogue name or a file, and where.
type InstallOptions struct {
	Distro      string // a name from the catalogue ("" with FromFile)
	Name        string // the new registration's name ("" = the catalogue's, or the file's own)
	Location    string // the install folder (a local path; "" = WSL's default)
	FromFile    string // a .wsl or tar file to install instead (a local path)
	WebDownload bool   // download from the web, not the Store
}

// InstallResult is what Install did.
type InstallResult struct {
	Distro string `json:"distro"` // the registered name
	Source string `json:"source"` // the catalogue name or the file
	// FirstRun says how the new distro's first-run user set-up happens: wsldash never waits for
	// it (wsl --install runs with --no-launch).
	FirstRun string `json:"first_run"`
}

// The phases of an install, as wsl.exe announces them.
const (
	InstallDownloading = "downloading" // "Downloading: <friendly name>"
	InstallInstalling  = "installing"  // "Installing: <friendly name>" (registering the disk)
)

// InstallProgress is one report of a running install. wsl.exe gives no byte counts through a
// pipe (its download bar is drawn only on a console), so there are none: a front end shows the
// phase and the time elapsed.
type InstallProgress struct {
	// Phase is InstallDownloading or InstallInstalling, or "" until wsl.exe says (and when its
	// words are in a language this does not read: Text still has them).
	Phase string
	// Text is wsl.exe's last line as it printed it ("Downloading: Ubuntu 24.04 LTS"); "" before
	// it printed any.
	Text    string
	Elapsed time.Duration
}

// MoveResult is what Move did and what the registry says after it.
type MoveResult struct {
	Distro string `json:"distro"`
	To     string `json:"to"`
	// Before and After are the registration's BasePath ("" when the registry cannot be read).
	Before string `json:"base_path_before"`
	After  string `json:"base_path_after"`
	// Verified is true when the registry was read back; Stale when it still names the old
	// folder (microsoft/WSL#40716: the disk moved, the registration did not).
	Verified bool   `json:"verified"`
	Stale    bool   `json:"stale"`
	Note     string `json:"note,omitempty"`
}

// CompactOptions choose how compact gives the space back.
type CompactOptions struct {
	// Sparse makes the disk sparse first (`--manage NAME --set-sparse true --allow-unsafe`), so
	// fstrim returns freed blocks to Windows without elevation. WSL gates it behind
	// --allow-unsafe because of a data-corruption bug under investigation; only on request.
	Sparse bool
	// DryRun only says what would be done.
	DryRun bool
}

// CompactResult reports a compact: the steps (done or planned), the disk's size before and
// after (nil when unknown), and what still needs an elevated prompt.
type CompactResult struct {
	Distro   string   `json:"distro"`
	DiskPath string   `json:"disk_path"` // "" when the registry cannot be read
	DryRun   bool     `json:"dry_run"`
	Method   string   `json:"method"` // "sparse" or "elevated"
	Steps    []string `json:"steps"`
	Before   *int64   `json:"bytes_before"`
	After    *int64   `json:"bytes_after"`
	Trimmed  *int64   `json:"bytes_trimmed"` // what fstrim reported freeing inside
	// Elevated is the command an elevated prompt must run to shrink the file (method
	// "elevated"); wsldash does not run it.
	Elevated string `json:"elevated,omitempty"`
}

// RenameResult is what a rename changed: the registration, and each Windows Terminal file that
// could name the distro.
type RenameResult struct {
	Distro  string `json:"distro"` // the old name
	NewName string `json:"new_name"`
	// Profiles are the Terminal files looked at (those that exist); Changes empty when nothing
	// in one named the distro.
	Profiles []ProfileFile `json:"terminal_profiles"`
	// Note says why no Terminal file was looked at, or that Terminal shows the change when it
	// next reads them.
	Note string `json:"note,omitempty"`
}

// ProfileFile is one Windows Terminal file and what the rename did to it.
type ProfileFile struct {
	File    string   `json:"file"`
	Changes []string `json:"changes"`
	Backup  string   `json:"backup,omitempty"` // the original, kept when something changed
	Error   string   `json:"error,omitempty"`  // why it was left as it was
}

// compactShutdownStep is the step between compact's stop and Optimize-VHD, left to the user:
// after a terminate WSL's VM keeps the disk attached until it stops (WSL's own MessageVhdInUse:
// "the VHD is currently in use. To force WSL to stop use: wsl.exe --shutdown"), so Optimize-VHD
// would find it in use; shutting WSL down stops every distro, Docker Desktop's too.
const compactShutdownStep = "wsl --shutdown   (WSL's VM keeps the disk attached after a terminate; this stops every distro and the VM, Docker Desktop's too)"

// PlanCompact fills r's Steps (and, without sparse, Elevated: the command an elevated prompt
// must run to shrink the file, which wsldash does not run) for compacting distro's disk at
// disk: with sparse, stop, set sparse, fstrim, stop; else fstrim, stop, shut down, Optimize-VHD.
// The wsl backend and the demo plan alike.
func PlanCompact(r *CompactResult, distro, disk string, sparse bool) {
	if disk == "" {
		disk = `<the distro's ext4.vhdx>`
	}
	trim := fmt.Sprintf("wsl -d %s -u root --exec fstrim -v /", distro)
	stop := fmt.Sprintf("wsl --terminate %s", distro)
	if sparse {
		r.Steps = append(r.Steps, stop, fmt.Sprintf("wsl --manage %s --set-sparse true --allow-unsafe", distro), trim, stop)
		return
	}
	r.Elevated = fmt.Sprintf(`Optimize-VHD -Path "%s" -Mode Full   (an elevated PowerShell with the Hyper-V module; without it diskpart: select vdisk file="%s", attach vdisk readonly, compact vdisk, detach vdisk)`, disk, disk)
	r.Steps = append(r.Steps, trim, stop, compactShutdownStep, "in an elevated prompt: "+r.Elevated)
}
