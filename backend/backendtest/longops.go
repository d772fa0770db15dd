package backendtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// bytesSeen records an Archiver's progress and whether it came after the call returned.
type bytesSeen struct {
	mu       sync.Mutex
	vals     []int64
	returned bool
	late     bool
	onFirst  func()
}

func (p *bytesSeen) report(n int64) {
	p.mu.Lock()
	p.vals = append(p.vals, n)
	first := len(p.vals) == 1
	p.late = p.late || p.returned
	f := p.onFirst
	p.mu.Unlock()
	if first && f != nil {
		f()
	}
}

func (p *bytesSeen) done() { p.mu.Lock(); p.returned = true; p.mu.Unlock() }

// check: progress was reported, never went back, ended above 0 and stopped when the call returned.
func (p *bytesSeen) check(t *testing.T, what string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.vals) == 0 {
		t.Errorf("%s: no progress was reported", what)
		return
	}
	for i := 1; i < len(p.vals); i++ {
		if p.vals[i] < p.vals[i-1] {
			t.Errorf("%s: progress went back (%d after %d): it must only grow", what, p.vals[i], p.vals[i-1])
			break
		}
	}
	if last := p.vals[len(p.vals)-1]; last <= 0 {
		t.Errorf("%s: progress ended at %d bytes", what, last)
	}
	if p.late {
		t.Errorf("%s: progress was reported after the call returned", what)
	}
}

// cancelled checks that err reports the cancel of its context, as a *backend.Error, and came
// promptly after it.
func cancelled(t *testing.T, what string, err error, at *time.Time, mu *sync.Mutex) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: cancelled, yet it reports success", what)
		return
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%s: a cancelled operation's error must say so (errors.Is context.Canceled), got %v", what, err)
	}
	asError(t, what, err)
	mu.Lock()
	defer mu.Unlock()
	if at.IsZero() {
		t.Errorf("%s: it returned before it was cancelled (no progress to cancel at)", what)
	} else if d := time.Since(*at); d > prompt {
		t.Errorf("%s: it returned %v after its context was cancelled; a cancel must end it promptly", what, d)
	}
}

// canceller cancels a context at the first progress and remembers when.
type canceller struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	at     time.Time
}

func newCanceller(t *testing.T) *canceller {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return &canceller{ctx: ctx, cancel: cancel}
}

func (c *canceller) fire() {
	c.mu.Lock()
	if c.at.IsZero() {
		c.at = time.Now()
	}
	c.mu.Unlock()
	c.cancel()
}

// untouched: a cancelled operation neither started nor unregistered the distro it worked on
// (WSL's service may still show it busy for a moment: that is not the backend's to undo).
func untouched(t *testing.T, s Subject, what, name string) {
	t.Helper()
	switch st := state(t, s, name); st {
	case "":
		t.Errorf("%s unregistered %s", what, name)
	case backend.StateRunning:
		t.Errorf("%s started %s", what, name)
	}
}

// testLongOps: each long operation the harness lists reports progress that only grows and ends
// with the call, and a cancel ends it promptly with the context's error, leaving nothing behind
// (no file, no new distro, no distro left busy, no trash entry).
func testLongOps(t *testing.T, h Harness, s Subject) {
	if len(h.LongOps) == 0 {
		t.Skip("the harness drives no long operation")
	}
	for _, op := range h.LongOps {
		if !can(s.Backend, op) || !implements(s.Backend, op) {
			t.Errorf("the harness lists %s as a long operation to drive, but the backend cannot do it", op)
		}
	}
	for _, op := range h.LongOps {
		t.Run(string(op), func(t *testing.T) {
			s := s
			if op != h.LongOps[0] {
				s = h.New(t) // a fresh backend for each operation
			}
			switch op {
			case backend.ActExport:
				longExport(t, s)
			case backend.ActClone:
				longClone(t, s)
			case backend.ActUnregister:
				longTrash(t, s)
			case backend.ActInstall:
				longInstall(t, s)
			default:
				t.Fatalf("no long-operation contract for %s", op)
			}
		})
	}
}

func longExport(t *testing.T, s Subject) {
	a := s.Backend.(backend.Archiver)
	d := pick(t, s.Backend, backend.StateStopped, 0)
	dir := t.TempDir()
	var p bytesSeen
	err := a.Export(ctxT(t), d.Name, filepath.Join(dir, "done.tar"), backend.FormatTar, p.report)
	p.done()
	if err != nil {
		t.Fatalf("Export of %s: %v", d.Name, err)
	}
	p.check(t, "Export")
	if st := state(t, s, d.Name); st != backend.StateStopped {
		t.Errorf("after its export %s is %q, was Stopped", d.Name, st)
	}

	c := newCanceller(t)
	file := filepath.Join(dir, "cancelled.tar")
	q := bytesSeen{onFirst: c.fire}
	err = a.Export(c.ctx, d.Name, file, backend.FormatTar, q.report)
	q.done()
	cancelled(t, "a cancelled Export", err, &c.at, &c.mu)
	if _, serr := os.Lstat(file); !os.IsNotExist(serr) {
		t.Errorf("a cancelled Export left %s behind (%v): a failed export leaves no partial file", file, serr)
	}
	untouched(t, s, "a cancelled export", d.Name)
}

