// Package procfs reads the Linux guest's /proc for wsldash: meminfo, stat, pressure (PSI),
// mountinfo and the per-process stat and status files.
//
// The parsers are pure functions over []byte, not paths, because the same bytes come from three
// places: this Linux machine (the local backend), the distro wsldash runs in (the wsl backend
// inside WSL), and a pipe from a probe that the wsl backend starts in a distro from Windows.
// FS reads files under a root into one reused buffer; ProcScanner lists processes with CPU
// shares computed between scans. Errors are *backend.Error: KindParse with the line number and
// the offending text (truncated) for bad input, KindNotFound/KindPermission/KindUnsupported for
// files that cannot be read. No input makes a parser panic (see the Fuzz targets).
//
// # Why hand-written parsers and not gopsutil
//
// gopsutil (github.com/shirou/gopsutil/v4) reads the same files, but only from paths, so it
// cannot parse bytes shipped from a WSL distro to Windows, and it has no PSI at all. Measured on
// the build machine (2 vCPUs, Linux 6.18, ~110 processes, go test -benchtime=2000x/5000x,
// several runs). The machine was shared (load average 9–19 while measuring), so wall times
// vary up to 2× between runs and are given as ranges; allocation counts are exact. Reading a
// /proc file costs 20–35 µs here, which dominates everything:
//
//	source         this package                          gopsutil                                 decision
//	meminfo        FS.Meminfo       25–55 µs,  4 allocs  mem.VirtualMemory  44–120 µs, 170 allocs  procfs
//	stat           FS.StatInto      27–38 µs,  4 allocs  cpu.Times(false)   26–63 µs,   10 allocs  procfs
//	pressure       FS.Pressure      22–25 µs,  4 allocs  (no PSI API)                              procfs
//	mountinfo      ParseMountinfo   5–17 µs,   2 allocs  (disk.Partitions drops super options)    procfs
//	processes      ProcScanner.Scan 8–19 ms, ~1.2k allocs Processes + Name/MemoryInfo/Times
//	                                                     53 ms, 12.8k allocs; + Username 107 ms    procfs
//
// gopsutil's disk.Partitions reads mountinfo too but keeps only the per-mount options (the
// superblock's aname=drvfs, which tells a Windows drive from other 9p, is dropped) and leaves
// the source escaped (C:\134). For stat the speed is a tie (gopsutil reads only the first line; the kernel formats the whole
// file either way): the decision there rests on the []byte input, on getting per-CPU lines,
// btime and procs_running from the same read, and on allocating nothing per poll. For meminfo
// and processes gopsutil is 2–6× slower and allocates 40× and 10× more.
//
// Parsing alone, on the captured files: ParseMeminfo 1.2–2.4 µs and ParseStatInto 0.4–0.8 µs
// with 0 allocations, ParsePressure 0.3–0.5 µs with 0, ParseProcStat 0.5–0.7 µs and
// ParseProcStatus 0.7–1.1 µs with 1 (the name string). Reading a file costs 10–30× its parse;
// the reused buffer saves 6.5 KB and 5 allocations per meminfo read against os.ReadFile. So
// every source uses this package; gopsutil is imported only by gopsutil_bench_test.go.
//
// Later, on a quiet machine: on Linux files are read with open/read/close system calls
// directly, because os.Open registers each file with the runtime poller (O_NONBLOCK, epoll_ctl
// add and del), doubling the system calls for a file that never blocks. That took a meminfo read
// from ~25 µs to ~11 µs, and with status read only for newly seen processes (its uid), a scan of
// ~110 processes from 3.5–4.6 ms to 0.86 ms and 945 to 352 allocations.
//
// Then the files read every refresh (meminfo, stat, pressure, each process's stat) were kept
// open and re-read with pread, through raw system calls (kept_linux.go says why both are safe):
// one system call per read instead of three, and no sysmon wake-ups. A scan of the same ~110
// processes went from 0.86 ms to 0.40 ms and 352 to 147 allocations, a meminfo read from
// 11.6 µs to 6–8 µs. In the idle dashboard that is ~0.04% of a core: most of its cost is
// drawing, not reading (see ARCHITECTURE.md, Cost).
//
// The number helpers (parseUint and friends) are hand-written because strconv takes strings:
// converting each field would allocate, and they report overflow where a multiply by 1024 would
// wrap (WSL 1 has printed SwapFree values near 2^54 kB, microsoft/WSL#4829).
package procfs
