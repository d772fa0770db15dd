package reclaim

import (
	"bufio"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const gib = 1 << 30

// recording is a CSV written by internal/record.
type recording struct {
	samples []backend.Sample
	marks   map[string]time.Time
}

func loadCSV(t testing.TB, name string) recording {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := recording{marks: map[string]time.Time{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# mark,") {
			p := strings.Split(line[len("# mark,"):], ",")
			ms, _ := strconv.ParseInt(p[1], 10, 64)
			r.marks[p[0]] = t0.Add(time.Duration(ms) * time.Millisecond)
			continue
		}
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "offset_ms") || line == "" {
			continue
		}
		var v [5]uint64
		for i, s := range strings.Split(line, ",") {
			if v[i], err = strconv.ParseUint(s, 10, 64); err != nil {
				t.Fatalf("%s: %q: %v", name, line, err)
			}
		}
		r.samples = append(r.samples, backend.Sample{Time: t0.Add(time.Duration(v[0]) * time.Millisecond),
			Guest: backend.GuestMemory{TotalBytes: v[1], UsedBytes: v[2], CacheBytes: v[3], FreeBytes: v[4]}})
	}
	if len(r.samples) < 20 {
		t.Fatalf("%s: only %d samples", name, len(r.samples))
	}
	return r
}

// firstFallAfter is the time of the first sample after at whose cache is below the previous one
// by more than 64 MiB: when the drop became visible.
func firstFallAfter(ss []backend.Sample, at time.Time) time.Time {
	for i := 1; i < len(ss); i++ {
		if !ss[i].Time.Before(at) && ss[i].Guest.CacheBytes+64<<20 < ss[i-1].Guest.CacheBytes {
			return ss[i].Time
		}
	}
	return time.Time{}
}

func mb(v uint64) float64 { return float64(v) / (1 << 20) }

func TestRecordedDropCache(t *testing.T) {
	r := loadCSV(t, "recorded-dropcache.csv")
	evs := Detect(r.samples, Options{}, nil)
	// The recording begins with a first drop_caches (to start from a small cache) while the
	// detector is still warming up (it needs five readings to know the series' noise), so that
	// one is not reported: only the main drop is.
	if e := Detect(r.samples, Options{}, nil); len(e) > 0 && !e[0].Time.After(r.marks["fill"]) {
		t.Errorf("a drop during the warm-up was reported: %+v", e[0])
	}
	drops := []string{"drop_caches"}
	if len(evs) != len(drops) {
		t.Fatalf("%d events, want %d (one per drop_caches): %+v", len(evs), len(drops), evs)
	}
	for i, name := range drops {
		e, cmd := evs[i], r.marks[name]
		visible := firstFallAfter(r.samples, cmd)
		if e.Series != SeriesCache || e.Source != SourceAutomatic || e.Bytes != e.From-e.To {
			t.Errorf("event %d: %+v", i, e)
		}
		if e.Time.Before(cmd) || e.Start.After(visible) {
			t.Errorf("event %d at %v (start %v) does not follow %s at %v (visible %v)", i, e.Time.Sub(t0), e.Start.Sub(t0), name, cmd.Sub(t0), visible.Sub(t0))
		}
		// The event must hold most of the fall: the cache before the command, less the minimum after.
		before := r.samples[0].Guest.CacheBytes
		minAfter := before
		for _, s := range r.samples {
			if !s.Time.After(cmd) {
				before = s.Guest.CacheBytes
			} else if s.Time.Sub(cmd) < 3*time.Second && s.Guest.CacheBytes < minAfter {
				minAfter = s.Guest.CacheBytes
			}
		}
		if real := before - minAfter; e.Bytes < real*9/10 {
			t.Errorf("event %d: %.0f MiB, but the cache fell %.0f MiB", i, mb(e.Bytes), mb(real))
		}
		t.Logf("recorded %s: %.0f MiB -> %.0f MiB (%.0f MiB); lag %v from the command, %v from the first sample showing the fall; false positives 0",
			name, mb(e.From), mb(e.To), mb(e.Bytes), e.Time.Sub(cmd).Round(time.Millisecond), e.Time.Sub(visible).Round(time.Millisecond))
	}
}

