package demo

import (
	"context"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// The demo's config files: a canned .wslconfig that agrees with the simulated autoMemoryReclaim
// mode, and one /etc/wsl.conf shared by every distro. They are marked Sample (shown as "demo
// sample", never written) and are the same in the dashboard and in `wsldash --demo config`.

// sampleName is what the samples are called where a real file's path would show.
const sampleName = "demo sample"

// WSLConfig returns the canned .wslconfig, last changed 26 hours before now (on the hour), so
// what a front end says about a pending restart follows from what it saw of the VM, as with a
// real file.
func (b *Backend) WSLConfig(ctx context.Context) (backend.ConfigFile, error) {
	b.mu.Lock()
	mode := b.sim.mode
	b.mu.Unlock()
	return backend.ConfigFile{Path: sampleName, Exists: true, Sample: true, Text: []byte(sampleWSLConfig(mode)),
		ModTime: b.clock.Now().Add(-26 * time.Hour).Truncate(time.Hour)}, nil
}

// WSLConf returns the canned /etc/wsl.conf of distro ("" = the default); an unknown distro is
// KindNotFound, as wsl.exe says it.
func (b *Backend) WSLConf(ctx context.Context, distro string) (backend.ConfigFile, error) {
	b.mu.Lock()
	_, err := b.resolve(distro)
	b.mu.Unlock()
	if err != nil {
		return backend.ConfigFile{}, err
	}
	return backend.ConfigFile{Path: sampleName, Exists: true, Sample: true, Text: []byte(sampleWSLConf)}, nil
}

// sampleWSLConfig is a realistic .wslconfig with one classic mistake (autoMemoryReclaim under
// [wsl2], which WSL ignores with a warning; microsoft/WSL#10759), its [experimental] mode the
// simulated one.
func sampleWSLConfig(mode backend.ReclaimMode) string {
	m := map[backend.ReclaimMode]string{backend.ReclaimGradual: "gradual", backend.ReclaimDisabled: "disabled"}[mode]
	if m == "" {
		m = "dropCache"
	}
	return "# Settings apply across all Linux distros running on WSL 2\n" +
		"[wsl2]\n" +
		"memory=16GB\n" +
		"processors=8\n" +
		"swap=4GB\n" +
		"autoMemoryReclaim=gradual\n" +
		"\n" +
		"[experimental]\n" +
		"autoMemoryReclaim=" + m + "\n" +
		"sparseVhd=true\n"
}

// sampleWSLConf is every demo distro's /etc/wsl.conf.
const sampleWSLConf = "[boot]\n" +
	"systemd=true\n" +
	"\n" +
	"[user]\n" +
	"default=dev\n" +
	"\n" +
	"[interop]\n" +
	"appendWindowsPath=false\n" +
	"\n" +
	"[automount]\n" +
	"options=\"metadata,umask=22,fmask=11\"\n"

var _ backend.ConfigStore = (*Backend)(nil)
