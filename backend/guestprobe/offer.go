package guestprobe

import "sync/atomic"

var offered atomic.Bool

// Offer says that this program's own binary answers `probe NONCE` (cmd/wsldash does, through its
// hidden probe command). The wsl backend's discovery offers os.Executable() as the Go probe on a
// Linux machine that is not WSL (tests and benchmarks against the wsl.exe double) only then: any
// other binary (a test binary of another package) would do something else with those arguments.
func Offer() { offered.Store(true) }

// Offered reports whether Offer was called.
func Offered() bool { return offered.Load() }
