package wslexe

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// Within one Operation, the call after a timeout fails at once, says why, and never starts
// wsl.exe; a new operation asks again.
func TestOperationFailsFastAfterATimeout(t *testing.T) {
	needFake(t)
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "hang"}
	f := fakewsltest.New(t, fakeExe, st)
	r := New(fakeExe, 200*time.Millisecond)
	ctx := Operation(context.Background())
	if _, err := r.Run(ctx, "-l", "-v"); !errors.Is(err, backend.ErrTimeout) {
		t.Fatalf("first: %v", err)
	}
	_, err := r.Run(Operation(ctx), "-l", "-q")
	if !errors.Is(err, backend.ErrTimeout) || !strings.Contains(err.Error(), "earlier in this operation") {
		t.Fatalf("second: %v", err)
	}
	if n := len(f.Calls()); n != 1 {
		t.Fatalf("wsl.exe started %d times, want 1", n)
	}
	r.Run(Operation(context.Background()), "-l", "-q")
	if n := len(f.Calls()); n != 2 {
		t.Fatalf("a new operation did not ask wsl.exe (%d calls)", n)
	}
}

// A process left behind by wsl.exe that keeps its stderr open cannot hold Run past WaitDelay,
// and the call keeps wsl.exe's exit status and output.
func TestRunDoesNotWaitForAGrandchildHoldingStderr(t *testing.T) {
	needFake(t)
	fakewsltest.New(t, fakeExe, twoDistros())
	r := New(fakeExe, 30*time.Second)
	type result struct {
		res Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := r.Run(context.Background(), "-d", "Ubuntu", "--exec", "sh", "-c", "setsid sleep 30 >/dev/null </dev/null & echo hi")
		done <- result{res, err}
	}()
	select {
	case got := <-done:
		if got.err != nil || strings.TrimSpace(string(got.res.Stdout)) != "hi" {
			t.Fatalf("res %q, err %v", got.res.Stdout, got.err)
		}
	case <-time.After(20 * time.Second): // a hang guard, not a speed assertion
		t.Fatal("Run waited for the grandchild holding stderr")
	}
}

// A `wsl:` warning (UTF-16, from an inbox wsl.exe that ignores WSL_UTF8) ahead of a Linux
// command's UTF-8 stderr: the error carries the Linux message intact, not mojibake.
func TestLinuxStderrAfterAUTF16Warning(t *testing.T) {
	needFake(t)
	st := twoDistros()
	st.Inbox = true
	st.Warnings = []string{`Unknown key 'wsl2.foo' in C:\Users\dev\.wslconfig:3`}
	fakewsltest.New(t, fakeExe, st)
	r := New(fakeExe, 10*time.Second)
	_, err := r.Run(context.Background(), "-d", "Ubuntu", "--exec", "sh", "-c", "echo 'grüße: kaputt' >&2; exit 3")
	if err == nil || !strings.Contains(err.Error(), "grüße: kaputt") || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("err = %v", err)
	}
}
