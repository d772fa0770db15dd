package guestprobe

import (
	"bytes"
	"strconv"

	"github.com/wsldash/wsldash/backend/procfs"
)

// dmem appends the distro's memory as the wsl backend's memScript prints it (and its parseLook
// reads): the probe's own /proc/self/cgroup, "wsl-user" when WSL's cgroup tree is in sight, the
// distro cgroup's memory.current and memory.stat (kept open, re-read with pread), and statm of
// every process only when the cgroup's memory cannot be the distro's. It costs the memory view's
// look a wsl.exe start and a shell in the probed distro every 10 s no more.
func (p *Probe) dmem() {
	if p.cg == nil {
		p.cg = procfs.NewFS(p.opts.Root + "/sys/fs/cgroup")
	}
	p.out = append(p.out, "@@wsldash cgroup\n"...)
	var err error
	p.scratch, err = p.proc.AppendFile(p.scratch[:0], "self/cgroup", false)
	var path []byte
	if err == nil {
		p.out = append(p.out, p.scratch...)
		if len(p.scratch) > 0 && p.scratch[len(p.scratch)-1] != '\n' {
			p.out = append(p.out, '\n')
		}
		for _, l := range bytes.Split(p.scratch, []byte("\n")) {
			if rest, ok := bytes.CutPrefix(l, []byte("0::")); ok {
				path = rest
			}
		}
	}
	n := len(p.scratch)
	p.scratch, err = p.cg.AppendFile(p.scratch, "wsl-user/cgroup.type", false)
	wslUser := err == nil && len(p.scratch) > n
	p.scratch = p.scratch[:n]
	if wslUser {
		p.out = append(p.out, "@@wsldash wsl-user\n"...)
	}
	dir := "."
	if rest, ok := bytes.CutPrefix(path, []byte("/wsl-user/distro-")); ok {
		if i := bytes.IndexByte(rest, '/'); i >= 0 {
			rest = rest[:i]
		}
		dir = "wsl-user/distro-" + string(rest)
	} else if wslUser {
		dir = "" // WSL's tree in sight and this process in none of its distro cgroups
	}
	if dir != p.cgDir { // another cgroup: the kept files are another's
		p.cg.Forget(p.cgDir + "/memory.current")
		p.cg.Forget(p.cgDir + "/memory.stat")
		p.cgDir = dir
	}
	p.out = append(p.out, "@@wsldash memory.current\n"...)
	n = len(p.out)
	if dir != "" {
		p.out, err = p.cg.AppendFile(p.out, dir+"/memory.current", true)
	}
	if dir == "" || err != nil || len(p.out) == n {
		p.out = append(p.out[:n], "@@wsldash statm\n"...)
		p.statm()
	}
	p.out = append(p.out, "@@wsldash memory.stat\n"...)
	if dir != "" {
		p.out, _ = p.cg.AppendFile(p.out, dir+"/memory.stat", true)
	}
	p.out = append(p.out, "@@wsldash end\n"...)
}

// statm appends every process's statm (the estimate where there is no cgroup memory).
func (p *Probe) statm() {
	var err error
	p.pids, err = p.proc.PIDs(p.pids[:0])
	if err != nil {
		return
	}
	for _, pid := range p.pids {
		n := len(p.out)
		p.out, err = p.proc.AppendFile(p.out, strconv.Itoa(pid)+"/statm", false)
		if err == nil && len(p.out) > n && p.out[len(p.out)-1] != '\n' {
			p.out = append(p.out, '\n')
		}
	}
}
