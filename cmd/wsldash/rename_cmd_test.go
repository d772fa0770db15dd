package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl"
)

// renaming answers Rename as the wsl backend does on Windows (the demo has no rename).
type renaming struct{ backend.Backend }

func exampleRename() wsl.RenameResult {
	return wsl.RenameResult{Distro: "Debian", NewName: "Debian-12", Profiles: []wsl.ProfileFile{
		{File: `C:\Users\dev\AppData\Local\Packages\Microsoft.WindowsTerminal_8wekyb3d8bbwe\LocalState\settings.json`,
			Changes: []string{`profile name "Debian" → "Debian-12"`, `profile guid "{58ad8b0c-3ef8-5f4d-bc6f-13e4c00f2530}" → "{…}"`},
			Backup:  `C:\Users\dev\AppData\Local\Packages\Microsoft.WindowsTerminal_8wekyb3d8bbwe\LocalState\settings.json.bak`},
		{File: `C:\Users\dev\AppData\Local\Microsoft\Windows Terminal\settings.json`, Changes: []string{}, Error: "not valid JSON: offset 2: want a member name (left as it was)"},
	}, Note: "Windows Terminal shows the new name when it next reads its settings (a new window)"}
}

func (renaming) Rename(ctx context.Context, name, newName string) (wsl.RenameResult, error) {
	return exampleRename(), nil
}

func TestRenameCommandReportsProfiles(t *testing.T) {
	a := newApp()
	a.wrap = func(b backend.Backend) backend.Backend { return renaming{b} }
	out, _, err := runApp(t, a, "rename", "Debian", "Debian-12", "--yes", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Debian renamed to Debian-12", "(the original kept as", `  profile name "Debian" → "Debian-12"`,
		"not changed: not valid JSON", "next reads"} {
		if !strings.Contains(out, want) {
			t.Fatalf("no %q in\n%s", want, out)
		}
	}
	a = newApp()
	a.wrap = func(b backend.Backend) backend.Backend { return renaming{b} }
	out, _, err = runApp(t, a, "rename", "Debian", "Debian-12", "--yes", "--json", "--demo")
	var res wsl.RenameResult
	if err != nil || json.Unmarshal([]byte(out), &res) != nil || len(res.Profiles) != 2 || res.Profiles[0].Backup == "" {
		t.Fatalf("%v %s", err, out)
	}
	// Without --yes and a terminal nothing is done; the demo renames its own (simulated) distro.
	if _, _, err := run(t, "rename", "Debian", "Debian-12", "--demo"); backend.KindOf(err) != backend.KindPermission {
		t.Fatalf("unconfirmed: %v", err)
	}
	if out, _, err := run(t, "rename", "Debian", "Debian-12", "--yes", "--demo"); err != nil || !strings.Contains(out, "Debian-12") {
		t.Fatalf("demo: %v %s", err, out)
	}
}
