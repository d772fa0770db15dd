package procfs

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"syscall"

	"github.com/wsldash/wsldash/backend"
)

// maxQuote is how much of an offending line a parse error quotes.
const maxQuote = 48

// quote returns b as a Go-quoted string, truncated to maxQuote bytes with "…" appended.
func quote(b []byte) string {
	if len(b) > maxQuote {
		return strconv.Quote(string(b[:maxQuote])) + "…"
	}
	return strconv.Quote(string(b))
}

// parseErr is a KindParse error for op ("parse meminfo") at a 1-based line (0 = whole input).
func parseErr(op string, line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = "line " + strconv.Itoa(line) + ": " + msg
	}
	return &backend.Error{Kind: backend.KindParse, Op: op, Message: msg}
}

// readErr turns a file error into a *backend.Error that still wraps the original (so
// errors.Is(err, fs.ErrNotExist) keeps working).
func readErr(op string, err error) error {
	kind := backend.KindFailed
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ESRCH):
		kind = backend.KindNotFound
	case errors.Is(err, fs.ErrPermission):
		kind = backend.KindPermission
	}
	return &backend.Error{Kind: kind, Op: op, Message: err.Error(), Err: err}
}

// vanished reports whether err means the process went away while we were reading it.
func vanished(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH)
}