func TestRecordedIdleHasNoEvents(t *testing.T) {
	r := loadCSV(t, "recorded-idle.csv")
	evs := Detect(r.samples, Options{}, nil)
	if len(evs) != 0 {
		t.Errorf("false positives on an idle machine with small reads and a build: %+v", evs)
	}
	lo, hi := r.samples[0].Guest.CacheBytes, r.samples[0].Guest.CacheBytes
	for _, s := range r.samples {
		lo, hi = min(lo, s.Guest.CacheBytes), max(hi, s.Guest.CacheBytes)
	}
	t.Logf("recorded idle: %d samples over %v, cache %.0f-%.0f MiB; false positives %d",
		len(r.samples), r.samples[len(r.samples)-1].Time.Sub(t0).Round(time.Second), mb(lo), mb(hi), len(evs))
}

// gen makes n samples every step; f gives the cache, the vm bytes (0 = no host view) and whether
// the guest read worked.
func gen(n int, step time.Duration, f func(i int, at time.Duration) (cache, vm uint64, ok bool)) []backend.Sample {
	out := make([]backend.Sample, 0, n)
	for i := 0; i < n; i++ {
		at := time.Duration(i) * step
		c, v, ok := f(i, at)
		s := backend.Sample{Time: t0.Add(at)}
		if ok {
			s.Guest = backend.GuestMemory{TotalBytes: 16 * gib, CacheBytes: c}
		}
		if v > 0 {
			s.Host = &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: v}
		}
		out = append(out, s)
	}
	return out
}

func TestGradualReclaimIsDetected(t *testing.T) {
	// WSL gradual mode: after 3 idle minutes, 3% of the memory in use every 30 s until under 1 GiB.
	const used = 1 * gib
	cache := uint64(3 * gib)
	var steps []time.Duration
	ss := gen(30*60, time.Second, func(i int, at time.Duration) (uint64, uint64, bool) {
		if at >= 3*time.Minute && at%(30*time.Second) == 0 && used+cache > gib+gib/10 {
			step := (used + cache) * 3 / 100
			if step > cache {
				step = cache
			}
			cache -= step
			steps = append(steps, at)
		}
		return cache, 0, true
	})
	evs := Detect(ss, Options{}, nil)
	if len(steps) < 10 {
		t.Fatalf("generator made %d steps", len(steps))
	}
	if len(evs) == 0 {
		t.Fatalf("gradual reclaim of %d steps (%v..%v) not detected", len(steps), steps[0], steps[len(steps)-1])
	}
	var total uint64
	for _, e := range evs {
		if e.Bytes < 256<<20 || e.Start.Before(t0.Add(steps[0]-time.Second)) || e.Source != SourceAutomatic {
			t.Errorf("bad event %+v", e)
		}
		total += e.Bytes
	}
	fell := 3*gib - cache
	if total > fell || total < fell-256<<20 {
		t.Errorf("events add up to %.0f MiB; the cache fell %.0f MiB", mb(total), mb(fell))
	}
	t.Logf("generated gradual (%d steps of ~%.0f MiB every 30 s, %.0f MiB in all): %d events, first lag %v from the first step; false positives 0",
		len(steps), mb((3*gib+used)*3/100), mb(fell), len(evs), evs[0].Time.Sub(t0.Add(steps[0])))
}

func TestNoisePlateausHaveNoEvents(t *testing.T) {
	for _, level := range []uint64{1 * gib, 3 * gib, 8 * gib, 24 * gib} {
		for _, step := range []time.Duration{250 * time.Millisecond, time.Second, 5 * time.Second} {
			rng := rand.New(rand.NewPCG(level, uint64(step)))
			jitter := func() uint64 { return uint64(float64(level) * (0.95 + 0.1*rng.Float64())) }
			ss := gen(int(30*time.Minute/step), step, func(int, time.Duration) (uint64, uint64, bool) {
				return jitter(), jitter() + gib, true
			})
			if evs := Detect(ss, Options{}, nil); len(evs) != 0 {
				t.Errorf("±5%% jitter around %.0f MiB every %v: %d false positives, first %+v", mb(level), step, len(evs), evs[0])
			}
		}
	}
	t.Log("generated noisy plateaus (±5% uniform jitter, 1-24 GiB, cache and vm, 30 min at 0.25/1/5 s): false positives 0")
}

