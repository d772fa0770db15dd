package procfs

import (
	"strconv"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// MountInfo is one line of /proc/<pid>/mountinfo (proc(5)). Root, MountPoint and Source are
// unescaped; the option strings are as the kernel wrote them (9p's "path=C:\;" stays raw).
type MountInfo struct {
	ID, ParentID int
	MajorMinor   string // "0:37"
	Root         string // the root of the mount within its filesystem
	MountPoint   string
	Options      string // per-mount options: "rw,nosuid,noatime"
	FSType       string // "ext4", "9p", "virtiofs", "fuse.sshfs"…
	Source       string // "/dev/sdc", "drivers", "C:\\", "none"…
	SuperOptions string // per-superblock options: "rw,aname=drvfs;path=C:\;…"
	// Optional holds the optional fields ("shared:1 master:2"), space-separated; often empty.
	Optional string
}

const opMountinfo = "parse mountinfo"

// ParseMountinfo parses /proc/<pid>/mountinfo:
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//
// Fields are separated by single blanks (an empty source shows up as two blanks and gives
// Source ""), optional fields run up to the "-" separator. A line that does not have this
// shape is a KindParse error naming the line.
func ParseMountinfo(b []byte) ([]MountInfo, error) {
	// One string for the whole file: every field below is a substring of it, so a mount
	// costs no allocation of its own unless a field needs unescaping.
	s := string(b)
	out := make([]MountInfo, 0, strings.Count(s, "\n")+1)
	for n := 1; len(s) > 0; n++ {
		var line string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			line, s = s, ""
		}
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		m, err := parseMountLine(line, n)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func parseMountLine(line string, n int) (MountInfo, error) {
	var f [6]string
	rest := line
	for i := range f {
		j := strings.IndexByte(rest, ' ')
		if j < 0 {
			return MountInfo{}, parseErr(opMountinfo, n, "want at least 6 fields before \" - \" in %s", quoteS(line))
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	// rest is "[optional fields ]- fstype source superoptions".
	var optional string
	switch {
	case strings.HasPrefix(rest, "- "):
		rest = rest[2:]
	default:
		k := strings.Index(rest, " - ")
		if k < 0 {
			return MountInfo{}, parseErr(opMountinfo, n, "no \" - \" separator in %s", quoteS(line))
		}
		optional, rest = rest[:k], rest[k+3:]
	}
	fstype, rest, ok1 := strings.Cut(rest, " ")
	source, super, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || strings.IndexByte(super, ' ') >= 0 {
		return MountInfo{}, parseErr(opMountinfo, n, "want fstype, source and options after \" - \" in %s", quoteS(line))
	}
	id, ok := parseIntN([]byte(f[0]))
	if !ok {
		return MountInfo{}, parseErr(opMountinfo, n, "bad mount ID %s", quoteS(f[0]))
	}
	parent, ok := parseIntN([]byte(f[1]))
	if !ok {
		return MountInfo{}, parseErr(opMountinfo, n, "bad parent ID %s", quoteS(f[1]))
	}
	return MountInfo{
		ID: id, ParentID: parent, MajorMinor: f[2],
		Root: Unescape(f[3]), MountPoint: Unescape(f[4]), Options: f[5],
		Optional: optional,
		FSType:   Unescape(fstype), Source: Unescape(source), SuperOptions: super,
	}, nil
}

func quoteS(s string) string {
	if len(s) > maxQuote {
		return strconv.Quote(s[:maxQuote]) + "…"
	}
	return strconv.Quote(s)
}

// Unescape decodes the octal escapes the kernel writes in mount tables (\040 space, \011 tab,
// \012 newline, \134 backslash, \043 '#'): any backslash followed by three octal digits of
// value at most 0377. Anything else, such as a lone "\" or "\9", is left as it is. It returns
// s itself (no allocation) when there is nothing to decode.
func Unescape(s string) string {
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+3 < len(s) && isOctalEscape(s[i+1:i+4]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isOctalEscape(d string) bool {
	return d[0] >= '0' && d[0] <= '3' &&
		d[1] >= '0' && d[1] <= '7' &&
		d[2] >= '0' && d[2] <= '7'
}

// Mount converts to the domain type. Options are the per-mount options followed by the
// superblock options that add something (like /proc/mounts shows them), so a 9p drive shows
// "rw,noatime,aname=drvfs;path=C:\;…".
func (m MountInfo) Mount(distro string) backend.Mount {
	return backend.Mount{
		Source:  m.Source,
		Target:  m.MountPoint,
		FSType:  m.FSType,
		Options: mergeOptions(m.Options, m.SuperOptions),
		Kind:    ClassifyMount(m.FSType, m.Source, m.SuperOptions),
		Distro:  distro,
	}
}

// mergeOptions appends the super options not already among the mount options.
func mergeOptions(mnt, super string) string {
	if super == "" {
		return mnt
	}
	var b strings.Builder
	b.WriteString(mnt)
	for o := range strings.SplitSeq(super, ",") {
		if o == "" || hasOption(mnt, o) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(o)
	}
	return b.String()
}

func hasOption(list, o string) bool {
	for x := range strings.SplitSeq(list, ",") {
		if x == o {
			return true
		}
	}
	return false
}

// ClassifyMount sorts a mount for display:
//   - drvfs (WSL 1), or 9p whose super options carry aname=drvfs (WSL 2 drive mounts) → MountDrvfs;
//   - virtiofs (WSL 2 with wsl2.virtiofs=true) → MountVirtiofs;
//   - any other 9p (WSL's drivers, wslg shares) → MountPlan9;
//   - a source under /dev/ (the distro's ext4 on /dev/sdX, wsl --mount, a USB stick) → MountDisk;
//   - everything else (proc, tmpfs, overlay, cgroup…) → MountOther.
func ClassifyMount(fstype, source, superOptions string) backend.MountKind {
	switch {
	case fstype == "drvfs":
		return backend.MountDrvfs
	case fstype == "9p":
		if has9pDrvfs(superOptions) {
			return backend.MountDrvfs
		}
		return backend.MountPlan9
	case fstype == "virtiofs":
		return backend.MountVirtiofs
	case strings.HasPrefix(source, "/dev/") && len(source) > len("/dev/"):
		return backend.MountDisk
	}
	return backend.MountOther
}

// has9pDrvfs reports whether a 9p option string has aname=drvfs. The aname value runs on with
// ';'-separated drvfs options ("aname=drvfs;path=C:\;uid=1000"), so it ends at ';' or ','.
func has9pDrvfs(opts string) bool {
	for o := range strings.SplitSeq(opts, ",") {
		if v, ok := strings.CutPrefix(o, "aname="); ok {
			name, _, _ := strings.Cut(v, ";")
			if name == "drvfs" {
				return true
			}
		}
	}
	return false
}
