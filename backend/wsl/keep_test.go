//go:build linux

package wsl

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

func pidAlive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	// A zombie (killed, not yet reaped by its parent) is dead for our purposes.
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	for i := len(b) - 1; i > 0; i-- {
		if b[i] == ')' && i+2 < len(b) {
			return b[i+2] != 'Z'
		}
	}
	return true
}

// waitUntil polls cond (a hang guard with a generous deadline, not a speed assertion).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestKeepChild is the wsldash that TestHeldDiesWithWsldash and TestKeepOutlivesWsldash run and
// kill: it starts ($WSLDASH_CHILD=start) or keeps (=keep) Debian, writes $WSLDASH_CHILD_MARK
// and waits to be killed.
func TestKeepChild(t *testing.T) {
	mode := os.Getenv("WSLDASH_CHILD")
	if mode == "" {
		t.Skip("run by the keep tests")
	}
	b, err := New(Options{WSLExe: fakeExe, Inside: no(), KeepDir: os.Getenv("WSLDASH_CHILD_KEEP")})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if mode == "keep" {
		err = b.Keep(ctx, "Debian")
	} else {
		err = b.Start(ctx, "Debian")
	}
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(os.Getenv("WSLDASH_CHILD_MARK"), []byte(mode), 0o644)
	select {}
}

func runKeepChild(t *testing.T, f *fakewsltest.Fake, mode, keepDir string) *exec.Cmd {
	t.Helper()
	mark := filepath.Join(t.TempDir(), "mark")
	child := exec.Command(os.Args[0], "-test.run=^TestKeepChild$", "-test.count=1")
	child.Env = append(os.Environ(), "WSLDASH_CHILD="+mode, "WSLDASH_CHILD_MARK="+mark, "WSLDASH_CHILD_KEEP="+keepDir,
		fakewsltest.EnvExe+"="+fakeExe)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		child.Process.Kill()
		for _, pid := range f.Pids() {
			syscall.Kill(-pid, syscall.SIGKILL)
		}
	})
	waitUntil(t, "the child to "+mode+" Debian", func() bool { _, err := os.Stat(mark); return err == nil })
	return child
}

func debianHolders(f *fakewsltest.Fake) []int {
	for _, d := range f.Read().Distros {
		if d.Name == "Debian" {
			return d.Holders
		}
	}
	return nil
}

// A distro the dashboard holds is let go when wsldash dies, however it dies: killed here, with
// no chance to clean up. Before the parent-death signal its wsl.exe child lived on.
func TestHeldDiesWithWsldash(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			_, f, _ := newBackend(t, twoDistros(), nil)
			child := runKeepChild(t, f, "start", t.TempDir())
			holders := debianHolders(f)
			if len(holders) == 0 {
				t.Fatal("the child holds nothing")
			}
			child.Process.Signal(sig) // a closed terminal sends SIGHUP
			child.Wait()
			waitUntil(t, "the held wsl.exe to die with its parent", func() bool {
				for _, p := range holders {
					if pidAlive(p) {
						return false
					}
				}
				return true
			})
		})
	}
}

// start --keep outlives wsldash: after the wsldash that kept it is gone, a new one lists Debian
// Running and kept; Unkeep ends the keep-alive.
func TestKeepOutlivesWsldash(t *testing.T) {
	b, f, _ := newBackend(t, twoDistros(), nil)
	keepDir := t.TempDir()
	b.opts.KeepDir = keepDir
	child := runKeepChild(t, f, "keep", keepDir)
	child.Process.Kill()
	child.Wait()
	ds, err := b.Distros(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d, _ := byName(ds, "Debian")
	if d.State != "Running" || !d.Kept || d.Held {
		t.Fatalf("Debian after its keeper died: %+v", d)
	}
	holders := debianHolders(f)
	if ok, err := b.Unkeep("debian"); !ok || err != nil {
		t.Fatalf("Unkeep = %v, %v", ok, err)
	}
	waitUntil(t, "the keep-alive to end", func() bool {
		for _, p := range holders {
			if pidAlive(p) {
				return false
			}
		}
		return true
	})
	b.invalidate()
	ds, _ = b.Distros(context.Background())
	if d, _ := byName(ds, "Debian"); d.Kept || d.State != "Running" {
		t.Fatalf("Debian right after release (WSL keeps it 15 s): %+v", d)
	}
	f.Advance(16 * time.Second)
	b.invalidate()
	ds, _ = b.Distros(context.Background())
	if d, _ := byName(ds, "Debian"); d.Kept || d.State != "Stopped" {
		t.Fatalf("Debian 16 s after release: %+v", d)
	}
	if ok, _ := b.Unkeep("Debian"); ok {
		t.Fatal("released twice")
	}
}
