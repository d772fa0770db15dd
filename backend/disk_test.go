package backend

import (
	"errors"
	"strings"
	"testing"
)

// Verbatim outputs, captured on Debian 12 (GNU coreutils 9.1, BusyBox v1.35.0) on one file
// system at almost the same moment (so Used differs by a block).
const (
	dfGNUPosix = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n" +
		"/dev/vda         264212084 22398948  73102316      24% /\n"
	dfBusyboxPosix = "Filesystem           1024-blocks    Used Available Capacity Mounted on\n" +
		"/dev/vda             264212084  22398952  73102312  23% /\n"
	dfGNUOutput = "   1B-blocks        Used       Avail\n" +
		"270553174016 22936526848 74856767488\n"
	dfBusyboxB1 = "Filesystem           1-blocks       Used Available Use% Mounted on\n" +
		"/dev/vda             270553174016 22936526848 74856767488  23% /\n"
	dfBusyboxNoOutput = "df: unrecognized option '--output=size,used,avail'\n" +
		"BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n"
	// What wsl.exe prints when the distro has no df (its own error, on the command's stdout).
	dfMissing = "<3>WSL (1) ERROR: CreateProcessParseCommon:989: execvpe(df) failed: No such file or directory\n"
)

func TestParseDF(t *testing.T) {
	k := int64(1024)
	cases := []struct {
		name string
		in   string
		want FSUsage
	}{
		{"gnu -P -k", dfGNUPosix, FSUsage{264212084 * k, 22398948 * k, 73102316 * k}},
		{"busybox -P -k", dfBusyboxPosix, FSUsage{264212084 * k, 22398952 * k, 73102312 * k}},
		{"gnu --output", dfGNUOutput, FSUsage{270553174016, 22936526848, 74856767488}},
		{"busybox -B 1", dfBusyboxB1, FSUsage{270553174016, 22936526848, 74856767488}},
		{"crlf", strings.ReplaceAll(dfGNUPosix, "\n", "\r\n"), FSUsage{264212084 * k, 22398948 * k, 73102316 * k}},
		// Constructed: the header's words localized (only the block column's number is read).
		{"localized header", "Dateisystem    1K-Blöcke Benutzt Verfügbar Verw% Eingehängt auf\n/dev/sdd 1055762868 5000 1000 1% /\n",
			FSUsage{1055762868 * k, 5000 * k, 1000 * k}},
		{"mount with a space", "Filesystem 1024-blocks Used Available Capacity Mounted on\nnone 10 5 5 50% /mnt/my disk\n",
			FSUsage{10 * k, 5 * k, 5 * k}},
	}
	for _, c := range cases {
		got, err := ParseDF(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Fatalf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	for _, bad := range []string{"", dfBusyboxNoOutput, dfMissing, "Filesystem 1024-blocks Used\n/dev/sdd x y z 1% /\n",
		"Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sdd 1 2 3 full /\n",
		"Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sdd -1 2 3 1% /\n",
		"Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sdd 9223372036854775807 2 3 1% /\n"} {
		if _, err := ParseDF(bad); !errors.Is(err, ErrDFFormat) {
			t.Fatalf("%q: err %v", bad, err)
		}
	}
}

func TestReclaimable(t *testing.T) {
	v := int64(40 << 30)
	if Reclaimable(nil, &FSUsage{UsedBytes: 1}) != nil || Reclaimable(&v, nil) != nil {
		t.Fatal("unknown must stay nil")
	}
	if r := Reclaimable(&v, &FSUsage{UsedBytes: 12 << 30}); r == nil || *r != 28<<30 {
		t.Fatalf("got %v", r)
	}
	small := int64(1 << 30)
	if r := Reclaimable(&small, &FSUsage{UsedBytes: 2 << 30}); r == nil || *r != 0 {
		t.Fatalf("used above the file: %v", r)
	}
}

func FuzzParseDF(f *testing.F) {
	for _, s := range []string{dfGNUPosix, dfBusyboxPosix, dfGNUOutput, dfBusyboxB1, dfBusyboxNoOutput, dfMissing} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseDF(s)
		if err != nil {
			if !errors.Is(err, ErrDFFormat) {
				t.Fatalf("error not ErrDFFormat: %v", err)
			}
			return
		}
		if u.SizeBytes < 0 || u.UsedBytes < 0 || u.AvailBytes < 0 {
			t.Fatalf("negative: %+v", u)
		}
	})
}

func TestDiskUsageOf(t *testing.T) {
	looked := 0
	look := func() (FSUsage, error) { looked++; return FSUsage{SizeBytes: 100, UsedBytes: 30, AvailBytes: 65}, nil }
	d := Distro{Name: "Ubuntu", State: StateStopped, Version: 2, DiskPath: `C:\x\ext4.vhdx`, DiskBytes: 50}
	u, err := DiskUsageOf(d, look)
	if err != nil || looked != 0 || u.Inside != nil || u.Reclaimable != nil || *u.VHDXBytes != 50 {
		t.Fatalf("stopped: %+v %v (looked %d)", u, err, looked)
	}
	d.State = StateRunning
	if u, err = DiskUsageOf(d, look); err != nil || looked != 1 || *u.Reclaimable != 20 || u.Note != "" {
		t.Fatalf("running: %+v %v", u, err)
	}
	d.DiskBytes = 0
	if u, _ = DiskUsageOf(d, look); u.VHDXBytes != nil || u.Reclaimable != nil || !strings.Contains(u.Note, "could not be read") {
		t.Fatalf("no size: %+v", u)
	}
	timeout := &Error{Kind: KindTimeout, Message: "wsl.exe did not answer"}
	u, err = DiskUsageOf(d, func() (FSUsage, error) { return FSUsage{}, timeout })
	if err != timeout || u.Inside != nil || !strings.Contains(u.Note, "did not answer") {
		t.Fatalf("timeout: %+v %v", u, err)
	}
	u, err = DiskUsageOf(d, func() (FSUsage, error) { return FSUsage{}, ErrDFFormat })
	if err != nil || !strings.Contains(u.Note, "df inside failed") {
		t.Fatalf("bad df: %+v %v", u, err)
	}
	d.Version = 1
	if u, _ = DiskUsageOf(d, look); u.Reclaim != "" || looked != 2 || !strings.Contains(u.Note, "WSL 1") {
		t.Fatalf("wsl1: %+v (looked %d)", u, looked)
	}
}
