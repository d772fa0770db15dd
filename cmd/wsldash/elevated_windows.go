package main

import "golang.org/x/sys/windows"

// isElevated reports whether wsldash runs elevated (HCS statistics need it).
func isElevated() bool { return windows.GetCurrentProcessToken().IsElevated() }
