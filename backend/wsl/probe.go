package wsl

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/guestprobe"
	"github.com/wsldash/wsldash/backend/procfs"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
)

// The probe's sections. A request names the ones it wants; the frame carries them in that order.
const (
	secMeminfo = "meminfo" // /proc/meminfo
	secStat    = "stat"    // the cpu lines of /proc/stat
	secPSI     = "psi"     // /proc/pressure/memory (empty without PSI)
	secMounts  = "mounts"  // /proc/self/mountinfo, or "unchanged" when it is what this probe last sent
	secProcs   = "procs"   // /proc/uptime, the status of new processes, passwd, every process's stat (procCache's format)
	secSelf    = "self"    // the probe's own /proc/self/stat line (Sample.SelfTicks)
	secKind    = "kind"    // "sh", or "go <version>" from `wsldash probe`
	secFresh   = "fresh"   // nothing; the probe forgets what it sent, so procs and mounts come in full
	secDmem    = "dmem"    // the distro's memory: memScript's output (look.go), for parseLook
)

// probeScript answers requests on stdin with frames on stdout (see the package doc for the
// format). Only sh builtins and cat are used, so it runs on any distro (busybox and dash
// included); it is the fallback for the Go probe (`wsldash probe`, package guestprobe), which
// speaks the same protocol. $1 is the marker's nonce. It ends when its stdin closes, so a probe
// never outlives the wsldash that reads it. A section is one case line here and one parser in Go.
//
// What it costs is what the VM's reclaim gate counts, so each section does the least it can:
// read builtins where a file is a line (stat's cpu lines, self: no fork), a cat where a file is
// long (dash's read is a system call per byte). The process table is ONE cat of every stat file
// (a process that ends between the glob and the open is skipped by cat; a name with a newline or
// ") " is put together again by the parser), and a process's status (only its Name and Uid
// lines, read up to Uid) only the first time its pid is seen by this probe: $seen holds the pids
// of the last listing, and the backend keeps Name and Uid per pid for the probe. /etc/passwd
// goes out only with new processes' statuses (only they bring new uids). The stat lines come
// last in the section: a process name (15 bytes at most) cannot make a line that starts one of
// the longer sub-markers. mountinfo goes out only when it changed ("unchanged" otherwise: a
// mountinfo line starts with a digit). fresh forgets both, for the backend to ask everything
// again. printf, not echo, for text from the guest: dash's echo would interpret backslashes.
const probeScript = `m="@@wsldash/$1"
seen=
mi=
while read -r id want; do
for s in $want; do
echo "$m $s"
case "$s" in
meminfo) cat /proc/meminfo;;
stat) while read -r l; do case "$l" in cpu*) echo "$l";; *) break;; esac; done < /proc/stat;;
psi) cat /proc/pressure/memory 2>/dev/null;;
self) { read -r l < /proc/$$/stat; } 2>/dev/null && printf '%s\n' "$l";;
kind) echo sh;;
fresh) seen=; mi=;;
mounts) n=$(cat /proc/self/mountinfo)
case "$n" in "$mi") echo unchanged;; *) mi=$n; printf '%s\n' "$n";; esac;;
procs) echo '@@wsldash uptime'; cat /proc/uptime
now=; new=
for d in /proc/[0-9]*; do p=${d##*/}; now="$now $p "
case "$seen" in *" $p "*) continue;; esac
{ while IFS= read -r l; do case "$l" in Name:*) n=$l;; Uid:*) printf '@@wsldash status %s\n%s\n%s\n' "$p" "$n" "$l"; new=1; break;; esac; done < "$d/status"; } 2>/dev/null
done
seen=$now
case "$new" in 1) echo '@@wsldash passwd'; cat /etc/passwd 2>/dev/null;; esac
echo '@@wsldash stats'; cat /proc/[0-9]*/stat 2>/dev/null;;
dmem) ` + memScript + `;;
esac
done
echo "$m end $id"
done`

// probeArgs is the wsl.exe argv that runs the probe script in distro with nonce.
func probeArgs(distro, nonce string) []string {
	return []string{"-d", distro, "--exec", "sh", "-c", probeScript, "wsldash-probe", nonce}
}

