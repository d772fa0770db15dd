package wsl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/procfs"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
)

// probeScript prints a frame every $1 seconds. Only sh builtins and cat are used, so it runs on
// any distro (busybox included); the stat section keeps just the cpu lines (the intr line can be
// kilobytes long).
const probeScript = `i="$1"
while :; do
echo '@@wsldash meminfo'
cat /proc/meminfo
echo '@@wsldash stat'
while read -r l; do case "$l" in cpu*) echo "$l";; *) break;; esac; done < /proc/stat
echo '@@wsldash psi'
cat /proc/pressure/memory 2>/dev/null
echo '@@wsldash end'
sleep "$i" || exit 0
done`

// probeRetryAfterTimeout is how long Sample waits before starting a new probe after one hung.
const probeRetryAfterTimeout = 30 * time.Second

// frame is one parsed probe output.
type frame struct {
	seq   uint64
	guest backend.GuestMemory
	cpu   procfs.CPUTimes
	psi   *backend.Pressure
}

// probe is the long-lived wsl.exe that streams /proc from one distro.
type probe struct {
	distro string
	proc   *wslexe.Proc
	first  chan struct{} // closed at the first frame or at exit

	mu      sync.Mutex
	last    frame
	have    bool
	err     error // why the stream ended or failed to parse
	firstOK sync.Once
}

func (p *probe) dead() bool {
	select {
	case <-p.proc.Done():
		return true
	default:
		return false
	}
}

func (p *probe) stop() { p.proc.Stop() }

// read parses frames from the stream until it ends.
func (p *probe) read() {
	defer p.firstOK.Do(func() { close(p.first) })
	sc := bufio.NewScanner(p.proc.Stdout())
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var section string
	var mem, stat, psi bytes.Buffer
	var seq uint64
	var head bytes.Buffer // output before any frame: wsl.exe's own error text
	for sc.Scan() {
		line := sc.Bytes()
		if s, ok := bytes.CutPrefix(line, []byte("@@wsldash ")); ok {
			section = string(s)
			if section == "end" {
				seq++
				f, err := parseFrame(mem.Bytes(), stat.Bytes(), psi.Bytes())
				p.mu.Lock()
				if err != nil {
					p.err = err
				} else {
					f.seq = seq
					p.last, p.have, p.err = f, true, nil
				}
				p.mu.Unlock()
				p.firstOK.Do(func() { close(p.first) })
				mem.Reset()
				stat.Reset()
				psi.Reset()
			}
			continue
		}
		var dst *bytes.Buffer
		switch section {
		case "meminfo":
			dst = &mem
		case "stat":
			dst = &stat
		case "psi":
			dst = &psi
		case "":
			if head.Len() < 4096 {
				dst = &head
			}
		}
		if dst != nil {
			dst.Write(line)
			dst.WriteByte('\n')
		}
	}
	code, _ := p.proc.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.have && code != 0:
		p.err = wslexe.ExitError("probe", wslexe.Result{Stdout: head.Bytes(), Stderr: p.proc.Stderr(), ExitCode: code})
	case p.err == nil || p.have:
		p.err = &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Distro: p.distro,
			Message: "the probe ended (the distro stopped?)"}
	}
}

func parseFrame(mem, stat, psi []byte) (frame, error) {
	var f frame
	m, err := procfs.ParseMeminfo(mem)
	if err != nil {
		return f, &backend.Error{Kind: backend.KindParse, Op: "probe", Message: "meminfo: " + err.Error(), Err: err}
	}
	f.guest = m.Guest()
	s, err := procfs.ParseStat(stat)
	if err != nil {
		return f, &backend.Error{Kind: backend.KindParse, Op: "probe", Message: "stat: " + err.Error(), Err: err}
	}
	f.cpu = s.CPU
	if len(bytes.TrimSpace(psi)) > 0 {
		if p, err := procfs.ParsePressure(psi); err == nil {
			some := p.Some
			f.psi = &some
		}
	}
	return f, nil
}

// latest returns the newest frame, or the error that ended the stream.
func (p *probe) latest() (frame, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last, p.have, p.err
}

