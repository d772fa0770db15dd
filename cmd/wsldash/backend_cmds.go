package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/reclaim"
	"github.com/wsldash/wsldash/backend/sampler"
	"github.com/wsldash/wsldash/internal/units"
)

// addBackendCommands adds the verbs every backend serves: list, stats, mounts, ps and the
// lifecycle actions.
func addBackendCommands(root *cobra.Command, a *app) {
	root.AddCommand(
		listCmd(a), statsCmd(a), mountsCmd(a), psCmd(a), portsCmd(a),
		startCmd(a), releaseCmd(a),
		actionCmd(a, "terminate NAME", "Terminate a running distro", "%s is stopped", func(ctx context.Context, b backend.Backend, n string) error { return b.Terminate(ctx, n) }, backend.ActTerminate),
		actionCmd(a, "set-default NAME", "Make a distro the default", "%s is the default now", func(ctx context.Context, b backend.Backend, n string) error { return b.SetDefault(ctx, n) }),
		shutdownCmd(a), reclaimCmd(a),
	)
}

// withBackend opens the backend for one command and closes it after.
func withBackend(cmd *cobra.Command, a *app, f func(backend.Backend) error) error {
	b, err := a.open(cmd.Context())
	if err != nil {
		return err
	}
	defer b.Close()
	return f(b)
}

