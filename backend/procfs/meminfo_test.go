package procfs

import (
	"math"
	"strings"
	"testing"
)

const kib = 1024

func TestParseMeminfoFiles(t *testing.T) {
	tests := []struct {
		file string
		want Meminfo
	}{
		{"live/meminfo", Meminfo{
			MemTotal: 24683620 * kib, MemFree: 24363520 * kib, MemAvailable: 24387108 * kib,
			Buffers: 4312 * kib, Cached: 212504 * kib, Shmem: 8952 * kib, SReclaimable: 37736 * kib,
			Dirty: 16 * kib, ActiveFile: 110928 * kib, InactiveFile: 96928 * kib,
		}},
		{"wsl1/meminfo", Meminfo{ // no MemAvailable on WSL 1
			MemTotal: 16647124 * kib, MemFree: 5969580 * kib, Buffers: 34032 * kib, Cached: 188576 * kib,
			SwapTotal: 4980736 * kib, SwapFree: 4612092 * kib, AnonPages: 102824 * kib, Mapped: 71404 * kib,
			Shmem: 17720 * kib, SReclaimable: 6744 * kib, ActiveFile: 64452 * kib, InactiveFile: 140436 * kib,
		}},
		{"wsl1/meminfo_swapfree_glitch", Meminfo{
			MemTotal: 16647124 * kib, MemFree: 5969580 * kib, Buffers: 34032 * kib, Cached: 188576 * kib,
			SwapFree: 18014396678257232 * kib, AnonPages: 102824 * kib, Mapped: 71404 * kib,
			Shmem: 17720 * kib, SReclaimable: 6744 * kib, ActiveFile: 64452 * kib, InactiveFile: 140436 * kib,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseMeminfo(readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			// Compare the fields the table sets; the rest of the file is checked by sum below.
			check := func(name string, g, w uint64) {
				if w != 0 && g != w {
					t.Errorf("%s = %d, want %d", name, g, w)
				}
			}
			check("MemTotal", got.MemTotal, tt.want.MemTotal)
			check("MemFree", got.MemFree, tt.want.MemFree)
			check("Buffers", got.Buffers, tt.want.Buffers)
			check("Cached", got.Cached, tt.want.Cached)
			check("Shmem", got.Shmem, tt.want.Shmem)
			check("SReclaimable", got.SReclaimable, tt.want.SReclaimable)
			check("Dirty", got.Dirty, tt.want.Dirty)
			check("SwapTotal", got.SwapTotal, tt.want.SwapTotal)
			check("SwapFree", got.SwapFree, tt.want.SwapFree)
			check("AnonPages", got.AnonPages, tt.want.AnonPages)
			check("Mapped", got.Mapped, tt.want.Mapped)
			check("ActiveFile", got.ActiveFile, tt.want.ActiveFile)
			check("InactiveFile", got.InactiveFile, tt.want.InactiveFile)
			if got.MemAvailable != tt.want.MemAvailable {
				t.Errorf("MemAvailable = %d, want %d", got.MemAvailable, tt.want.MemAvailable)
			}
			g := got.Guest()
			if g.UsedBytes+g.CacheBytes+g.FreeBytes != g.TotalBytes {
				t.Errorf("Used+Cache+Free = %d, want Total %d", g.UsedBytes+g.CacheBytes+g.FreeBytes, g.TotalBytes)
			}
			if wc := tt.want.Buffers + tt.want.Cached + tt.want.SReclaimable; g.CacheBytes != wc {
				t.Errorf("Cache = %d, want %d", g.CacheBytes, wc)
			}
		})
	}
}

func TestParseMeminfoInline(t *testing.T) {
	tests := []struct {
		name, in string
		want     Meminfo
	}{
		{"minimal", "MemTotal: 2 kB\n", Meminfo{MemTotal: 2048}},
		{"no unit is taken as is", "MemTotal: 5\n", Meminfo{MemTotal: 5}},
		{"no trailing newline", "MemTotal: 1 kB", Meminfo{MemTotal: 1024}},
		{"CRLF", "MemTotal: 1 kB\r\nMemFree: 1 kB\r\n", Meminfo{MemTotal: 1024, MemFree: 1024}},
		{"blank lines", "\n\nMemTotal: 1 kB\n\n", Meminfo{MemTotal: 1024}},
		{"no blank after colon", "MemTotal:7 kB\n", Meminfo{MemTotal: 7 * 1024}},
		{"tabs", "MemTotal:\t7\tkB\n", Meminfo{MemTotal: 7 * 1024}},
		{"unknown keys skipped unread", "Foo: bar baz\nHugePages_Total: 0\nMemTotal: 1 kB\n", Meminfo{MemTotal: 1024}},
		{"largest value that fits", "MemTotal: 18014398509481983 kB\n", Meminfo{MemTotal: 18014398509481983 * 1024}},
		{"last duplicate wins", "MemTotal: 1 kB\nMemTotal: 2 kB\n", Meminfo{MemTotal: 2048}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMeminfo([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseMeminfoErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want []string
	}{
		{"empty", nil, []string{"no MemTotal"}},
		{"no MemTotal", readTestdata(t, "bad/meminfo_no_total"), []string{"no MemTotal"}},
		{"overflow", readTestdata(t, "bad/meminfo_overflow"), []string{"line 19", "overflows", "Dirty"}},
		{"max uint64 kB", []byte("MemTotal: 18446744073709551615 kB\n"), []string{"line 1", "overflows"}},
		{"number overflow", []byte("MemTotal: 99999999999999999999 kB\n"), []string{"line 1", "bad number"}},
		{"not a number", []byte("MemTotal: 1 kB\nMemFree: lots kB\n"), []string{"line 2", "bad number", `"MemFree: lots kB"`}},
		{"negative", []byte("MemTotal: -1 kB\n"), []string{"line 1", "bad number"}},
		{"no value", []byte("MemTotal:\n"), []string{"line 1", "bad number"}},
		{"bad unit", []byte("MemTotal: 1 MB\n"), []string{"line 1", "unknown unit"}},
		{"no colon", []byte("MemTotal: 1 kB\nthis is not meminfo\n"), []string{"line 2", "no ':'"}},
		{"long line is truncated", []byte("MemTotal: 1 kB\n" + strings.Repeat("x", 500)), []string{"line 2", "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMeminfo(tt.in)
			if err == nil {
				t.Fatalf("no error, got %+v", m)
			}
			wantParseErr(t, err, "parse meminfo", tt.want...)
			if len(err.Error()) > 200 {
				t.Errorf("error message is %d bytes long: %q", len(err.Error()), err)
			}
		})
	}
}

func TestMeminfoGuest(t *testing.T) {
	tests := []struct {
		name string
		m    Meminfo
		want struct{ used, cache uint64 }
	}{
		{"normal", Meminfo{MemTotal: 100, MemFree: 20, Buffers: 5, Cached: 30, SReclaimable: 5},
			struct{ used, cache uint64 }{40, 40}},
		{"nothing used", Meminfo{MemTotal: 100, MemFree: 60, Cached: 40}, struct{ used, cache uint64 }{0, 40}},
		{"free+cache above total clamps used", Meminfo{MemTotal: 100, MemFree: 90, Cached: 40},
			struct{ used, cache uint64 }{0, 40}},
		{"cache sum saturates", Meminfo{MemTotal: 100, Buffers: math.MaxUint64, Cached: math.MaxUint64},
			struct{ used, cache uint64 }{0, math.MaxUint64}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.m.Guest()
			if g.UsedBytes != tt.want.used || g.CacheBytes != tt.want.cache {
				t.Errorf("used %d cache %d, want %d %d", g.UsedBytes, g.CacheBytes, tt.want.used, tt.want.cache)
			}
			if g.TotalBytes != tt.m.MemTotal || g.FreeBytes != tt.m.MemFree {
				t.Errorf("total/free not copied: %+v", g)
			}
		})
	}
	m := Meminfo{MemTotal: 10, MemFree: 1, MemAvailable: 2, SwapTotal: 3, SwapFree: 4, Shmem: 5, Dirty: 6}
	g := m.Guest()
	if g.AvailableBytes != 2 || g.SwapTotalBytes != 3 || g.SwapFreeBytes != 4 || g.ShmemBytes != 5 || g.DirtyBytes != 6 {
		t.Errorf("copied fields wrong: %+v", g)
	}
}

// FileCache needs all three of Active(file), Inactive(file) and SReclaimable: a meminfo without
// one of them has none (nil in the domain type), not a partial sum.
func TestMeminfoFileCache(t *testing.T) {
	full := "MemTotal: 100 kB\nActive(file): 10 kB\nInactive(file): 20 kB\nSReclaimable: 3 kB\n"
	m, err := ParseMeminfo([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if fc, ok := m.FileCache(); !ok || fc != 33*kib {
		t.Fatalf("FileCache = %d %v, want %d", fc, ok, 33*kib)
	}
	if g := m.Guest(); g.FileCacheBytes == nil || *g.FileCacheBytes != 33*kib {
		t.Fatalf("Guest().FileCacheBytes = %v", g.FileCacheBytes)
	}
	for _, drop := range []string{"Active(file)", "Inactive(file)", "SReclaimable"} {
		var kept []string
		for _, l := range strings.Split(full, "\n") {
			if !strings.HasPrefix(l, drop+":") {
				kept = append(kept, l)
			}
		}
		m, err := ParseMeminfo([]byte(strings.Join(kept, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		if fc, ok := m.FileCache(); ok || m.Guest().FileCacheBytes != nil {
			t.Errorf("without %s: FileCache = %d %v, FileCacheBytes %v; want none", drop, fc, ok, m.Guest().FileCacheBytes)
		}
	}
	// A zero value is a value: the key was there.
	m, _ = ParseMeminfo([]byte("MemTotal: 1 kB\nActive(file): 0 kB\nInactive(file): 0 kB\nSReclaimable: 0 kB\n"))
	if g := m.Guest(); g.FileCacheBytes == nil || *g.FileCacheBytes != 0 {
		t.Fatalf("all zero: %v", g.FileCacheBytes)
	}
	m, _ = ParseMeminfo(readTestdata(t, "live/meminfo"))
	if fc, ok := m.FileCache(); !ok || fc != (110928+96928+37736)*kib {
		t.Fatalf("live: %d %v", fc, ok)
	}
}
