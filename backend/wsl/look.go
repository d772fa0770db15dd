package wsl

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/procfs"
)

// Inside the VM: listening sockets, networking mode, addresses and per-distro memory, from ONE
// look per running distro: `wsl.exe -d X --exec sh -c <lookScript>` (inside WSL, the own distro
// runs the same script with a plain `sh -c`).
//
// Why a look per distro: all distros share one network namespace, so every distro's /proc/net
// lists every socket of the VM, but a socket's owner is found only through /proc/<pid>/fd in the
// distro whose PID namespace holds it. Likewise the memory: a distro's cgroup is named after its
// init's pid in the VM's root namespace (/sys/fs/cgroup/wsl-user/distro-<pid>), and only
// /proc/self/cgroup inside the distro says which one is its own (procfs.DistroCgroupDir, for both
// layouts WSL may give: the whole tree visible, or a cgroup namespace).
//
// TODO(probe): once the probe is one long-lived stream per distro with sections, lookScript's
// sections (mode, addr, net/*, fds, comm, cgroup, memory.*, statm) become sections of that
// stream, printed every few frames; parseLook already takes the same "@@wsldash <section>"
// framing, so folding it in means feeding it the probe's sections instead of a Run's stdout.

// lookScript prints each section after a "@@wsldash <name>" line. ls and head get /dev/null as
// an extra argument so that they always print the per-directory/per-file headers.
const lookScript = `echo '@@wsldash mode'; wslinfo --networking-mode 2>/dev/null
echo '@@wsldash addr'; ip -o addr show 2>/dev/null
for p in tcp tcp6 udp udp6; do echo "@@wsldash net $p"; cat /proc/net/$p 2>/dev/null; done
echo '@@wsldash fds'; ls -l /dev/null /proc/[0-9]*/fd 2>/dev/null
echo '@@wsldash comm'; head -n1 /dev/null /proc/[0-9]*/comm 2>/dev/null
echo '@@wsldash statm'; cat /proc/[0-9]*/statm 2>/dev/null
echo '@@wsldash cgroup'; cat /proc/self/cgroup 2>/dev/null
c=$(sed -n 's/^0:://p' /proc/self/cgroup 2>/dev/null)
case $c in /wsl-user/distro-*) d=/sys/fs/cgroup/$(echo "$c" | cut -d/ -f2-3);; *) d=/sys/fs/cgroup;; esac
echo '@@wsldash memory.current'; cat "$d/memory.current" 2>/dev/null
echo '@@wsldash memory.stat'; cat "$d/memory.stat" 2>/dev/null
if [ -d /sys/fs/cgroup/wsl-user ]; then echo '@@wsldash wsl-user'; fi
echo '@@wsldash end'`

// memScript is the part of lookScript that per-distro memory needs, for the memory view's look
// every DistroMemoryTTL: it runs in the VM, where WSL's reclaim gate counts it, so it is
// builtins and one cat (memory.stat) where lookScript starts a dozen programs (wslinfo, ip, ls,
// head, sed, cut; ~40 ms of the VM's CPU a look, measured by scripts/guest-cost). The process
// table's statm is read only when the distro's cgroup memory cannot be (no cgroup v2 memory, or
// WSL's tree in sight with this process in none of its distro cgroups). Its output is
// lookScript's sections, for parseLook.
const memScript = `echo '@@wsldash cgroup'; c=
while IFS= read -r l; do printf '%s\n' "$l"; case "$l" in 0::*) c=${l#0::};; esac; done < /proc/self/cgroup
w=; { read -r v < /sys/fs/cgroup/wsl-user/cgroup.type; } 2>/dev/null && w=1 && echo '@@wsldash wsl-user'
case "$c:$w" in /wsl-user/distro-*) r=${c#/wsl-user/}; d=/sys/fs/cgroup/wsl-user/${r%%/*};; *:1) d=/nonexistent;; *) d=/sys/fs/cgroup;; esac
echo '@@wsldash memory.current'
{ read -r v < "$d/memory.current"; } 2>/dev/null && printf '%s\n' "$v" || { echo '@@wsldash statm'; cat /proc/[0-9]*/statm 2>/dev/null; }
echo '@@wsldash memory.stat'; cat "$d/memory.stat" 2>/dev/null
echo '@@wsldash end'`

