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
	fs, _ := parseFrames(res.Stdout, nonce, name)
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

// parseProcs parses a process listing whole (the one-shot call, ParseProcessDump): nothing
// known from before.
func parseProcs(out []byte, distro string) []backend.Process {
	var c procCache
	ps, _ := c.parse(out, distro)
	return ps
}

// procCache is what one probe has told about its processes, for the parts it sends only once:
// each process's Name and Uid (its status, sent the first time its pid is seen) and the user
// names (passwd lines, sent with new uids). The stream's reader keeps one per probe and feeds it
// every procs section in order, so nothing a probe sent once is missed by a caller that gave up.
type procCache struct {
	users map[int]string
	pids  map[int]pidInfo
}

// pidInfo is a process's status as sent, with the start time of the stat it came with: the same
// pid with another start time is another process.
type pidInfo struct {
	start uint64
	name  string
	uid   int
}

// subMarker starts a sub-section of the procs section, at the start of a line.
var subMarker = []byte("@@wsldash ")

// parse reads a procs section. Two formats are read:
//
//   - the probes' (sh and Go): "uptime", "status PID" (the Name and Uid lines of a process this
//     probe had not sent before), "passwd" (lines to add to the users known), and last "stats":
//     every process's stat line, as one cat prints them;
//   - the older one, ParseProcessDump's: "passwd", "uptime", then "pid PID" with its stat line and
//     a "status" after each.
//
// Sub-markers count only at the start of a line, and the stat lines are last and split by their
// shape, not by markers, so a process name cannot hide or fake another process. A process whose
// stat cannot be parsed is skipped. miss reports a process with neither a status in this section
// nor one from before for the same start time (the probe thinks it sent it: a pid reused between
// two listings): the caller then asks the probe to send everything again.
func (c *procCache) parse(out []byte, distro string) (procs []backend.Process, miss bool) {
	if c.users == nil {
		c.users = map[int]string{}
		c.pids = map[int]pidInfo{}
	}
	var uptime float64
	var stats []byte
	haveStats := false
	if bytes.HasPrefix(out, []byte("@@wsldash stats\n")) {
		stats, out, haveStats = out[len("@@wsldash stats\n"):], nil, true
	} else if i := bytes.Index(out, []byte("\n@@wsldash stats\n")); i >= 0 {
		stats, out, haveStats = out[i+len("\n@@wsldash stats\n"):], out[:i+1], true
	}
	statuses := map[int]procfs.ProcStatus{}
	attach := false // the last pid section gave a process the next status belongs to
	for _, sec := range splitSubSections(out) {
		head, body, _ := bytes.Cut(sec, []byte("\n"))
		switch {
		case bytes.Equal(head, []byte("passwd")):
			users := map[int]string{}
			for _, l := range strings.Split(string(body), "\n") {
				f := strings.Split(l, ":")
				if len(f) >= 3 && f[0] != "" { // a nameless entry must not name a uid
					if uid, err := strconv.Atoi(f[2]); err == nil {
						if _, dup := users[uid]; !dup { // the first entry names a uid, as getpwuid
							users[uid] = f[0]
						}
					}
				}
			}
			for uid, n := range users {
				c.users[uid] = n
			}
		case bytes.Equal(head, []byte("uptime")):
			f := strings.Fields(string(body))
			if len(f) > 0 {
				uptime, _ = strconv.ParseFloat(f[0], 64)
			}
		case bytes.HasPrefix(head, []byte("status ")):
			attach = false
			pid, err := strconv.Atoi(string(head[len("status "):]))
			if err != nil || pid <= 0 {
				continue
			}
			if st, err := procfs.ParseProcStatus(body); err == nil {
				statuses[pid] = st
			}
		case bytes.HasPrefix(head, []byte("pid ")): // the older format
			attach = false
			pid, err := strconv.Atoi(string(head[len("pid "):]))
			p, perr := procfs.ParseProcStat(bytes.TrimSuffix(body, []byte("\n")))
			if err != nil || perr != nil || p.PID != pid {
				continue
			}
			procs = append(procs, newProcess(p, distro, uptime))
			attach = true
		case bytes.Equal(head, []byte("status")) && attach:
			attach = false
			if st, err := procfs.ParseProcStatus(body); err == nil {
				last := &procs[len(procs)-1]
				last.User = userName(c.users, st.UID)
				if st.Name != "" {
					last.Name = st.Name
				}
				if st.VmRSS > 0 {
					last.RSSBytes = st.VmRSS
				}
			}
		}
	}
	if haveStats {
		seen := map[int]bool{}
		for _, rec := range splitStatRecords(stats) {
			p, err := procfs.ParseProcStat(rec)
			if err != nil || p.PID <= 0 || seen[p.PID] {
				continue
			}
			seen[p.PID] = true
			proc := newProcess(p, distro, uptime)
			info, ok := c.pids[p.PID]
			if st, sent := statuses[p.PID]; sent {
				info, ok = pidInfo{start: p.StartTime, name: st.Name, uid: st.UID}, true
				c.pids[p.PID] = info
			} else if ok && info.start != p.StartTime {
				delete(c.pids, p.PID)
				ok, miss = false, true
			} else if !ok {
				miss = true
			}
			if ok {
				proc.User = userName(c.users, info.uid)
				if info.name != "" {
					proc.Name = info.name
				}
			}
			procs = append(procs, proc)
		}
		for pid := range c.pids {
			if !seen[pid] {
				delete(c.pids, pid) // gone
			}
		}
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].PID < procs[j].PID })
	return procs, miss
}

