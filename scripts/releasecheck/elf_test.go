package main

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// checkELF accepts the Linux build of each arch and nothing else; zipHead reads it out of a zip.
func TestCheckELF(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("builds a Linux binary and zips it")
	}
	dir := t.TempDir()
	bins := map[string]string{}
	for _, arch := range []string{"amd64", "arm64"} {
		out := filepath.Join(dir, "wsldash-"+arch)
		cmd := exec.Command("go", "build", "-o", out, "./testdata/hello")
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		bins[arch] = out
	}
	zpath := filepath.Join(dir, "w.zip")
	f, err := os.Create(zpath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("linux/wsldash")
	b, _ := os.ReadFile(bins["arm64"])
	w.Write(b)
	zw.Close()
	f.Close()
	head, err := zipHead(zpath, "linux/wsldash", 64)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkELF(head, "arm64"); err != nil {
		t.Fatalf("the arm64 build: %v", err)
	}
	if err := checkELF(head, "amd64"); err == nil || !strings.Contains(err.Error(), "machine 183") {
		t.Fatalf("the arm64 build taken for amd64: %v", err)
	}
	b, _ = os.ReadFile(bins["amd64"])
	if err := checkELF(b[:64], "amd64"); err != nil {
		t.Fatalf("the amd64 build: %v", err)
	}
	if err := checkELF([]byte("MZ\x90\x00 a Windows binary............"), "amd64"); err == nil {
		t.Fatal("a PE file passed")
	}
	if _, err := zipHead(zpath, "wsldash.exe", 64); err == nil {
		t.Fatal("a missing entry read")
	}
}
