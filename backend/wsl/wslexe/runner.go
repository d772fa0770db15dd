// Package wslexe runs wsl.exe: argv only (never a shell string), with WSL_UTF8=1 passed (and
// forwarded through WSLENV when called from inside Linux), a timeout on every call that kills the
// whole process tree, output decoded whatever encoding wsl.exe chose, and failures turned into
// *backend.Error with WSL's own error code. It also starts long-lived wsl.exe children (the probe,
// keep-alives) whose stdout is read as a stream, and reports every invocation to a hook so callers
// can count calls.
//
// os/exec is used directly: the parts added here (encoding sniffing, exit-code conventions of
// wsl.exe, process-group kill) are specific to wsl.exe and no library covers them.
package wslexe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/wslout"
)

// DefaultTimeout bounds every wsl.exe call unless configured otherwise. Some wsl.exe builds block
// forever (Tailscale saw it with -l); 10 s is what Tailscale settled on too.
const DefaultTimeout = 10 * time.Second

// EnvExe names the environment variable that overrides where wsl.exe is.
const EnvExe = "WSLDASH_WSL_EXE"

// Call is one invocation, reported to Runner.OnCall when it ends (Run) or starts (Start).
type Call struct {
	Args     []string
	Duration time.Duration
	Long     bool // a long-lived child started with Start
	Err      error
}

// Runner runs one wsl.exe. The zero value is not usable; use New.
type Runner struct {
	Exe     string
	Timeout time.Duration
	// OnCall, when set, is called after every Run and when a Start succeeds or fails.
	OnCall func(Call)
	env    []string
}

// New makes a runner for the wsl.exe at exe with the given per-call timeout (DefaultTimeout if
// <= 0).
func New(exe string, timeout time.Duration) *Runner {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Runner{Exe: exe, Timeout: timeout, env: Env(os.Environ())}
}

// Env returns base plus WSL_UTF8=1 and a WSLENV that forwards WSL_UTF8 across the Linux→Windows
// boundary (appended once to any existing WSLENV).
func Env(base []string) []string {
	out := make([]string, 0, len(base)+2)
	wslenv := ""
	for _, kv := range base {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case envKeyEq(k, "WSL_UTF8"):
			continue
		case envKeyEq(k, "WSLENV"):
			wslenv = v
			continue
		}
		out = append(out, kv)
	}
	has := false
	for _, item := range strings.Split(wslenv, ":") {
		name, _, _ := strings.Cut(item, "/")
		if name == "WSL_UTF8" {
			has = true
		}
	}
	switch {
	case wslenv == "":
		wslenv = "WSL_UTF8"
	case !has:
		wslenv += ":WSL_UTF8"
	}
	return append(out, "WSL_UTF8=1", "WSLENV="+wslenv)
}

func envKeyEq(a, b string) bool {
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// Find locates wsl.exe: explicit if given, else $WSLDASH_WSL_EXE, else wsl.exe on PATH, else the
// standard place (%SystemRoot%\System32\wsl.exe on Windows, /mnt/c/Windows/System32/wsl.exe
// inside WSL). A miss is a *backend.Error of KindNotFound naming where it looked.
func Find(explicit string) (string, error) {
	check := func(p, from string) (string, error) {
		st, err := os.Stat(p)
		if err != nil || st.IsDir() {
			return "", &backend.Error{Kind: backend.KindNotFound, Op: "find wsl.exe",
				Message: fmt.Sprintf("wsl.exe not found at %s (%s)", p, from)}
		}
		return p, nil
	}
	if explicit != "" {
		return check(explicit, "--wsl-exe")
	}
	if p := os.Getenv(EnvExe); p != "" {
		return check(p, "$"+EnvExe)
	}
	if p, err := exec.LookPath("wsl.exe"); err == nil {
		return p, nil
	}
	std := StandardPath()
	if p, err := check(std, "standard place"); err == nil {
		return p, nil
	}
	return "", &backend.Error{Kind: backend.KindNotFound, Op: "find wsl.exe",
		Message: fmt.Sprintf("wsl.exe not found (looked at $%s, PATH and %s); pass --wsl-exe PATH", EnvExe, std)}
}

// StandardPath is where wsl.exe normally is on this OS.
func StandardPath() string {
	if runtime.GOOS == "windows" {
		root := os.Getenv("SystemRoot")
		if root == "" {
			root = `C:\Windows`
		}
		return filepath.Join(root, "System32", "wsl.exe")
	}
	return "/mnt/c/Windows/System32/wsl.exe"
}

// Result is a finished call's output.
type Result struct {
	Stdout   []byte // raw bytes (a Linux command's own output is relayed unchanged)
	Stderr   []byte
	ExitCode int
}

// Text is stdout decoded (UTF-16 or UTF-8, see wslout.Decode).
func (r Result) Text() string { return wslout.Decode(r.Stdout) }

// IsWSLFailure reports whether an exit code is wsl.exe's own failure: -1, which Go on Windows
// reports as 4294967295 and interop (8-bit) as 255.
func IsWSLFailure(code int) bool { return code == -1 || code == 255 || code == 4294967295 }

func (r *Runner) command(ctx context.Context, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, r.Exe, args...)
	cmd.Env = r.env
	setProcAttr(cmd)
	cmd.WaitDelay = time.Second
	return cmd
}

