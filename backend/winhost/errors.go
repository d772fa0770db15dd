package winhost

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"syscall"

	"github.com/wsldash/wsldash/backend"
)

// Windows error numbers the pure code recognises. They are plain syscall.Errno values so the
// classification can be tested on any OS (where, say, Errno(5) means something else: the
// classifiers are only fed errors that came from Windows calls, or tagged ones).
const (
	errnoAccessDenied     = syscall.Errno(5)          // ERROR_ACCESS_DENIED
	errnoInvalidParameter = syscall.Errno(87)         // ERROR_INVALID_PARAMETER: OpenProcess on a pid that is gone
	errnoModNotFound      = syscall.Errno(126)        // ERROR_MOD_NOT_FOUND: vmcompute.dll absent
	errnoProcNotFound     = syscall.Errno(127)        // ERROR_PROC_NOT_FOUND
	errnoElementNotFound  = syscall.Errno(0x490)      // ERROR_NOT_FOUND (hcsshim ErrElementNotFound)
	hresultAccessDenied   = syscall.Errno(0x80070005) // E_ACCESSDENIED
	hcsSystemNotFound     = syscall.Errno(0xc037010e) // HCS_E_SYSTEM_NOT_FOUND (hcsshim ErrComputeSystemDoesNotExist)
	// hcsAccessDenied is HCS's own access-denied HRESULT (HCS_E_ACCESS_DENIED). hcsshim's
	// syscall wrappers turn only facility-7 HRESULTs into Win32 errnos, so this one arrives as
	// it is, and hcsshim.IsAccessIsDenied (which looks for Errno 5) does not see it.
	hcsAccessDenied = syscall.Errno(0x8037011b)
)

// Sentinels the Windows glue attaches (with tag) to errors whose type the pure code cannot see,
// such as hcsshim's ContainerError, which does not unwrap.
var (
	errDenied = errors.New("access is denied")
	errGone   = errors.New("no longer exists")
)

// tagged is an error that keeps its own text and also matches tag with errors.Is.
type tagged struct {
	err error
	tag error
}

func (t *tagged) Error() string   { return t.err.Error() }
func (t *tagged) Unwrap() []error { return []error{t.err, t.tag} }

// tag makes err also match with errors.Is(…, tg). tag(nil, x) is nil.
func tag(err, tg error) error {
	if err == nil {
		return nil
	}
	return &tagged{err: err, tag: tg}
}

// isAccessDenied reports whether err (from a Windows call) means the caller lacks the rights.
func isAccessDenied(err error) bool {
	return err != nil && (errors.Is(err, errDenied) || errors.Is(err, errnoAccessDenied) ||
		errors.Is(err, hresultAccessDenied) || errors.Is(err, hcsAccessDenied))
}

// isGone reports whether err (from OpenProcess or HCS) means the process or VM no longer exists.
func isGone(err error) bool {
	return err != nil && (errors.Is(err, errGone) || errors.Is(err, errnoInvalidParameter) ||
		errors.Is(err, errnoElementNotFound) || errors.Is(err, hcsSystemNotFound))
}

// isMissingHCS reports whether err says vmcompute.dll (HCS) is absent from this Windows, or
// lacks a function hcsshim calls: only by the error numbers (x/sys's DLLError and hcsshim's
// HcsError unwrap to them). The text is never matched: HCS's own errors carry event messages
// that may name vmcompute.dll while the DLL is there and the failure is transient.
func isMissingHCS(err error) bool {
	return errors.Is(err, errnoModNotFound) || errors.Is(err, errnoProcNotFound)
}

// Notes shown in HostView.Note. Each is one line.
const (
	noteNotRunning = "the WSL VM is not running"
	noteHCSDenied  = "HCS statistics need an elevated prompt"
	noteHCSMissing = "HCS is not available on this Windows (no vmcompute.dll)"
	// noteHCSSeveral: HCS lists several VMs with owner WSL, so none of their statistics is WSL's.
	noteHCSSeveral = "HCS lists several VMs with owner WSL; cannot tell which is WSL's"
)

// classifyHCSError turns an HCS failure into a note and says whether it is permanent for this
// process (no point asking again): access denied (elevation cannot change while we run) and a
// missing vmcompute.dll are; anything else is retried on the next sample.
func classifyHCSError(err error) (note string, permanent bool) {
	switch {
	case err == nil:
		return "", false
	case isAccessDenied(err):
		return noteHCSDenied, true
	case isMissingHCS(err):
		return noteHCSMissing, true
	}
	return "HCS statistics failed: " + firstLine(err.Error()), false
}

// processNote explains why the VM process's numbers are missing.
func processNote(name string, err error) string {
	if name == "" {
		name = "the VM process"
	}
	if isAccessDenied(err) {
		return "cannot read " + name + " (access denied; try an elevated prompt)"
	}
	return "cannot read " + name + ": " + firstLine(err.Error())
}

// isContextErr is true for a cancelled or expired context.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// firstLine is the first non-empty line of s, trimmed, at most 160 bytes (on a rune boundary).
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if len(l) > 160 {
			cut := 160
			for cut > 0 && !isRuneStart(l[cut]) {
				cut--
			}
			l = l[:cut] + "…"
		}
		return l
	}
	return "unknown error"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// diskError wraps a failure to measure a disk file in a *backend.Error of the right kind.
func diskError(path string, err error) error {
	kind := backend.KindFailed
	switch {
	case errors.Is(err, fs.ErrNotExist):
		kind = backend.KindNotFound
	case errors.Is(err, fs.ErrPermission):
		kind = backend.KindPermission
	}
	return &backend.Error{Kind: kind, Op: "disk usage", Message: path + ": " + firstLine(err.Error()), Err: err}
}
