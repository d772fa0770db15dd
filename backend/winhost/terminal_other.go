//go:build !windows

package winhost

// TerminalProfilePath needs the Windows registry; elsewhere there is none to read.
func TerminalProfilePath(guid string) (string, error) { return "", nil }