// errNoneRunning is a fresh error each time (callers set Op).
func errNoneRunning() error {
	return &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "no distro is running; the VM is stopped"}
}

// pickProbeDistro chooses a Running distro that was not released: the default first.
func pickProbeDistro(ds []backend.Distro, released map[string]bool) (string, error) {
	running, pick := 0, ""
	for _, d := range ds {
		if d.State != backend.StateRunning {
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
		_, _, b.probeErr = p.latest()
		if b.probeErr == nil { // the reader has not recorded why yet
			b.probeErr = &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Distro: p.distro,
				Message: "the probe ended (the distro stopped?)"}
		}
		b.probe = nil
		b.listOK = false
		b.probeNext = b.opts.Now().Add(b.opts.ListTTL)
		b.mu.Unlock()
		return nil, b.probeErr
	}
	if b.opts.Now().Before(b.probeNext) && b.probeErr != nil {
		err := b.probeErr
		b.mu.Unlock()
		return nil, err
	}
	b.mu.Unlock()

	ds, err := b.Distros(ctx)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	skip := map[string]bool{}
	for k := range b.released {
		skip[k] = true
	}
	for k := range b.stop {
		skip[k] = true
	}
	if b.stop["*"] > 0 {
		b.mu.Unlock()
		return nil, &backend.Error{Kind: backend.KindNotRunning, Op: "sample", Message: "WSL is shutting down"}
	}
	name, err := pickProbeDistro(ds, skip)
	b.mu.Unlock()
	if err != nil {
		return nil, err
	}
	secs := strconv.FormatFloat(b.opts.ProbeInterval.Seconds(), 'f', -1, 64)
	proc, err := b.run.Start(context.Background(), "-d", name, "--exec", "sh", "-c", probeScript, "wsldash-probe", secs)
	if err != nil {
		return nil, err
	}
	p = &probe{distro: name, proc: proc, first: make(chan struct{})}
	go p.read()
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
	b.mu.Unlock()
	return p, nil
}

// Sample takes one observation: inside WSL from /proc, otherwise the probe's newest frame (the
// first call waits for the first frame, at most Timeout). No wsl.exe call per sample.
func (b *Backend) Sample(ctx context.Context) (backend.Sample, error) {
	s := backend.Sample{Time: b.opts.Now()}
	if b.opts.Host != nil {
		if hv, err := b.opts.Host.Sample(ctx); err == nil {
			s.Host = hv
		}
	}
	if b.inside {
		return b.sampleInside(s)
	}
	if err := b.ready("sample"); err != nil {
		return s, err
	}
	p, err := b.ensureProbe(ctx)
	if err != nil {
		return s, b.vmIdleNote(err)
	}
	select {
	case <-p.first:
	case <-ctx.Done():
		return s, ctx.Err()
	case <-time.After(b.opts.Timeout):
		// A hung probe would make every Sample wait: drop it, and don't try again for a while.
		err := &backend.Error{Kind: backend.KindTimeout, Op: "sample", Distro: p.distro,
			Message: fmt.Sprintf("the probe printed nothing within %s", b.opts.Timeout)}
		b.mu.Lock()
		if b.probe == p {
			b.probe = nil
			b.probeErr = err
			b.probeNext = b.opts.Now().Add(max(b.opts.ListTTL, probeRetryAfterTimeout))
		}
		b.mu.Unlock()
		p.stop()
		return s, err
	}
	f, have, perr := p.latest()
	if !have {
		if perr == nil {
			perr = &backend.Error{Kind: backend.KindFailed, Op: "sample", Distro: p.distro, Message: "the probe gave no data"}
		}
		return s, perr
	}
	s.Guest, s.MemoryPressure = f.guest, f.psi
	s.CPUPercent = b.cpuPercent(f.seq, f.cpu)
	b.attachDistroMemory(&s) // ports.go
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
	if p, err := b.fs.Pressure("memory"); err == nil {
		some := p.Some
		s.MemoryPressure = &some
	}
	b.attachDistroMemory(&s) // ports.go
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
