package backend

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// DiskReporter is a backend that can say how big a distro's disk is and how full (the wsl and
// demo backends). It never starts a stopped distro to look inside.
type DiskReporter interface {
	DiskUsage(ctx context.Context, name string) (DiskUsage, error)
}

// DiskUsage is one distro's disk as Windows sees it (the ext4.vhdx file) beside the guest's view
// of its root file system. A figure that is not known is nil, never 0.
type DiskUsage struct {
	Distro   string `json:"distro"`
	State    State  `json:"state"`
	Version  int    `json:"version"`
	DiskPath string `json:"disk_path,omitempty"` // the ext4.vhdx ("" when unknown or WSL 1)
	// VHDXBytes is what the disk file holds on the Windows drive.
	VHDXBytes *int64 `json:"vhdx_bytes"`
	// Inside is the guest's df of / (only for a running distro).
	Inside *FSUsage `json:"inside"`
	// Reclaimable is VHDXBytes less Inside.UsedBytes (at least 0) when both are known: what a
	// compact could give back to Windows.
	Reclaimable *int64 `json:"reclaimable_bytes"`
	// Note says why a figure is unknown ("" when all are known).
	Note string `json:"note,omitempty"`
	// Reclaim says what gets the space back ("" for WSL 1, which has no virtual disk).
	Reclaim string `json:"how_to_reclaim,omitempty"`
}

// FSUsage is df's view of a file system, in bytes.
type FSUsage struct {
	SizeBytes  int64 `json:"size_bytes"`
	UsedBytes  int64 `json:"used_bytes"`
	AvailBytes int64 `json:"avail_bytes"`
}

// DiskUsageOf is d's DiskUsage: the disk file's size as d has it, and the inside from look,
// which is called only for a running WSL 2 distro (a look would start a stopped one). A look
// that fails leaves the inside unknown with the reason in Note; one that timed out or was
// cancelled also returns its error, with what is known, so that a caller asking for several
// distros stops there instead of waiting again.
func DiskUsageOf(d Distro, look func() (FSUsage, error)) (DiskUsage, error) {
	u := DiskUsage{Distro: d.Name, State: d.State, Version: d.Version, DiskPath: d.DiskPath}
	if d.Version != 2 {
		where := d.BasePath
		if where == "" {
			where = "(unknown here)"
		}
		u.Note = "WSL 1 has no virtual disk: its files are in the Windows folder " + where
		return u, nil
	}
	u.Reclaim = ReclaimAdvice(d.Name)
	var notes []string
	switch {
	case d.DiskBytes > 0:
		n := d.DiskBytes
		u.VHDXBytes = &n
	case d.DiskPath == "":
		notes = append(notes, "the disk file's size is unknown here (its path is in the Windows registry)")
	default:
		notes = append(notes, "the size of "+d.DiskPath+" could not be read")
	}
	var err error
	if d.State != StateRunning {
		notes = append(notes, NotRunningNote(d.State))
	} else if fs, lerr := look(); lerr == nil {
		u.Inside = &fs
	} else if gaveUp(lerr) {
		notes, err = append(notes, "df inside did not answer"), lerr
	} else {
		notes = append(notes, "df inside failed: "+lerr.Error())
	}
	u.Reclaimable = Reclaimable(u.VHDXBytes, u.Inside)
	u.Note = strings.Join(notes, "; ")
	return u, err
}

// gaveUp says whether err means waiting again is pointless: the tool timed out or the caller
// stopped waiting.
func gaveUp(err error) bool {
	return KindOf(err) == KindTimeout || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// DiskRow is one distro's row in a DiskReport. Err says why it could not be looked at; the
// figures are then what the backend still gave (a timed-out df leaves the file's size), else
// just the distro's name, state and version from the list.
type DiskRow struct {
	DiskUsage
	Err error
}

// diskLooks is how many DiskUsage calls DiskReport runs at once: a running distro's df is a
// wsl.exe call, and a few side by side cost one wait instead of one per distro.
const diskLooks = 4

// DiskReport is the disk of each of distros, in their order, from r, a few looks at a time. A
// distro that cannot be looked at has its error in its row and the others are still looked at;
// but once a look timed out (a hung wsl.exe) or ctx ended, no further look starts, so a hang
// costs one timeout, not one per distro, and the rows not looked at say so. No distro is
// started: DiskUsage reads a stopped one's file size only.
func DiskReport(ctx context.Context, r DiskReporter, distros []Distro) []DiskRow {
	rows := make([]DiskRow, len(distros))
	var wg sync.WaitGroup
	var hung atomic.Bool
	slots := make(chan struct{}, diskLooks)
	for i, d := range distros {
		listed := DiskUsage{Distro: d.Name, State: d.State, Version: d.Version}
		slots <- struct{}{}
		if hung.Load() || ctx.Err() != nil {
			<-slots
			err := error(&Error{Kind: KindTimeout, Op: "df", Distro: d.Name, Message: "not looked at: an earlier look did not answer"})
			if ctx.Err() != nil {
				err = fmt.Errorf("df %s: not looked at: %w", d.Name, ctx.Err())
			}
			rows[i] = DiskRow{DiskUsage: listed, Err: err}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }() // after hung is set: the next look sees it
			u, err := r.DiskUsage(ctx, d.Name)
			if err != nil {
				if gaveUp(err) {
					hung.Store(true)
				}
				if u.State == "" {
					u = listed
				}
			}
			rows[i] = DiskRow{DiskUsage: u, Err: err}
		}()
	}
	wg.Wait()
	return rows
}

