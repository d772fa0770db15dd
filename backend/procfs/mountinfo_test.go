package procfs

import (
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func TestParseMountinfoWSL2(t *testing.T) {
	ms, err := ParseMountinfo(readTestdata(t, "wsl2/mountinfo"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 12 {
		t.Fatalf("%d mounts, want 12", len(ms))
	}
	byTarget := map[string]MountInfo{}
	for _, m := range ms {
		byTarget[m.MountPoint] = m
	}
	tests := []struct {
		target  string
		want    MountInfo
		kind    backend.MountKind
		options string // backend.Mount.Options
	}{
		{"/", MountInfo{ID: 86, ParentID: 1, MajorMinor: "8:32", Root: "/", MountPoint: "/", Options: "rw,relatime",
			FSType: "ext4", Source: "/dev/sdc", SuperOptions: "rw,discard,errors=remount-ro,data=ordered"},
			backend.MountDisk, "rw,relatime,discard,errors=remount-ro,data=ordered"},
		{"/usr/lib/wsl/drivers", MountInfo{ID: 83, ParentID: 86, MajorMinor: "0:37", Root: "/", MountPoint: "/usr/lib/wsl/drivers",
			Options: "ro,nosuid,nodev,noatime", FSType: "9p", Source: "drivers",
			SuperOptions: "ro,aname=drivers;fmask=222;dmask=222,cache=0x5,access=client,msize=65536,trans=fd,rfd=8,wfd=8"},
			backend.MountPlan9, "ro,nosuid,nodev,noatime,aname=drivers;fmask=222;dmask=222,cache=0x5,access=client,msize=65536,trans=fd,rfd=8,wfd=8"},
		{"/mnt/c", MountInfo{ID: 95, ParentID: 86, MajorMinor: "0:52", Root: "/", MountPoint: "/mnt/c", Options: "rw,noatime",
			FSType: "9p", Source: `C:\`,
			SuperOptions: `rw,aname=drvfs;path=C:\;uid=1000;gid=1000;symlinkroot=/mnt/,cache=5,access=client,msize=65536,trans=fd,rfd=6,wfd=6`},
			backend.MountDrvfs, `rw,noatime,aname=drvfs;path=C:\;uid=1000;gid=1000;symlinkroot=/mnt/,cache=5,access=client,msize=65536,trans=fd,rfd=6,wfd=6`},
		{"/mnt/d", MountInfo{ID: 96, ParentID: 86, MajorMinor: "0:53", Root: "/", MountPoint: "/mnt/d", Options: "rw,noatime",
			FSType: "9p", Source: "drvfs",
			SuperOptions: `rw,dirsync,aname=drvfs;path=D:\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,msize=262144,trans=virtio`},
			backend.MountDrvfs, `rw,noatime,dirsync,aname=drvfs;path=D:\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,msize=262144,trans=virtio`},
		{"/mnt/e", MountInfo{ID: 97, ParentID: 86, MajorMinor: "0:54", Root: "/", MountPoint: "/mnt/e", Options: "rw,noatime",
			FSType: "virtiofs", Source: "drvfsC0", SuperOptions: "rw"},
			backend.MountVirtiofs, "rw,noatime"},
		{"/mnt/wsl", MountInfo{ID: 88, ParentID: 86, MajorMinor: "0:38", Root: "/", MountPoint: "/mnt/wsl", Options: "rw,relatime",
			Optional: "shared:1", FSType: "tmpfs", Source: "none", SuperOptions: "rw"},
			backend.MountOther, "rw,relatime"},
		{"/mnt/wsl/My Disk", MountInfo{ID: 98, ParentID: 88, MajorMinor: "8:48", Root: "/", MountPoint: "/mnt/wsl/My Disk",
			Options: "rw,relatime", Optional: "master:1", FSType: "ext4", Source: "/dev/sdd",
			SuperOptions: "rw,discard,errors=remount-ro,data=ordered"},
			backend.MountDisk, "rw,relatime,discard,errors=remount-ro,data=ordered"},
		{"/init", MountInfo{ID: 92, ParentID: 86, MajorMinor: "0:2", Root: "/", MountPoint: "/init", Options: "ro",
			FSType: "rootfs", Source: "rootfs", SuperOptions: "ro,size=8167684k,nr_inodes=2041921"},
			backend.MountOther, "ro,size=8167684k,nr_inodes=2041921"},
		{"/mnt/wslg/distro", MountInfo{ID: 90, ParentID: 89, MajorMinor: "8:32", Root: "/", MountPoint: "/mnt/wslg/distro",
			Options: "ro,relatime", FSType: "ext4", Source: "/dev/sdc", SuperOptions: "ro,discard,errors=remount-ro,data=ordered"},
			backend.MountDisk, "ro,relatime,discard,errors=remount-ro,data=ordered"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			got, ok := byTarget[tt.target]
			if !ok {
				t.Fatalf("no mount on %q", tt.target)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			m := got.Mount("Ubuntu")
			want := backend.Mount{Source: tt.want.Source, Target: tt.target, FSType: tt.want.FSType,
				Options: tt.options, Kind: tt.kind, Distro: "Ubuntu"}
			if m != want {
				t.Errorf("Mount() = %+v\nwant      %+v", m, want)
			}
		})
	}
}

func TestParseMountinfoOtherFiles(t *testing.T) {
	tests := []struct {
		file   string
		n      int
		target string
		kind   backend.MountKind
	}{
		{"live/self_mountinfo", 19, "/", backend.MountDisk},
		{"live/self_mountinfo", 19, "/proc", backend.MountOther},
		{"wsl1/mountinfo", 2, "/mnt/c", backend.MountDrvfs},
		{"wsl1/mountinfo", 2, "/", backend.MountOther},
	}
	for _, tt := range tests {
		t.Run(tt.file+tt.target, func(t *testing.T) {
			ms, err := ParseMountinfo(readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != tt.n {
				t.Errorf("%d mounts, want %d", len(ms), tt.n)
			}
			for _, m := range ms {
				if m.MountPoint == tt.target {
					if k := m.Mount("").Kind; k != tt.kind {
						t.Errorf("kind %q, want %q", k, tt.kind)
					}
					return
				}
			}
			t.Errorf("no mount on %q", tt.target)
		})
	}
}

func TestParseMountinfoInline(t *testing.T) {
	tests := []struct {
		name, in string
		want     []MountInfo
	}{
		{"empty file", "", []MountInfo{}},
		{"empty source (two blanks)", "1 0 0:1 / /x rw - tmpfs  rw\n",
			[]MountInfo{{ID: 1, MajorMinor: "0:1", Root: "/", MountPoint: "/x", Options: "rw", FSType: "tmpfs", SuperOptions: "rw"}}},
		{"empty super options", "1 0 0:1 / /x rw - tmpfs none \n",
			[]MountInfo{{ID: 1, MajorMinor: "0:1", Root: "/", MountPoint: "/x", Options: "rw", FSType: "tmpfs", Source: "none"}}},
		{"several optional fields, escapes, CRLF",
			"7 1 8:1 /a\\040b /mnt/x\\011y rw shared:2 master:1 propagate_from:3 - ext4 /dev/my\\134disk rw\r\n",
			[]MountInfo{{ID: 7, ParentID: 1, MajorMinor: "8:1", Root: "/a b", MountPoint: "/mnt/x\ty", Options: "rw",
				Optional: "shared:2 master:1 propagate_from:3", FSType: "ext4", Source: `/dev/my\disk`, SuperOptions: "rw"}}},
		{"mount point that looks like a separator", "2 1 0:3 / /- rw - tmpfs none rw",
			[]MountInfo{{ID: 2, ParentID: 1, MajorMinor: "0:3", Root: "/", MountPoint: "/-", Options: "rw", FSType: "tmpfs", Source: "none", SuperOptions: "rw"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMountinfo([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d mounts %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("mount %d\ngot  %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseMountinfoErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"too few fields", "1 0 0:1 / /x\n", []string{"line 1", "at least 6 fields"}},
		{"no separator", "1 0 0:1 / /x rw shared:1 tmpfs none rw\n", []string{"line 1", "separator"}},
		{"separator last", "1 0 0:1 / /x rw -\n", []string{"line 1", "separator"}},
		{"nothing after separator", "1 0 0:1 / /x rw - \n", []string{"line 1", "want fstype"}},
		{"no super options", "1 0 0:1 / /x rw - tmpfs none\n", []string{"line 1", "want fstype"}},
		{"blank in super options", "1 0 0:1 / /x rw - tmpfs none rw extra\n", []string{"line 1", "want fstype"}},
		{"bad id on line 2", "1 0 0:1 / /x rw - tmpfs none rw\nx 0 0:1 / /y rw - tmpfs none rw\n", []string{"line 2", `mount ID "x"`}},
		{"bad parent", "1 p 0:1 / /x rw - tmpfs none rw\n", []string{"line 1", `parent ID "p"`}},
		{"mounts format instead", "none /mnt/wsl tmpfs rw,relatime 0 0\n", []string{"line 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := ParseMountinfo([]byte(tt.in))
			if err == nil {
				t.Fatalf("no error, got %+v", ms)
			}
			wantParseErr(t, err, "parse mountinfo", tt.want...)
		})
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"/plain/path", "/plain/path"},
		{`C:\134`, `C:\`},
		{`/mnt/My\040Disk`, "/mnt/My Disk"},
		{`a\011b\012c`, "a\tb\nc"},
		{`\043hash`, "#hash"},
		{`\134\134`, `\\`},
		{`\377`, "\xff"},
		{`trailing\`, `trailing\`},
		{`short\04`, `short\04`},
		{`\400 too big`, `\400 too big`},
		{`\9xx`, `\9xx`},
		{`\04x`, `\04x`},
		{`\\040`, `\ `}, // a lone backslash, then an escape
		{`path=C:\;uid`, `path=C:\;uid`},
	}
	for _, tt := range tests {
		if got := Unescape(tt.in); got != tt.want {
			t.Errorf("Unescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	s := "/no/escapes"
	if n := testing.AllocsPerRun(10, func() { _ = Unescape(s) }); n != 0 {
		t.Errorf("Unescape allocates %.0f times for a plain string", n)
	}
}

func TestClassifyMount(t *testing.T) {
	tests := []struct {
		fstype, source, super string
		want                  backend.MountKind
	}{
		{"9p", `C:\`, `rw,aname=drvfs;path=C:\;uid=1000`, backend.MountDrvfs},
		{"9p", "drvfs", "rw,dirsync,aname=drvfs;path=D:\\", backend.MountDrvfs},
		{"9p", "x", "aname=drvfs", backend.MountDrvfs},
		{"9p", "drivers", "ro,aname=drivers;fmask=222", backend.MountPlan9},
		{"9p", "drvfs", "rw,aname=drvfsx;path=C:\\", backend.MountPlan9},
		{"9p", "wslg", "rw,trans=fd", backend.MountPlan9},
		{"drvfs", `C:\`, "rw,case=off", backend.MountDrvfs},
		{"virtiofs", "drvfsC0", "rw", backend.MountVirtiofs},
		{"ext4", "/dev/sdc", "rw,discard", backend.MountDisk},
		{"xfs", "/dev/sdd1", "rw", backend.MountDisk},
		{"btrfs", "/dev/mapper/root", "rw", backend.MountDisk},
		{"vfat", "/dev/sde1", "rw", backend.MountDisk},
		{"ext4", "/dev/", "rw", backend.MountOther},
		{"tmpfs", "none", "rw", backend.MountOther},
		{"overlay", "none", "rw,lowerdir=/dev/x", backend.MountOther},
		{"proc", "proc", "rw", backend.MountOther},
		{"", "", "", backend.MountOther},
	}
	for _, tt := range tests {
		if got := ClassifyMount(tt.fstype, tt.source, tt.super); got != tt.want {
			t.Errorf("ClassifyMount(%q, %q, %q) = %q, want %q", tt.fstype, tt.source, tt.super, got, tt.want)
		}
	}
}

func TestMergeOptions(t *testing.T) {
	tests := []struct{ mnt, super, want string }{
		{"rw,noatime", "rw,aname=drvfs", "rw,noatime,aname=drvfs"},
		{"rw", "", "rw"},
		{"", "rw,x", "rw,x"},
		{"ro", "ro,,x", "ro,x"},
	}
	for _, tt := range tests {
		if got := mergeOptions(tt.mnt, tt.super); got != tt.want {
			t.Errorf("mergeOptions(%q, %q) = %q, want %q", tt.mnt, tt.super, got, tt.want)
		}
	}
}