// newProcess is a row from a stat line; its CPU is the average over its life, as ps(1) shows it.
func newProcess(p procfs.ProcStat, distro string, uptime float64) backend.Process {
	proc := backend.Process{PID: p.PID, Name: p.Comm, Distro: distro, User: "?", RSSBytes: uint64(max(p.RSSPages, 0)) * 4096}
	if life := uptime - float64(p.StartTime)/userHZ; life > 0 {
		proc.CPUPercent = float64(p.UTime+p.STime) / userHZ / life * 100
	} else {
		proc.CPUUnknown = true // no uptime, or started this instant: no rate
	}
	return proc
}

// splitSubSections splits at lines that start with "@@wsldash " (the marker dropped); text
// before the first one is dropped.
func splitSubSections(b []byte) [][]byte {
	var out [][]byte
	start := -1
	for off := 0; off <= len(b); {
		end := bytes.IndexByte(b[off:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += off
		}
		if bytes.HasPrefix(b[off:], subMarker) {
			if start >= 0 {
				out = append(out, b[start:off])
			}
			start = off + len(subMarker)
		}
		off = end + 1
	}
	if start >= 0 && start <= len(b) {
		out = append(out, b[start:])
	}
	return out
}

// statFieldsAfterComm is how many fields follow the comm of a stat line at least (up to rss,
// field 24, which the parser needs): a name of 15 bytes cannot hold that many.
const statFieldsAfterComm = 22

// splitStatRecords splits concatenated /proc/PID/stat lines into records. A name may hold
// newlines and ") ", so a record runs from a line that starts "PID (" until the text after its
// LAST ')' holds a whole stat's fields; lines that never make one (a read cut short: cat prints
// each file whole, so only garbage) are dropped (resync).
func splitStatRecords(b []byte) [][]byte {
	var out [][]byte
	start := -1
	for off := 0; off < len(b); {
		end := bytes.IndexByte(b[off:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += off
		}
		if start < 0 || off-start > 512 { // nothing open, or it ran too long: start again here
			start = -1
			if statStart(b[off:end]) {
				start = off
			}
		}
		if start >= 0 && completeStat(b[start:end]) {
			out = append(out, b[start:end][resync(b[start:end]):])
			start = -1
		}
		off = end + 1
	}
	return out
}

// maxComm is the longest name a stat line shows: a kernel thread's full name (64 bytes with
// its NUL); a process's own is 15 bytes.
const maxComm = 63

// resync is where the record in rec really starts: rec itself, unless its name would be longer
// than any name can be (a line cut short ran into the next record), then the first later line
// that starts a record with a name that fits.
func resync(rec []byte) int {
	for at := 0; at < len(rec); {
		if statStart(rec[at:]) {
			open := at + bytes.IndexByte(rec[at:], '(')
			if bytes.LastIndexByte(rec, ')')-open-1 <= maxComm {
				return at
			}
		}
		nl := bytes.IndexByte(rec[at:], '\n')
		if nl < 0 {
			break
		}
		at += nl + 1
	}
	return 0
}

// statStart reports whether l starts like a stat line: digits, " (".
func statStart(l []byte) bool {
	i := 0
	for i < len(l) && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	return i > 0 && bytes.HasPrefix(l[i:], []byte(" ("))
}

// completeStat reports whether rec holds statFieldsAfterComm fields after its last ')'.
func completeStat(rec []byte) bool {
	c := bytes.LastIndexByte(rec, ')')
	return c >= 0 && len(bytes.Fields(rec[c+1:])) >= statFieldsAfterComm
}

func userName(users map[int]string, uid int) string {
	if n, ok := users[uid]; ok {
		return n
	}
	return strconv.Itoa(uid)
}