// goProbeArgs is the wsl.exe argv that runs the Go probe: the Linux wsldash at dir (a Windows
// path, which WSL translates through its automount, or a Linux one) as ./base.
func goProbeArgs(distro, dir, base, nonce string) []string {
	return []string{"-d", distro, "--cd", dir, "--exec", "./" + base, "probe", nonce}
}

// newNonce makes the frame markers of one probe unguessable, so that no line a guest process
// controls (a process name is up to 15 bytes, newlines included) can end a frame.
func newNonce() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// probeRetryAfterTimeout is how long Sample waits before starting a new probe after one hung;
// probeRetryAfterEnd after one ended (its distro stopped), so a probe that dies at once is not
// restarted on every refresh.
const (
	probeRetryAfterTimeout = 30 * time.Second
	probeRetryAfterEnd     = 2 * time.Second
	// probeListMaxAge is the oldest distro list a probe, or a one-shot call into another
	// distro, is started from.
	probeListMaxAge = 2 * time.Second
)

// frame is one answer: the raw bytes of each section asked for, and what the reader made of
// the sections that depend on what the probe sent before (settle).
type frame struct {
	id   uint64
	secs map[string][]byte

	procs     []backend.Process // the procs section, parsed with the probe's cache
	procsOK   bool
	procsMiss bool // a process the cache did not know (see procCache.parse)
}

// frameReader splits a probe's stdout into frames. It is pure (bytes in, frames out) so that the
// one-shot call for another distro parses the same way as the stream.
type frameReader struct {
	marker []byte // "@@wsldash/<nonce> "
	cur    *frame
	sec    string
	head   bytes.Buffer // output before the first marker: wsl.exe's own error text

	distro     string    // for the processes' rows
	procs      procCache // what this probe sent of its processes
	mounts     []byte    // the last mountinfo it sent in full
	haveMounts bool
}

// unchanged is the mounts section of a probe whose mountinfo is what it last sent.
var unchanged = []byte("unchanged\n")

// settle completes a frame from what the probe sent before: "unchanged" mounts become the last
// ones sent, and the procs section is parsed with the probe's cache. The reader does it for
// every frame in order, whoever asked, so nothing sent once is lost.
func (r *frameReader) settle(f *frame) {
	if m, ok := f.secs[secMounts]; ok {
		if bytes.Equal(m, unchanged) {
			if r.haveMounts {
				f.secs[secMounts] = r.mounts
			}
		} else {
			r.mounts, r.haveMounts = m, true
		}
	}
	if b, ok := f.secs[secProcs]; ok {
		f.procs, f.procsMiss = r.procs.parse(b, r.distro)
		f.procsOK = true
	}
}

// line feeds one line (without its newline); it returns a frame when the line ended one.
func (r *frameReader) line(l []byte) (frame, bool) {
	if rest, ok := bytes.CutPrefix(l, r.marker); ok {
		if id, ok := bytes.CutPrefix(rest, []byte("end ")); ok {
			f := frame{secs: map[string][]byte{}}
			if r.cur != nil {
				f = *r.cur
			}
			f.id, _ = strconv.ParseUint(string(id), 10, 64)
			r.cur, r.sec = nil, ""
			r.settle(&f)
			return f, true
		}
		if r.cur == nil {
			r.cur = &frame{secs: map[string][]byte{}}
		}
		r.sec = string(rest)
		r.cur.secs[r.sec] = []byte{}
		return frame{}, false
	}
	if r.cur == nil || r.sec == "" {
		if r.head.Len() < 4096 {
			r.head.Write(l)
			r.head.WriteByte('\n')
		}
		return frame{}, false
	}
	b := append(r.cur.secs[r.sec], l...)
	r.cur.secs[r.sec] = append(b, '\n')
	return frame{}, false
}

