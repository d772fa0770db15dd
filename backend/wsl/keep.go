package wsl

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

// Held and kept. A distro the dashboard starts is held: a child wsl.exe keeps it running only
// while wsldash runs, and dies with wsldash however it ends (the parent-death signal on Linux, a
// kill-on-close job on Windows). A kept distro has a detached keep-alive, started by Keep, that
// outlives wsldash (its own session, no console, outside the job) until Unkeep; its pid is
// recorded in Options.KeepDir so any later wsldash sees it and can end it.

// keepMarker is in the keep-alive's command line, so a reused pid is not taken for it.
const keepMarker = "wsldash-keep"

// keepScript is the keep-alive: it prints the ready line once the distro runs, then holds it.
const keepScript = "echo " + readyLine + "; exec sleep infinity # " + keepMarker

// DefaultInstanceIdle is WSL's instanceIdleTimeout when .wslconfig does not set one (§2).
const DefaultInstanceIdle = 15 * time.Second

type keptRecord struct {
	Name    string    `json:"name"`
	Pid     int       `json:"pid"`
	Started time.Time `json:"started"`
}

// KeepDir is where keep-alives are recorded: Options.KeepDir, else os.UserCacheDir()/wsldash/kept.
func (b *Backend) KeepDir() (string, error) {
	if b.opts.KeepDir != "" {
		return b.opts.KeepDir, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", &backend.Error{Kind: backend.KindFailed, Op: "keep", Message: "no cache folder to record keep-alives in: " + err.Error(), Err: err}
	}
	return filepath.Join(cache, "wsldash", "kept"), nil
}

func (b *Backend) keptPath(distro string) (string, error) {
	dir, err := b.KeepDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, key(distro)+".json"), nil
}

// keptPid is the running keep-alive of distro, or 0 (a stale record is removed).
func (b *Backend) keptPid(distro string) int {
	p, err := b.keptPath(distro)
	if err != nil {
		return 0
	}
	raw, err := os.ReadFile(p)
	if err != nil {
		return 0
	}
	var r keptRecord
	if json.Unmarshal(raw, &r) != nil || !wslexe.DetachedAlive(r.Pid, keepMarker) {
		os.Remove(p)
		return 0
	}
	return r.Pid
}

// withKept marks the distros that have a running keep-alive.
func (b *Backend) withKept(ds []backend.Distro, err error) ([]backend.Distro, error) {
	if err != nil {
		return ds, err
	}
	b.noteRunning(ds)
	dir, derr := b.KeepDir()
	if derr != nil {
		return ds, nil
	}
	ents, derr := os.ReadDir(dir)
	if derr != nil || len(ents) == 0 {
		return ds, nil
	}
	for i := range ds {
		ds[i].Kept = b.keptPid(ds[i].Name) > 0
	}
	return ds, nil
}

// Keep starts distro (if needed) with a detached keep-alive that outlives wsldash, so it stays
// Running until Unkeep (or wsl --terminate / --shutdown). The dashboard's own hold on it, if any,
// is let go once the keep-alive answers.
func (b *Backend) Keep(ctx context.Context, distro string) error {
	if err := b.checkName("keep", distro); err != nil {
		return err
	}
	if b.keptPid(distro) > 0 {
		return nil
	}
	dir, err := b.KeepDir()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &backend.Error{Kind: backend.KindFailed, Op: "keep", Distro: distro, Message: err.Error(), Err: err}
	}
	pid, err := b.run.StartDetached(ctx, readyLine, "-d", distro, "--exec", "sh", "-c", keepScript)
	if err != nil {
		return withDistro(err, distro)
	}
	rec, _ := json.Marshal(keptRecord{Name: distro, Pid: pid, Started: b.opts.Now().UTC()})
	p, _ := b.keptPath(distro)
	if err := os.WriteFile(p, rec, 0o644); err != nil {
		wslexe.KillDetached(pid)
		return &backend.Error{Kind: backend.KindFailed, Op: "keep", Distro: distro, Message: "recording the keep-alive: " + err.Error(), Err: err}
	}
	k := key(distro)
	b.mu.Lock()
	delete(b.released, k)
	h := b.held[k]
	delete(b.held, k)
	b.listOK = false
	b.mu.Unlock()
	if h != nil {
		h.Stop()
	}
	return nil
}

// Unkeep ends distro's keep-alive (a no-op, false, when there is none). WSL then stops the distro
// after its instanceIdleTimeout unless something else holds it.
func (b *Backend) Unkeep(distro string) (bool, error) {
	if err := b.checkName("release", distro); err != nil {
		return false, err
	}
	pid := b.keptPid(distro)
	if pid == 0 {
		return false, nil
	}
	if err := wslexe.KillDetached(pid); err != nil {
		return false, &backend.Error{Kind: backend.KindFailed, Op: "release", Distro: distro, Message: fmt.Sprintf("ending the keep-alive (pid %d): %v", pid, err), Err: err}
	}
	// A kill is asynchronous: released means gone, so the next list (ours or WSL's) sees it.
	for deadline := time.Now().Add(5 * time.Second); wslexe.DetachedAlive(pid, keepMarker) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	p, _ := b.keptPath(distro)
	os.Remove(p)
	b.invalidate()
	return true, nil
}

// InstanceIdle is how long WSL keeps a distro running after its last client (wsl.exe process)
// ends: .wslconfig's [general] instanceIdleTimeout, else WSL's default. never is true for a
// negative value (WSL then never stops it); fromConfig says whether .wslconfig set it.
func (b *Backend) InstanceIdle() (d time.Duration, never, fromConfig bool) {
	return b.configMS("general.instanceIdleTimeout", DefaultInstanceIdle)
}

// configMS reads a millisecond key of .wslconfig (def when the file or key is absent or bad).
func (b *Backend) configMS(name string, def time.Duration) (d time.Duration, never, fromConfig bool) {
	if p, _ := b.wslconfigPath(); p != "" {
		if f, err := wslconfig.ReadFile(b.cfgPath); err == nil {
			if v, ok := f.Get(name); ok {
				if ms, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
					if ms < 0 {
						return 0, true, true
					}
					return time.Duration(ms) * time.Millisecond, false, true
				}
			}
		}
	}
	return def, false, false
}

var (
	_ backend.Keeper = (*Backend)(nil)
	_ backend.Idler  = (*Backend)(nil)
)
