package procfs

import (
	"cmp"
	"os"
	"os/user"
	"slices"
	"strconv"
	"sync"

	"github.com/wsldash/wsldash/backend"
)

// ProcScanner lists processes with a CPU share computed between two scans. A process's share is
// its delta(utime+stime) over the delta of /proc/stat's total ticks (all CPUs), times the number
// of CPUs, times 100: 100 means one core, and no clock is needed because both counters tick in
// the same USER_HZ. The first scan (and a process first seen) reports 0. A pid whose start time
// changed is a new process. Exited pids are forgotten. Safe for concurrent use.
type ProcScanner struct {
	fs *FS

	mu        sync.Mutex
	stat      Stat
	prevTotal uint64
	havePrev  bool
	prev      map[int]procSample
	next      map[int]procSample
	users     map[int]string
	pidBuf    []int
	lookup    func(uid int) string // uid -> name; tests replace it
}

type procSample struct {
	start, ticks uint64
	user         string
}

// NewProcScanner scans the processes under fs.Root.
func NewProcScanner(fs *FS) *ProcScanner {
	return &ProcScanner{
		fs:     fs,
		prev:   map[int]procSample{},
		next:   map[int]procSample{},
		users:  map[int]string{},
		lookup: lookupUser,
	}
}

// lookupUser resolves a uid through os/user (/etc/passwd without cgo), falling back to the number.
func lookupUser(uid int) string {
	id := strconv.Itoa(uid)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username
	}
	return id
}

func (s *ProcScanner) userName(uid int) string {
	if n, ok := s.users[uid]; ok {
		return n
	}
	n := s.lookup(uid)
	s.users[uid] = n
	return n
}

// Scan lists the processes, sorted by CPU% (descending), then RSS (descending), then pid.
// A process that exits while being read is skipped. A process whose files cannot be parsed is
// skipped too; only if every process failed is the first such error returned.
func (s *ProcScanner) Scan(distro string) ([]backend.Process, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if err := s.fs.StatInto(&s.stat); err != nil {
		return nil, err
	}
	total := s.stat.CPU.Total()
	ncpu := len(s.stat.PerCPU)
	if ncpu == 0 {
		ncpu = 1
	}
	var dTotal uint64
	if s.havePrev && total > s.prevTotal {
		dTotal = total - s.prevTotal
	}

	pids, err := s.pids()
	if err != nil {
		return nil, err
	}
	out := make([]backend.Process, 0, len(pids))
	clear(s.next)
	var firstErr error
	for _, pid := range pids {
		ps, err := s.fs.ProcStat(pid)
		if err == nil {
			// status is read only for a process not seen before (its uid); stat has the rest.
			// This halves the reads of a steady-state scan.
			user, known := "", false
			if old, ok := s.prev[pid]; ok && old.start == ps.StartTime {
				user, known = old.user, true
			}
			if !known {
				var st ProcStatus
				if st, err = s.fs.ProcStatus(pid); err == nil {
					user = s.userName(st.UID)
					if ps.RSSPages <= 0 && st.VmRSS > 0 {
						ps.RSSPages = int64(st.VmRSS / uint64(pageSize))
					}
				}
			}
			if err == nil {
				out = append(out, s.process(pid, ps, user, dTotal, ncpu, distro))
				continue
			}
		}
		if vanished(err) || backend.KindOf(err) == backend.KindNotFound {
			continue
		}
		if backend.KindOf(err) == backend.KindParse && pidGone(s.fs.Root, pid) {
			continue // a file read empty or cut short because the process was exiting
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	if len(out) == 0 && firstErr != nil {
		return nil, firstErr
	}
	for pid := range s.prev {
		if _, ok := s.next[pid]; !ok {
			s.fs.forgetProcess(pid) // gone: its kept stat file is closed
		}
	}
	s.prev, s.next = s.next, s.prev
	s.prevTotal, s.havePrev = total, true

	slices.SortFunc(out, func(a, b backend.Process) int {
		if c := cmp.Compare(b.CPUPercent, a.CPUPercent); c != 0 {
			return c
		}
		if c := cmp.Compare(b.RSSBytes, a.RSSBytes); c != 0 {
			return c
		}
		return cmp.Compare(a.PID, b.PID)
	})
	return out, nil
}

var pageSize = os.Getpagesize()

func (s *ProcScanner) process(pid int, ps ProcStat, user string, dTotal uint64, ncpu int, distro string) backend.Process {
	ticks := ps.UTime + ps.STime
	cur := procSample{start: ps.StartTime, ticks: ticks, user: user}
	var pct float64
	// A rate needs an earlier reading of this same process and time between the two: until
	// then its CPU is unknown, not 0.
	unknown := true
	if old, ok := s.prev[pid]; ok && old.start == ps.StartTime && dTotal > 0 {
		unknown = false
		if ticks > old.ticks {
			pct = float64(ticks-old.ticks) / float64(dTotal) * float64(ncpu) * 100
			pct = min(pct, float64(ncpu)*100)
		}
	}
	s.next[pid] = cur
	var rss uint64
	if ps.RSSPages > 0 {
		rss = uint64(ps.RSSPages) * uint64(pageSize)
	}
	return backend.Process{
		PID:        pid,
		Name:       ps.Comm,
		User:       user,
		CPUPercent: pct,
		CPUUnknown: unknown,
		RSSBytes:   rss,
		Distro:     distro,
	}
}

// pids lists the numeric entries of the root.
func (s *ProcScanner) pids() ([]int, error) {
	pids, err := s.fs.pidList(s.pidBuf[:0])
	s.pidBuf = pids
	if err != nil {
		return nil, readErr("list processes", err)
	}
	return pids, nil
}

func pidGone(root string, pid int) bool {
	_, err := os.Stat(root + "/" + strconv.Itoa(pid))
	return vanished(err)
}