func longClone(t *testing.T, s Subject) {
	a := s.Backend.(backend.Archiver)
	d := pick(t, s.Backend, backend.StateStopped, 0)
	var p bytesSeen
	err := a.Clone(ctxT(t), d.Name, "wsldash-clone", filepath.Join(t.TempDir(), "clone"), backend.FormatTar, p.report)
	p.done()
	if err != nil {
		t.Fatalf("Clone of %s: %v", d.Name, err)
	}
	p.check(t, "Clone")
	if !registered(t, s.Backend, "wsldash-clone") {
		t.Error("after Clone the new distro is not listed")
	}

	c := newCanceller(t)
	q := bytesSeen{onFirst: c.fire}
	err = a.Clone(c.ctx, d.Name, "wsldash-clone2", filepath.Join(t.TempDir(), "clone2"), backend.FormatTar, q.report)
	q.done()
	cancelled(t, "a cancelled Clone", err, &c.at, &c.mu)
	if registered(t, s.Backend, "wsldash-clone2") {
		t.Error("a cancelled Clone registered its new distro")
	}
	untouched(t, s, "a cancelled clone", d.Name)
}

func longTrash(t *testing.T, s Subject) {
	a := s.Backend.(backend.Archiver)
	d := pick(t, s.Backend, backend.StateStopped, 0)
	c := newCanceller(t)
	q := bytesSeen{onFirst: c.fire}
	_, err := a.Trash(c.ctx, d.Name, q.report)
	q.done()
	cancelled(t, "a Trash cancelled while exporting", err, &c.at, &c.mu)
	if !registered(t, s.Backend, d.Name) {
		t.Errorf("a Trash cancelled while exporting unregistered %s", d.Name)
	}
	untouched(t, s, "a cancelled trash", d.Name)
	es, err := a.TrashList()
	if err != nil {
		t.Fatalf("TrashList: %v", err)
	}
	for _, e := range es {
		if strings.EqualFold(e.Name, d.Name) {
			t.Errorf("a Trash cancelled while exporting left an entry in the trash (%s, %q)", e.Name, e.State)
		}
	}
}

func longInstall(t *testing.T, s Subject) {
	m := s.Backend.(backend.Manager)
	cat, err := m.OnlineDistros(ctxT(t))
	if err != nil || len(cat) == 0 {
		t.Fatalf("OnlineDistros: %v, %d rows; install needs a catalogue", err, len(cat))
	}
	src := cat[0].Name
	var mu sync.Mutex
	var seen []backend.InstallProgress
	returned, late := false, false
	var c *canceller
	report := func(p backend.InstallProgress) {
		mu.Lock()
		seen = append(seen, p)
		late = late || returned
		first := len(seen) == 1
		mu.Unlock()
		if first && c != nil {
			c.fire()
		}
	}
	_, err = m.Install(ctxT(t), backend.InstallOptions{Distro: src, Name: "wsldash-installed"}, report)
	mu.Lock()
	returned = true
	mu.Unlock()
	if err != nil {
		t.Fatalf("Install of %s: %v", src, err)
	}
	mu.Lock()
	if len(seen) == 0 {
		t.Error("Install reported no progress")
	}
	rank := map[string]int{"": 0, backend.InstallDownloading: 1, backend.InstallInstalling: 2}
	for i := 1; i < len(seen); i++ {
		if seen[i].Elapsed < seen[i-1].Elapsed {
			t.Errorf("Install's elapsed time went back (%v after %v)", seen[i].Elapsed, seen[i-1].Elapsed)
		}
		if seen[i].Phase != "" && rank[seen[i].Phase] < rank[seen[i-1].Phase] {
			t.Errorf("Install's phase went back (%q after %q): downloading comes before installing", seen[i].Phase, seen[i-1].Phase)
		}
	}
	if late {
		t.Error("Install reported progress after it returned")
	}
	mu.Unlock()
	if !registered(t, s.Backend, "wsldash-installed") {
		t.Error("after Install the new distro is not listed")
	}

	c = newCanceller(t)
	mu.Lock()
	seen, returned = nil, false
	mu.Unlock()
	if s.Stall != nil {
		defer s.Stall(backend.ActInstall)()
	}
	_, err = m.Install(c.ctx, backend.InstallOptions{Distro: src, Name: "wsldash-installed2"}, report)
	cancelled(t, "a cancelled Install", err, &c.at, &c.mu)
	if registered(t, s.Backend, "wsldash-installed2") {
		t.Error("a cancelled Install registered its distro")
	}
}

// trashOrder is the order of a trash entry's states.
var trashOrder = []string{backend.TrashExporting, backend.TrashVerified, backend.TrashUnregistering, backend.TrashDone}

