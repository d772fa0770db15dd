package tui

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// Jobs: the long operations started from the dashboard (export, import, clone, unregister to the
// trash, restore, purge, install, move, resize, compact, …). One runs at a time, in a Cmd with
// its own context; its progress reaches Update as messages carrying the job's id and is shown in
// the progress dialog (bytes, rate, time left); cancelling it cancels the context, and the
// backend removes what it had written. The dashboard keeps refreshing meanwhile.

// jobFunc runs a job, reporting to p what it knows of its progress. The text is the result
// message ("exported Ubuntu to D:\\backup\\ubuntu.tar (1.2 GiB)").
type jobFunc func(ctx context.Context, p *jobFeed) (string, error)

// job is the job in flight.
type job struct {
	id     uint64
	title  string
	target string // the distro marked pending ("" = none)
	cancel context.CancelFunc
	feed   *jobFeed
	// after is what the root asks for again once the job ends (the distro list, the trash, …).
	after func(m *Model) tea.Cmd
	// done and total are the newest figures (the cancelling dialog starts from them), phase
	// the newest phase shown.
	done, total int64
	phase       string
}

// jobTick moves the running job's dialog on at a refresh: its elapsed time runs, and a job that
// stopped sending figures shows as stalled rather than as its last rate.
func (m *Model) jobTick() {
	if j, d := m.job, m.dialog; j != nil && d != nil && d.job == j.id {
		d.d.SetProgress(j.done, m.now)
	}
}

// jobFeed carries a job's progress from its goroutine to Update: the newest figure only (a
// slow Update skips figures, never queues them) and, at the end, the result.
type jobFeed struct {
	mu    sync.Mutex
	done  int64
	total int64  // 0 = not said (the dialog keeps what it was opened with)
	phase string // what the job says it is doing ("Downloading: Ubuntu"), "" = nothing yet
	final *jobDoneMsg
	sent  jobProgressMsg // the last figures delivered
	wake  chan struct{}
}

func newJobFeed() *jobFeed { return &jobFeed{wake: make(chan struct{}, 1)} }

func (f *jobFeed) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *jobFeed) progress(n int64) {
	f.mu.Lock()
	f.done = n
	f.mu.Unlock()
	f.poke()
}

// setTotal says how many bytes the job will copy, once it knows (< 0: unknown).
func (f *jobFeed) setTotal(n int64) {
	f.mu.Lock()
	f.total = n
	f.mu.Unlock()
	f.poke()
}

// setPhase says what the job is doing now, for a job that counts no bytes (an install).
func (f *jobFeed) setPhase(text string) {
	f.mu.Lock()
	f.phase = text
	f.mu.Unlock()
	f.poke()
}

func (f *jobFeed) finish(msg jobDoneMsg) {
	f.mu.Lock()
	f.final = &msg
	f.mu.Unlock()
	f.poke()
}

// next waits for the next figure or the result. A wake-up that finds the figures already
// delivered (they changed while the last one was being read) waits again: every message says
// something new.
func (f *jobFeed) next(id uint64) tea.Msg {
	for {
		<-f.wake
		if msg, ok := f.take(id); ok {
			return msg
		}
	}
}

// take is what a wake-up brings: the result, or figures not delivered yet (ok false: none).
func (f *jobFeed) take(id uint64) (tea.Msg, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.final != nil {
		msg := *f.final
		msg.done, msg.total = f.done, f.total // the last figures, which the result may have overtaken
		return msg, true
	}
	msg := jobProgressMsg{id: id, done: f.done, total: f.total, phase: f.phase}
	if msg == f.sent {
		return nil, false
	}
	f.sent = msg
	return msg, true
}

type jobProgressMsg struct {
	id          uint64
	done, total int64
	phase       string
}

type jobDoneMsg struct {
	id    uint64
	text  string
	err   error
	done  int64
	total int64
}

// jobSpec describes a job to start.
type jobSpec struct {
	title, body string
	total       int64  // bytes the progress bar counts to (<= 0: unknown)
	target      string // the distro shown pending meanwhile
	label       string // its pending label ("exporting")
	noBytes     bool   // the job counts no bytes: the dialog shows only what it does and the time
	run         jobFunc
	after       func(m *Model) tea.Cmd
}

// startJob runs s in a Cmd and opens its progress dialog. A second job waits for the first.
func (m *Model) startJob(s jobSpec) tea.Cmd {
	if m.job != nil {
		m.setFlash(flashInfo, "wait for "+m.job.title+" to finish (or cancel it)")
		return nil
	}
	ctx, cancel := context.WithCancel(m.ctx)
	j := &job{id: m.nextID(), title: s.title, target: s.target, cancel: cancel, feed: newJobFeed(), after: s.after}
	m.job = j
	m.dialog = progressDialog(s.title, s.body, s.total, m.clock.Now(), j.id)
	if s.noBytes {
		m.dialog.d.SetNoBytes()
	}
	if s.target != "" {
		m.pending[s.target] = pendingOp{id: j.id, act: "job", label: s.label, at: m.clock.Now()}
	}
	feed, id, run := j.feed, j.id, s.run
	return tea.Batch(
		func() tea.Msg {
			text, err := run(ctx, feed)
			feed.finish(jobDoneMsg{id: id, text: text, err: err})
			return nil
		},
		func() tea.Msg { return feed.next(id) },
		m.startSpinner())
}

func (m *Model) onJobProgress(msg jobProgressMsg) tea.Cmd {
	j := m.job
	if j == nil || msg.id != j.id {
		return nil
	}
	j.done = msg.done
	if msg.total != 0 {
		j.total = msg.total
	}
	if d := m.dialog; d != nil && d.job == j.id {
		if msg.total != 0 {
			d.d.SetTotal(msg.total)
		}
		if msg.phase != "" && msg.phase != j.phase {
			d.d.SetBody(msg.phase)
		}
		d.d.SetProgress(msg.done, m.clock.Now())
	}
	j.phase = msg.phase
	feed := j.feed
	return func() tea.Msg { return feed.next(msg.id) }
}

func (m *Model) onJobDone(msg jobDoneMsg) tea.Cmd {
	j := m.job
	if j == nil || msg.id != j.id {
		return nil
	}
	m.job = nil
	j.cancel()
	if p, ok := m.pending[j.target]; ok && p.id == j.id {
		delete(m.pending, j.target)
	}
	text := msg.text
	if msg.err == nil && m.info.DryRun {
		text += " (demo: nothing was written)"
	}
	if msg.err != nil {
		text = ""
		m.setFlash(flashErr, errText(msg.err))
	} else {
		m.setFlash(flashOK, text)
	}
	if d := m.dialog; d != nil && d.job == j.id {
		if msg.err == nil && msg.done > 0 {
			if msg.total != 0 {
				d.d.SetTotal(msg.total)
			}
			d.d.SetProgress(msg.done, m.clock.Now())
		}
		d.d.Finish(text, msg.err)
	}
	if m.quitAfterJob {
		return tea.Quit
	}
	cmds := []tea.Cmd{m.refreshList()}
	if j.after != nil {
		cmds = append(cmds, j.after(m))
	}
	return tea.Batch(cmds...)
}

// cancelJob cancels the job in flight; its result still arrives (the backend cleans up first).
func (m *Model) cancelJob() {
	if m.job != nil {
		j := m.job
		j.cancel()
		m.setFlash(flashInfo, "cancelling "+j.title+"…")
		d := progressDialog("Cancelling: "+j.title, "Stopping it and removing what it wrote…", j.total, m.clock.Now(), j.id)
		d.d.SetProgress(j.done, m.clock.Now())
		m.dialog = d
	}
}
