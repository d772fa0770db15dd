package wsl

import (
	"bytes"
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

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

// Mounts lists a distro's mounts: from /proc/self/mountinfo for the own distro inside WSL, from
// the probe's stream for the probed distro, else from one call shared with Processes (detailOf).
func (b *Backend) Mounts(ctx context.Context, distro string) ([]backend.Mount, error) {
	if b.isOwn(distro) {
		name := distro
		if name == "" {
			name = b.own
		}
		infos, err := b.fs.Mountinfo("self")
		if err != nil {
			return nil, &backend.Error{Kind: backend.KindFailed, Op: "mounts", Message: err.Error(), Err: err}
		}
		out := make([]backend.Mount, 0, len(infos))
		for _, mi := range infos {
			out = append(out, mi.Mount(name))
		}
		return out, nil
	}
	if err := b.ready("mounts"); err != nil {
		return nil, err
	}
	name, err := b.running(ctx, "mounts", distro)
	if err != nil {
		return nil, err
	}
	if p := b.liveProbe(name); p != nil {
		f, err := b.ask(ctx, p, secMounts)
		if err != nil {
			return nil, withDistro(err, name)
		}
		return parseMounts(f, name)
	}
	d, err := b.detailOf(ctx, "mounts", name)
	if err != nil {
		return nil, err
	}
	return slices.Clone(d.mounts), d.mountsErr
}

// Processes lists a distro's processes: the own distro's through procfs inside WSL (CPU between
// two calls), the probed distro's from the probe's stream, another running distro's from one
// call shared with Mounts (detailOf). From the /proc reader script, CPU is each process's
// average over its lifetime, as ps(1) shows it.
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
	if p := b.liveProbe(name); p != nil {
		f, err := b.ask(ctx, p, secProcs)
		if err != nil {
			return nil, withDistro(err, name)
		}
		return parseProcsSection(f, name)
	}
	d, err := b.detailOf(ctx, "processes", name)
	if err != nil {
		return nil, err
	}
	return slices.Clone(d.procs), d.procsErr
}

// ask is one request on the probe's stream; a probe that hung is dropped.
func (b *Backend) ask(ctx context.Context, p *probe, secs ...string) (frame, error) {
	f, err := p.request(ctx, b.opts.Timeout, secs...)
	if err != nil && backend.KindOf(err) == backend.KindTimeout && ctx.Err() == nil {
		b.dropProbe(p, err)
	}
	return f, err
}

// detail is the processes and mounts of a distro other than the probed one, from one call.
type detail struct {
	done      chan struct{} // closed when the fields below are set
	at        time.Time
	err       error // the call failed (both lists)
	procs     []backend.Process
	procsErr  error
	mounts    []backend.Mount
	mountsErr error
}

// detailOf returns the processes and mounts of a running distro that is not probed: one
// `wsl.exe -d X --exec sh -c <probe script>` given a single request ("procs mounts") and then
// end of input, so the same script and parsers serve the stream and the one-shot. The answer is
// reused for DetailTTL (a failure too: a hung distro is not asked on every refresh), and
// concurrent callers share one call. Nothing is fetched unless asked: no background polling.
func (b *Backend) detailOf(ctx context.Context, op, name string) (*detail, error) {
	k := key(name)
	b.mu.Lock()
	d := b.others[k]
	if d != nil {
		select {
		case <-d.done:
			if b.opts.Now().Sub(d.at) >= b.opts.DetailTTL {
				d = nil
			}
		default: // in flight: share it
		}
	}
	mine := d == nil
	if mine {
		d = &detail{done: make(chan struct{})}
		b.others[k] = d
	}
	b.mu.Unlock()
	if mine {
		b.fetchDetail(ctx, name, d)
		b.mu.Lock()
		if ctx.Err() != nil && b.others[k] == d { // a cancelled call says nothing: don't keep it
			delete(b.others, k)
		}
		b.mu.Unlock()
		close(d.done)
	}
	select {
	case <-d.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if d.err != nil {
		e := d.err
		if be, ok := e.(*backend.Error); ok {
			c := *be
			c.Op = op
			e = &c
		}
		return nil, e
	}
	return d, nil
}

func (b *Backend) fetchDetail(ctx context.Context, name string, d *detail) {
	defer func() { d.at = b.opts.Now() }()
	// The list that says it runs must be recent: `wsl.exe -d X` boots a stopped X.
	if b.listAge() >= probeListMaxAge {
		b.invalidate()
		if _, err := b.running(ctx, "processes", name); err != nil {
			d.err = err
			return
		}
	}
	nonce := newNonce()
	res, err := b.run.RunInput(ctx, 0, strings.NewReader("1 "+secProcs+" "+secMounts+"\n"), probeArgs(name, nonce)...)
	if err != nil {
		d.err = withDistro(err, name)
		return
	}
	fs, _ := parseFrames(res.Stdout, nonce)
	if len(fs) != 1 {
		d.err = &backend.Error{Kind: backend.KindParse, Op: "processes", Distro: name, Message: "truncated answer from the /proc reader"}
		return
	}
	d.procs, d.procsErr = parseProcsSection(fs[0], name)
	d.mounts, d.mountsErr = parseMounts(fs[0], name)
}

// userHZ is the kernel's USER_HZ: 100 on every architecture WSL runs on (x86-64, arm64).
const userHZ = 100

// ParseProcessDump parses the output of the process reader script. Processes whose stat or
// status cannot be parsed (they exited mid-read, or a hostile name) are skipped; output without
// the end marker is a KindParse error.
func ParseProcessDump(out []byte, distro string) ([]backend.Process, error) {
	if !bytes.Contains(out, []byte("\n@@wsldash end")) && !bytes.HasPrefix(out, []byte("@@wsldash end")) {
		return nil, &backend.Error{Kind: backend.KindParse, Op: "processes", Distro: distro, Message: "truncated process listing"}
	}
	return parseProcs(out, distro), nil
}

// parseProcs parses the process reader's sections (the probe's procs section).
func parseProcs(out []byte, distro string) []backend.Process {
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
	return procs
}

func userName(users map[int]string, uid int) string {
	if n, ok := users[uid]; ok {
		return n
	}
	return strconv.Itoa(uid)
}
