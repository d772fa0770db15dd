package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// On the double: the running distro's inside comes from its df; the stopped one is never
// started (no df call), and with no registry here the file sizes are null, not 0.
func TestDFOnTheDouble(t *testing.T) {
	exe, log := fakeWSL(t, "")
	out, errOut, err := run(t, "--backend", "wsl", "--wsl-exe", exe, "df", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var us []backend.DiskUsage
	if err := json.Unmarshal([]byte(out), &us); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(us) != 2 || us[0].Distro != "Ubuntu" || us[0].Inside == nil || us[0].Inside.SizeBytes != 1055762868*1024 {
		t.Fatalf("%s", out)
	}
	if us[0].VHDXBytes != nil || us[0].Reclaimable != nil || us[1].Inside != nil || us[1].VHDXBytes != nil {
		t.Fatalf("unknowns must be null: %s", out)
	}
	if !strings.Contains(out, `"vhdx_bytes":null`) || !strings.Contains(out, `"inside":null`) {
		t.Fatalf("%s", out)
	}
	for _, c := range managedCalls(t, log) {
		if len(c) > 1 && c[1] == "docker-desktop" {
			t.Fatalf("a look into the stopped distro: %q", c)
		}
	}
	out, _, err = run(t, "--backend", "wsl", "--wsl-exe", exe, "df", "Ubuntu")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "RECLAIMABLE") || !strings.Contains(out, "1007 GiB") || !strings.Contains(out, "—") {
		t.Fatalf("%s", out)
	}
}

func TestDFText(t *testing.T) {
	out, _, err := run(t, "df", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ubuntu-24.04", "[demo (simulated WSL host)]", "23 GiB could be given back", "elevated", "Debian: stopped", "breaks Docker Desktop"} {
		if !strings.Contains(out, want) {
			t.Fatalf("no %q in\n%s", want, out)
		}
	}
	if _, _, err := run(t, "df", "nope", "--demo"); backend.KindOf(err) != backend.KindNotFound {
		t.Fatalf("unknown distro: %v", err)
	}
	if _, _, err := run(t, "df", "--backend", "local"); backend.KindOf(err) != backend.KindUnsupported {
		t.Fatalf("local: %v", err)
	}
}

// failingDF fails the looks at the distros in fail with their error, as the wsl backend does
// for a hung df (a timeout, with the file's size still known) or a broken wsl.exe call.
type failingDF struct {
	backend.Backend
	fail map[string]error
}

func (f failingDF) DiskUsage(ctx context.Context, name string) (backend.DiskUsage, error) {
	u, err := f.Backend.(backend.DiskReporter).DiskUsage(ctx, name)
	if ferr := f.fail[name]; ferr != nil || f.fail["*"] != nil {
		if ferr == nil {
			ferr = f.fail["*"]
		}
		u.Inside, u.Reclaimable = nil, nil
		return u, ferr
	}
	return u, err
}

func timeoutIn(name string) error {
	return &backend.Error{Kind: backend.KindTimeout, Op: "exec", Distro: name, Message: "wsl.exe did not answer within 10s"}
}

// One distro that cannot be looked at is reported in its row; the others are all there, and
// the exit status is 0: the report as a whole worked.
func TestDFReportsARowError(t *testing.T) {
	a := newApp()
	a.wrap = func(b backend.Backend) backend.Backend {
		return failingDF{b, map[string]error{"docker-desktop": &backend.Error{Kind: backend.KindFailed, Op: "exec", Distro: "docker-desktop", Message: "wsl.exe failed"}}}
	}
	out, _, err := runApp(t, a, "df", "--demo")
	if err != nil {
		t.Fatalf("a row's error failed the command: %v", err)
	}
	for _, want := range []string{"docker-desktop: could not look: exec docker-desktop: wsl.exe failed", "kali-linux", "openSUSE-Tumbleweed", "23 GiB could be given back"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	out, _, err = runApp(t, a, "df", "--demo", "--json")
	var rows []dfRow
	if err != nil || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 6 {
		t.Fatalf("%v: %s", err, out)
	}
	for _, r := range rows {
		if (r.Error != "") != (r.Distro == "docker-desktop") {
			t.Errorf("%s: error %q", r.Distro, r.Error)
		}
	}
	if rows[1].State != backend.StateRunning || rows[1].VHDXBytes == nil || rows[1].Inside != nil {
		t.Errorf("the failed row lost what was known: %+v", rows[1])
	}
}

// When no distro can be looked at (wsl.exe hangs), what is known is printed, then the error:
// the exit status is 1. A hang costs one timeout: no look starts after it (backend.DiskReport).
func TestDFFailsWhenNothingCouldBeLookedAt(t *testing.T) {
	a := newApp()
	a.wrap = func(b backend.Backend) backend.Backend { return failingDF{b, map[string]error{"*": timeoutIn("any")}} }
	out, _, err := runApp(t, a, "df", "--demo")
	if backend.KindOf(err) != backend.KindTimeout {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(out, "Ubuntu-24.04") || !strings.Contains(out, "36 GiB") || !strings.Contains(out, "Ubuntu-24.04: could not look") {
		t.Fatalf("%s", out)
	}
	// One distro asked for, and it times out: its file's size, then the error.
	out, _, err = runApp(t, a, "df", "Debian", "--demo", "--json")
	var rows []dfRow
	if backend.KindOf(err) != backend.KindTimeout || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 || rows[0].VHDXBytes == nil || rows[0].Error == "" {
		t.Fatalf("%v: %s", err, out)
	}
}
