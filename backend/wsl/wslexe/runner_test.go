package wslexe

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

var fakeExe string

func TestMain(m *testing.M) { fakewsltest.Main(m, &fakeExe) }

func needFake(t *testing.T) {
	if fakeExe == "" {
		t.Skip("fakewsl needs Linux")
	}
}

func twoDistros() fakewsltest.State {
	return fakewsltest.State{Default: "Ubuntu", Distros: []fakewsltest.Distro{
		{Name: "Ubuntu", State: "Running", Version: 2}, {Name: "Debian", State: "Stopped", Version: 1}}}
}

func TestEnv(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"PATH=/bin"}, "WSLENV=WSL_UTF8"},
		{[]string{"WSLENV=USERPROFILE/p"}, "WSLENV=USERPROFILE/p:WSL_UTF8"},
		{[]string{"WSLENV=WSL_UTF8:FOO", "WSL_UTF8=0"}, "WSLENV=WSL_UTF8:FOO"},
		{[]string{"WSLENV=FOO:WSL_UTF8/u"}, "WSLENV=FOO:WSL_UTF8/u"},
	}
	for _, c := range cases {
		env := Env(c.in)
		joined := strings.Join(env, "\n")
		if !strings.Contains(joined, c.want) || strings.Count(joined, "WSL_UTF8=") != 1 || !strings.Contains(joined, "WSL_UTF8=1") {
			t.Errorf("Env(%q) = %q, want %s and exactly one WSL_UTF8=1", c.in, env, c.want)
		}
	}
}

func TestDefaultTimeoutIs10s(t *testing.T) {
	if r := New("wsl.exe", 0); r.Timeout != 10*time.Second {
		t.Fatalf("default timeout %v, want 10s", r.Timeout)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "wsl.exe")
	if err := os.WriteFile(exe, []byte("x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if p, err := Find(exe); err != nil || p != exe {
		t.Fatalf("Find(explicit) = %q, %v", p, err)
	}
	t.Setenv(EnvExe, exe)
	if p, err := Find(""); err != nil || p != exe {
		t.Fatalf("Find via env = %q, %v", p, err)
	}
	_, err := Find(filepath.Join(dir, "nope.exe"))
	if backend.KindOf(err) != backend.KindNotFound || !strings.Contains(err.Error(), "nope.exe") {
		t.Fatalf("missing explicit: %v", err)
	}
	t.Setenv(EnvExe, "")
	t.Setenv("PATH", dir+"/empty")
	if _, err := os.Stat(StandardPath()); err == nil {
		t.Skip("a real wsl.exe is at the standard place")
	}
	_, err = Find("")
	if backend.KindOf(err) != backend.KindNotFound || !strings.Contains(err.Error(), StandardPath()) {
		t.Fatalf("nothing anywhere: %v", err)
	}
}

func TestRunListEncodings(t *testing.T) {
	needFake(t)
	for _, c := range []struct {
		name   string
		mutate func(*fakewsltest.State)
		utf8   bool
	}{
		{"store honours WSL_UTF8", func(*fakewsltest.State) {}, true},
		{"inbox ignores WSL_UTF8", func(s *fakewsltest.State) { s.Inbox = true }, false},
		{"inbox crcrlf", func(s *fakewsltest.State) { s.Inbox = true; s.CRCRLF = true }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := twoDistros()
			c.mutate(&st)
			fakewsltest.New(t, fakeExe, st)
			r := New(fakeExe, 5*time.Second)
			res, err := r.Run(context.Background(), "-l", "-v")
			if err != nil {
				t.Fatal(err)
			}
			isUTF16 := len(res.Stdout) > 1 && res.Stdout[1] == 0
			if isUTF16 == c.utf8 {
				t.Errorf("raw output UTF-16 = %v, want %v", isUTF16, !c.utf8)
			}
			v, err := wslout.ParseListVerbose(res.Text())
			if err != nil || len(v.Entries) != 2 || !v.Entries[0].Default {
				t.Fatalf("parsed %+v, %v", v, err)
			}
		})
	}
}

func TestRunTimeout(t *testing.T) {
	needFake(t)
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "hang"}
	fakewsltest.New(t, fakeExe, st)
	r := New(fakeExe, 300*time.Millisecond)
	_, err := r.Run(context.Background(), "-l", "-v")
	if !errors.Is(err, backend.ErrTimeout) || !strings.Contains(err.Error(), "wsl.exe did not respond within 300ms") {
		t.Fatalf("err = %v, want the timeout error", err)
	}
}

