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

// hungDF times out on the second distro's df, as the wsl backend reports a hung one.
type hungDF struct{ backend.Backend }

func (h hungDF) DiskUsage(ctx context.Context, name string) (backend.DiskUsage, error) {
	u, err := h.Backend.(backend.DiskReporter).DiskUsage(ctx, name)
	if name == "docker-desktop" {
		u.Inside, u.Reclaimable, u.Note = nil, nil, "df inside did not answer"
		return u, &backend.Error{Kind: backend.KindTimeout, Op: "exec", Distro: name, Message: "wsl.exe did not answer within 10s"}
	}
	return u, err
}

// A timeout stops the listing there: what is known is printed, then the error; no more waiting.
func TestDFStopsAtATimeout(t *testing.T) {
	a := newApp()
	a.wrap = func(b backend.Backend) backend.Backend { return hungDF{b} }
	out, _, err := runApp(t, a, "df", "--demo")
	if backend.KindOf(err) != backend.KindTimeout {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(out, "Ubuntu-24.04") || !strings.Contains(out, "docker-desktop: df inside did not answer") || strings.Contains(out, "kali-linux") {
		t.Fatalf("%s", out)
	}
}
