package procfs

import (
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func TestParseCgroupMemStat(t *testing.T) {
	m, err := ParseCgroupMemStat(readTestdata(t, "cgroup/visible/sys/wsl-user/distro-417/memory.stat"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Anon != 1288490188 || m.File != 734003200 || m.Shmem != 16777216 {
		t.Errorf("got %+v", m)
	}
	for _, c := range []struct{ in, msg string }{
		{"anon 1\n", "no anon or file"},
		{"file 1\n", "no anon or file"},
		{"anon x\nfile 1\n", "line 1: bad value"},
		{"anon 1 2\nfile 1\n", "more than key and value"},
	} {
		_, err := ParseCgroupMemStat([]byte(c.in))
		wantParseErr(t, err, opMemStat, c.msg)
	}
}

func TestParseCgroupV2Path(t *testing.T) {
	for in, want := range map[string]string{
		"0::/wsl-user/distro-417/non-systemd\n":                     "/wsl-user/distro-417/non-systemd",
		"12:memory:/docker/abc\n1:name=systemd:/x\n0::/non-systemd": "/non-systemd",
		"0::/\n": "/",
	} {
		got, err := ParseCgroupV2Path([]byte(in))
		if err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{"4:memory:/x\n": "no cgroup v2 line", "0::x\n": "not absolute", "garbage": "no ':'", "0:x": "no second"} {
		_, err := ParseCgroupV2Path([]byte(in))
		wantParseErr(t, err, opSelfCgroup, msg)
	}
}

func TestDistroCgroupDir(t *testing.T) {
	for in, want := range map[string]string{
		"/wsl-user/distro-417/non-systemd":        "wsl-user/distro-417",
		"/wsl-user/distro-417":                    "wsl-user/distro-417",
		"/wsl-user/distro-417/systemd/init.scope": "wsl-user/distro-417",
		"/wsl-user/distro-/x":                     "",
		"/wsl-user/distro-41x":                    "",
		"/wsl-user/non-distro":                    "",
		"/x/wsl-user/distro-4":                    "",
		"/non-systemd":                            "",
		"/":                                       "",
	} {
		got, visible := DistroCgroupDir(in)
		if got != want || visible != (want != "") {
			t.Errorf("DistroCgroupDir(%q) = %q %v, want %q", in, got, visible, want)
		}
	}
}

// TestOwnDistroMemoryBothLayouts reads the same distro's memory in both layouts WSL might
// give a distro (the whole tree visible, or a cgroup namespace), and none on plain Linux.
func TestOwnDistroMemoryBothLayouts(t *testing.T) {
	for _, c := range []struct {
		dir   string
		ok    bool
		where string
	}{
		{"visible", true, "wsl-user/distro-417"},
		{"namespaced", true, "sys"},
		{"plain", false, ""},
	} {
		root := "testdata/cgroup/" + c.dir
		m, ok := OwnDistroMemory(root+"/sys", readTestdata(t, "cgroup/"+c.dir+"/self_cgroup"))
		if ok != c.ok {
			t.Fatalf("%s: ok = %v, want %v (%+v)", c.dir, ok, c.ok, m)
		}
		if !ok {
			continue
		}
		if !strings.HasSuffix(m.Dir, c.where) || m.Current != 2064433428 {
			t.Errorf("%s: %+v", c.dir, m)
		}
		d := m.DistroShare("Ubuntu")
		if d.Source != backend.MemoryCgroup || d.CacheBytes == nil || *d.CacheBytes != 734003200 || d.MemoryBytes != 2064433428-734003200 {
			t.Errorf("%s: share %+v", c.dir, d)
		}
	}
}

func TestCgroupShareNeverNegative(t *testing.T) {
	d := CgroupMemory{Current: 10, Stat: CgroupMemStat{File: 20}}.DistroShare("docker-desktop")
	if d.MemoryBytes != 0 || *d.CacheBytes != 20 || !d.Docker {
		t.Errorf("%+v", d)
	}
	if _, err := ParseCgroupMemory("x", []byte("max\n"), []byte("anon 1\nfile 1\n")); err == nil {
		t.Error("memory.current max accepted")
	}
}
