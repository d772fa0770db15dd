package backend

import (
	"errors"
	"strings"
)

// Kind classifies an error so front ends can react without parsing text.
type Kind int

const (
	KindFailed      Kind = iota // the action ran and failed
	KindNotFound                // no such distro, process or binary
	KindUnsupported             // this backend cannot do that (see Capabilities)
	KindPermission              // access denied / needs root or elevation
	KindTimeout                 // the tool did not respond in time
	KindBusy                    // another long operation holds the distro
	KindParse                   // output could not be understood
	KindNotRunning              // the distro (or VM) is not running
)

func (k Kind) String() string {
	switch k {
	case KindNotFound:
		return "not found"
	case KindUnsupported:
		return "unsupported"
	case KindPermission:
		return "permission denied"
	case KindTimeout:
		return "timeout"
	case KindBusy:
		return "busy"
	case KindParse:
		return "unparseable output"
	case KindNotRunning:
		return "not running"
	}
	return "failed"
}

// Sentinels for errors.Is: errors.Is(err, backend.ErrTimeout) is true for any *Error of that kind.
var (
	ErrFailed      = &Error{Kind: KindFailed}
	ErrNotFound    = &Error{Kind: KindNotFound}
	ErrUnsupported = &Error{Kind: KindUnsupported}
	ErrPermission  = &Error{Kind: KindPermission}
	ErrTimeout     = &Error{Kind: KindTimeout}
	ErrBusy        = &Error{Kind: KindBusy}
	ErrParse       = &Error{Kind: KindParse}
	ErrNotRunning  = &Error{Kind: KindNotRunning}
)

// Error is the error type every backend returns for expected failures.
type Error struct {
	Kind    Kind
	Op      string // "start", "list", "reclaim", …
	Distro  string // when the error concerns one distro
	Message string // human text, one line where possible (wsl.exe's message, for example)
	// Code is WSL's own error code when it gave one, e.g. "Wsl/Service/WSL_E_DISTRO_NOT_FOUND".
	Code string
	Err  error // the underlying error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		if e.Distro != "" {
			b.WriteString(" ")
			b.WriteString(e.Distro)
		}
		b.WriteString(": ")
	}
	switch {
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(e.Err.Error())
	default:
		b.WriteString(e.Kind.String())
	}
	if e.Code != "" {
		b.WriteString(" (")
		b.WriteString(e.Code)
		b.WriteString(")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches sentinels by Kind, so errors.Is(err, ErrTimeout) works through wrapping.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Kind == e.Kind && t.Op == "" && t.Message == "" && t.Code == "" && t.Err == nil
}

// KindOf returns the Kind of the first *Error in err's chain, or KindFailed.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindFailed
}

// CodeOf returns WSL's error code carried by err, or "".
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