// parseFrames splits a whole output (the one-shot call) into frames.
func parseFrames(out []byte, nonce, distro string) ([]frame, []byte) {
	r := &frameReader{marker: []byte("@@wsldash/" + nonce + " "), distro: distro}
	var fs []frame
	for _, l := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
		if f, ok := r.line(bytes.TrimSuffix(l, []byte("\r"))); ok {
			fs = append(fs, f)
		}
	}
	return fs, r.head.Bytes()
}

// sample is what Sample takes from a frame.
type sample struct {
	guest    backend.GuestMemory
	cpu      procfs.CPUTimes
	counters *backend.CPUCounters
	psi      *backend.Pressure
	self     *uint64 // the probe's own CPU ticks, children included
}

// parseSample parses the meminfo, stat and psi sections of a frame.
func parseSample(f frame) (sample, error) {
	var s sample
	m, err := procfs.ParseMeminfo(f.secs[secMeminfo])
	if err != nil {
		return s, &backend.Error{Kind: backend.KindParse, Op: "probe", Message: "meminfo: " + err.Error(), Err: err}
	}
	s.guest = m.Guest()
	st, err := procfs.ParseStat(f.secs[secStat])
	if err != nil {
		return s, &backend.Error{Kind: backend.KindParse, Op: "probe", Message: "stat: " + err.Error(), Err: err}
	}
	s.cpu = st.CPU
	s.counters = st.Counters()
	if psi := f.secs[secPSI]; len(bytes.TrimSpace(psi)) > 0 {
		if p, err := procfs.ParsePressure(psi); err == nil {
			some := p.Some
			s.psi = &some
		}
	}
	if t, ok := selfTicks(f.secs[secSelf]); ok {
		s.self = &t
	}
	return s, nil
}

// selfTicks is utime+stime+cutime+cstime (proc(5) fields 14-17) of a /proc/PID/stat line: the
// CPU a process used, with the children it reaped, in clock ticks.
func selfTicks(b []byte) (uint64, bool) {
	c := bytes.LastIndexByte(b, ')')
	if c < 0 {
		return 0, false
	}
	f := bytes.Fields(b[c+1:])
	if len(f) < 15 {
		return 0, false
	}
	var sum uint64
	for _, x := range f[11:15] { // fields 14-17; f[0] is field 3
		v, err := strconv.ParseUint(string(x), 10, 64)
		if err != nil {
			return 0, false
		}
		sum += v
	}
	return sum, true
}

// parseMounts parses a frame's mounts section.
func parseMounts(f frame, distro string) ([]backend.Mount, error) {
	b, ok := f.secs[secMounts]
	if !ok {
		return nil, &backend.Error{Kind: backend.KindParse, Op: "mounts", Distro: distro, Message: "no mounts in the probe's answer"}
	}
	infos, err := procfs.ParseMountinfo(b)
	if err != nil {
		return nil, &backend.Error{Kind: backend.KindParse, Op: "mounts", Distro: distro, Message: err.Error(), Err: err}
	}
	out := make([]backend.Mount, 0, len(infos))
	for _, mi := range infos {
		out = append(out, mi.Mount(distro))
	}
	return out, nil
}

// parseProcsSection is a frame's procs section, as its reader parsed it (a copy: one frame can
// answer several callers, who sort and keep theirs).
func parseProcsSection(f frame, distro string) ([]backend.Process, error) {
	if _, ok := f.secs[secProcs]; !ok || !f.procsOK {
		return nil, &backend.Error{Kind: backend.KindParse, Op: "processes", Distro: distro, Message: "no processes in the probe's answer"}
	}
	return slices.Clone(f.procs), nil
}

// probe is the long-lived wsl.exe that answers requests for /proc sections of one distro.
type probe struct {
	distro string
	kind   string // "sh", or "go <version>"
	proc   *wslexe.Proc
	in     io.WriteCloser
	nonce  string
	fresh  atomic.Bool   // the procs cache missed a process: ask the probe to send everything again
	trial  atomic.Bool   // a Go probe that has not said its kind yet
	frames chan frame    // from the reader
	ended  chan struct{} // closed when the reader has seen the end of the stream and set err

	mu      sync.Mutex
	queue   []*probeAsk
	pumping bool
	nextID  uint64
	broken  error // set when a request failed: the probe is being stopped
	err     error // why the stream ended (set before ended is closed)
}