func listCmd(a *app) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "list",
		Short: "List the distros (state, WSL version, default, disk)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				waitHostView(cmd.Context(), b) // host_cmd.go: disk sizes inside WSL
				ds, err := b.Distros(cmd.Context())
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if asJSON {
					warnDemo(cmd, b)
					return writeJSON(out, ds)
				}
				printLabel(cmd, b)
				if len(ds) == 0 {
					fmt.Fprintln(out, "no distros")
					return nil
				}
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "\tNAME\tSTATE\tVERSION\tDISK\t")
				for _, d := range ds {
					mark := " "
					if d.Default {
						mark = "*"
					}
					disk := units.Unknown
					if d.DiskBytes > 0 {
						disk = humanBytes(uint64(d.DiskBytes))
					}
					held := ""
					switch {
					case d.Kept:
						held = "kept (outlives wsldash)"
					case d.Held:
						held = "held by wsldash"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", mark, d.Name, d.State, d.Version, disk, held)
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return c
}

// printLabel prints the backend's label above human output when it is simulated.
func printLabel(cmd *cobra.Command, b backend.Backend) {
	if info, err := b.Info(cmd.Context()); err == nil && info.Simulated {
		fmt.Fprintf(cmd.OutOrStdout(), "[%s]\n", info.Label)
	}
}

// sampleJSON is the stable `stats --json` contract (README "JSON contract").
type sampleJSON struct {
	Type           string              `json:"type"` // "sample"
	Time           string              `json:"time"` // RFC 3339
	Backend        string              `json:"backend"`
	Simulated      bool                `json:"simulated,omitempty"`
	Guest          backend.GuestMemory `json:"guest"`
	CPUPercent     *float64            `json:"cpu_percent"` // null when unknown, never an invented 0
	MemoryPressure *backend.Pressure   `json:"memory_pressure,omitempty"`
	Host           *backend.HostView   `json:"host,omitempty"`
	// Distros is each running distro's memory; with DistrosRemainder the parts add up to
	// guest.used_bytes (cgroup figures also to guest.cache_bytes).
	Distros          []backend.DistroMemory   `json:"distros,omitempty"`
	DistrosRemainder *backend.MemoryRemainder `json:"distros_remainder,omitempty"`
	// ReclaimGate is WSL's reclaim gate as of this sample (README "reclaim_gate"); null where the
	// backend has no WSL VM (local) or no CPU reading yet.
	ReclaimGate *reclaim.GateState `json:"reclaim_gate"`
	// Error is set when this sample could not be taken (the VM is stopped, wsl.exe timed out);
	// the watch goes on.
	Error string `json:"error,omitempty"`
}

// eventJSON is a reclaim event in the `stats --watch --json` stream.
type eventJSON struct {
	Type   string `json:"type"` // "event"
	Kind   string `json:"kind"` // "reclaim"
	Time   string `json:"time"`
	Bytes  uint64 `json:"bytes"`
	Source string `json:"source"` // automatic, manual, distro-stopped, vm-shutdown
	Series string `json:"series"` // "cache" (guest page cache) or "vm" (the host's VM process)
	From   uint64 `json:"from_bytes"`
	To     uint64 `json:"to_bytes"`
}

const rfc3339Milli = "2006-01-02T15:04:05.000Z07:00"

// toJSON is a sample as the JSON contract has it; gate (nil: none) has seen s already.
func toJSON(info backend.Info, s backend.Sample, gate *reclaim.Gate, err error) sampleJSON {
	j := sampleJSON{Type: "sample", Time: s.Time.Format(rfc3339Milli), Backend: info.Backend, Simulated: info.Simulated,
		Guest: s.Guest, MemoryPressure: s.MemoryPressure, Host: s.Host,
		Distros: s.Distros, DistrosRemainder: s.DistrosRemainder}
	if s.CPUPercent != nil {
		j.CPUPercent = backend.Percent(round1(*s.CPUPercent))
	}
	if s.Host != nil && s.Host.VMCPUPercent != nil {
		h := *s.Host
		h.VMCPUPercent = backend.Percent(round1(*h.VMCPUPercent))
		j.Host = &h
	}
	if gate != nil && err == nil {
		if st := gate.State(); st.State != reclaim.GateUnknown {
			for _, p := range []*float64{st.BusyPercent, st.WindowBusyPercent, st.SelfPercent} {
				if p != nil {
					*p = math.Round(*p*1000) / 1000
				}
			}
			for _, p := range []*float64{st.QuietSeconds, st.NextInSeconds} {
				if p != nil {
					*p = math.Round(*p*10) / 10
				}
			}
			j.ReclaimGate = &st
		}
	}
	if err != nil {
		j.Error = err.Error()
	}
	return j
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

func statsCmd(a *app) *cobra.Command {
	var asJSON, watch bool
	var count int
	c := &cobra.Command{
		Use:   "stats",
		Short: "Print the VM's memory and CPU (guest and host views); --watch to stream",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkStatsFlags(cmd, watch, count); err != nil {
				return err
			}
			return withBackend(cmd, a, func(b backend.Backend) error {
				ctx := cmd.Context()
				waitHostView(ctx, b) // host_cmd.go: the host object inside WSL
				if w, ok := b.(backend.MemoryWatcher); ok {
					w.WatchDistroMemory(true) // stats prints each distro's share
				}
				info, err := b.Info(ctx)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if !asJSON {
					printLabel(cmd, b)
				}
				if !watch {
					gate := reclaim.ForInfo(info)
					if bf, ok := b.(backend.Backfiller); ok && gate != nil {
						for _, s := range bf.Backfill() { // the demo's history: its gate has a past
							gate.Add(s)
						}
					}
					s, err := primedSample(ctx, b, wait, min(a.refresh, 250*time.Millisecond), gate)
					if err != nil && asJSON {
						// Like a watch line: the object with error (and the host view where
						// known), then exit 1.
						if s.Time.IsZero() {
							s.Time = time.Now()
						}
						if werr := writeJSON(out, toJSON(info, s, nil, err)); werr != nil {
							return werr
						}
						return &exitError{code: 1, err: err}
					}
					if err != nil {
						return err
					}
					if asJSON {
						return writeJSON(out, toJSON(info, s, gate, nil))
					}
					printSample(out, s, true)
					return nil
				}
				return watchStats(ctx, a, b, info, out, asJSON, count)
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON (one object per line with --watch)")
	c.Flags().BoolVarP(&watch, "watch", "w", false, "print a sample every --refresh until interrupted")
	c.Flags().IntVar(&count, "count", 0, "with --watch, stop after this many samples (0 = until interrupted)")
	return c
}

// primeTries bounds primedSample: with step 250 ms, about 1.5 s, which covers the wsl probe's
// 1 s frames.
const primeTries = 6

// primedSample takes a sample whose CPU figure is known: CPU is a rate, so one reading gives
// none. It reads, then reads again every step (waited through wait, injected by tests) until
// the backend can give the rate, at most primeTries times. If it still cannot, the sample says
// so (CPUPercent nil: null, "—"), never 0.
// Each sample taken also goes to gate (when not nil).
func primedSample(ctx context.Context, b backend.Backend, wait func(context.Context, time.Duration), step time.Duration, gate *reclaim.Gate) (backend.Sample, error) {
	s, err := b.Sample(ctx)
	if err == nil && gate != nil {
		gate.Add(s)
	}
	for i := 0; i < primeTries && err == nil && s.CPUPercent == nil && ctx.Err() == nil; i++ {
		wait(ctx, step)
		if s, err = b.Sample(ctx); err == nil && gate != nil {
			gate.Add(s)
		}
	}
	return s, err
}

// watchStats prints a sample every a.refresh. A failed sample is reported and the watch goes on.
func watchStats(ctx context.Context, a *app, b backend.Backend, info backend.Info, out io.Writer, asJSON bool, count int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := time.NewTicker(a.refresh)
	defer t.Stop()
	sm := sampler.New(b, 0)
	det := reclaim.NewDetector(reclaim.Options{})
	gate := reclaim.ForInfo(info)
	n := 0
	first := true
	err := sm.Run(ctx, t.C, func(s backend.Sample, err error) {
		var events []reclaim.Event
		if err == nil {
			events = det.Observe(s)
			if gate != nil {
				gate.Add(s)
			}
		}
		if asJSON {
			if err != nil && s.Time.IsZero() {
				s.Time = time.Now()
			}
			writeJSON(out, toJSON(info, s, gate, err))
			for _, ev := range events {
				writeJSON(out, eventJSON{Type: "event", Kind: "reclaim", Time: ev.Time.Format(rfc3339Milli),
					Bytes: ev.Bytes, Source: string(ev.Source), Series: ev.Series, From: ev.From, To: ev.To})
			}
		} else if err != nil {
			fmt.Fprintf(out, "%s  %v\n", time.Now().Format("15:04:05"), err)
		} else {
			if first {
				fmt.Fprintln(out, "TIME      USED       CACHE      FREE       AVAIL      CPU     VM PROCESS")
				first = false
			}
			printSample(out, s, false)
			for _, ev := range events {
				what := "page cache"
				if ev.Series == reclaim.SeriesVM {
					what = "the VM process"
				}
				fmt.Fprintf(out, "%s  ↓ %s came back from %s (%s)\n", ev.Time.Format("15:04:05"), humanBytes(ev.Bytes), what, ev.Source.Label(info.ThisMachine))
			}
		}
		n++
		if count > 0 && n >= count {
			cancel()
		}
	})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func printSample(out io.Writer, s backend.Sample, long bool) {
	g := s.Guest
	if !long {
		vm := units.Unknown
		if s.Host != nil && s.Host.VMProcessBytes > 0 {
			vm = fmt.Sprintf("%s %s", s.Host.VMProcess, humanBytes(s.Host.VMProcessBytes))
		}
		fmt.Fprintf(out, "%s  %-9s  %-9s  %-9s  %-9s  %6s  %s\n", s.Time.Format("15:04:05"),
			humanBytes(g.UsedBytes), humanBytes(g.CacheBytes), humanBytes(g.FreeBytes), humanBytes(g.AvailableBytes), percent(s.CPUPercent), vm)
		return
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "time\t%s\n", s.Time.Format(time.RFC3339))
	fmt.Fprintf(tw, "guest memory\t%s total, %s used, %s page cache (%s reclaimable), %s free, %s available\n",
		humanBytes(g.TotalBytes), humanBytes(g.UsedBytes), humanBytes(g.CacheBytes), humanBytes(g.Reclaimable()), humanBytes(g.FreeBytes), humanBytes(g.AvailableBytes))
	fmt.Fprintf(tw, "swap\t%s of %s free\n", humanBytes(g.SwapFreeBytes), humanBytes(g.SwapTotalBytes))
	fmt.Fprintf(tw, "cpu\t%s\n", percent(s.CPUPercent))
	if s.MemoryPressure != nil {
		fmt.Fprintf(tw, "memory pressure\t%.2f%% (10 s), %.2f%% (60 s)\n", s.MemoryPressure.Avg10, s.MemoryPressure.Avg60)
	}
	if h := s.Host; h != nil {
		if h.VMProcess != "" {
			fmt.Fprintf(tw, "host: %s\t%s, %s cpu\n", h.VMProcess, humanBytes(h.VMProcessBytes), percent(h.VMCPUPercent))
		}
		for _, v := range h.OtherVMs {
			size := units.Unknown
			if v.Bytes > 0 {
				size = humanBytes(v.Bytes)
			}
			fmt.Fprintf(tw, "other VM: %s\t%s (not WSL's VM, not counted)\n", v.Process, size)
		}
		if h.TotalBytes > 0 {
			fmt.Fprintf(tw, "host memory\t%s available of %s\n", humanBytes(h.AvailableBytes), humanBytes(h.TotalBytes))
		}
		if h.Note != "" {
			fmt.Fprintf(tw, "host note\t%s\n", h.Note)
		}
	}
	tw.Flush()
}

func mountsCmd(a *app) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "mounts [DISTRO]",
		Short: "List a distro's mounts (drvfs/9p, virtiofs, disks); local: this machine",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				ms, err := b.Mounts(cmd.Context(), firstArg(args))
				if err != nil {
					return distroErr("mounts", firstArg(args), err)
				}
				if asJSON {
					warnDemo(cmd, b)
					return writeJSON(cmd.OutOrStdout(), ms)
				}
				printLabel(cmd, b)
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "KIND\tTARGET\tSOURCE\tTYPE\tOPTIONS")
				for _, m := range ms {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.Kind, m.Target, m.Source, m.FSType, truncate(m.Options, 60))
				}
				return tw.Flush()
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return c
}

func psCmd(a *app) *cobra.Command {
	var asJSON, all bool
	var limit int
	c := &cobra.Command{
		Use:   "ps [DISTRO]",
		Short: "List a distro's processes by CPU (--all: every running distro's); local: this machine",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return fmt.Errorf("-n/--limit %d: give 0 (all) or a positive number", limit)
			}
			if all && len(args) > 0 {
				return fmt.Errorf("ps: --all and a DISTRO exclude each other")
			}
			return withBackend(cmd, a, func(b backend.Backend) error {
				ctx := cmd.Context()
				var ps []backend.Process
				var err error
				if all {
					ps, err = allProcesses(ctx, cmd, a, b)
				} else {
					// CPU % is a rate over two scans.
					if _, err := b.Processes(ctx, firstArg(args)); err != nil {
						return distroErr("ps", firstArg(args), err)
					}
					wait(ctx, min(a.refresh, 250*time.Millisecond))
					ps, err = b.Processes(ctx, firstArg(args))
				}
				if err != nil {
					return distroErr("ps", firstArg(args), err)
				}
				if limit > 0 && len(ps) > limit {
					ps = ps[:limit]
				}
				for i := range ps {
					ps[i].CPUPercent = round1(ps[i].CPUPercent) // % of one CPU, 0.1 steps
				}
				if asJSON {
					warnDemo(cmd, b)
					return writeJSON(cmd.OutOrStdout(), ps)
				}
				printLabel(cmd, b)
				out := cmd.OutOrStdout()
				if all {
					fmt.Fprintf(out, "%-16s %7s  %-10s %6s %10s  %s\n", "DISTRO", "PID", "USER", "CPU%", "RSS", "NAME")
				} else {
					fmt.Fprintf(out, "%7s  %-10s %6s %10s  %s\n", "PID", "USER", "CPU%", "RSS", "NAME")
				}
				for _, p := range ps {
					if all {
						fmt.Fprintf(out, "%-16s ", truncate(orUnknown(p.Distro), 16))
					}
					cpu := units.Unknown
					if !p.CPUUnknown {
						cpu = fmt.Sprintf("%.1f", p.CPUPercent)
					}
					fmt.Fprintf(out, "%7d  %-10s %6s %10s  %s\n", p.PID, truncate(p.User, 10), cpu, humanBytes(p.RSSBytes), p.Name)
				}
				return nil
			})
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	c.Flags().IntVarP(&limit, "limit", "n", 0, "show at most this many processes (0 = all)")
	c.Flags().BoolVar(&all, "all", false, "every running distro's processes, with a DISTRO column (one look per distro)")
	return c
}

// actionCmd is a command that does f to one distro and says what is true after it (done, a
// format with the distro's name), as the dashboard's flash line does.
func actionCmd(a *app, use, short, done string, f func(context.Context, backend.Backend, string) error, act ...backend.Action) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				for _, ac := range act {
					warnDocker(cmd.Context(), cmd, b, ac, args[0])
				}
				if err := f(cmd.Context(), b, args[0]); err != nil {
					return distroErr(cmd.Name(), args[0], err)
				}
				warnDemo(cmd, b)
				fmt.Fprintf(cmd.OutOrStdout(), done+"\n", args[0])
				return nil
			})
		},
	}
}