// Run runs wsl.exe with args and waits, at most r.Timeout. On success it returns the output. A
// non-zero exit becomes a *backend.Error: for wsl.exe's own failures (see IsWSLFailure) with the
// code and message it printed, for a Linux command's exit status with its stderr. The Result is
// returned with the error so callers can look at the output (the no-distros message, for one).
func (r *Runner) Run(ctx context.Context, args ...string) (Result, error) {
	return r.run(ctx, r.Timeout, nil, args)
}

// RunInput is Run with stdin fed from in and its own timeout (0 = r.Timeout).
func (r *Runner) RunInput(ctx context.Context, timeout time.Duration, in io.Reader, args ...string) (Result, error) {
	if timeout <= 0 {
		timeout = r.Timeout
	}
	return r.run(ctx, timeout, in, args)
}

func (r *Runner) run(ctx context.Context, timeout time.Duration, in io.Reader, args []string) (res Result, err error) {
	op, _ := ctx.Value(opKey{}).(*operation)
	if hung := op.hung(); hung != "" {
		// wsl.exe already failed to answer in this operation: the service is not answering, so
		// do not wait another timeout for it.
		return Result{ExitCode: -1}, &backend.Error{Kind: backend.KindTimeout, Op: opName(args),
			Message: "not asked: wsl.exe did not answer " + hung + " earlier in this operation", Err: context.DeadlineExceeded}
	}
	start := time.Now()
	defer func() {
		if r.OnCall != nil {
			r.OnCall(Call{Args: append([]string(nil), args...), Duration: time.Since(start), Err: err})
		}
	}()
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := r.command(tctx, args)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr, cmd.Stdin = &out, &errb, in
	runErr := cmd.Start()
	if runErr == nil {
		afterStart(cmd)
		runErr = cmd.Wait()
	}
	res = Result{Stdout: out.Bytes(), Stderr: errb.Bytes()}
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	if errors.Is(runErr, exec.ErrWaitDelay) && cmd.ProcessState != nil && cmd.ProcessState.Exited() && tctx.Err() == nil {
		// wsl.exe exited, but a process it left behind still holds its stdout or stderr: what
		// wsl.exe said is all there is, so its exit status stands (WaitDelay bounded the wait).
		runErr = nil
		if !cmd.ProcessState.Success() {
			runErr = &exec.ExitError{ProcessState: cmd.ProcessState}
		}
	}
	if runErr == nil {
		return res, nil
	}
	if ctx.Err() == nil && errors.Is(tctx.Err(), context.DeadlineExceeded) {
		op.markHung(fmt.Sprintf("to %q within %s", "wsl.exe "+strings.Join(args, " "), timeout))
		return res, &backend.Error{Kind: backend.KindTimeout, Op: opName(args),
			Message: fmt.Sprintf("wsl.exe did not respond within %s", timeout), Err: context.DeadlineExceeded}
	}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	return res, r.classify(args, runErr, res)
}

// operation is shared by the calls of one operation (see Operation).
type operation struct {
	mu   sync.Mutex
	what string // the call that timed out, "" while none has
}

type opKey struct{}

