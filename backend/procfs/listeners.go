package procfs

import (
	"os"
	"strconv"

	"github.com/wsldash/wsldash/backend"
)

// NetProtos are the /proc/net files Listeners reads.
var NetProtos = []string{"tcp", "tcp6", "udp", "udp6"}

// NetSockets reads and parses net/<proto> (see ParseNetSockets).
func (fs *FS) NetSockets(proto string) ([]Socket, error) {
	var ss []Socket
	rf, err := fs.with("net/"+proto, openEachTime, func(b []byte) (err error) {
		ss, err = ParseNetSockets(b, proto)
		return err
	})
	if rf {
		return nil, readErr("read net/"+proto, err)
	}
	return ss, err
}

// SocketOwners maps socket inodes to the pid holding them, from the links in <pid>/fd of every
// process under Root. Processes whose fd directory may not be read (another user's, without
// root) are skipped: their sockets stay without an owner. Only inodes in want are looked for.
func (fs *FS) SocketOwners(want map[uint64]bool) (map[uint64]int, error) {
	pids, err := fs.pidList(nil)
	if err != nil {
		return nil, readErr("list processes", err)
	}
	owners := make(map[uint64]int, len(want))
	for _, pid := range pids {
		if len(owners) == len(want) {
			break
		}
		dir := fs.Root + "/" + strconv.Itoa(pid) + "/fd"
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			t, err := os.Readlink(dir + "/" + e.Name())
			if err != nil {
				continue
			}
			ino, ok := ParseSocketLink([]byte(t))
			if !ok || !want[ino] {
				continue
			}
			if _, dup := owners[ino]; !dup {
				owners[ino] = pid
			}
		}
	}
	return owners, nil
}

// Listeners lists the listening TCP and bound UDP sockets under Root with the pid and name of
// the process that holds each (nil pid when none visible), tagged with distro. A missing file
// (a kernel without IPv6) is skipped; if none can be read, the first error is returned.
func (fs *FS) Listeners(distro string) ([]backend.Port, error) {
	var socks []Socket
	var first error
	read := 0
	for _, p := range NetProtos {
		ss, err := fs.NetSockets(p)
		if err != nil {
			if first == nil {
				first = err
			}
			continue
		}
		read++
		for _, s := range ss {
			if s.Listening() {
				socks = append(socks, s)
			}
		}
	}
	if read == 0 {
		return nil, first
	}
	want := map[uint64]bool{}
	for _, s := range socks {
		if s.Inode != 0 {
			want[s.Inode] = true
		}
	}
	owners, err := fs.SocketOwners(want)
	if err != nil {
		return nil, err
	}
	names := map[int]string{}
	return PortsOf(socks, func(ino uint64) (int, string, bool) {
		pid, ok := owners[ino]
		if !ok {
			return 0, "", false
		}
		n, seen := names[pid]
		if !seen {
			if st, err := fs.ProcStat(pid); err == nil {
				n = st.Comm
			}
			names[pid] = n
		}
		return pid, n, true
	}, distro), nil
}

// PortsOf turns listening sockets into ports, naming the owner of each through owner (inode ->
// pid, process name), sorted by port, protocol and address. Pure: the wsl backend feeds it the
// output of a remote look.
func PortsOf(socks []Socket, owner func(inode uint64) (int, string, bool), distro string) []backend.Port {
	out := make([]backend.Port, 0, len(socks))
	for _, s := range socks {
		p := backend.Port{Proto: s.Proto, Address: s.LocalAddr.String(), Port: int(s.LocalPort), Distro: distro}
		if s.Inode != 0 {
			if pid, name, ok := owner(s.Inode); ok {
				pid := pid
				p.PID, p.Process = &pid, name
			}
		}
		out = append(out, p)
	}
	backend.SortPorts(out)
	return out
}

// CgroupMemory is a cgroup's memory.current with the memory.stat split.
type CgroupMemory struct {
	Dir     string // the directory read
	Current uint64
	Stat    CgroupMemStat
}

// ReadCgroupMemory reads memory.current and memory.stat in dir. A directory without
// memory.current (the root cgroup, or no memory controller) is a KindNotFound error.
func ReadCgroupMemory(dir string) (CgroupMemory, error) {
	cur, err := os.ReadFile(dir + "/memory.current")
	if err != nil {
		return CgroupMemory{}, readErr("read memory.current", err)
	}
	st, err := os.ReadFile(dir + "/memory.stat")
	if err != nil {
		return CgroupMemory{}, readErr("read memory.stat", err)
	}
	return ParseCgroupMemory(dir, cur, st)
}

// ParseCgroupMemory parses the two files of ReadCgroupMemory.
func ParseCgroupMemory(dir string, current, stat []byte) (CgroupMemory, error) {
	v, isMax, err := ParseCgroupValue(current)
	if err == nil && isMax {
		err = parseErr("parse memory.current", 0, "memory.current is \"max\"")
	}
	if err != nil {
		return CgroupMemory{}, err
	}
	st, err := ParseCgroupMemStat(stat)
	if err != nil {
		return CgroupMemory{}, err
	}
	return CgroupMemory{Dir: dir, Current: v, Stat: st}, nil
}

// DistroShare is a distro's memory from its cgroup: the non-cache part (memory.current less the
// file pages, never below zero) and the page cache.
func (c CgroupMemory) DistroShare(name string) backend.DistroMemory {
	var used uint64
	if c.Current > c.Stat.File {
		used = c.Current - c.Stat.File
	}
	file := c.Stat.File
	return backend.DistroMemory{Name: name, MemoryBytes: used, CacheBytes: &file, Source: backend.MemoryCgroup, Docker: backend.IsDockerDistro(name)}
}

// OwnDistroMemory finds the memory of the distro this process runs in: the cgroup named by
// selfCgroup (the content of /proc/self/cgroup) under cgroupRoot (/sys/fs/cgroup), in either
// of WSL's two possible layouts (DistroCgroupDir). ok is false where there is no per-distro
// cgroup (older WSL, plain Linux, isolateDistroCgroup=false): the caller estimates instead.
func OwnDistroMemory(cgroupRoot string, selfCgroup []byte) (CgroupMemory, bool) {
	path, err := ParseCgroupV2Path(selfCgroup)
	if err != nil {
		return CgroupMemory{}, false
	}
	dir, visible := DistroCgroupDir(path)
	if !visible {
		// A namespaced view: the mount root is our own cgroup only if it accounts memory (the
		// real root cgroup has no memory.current), and only inside a WSL-made distro cgroup.
		if _, err := os.Stat(cgroupRoot + "/wsl-user"); err == nil {
			return CgroupMemory{}, false // the real root is visible, yet we are in none of WSL's
		}
		c, err := ReadCgroupMemory(cgroupRoot)
		return c, err == nil
	}
	c, err := ReadCgroupMemory(cgroupRoot + "/" + dir)
	return c, err == nil
}