type probeAsk struct {
	secs []string
	done chan probeAnswer // buffered: the pump never waits for an asker that gave up
}

type probeAnswer struct {
	f   frame
	err error
}

func (p *probe) dead() bool {
	select {
	case <-p.ended:
		return true
	default:
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.broken != nil
}

func (p *probe) stop() {
	p.in.Close()
	p.proc.Stop()
}

// read parses frames from the stream until it ends; onEnd runs once it has, before ended closes.
func (p *probe) read(onEnd func()) {
	r := &frameReader{marker: []byte("@@wsldash/" + p.nonce + " "), distro: p.distro}
	sc := bufio.NewScanner(p.proc.Stdout())
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	got := false
	for sc.Scan() {
		if f, ok := r.line(sc.Bytes()); ok {
			got = true
			if f.procsMiss {
				p.fresh.Store(true)
			}
			select {
			case p.frames <- f:
			case <-p.proc.Done():
			}
		}
	}
	io.Copy(io.Discard, p.proc.Stdout())
	code, _ := p.proc.Wait()
	p.mu.Lock()
	if !got && code != 0 {
		p.err = wslexe.ExitError("probe", wslexe.Result{Stdout: r.head.Bytes(), Stderr: p.proc.Stderr(), ExitCode: code})
	} else {
		p.err = &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Distro: p.distro,
			Message: "the probe ended (the distro stopped?)"}
	}
	p.mu.Unlock()
	if onEnd != nil {
		onEnd() // before ended: whoever sees the end sees its effect
	}
	close(p.ended)
}

// endErr is why the stream ended (after ended is closed).
func (p *probe) endErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// request asks for sections and waits for the frame that answers (at most timeout once the
// request is written). Concurrent requests are merged: while one is out, the next ones queue and
// go as one request, so a refresh that wants a sample, processes and mounts costs at most two
// round trips on the same stream and no wsl.exe start.
func (p *probe) request(ctx context.Context, timeout time.Duration, secs ...string) (frame, error) {
	a := &probeAsk{secs: secs, done: make(chan probeAnswer, 1)}
	p.mu.Lock()
	if p.broken != nil {
		err := p.broken
		p.mu.Unlock()
		return frame{}, err
	}
	p.queue = append(p.queue, a)
	if !p.pumping {
		p.pumping = true
		go p.pump(timeout)
	}
	p.mu.Unlock()
	select {
	case ans := <-a.done:
		return ans.f, ans.err
	case <-ctx.Done():
		return frame{}, ctx.Err()
	}
}

// pump writes the queued requests as one line and hands the answer to each asker, until the
// queue is empty.
func (p *probe) pump(timeout time.Duration) {
	for {
		p.mu.Lock()
		q := p.queue
		p.queue = nil
		if len(q) == 0 || p.broken != nil {
			p.pumping = false
			err := p.broken
			p.mu.Unlock()
			for _, a := range q {
				a.done <- probeAnswer{err: err}
			}
			return
		}
		p.nextID++
		id := p.nextID
		p.mu.Unlock()
		var want []string
		seen := map[string]bool{}
		if p.fresh.Load() {
			for _, a := range q {
				if slices.Contains(a.secs, secProcs) && p.fresh.Swap(false) {
					want, seen[secFresh] = append(want, secFresh), true
				}
			}
		}
		for _, a := range q {
			for _, s := range a.secs {
				if !seen[s] {
					seen[s] = true
					want = append(want, s)
				}
			}
		}
		f, err := p.exchange(id, want, timeout)
		if err != nil && backend.KindOf(err) == backend.KindTimeout {
			p.mu.Lock()
			p.broken = err
			p.mu.Unlock()
			p.stop()
		}
		for _, a := range q {
			a.done <- probeAnswer{f: f, err: err}
		}
	}
}

