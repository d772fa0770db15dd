// Package procfs reads the Linux guest's /proc for wsldash: meminfo, stat, pressure (PSI),
// mountinfo and the per-process stat and status files.
//
// The parsers are pure functions over []byte, not paths, because the same bytes come from three
// places: this Linux machine (the local backend), the distro wsldash runs in (the wsl backend
// inside WSL), and a pipe from a probe that the wsl backend starts in a distro from Windows.
// FS reads files under a root into one reused buffer; ProcScanner lists processes with CPU
// shares computed between scans.
package procfs