func shutdownCmd(a *app) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "shutdown",
		Short: "Stop every distro and the WSL VM (wsl --shutdown)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withBackend(cmd, a, func(b backend.Backend) error {
				warnDocker(cmd.Context(), cmd, b, backend.ActShutdown, "")
				return b.Shutdown(cmd.Context(), force)
			})
		},
	}
	c.Flags().BoolVar(&force, "force", false, "terminate the VM even if an operation is in progress (can lose data)")
	return c
}

func reclaimCmd(a *app) *cobra.Command {
	var mode string
	var asJSON bool
	c := &cobra.Command{
		Use:   "reclaim",
		Short: "Give the VM's page cache back to Windows now (drop caches, gradual, compact)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m := backend.ReclaimMode(strings.ToLower(mode))
			switch m {
			case backend.ReclaimDropCache, backend.ReclaimGradual, backend.ReclaimCompact:
			default:
				return fmt.Errorf("--mode %q: use dropcache, gradual or compact", mode)
			}
			return withBackend(cmd, a, func(b backend.Backend) error {
				res, err := b.Reclaim(cmd.Context(), m)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), reclaimJSON{res, res.Freed()})
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s on %s: page cache %s → %s (%s freed)\n", res.Mode, res.Where,
					humanBytes(res.CacheBefore), humanBytes(res.CacheAfter), humanBytes(res.Freed()))
				return nil
			})
		},
	}
	c.Flags().StringVar(&mode, "mode", "dropcache", "dropcache, gradual or compact")
	c.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return c
}

// reclaimJSON is `reclaim --json`.
type reclaimJSON struct {
	backend.ReclaimResult
	Freed uint64 `json:"freed_bytes"`
}

func firstArg(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
