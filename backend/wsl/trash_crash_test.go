//go:build !windows

package wsl

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// TestTrashCrashChild is the process TestTrashKilledAtEachStep kills: it runs one unregister of
// Debian and, at the step named by $WSLDASH_CRASH_AT, writes $WSLDASH_CRASH_MARK and waits to be
// killed.
func TestTrashCrashChild(t *testing.T) {
	at := os.Getenv("WSLDASH_CRASH_AT")
	if at == "" {
		t.Skip("run by TestTrashKilledAtEachStep")
	}
	mark := func() { os.WriteFile(os.Getenv("WSLDASH_CRASH_MARK"), []byte(at), 0o644) }
	b, err := New(Options{WSLExe: fakeExe, Inside: no(), TrashDir: os.Getenv("WSLDASH_CRASH_TRASH"), PollInterval: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	b.trashHook = func(step string) {
		switch {
		case step == TrashVerified && at == "verified":
			mark()
			select {}
		case step == TrashUnregistering && at == "unregister":
			mark() // the double hangs in --unregister; the parent kills us while it does
		}
	}
	progress := func(n int64) {
		if at == "export" && n > 0 {
			mark()
			select {}
		}
	}
	b.Trash(context.Background(), "Debian", progress)
	t.Fatal("the unregister ended before it was killed")
}

// An unregister killed during the export, after the verification and during --unregister leaves
// Debian registered or restorable, and TrashStatus says which.
func TestTrashKilledAtEachStep(t *testing.T) {
	for _, tc := range []struct{ at, state string }{
		{"export", TrashExporting},
		{"verified", TrashVerified},
		{"unregister", TrashUnregistering},
	} {
		t.Run(tc.at, func(t *testing.T) {
			st := twoDistros()
			st.ExportChunks, st.ExportChunkBytes, st.ExportDelayMS = 200, 4096, 10
			if tc.at == "unregister" {
				st.Fail = &fakewsltest.Fail{Mode: "hang", Match: "--unregister"}
			}
			b, f, _ := newBackend(t, st, nil)
			markPath := filepath.Join(t.TempDir(), "mark")
			child := exec.Command(os.Args[0], "-test.run=^TestTrashCrashChild$", "-test.count=1")
			child.Env = append(os.Environ(), "WSLDASH_CRASH_AT="+tc.at, "WSLDASH_CRASH_MARK="+markPath,
				"WSLDASH_CRASH_TRASH="+b.opts.TrashDir, fakewsltest.EnvExe+"="+fakeExe)
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				for _, pid := range f.Pids() { // doubles the killed child left behind
					syscall.Kill(-pid, syscall.SIGKILL)
				}
			})
			reached := func() bool {
				if _, err := os.Stat(markPath); err != nil {
					return false
				}
				return tc.at != "unregister" || f.Count("--unregister") > 0
			}
			for deadline := time.Now().Add(60 * time.Second); !reached(); time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					child.Process.Kill()
					out, _ := exec.Command("cat", f.LogPath).Output()
					t.Fatalf("the child never reached %s; calls:\n%s", tc.at, out)
				}
			}
			child.Process.Kill()
			child.Wait()

			es, err := b.TrashStatus(context.Background())
			if err != nil || len(es) != 1 {
				t.Fatalf("trash %+v, %v", es, err)
			}
			e := es[0]
			reg := registered(f, "Debian")
			if e.State != tc.state || e.Registered == nil || *e.Registered != reg {
				t.Fatalf("entry %+v, registered %v", e, reg)
			}
			if !reg && !e.Restorable() {
				t.Fatalf("Debian is gone and the archive is not restorable: %+v", e)
			}
			if reg && !strings.Contains(e.Note, "not unregistered") && !strings.Contains(e.Note, "still registered") {
				t.Fatalf("note %q does not say Debian is still registered", e.Note)
			}
			if e.Restorable() {
				if _, err := verifyTar(e.Archive); err != nil {
					t.Fatalf("a restorable entry with a bad archive: %v", err)
				}
			} else if err := b.TrashRestore(context.Background(), "Debian"); err == nil {
				t.Fatal("restored from a partial export")
			}
		})
	}
}
