//go:build !windows

package wsl

// defaultHost: outside Windows the registry and the host process are out of reach.
func defaultHost() HostSource { return nil }