// exchange writes one request and waits for its frame, the end of the stream, or the timeout.
func (p *probe) exchange(id uint64, want []string, timeout time.Duration) (frame, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	if _, err := fmt.Fprintf(p.in, "%d %s\n", id, strings.Join(want, " ")); err != nil {
		// The process is gone or going: its end says why.
		select {
		case <-p.ended:
			return frame{}, p.endErr()
		case <-t.C:
			return frame{}, p.timeoutErr(timeout)
		}
	}
	for {
		select {
		case f := <-p.frames:
			if f.id == id {
				return f, nil
			}
		case <-p.ended:
			select { // a frame that came just before the end still counts
			case f := <-p.frames:
				if f.id == id {
					return f, nil
				}
			default:
			}
			return frame{}, p.endErr()
		case <-t.C:
			return frame{}, p.timeoutErr(timeout)
		}
	}
}

func (p *probe) timeoutErr(timeout time.Duration) error {
	return &backend.Error{Kind: backend.KindTimeout, Op: "sample", Distro: p.distro,
		Message: fmt.Sprintf("the probe printed nothing within %s", timeout)}
}

// errNoneRunning is a fresh error each time (callers set Op).
func errNoneRunning() error {
	return &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "no distro is running; the VM is stopped"}
}

// errOnlyWSL1 says why there are no VM figures when only WSL 1 distros run.
func errOnlyWSL1() error {
	return &backend.Error{Kind: backend.KindNotRunning, Op: "sample",
		Message: "no WSL 2 distro is running (WSL 1 has no VM)"}
}

// pickProbeDistro chooses a Running WSL 2 distro that was not released: the default first. A
// WSL 1 distro is never picked: it runs on the Windows kernel, outside the VM, and its
// /proc/meminfo describes Windows, not the VM.
func pickProbeDistro(ds []backend.Distro, released map[string]bool) (string, error) {
	running, wsl1, pick := 0, 0, ""
	for _, d := range ds {
		if d.State != backend.StateRunning {
			continue
		}
		if d.Version == 1 {
			wsl1++
			continue
		}
		running++
		if released[key(d.Name)] {
			continue
		}
		if pick == "" || d.Default {
			pick = d.Name
		}
		if d.Default {
			break
		}
	}
	switch {
	case pick != "":
		return pick, nil
	case running == 0 && wsl1 > 0:
		return "", errOnlyWSL1()
	case running == 0:
		return "", errNoneRunning()
	}
	return "", &backend.Error{Kind: backend.KindNotRunning, Op: "sample",
		Message: "not watching: the running distros were released (start one or watch it again)"}
}

// ensureProbe returns a live probe, starting one in a running distro if needed. It never starts
// a stopped distro: the pick comes from a fresh `-l -v` whenever a probe has to be (re)started.
func (b *Backend) ensureProbe(ctx context.Context) (*probe, error) {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil, &backend.Error{Kind: backend.KindFailed, Op: "sample", Message: "backend closed"}
	}
	p := b.probe
	if p != nil && !p.dead() {
		b.mu.Unlock()
		return p, nil
	}
	if p != nil { // it died: remember why, forget it, and look again (fresh list)
		select {
		case <-p.ended:
			b.probeErr = p.endErr()
		default:
			b.probeErr = &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Distro: p.distro,
				Message: "the probe ended (the distro stopped?)"}
		}
		b.probe = nil
		b.listOK = false
		b.probeNext = b.opts.Now().Add(probeRetryAfterEnd)
		err := b.probeErr
		b.mu.Unlock()
		return nil, err
	}
	if b.opts.Now().Before(b.probeNext) && b.probeErr != nil {
		err := b.probeErr
		b.mu.Unlock()
		return nil, err
	}
	b.mu.Unlock()

	name, err := b.pickFrom(ctx, false)
	if err == nil && b.listAge() >= probeListMaxAge {
		// A probe is started only from a recent list: the slow period's list may say Running
		// for a distro that stopped since, and `wsl.exe -d X` would boot it. (A list that says
		// nothing runs can be trusted for its whole period: it starts nothing.)
		name, err = b.pickFrom(ctx, true)
	}
	if err != nil {
		return nil, err
	}
	p, err = b.startProbe(ctx, name)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	if b.closed || b.probe != nil {
		b.mu.Unlock()
		p.stop()
		if b.closed {
			return nil, &backend.Error{Kind: backend.KindFailed, Op: "sample", Message: "backend closed"}
		}
		return b.ensureProbe(ctx)
	}
	b.probe = p
	b.probeErr = nil
	b.lastKind = p.kind
	b.mu.Unlock()
	return p, nil
}