// testTrash: unregistering goes through the trash's steps in order (exporting, verified,
// unregistering, trashed), the entry is listed (newest first) and restorable, a restore brings
// the distro back and empties its place in the trash, and a purge deletes it for good.
func testTrash(t *testing.T, h Harness, s Subject) {
	if !h.Trash {
		t.Skip("the harness does not walk the trash")
	}
	b := s.Backend
	a, ok := b.(backend.Archiver)
	if !ok || !can(b, backend.ActUnregister) {
		t.Fatal("the harness walks the trash, but the backend cannot unregister")
	}
	d := pick(t, b, backend.StateStopped, 0)

	var mu sync.Mutex
	var states []string
	look := func() {
		es, err := a.TrashList()
		if err != nil {
			t.Errorf("TrashList during Trash: %v", err)
			return
		}
		for _, e := range es {
			if strings.EqualFold(e.Name, d.Name) {
				mu.Lock()
				if len(states) == 0 || states[len(states)-1] != e.State {
					states = append(states, e.State)
				}
				mu.Unlock()
				return
			}
		}
	}
	if s.Steps != nil {
		s.Steps(look)
	}
	var p bytesSeen
	e, err := a.Trash(ctxT(t), d.Name, p.report)
	p.done()
	if s.Steps != nil {
		s.Steps(nil)
	}
	if err != nil {
		t.Fatalf("Trash of %s: %v", d.Name, err)
	}
	p.check(t, "Trash's export")
	look()
	if !strings.EqualFold(e.Name, d.Name) || e.State != backend.TrashDone || !e.Restorable() {
		t.Errorf("Trash returned entry %q in state %q: want %s, %q", e.Name, e.State, d.Name, backend.TrashDone)
	}
	checkOrder(t, states, s.Steps != nil)
	if registered(t, b, d.Name) {
		t.Errorf("after Trash %s is still listed", d.Name)
	}
	es, err := a.TrashList()
	if err != nil {
		t.Fatalf("TrashList: %v", err)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Trashed.After(es[i-1].Trashed) {
			t.Errorf("TrashList is not newest first: %s (%v) after %s (%v)", es[i].Name, es[i].Trashed, es[i-1].Name, es[i-1].Trashed)
		}
	}
	if dir, err := a.RestoreDir(d.Name); err != nil || dir == "" {
		t.Errorf("RestoreDir(%s) = %q, %v: a trashed distro has a place to come back to", d.Name, dir, err)
	}
	if err := a.TrashRestore(ctxT(t), d.Name); err != nil {
		t.Fatalf("TrashRestore of %s: %v", d.Name, err)
	}
	if !registered(t, b, d.Name) {
		t.Errorf("after TrashRestore %s is not listed", d.Name)
	}
	if inTrash(t, a, d.Name) {
		t.Errorf("after TrashRestore %s is still in the trash", d.Name)
	}

	if _, err := a.Trash(ctxT(t), d.Name, nil); err != nil {
		t.Fatalf("Trash of %s again: %v", d.Name, err)
	}
	if err := a.TrashPurge(d.Name); err != nil {
		t.Fatalf("TrashPurge of %s: %v", d.Name, err)
	}
	if inTrash(t, a, d.Name) {
		t.Errorf("after TrashPurge %s is still in the trash", d.Name)
	}
	if registered(t, b, d.Name) {
		t.Errorf("TrashPurge brought %s back", d.Name)
	}
	wantKind(t, "TrashPurge of a name not in the trash", a.TrashPurge(d.Name), backend.KindNotFound)
	wantKind(t, "TrashRestore of a name not in the trash", a.TrashRestore(ctxT(t), d.Name), backend.KindNotFound)
}

// checkOrder: the states seen are in the trash's order and end trashed; when the backend lets
// the suite look between steps, the first is exporting (written before the export starts, so a
// kill at any point leaves an entry that says how far it got).
func checkOrder(t *testing.T, states []string, stepped bool) {
	t.Helper()
	if len(states) == 0 {
		t.Error("the trashed distro never appeared in TrashList")
		return
	}
	i := 0
	for _, st := range states {
		for i < len(trashOrder) && trashOrder[i] != st {
			i++
		}
		if i == len(trashOrder) {
			t.Errorf("the trash entry's states %s are not in the order %s", fmtStates(states), fmtStates(trashOrder))
			return
		}
	}
	if states[len(states)-1] != backend.TrashDone {
		t.Errorf("the trash entry's states %s do not end %q", fmtStates(states), backend.TrashDone)
	}
	if stepped && states[0] != backend.TrashExporting {
		t.Errorf("the trash entry's states %s do not start %q: the entry must be recorded before the export begins", fmtStates(states), backend.TrashExporting)
	}
	if stepped && (len(states) < 3 || states[len(states)-2] != backend.TrashUnregistering) {
		t.Errorf("the trash entry went %s: while the distro is unregistered it must say %q (a kill then leaves an entry that says how far it got)", fmtStates(states), backend.TrashUnregistering)
	}
}

func inTrash(t *testing.T, a backend.Archiver, name string) bool {
	t.Helper()
	es, err := a.TrashList()
	if err != nil {
		t.Fatalf("TrashList: %v", err)
	}
	for _, e := range es {
		if strings.EqualFold(e.Name, name) {
			return true
		}
	}
	return false
}
