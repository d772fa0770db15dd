package winhost

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHCSShimLinkedIntoWindowsBuild cross-builds testdata/linkcheck (a tiny main that uses
// winhost) for windows/amd64 and checks with go tool nm that hcsshim's OpenContainer and
// Statistics, the compute-system enumeration behind GetContainers (a one-line wrapper the
// compiler inlines, so its own symbol is absent) and the vmcompute.dll bindings are in the
// binary: the HCS path is really compiled and linked, not just imported. With a warm build
// cache this takes a few seconds; the first run compiles hcsshim's dependency tree for Windows
// (about a minute of CPU), hence the generous timeout and the -short skip.
func TestHCSShimLinkedIntoWindowsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the windows/amd64 cross-build")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot cross-build to check the Windows link")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	exe := filepath.Join(t.TempDir(), "linkcheck.exe")
	build := exec.CommandContext(ctx, goBin, "build", "-trimpath", "-o", exe, "./testdata/linkcheck")
	build.Env = append(build.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=windows go build: %v\n%s", err, out)
	}
	nm := exec.CommandContext(ctx, goBin, "tool", "nm", exe)
	var out bytes.Buffer
	nm.Stdout = &out
	if err := nm.Run(); err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	syms := out.String()
	for _, want := range []string{
		"github.com/Microsoft/hcsshim/internal/hcs.GetComputeSystems",
		"github.com/Microsoft/hcsshim.OpenContainer",
		"github.com/Microsoft/hcsshim.(*container).Statistics",
		"github.com/Microsoft/hcsshim/internal/vmcompute.HcsEnumerateComputeSystems",
		"github.com/wsldash/wsldash/backend/winhost.hcsQuery",
		"github.com/wsldash/wsldash/backend/winhost.parseProcessSnapshot",
	} {
		if !strings.Contains(syms, " "+want) {
			t.Errorf("symbol %s not in the windows/amd64 binary", want)
		}
	}
}
