// Package fakewsltest builds the fakewsl test double and manages its state and call log, for the
// tests of the wsl packages.
package fakewsltest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Build compiles fakewsl into dir and returns the binary's path.
func Build(dir string) (string, error) {
	exe := filepath.Join(dir, "wsl.exe")
	cmd := exec.Command("go", "build", "-o", exe, "github.com/wsldash/wsldash/backend/wsl/internal/fakewsl")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building fakewsl: %v\n%s", err, out)
	}
	return exe, nil
}

// Supported reports whether the double can run here (it relies on Linux process groups).
func Supported() bool { return runtime.GOOS != "windows" }

// EnvExe, when set, names an already built double (for test binaries that re-run themselves).
const EnvExe = "FAKEWSL_EXE"

// Main is a TestMain: it builds the double into a temporary folder, sets *exe to its path (left
// empty where it is not Supported), runs the tests and exits with their status.
func Main(m *testing.M, exe *string) {
	if !Supported() {
		os.Exit(m.Run())
	}
	if p := os.Getenv(EnvExe); p != "" { // a child test process of a test that built it already
		*exe = p
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "fakewsl")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *exe, err = Build(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Distro mirrors fakewsl's Distro.
type Distro struct {
	Name      string `json:"name"`
	State     string `json:"state"`
	Version   int    `json:"version"`
	Content   string `json:"content,omitempty"`
	Dir       string `json:"dir,omitempty"`
	Holders   []int  `json:"holders,omitempty"`
	Root      string `json:"root,omitempty"`
	IdleSince string `json:"idle_since,omitempty"`
}

// Fail mirrors fakewsl's Fail.
type Fail struct {
	Mode    string `json:"mode"`
	Match   string `json:"match,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// State mirrors fakewsl's State.
type State struct {
	Distros          []Distro          `json:"distros"`
	Default          string            `json:"default,omitempty"`
	Inbox            bool              `json:"inbox,omitempty"`
	CRCRLF           bool              `json:"crcrlf,omitempty"`
	NoMarker         bool              `json:"no_marker,omitempty"`
	Lang             string            `json:"lang,omitempty"`
	Extra            int               `json:"extra,omitempty"`
	Fail             *Fail             `json:"fail,omitempty"`
	GuestRoot        string            `json:"guest_root,omitempty"`
	ExportChunks     int               `json:"export_chunks,omitempty"`
	ExportChunkBytes int               `json:"export_chunk_bytes,omitempty"`
	ExportDelayMS    int               `json:"export_delay_ms,omitempty"`
	ExportBad        string            `json:"export_bad,omitempty"`
	Drives           map[string]string `json:"drives,omitempty"`
	Caller           string            `json:"caller,omitempty"`
	Warnings         []string          `json:"warnings,omitempty"`
	Clock            string            `json:"clock,omitempty"`
	InstanceIdleMS   *int              `json:"instance_idle_ms,omitempty"`
	VMIdleMS         *int              `json:"vm_idle_ms,omitempty"`
	VM               string            `json:"vm,omitempty"`
	VMIdleSince      string            `json:"vm_idle_since,omitempty"`
	Manage           *ManageState      `json:"manage,omitempty"`
	DF               *DFState          `json:"df,omitempty"`
}

// Fake is one configured instance: a state file and a call log in a temp dir.
type Fake struct {
	Exe, StatePath, LogPath string
	t                       testing.TB
}

// New writes st to a fresh state file and points the environment ($FAKEWSL_STATE, $FAKEWSL_LOG)
// at it for the rest of the test (so tests using it cannot run in parallel).
func New(t testing.TB, exe string, st State) *Fake {
	t.Helper()
	dir := t.TempDir()
	f := &Fake{Exe: exe, StatePath: filepath.Join(dir, "state.json"), LogPath: filepath.Join(dir, "calls.jsonl"), t: t}
	f.Write(st)
	t.Setenv("FAKEWSL_STATE", f.StatePath)
	t.Setenv("FAKEWSL_LOG", f.LogPath)
	return f
}

// Write replaces the state.
func (f *Fake) Write(st State) {
	f.t.Helper()
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(f.StatePath, b, 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// Read returns the current state.
func (f *Fake) Read() State {
	f.t.Helper()
	var st State
	b, err := os.ReadFile(f.StatePath)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		f.t.Fatal(err)
	}
	return st
}

// Calls returns every logged argv, in order.
func (f *Fake) Calls() [][]string {
	f.t.Helper()
	fh, err := os.Open(f.LogPath)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		f.t.Fatal(err)
	}
	defer fh.Close()
	var out [][]string
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct{ Args []string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			f.t.Fatalf("call log: %v", err)
		}
		out = append(out, rec.Args)
	}
	return out
}

// Count counts logged calls whose joined argv starts with prefix.
func (f *Fake) Count(prefix string) int {
	n := 0
	for _, c := range f.Calls() {
		if strings.HasPrefix(strings.Join(c, " "), prefix) {
			n++
		}
	}
	return n
}

// Pids returns the process ids of every logged call, in order.
func (f *Fake) Pids() []int {
	f.t.Helper()
	b, err := os.ReadFile(f.LogPath)
	if err != nil {
		return nil
	}
	var out []int
	for _, line := range strings.Split(string(b), "\n") {
		var rec struct{ Pid int }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Pid > 0 {
			out = append(out, rec.Pid)
		}
	}
	return out
}

// Update applies f to the state under the double's own lock file, so it does not race a
// running double.
func (f *Fake) Update(fn func(*State)) {
	f.t.Helper()
	lock := f.StatePath + ".lock"
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		fh, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err == nil {
			fh.Close()
			break
		}
		if time.Now().After(deadline) {
			f.t.Fatal("the double's state stayed locked")
		}
	}
	defer os.Remove(lock)
	st := f.Read()
	fn(&st)
	f.Write(st)
}

// SetClock sets the double's clock (its lifecycle timers run on it).
func (f *Fake) SetClock(t time.Time) {
	f.t.Helper()
	f.Update(func(s *State) { s.Clock = t.UTC().Format(time.RFC3339Nano) })
}

// Advance moves the double's clock on by d (from the wall clock if it was not set).
func (f *Fake) Advance(d time.Duration) {
	f.t.Helper()
	f.Update(func(s *State) {
		now := time.Now()
		if t, err := time.Parse(time.RFC3339Nano, s.Clock); err == nil {
			now = t
		}
		s.Clock = now.Add(d).UTC().Format(time.RFC3339Nano)
	})
}
