package wsl

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/procfs"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
)

const readyLine = "wsldash-ready"

// keepaliveScript prints a line once the distro runs, then holds it with `sleep infinity`.
const keepaliveScript = "echo " + readyLine + "; exec sleep infinity"

// checkName refuses, before wsl.exe is asked, a name no registered distro can have.
func (b *Backend) checkName(op, distro string) error {
	if !backend.IsDistroName(distro) {
		return &backend.Error{Kind: backend.KindNotFound, Op: op, Distro: distro, Message: fmt.Sprintf("%q is not a valid distro name", distro)}
	}
	return b.ready(op)
}

// Start starts the distro and keeps it running with a held child
// (`wsl.exe -d X --exec sh -c 'echo ready; exec sleep infinity'`) until Terminate, Release,
// Shutdown or Close. It returns once the distro has answered (at most 3×Timeout: a cold VM boot
// takes seconds). Starting also undoes Release for that distro.
func (b *Backend) Start(ctx context.Context, distro string) error {
	if err := b.checkName("start", distro); err != nil {
		return err
	}
	k := key(distro)
	b.mu.Lock()
	delete(b.released, k)
	b.probeNext = time.Time{}
	if h := b.held[k]; h != nil {
		select {
		case <-h.Done():
		default:
			b.mu.Unlock()
			return nil
		}
	}
	b.mu.Unlock()
	proc, err := b.run.Start(context.Background(), "-d", distro, "--exec", "sh", "-c", keepaliveScript)
	if err != nil {
		return err
	}
	ready := make(chan bool, 1)
	var head bytes.Buffer
	go func() {
		sc := bufio.NewScanner(proc.Stdout())
		ok := false
		for sc.Scan() {
			if sc.Text() == readyLine {
				ok = true
				break
			}
			if head.Len() < 4096 {
				head.Write(sc.Bytes())
				head.WriteByte('\n')
			}
		}
		ready <- ok
		io.Copy(io.Discard, proc.Stdout())
	}()
	timeout := 3 * b.opts.Timeout
	select {
	case ok := <-ready:
		if !ok {
			code, _ := proc.Wait()
			return withDistro(wslexe.ExitError("start", wslexe.Result{Stdout: head.Bytes(), Stderr: proc.Stderr(), ExitCode: code}), distro)
		}
	case <-ctx.Done():
		proc.Stop()
		return ctx.Err()
	case <-time.After(timeout):
		proc.Stop()
		return &backend.Error{Kind: backend.KindTimeout, Op: "start", Distro: distro,
			Message: fmt.Sprintf("wsl.exe did not respond within %s", timeout)}
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		proc.Stop()
		return &backend.Error{Kind: backend.KindFailed, Op: "start", Message: "backend closed"}
	}
	b.held[k] = proc
	b.listOK = false
	b.mu.Unlock()
	go func() {
		<-proc.Done()
		b.mu.Lock()
		if b.held[k] == proc {
			delete(b.held, k)
		}
		b.listOK = false
		b.mu.Unlock()
	}()
	return nil
}

// stopping marks distro ("*" = all) as being stopped, so no probe is started in it meanwhile
// from a list that still says Running; the returned func unmarks it and forgets the list.
func (b *Backend) stopping(distro string) func() {
	k := key(distro)
	b.mu.Lock()
	b.stop[k]++
	b.listOK = false
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		if b.stop[k]--; b.stop[k] <= 0 {
			delete(b.stop, k)
		}
		b.listOK = false
		b.mu.Unlock()
	}
}

// letGo stops the probe (if it runs in distro, or in any distro when distro is "") and the held
// children of distro (or all).
func (b *Backend) letGo(distro string) {
	k := key(distro)
	b.mu.Lock()
	var p *probe
	if b.probe != nil && (distro == "" || key(b.probe.distro) == k) {
		p, b.probe = b.probe, nil
	}
	var hs []*wslexe.Proc
	for hk, h := range b.held {
		if distro == "" || hk == k {
			hs = append(hs, h)
			delete(b.held, hk)
		}
	}
	b.mu.Unlock()
	if p != nil {
		p.stop()
	}
	for _, h := range hs {
		h.Stop()
	}
}

// Terminate lets go of the distro and runs `wsl.exe -t X`.
func (b *Backend) Terminate(ctx context.Context, distro string) error {
	if err := b.checkName("terminate", distro); err != nil {
		return err
	}
	defer b.stopping(distro)()
	b.letGo(distro)
	_, err := b.run.Run(ctx, "-t", distro)
	return withDistro(err, distro)
}

// Shutdown lets go of everything and runs `wsl.exe --shutdown [--force]`.
func (b *Backend) Shutdown(ctx context.Context, force bool) error {
	if err := b.ready("shutdown"); err != nil {
		return err
	}
	defer b.stopping("*")()
	b.letGo("")
	args := []string{"--shutdown"}
	if force {
		args = append(args, "--force")
	}
	_, err := b.run.Run(ctx, args...)
	return err
}

// SetDefault runs `wsl.exe -s X`.
func (b *Backend) SetDefault(ctx context.Context, distro string) error {
	if err := b.checkName("set-default", distro); err != nil {
		return err
	}
	defer b.invalidate()
	_, err := b.run.Run(ctx, "-s", distro)
	return withDistro(err, distro)
}

func withDistro(err error, distro string) error {
	if be, ok := err.(*backend.Error); ok && be.Distro == "" {
		be.Distro = distro
	}
	return err
}

