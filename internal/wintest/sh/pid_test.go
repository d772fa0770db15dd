package main

import (
	"os"
	"strconv"
	"testing"
)

// $$ is the shell's own pid (the probe reads /proc/$$/stat for its self section).
func TestDollarDollar(t *testing.T) {
	got := standIn([]string{"-c", `echo "$$" $$`}, "")
	p := strconv.Itoa(os.Getpid())
	if got.out != p+" "+p+"\n" || got.code != 0 {
		t.Fatalf("%q exit %d, stderr %q", got.out, got.code, got.stderr)
	}
}
