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
	// Until fires once the clock reaches t (at once when it has). A wait for a deadline uses it
	// rather than After(t - Now()): the clock may move between the two.
	Until(t time.Time) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
func (realClock) Until(t time.Time) <-chan time.Time     { return time.After(time.Until(t)) }

// ClientOptions configure NewClient. The zero value locates the helper and runs it at 1 s.
type ClientOptions struct {
	Exe string // the helper; "" = Locate()
	// Args default to host --watch --json --refresh <the interval>, where the interval is the
	// latest SetInterval's (Interval before any).
	Args []string
	// Interval is the refresh rate asked of the helper, default 1s; SetInterval changes it.
	Interval time.Duration
	// Timeout: a helper that prints no line for this long is taken as hung, default
	// max(3*interval, 10s) (a host sample may wait up to 5 s for HCS). Once SetInterval has
	// changed the interval, a Timeout set here is the least: max(Timeout, 3*interval).
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
	EventInterval                  // the running helper is asked for a new interval (Event.Interval), its timeout follows
)

// Event is reported to ClientOptions.OnEvent.
type Event struct {
	Kind     EventKind
	Line     string
	Note     string
	Retry    time.Duration
	Interval time.Duration
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
	// paced says SetInterval changed the interval (one pending signal, the value is interval).
	paced chan struct{}
	// argsSet and timeoutSet: ClientOptions gave them (else they follow the interval).
	argsSet, timeoutSet bool

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
	interval  time.Duration // the helper's period, Interval until SetInterval
}

// NewClient makes a client; nothing runs until the first call that needs the helper.
func NewClient(opts ClientOptions) *Client {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	timeoutSet := opts.Timeout > 0
	if !timeoutSet {
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
	argsSet := opts.Args != nil
	if opts.locate == nil {
		opts.locate = Locate
		if opts.Exe != "" {
			exe := opts.Exe
			opts.locate = func() (Found, error) { return Found{Path: exe, Via: "option"}, nil }
		}
	}
	return &Client{opts: opts, stop: make(chan struct{}), done: make(chan struct{}), first: make(chan struct{}),
		paced: make(chan struct{}, 1), argsSet: argsSet, timeoutSet: timeoutSet, interval: opts.Interval}
}

// SetInterval changes the helper's refresh rate: the front end samples less often while idle,
// and so should the helper, whose every line wakes this process and interop's relay in the VM.
// d is clamped to MinInterval..MaxInterval. A restarted helper is started with --refresh d
// (with the default Args); the running one is sent `interval d` on its stdin, from the
// client's goroutine, so the caller never waits (calls in quick succession send the latest).
// The hung-helper timeout follows d (see ClientOptions.Timeout), at once for the running helper.
// An older helper ignores the line and goes on printing at its --refresh: harmless, the client
// only reads more lines than it needs. Safe to call from any goroutine, before or after start.
func (c *Client) SetInterval(d time.Duration) {
	d = min(max(d, MinInterval), MaxInterval)
	c.mu.Lock()
	c.interval = d
	c.mu.Unlock()
	select {
	case c.paced <- struct{}{}:
	default: // a signal is pending; the loop reads the latest interval
	}
}

// currentInterval is the interval the next helper runs at.
func (c *Client) currentInterval() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.interval
}

// timeoutFor is the hung-helper timeout while the helper runs at d.
func (c *Client) timeoutFor(d time.Duration) time.Duration {
	if d == c.opts.Interval {
		return c.opts.Timeout
	}
	if c.timeoutSet {
		return max(c.opts.Timeout, 3*d)
	}
	return max(3*d, 10*time.Second)
}

// argsFor are the helper's arguments at the interval d.
func (c *Client) argsFor(d time.Duration) []string {
	if c.argsSet {
		return c.opts.Args
	}
	return []string{"host", "--watch", "--json", "--refresh", d.String()}
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
		at := c.retryAt
		c.mu.Unlock()
		select {
		case <-c.stop:
			return
		case <-c.opts.Clock.Until(at): // the deadline, not a duration: the clock may move meanwhile
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
	iv := c.currentInterval()
	cmd := exec.Command(exe, c.argsFor(iv)...)
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
	// The interval requests go to stdin from a goroutine of their own: a helper that does not
	// read them (hung, or about to die) must not hold up this loop, whose timer catches it.
	reqs := make(chan time.Duration, 1)
	go func() {
		for {
			select {
			case d := <-reqs:
				if _, err := io.WriteString(stdin, IntervalRequest(d)); err != nil {
					return // closed: the helper has ended or is being ended
				}
			case <-quit:
				return
			}
		}
	}()
	request := func(d time.Duration) {
		select {
		case <-reqs: // not written yet: replaced by the latest (only this loop sends)
		default:
		}
		reqs <- d
		c.emit(Event{Kind: EventInterval, Interval: d})
	}
	if c.argsSet && iv != c.opts.Interval {
		request(iv) // the given Args may not carry it
	}
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
	timeout := c.timeoutFor(iv)
	deadline := clk.Now().Add(timeout)
	timer := clk.After(timeout)
	sawHello := false
	for {
		select {
		case <-c.stop:
			finish(true)
			return "", false
		case <-c.paced:
			d := c.currentInterval()
			if d == iv {
				continue
			}
			iv, timeout = d, c.timeoutFor(d)
			// A longer timeout counts from now: the helper's next line may come a whole new
			// interval after the request. A shorter one applies from the next line on (and this
			// timer, already armed, fires by the old deadline at the latest).
			if dl := clk.Now().Add(timeout); dl.After(deadline) {
				deadline = dl
			}
			request(d)
		case <-timer:
			if left := deadline.Sub(clk.Now()); left > 0 {
				timer = clk.After(left)
				continue
			}
			finish(false)
			return fmt.Sprintf("the host helper printed nothing for %s", timeout), false
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
			deadline = clk.Now().Add(timeout)
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
