//go:build !windows

package wsl

// watchLxss: outside Windows there is no registry to watch; the list follows its slow period.
func watchLxss(quit <-chan struct{}) <-chan struct{} { return nil }
