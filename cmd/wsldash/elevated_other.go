//go:build !windows

package main

// isElevated: elevation is a Windows notion.
func isElevated() bool { return false }
