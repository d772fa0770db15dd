package reclaim

import (
	"reflect"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
)

// The fuzz input is 6 bytes per sample: the time step (100 ms units; 255 = a 60 s gap, 254 = the
// clock going back 1 s), the cache in 16 MiB units (2 bytes), flags (bit 0: the guest read
// worked, bit 1: a host view, bit 2: a hint at this sample whose source is bits 3-4), and the VM
// bytes in 16 MiB units (2 bytes).
const unit = 16 << 20

var sources = []Source{SourceAutomatic, SourceManual, SourceDistroStopped, SourceVMShutdown}

func decode(b []byte) ([]backend.Sample, []Hint) {
	var ss []backend.Sample
	var hs []Hint
	at := t0
	for ; len(b) >= 6; b = b[6:] {
		switch b[0] {
		case 255:
			at = at.Add(time.Minute)
		case 254:
			at = at.Add(-time.Second)
		default:
			at = at.Add(time.Duration(b[0]) * 100 * time.Millisecond)
		}
		s := backend.Sample{Time: at}
		if b[3]&1 != 0 {
			s.Guest = backend.GuestMemory{TotalBytes: 64 << 30, CacheBytes: uint64(b[1])<<8 | uint64(b[2])}
			s.Guest.CacheBytes *= unit
		}
		if b[3]&2 != 0 {
			s.Host = &backend.HostView{VMProcessBytes: (uint64(b[4])<<8 | uint64(b[5])) * unit}
		}
		if b[3]&4 != 0 {
			hs = append(hs, Hint{Time: at, Source: sources[b[3]>>3&3]})
		}
		ss = append(ss, s)
	}
	return ss, hs
}

func encode(ss []backend.Sample) []byte {
	var b []byte
	prev := t0
	for _, s := range ss {
		dt := s.Time.Sub(prev) / (100 * time.Millisecond)
		prev = s.Time
		c := s.Guest.CacheBytes / unit
		b = append(b, byte(min(dt, 253)), byte(c>>8), byte(c), 1, 0, 0)
	}
	return b
}

func FuzzDetect(f *testing.F) {
	for _, name := range []string{"recorded-dropcache.csv", "recorded-idle.csv"} {
		f.Add(encode(loadCSV(f, name).samples))
	}
	f.Add([]byte{10, 0, 200, 3, 1, 0, 10, 0, 200, 3, 1, 0, 10, 0, 200, 3, 1, 0, 10, 0, 200, 3, 1, 0, 10, 0, 200, 3, 1, 0,
		10, 0, 200, 31, 1, 0, 10, 0, 0, 2, 0, 0, 10, 0, 0, 0, 0, 0, 255, 0, 10, 3, 0, 10})
	f.Fuzz(func(t *testing.T, b []byte) {
		ss, hs := decode(b)
		for _, opts := range []Options{{}, {Threshold: unit, Window: time.Second, Quiet: 3 * time.Second, NoiseFactor: 1}} {
			want := Detect(ss, opts, hs)
			d := NewDetector(opts)
			var got []Event
			h := 0
			var maxCache, maxVM uint64
			for _, s := range ss {
				for h < len(hs) && !hs[h].Time.After(s.Time) {
					d.Hint(hs[h])
					h++
				}
				got = append(got, d.Observe(s)...)
				maxCache = max(maxCache, s.Guest.CacheBytes)
				if s.Host != nil {
					maxVM = max(maxVM, s.Host.VMProcessBytes)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Detector %+v\nDetect   %+v", got, want)
			}
			thr := opts.withDefaults().Threshold
			for _, e := range got {
				top := maxCache
				if e.Series == SeriesVM {
					top = maxVM
				}
				if e.Bytes > top || e.From > top || e.From-e.To != e.Bytes || e.Bytes < thr || e.Start.After(e.Time) {
					t.Fatalf("bad event %+v (max %d)", e, top)
				}
				if e.Series != SeriesCache && e.Series != SeriesVM {
					t.Fatalf("series %q", e.Series)
				}
			}
		}
	})
}