func TestRunCancelIsNotTimeout(t *testing.T) {
	needFake(t)
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "hang"}
	fakewsltest.New(t, fakeExe, st)
	r := New(fakeExe, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	r.OnCall = nil
	done := make(chan error)
	go func() { _, err := r.Run(ctx, "-l"); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRunErrorCodes(t *testing.T) {
	needFake(t)
	cases := []struct {
		fail *fakewsltest.Fail
		lang string
		kind backend.Kind
		code string
		msg  string
	}{
		{&fakewsltest.Fail{Mode: "error", Code: "Wsl/Service/WSL_E_DISTRO_NOT_STOPPED", Message: "The VHD is in use."}, "", backend.KindBusy, "Wsl/Service/WSL_E_DISTRO_NOT_STOPPED", "The VHD is in use."},
		{&fakewsltest.Fail{Mode: "denied"}, "", backend.KindPermission, "Wsl/Service/E_ACCESSDENIED", "Access is denied."},
		{&fakewsltest.Fail{Mode: "error", Code: "Wsl/Service/E_INVALIDARG", Message: "Ungültiges Argument."}, "de", backend.KindFailed, "Wsl/Service/E_INVALIDARG", "Ungültiges Argument."},
	}
	for _, c := range cases {
		st := twoDistros()
		st.Fail, st.Lang = c.fail, c.lang
		fakewsltest.New(t, fakeExe, st)
		_, err := New(fakeExe, 5*time.Second).Run(context.Background(), "-t", "Ubuntu")
		var be *backend.Error
		if !errors.As(err, &be) || be.Kind != c.kind || be.Code != c.code || be.Message != c.msg {
			t.Errorf("%+v: err = %#v", c.fail, err)
		}
	}
	// A real not-found from the double's state machine.
	fakewsltest.New(t, fakeExe, twoDistros())
	_, err := New(fakeExe, 5*time.Second).Run(context.Background(), "-t", "Nope")
	if backend.KindOf(err) != backend.KindNotFound || backend.CodeOf(err) != "Wsl/Service/TerminateDistro/WSL_E_DISTRO_NOT_FOUND" {
		t.Fatalf("terminate unknown: %v", err)
	}
}

func TestRunLinuxExitStatus(t *testing.T) {
	needFake(t)
	fakewsltest.New(t, fakeExe, twoDistros())
	_, err := New(fakeExe, 5*time.Second).Run(context.Background(), "-d", "Ubuntu", "--exec", "sh", "-c", "echo oops >&2; exit 3")
	if backend.KindOf(err) != backend.KindFailed || !strings.Contains(err.Error(), "oops (exit status 3)") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunGarbageDoesNotPanic(t *testing.T) {
	needFake(t)
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "garbage"}
	fakewsltest.New(t, fakeExe, st)
	res, err := New(fakeExe, 5*time.Second).Run(context.Background(), "-l", "-v")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wslout.ParseListVerbose(res.Text()); backend.KindOf(err) != backend.KindParse {
		t.Fatalf("garbage parsed: err = %v", err)
	}
}

func TestMissingBinaryAndNoPermission(t *testing.T) {
	dir := t.TempDir()
	_, err := New(filepath.Join(dir, "wsl.exe"), time.Second).Run(context.Background(), "-l")
	if backend.KindOf(err) != backend.KindNotFound || !strings.Contains(err.Error(), dir) {
		t.Fatalf("missing: %v", err)
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: a non-executable file is still not executable for exec")
	}
	noexec := filepath.Join(dir, "noexec.exe")
	if err := os.WriteFile(noexec, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = New(noexec, time.Second).Run(context.Background(), "-l")
	if backend.KindOf(err) != backend.KindPermission {
		t.Fatalf("not executable: %v", err)
	}
}

func TestCallHookAndStream(t *testing.T) {
	needFake(t)
	f := fakewsltest.New(t, fakeExe, twoDistros())
	r := New(fakeExe, 5*time.Second)
	var mu sync.Mutex
	var calls []Call
	r.OnCall = func(c Call) { mu.Lock(); calls = append(calls, c); mu.Unlock() }
	p, err := r.Start(context.Background(), "-d", "Ubuntu", "--exec", "sh", "-c", "echo one; echo two; exec sleep 60")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(p.Stdout())
	var got []string
	for len(got) < 2 && sc.Scan() {
		got = append(got, sc.Text())
	}
	if strings.Join(got, ",") != "one,two" {
		t.Fatalf("stream read %q", got)
	}
	p.Stop()
	select {
	case <-p.Done():
	default:
		t.Fatal("Stop returned before the child ended")
	}
	if _, err := r.Run(context.Background(), "--status"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 2 || !calls[0].Long || calls[1].Long || calls[1].Args[0] != "--status" {
		t.Fatalf("calls = %+v", calls)
	}
	if n := len(f.Calls()); n != 2 {
		t.Fatalf("double logged %d calls, want 2", n)
	}
}

func TestStopKillsProcessGroup(t *testing.T) {
	needFake(t)
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := mkfifo(fifo); err != nil {
		t.Skip("no fifo:", err)
	}
	fakewsltest.New(t, fakeExe, twoDistros())
	r := New(fakeExe, 5*time.Second)
	// The grandchild holds the FIFO's only write end: reading it hits EOF exactly when it dies.
	p, err := r.Start(context.Background(), "-d", "Ubuntu", "--exec", "sh", "-c", "sleep 60 > "+fifo+" & echo started; wait")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(p.Stdout())
	if !sc.Scan() || sc.Text() != "started" {
		t.Fatal("no start line")
	}
	rd, err := os.OpenFile(fifo, os.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	p.Stop()
	rd.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadAll(rd); err != nil {
		t.Fatalf("grandchild survived Stop: %v", err)
	}
}
