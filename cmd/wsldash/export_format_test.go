package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// exportState is the double with Ubuntu (WSL 2) and a C: drive that exists.
func exportState(t *testing.T) string {
	b, _ := json.Marshal(map[string]any{
		"default": "Ubuntu",
		"distros": []map[string]any{{"name": "Ubuntu", "state": "Stopped", "version": 2, "content": "u"}},
		"drives":  map[string]string{"C": t.TempDir()},
	})
	return string(b)
}

// TestExportFormatFlag: --format, or the file's extension without it, becomes exactly wsl.exe's
// flags; an unknown format is refused before wsl.exe is asked.
func TestExportFormatFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		want [][]string
	}{
		{[]string{"export", "Ubuntu", `C:\u.tar`}, [][]string{{"--export", "Ubuntu", `C:\u.tar`}}},
		{[]string{"export", "Ubuntu", `C:\u.tar.gz`}, [][]string{{"--export", "Ubuntu", `C:\u.tar.gz`, "--format", "tar.gz"}}},
		{[]string{"export", "Ubuntu", `C:\u.TXZ`}, [][]string{{"--export", "Ubuntu", `C:\u.TXZ`, "--format", "tar.xz"}}},
		{[]string{"export", "Ubuntu", `C:\u.img`, "--format", "vhd"}, [][]string{{"--export", "Ubuntu", `C:\u.img`, "--vhd"}}},
		{[]string{"export", "Ubuntu", `C:\u.vhdx`, "--format", "tar"}, [][]string{{"--export", "Ubuntu", `C:\u.vhdx`}}},
	} {
		exe, log := fakeWSL(t, exportState(t))
		_, errOut, err := run(t, append([]string{"--backend", "wsl", "--wsl-exe", exe}, c.args...)...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, errOut)
		}
		if got := managedCalls(t, log); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v sent\n%q\nwant\n%q", c.args, got, c.want)
		}
	}
	exe, log := fakeWSL(t, exportState(t))
	_, _, err := run(t, "--backend", "wsl", "--wsl-exe", exe, "export", "Ubuntu", `C:\u.zip`, "--format", "zip")
	if err == nil || !strings.Contains(err.Error(), "tar, tar.gz, tar.xz or vhd") {
		t.Errorf("zip: %v", err)
	}
	if got := managedCalls(t, log); len(got) != 0 {
		t.Errorf("zip sent %q", got)
	}
}