// EnvGuestProbe is Options.GuestProbe's default: the Linux wsldash to run in the guest, or "off".
const EnvGuestProbe = "WSLDASH_GUEST_PROBE"

// findGoProbe finds the Go probe once (see Options.GuestProbe): its local path, or "" and why not.
func (b *Backend) findGoProbe() (string, string) {
	b.goOnce.Do(func() {
		b.goPath, b.goWhy = locateGoProbe(b.opts.GuestProbe, os.Getenv(EnvGuestProbe), b.inside, runtime.GOOS, os.Executable, os.Stat)
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.goPath, b.goWhy
}

// locateGoProbe is findGoProbe's decision, pure but for the two functions it is given.
func locateGoProbe(opt, env string, inside bool, goos string, executable func() (string, error), stat func(string) (os.FileInfo, error)) (path, why string) {
	given, from := opt, "the option"
	if given == "" {
		given, from = env, "$"+EnvGuestProbe
	}
	switch {
	case strings.EqualFold(given, "off"):
		return "", from + " is off"
	case given != "":
		path = given
	case inside:
		return "", "inside WSL the Linux build is not run in another distro"
	case goos == "windows":
		exe, err := executable()
		if err != nil {
			return "", "wsldash.exe's own path is unknown: " + err.Error()
		}
		path = filepath.Join(filepath.Dir(exe), "linux", "wsldash")
		if _, err := stat(path); err != nil {
			return "", "no Linux build beside wsldash.exe (" + path + "; installed with go install?)"
		}
		return path, ""
	case goos == "linux" && guestprobe.Offered():
		exe, err := executable()
		if err != nil {
			return "", "this program's own path is unknown: " + err.Error()
		}
		return exe, ""
	default:
		return "", "this program does not offer the Go probe"
	}
	if _, err := stat(path); err != nil {
		return "", from + ": " + err.Error()
	}
	return path, ""
}

// startProbe starts a probe in distro: the Go probe while there is one and it has not failed,
// else the sh script. The Go probe must answer its first request (kind) within the timeout; if
// it fails to start, ends or does not answer, the sh probe is used from then on for the rest of
// the run, and ProbeKind says why.
func (b *Backend) startProbe(ctx context.Context, name string) (*probe, error) {
	if path, _ := b.findGoProbe(); path != "" {
		p, err := b.startGoProbe(ctx, name, path)
		if err == nil {
			return p, nil
		}
		if ctx.Err() != nil {
			return nil, err // cancelled: that says nothing about the Go probe
		}
		b.mu.Lock()
		b.goPath, b.goWhy = "", "the Go probe ("+path+") failed: "+err.Error()
		b.mu.Unlock()
	}
	nonce := newNonce()
	return b.launch(name, "sh", nonce, probeArgs(name, nonce))
}

// startGoProbe starts `wsldash probe` from path's folder and waits for its kind.
func (b *Backend) startGoProbe(ctx context.Context, name, path string) (*probe, error) {
	dir, err := b.opts.WinPath(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	nonce := newNonce()
	p, err := b.launch(name, "", nonce, goProbeArgs(name, dir, filepath.Base(path), nonce))
	if err != nil {
		return nil, err
	}
	f, err := p.request(ctx, b.opts.Timeout, secKind)
	kind := strings.TrimSpace(string(f.secs[secKind]))
	if err == nil && !strings.HasPrefix(kind, "go ") {
		err = &backend.Error{Kind: backend.KindParse, Op: "sample", Distro: name, Message: fmt.Sprintf("it says it is %q, not the Go probe", kind)}
	}
	if err != nil {
		p.stop()
		return nil, err
	}
	p.kind = kind
	p.trial.Store(false)
	return p, nil
}

// launch starts a probe's wsl.exe and its reader. kind "" is a Go probe on trial: its end does
// not invalidate the list, since it may only have failed to start.
func (b *Backend) launch(name, kind, nonce string, args []string) (*probe, error) {
	proc, err := b.run.StartInput(context.Background(), args...)
	if err != nil {
		return nil, err
	}
	p := &probe{distro: name, kind: kind, proc: proc, in: proc.Stdin(), nonce: nonce, frames: make(chan frame, 4), ended: make(chan struct{})}
	p.trial.Store(kind == "")
	go p.read(func() {
		// The stream ended: its distro stopped (or WSL shut down), so the list has changed.
		if !p.trial.Load() {
			b.invalidate()
		}
	})
	return p, nil
}

// ProbeKind says which probe reads the VM's figures: "go <version>" (`wsldash probe`) or "sh"
// (the script), with why when the Go probe is not the one; "" before any probe started. Inside
// WSL 2 there is none: the distro's own /proc is read.
func (b *Backend) ProbeKind() (kind, why string) {
	if b.inside && !b.ownWSL1 {
		return "", "inside WSL 2: the distro's own /proc is read, no probe"
	}
	path, why := b.findGoProbe()
	b.mu.Lock()
	defer b.mu.Unlock()
	kind = b.lastKind
	if b.probe != nil && !b.probe.dead() {
		kind = b.probe.kind
	}
	if kind == "" && path != "" {
		return "", "the Go probe (" + path + ") starts with the first sample"
	}
	if strings.HasPrefix(kind, "go ") {
		why = ""
	}
	return kind, why
}

// pickFrom picks the probe's distro from the list (a fresh one when fresh).
func (b *Backend) pickFrom(ctx context.Context, fresh bool) (string, error) {
	if fresh {
		b.invalidate()
	}
	ds, err := b.Distros(ctx)
	if err != nil {
		return "", err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stop["*"] > 0 {
		return "", &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "WSL is shutting down"}
	}
	skip := map[string]bool{}
	for k := range b.released {
		skip[k] = true
	}
	for k := range b.stop {
		skip[k] = true
	}
	return pickProbeDistro(ds, skip)
}

// liveProbe is the probe if it runs in distro and is alive, else nil.
func (b *Backend) liveProbe(distro string) *probe {
	b.mu.Lock()
	defer b.mu.Unlock()
	if p := b.probe; p != nil && key(p.distro) == key(distro) && !p.dead() {
		return p
	}
	return nil
}

// dropProbe forgets p after it hung, and waits before starting another.
func (b *Backend) dropProbe(p *probe, err error) {
	b.forgetProbe(p, err, max(b.opts.ListTTL, probeRetryAfterTimeout))
}

// forgetProbe drops p (if it is still the probe), remembers err for the next calls until
// retryAfter has passed, and stops it.
func (b *Backend) forgetProbe(p *probe, err error, retryAfter time.Duration) {
	b.mu.Lock()
	if b.probe == p {
		b.probe = nil
		b.probeErr = err
		b.probeNext = b.opts.Now().Add(retryAfter)
		b.listOK = false
	}
	b.mu.Unlock()
	p.stop()
}

// Sample takes one observation: inside a WSL 2 distro from /proc, otherwise (from Windows, or
// inside a WSL 1 distro, whose /proc is not the VM's) one request on the probe's stream
// (meminfo, stat, psi) in a WSL 2 distro. No wsl.exe start per sample.
func (b *Backend) Sample(ctx context.Context) (backend.Sample, error) {
	s := backend.Sample{Time: b.opts.Now()}
	if b.opts.Host != nil {
		if hv, err := b.opts.Host.Sample(ctx); err == nil {
			s.Host = hv
		}
	}
	if b.inside && !b.ownWSL1 {
		return b.sampleInside(s)
	}
	if err := b.ready("sample"); err != nil {
		return s, err
	}
	p, err := b.ensureProbe(ctx)
	if err != nil {
		return s, b.vmIdleNote(err)
	}
	f, err := p.request(ctx, b.opts.Timeout, secMeminfo, secStat, secPSI, secSelf)
	if err != nil {
		switch {
		case backend.KindOf(err) == backend.KindTimeout && ctx.Err() == nil:
			// A hung probe would make every Sample wait: drop it, and don't try again for a while.
			b.dropProbe(p, err)
		case p.dead():
			// Its stream ended while asked (its distro stopped): the same as ensureProbe finding
			// it dead, so the next call after probeRetryAfterEnd looks again on a fresh list
			// instead of reporting this end a second time.
			b.forgetProbe(p, err, probeRetryAfterEnd)
		}
		return s, err
	}
	fs, err := parseSample(f)
	if err != nil {
		return s, err
	}
	s.Guest, s.MemoryPressure, s.CPU, s.SelfTicks = fs.guest, fs.psi, fs.counters, fs.self
	s.CPUPercent = b.cpuPercent(f.id, fs.cpu)
	b.attachDistroMemory(&s) // distromem.go
	return s, nil
}

// cpuPercent is the CPU use between the frame seen by the previous Sample and this one; the same
// frame twice gives the same answer. It is nil (unknown, not 0) until two readings some time
// apart give a rate.
func (b *Backend) cpuPercent(seq uint64, cur procfs.CPUTimes) *float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if seq != 0 && seq == b.lastSeq {
		return b.lastPct
	}
	pct, ok := procfs.CPURate(b.lastCPU, cur)
	if !ok && b.haveCPU && cur.Total() == b.lastCPU.Total() {
		return b.lastPct // no time between the readings: keep the older one to compare with
	}
	var p *float64
	if ok {
		p = backend.Percent(pct)
	}
	b.lastCPU, b.haveCPU, b.lastSeq, b.lastPct = cur, true, seq, p
	return p
}

func (b *Backend) sampleInside(s backend.Sample) (backend.Sample, error) {
	m, err := b.fs.Meminfo()
	if err != nil {
		return s, &backend.Error{Kind: backend.KindFailed, Op: "sample", Message: err.Error(), Err: err}
	}
	s.Guest = m.Guest()
	st, err := b.fs.Stat()
	if err != nil {
		return s, &backend.Error{Kind: backend.KindFailed, Op: "sample", Message: err.Error(), Err: err}
	}
	s.CPUPercent = b.cpuPercent(0, st.CPU)
	s.CPU = st.Counters()
	b.selfMu.Lock()
	if buf, err := b.fs.AppendFile(b.selfBuf[:0], "self/stat", true); err == nil {
		b.selfBuf = buf
		if t, ok := selfTicks(buf); ok {
			s.SelfTicks = &t // this process: the dashboard itself is what runs in the VM
		}
	}
	b.selfMu.Unlock()
	if p, err := b.fs.Pressure("memory"); err == nil {
		some := p.Some
		s.MemoryPressure = &some
	}
	b.attachDistroMemory(&s) // distromem.go
	return s, nil
}

// Release lets go of a distro the dashboard holds: the probe stops if it runs there, a distro
// kept alive by Start is let go, and the distro is not picked for probing again until Start or
// Watch is called for it. WSL then stops it after its idle timeout.
func (b *Backend) Release(distro string) {
	b.mu.Lock()
	k := key(distro)
	b.released[k] = true
	var p *probe
	if b.probe != nil && key(b.probe.distro) == k {
		p, b.probe = b.probe, nil
	}
	h := b.held[k]
	delete(b.held, k)
	b.mu.Unlock()
	if p != nil {
		p.stop()
	}
	if h != nil {
		h.Stop()
	}
}

// Watch undoes Release: the distro may be probed again when it runs.
func (b *Backend) Watch(distro string) {
	b.mu.Lock()
	delete(b.released, key(distro))
	b.probeNext = time.Time{}
	b.mu.Unlock()
}

// ProbeDistro is the distro the probe runs in, or "".
func (b *Backend) ProbeDistro() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.probe == nil || b.probe.dead() {
		return ""
	}
	return b.probe.distro
}