func TestGrowingWorkloadHasNoEvents(t *testing.T) {
	// A build: the cache grows ~20 MiB/s with dips of up to 80 MiB when temp files go, and the
	// VM grows with it.
	rng := rand.New(rand.NewPCG(1, 2))
	cache := uint64(500 << 20)
	ss := gen(1200, time.Second, func(i int, _ time.Duration) (uint64, uint64, bool) {
		cache += uint64(rng.IntN(40 << 20))
		if i%17 == 0 {
			cache -= uint64(rng.IntN(80 << 20))
		}
		return cache, cache + 2*gib, true
	})
	if evs := Detect(ss, Options{}, nil); len(evs) != 0 {
		t.Errorf("false positives on a growing workload: %+v", evs)
	}
	// Growing, then shrinking slightly (less than the threshold) in a few steps.
	ss = gen(200, time.Second, func(i int, _ time.Duration) (uint64, uint64, bool) {
		if i < 100 {
			return uint64(gib + i*(10<<20)), 0, true
		}
		return uint64(gib + 100*(10<<20) - (i-100)*(2<<20)), 0, true
	})
	if evs := Detect(ss, Options{}, nil); len(evs) != 0 {
		t.Errorf("false positives on grow-then-shrink-slightly: %+v", evs)
	}
	t.Log("generated growing workload and grow-then-shrink-slightly: false positives 0")
}

func TestOneEventPerDrop(t *testing.T) {
	// 3 GiB falls to 1 GiB over four samples, then stays: one event with the whole fall, reported at
	// the first sample that does not fall further.
	levels := []uint64{3 * gib, 3 * gib, 3 * gib, 3 * gib, 3 * gib, 3 * gib, 3 * gib, 3 * gib, 3 * gib, 3 * gib,
		2500 << 20, 2 * gib, 1500 << 20, 1 * gib, 1 * gib, 1 * gib, 1 * gib, 1 * gib}
	ss := gen(len(levels), time.Second, func(i int, _ time.Duration) (uint64, uint64, bool) { return levels[i], 0, true })
	evs := Detect(ss, Options{}, nil)
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1: %+v", len(evs), evs)
	}
	e := evs[0]
	if e.From != 3*gib || e.To != 1*gib || e.Bytes != 2*gib || !e.Start.Equal(t0.Add(10*time.Second)) {
		t.Errorf("event %+v", e)
	}
	// The level is a median of three, so it follows the raw value one sample late (the fall
	// starts from the level at 10 s and reaches 1 GiB at 14 s); the first flat level after that
	// ends the fall.
	if lag := e.Time.Sub(t0.Add(10 * time.Second)); lag > 5*time.Second {
		t.Errorf("reported %v after the fall began", lag)
	}
	t.Logf("generated 4-sample drop: 1 event of %.0f MiB, lag %v from the first falling sample, %v from the last; false positives 0",
		mb(e.Bytes), e.Time.Sub(t0.Add(10*time.Second)), e.Time.Sub(t0.Add(13*time.Second)))
}

func TestLongFallIsReportedAtTheWindow(t *testing.T) {
	// A steady fall of 100 MiB/s for 40 s: reported every Window (10 s) as it goes.
	ss := gen(60, time.Second, func(i int, _ time.Duration) (uint64, uint64, bool) {
		if i < 5 {
			return 8 * gib, 0, true
		}
		if i < 45 {
			return uint64(8*gib - (i-4)*(100<<20)), 0, true
		}
		return uint64(8*gib - 40*(100<<20)), 0, true
	})
	evs := Detect(ss, Options{}, nil)
	if len(evs) < 3 || len(evs) > 5 {
		t.Fatalf("%d events: %+v", len(evs), evs)
	}
	var total uint64
	for _, e := range evs {
		if d := e.Time.Sub(e.Start); d > 11*time.Second {
			t.Errorf("event spans %v, more than the window", d)
		}
		total += e.Bytes
	}
	if total < 3500<<20 || total > 4000<<20 {
		t.Errorf("total %.0f MiB, want about 4000", mb(total))
	}
}

