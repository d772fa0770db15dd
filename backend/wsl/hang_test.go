package wsl

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
)

// Against a hung wsl.exe a list costs one timeout: -l -v times out and the -l -q fallback is
// not tried (it used to wait a second timeout).
func TestHungListCostsOneTimeout(t *testing.T) {
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "hang"}
	b, f, _ := newBackend(t, st, func(o *Options) { o.Timeout = 300 * time.Millisecond })
	_, err := b.Distros(context.Background())
	if !errors.Is(err, backend.ErrTimeout) {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.Calls()); n != 1 || f.Count("-l -v") != 1 {
		t.Fatalf("wsl.exe started %d times (%v), want once", n, f.Calls())
	}
}

// No distros in a language the parser does not know: -l -v fails without an error code and the
// -l -q fallback (empty, exit 0) settles it. Until the double spoke German here, the fallback
// never ran in a test.
func TestNoDistrosLocalizedUsesQuietFallback(t *testing.T) {
	st := fakewsltest.State{Lang: "de", Inbox: true}
	b, f, _ := newBackend(t, st, nil)
	ds, err := b.Distros(context.Background())
	if err != nil || ds == nil || len(ds) != 0 {
		t.Fatalf("distros %#v, %v", ds, err)
	}
	if f.Count("-l -q") != 1 {
		t.Fatalf("the -l -q fallback did not run: %v", f.Calls())
	}
}

// A codeless -l -v failure while distros exist is not "no distros": -l -q lists names, so the
// original error stands.
func TestCodelessListFailureWithDistrosIsAnError(t *testing.T) {
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "error", Match: "-l -v", Message: "Etwas ist schiefgegangen."}
	b, f, _ := newBackend(t, st, nil)
	if _, err := b.Distros(context.Background()); err == nil || !strings.Contains(err.Error(), "schiefgegangen") {
		t.Fatalf("err = %v", err)
	}
	if f.Count("-l -q") != 1 {
		t.Fatalf("calls %v", f.Calls())
	}
}

// wsl.exe's -1 as Go on Windows reports it (4294967295), and as interop does (255), is wsl.exe's
// own failure with its message and code; a Linux command's 1 is not.
func TestExitCodeMinusOne(t *testing.T) {
	out := []byte("T\x00h\x00e\x00r\x00e\x00 \x00i\x00s\x00 \x00n\x00o\x00 \x00d\x00i\x00s\x00t\x00r\x00o\x00.\x00\r\x00\n\x00" +
		"E\x00r\x00r\x00o\x00r\x00 \x00c\x00o\x00d\x00e\x00:\x00 \x00W\x00s\x00l\x00/\x00S\x00e\x00r\x00v\x00i\x00c\x00e\x00/\x00" +
		"W\x00S\x00L\x00_\x00E\x00_\x00D\x00I\x00S\x00T\x00R\x00O\x00_\x00N\x00O\x00T\x00_\x00F\x00O\x00U\x00N\x00D\x00\r\x00\n\x00")
	for _, code := range []int{4294967295, 255, -1} {
		err := wslexe.ExitError("start", wslexe.Result{Stdout: out, ExitCode: code})
		if backend.CodeOf(err) != "Wsl/Service/WSL_E_DISTRO_NOT_FOUND" || backend.KindOf(err) != backend.KindNotFound {
			t.Errorf("exit %d: %v (kind %v)", code, err, backend.KindOf(err))
		}
	}
	if err := wslexe.ExitError("exec", wslexe.Result{Stdout: out, ExitCode: 1}); backend.CodeOf(err) != "" {
		t.Errorf("a Linux exit status 1 taken for wsl.exe's failure: %v", err)
	}
}
