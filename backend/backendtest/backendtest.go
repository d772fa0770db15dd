// Package backendtest is the contract every backend.Backend keeps, as tests: one suite that the
// wsl backend (over its wsl.exe double), the demo, local and the TUI's fake each run from their
// own package's tests. A backend that breaks a rule fails here, named by the rule, rather than
// in a golden file downstream.
//
// A backend's test calls Run with a Harness that builds a fresh backend per contract and says
// what the backend is expected to do; everything else (which actions it offers, which optional
// interfaces it implements) is read from the backend itself.
package backendtest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// Harness builds the backend under test.
type Harness struct {
	// New builds a fresh backend for one contract; the harness registers its own cleanups on t
	// (closing the backend, stopping a double).
	New func(t *testing.T) Subject
	// Distros is whether the backend has distros (local has none: an empty list is its truth).
	Distros bool
	// History is whether the backend opens on a past (the demo's simulated warm-up), so that its
	// first sample may already carry a CPU rate.
	History bool
	// LongOps are the long operations to drive for their progress and cancel: any of
	// ActExport, ActClone, ActUnregister (the trash) and ActInstall. Each must also be possible
	// (Capabilities) and its interface implemented.
	LongOps []backend.Action
	// Trash is whether to walk the trash's steps (Trash, TrashList, restore, purge).
	Trash bool
}

// Subject is one backend under test and what the harness can see around it.
type Subject struct {
	Backend backend.Backend
	// State, if set, reads a distro's state from outside the backend (the wsl.exe double's own
	// state), so that a backend's stale cache cannot hide a start; nil: the backend's Distros.
	State func(name string) backend.State
	// Steps, if set, makes the backend call f between the steps of a long operation (the demo's
	// waits, the wsl backend's trash steps), outside its locks, so the suite can look at it then.
	Steps func(f func())
	// Stall, if set, makes the backend's next a (ActInstall) run until it is cancelled, and
	// returns what undoes that: for a backend whose install is too quick to cancel half way (the
	// wsl.exe double's). nil: the operation is slow enough by itself.
	Stall func(a backend.Action) (undo func())
}

// timeout bounds every call of the suite: a backend that hangs fails, it does not stall the run.
const timeout = 30 * time.Second

// prompt is how soon an operation must return once its context is cancelled.
const prompt = 10 * time.Second

// noSuchDistro is a valid name no backend under test has.
const noSuchDistro = "wsldash-no-such-distro"

// Run runs every contract against h's backend, one subtest each. The subtests do not run in
// parallel (the wsl.exe double is configured through the environment).
func Run(t *testing.T, h Harness) {
	t.Helper()
	contracts := []struct {
		name string
		run  func(t *testing.T, h Harness, s Subject)
	}{
		{"capabilities", testCapabilities},
		{"distro names", testNames},
		{"unknown distro", testUnknownDistro},
		{"unknown values are nil", testUnknownIsNil},
		{"kill refuses init", testKillInit},
		{"reading never starts a stopped distro", testReadingDoesNotStart},
		{"long operations", testLongOps},
		{"trash", testTrash},
		{"rules", testRules},
	}
	for _, c := range contracts {
		t.Run(c.name, func(t *testing.T) {
			s := h.New(t)
			c.run(t, h, s)
		})
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return ctx
}

// asError is err as a *backend.Error, or a failure saying that the contract wants one.
func asError(t *testing.T, what string, err error) *backend.Error {
	t.Helper()
	var e *backend.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: every expected failure is a *backend.Error with a Kind, got %T: %v", what, err, err)
		return nil
	}
	return e
}

// wantKind checks that err is a *backend.Error of kind.
func wantKind(t *testing.T, what string, err error, kind backend.Kind) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: want a %q error, got success", what, kind)
		return
	}
	if e := asError(t, what, err); e != nil && e.Kind != kind {
		t.Errorf("%s: want an error of kind %q, got kind %q: %v", what, kind, e.Kind, err)
	}
}

// state is a distro's state as the subject's truth tells it ("" when it is not registered).
func state(t *testing.T, s Subject, name string) backend.State {
	t.Helper()
	if s.State != nil {
		return s.State(name)
	}
	ds, err := s.Backend.Distros(ctxT(t))
	if err != nil {
		t.Fatalf("Distros: %v", err)
	}
	for _, d := range ds {
		if strings.EqualFold(d.Name, name) {
			return d.State
		}
	}
	return ""
}

func distros(t *testing.T, b backend.Backend) []backend.Distro {
	t.Helper()
	ds, err := b.Distros(ctxT(t))
	if err != nil {
		t.Fatalf("Distros: %v", err)
	}
	return ds
}

// pick is the first listed distro in state st (any version when v is 0), or fails the test.
func pick(t *testing.T, b backend.Backend, st backend.State, v int) backend.Distro {
	t.Helper()
	for _, d := range distros(t, b) {
		if d.State == st && (v == 0 || d.Version == v) {
			return d
		}
	}
	t.Fatalf("the harness's backend needs a %s distro (version %d) for this contract", st, v)
	return backend.Distro{}
}

func registered(t *testing.T, b backend.Backend, name string) bool {
	t.Helper()
	for _, d := range distros(t, b) {
		if strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

func can(b backend.Backend, a backend.Action) bool { return b.Capabilities().Check(a) == nil }

func fmtStates(ss []string) string { return fmt.Sprintf("%q", ss) }