// look is what one distro's lookScript printed, parsed.
type look struct {
	distro  string
	mode    string
	addrs   []string
	socks   []procfs.Socket
	owners  map[uint64]int // socket inode -> pid
	comm    map[int]string
	memory  backend.DistroMemory
	haveMem bool
}

// pageBytes is the page size of the VM (4 KiB on x86-64 and arm64 WSL kernels).
const pageBytes = 4096

// parseLook parses lookScript's output. Output without the end marker is a KindParse error;
// a section that is missing or malformed (no ip, an older kernel) leaves its part empty.
func parseLook(out []byte, distro string) (look, error) {
	l := look{distro: distro, owners: map[uint64]int{}, comm: map[int]string{}}
	if !bytes.Contains(out, []byte("\n@@wsldash end")) && !bytes.HasPrefix(out, []byte("@@wsldash end")) {
		return look{}, &backend.Error{Kind: backend.KindParse, Op: "ports", Distro: distro, Message: "truncated look inside the distro"}
	}
	var selfCgroup, cur, stat []byte
	wslUser := false
	var rss uint64
	haveRSS := false
	for _, sec := range bytes.Split(out, []byte("@@wsldash ")) {
		head, body, _ := bytes.Cut(sec, []byte("\n"))
		switch h := string(bytes.TrimRight(head, "\r")); {
		case h == "mode":
			l.mode = strings.ToLower(strings.TrimSpace(string(body)))
			if strings.ContainsAny(l.mode, " \t\n") {
				l.mode = ""
			}
		case h == "addr":
			l.addrs = parseIPAddr(body)
		case strings.HasPrefix(h, "net "):
			proto := strings.TrimPrefix(h, "net ")
			if ss, err := procfs.ParseNetSockets(body, proto); err == nil {
				for _, s := range ss {
					if s.Listening() {
						l.socks = append(l.socks, s)
					}
				}
			}
		case h == "fds":
			parseFDListing(body, l.owners)
		case h == "comm":
			parseCommHeads(body, l.comm)
		case h == "statm":
			for _, line := range strings.Split(string(body), "\n") {
				f := strings.Fields(line)
				if len(f) >= 2 {
					if v, err := strconv.ParseUint(f[1], 10, 64); err == nil && v < 1<<40 {
						rss += v * pageBytes
						haveRSS = true
					}
				}
			}
		case h == "cgroup":
			selfCgroup = body
		case h == "memory.current":
			cur = body
		case h == "memory.stat":
			stat = body
		case h == "wsl-user":
			wslUser = true
		}
	}
	if m, ok := cgroupShare(distro, selfCgroup, cur, stat, wslUser); ok {
		l.memory, l.haveMem = m, true
	} else if haveRSS {
		l.memory = backend.DistroMemory{Name: distro, MemoryBytes: rss, Source: backend.MemoryRSSEstimate, Docker: backend.IsDockerDistro(distro)}
		l.haveMem = true
	}
	return l, nil
}

// cgroupShare is the distro's memory from its cgroup files, when they are its own: the path in
// /proc/self/cgroup names a WSL distro cgroup, or (a cgroup namespace) the mount root is ours
// and accounts memory while WSL's wsl-user directory is not in sight.
func cgroupShare(distro string, selfCgroup, cur, stat []byte, wslUser bool) (backend.DistroMemory, bool) {
	path, err := procfs.ParseCgroupV2Path(selfCgroup)
	if err != nil {
		return backend.DistroMemory{}, false
	}
	if _, visible := procfs.DistroCgroupDir(path); !visible && wslUser {
		return backend.DistroMemory{}, false // the real root is in sight: we are in none of WSL's cgroups
	}
	cm, err := procfs.ParseCgroupMemory("", cur, stat)
	if err != nil {
		return backend.DistroMemory{}, false
	}
	return cm.DistroShare(distro), true
}

