package tui

import "testing"

func TestPathColumns(t *testing.T) {
	if got := shortPath(`C:\Users\dev\AppData\Local\Packages\Kali\LocalState`); got != `~\AppData\Local\Packages\Kali\LocalState` {
		t.Fatalf("shortPath = %q", got)
	}
	if got := shortPath(`D:\wsl\debian`); got != `D:\wsl\debian` {
		t.Fatalf("shortPath = %q", got)
	}
	if got := colTail(`~\AppData\Local\Packages\Kali\LocalState`, 16); got != `…Kali\LocalState` {
		t.Fatalf("colTail = %q", got)
	}
	if got := colTail("short", 8); got != "short   " {
		t.Fatalf("colTail = %q", got)
	}
	if got := col("abcdef", 4, false); got != "abc…" {
		t.Fatalf("col = %q", got)
	}
	if got := col("ab", 4, true); got != "  ab" {
		t.Fatalf("col = %q", got)
	}
	if got := fit("x", 0); got != "" {
		t.Fatalf("fit = %q", got)
	}
}
