package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// TestArchiveVerbsOnTheDemo: export, import, clone, unregister and the trash run on the demo,
// labelled as simulated.
func TestArchiveVerbsOnTheDemo(t *testing.T) {
	for _, args := range [][]string{
		{"export", "Debian", `C:\backup\debian.tar`},
		{"import", "Fresh", `D:\wsl\fresh`, `C:\nowhere.tar`}, // fails: no such archive
		{"clone", "Debian", "Debian-copy"},
		{"unregister", "kali-linux", "--yes"},
		{"trash", "list", "--json"},
		{"trash", "purge", "kali-linux", "--yes"}, // fails: each run is a new demo, with an empty trash
	} {
		out, errOut, err := run(t, append([]string{"--demo"}, args...)...)
		if args[0] == "import" || args[0] == "trash" && args[1] == "purge" {
			if backend.KindOf(err) != backend.KindNotFound {
				t.Errorf("%v: %v", args, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v: %v\n%s", args, err, errOut)
			continue
		}
		if !strings.Contains(errOut, "simulated") {
			t.Errorf("%v does not say it is simulated: %q", args, errOut)
		}
		switch args[0] {
		case "unregister":
			if !strings.Contains(out, "kali-linux unregistered") || !strings.Contains(out, "not on disk") {
				t.Errorf("unregister said %q", out)
			}
		case "trash":
			if args[1] == "list" {
				var es []backend.TrashEntry
				if err := json.Unmarshal([]byte(out), &es); err != nil || len(es) != 0 {
					// Each run is a new demo: its trash starts empty.
					t.Errorf("trash list: %v %q", err, out)
				}
			}
		}
	}
}

// TestArchiveVerbsRefusedOnLocal: on local each verb fails with a typed, explained error.
func TestArchiveVerbsRefusedOnLocal(t *testing.T) {
	for _, args := range [][]string{
		{"export", "Debian", "/tmp/wsldash-never.tar"},
		{"import", "Fresh", "/tmp/wsldash-never", "/tmp/wsldash-never.tar"},
		{"clone", "Debian", "Debian-copy"},
		{"unregister", "Debian", "--yes"},
		{"trash", "list"},
		{"trash", "restore", "Debian"},
		{"trash", "purge", "Debian", "--yes"},
	} {
		_, _, err := run(t, append([]string{"--backend", "local"}, args...)...)
		if !errors.Is(err, backend.ErrUnsupported) || !strings.Contains(err.Error(), "needs WSL") {
			t.Errorf("%v on local: %v", args, err)
		}
	}
}
