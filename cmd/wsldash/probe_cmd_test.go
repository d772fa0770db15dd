package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend/guestprobe"
)

func init() {
	// The test binary is os.Executable() for the wsl backends the tests open in process: asked
	// `probe NONCE`, it answers as wsldash does instead of running the tests.
	guestprobe.AnswerIfAsked(os.Args, "test")
}

// `wsldash probe NONCE` is there, hidden, and speaks the protocol: asked for its kind it says
// it is the Go probe of this version, and it ends when its input does.
func TestProbeCommand(t *testing.T) {
	root := newRootCmd(newApp())
	c, _, err := root.Find([]string{"probe"})
	if err != nil || c.Name() != "probe" || !c.Hidden {
		t.Fatalf("probe command: %v %v", c, err)
	}
	var help bytes.Buffer
	root.SetOut(&help)
	root.SetArgs([]string{"--help"})
	if err := root.Execute(); err != nil || strings.Contains(help.String(), "probe") {
		t.Fatalf("the probe shows in --help: %v\n%s", err, help.String())
	}
	if !guestprobe.Offered() {
		t.Fatal("wsldash does not offer itself as the guest probe")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "probe", "ab12")
	cmd.Stdin = strings.NewReader("1 kind\n")
	out, err := cmd.Output()
	if err != nil || string(out) != "@@wsldash/ab12 kind\ngo test\n@@wsldash/ab12 end 1\n" {
		t.Fatalf("%q %v", out, err)
	}
	cmd = exec.Command(exe, "probe", "not a nonce")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "nonce") {
		t.Fatalf("a bad nonce: %q %v", out, err)
	}
}
