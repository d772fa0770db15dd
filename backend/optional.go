package backend

import (
	"context"
	"time"
)

// The optional contracts below are what a backend may offer beyond Backend. A front end finds
// each with a type assertion (b.(backend.Keeper)); a backend that implements one says so with a
// compile-time assertion beside its methods. The larger ones live beside their types:
// Archiver (archive.go), Manager (manage.go), DiskReporter (disk.go), NetworkLister and
// AllProcessLister (inside.go) and VMLister (vms.go) are the others.

// Backfiller is implemented by backends that open on a history (the demo, whose simulated host
// has been running before the dashboard started): the samples, oldest first.
type Backfiller interface {
	Backfill() []Sample
}

// GuestProber is implemented by backends that run a reader inside the VM (the wsl backend's
// probe): which one reads it now, "go <version>" (`wsldash probe`, the cheap one) or "sh" (the
// fallback script), "" before one runs, and why the fallback is in use.
type GuestProber interface {
	ProbeKind() (kind, why string)
}

// Paced is implemented by backends that do work on a cadence of their own (the wsl backend's
// host helper inside WSL, its per-distro memory looks): the front end says how often it samples
// now (the dashboard's live or idle cadence), so that what runs in the VM slows down with it.
// It records d and passes it on without waiting: safe to call from anywhere.
type Paced interface {
	SetCadence(d time.Duration)
}

// Keeper is implemented by backends that can keep a distro running after wsldash exits (the wsl
// backend: a detached keep-alive, README "Held and kept"). Keep starts the distro if needed and
// holds it until Unkeep (or wsl --terminate, --shutdown); Unkeep reports false, and no error,
// when there was no keep-alive to end. Capabilities' ActKeep and ActRelease say whether they can
// run now.
type Keeper interface {
	Keep(ctx context.Context, distro string) error
	Unkeep(distro string) (bool, error)
}

// Idler is implemented by backends that know how long WSL keeps a distro running after its last
// client ends (the wsl backend: .wslconfig's [general] instanceIdleTimeout, else WSL's default).
// never is true for a negative timeout (WSL then never stops it); fromConfig says whether
// .wslconfig set it. It reads at most a small file: cheap, but not for a render loop.
type Idler interface {
	InstanceIdle() (d time.Duration, never, fromConfig bool)
}

// MemoryWatcher is implemented by backends whose per-distro memory (Sample.Distros) costs work
// per distro (the wsl backend: a wsl.exe call each): they look only while a front end says it
// shows them, WatchDistroMemory(true), and samples carry none otherwise. A backend without it
// fills Sample.Distros whenever it can. It only sets a flag: safe to call from anywhere.
type MemoryWatcher interface {
	WatchDistroMemory(on bool)
}

// Releaser is implemented by backends that hold distros running themselves (the wsl backend's
// probe and the distros it started, Distro.Held): Release lets go of distro, and the backend does
// not hold it again until the distro is started (WSL then stops it after its idle timeout). It
// does not wait for anything to stop.
type Releaser interface {
	Release(distro string)
}

// HostWaiter is implemented by backends whose host view (Sample.Host) arrives some time after
// they open (the wsl backend inside WSL, whose Windows-side helper starts with the first call):
// WaitHost returns when the first answer is in, or when ctx is done, with ctx's error. One-shot
// commands wait so their output carries the host's data; a dashboard shows the guest at once.
type HostWaiter interface {
	WaitHost(ctx context.Context) error
}

// Renamer is what the rename command needs of a backend: Manager's Rename alone (every Manager
// is one; the wsl backend renames in its Windows build, the demo simulates it).
type Renamer interface {
	Rename(ctx context.Context, name, newName string) (RenameResult, error)
}

// TrashInspector is implemented by Archivers that can say what each trash entry means now (the
// wsl backend): TrashStatus is TrashList with Registered and Note filled in from the distro list,
// so that after an unregister that was killed the user learns whether the distro is still
// registered or restorable from the trash. It may run wsl.exe.
type TrashInspector interface {
	TrashStatus(ctx context.Context) ([]TrashEntry, error)
}

// ConfigFile is one of WSL's config files (.wslconfig, a distro's /etc/wsl.conf) as a
// ConfigStore read it: the bytes as they are, for the front end to parse (package wslconfig).
type ConfigFile struct {
	// Path is where the file is, as this machine opens it; for a Sample, what to call it. On an
	// error it is set when the file was found but could not be read.
	Path string
	// Exists is false when there is no file: WSL then uses its defaults (not an error).
	Exists bool
	// Text is the file's bytes; nil when it does not exist.
	Text []byte
	// ModTime is when it last changed; zero when unknown or absent.
	ModTime time.Time
	// Sample is true for a canned file that is on no disk (the demo's): front ends say so, and
	// nothing may write it.
	Sample bool
}

// ConfigStore is implemented by backends that can read WSL's config files: the wsl backend reads
// %UserProfile%\.wslconfig (inside WSL through the drive mount) and the /etc/wsl.conf of the
// distro it runs in; local reads this machine's /etc/wsl.conf and the .wslconfig that
// wslconfig.DefaultPath finds (inside WSL, the Windows profile's); the demo returns canned
// samples, marked Sample. Errors are *Error: KindUnsupported when the file cannot be read from
// here (another distro's wsl.conf: reading it could start that distro), KindNotFound for an
// unknown distro or no profile to look in. A missing file is not an error (Exists false).
type ConfigStore interface {
	// WSLConfig reads .wslconfig, the VM's settings.
	WSLConfig(ctx context.Context) (ConfigFile, error)
	// WSLConf reads distro's /etc/wsl.conf; "" is the distro wsldash runs in, or this machine
	// (the demo: its default distro).
	WSLConf(ctx context.Context, distro string) (ConfigFile, error)
}
