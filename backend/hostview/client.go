package hostview

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

// ProgramVersion is this wsldash's version, compared with the helper's (cmd/wsldash sets it).
var ProgramVersion = "dev"

// Clock is the time the client's timeouts and back-off run on (tests inject a fake).
type Clock interface {
	Now() time.Time
	// After fires once d has passed (at once when d <= 0).
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// ClientOptions configure NewClient. The zero value locates the helper and runs it at 1 s.
type ClientOptions struct {
	Exe  string   // the helper; "" = Locate()
	Args []string // default: host --watch --json --refresh <Interval>
	// Interval is the refresh rate asked of the helper, default 1s.
	Interval time.Duration
	// Timeout: a helper that prints no line for this long is taken as hung, default
	// max(3*Interval, 10s) (a host sample may wait up to 5 s for HCS).
	Timeout time.Duration
	// MinBackoff and MaxBackoff bound the wait before a restart (doubling from Min), default 1s
	// and 1 min. A helper that ran HealthyAfter (default 30s) before failing restarts after Min.
	MinBackoff, MaxBackoff, HealthyAfter time.Duration
	Clock                                Clock  // default: the wall clock
	Version                              string // this program's version, default ProgramVersion
	// OnEvent sees what the client does (tests and diagnostics); called from its goroutine.
	OnEvent func(Event)

	locate func() (Found, error)
}

// EventKind is what happened to the helper.
type EventKind int

const (
	EventStarted  EventKind = iota // a helper process was started
	EventLine                      // a valid line was read (Event.Line is its type)
	EventDegraded                  // the host view is gone; Event.Note says why, Event.Retry when it restarts (0: never)
)

// Event is reported to ClientOptions.OnEvent.
type Event struct {
	Kind  EventKind
	Line  string
	Note  string
	Retry time.Duration
}

// Client runs the helper for the whole life of the program and serves its newest answers. It
// implements the wsl backend's HostSource: Sample, Registrations, DiskUsage never block on the
// helper (the first call starts it, in the background); Ready waits for its first answer.
type Client struct {
	opts  ClientOptions
	once  sync.Once
	stop  chan struct{}
	done  chan struct{}
	first chan struct{} // closed at the first host line, or the first failure

	mu        sync.Mutex
	started   bool
	closed    bool
	firstDone bool
	host      *backend.HostView // nil while degraded or not yet answered
	regs      []Registration
	haveRegs  bool
	verNote   string // the helper's program version differs
	note      string // why there is no host view ("" = fine or not yet known)
	retryAt   time.Time
	starts    int
}

// NewClient makes a client; nothing runs until the first call that needs the helper.
func NewClient(opts ClientOptions) *Client {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.Timeout <= 0 {
		opts.Timeout = max(3*opts.Interval, 10*time.Second)
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = time.Second
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(time.Minute, opts.MinBackoff)
	}
	if opts.HealthyAfter <= 0 {
		opts.HealthyAfter = 30 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.Version == "" {
		opts.Version = ProgramVersion
	}
	if opts.Args == nil {
		opts.Args = []string{"host", "--watch", "--json", "--refresh", opts.Interval.String()}
	}
	if opts.locate == nil {
		opts.locate = Locate
		if opts.Exe != "" {
			exe := opts.Exe
			opts.locate = func() (Found, error) { return Found{Path: exe, Via: "option"}, nil }
		}
	}
	return &Client{opts: opts, stop: make(chan struct{}), done: make(chan struct{}), first: make(chan struct{})}
}

// start runs the helper's goroutine once.
func (c *Client) start() {
	c.once.Do(func() {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return
		}
		c.started = true
		c.mu.Unlock()
		go c.loop()
	})
}

// Ready waits until the helper has answered (a host line, or a failure), or ctx is done. The
// CLI's one-shot commands call it so `stats --json` and `list --json` carry the host's data;
// the dashboard does not, and shows the guest at once.
func (c *Client) Ready(ctx context.Context) error {
	c.start()
	select {
	case <-c.first:
		return nil
	case <-c.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Sample is the newest host view. While the helper is failing it is a view with only Note set
// (why, and when it restarts); before its first answer an error of kind KindNotRunning.
func (c *Client) Sample(ctx context.Context) (*backend.HostView, error) {
	c.start()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.host != nil {
		hv := *c.host
		if c.verNote != "" {
			hv.Note = joinNote(hv.Note, c.verNote)
		}
		return &hv, nil
	}
	if c.note != "" {
		n := c.note
		if !c.retryAt.IsZero() {
			if left := c.retryAt.Sub(c.opts.Clock.Now()); left >= time.Second {
				n += fmt.Sprintf("; restarting in %s", left.Round(time.Second))
			} else {
				n += "; restarting"
			}
		}
		return &backend.HostView{Note: n}, nil
	}
	return nil, &backend.Error{Kind: backend.KindNotRunning, Op: "host", Message: "waiting for the host helper"}
}

// Registrations are the helper's last registrations (kept while it restarts: the registry
// changes rarely), or an error before it sent any.
func (c *Client) Registrations() ([]winhost.Registration, error) {
	c.start()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.haveRegs {
		msg := "the host helper has not sent the registrations"
		if c.note != "" {
			msg = c.note
		}
		return nil, &backend.Error{Kind: backend.KindNotRunning, Op: "registry", Message: msg}
	}
	out := make([]winhost.Registration, len(c.regs))
	for i, r := range c.regs {
		out[i] = r.Winhost()
	}
	return out, nil
}

// DiskUsage is the size the helper reported for that disk path (compared case-insensitively).
func (c *Client) DiskUsage(path string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.regs {
		if r.DiskBytes != nil && strings.EqualFold(r.DiskPath, path) {
			return *r.DiskBytes, nil
		}
	}
	return 0, &backend.Error{Kind: backend.KindNotFound, Op: "disk", Message: "the host helper reported no size for " + path}
}

// Starts is how many helper processes were started.
func (c *Client) Starts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.starts
}

// Close stops the helper (its stdin is closed, then it is killed if it lingers) and waits for it.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	started := c.started
	c.mu.Unlock()
	c.once.Do(func() {}) // no start after Close
	close(c.stop)
	if started {
		<-c.done
	}
	return nil
}

func (c *Client) emit(e Event) {
	if c.opts.OnEvent != nil {
		c.opts.OnEvent(e)
	}
}

func (c *Client) markFirst() {
	if !c.firstDone {
		c.firstDone = true
		close(c.first)
	}
}

// degrade drops the host view and says why; retry 0 means no restart.
func (c *Client) degrade(note string, retry time.Duration) {
	c.mu.Lock()
	c.host = nil
	c.note = note
	c.retryAt = time.Time{}
	if retry > 0 {
		c.retryAt = c.opts.Clock.Now().Add(retry)
	}
	c.markFirst()
	c.mu.Unlock()
	c.emit(Event{Kind: EventDegraded, Note: note, Retry: retry})
}

func (c *Client) loop() {
	defer close(c.done)
	found, err := c.opts.locate()
	if err != nil {
		c.degrade(err.Error(), 0)
		return
	}
	backoff := c.opts.MinBackoff
	for {
		began := c.opts.Clock.Now()
		note, permanent := c.runOnce(found.Path)
		if note == "" { // stopped
			return
		}
		if permanent {
			c.degrade(note, 0)
			return
		}
		if c.opts.Clock.Now().Sub(began) >= c.opts.HealthyAfter {
			backoff = c.opts.MinBackoff
		}
		c.degrade(note, backoff)
		c.mu.Lock()
		wait := c.retryAt.Sub(c.opts.Clock.Now()) // from the deadline: a clock moved meanwhile counts
		c.mu.Unlock()
		select {
		case <-c.stop:
			return
		case <-c.opts.Clock.After(wait):
		}
		backoff = min(2*backoff, c.opts.MaxBackoff)
	}
}

type readResult struct {
	line []byte
	err  error // io.EOF at the end
}

// closeGrace is how long a helper may take to exit after its stdin is closed.
const closeGrace = 2 * time.Second

// runOnce runs one helper process until it fails (a note, and whether restarting is pointless)
// or the client stops ("" note).
func (c *Client) runOnce(exe string) (note string, permanent bool) {
	cmd := exec.Command(exe, c.opts.Args...)
	cmd.Env = os.Environ()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "host helper: " + err.Error(), false
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "host helper: " + err.Error(), false
	}
	tail := &tailBuffer{max: 512}
	cmd.Stderr = tail
	// A wrapper's children (wine's wineserver) may keep stderr open after the helper exits.
	cmd.WaitDelay = closeGrace
	if err := cmd.Start(); err != nil {
		if errors.Is(err, syscall.ENOEXEC) {
			// A .exe the kernel cannot run: WSL interop is off, and will stay off for this run.
			return fmt.Sprintf("cannot run %s: Windows programs do not run here (WSL interop off?)", exe), true
		}
		return fmt.Sprintf("cannot start the host helper %s: %v", exe, err), false
	}
	c.mu.Lock()
	c.starts++
	c.mu.Unlock()
	c.emit(Event{Kind: EventStarted})

	lines := make(chan readResult, 1)
	quit := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 4096), MaxLine+1)
		for sc.Scan() {
			b := append([]byte(nil), sc.Bytes()...)
			select {
			case lines <- readResult{line: b}:
			case <-quit:
				return
			}
		}
		err := sc.Err()
		if err == nil {
			err = io.EOF
		}
		select {
		case lines <- readResult{err: err}:
		case <-quit:
		}
	}()
	finish := func(graceful bool) error {
		stdin.Close()
		if !graceful {
			cmd.Process.Kill()
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		var werr error
		select {
		case werr = <-exited:
		case <-time.After(closeGrace):
			cmd.Process.Kill()
			werr = <-exited
		}
		close(quit)
		return werr
	}

	clk := c.opts.Clock
	// One timer at a time, not one per line: each line only moves the deadline, and the timer is
	// re-armed for what is left when it fires early.
	deadline := clk.Now().Add(c.opts.Timeout)
	timer := clk.After(c.opts.Timeout)
	sawHello := false
	for {
		select {
		case <-c.stop:
			finish(true)
			return "", false
		case <-timer:
			if left := deadline.Sub(clk.Now()); left > 0 {
				timer = clk.After(left)
				continue
			}
			finish(false)
			return fmt.Sprintf("the host helper printed nothing for %s", c.opts.Timeout), false
		case r := <-lines:
			if r.err != nil {
				werr := finish(true)
				why := "exited"
				if werr != nil {
					why = "exited (" + werr.Error() + ")"
				}
				if r.err != io.EOF {
					why = "printed a bad line: " + r.err.Error()
				}
				if s := tail.lastLine(); s != "" {
					why += ": " + s
				}
				if !sawHello && strings.Contains(tail.String(), `unknown command "host"`) {
					return fmt.Sprintf("%s has no host helper (an older wsldash?): install the Windows build of wsldash %s", exe, c.opts.Version), true
				}
				return "the host helper " + why, false
			}
			deadline = clk.Now().Add(c.opts.Timeout)
			l, err := Decode(r.line)
			var verr *VersionError
			switch {
			case errors.As(err, &verr):
				finish(false)
				return fmt.Sprintf("%s (%s): install the Windows build of wsldash %s beside it", verr.Error(), exe, c.opts.Version), true
			case err != nil:
				finish(false)
				return "the host helper printed garbage: " + err.Error(), false
			case !sawHello && l.Type != TypeHello:
				finish(false)
				return "the host helper printed garbage: the first line is not a hello", false
			}
			c.take(l, &sawHello)
		}
	}
}

// take applies one decoded line.
func (c *Client) take(l Line, sawHello *bool) {
	c.mu.Lock()
	switch l.Type {
	case TypeHello:
		*sawHello = true
		c.verNote = ""
		if l.Version != c.opts.Version {
			c.verNote = fmt.Sprintf("host helper is wsldash %s, this is %s", cmpOr(l.Version, "unknown"), c.opts.Version)
		}
	case TypeHost:
		if l.Host != nil {
			hv := *l.Host
			c.host = &hv
		} else {
			c.host = &backend.HostView{Note: "host: " + firstLine(l.Error)}
		}
		c.note, c.retryAt = "", time.Time{}
		c.markFirst()
	case TypeRegistrations:
		if l.Registrations != nil {
			c.regs = append(c.regs[:0:0], (*l.Registrations)...)
			c.haveRegs = true
		}
	}
	c.mu.Unlock()
	c.emit(Event{Kind: EventLine, Line: l.Type})
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}

// tailBuffer keeps the last max bytes written (the helper's stderr, for the note).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

func (t *tailBuffer) lastLine() string {
	s := strings.TrimSpace(t.String())
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return s
}
