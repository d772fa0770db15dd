package wsl

import (
	"bytes"
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/procfs"
)

// isOwn reports whether distro means the distro this process runs in (inside WSL only).
func (b *Backend) isOwn(distro string) bool {
	if !b.inside {
		return false
	}
	return (distro == "" && b.own == "") || (b.own != "" && (distro == "" || strings.EqualFold(distro, b.own)))
}

// Mounts lists a distro's mounts: from /proc/self/mountinfo for the own distro inside WSL, else
// with one `wsl.exe -d X --exec cat /proc/self/mountinfo` in a distro that is running.
func (b *Backend) Mounts(ctx context.Context, distro string) ([]backend.Mount, error) {
	var infos []procfs.MountInfo
	name := distro
	if b.isOwn(distro) {
		var err error
		if infos, err = b.fs.Mountinfo("self"); err != nil {
			return nil, &backend.Error{Kind: backend.KindFailed, Op: "mounts", Message: err.Error(), Err: err}
		}
		if name == "" {
			name = b.own
		}
	} else {
		if err := b.ready("mounts"); err != nil {
			return nil, err
		}
		var err error
		if name, err = b.running(ctx, "mounts", distro); err != nil {
			return nil, err
		}
		res, err := b.run.Run(ctx, "-d", name, "--exec", "cat", "/proc/self/mountinfo")
		if err != nil {
			return nil, withDistro(err, name)
		}
		if infos, err = procfs.ParseMountinfo(res.Stdout); err != nil {
			return nil, &backend.Error{Kind: backend.KindParse, Op: "mounts", Distro: name, Message: err.Error(), Err: err}
		}
	}
	out := make([]backend.Mount, 0, len(infos))
	for _, mi := range infos {
		out = append(out, mi.Mount(name))
	}
	return out, nil
}

// procScript prints /etc/passwd, /proc/uptime and each process's stat and status between markers,
// with sh builtins and cat only (no ps, which minimal distros lack).
const procScript = `echo '@@wsldash passwd'; cat /etc/passwd 2>/dev/null
echo '@@wsldash uptime'; cat /proc/uptime
for d in /proc/[0-9]*; do
s=$(cat "$d/stat" 2>/dev/null) || continue
echo "@@wsldash pid ${d##*/}"; echo "$s"
echo '@@wsldash status'; cat "$d/status" 2>/dev/null
done
echo '@@wsldash end'`

// userHZ is the kernel's USER_HZ: 100 on every architecture WSL runs on (x86-64, arm64).
const userHZ = 100

// Processes lists a distro's processes: the own distro's through procfs inside WSL (CPU between
// two calls), another running distro's with one wsl.exe call running a /proc reader (CPU then
// is each process's average over its lifetime, as ps(1) shows it).
func (b *Backend) Processes(ctx context.Context, distro string) ([]backend.Process, error) {
	if b.isOwn(distro) {
		name := distro
		if name == "" {
			name = b.own
		}
		ps, err := b.scan.Scan(name)
		if err != nil {
			return nil, &backend.Error{Kind: backend.KindFailed, Op: "processes", Message: err.Error(), Err: err}
		}
		return ps, nil
	}
	if err := b.ready("processes"); err != nil {
		return nil, err
	}
	name, err := b.running(ctx, "processes", distro)
	if err != nil {
		return nil, err
	}
	res, err := b.run.Run(ctx, "-d", name, "--exec", "sh", "-c", procScript)
	if err != nil {
		return nil, withDistro(err, name)
	}
	return ParseProcessDump(res.Stdout, name)
}

// ParseProcessDump parses the output of the process reader script. Processes whose stat or
// status cannot be parsed (they exited mid-read, or a hostile name) are skipped; output without
// the end marker is a KindParse error.
func ParseProcessDump(out []byte, distro string) ([]backend.Process, error) {
	if !bytes.Contains(out, []byte("\n@@wsldash end")) && !bytes.HasPrefix(out, []byte("@@wsldash end")) {
		return nil, &backend.Error{Kind: backend.KindParse, Op: "processes", Distro: distro, Message: "truncated process listing"}
	}
	users := map[int]string{}
	var uptime float64
	var procs []backend.Process
	attach := false // the last pid section gave a process the next status belongs to
	sections := bytes.Split(out, []byte("@@wsldash "))
	for _, sec := range sections {
		head, body, _ := bytes.Cut(sec, []byte("\n"))
		switch {
		case bytes.Equal(head, []byte("passwd")):
			for _, l := range strings.Split(string(body), "\n") {
				f := strings.Split(l, ":")
				if len(f) >= 3 && f[0] != "" { // a nameless entry must not name a uid
					if uid, err := strconv.Atoi(f[2]); err == nil {
						if _, dup := users[uid]; !dup {
							users[uid] = f[0]
						}
					}
				}
			}
		case bytes.Equal(head, []byte("uptime")):
			f := strings.Fields(string(body))
			if len(f) > 0 {
				uptime, _ = strconv.ParseFloat(f[0], 64)
			}
		case bytes.HasPrefix(head, []byte("pid ")):
			attach = false
			p, err := procfs.ParseProcStat(bytes.TrimSuffix(body, []byte("\n")))
			if err != nil {
				continue
			}
			proc := backend.Process{PID: p.PID, Name: p.Comm, Distro: distro, User: "?", RSSBytes: uint64(max(p.RSSPages, 0)) * 4096}
			if life := uptime - float64(p.StartTime)/userHZ; life > 0 {
				proc.CPUPercent = float64(p.UTime+p.STime) / userHZ / life * 100
			} else {
				proc.CPUUnknown = true // no uptime, or started this instant: no rate
			}
			procs = append(procs, proc)
			attach = true
		case bytes.Equal(head, []byte("status")) && attach:
			attach = false
			if st, err := procfs.ParseProcStatus(body); err == nil {
				last := &procs[len(procs)-1]
				last.User = userName(users, st.UID)
				if st.Name != "" {
					last.Name = st.Name
				}
				if st.VmRSS > 0 {
					last.RSSBytes = st.VmRSS
				}
			}
		}
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].PID < procs[j].PID })
	return procs, nil
}

func userName(users map[int]string, uid int) string {
	if n, ok := users[uid]; ok {
		return n
	}
	return strconv.Itoa(uid)
}
