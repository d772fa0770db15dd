package procfs

import (
	"bytes"
	"strings"
)

// CgroupMemStat is the part of a cgroup v2 memory.stat wsldash uses, in bytes.
type CgroupMemStat struct {
	Anon  uint64 // anonymous memory (heap, stacks, tmpfs is counted under shmem and file)
	File  uint64 // page cache, tmpfs included
	Shmem uint64
	// Have says which keys were present: an old kernel may lack some.
	HaveAnon, HaveFile bool
}

const opMemStat = "parse memory.stat"

// ParseCgroupMemStat parses memory.stat ("key value" lines, bytes). anon and file are
// required: without them there is no split to show.
func ParseCgroupMemStat(b []byte) (CgroupMemStat, error) {
	var m CgroupMemStat
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		k, rest := nextField(line)
		if len(k) == 0 {
			continue
		}
		v, rest := nextField(rest)
		if len(trimSpace(rest)) != 0 {
			return CgroupMemStat{}, parseErr(opMemStat, n, "more than key and value in %s", quote(line))
		}
		switch string(k) {
		case "anon", "file", "shmem":
		default:
			continue
		}
		x, ok := parseUint(v)
		if !ok {
			return CgroupMemStat{}, parseErr(opMemStat, n, "bad value in %s", quote(line))
		}
		switch string(k) {
		case "anon":
			m.Anon, m.HaveAnon = x, true
		case "file":
			m.File, m.HaveFile = x, true
		case "shmem":
			m.Shmem = x
		}
	}
	if !m.HaveAnon || !m.HaveFile {
		return CgroupMemStat{}, parseErr(opMemStat, 0, "no anon or file line")
	}
	return m, nil
}

// ParseCgroupValue parses a one-number cgroup file (memory.current) or "max".
func ParseCgroupValue(b []byte) (v uint64, isMax bool, err error) {
	f := trimSpace(bytes.TrimRight(b, "\r\n"))
	if string(f) == "max" {
		return 0, true, nil
	}
	v, ok := parseUint(f)
	if !ok {
		return 0, false, parseErr("parse cgroup value", 0, "not a number: %s", quote(b))
	}
	return v, false, nil
}

const opSelfCgroup = "parse cgroup membership"

// ParseCgroupV2Path returns the cgroup v2 path from /proc/<pid>/cgroup: the "0::<path>" line
// ("hierarchy-id:controllers:path"; v1 hierarchies have other ids and are skipped).
func ParseCgroupV2Path(b []byte) (string, error) {
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		if len(line) == 0 {
			continue
		}
		id, rest, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return "", parseErr(opSelfCgroup, n, "no ':' in %s", quote(line))
		}
		ctl, path, ok := bytes.Cut(rest, []byte(":"))
		if !ok {
			return "", parseErr(opSelfCgroup, n, "no second ':' in %s", quote(line))
		}
		if string(id) == "0" && len(ctl) == 0 {
			if len(path) == 0 || path[0] != '/' {
				return "", parseErr(opSelfCgroup, n, "cgroup path is not absolute: %s", quote(line))
			}
			return string(path), nil
		}
	}
	return "", parseErr(opSelfCgroup, 0, "no cgroup v2 line (0::/path)")
}

// WSLDistroCgroupPrefix is where WSL puts each distro's cgroup (WSL_USER_CGROUP_PATH in
// WSL@HEAD src/linux/init/util.h): /sys/fs/cgroup/wsl-user/distro-<pid>, the pid being that of
// the distro's init parent in the VM's root PID namespace (UtilGetDistroCgroupPath).
const WSLDistroCgroupPrefix = "/wsl-user/distro-"

// DistroCgroupDir says which directory, relative to the cgroup2 mount, holds the memory of the
// distro a process belongs to, given that process's cgroup v2 path (ParseCgroupV2Path).
//
// WSL's init clones a distro with new mount, PID and UTS namespaces but, as of WSL@HEAD
// (2026-08), no cgroup namespace, so a process sees the whole hierarchy and its path names its
// distro's cgroup: "/wsl-user/distro-1234/non-systemd/…" gives "wsl-user/distro-1234"
// (visible=true: every distro's cgroup is readable from any distro, but only this one is known
// to be ours). If a later WSL gives each distro a cgroup namespace (its docs say distros have
// one), the path is relative to the distro's own cgroup ("/", "/non-systemd", "/systemd/…")
// and the mount root itself is the distro's cgroup: dir is "" (visible=false). A plain Linux
// machine or an older WSL looks the same as that second case; the caller tells them apart by
// the root having no memory.current (the true root cgroup has none).
func DistroCgroupDir(path string) (dir string, visible bool) {
	if i := strings.Index(path, WSLDistroCgroupPrefix); i == 0 {
		rest := path[len(WSLDistroCgroupPrefix):]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j > 0 && (j == len(rest) || rest[j] == '/') {
			return path[1 : len(WSLDistroCgroupPrefix)+j], true
		}
	}
	return "", false
}
