package procfs

import (
	"bytes"
	"math"

	"github.com/wsldash/wsldash/backend"
)

// Meminfo holds the /proc/meminfo values wsldash uses. All values are in bytes (the file's "kB"
// is KiB). Keys absent from the file are zero.
type Meminfo struct {
	MemTotal, MemFree, MemAvailable, Buffers, Cached, SwapCached, Shmem, SReclaimable,
	SwapTotal, SwapFree, Dirty, Writeback, AnonPages, Mapped, ActiveFile, InactiveFile uint64

	has fileCacheKeys // which of the file-cache keys the file had (FileCache needs all three)
}

// fileCacheKeys are bits for Active(file), Inactive(file) and SReclaimable.
type fileCacheKeys uint8

const (
	hasActiveFile fileCacheKeys = 1 << iota
	hasInactiveFile
	hasSReclaimable
	hasAllFileCache = hasActiveFile | hasInactiveFile | hasSReclaimable
)

// field returns where the value of key goes, or nil for keys we do not keep. A switch on
// string(key) does not allocate.
func (m *Meminfo) field(key []byte) *uint64 {
	switch string(key) {
	case "MemTotal":
		return &m.MemTotal
	case "MemFree":
		return &m.MemFree
	case "MemAvailable":
		return &m.MemAvailable
	case "Buffers":
		return &m.Buffers
	case "Cached":
		return &m.Cached
	case "SwapCached":
		return &m.SwapCached
	case "Shmem":
		return &m.Shmem
	case "SReclaimable":
		return &m.SReclaimable
	case "SwapTotal":
		return &m.SwapTotal
	case "SwapFree":
		return &m.SwapFree
	case "Dirty":
		return &m.Dirty
	case "Writeback":
		return &m.Writeback
	case "AnonPages":
		return &m.AnonPages
	case "Mapped":
		return &m.Mapped
	case "Active(file)":
		return &m.ActiveFile
	case "Inactive(file)":
		return &m.InactiveFile
	}
	return nil
}

const opMeminfo = "parse meminfo"

// ParseMeminfo parses the contents of /proc/meminfo. Lines are "Key:   value kB" (WSL 1 has
// been seen to print "Key:value kB" with no blank, microsoft/WSL#4829). Unknown keys are
// skipped without looking at their value; a kept key with a bad value, a line without ':',
// a value that overflows 64 bits once multiplied by 1024, or a missing MemTotal is a
// *backend.Error of kind KindParse.
func ParseMeminfo(b []byte) (Meminfo, error) {
	var m Meminfo
	haveTotal := false
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		if len(trimSpace(line)) == 0 {
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return Meminfo{}, parseErr(opMeminfo, n, "no ':' in %s", quote(line))
		}
		dst := m.field(line[:colon])
		if dst == nil {
			continue
		}
		num, rest := nextField(line[colon+1:])
		v, ok := parseUint(num)
		if !ok {
			return Meminfo{}, parseErr(opMeminfo, n, "bad number in %s", quote(line))
		}
		switch unit := trimSpace(rest); string(unit) {
		case "kB":
			if v > math.MaxUint64/1024 {
				return Meminfo{}, parseErr(opMeminfo, n, "value overflows 64 bits in bytes: %s", quote(line))
			}
			v *= 1024
		case "":
		default:
			return Meminfo{}, parseErr(opMeminfo, n, "unknown unit in %s", quote(line))
		}
		*dst = v
		switch dst {
		case &m.MemTotal:
			haveTotal = true
		case &m.ActiveFile:
			m.has |= hasActiveFile
		case &m.InactiveFile:
			m.has |= hasInactiveFile
		case &m.SReclaimable:
			m.has |= hasSReclaimable
		}
	}
	if !haveTotal {
		return Meminfo{}, parseErr(opMeminfo, 0, "no MemTotal line")
	}
	return m, nil
}

// Cache is buff/cache as free(1) counts it: Buffers + Cached + SReclaimable (saturating).
func (m Meminfo) Cache() uint64 {
	return addSat(addSat(m.Buffers, m.Cached), m.SReclaimable)
}

// FileCache is Active(file)+Inactive(file)+SReclaimable (saturating), the file cache WSL's
// gradual reclaim counts; ok is false when the file lacked one of the three (old kernels, WSL 1
// builds that print a short meminfo).
func (m Meminfo) FileCache() (bytes uint64, ok bool) {
	if m.has&hasAllFileCache != hasAllFileCache {
		return 0, false
	}
	return addSat(addSat(m.ActiveFile, m.InactiveFile), m.SReclaimable), true
}

// Guest converts to the domain type. Cache = Buffers+Cached+SReclaimable (free(1)'s
// buff/cache) and Used = Total-Free-Cache, clamped at 0, so Used+Cache+Free == Total whenever
// Free+Cache <= Total (always, for a sane kernel). Available, Swap*, Shmem and Dirty are copied.
//
// MemAvailable is absent on WSL 1 and on kernels before 3.14; Available is then zero, and a
// caller that wants an estimate can use Free+Cache. FileCacheBytes is FileCache, nil without it.
func (m Meminfo) Guest() backend.GuestMemory {
	cache := m.Cache()
	var used uint64
	if fc := addSat(m.MemFree, cache); fc < m.MemTotal {
		used = m.MemTotal - fc
	}
	var fileCache *uint64
	if fc, ok := m.FileCache(); ok {
		fileCache = &fc
	}
	return backend.GuestMemory{
		FileCacheBytes: fileCache,
		TotalBytes:     m.MemTotal,
		UsedBytes:      used,
		CacheBytes:     cache,
		FreeBytes:      m.MemFree,
		AvailableBytes: m.MemAvailable,
		SwapTotalBytes: m.SwapTotal,
		SwapFreeBytes:  m.SwapFree,
		ShmemBytes:     m.Shmem,
		DirtyBytes:     m.Dirty,
	}
}