func TestHintsNameTheSource(t *testing.T) {
	drop := func(i int, _ time.Duration) (uint64, uint64, bool) {
		if i < 20 {
			return 4 * gib, 6 * gib, true
		}
		return 1 * gib, 3 * gib, true
	}
	ss := gen(40, time.Second, drop)
	cases := []struct {
		name  string
		hints []Hint
		want  Source
	}{
		{"none", nil, SourceAutomatic},
		{"manual just before", []Hint{{t0.Add(18 * time.Second), SourceManual}}, SourceManual},
		{"distro stop during", []Hint{{t0.Add(20 * time.Second), SourceDistroStopped}}, SourceDistroStopped},
		{"latest wins", []Hint{{t0.Add(15 * time.Second), SourceDistroStopped}, {t0.Add(19 * time.Second), SourceManual}}, SourceManual},
		{"too early", []Hint{{t0.Add(2 * time.Second), SourceManual}}, SourceAutomatic},
		{"after the event", []Hint{{t0.Add(39 * time.Second), SourceManual}}, SourceAutomatic},
	}
	for _, c := range cases {
		evs := Detect(ss, Options{}, c.hints)
		if len(evs) != 2 {
			t.Fatalf("%s: %d events: %+v", c.name, len(evs), evs)
		}
		for _, e := range evs {
			if e.Source != c.want {
				t.Errorf("%s: %s event source %q, want %q", c.name, e.Series, e.Source, c.want)
			}
		}
		if evs[0].Series != SeriesCache || evs[1].Series != SeriesVM || evs[1].Bytes != 3*gib {
			t.Errorf("%s: %+v", c.name, evs)
		}
	}
}

func TestVMShutdown(t *testing.T) {
	// Plateau, then the VM is shut down: the guest read fails (TotalBytes 0) and vmmemWSL is gone.
	down := func(i int, _ time.Duration) (uint64, uint64, bool) {
		if i < 30 {
			return 4 * gib, 6 * gib, true
		}
		if i < 40 {
			return 0, 0, false
		}
		return 300 << 20, 1 * gib, true // the VM started again, fresh
	}
	ss := gen(60, time.Second, down)
	// After the restart, keep it coming back after a gap as real samples do: drop samples 40-79.
	ss = append(ss[:40], gen(1, time.Second, func(int, time.Duration) (uint64, uint64, bool) { return 0, 0, false })...)
	restart := gen(20, time.Second, func(int, time.Duration) (uint64, uint64, bool) { return 300 << 20, 1 * gib, true })
	for i := range restart {
		restart[i].Time = restart[i].Time.Add(2 * time.Minute)
	}
	ss = append(ss, restart...)

	if evs := Detect(ss, Options{}, nil); len(evs) != 0 {
		t.Errorf("without a hint, failed reads and a restart made events: %+v", evs)
	}
	evs := Detect(ss, Options{}, []Hint{{t0.Add(29500 * time.Millisecond), SourceVMShutdown}})
	if len(evs) != 2 {
		t.Fatalf("with a vm-shutdown hint: %d events: %+v", len(evs), evs)
	}
	for i, want := range []struct {
		series string
		from   uint64
	}{{SeriesCache, 4 * gib}, {SeriesVM, 6 * gib}} {
		e := evs[i]
		if e.Series != want.series || e.Source != SourceVMShutdown || e.From != want.from || e.To != 0 || !e.Time.Equal(t0.Add(30*time.Second)) {
			t.Errorf("event %d = %+v", i, e)
		}
	}
	t.Logf("generated shutdown: with hint 2 events (cache, vm) at lag %v; without hint false positives 0", evs[0].Time.Sub(t0.Add(29500*time.Millisecond)))
}

