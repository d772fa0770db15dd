//go:build !windows

package local

import (
	"context"
	"os/exec"
	"syscall"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// TestKillSendsTheChosenSignal: the signal the user picked is the one sent, to a real process
// (the old backend sent SIGTERM whatever was asked).
func TestKillSendsTheChosenSignal(t *testing.T) {
	b := New(Options{})
	for _, c := range []struct {
		sig  backend.Signal
		want syscall.Signal
	}{{backend.SigTerm, syscall.SIGTERM}, {backend.SigKill, syscall.SIGKILL}} {
		p := exec.Command("sleep", "60")
		if err := p.Start(); err != nil {
			t.Skip("no sleep:", err)
		}
		if err := b.KillProcess(context.Background(), "", p.Process.Pid, c.sig); err != nil {
			p.Process.Kill()
			p.Wait()
			t.Fatal(err)
		}
		p.Wait()
		ws, ok := p.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != c.want {
			t.Errorf("%s: the process ended with %v, want %v", c.sig, p.ProcessState, c.want)
		}
	}
	var sent []int
	b = New(Options{Signal: func(pid, sig int) error { sent = append(sent, pid, sig); return nil }})
	for _, bad := range []struct {
		pid int
		sig backend.Signal
	}{{1, backend.SigTerm}, {0, backend.SigKill}, {-1, backend.SigKill}, {4242, "HUP"}, {4242, ""}} {
		if err := b.KillProcess(context.Background(), "", bad.pid, bad.sig); err == nil {
			t.Errorf("kill %d %q accepted", bad.pid, bad.sig)
		}
	}
	if len(sent) != 0 {
		t.Errorf("refused kills still signalled: %v", sent)
	}
}
