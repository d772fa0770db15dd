package wsl

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wslconfig"
)

const (
	netTCP = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
		"   0: 00000000:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 5432 1 0000000000000000 100 0 0 10 0\n" +
		"   1: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 6379 1 0000000000000000 100 0 0 10 0\n" +
		"   2: 020200C0:DD44 507100CB:01BB 01 00000000:00000000 00:00000000 00000000  1000        0 7777 1 0000000000000000 20 4 30 10 -1\n"
	netUDP = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
		" 123: FEFFFF0A:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 53 2 0000000000000000 0\n"
	memStat = "anon 104857600\nfile 52428800\nkernel 4194304\nshmem 0\n"
)

// lookGuest extends the guest tree with sockets (postgres on *:5432 held by pid 42, redis on
// 127.0.0.1:6379 held by nobody visible, a UDP socket on 10.255.255.254:53), and a cgroup layout.
func lookGuest(t *testing.T, layout string) string {
	t.Helper()
	root := guestRoot(t, false)
	files := map[string]string{
		"proc/net/tcp":  netTCP,
		"proc/net/tcp6": "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
		"proc/net/udp":  netUDP,
		"proc/1/comm":   "init\n",
		"proc/42/comm":  "postgres\n",
		"proc/1/statm":  "1000 300 200 1 0 100 0\n",
		"proc/42/statm": "5000 425 300 1 0 400 0\n",
	}
	switch layout {
	case "visible":
		files["proc/self/cgroup"] = "0::/wsl-user/distro-417/non-systemd\n"
		files["sys/fs/cgroup/wsl-user/distro-417/memory.current"] = "167772160\n"
		files["sys/fs/cgroup/wsl-user/distro-417/memory.stat"] = memStat
		files["sys/fs/cgroup/wsl-user/distro-902/memory.current"] = "999\n" // another distro's
		files["sys/fs/cgroup/wsl-user/distro-902/memory.stat"] = "anon 1\nfile 1\n"
		files["sys/fs/cgroup/wsl-user/cgroup.type"] = "domain\n"
	case "outside": // WSL's tree in sight, but this process in none of its distro cgroups
		files["proc/self/cgroup"] = "0::/init.scope\n"
		files["sys/fs/cgroup/wsl-user/cgroup.type"] = "domain\n"
		files["sys/fs/cgroup/wsl-user/distro-902/memory.current"] = "999\n"
		files["sys/fs/cgroup/memory.current"] = "167772160\n" // not this distro's: not to be taken
		files["sys/fs/cgroup/memory.stat"] = memStat
	case "namespaced":
		files["proc/self/cgroup"] = "0::/non-systemd\n"
		files["sys/fs/cgroup/memory.current"] = "167772160\n"
		files["sys/fs/cgroup/memory.stat"] = memStat
	default: // no per-distro cgroups: older WSL
		files["proc/self/cgroup"] = "0::/\n"
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"proc/42/fd/3": "socket:[5432]", "proc/42/fd/0": "/dev/null", "proc/1/fd/1": "pipe:[9]"} {
		full := filepath.Join(root, link)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestNetworkFromALookPerDistro(t *testing.T) {
	t.Setenv(wslconfig.EnvOverride, writeWSLConfig(t, "[wsl2]\nnetworkingMode=Mirrored\n"))
	st := twoDistros()
	st.GuestRoot = lookGuest(t, "visible")
	b, f, _ := newBackend(t, st, nil)
	n, err := b.Network(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if n.Mode != "mirrored" || n.ModeSource != ".wslconfig" {
		t.Errorf("mode %q from %q", n.Mode, n.ModeSource)
	}
	if len(n.Ports) != 3 {
		t.Fatalf("ports %+v", n.Ports)
	}
	byPort := map[int]backend.Port{}
	for _, p := range n.Ports {
		byPort[p.Port] = p
	}
	if p := byPort[5432]; p.Proto != "tcp" || p.Address != "0.0.0.0" || p.PID == nil || *p.PID != 42 || p.Process != "postgres" || p.Distro != "Ubuntu" {
		t.Errorf("5432: %+v", p)
	}
	if p := byPort[6379]; p.Address != "127.0.0.1" || p.PID != nil || p.Distro != "" {
		t.Errorf("6379 has no visible owner: %+v", p)
	}
	if p := byPort[53]; p.Proto != "udp" || p.Address != "10.255.255.254" {
		t.Errorf("53: %+v", p)
	}
	if f.Count("-d Debian") != 0 {
		t.Fatal("looked into a stopped distro")
	}
	if got := f.Count("-d Ubuntu --exec sh -c"); got != 1 {
		t.Fatalf("%d looks into Ubuntu, want 1", got)
	}
	// One distro: only its own sockets.
	one, err := b.Network(context.Background(), "Ubuntu")
	if err != nil || len(one.Ports) != 1 || one.Ports[0].Port != 5432 {
		t.Fatalf("Ubuntu only: %+v %v", one.Ports, err)
	}
	if _, err := b.Network(context.Background(), "Debian"); backend.KindOf(err) != backend.KindNotRunning {
		t.Fatalf("stopped distro: %v", err)
	}
}

func TestNetworkModeFromWslinfo(t *testing.T) {
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "wslinfo"), []byte("#!/bin/sh\n[ \"$1\" = --networking-mode ] && echo mirrored\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv(wslconfig.EnvOverride, writeWSLConfig(t, "[wsl2]\nnetworkingMode=nat\n"))
	st := twoDistros()
	st.GuestRoot = lookGuest(t, "visible")
	b, _, _ := newBackend(t, st, nil)
	n, err := b.Network(context.Background(), "")
	if err != nil || n.Mode != "mirrored" || n.ModeSource != "wslinfo" {
		t.Fatalf("%q %q %v", n.Mode, n.ModeSource, err)
	}
}

// TestDistroMemoryBothLayouts: the sample carries the distro's cgroup memory whether WSL shows
// the whole cgroup tree or only the distro's own, and an RSS estimate without per-distro cgroups.
func TestDistroMemoryBothLayouts(t *testing.T) {
	for _, c := range []struct {
		layout  string
		src     backend.MemorySource
		mem     uint64
		cache   bool
		goProbe bool
	}{
		{"visible", backend.MemoryCgroup, 167772160 - 52428800, true, false},
		{"namespaced", backend.MemoryCgroup, 167772160 - 52428800, true, false},
		{"none", backend.MemoryRSSEstimate, (300 + 425) * 4096, false, false},
		{"outside", backend.MemoryRSSEstimate, (300 + 425) * 4096, false, false},
		{"visible", backend.MemoryCgroup, 167772160 - 52428800, true, true},
		{"namespaced", backend.MemoryCgroup, 167772160 - 52428800, true, true},
		{"none", backend.MemoryRSSEstimate, (300 + 425) * 4096, false, true},
		{"outside", backend.MemoryRSSEstimate, (300 + 425) * 4096, false, true},
	} {
		name := c.layout + "/sh probe"
		if c.goProbe {
			name = c.layout + "/Go probe"
		}
		t.Run(name, func(t *testing.T) {
			st := twoDistros()
			st.GuestRoot = lookGuest(t, c.layout)
			var opt func(*Options)
			if c.goProbe {
				opt = goProbeTest(t)
			}
			b, f, clk := newBackend(t, st, opt)
			b.WatchDistroMemory(true)
			ctx := context.Background()
			var s backend.Sample
			for i := 0; i < 200 && len(s.Distros) == 0; i++ {
				var err error
				if s, err = b.Sample(ctx); err != nil {
					t.Fatal(err)
				}
				b.dmem.wg.Wait() // the background look
				clk.Advance(time.Second)
			}
			if len(s.Distros) != 1 {
				t.Fatalf("distros %+v", s.Distros)
			}
			d := s.Distros[0]
			if d.Name != "Ubuntu" || d.Source != c.src || d.MemoryBytes != c.mem || (d.CacheBytes != nil) != c.cache {
				t.Fatalf("%+v", d)
			}
			r := s.DistrosRemainder
			cache := uint64(0)
			if d.CacheBytes != nil {
				cache = *d.CacheBytes
			}
			if r == nil || d.MemoryBytes+r.MemoryBytes != s.Guest.UsedBytes || cache+r.CacheBytes != s.Guest.CacheBytes {
				t.Fatalf("parts %+v %+v do not add up to %+v", d, r, s.Guest)
			}
			// The probed distro's memory came on the probe's stream: no wsl.exe start, no shell.
			if n := f.Count("-d Ubuntu --exec sh -c " + memScript); n != 0 {
				t.Fatalf("%d one-shot looks at the probed distro", n)
			}
		})
	}
}

func TestParseLookPieces(t *testing.T) {
	out := "@@wsldash mode\nnat\n@@wsldash addr\n1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 172.23.148.117/20 brd 172.23.159.255 scope global eth0\n2: eth0    inet6 fe80::215:5dff:fe3a:9c41/64 scope link\n" +
		"@@wsldash net tcp\n" + netTCP +
		"@@wsldash fds\n/dev/null\n\n/proc/42/fd:\ntotal 0\nlrwx------ 1 999 999 64 Dec  1 10:00 3 -> socket:[5432]\nlr-x------ 1 999 999 64 Dec  1 10:00 4 -> /dev/null\n\n/proc/7/fd:\nlrwx------ 1 root root 64 Dec  1 10:00 9 -> socket:[5432]\n" +
		"@@wsldash comm\n==> /dev/null <==\n\n==> /proc/42/comm <==\npostgres\n\n==> /proc/7/comm <==\nbash\n" +
		"@@wsldash end\n"
	l, err := parseLook([]byte(out), "docker-desktop")
	if err != nil {
		t.Fatal(err)
	}
	if l.mode != "nat" || strings.Join(l.addrs, ",") != "172.23.148.117/20,fe80::215:5dff:fe3a:9c41/64" {
		t.Errorf("mode %q addrs %v", l.mode, l.addrs)
	}
	if l.owners[5432] != 42 || l.comm[42] != "postgres" || l.comm[7] != "bash" || len(l.socks) != 2 {
		t.Errorf("owners %v comm %v socks %d", l.owners, l.comm, len(l.socks))
	}
	if l.haveMem {
		t.Errorf("memory without any memory section: %+v", l.memory)
	}
	if _, err := parseLook([]byte("@@wsldash mode\nnat\n"), "x"); backend.KindOf(err) != backend.KindParse {
		t.Errorf("truncated: %v", err)
	}
}

func FuzzParseLook(f *testing.F) {
	f.Add([]byte("@@wsldash net tcp\n" + netTCP + "@@wsldash cgroup\n0::/wsl-user/distro-1\n@@wsldash memory.current\n10\n@@wsldash memory.stat\nanon 1\nfile 2\n@@wsldash end\n"))
	f.Add([]byte("@@wsldash fds\n/proc/1/fd:\nx -> socket:[1]\n@@wsldash statm\n1 2 3\n@@wsldash end"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := parseLook(b, "d")
		if err != nil {
			if backend.KindOf(err) != backend.KindParse {
				t.Fatalf("error kind %v", err)
			}
			return
		}
		for ino, pid := range l.owners {
			if pid <= 0 || ino == 0 {
				t.Fatalf("owner %d of %d", pid, ino)
			}
		}
		if l.haveMem && l.memory.Name != "d" {
			t.Fatalf("memory %+v", l.memory)
		}
		for _, p := range mergeLooks([]look{l}, "") {
			if (p.PID == nil) != (p.Distro == "") {
				t.Fatalf("port %+v", p)
			}
		}
	})
}

func writeWSLConfig(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), ".wslconfig")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func BenchmarkParseLook(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("@@wsldash mode\nnat\n@@wsldash net tcp\n" + netTCP + "@@wsldash fds\n")
	for pid := 1; pid <= 300; pid++ {
		sb.WriteString("/proc/" + strconv.Itoa(pid) + "/fd:\n")
		for fd := 0; fd < 8; fd++ {
			sb.WriteString("lrwx------ 1 dev dev 64 Dec  1 10:00 " + strconv.Itoa(fd) + " -> socket:[" + strconv.Itoa(pid*10+fd) + "]\n")
		}
	}
	sb.WriteString("@@wsldash comm\n")
	for pid := 1; pid <= 300; pid++ {
		sb.WriteString("==> /proc/" + strconv.Itoa(pid) + "/comm <==\nproc" + strconv.Itoa(pid) + "\n\n")
	}
	sb.WriteString("@@wsldash cgroup\n0::/wsl-user/distro-417/non-systemd\n@@wsldash memory.current\n167772160\n@@wsldash memory.stat\n" + memStat + "@@wsldash end\n")
	out := []byte(sb.String())
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseLook(out, "Ubuntu"); err != nil {
			b.Fatal(err)
		}
	}
}

// A ports look also serves the per-distro memory: the next sample needs no look of its own.
func TestPortsLookServesDistroMemory(t *testing.T) {
	st := twoDistros()
	st.GuestRoot = lookGuest(t, "visible")
	b, f, _ := newBackend(t, st, nil)
	b.WatchDistroMemory(true)
	ctx := context.Background()
	if _, err := b.Network(ctx, ""); err != nil {
		t.Fatal(err)
	}
	s, err := b.Sample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b.dmem.wg.Wait()
	if len(s.Distros) != 1 || s.Distros[0].Source != backend.MemoryCgroup {
		t.Fatalf("distros %+v", s.Distros)
	}
	looks := 0
	for _, c := range f.Calls() {
		if strings.Contains(strings.Join(c, " "), "@@wsldash mode") {
			looks++
		}
	}
	if looks != 1 {
		t.Fatalf("%d looks, want 1", looks)
	}
}

// Per-distro memory costs a wsl.exe call per running distro: none is made while nothing shows it.
func TestDistroMemoryOnlyWhileWatched(t *testing.T) {
	st := twoDistros()
	st.GuestRoot = lookGuest(t, "visible")
	b, f, clk := newBackend(t, st, nil)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		s, err := b.Sample(ctx)
		if err != nil || len(s.Distros) != 0 {
			t.Fatalf("unwatched sample %d: %v, distros %+v", i, err, s.Distros)
		}
		b.dmem.wg.Wait()
		clk.Advance(DistroMemoryTTL)
	}
	if n := f.Count("-d Ubuntu --exec sh -c "+lookScript) + f.Count("-d Debian --exec sh -c "+lookScript); n != 0 {
		t.Fatalf("%d per-distro looks while nothing watched: %v", n, f.Calls())
	}
}