// running returns the distro's entry if it is Running, else a KindNotRunning (or not-found)
// error: the guest commands below must never boot a stopped distro.
func (b *Backend) running(ctx context.Context, op, distro string) (string, error) {
	ds, err := b.Distros(ctx)
	if err != nil {
		return "", err
	}
	for _, d := range ds {
		if (distro == "" && d.Default) || (distro != "" && strings.EqualFold(d.Name, distro)) {
			if d.State != backend.StateRunning {
				return "", &backend.Error{Kind: backend.KindNotRunning, Op: op, Distro: d.Name,
					Message: "not running (wsldash does not start a distro to look at it)"}
			}
			return d.Name, nil
		}
	}
	if distro == "" {
		return "", &backend.Error{Kind: backend.KindNotFound, Op: op, Message: "there is no default distro"}
	}
	return "", &backend.Error{Kind: backend.KindNotFound, Op: op, Distro: distro, Message: "no such distro"}
}

// KillProcess runs `wsl.exe -d X -u root --exec kill -s SIG PID` in a running distro, with the
// signal asked for (TERM or KILL).
func (b *Backend) KillProcess(ctx context.Context, distro string, pid int, sig backend.Signal) error {
	if err := b.ready("kill"); err != nil {
		return err
	}
	if err := backend.CheckKill(pid, "", sig); err != nil {
		return withDistro(err, distro)
	}
	name, err := b.running(ctx, "kill", distro)
	if err != nil {
		return err
	}
	_, err = b.run.Run(ctx, "-d", name, "-u", "root", "--exec", "kill", "-s", string(sig), strconv.Itoa(pid))
	return withDistro(err, name)
}

// reclaimScript runs as root: meminfo before, the action, meminfo after. Exit 4 means
// memory.reclaim is absent.
func reclaimScript(mode backend.ReclaimMode) (string, error) {
	var action string
	switch mode {
	case backend.ReclaimDropCache:
		action = "sync; echo 1 > /proc/sys/vm/drop_caches || exit 3"
	case backend.ReclaimCompact:
		action = "echo 1 > /proc/sys/vm/compact_memory || exit 3"
	case backend.ReclaimGradual:
		// Ask cgroup v2 proactive reclaim for the droppable cache (cache less shmem and dirty).
		action = `[ -w /sys/fs/cgroup/memory.reclaim ] || exit 4
n=0; s=0
while read -r k v u; do case "$k" in Buffers:|Cached:|SReclaimable:) s=$((s+v));; Shmem:|Dirty:) n=$((n+v));; esac; done < /proc/meminfo
r=$(( (s-n) * 1024 )); [ "$r" -gt 0 ] || r=0
echo "$r" > /sys/fs/cgroup/memory.reclaim 2>/dev/null || true`
	default:
		return "", &backend.Error{Kind: backend.KindUnsupported, Op: "reclaim", Message: fmt.Sprintf("unknown reclaim mode %q", mode)}
	}
	return "echo '@@wsldash before'; cat /proc/meminfo\n" + action + "\necho '@@wsldash after'; cat /proc/meminfo\n", nil
}

// Reclaim gives memory back as root inside a running distro (the probed one, else the default if
// it runs, else the first running one): dropcache, compact, or gradual (cgroup v2
// memory.reclaim). It reports the cache before and after, read in the same call.
func (b *Backend) Reclaim(ctx context.Context, mode backend.ReclaimMode) (backend.ReclaimResult, error) {
	res := backend.ReclaimResult{Mode: mode}
	if err := b.ready("reclaim"); err != nil {
		return res, err
	}
	script, err := reclaimScript(mode)
	if err != nil {
		return res, err
	}
	name := b.ProbeDistro()
	if name == "" {
		ds, err := b.Distros(ctx)
		if err != nil {
			return res, err
		}
		if name, err = pickProbeDistro(ds, nil); err != nil {
			err.(*backend.Error).Op = "reclaim"
			return res, err
		}
	}
	res.Where = name
	out, err := b.run.Run(ctx, "-d", name, "-u", "root", "--exec", "sh", "-c", script)
	if err != nil {
		if out.ExitCode == 4 && mode == backend.ReclaimGradual {
			return res, &backend.Error{Kind: backend.KindUnsupported, Op: "reclaim", Distro: name,
				Message: "/sys/fs/cgroup/memory.reclaim is absent (cgroup v1 or an older kernel); use dropcache"}
		}
		return res, withDistro(err, name)
	}
	before, after, err := parseReclaim(out.Stdout)
	if err != nil {
		return res, err
	}
	res.CacheBefore, res.CacheAfter = before, after
	return res, nil
}

// parseReclaim reads the cache from the two meminfo sections of the reclaim script's output.
func parseReclaim(out []byte) (before, after uint64, err error) {
	_, rest, ok1 := bytes.Cut(out, []byte("@@wsldash before\n"))
	b1, a1, ok2 := bytes.Cut(rest, []byte("@@wsldash after\n"))
	if !ok1 || !ok2 {
		return 0, 0, &backend.Error{Kind: backend.KindParse, Op: "reclaim", Message: "unexpected output from the reclaim script"}
	}
	mb, err := procfs.ParseMeminfo(b1)
	if err != nil {
		return 0, 0, &backend.Error{Kind: backend.KindParse, Op: "reclaim", Message: err.Error(), Err: err}
	}
	ma, err := procfs.ParseMeminfo(a1)
	if err != nil {
		return 0, 0, &backend.Error{Kind: backend.KindParse, Op: "reclaim", Message: err.Error(), Err: err}
	}
	return mb.Guest().CacheBytes, ma.Guest().CacheBytes, nil
}