func (o *operation) hung() string {
	if o == nil {
		return ""
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.what
}

func (o *operation) markHung(what string) {
	if o == nil {
		return
	}
	o.mu.Lock()
	if o.what == "" {
		o.what = what
	}
	o.mu.Unlock()
}

// Operation marks ctx as one operation (a list with its fallbacks, an unregister): once a call
// in it times out, every later call in it fails at once with KindTimeout, saying so, instead of
// waiting another timeout for a service that is not answering. A ctx that already is one is
// returned unchanged.
func Operation(ctx context.Context) context.Context {
	if _, ok := ctx.Value(opKey{}).(*operation); ok {
		return ctx
	}
	return context.WithValue(ctx, opKey{}, &operation{})
}

// classify turns a failed run into a *backend.Error.
func (r *Runner) classify(args []string, runErr error, res Result) error {
	op := opName(args)
	var ee *exec.ExitError
	if !errors.As(runErr, &ee) {
		return StartError(r.Exe, op, runErr)
	}
	return ExitError(op, res)
}

// ExitError builds the error for a run that exited non-zero.
func ExitError(op string, res Result) error {
	text := strings.TrimSpace(wslout.Decode(res.Stdout) + "\n" + wslout.DecodeStderr(res.Stderr))
	if IsWSLFailure(res.ExitCode) {
		code, msg := wslout.ParseError(text)
		if msg == "" && code == "" {
			msg = fmt.Sprintf("wsl.exe failed (exit code %d) without a message", res.ExitCode)
		}
		kind := backend.KindFailed
		if code != "" {
			kind = wslout.KindForCode(code)
		}
		return &backend.Error{Kind: kind, Op: op, Message: msg, Code: code}
	}
	_, msg := wslout.ParseError(wslout.DecodeStderr(res.Stderr))
	if msg == "" {
		_, msg = wslout.ParseError(text)
	}
	if msg == "" {
		msg = fmt.Sprintf("command exited with status %d", res.ExitCode)
	} else {
		msg = fmt.Sprintf("%s (exit status %d)", msg, res.ExitCode)
	}
	return &backend.Error{Kind: backend.KindFailed, Op: op, Message: msg}
}

// StartError builds the error for a wsl.exe that could not be started at all.
func StartError(exe, op string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, exec.ErrNotFound):
		return &backend.Error{Kind: backend.KindNotFound, Op: op, Message: fmt.Sprintf("wsl.exe not found at %s", exe), Err: err}
	case errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EACCES):
		return &backend.Error{Kind: backend.KindPermission, Op: op, Message: fmt.Sprintf("not allowed to run %s", exe), Err: err}
	}
	return &backend.Error{Kind: backend.KindFailed, Op: op, Message: fmt.Sprintf("could not run %s: %v", exe, err), Err: err}
}

// opName names a call for error messages: its first flag ("-l", "--export") or "exec".
func opName(args []string) string {
	for _, a := range args {
		switch a {
		case "-l", "--list":
			return "list"
		case "--status":
			return "status"
		case "--version":
			return "version"
		case "-t", "--terminate":
			return "terminate"
		case "--shutdown":
			return "shutdown"
		case "-s", "--set-default":
			return "set-default"
		case "--export":
			return "export"
		case "--import":
			return "import"
		case "--unregister":
			return "unregister"
		case "--exec", "-e", "--":
			return "exec"
		}
	}
	return "wsl.exe"
}

// Proc is a long-lived wsl.exe child.
type Proc struct {
	cmd    *exec.Cmd
	stdout io.ReadCloser
	stdin  io.WriteCloser // nil unless started with StartInput
	stderr *lockedBuffer
	done   chan struct{}
	err    error // set before done closes
	code   int
	once   sync.Once
	cancel context.CancelFunc
}

// Start starts wsl.exe with args and returns at once. Read its stdout with Stdout; it runs until
// it exits, ctx ends or Stop is called. There is no timeout: the caller bounds what it waits for.
func (r *Runner) Start(ctx context.Context, args ...string) (p *Proc, err error) {
	return r.start(ctx, false, args)
}

// StartInput is Start with a pipe to the child's stdin (Stdin); closing it ends its input.
func (r *Runner) StartInput(ctx context.Context, args ...string) (p *Proc, err error) {
	return r.start(ctx, true, args)
}