// parseIPAddr takes the addresses from `ip -o addr show` ("2: eth0    inet 172.23.148.117/20 brd
// … scope global eth0"), leaving out loopback.
func parseIPAddr(b []byte) []string {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || (f[2] != "inet" && f[2] != "inet6") || f[1] == "lo" {
			continue
		}
		out = append(out, f[3])
	}
	return out
}

// parseFDListing reads `ls -l /proc/*/fd`: a "…/proc/<pid>/fd:" header per process, then lines
// ending in "-> socket:[<inode>]". The first pid to hold an inode owns it.
func parseFDListing(b []byte, owners map[uint64]int) {
	pid := 0
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasSuffix(line, "/fd:") {
			pid = pidBefore(strings.TrimSuffix(line, "/fd:"))
			continue
		}
		i := strings.LastIndex(line, " -> ")
		if pid <= 0 || i < 0 {
			continue
		}
		if ino, ok := procfs.ParseSocketLink([]byte(line[i+4:])); ok {
			if _, dup := owners[ino]; !dup {
				owners[ino] = pid
			}
		}
	}
}

// parseCommHeads reads `head -n1 /proc/*/comm`: "==> …/proc/<pid>/comm <==" then the name.
func parseCommHeads(b []byte, comm map[int]string) {
	pid := 0
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "==> ") && strings.HasSuffix(line, "/comm <==") {
			pid = pidBefore(strings.TrimSuffix(strings.TrimPrefix(line, "==> "), "/comm <=="))
			continue
		}
		if pid > 0 && line != "" {
			comm[pid] = line
			pid = 0
		}
	}
}

// pidBefore is the number after the last '/' of p ("/proc/42" → 42), or 0.
func pidBefore(p string) int {
	n, err := strconv.Atoi(p[strings.LastIndexByte(p, '/')+1:])
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// lookAt runs script (lookScript, or memScript) in one running distro (locally for the own
// distro inside WSL).
func (b *Backend) lookAt(ctx context.Context, distro, script string) (look, error) {
	var out []byte
	if b.isOwn(distro) {
		ctx, cancel := context.WithTimeout(ctx, b.opts.Timeout)
		defer cancel()
		o, err := exec.CommandContext(ctx, "sh", "-c", script).Output()
		if err != nil && len(o) == 0 {
			return look{}, &backend.Error{Kind: backend.KindFailed, Op: "ports", Distro: distro, Message: err.Error(), Err: err}
		}
		out = o
	} else if p := b.liveProbe(distro); p != nil && script == memScript {
		// The probed distro's memory is a section of the probe's stream: no wsl.exe start, and
		// no shell in the VM (the Go probe reads the cgroup files it keeps open).
		f, err := b.ask(ctx, p, secDmem)
		if err != nil {
			return look{}, withDistro(err, distro)
		}
		out = f.secs[secDmem]
	} else {
		res, err := b.run.Run(ctx, "-d", distro, "--exec", "sh", "-c", script)
		if err != nil {
			return look{}, withDistro(err, distro)
		}
		out = res.Stdout
	}
	return parseLook(out, distro)
}

// lookAll runs script in every running distro (or only one), in parallel, one wsl.exe call
// each. Distros that fail are named in notes; only if all fail is an error returned.
func (b *Backend) lookAll(ctx context.Context, only, script string) ([]look, []string, error) {
	if err := b.ready("ports"); err != nil && !b.inside {
		return nil, nil, err
	}
	var names []string
	if only != "" {
		name, err := b.running(ctx, "ports", only)
		if err != nil {
			return nil, nil, err
		}
		names = []string{name}
	} else {
		ds, err := b.Distros(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range ds {
			if d.State == backend.StateRunning && d.Version == 2 {
				names = append(names, d.Name)
			}
		}
	}
	looks := make([]look, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			looks[i], errs[i] = b.lookAt(ctx, n, script)
		}()
	}
	wg.Wait()
	var ok []look
	var notes []string
	var first error
	for i := range names {
		if errs[i] != nil {
			notes = append(notes, names[i]+": "+errs[i].Error())
			if first == nil {
				first = errs[i]
			}
			continue
		}
		ok = append(ok, looks[i])
	}
	if len(ok) == 0 && first != nil {
		return nil, notes, first
	}
	return ok, notes, nil
}