func TestMissingAndGlitchyReadsDoNotTrigger(t *testing.T) {
	cases := map[string]func(i int, at time.Duration) (uint64, uint64, bool){
		"failed reads": func(i int, _ time.Duration) (uint64, uint64, bool) {
			return 3 * gib, 5 * gib, i%7 != 3
		},
		"one zero cache reading": func(i int, _ time.Duration) (uint64, uint64, bool) {
			if i == 50 {
				return 0, 5 * gib, true
			}
			return 3 * gib, 5 * gib, true
		},
		"host view gone for a while": func(i int, _ time.Duration) (uint64, uint64, bool) {
			if i > 40 && i < 60 {
				return 3 * gib, 0, true
			}
			return 3 * gib, 5 * gib, true
		},
		"one low spike": func(i int, _ time.Duration) (uint64, uint64, bool) {
			if i == 30 {
				return 1 * gib, 2 * gib, true
			}
			return 3 * gib, 5 * gib, true
		},
	}
	for name, f := range cases {
		if evs := Detect(gen(120, time.Second, f), Options{}, nil); len(evs) != 0 {
			t.Errorf("%s: %+v", name, evs)
		}
	}
	// A gap: the cache is lower after a minute without samples; not evidence of a reclaim.
	ss := gen(30, time.Second, func(int, time.Duration) (uint64, uint64, bool) { return 3 * gib, 0, true })
	after := gen(30, time.Second, func(int, time.Duration) (uint64, uint64, bool) { return 1 * gib, 0, true })
	for i := range after {
		after[i].Time = after[i].Time.Add(90 * time.Second)
	}
	if evs := Detect(append(ss, after...), Options{}, nil); len(evs) != 0 {
		t.Errorf("fall across a gap: %+v", evs)
	}
	// Time going backwards restarts the series rather than inventing a fall.
	back := gen(10, time.Second, func(int, time.Duration) (uint64, uint64, bool) { return 1 * gib, 0, true })
	for i := range back {
		back[i].Time = back[i].Time.Add(-time.Hour)
	}
	if evs := Detect(append(gen(10, time.Second, func(int, time.Duration) (uint64, uint64, bool) { return 3 * gib, 0, true }), back...), Options{}, nil); len(evs) != 0 {
		t.Errorf("clock going back: %+v", evs)
	}
	t.Log("generated failed reads, zero reading, host gone, spike, gap, clock back: false positives 0")
}

func TestDetectorMatchesDetect(t *testing.T) {
	r := loadCSV(t, "recorded-dropcache.csv")
	hints := []Hint{{r.marks["drop_caches"], SourceManual}}
	want := Detect(r.samples, Options{}, hints)
	d := NewDetector(Options{})
	var got []Event
	for _, s := range r.samples {
		if len(hints) > 0 && !s.Time.Before(hints[0].Time) {
			d.Hint(hints[0])
			hints = hints[1:]
		}
		got = append(got, d.Observe(s)...)
	}
	if !reflect.DeepEqual(got, want) || len(got) != 1 || got[0].Source != SourceManual {
		t.Errorf("Detector %+v\nDetect   %+v", got, want)
	}
}

func TestOptionsThreshold(t *testing.T) {
	ss := gen(30, time.Second, func(i int, _ time.Duration) (uint64, uint64, bool) {
		if i < 10 {
			return 1 * gib, 0, true
		}
		return 1*gib - 200<<20, 0, true
	})
	if evs := Detect(ss, Options{}, nil); len(evs) != 0 {
		t.Errorf("200 MiB with the default 256 MiB threshold: %+v", evs)
	}
	if evs := Detect(ss, Options{Threshold: 100 << 20}, nil); len(evs) != 1 || evs[0].Bytes != 200<<20 {
		t.Errorf("200 MiB with a 100 MiB threshold: %+v", evs)
	}
}

func BenchmarkDetect(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	ss := gen(900, time.Second, func(i int, _ time.Duration) (uint64, uint64, bool) {
		c := uint64(3*gib) + uint64(rng.IntN(100<<20))
		if i > 600 {
			c -= gib
		}
		return c, c + gib, true
	})
	b.ReportAllocs()
	for b.Loop() {
		Detect(ss, Options{}, nil)
	}
}

func BenchmarkObserve(b *testing.B) {
	d := NewDetector(Options{})
	s := backend.Sample{Time: t0, Guest: backend.GuestMemory{TotalBytes: 16 * gib, CacheBytes: 3 * gib}, Host: &backend.HostView{VMProcessBytes: 5 * gib}}
	b.ReportAllocs()
	for b.Loop() {
		s.Time = s.Time.Add(time.Second)
		s.Guest.CacheBytes ^= 1 << 20
		d.Observe(s)
	}
}

func TestSourceLabel(t *testing.T) {
	for _, c := range []struct {
		s    Source
		this bool
		want string
	}{
		{SourceAutomatic, false, "automatic"},
		{SourceAutomatic, true, "cache dropped"},
		{SourceManual, true, "manual"},
		{SourceDistroStopped, false, "distro stopped"},
		{SourceVMShutdown, false, "VM shut down"},
	} {
		if got := c.s.Label(c.this); got != c.want {
			t.Errorf("%q.Label(%v) = %q, want %q", c.s, c.this, got, c.want)
		}
	}
}