// Reclaimable is vhdx less the used space inside, at least 0, or nil when either is unknown.
func Reclaimable(vhdx *int64, inside *FSUsage) *int64 {
	if vhdx == nil || inside == nil {
		return nil
	}
	n := max(*vhdx-inside.UsedBytes, 0)
	return &n
}

// ReclaimAdvice is what gives a WSL 2 distro's freed space back to Windows: the disk file never
// shrinks by itself (microsoft/WSL#4699). Docker Desktop's distros are left to Docker Desktop.
func ReclaimAdvice(name string) string {
	if IsDockerDistro(name) {
		return "it is Docker Desktop's: compacting or stopping it with wsl breaks Docker Desktop; free space with docker system prune and shrink it from Docker Desktop's own settings"
	}
	return fmt.Sprintf("wsldash compact %s --yes: fstrim inside and stop it, then wsl --shutdown and Optimize-VHD (or diskpart) in an elevated prompt shrink the file (needs admin); or wsldash compact %s --sparse --yes: a sparse disk hands freed blocks back without elevation (WSL gates it behind --allow-unsafe)", name, name)
}

// DFArgs is the command that reads a root's usage in the guest: POSIX df (-P: one line per file
// system, never wrapped; -k: 1024-byte blocks), which GNU coreutils, BusyBox (Alpine) and toybox
// all accept. GNU's --output=size,used,avail and -B1 are not in every BusyBox.
var DFArgs = []string{"df", "-P", "-k", "/"}

// ErrDFFormat is returned by ParseDF for output it does not understand.
var ErrDFFormat = errors.New("unrecognised df output")

// ParseDF reads the output of DFArgs (POSIX df -P -k, GNU or BusyBox), and also GNU's
// `df -B1 --output=size,used,avail`. The header's words may be localized; only its block-size
// column is read ("1024-blocks", "1K-blocks", "1B-blocks", "1-blocks", "512-blocks"; anything
// else: 1024, as -k asks). The first file system line is the answer.
func ParseDF(out string) (FSUsage, error) {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(out, "\r", ""), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 {
		return FSUsage{}, fmt.Errorf("%w: %d lines", ErrDFFormat, len(lines))
	}
	head := strings.Fields(lines[0])
	row := strings.Fields(lines[1])
	var nums []string
	unit := int64(1024)
	switch {
	case len(head) == 3 && len(row) == 3:
		// --output=size,used,avail: "1B-blocks Used Avail" (or localized), three numbers.
		nums = row
		if u, ok := blockUnit(head[0]); ok {
			unit = u
		}
	case len(row) >= 6:
		// Filesystem blocks used available capacity mounted-on; the file system's name has no
		// spaces (a device or "none"), the mount point may: count from the left.
		nums = row[1:4]
		if !strings.HasSuffix(row[4], "%") && row[4] != "-" {
			return FSUsage{}, fmt.Errorf("%w: capacity %q", ErrDFFormat, row[4])
		}
		if len(head) >= 2 {
			if u, ok := blockUnit(head[1]); ok {
				unit = u
			}
		}
	default:
		return FSUsage{}, fmt.Errorf("%w: %q", ErrDFFormat, lines[1])
	}
	var v [3]int64
	for i, s := range nums {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > (1<<62)/unit {
			return FSUsage{}, fmt.Errorf("%w: %q is not a block count", ErrDFFormat, s)
		}
		v[i] = n * unit
	}
	return FSUsage{SizeBytes: v[0], UsedBytes: v[1], AvailBytes: v[2]}, nil
}

// blockUnit reads df's block-size header: "1024-blocks", "1K-blocks", "1B-blocks", "1-blocks".
func blockUnit(h string) (int64, bool) {
	num, _, ok := strings.Cut(h, "-")
	if !ok || num == "" {
		return 0, false
	}
	mult := int64(1)
	switch num[len(num)-1] {
	case 'B':
		num = num[:len(num)-1]
	case 'K', 'k':
		mult, num = 1024, num[:len(num)-1]
	case 'M':
		mult, num = 1<<20, num[:len(num)-1]
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > 1<<20 {
		return 0, false
	}
	return n * mult, true
}

// NotRunningNote says why a distro's inside is unknown: it is not running, and a look would
// start it.
func NotRunningNote(s State) string {
	return strings.ToLower(string(s)) + ": the space used inside is known only while it runs (wsldash does not start a distro to look)"
}