func (r *Runner) start(ctx context.Context, input bool, args []string) (p *Proc, err error) {
	start := time.Now()
	defer func() {
		if r.OnCall != nil {
			r.OnCall(Call{Args: append([]string(nil), args...), Duration: time.Since(start), Long: true, Err: err})
		}
	}()
	cctx, cancel := context.WithCancel(ctx)
	cmd := r.command(cctx, args)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		cancel()
		return nil, err
	}
	p = &Proc{cmd: cmd, stdout: stdout, stderr: &lockedBuffer{}, done: make(chan struct{}), cancel: cancel}
	if input {
		if p.stdin, err = cmd.StdinPipe(); err != nil {
			cancel()
			return nil, err
		}
	}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, StartError(r.Exe, opName(args), err)
	}
	afterStart(cmd)
	go func() {
		werr := cmd.Wait()
		p.code = cmd.ProcessState.ExitCode()
		p.err = werr
		close(p.done)
	}()
	return p, nil
}

// Stdout is the child's raw standard output. Read it until EOF before relying on Wait's result.
func (p *Proc) Stdout() io.Reader { return p.stdout }

// Stdin is the pipe to the child's standard input (StartInput only, else nil).
func (p *Proc) Stdin() io.WriteCloser { return p.stdin }

// Done is closed when the child has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Pid is the child's process id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Stderr is what the child has written to stderr so far.
func (p *Proc) Stderr() []byte { return p.stderr.Bytes() }

// Wait waits for the child to exit and returns its exit code and Wait error.
func (p *Proc) Wait() (int, error) {
	<-p.done
	return p.code, p.err
}

// Stop kills the child (and on Linux its process group) and waits for it.
func (p *Proc) Stop() {
	p.once.Do(p.cancel)
	<-p.done
}

// StartDetached starts wsl.exe with args as a child that outlives wsldash: its own session (no
// terminal, so no hangup), no parent-death signal, no console window and outside wsldash's job on
// Windows. It waits (at most r.Timeout, or until ctx ends) for a first line on stdout equal to
// ready, then lets the child go and returns its pid. Stopping it later is the caller's business
// (see Kill).
func (r *Runner) StartDetached(ctx context.Context, ready string, args ...string) (pid int, err error) {
	start := time.Now()
	defer func() {
		if r.OnCall != nil {
			r.OnCall(Call{Args: append([]string(nil), args...), Duration: time.Since(start), Long: true, Err: err})
		}
	}()
	cmd := exec.Command(r.Exe, args...)
	cmd.Env = r.env
	setDetached(cmd)
	rd, wr, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer rd.Close()
	cmd.Stdout = wr // a file, so no copying goroutine ties the child to us
	err = cmd.Start()
	if err != nil && withoutBreakaway(cmd) {
		err = cmd.Start()
	}
	wr.Close()
	if err != nil {
		return 0, StartError(r.Exe, opName(args), err)
	}
	p := cmd.Process
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }() // reaps it if it fails; detached, it outlives us anyway
	type head struct {
		text string
		eof  bool // the child closed its stdout: it is exiting
	}
	got := make(chan head, 1)
	go func() {
		var h bytes.Buffer
		buf := make([]byte, 512)
		for h.Len() < 4096 {
			n, err := rd.Read(buf)
			h.Write(buf[:n])
			if line, _, ok := strings.Cut(h.String(), "\n"); ok && strings.TrimSpace(line) == ready {
				got <- head{text: ready}
				return
			}
			if err != nil {
				got <- head{text: h.String(), eof: true}
				return
			}
		}
		got <- head{text: h.String()}
	}()
	fail := func(e error) (int, error) {
		p.Kill()
		<-exited
		return 0, e
	}
	select {
	case h := <-got:
		if h.text == ready && !h.eof {
			return p.Pid, nil
		}
		if !h.eof {
			p.Kill()
		}
		<-exited
		return 0, ExitError(opName(args), Result{Stdout: []byte(h.text), ExitCode: cmd.ProcessState.ExitCode()})
	case <-ctx.Done():
		return fail(ctx.Err())
	case <-time.After(r.Timeout):
		return fail(&backend.Error{Kind: backend.KindTimeout, Op: opName(args), Message: fmt.Sprintf("wsl.exe did not respond within %s", r.Timeout)})
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 64<<10 { // keep the first 64 KiB; a runaway child must not eat memory
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]byte(nil), l.b.Bytes()...)
}
