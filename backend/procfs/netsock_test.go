package procfs

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
)

func TestParseNetSocketsLive(t *testing.T) {
	type want struct {
		proto, addr string
		port        uint16
		listen      bool
		inode       uint64
	}
	cases := []struct {
		file  string
		proto string
		want  []want
	}{
		{"live/net_tcp", "tcp", []want{
			{"tcp", "0.0.0.0", 2024, true, 1060},
			{"tcp", "0.0.0.0", 18081, true, 46253},
			{"tcp", "192.0.2.2", 56644, false, 0}, // TIME_WAIT (06) to 203.0.113.80:443
		}},
		{"live/net_tcp6", "tcp6", []want{{"tcp6", "::1", 18080, true, 46250}}},
		{"live/net_udp", "udp", []want{{"udp", "127.0.0.1", 15353, true, 46251}}},
		{"live/net_udp6", "udp6", []want{{"udp6", "::", 15354, true, 46252}}},
	}
	for _, c := range cases {
		ss, err := ParseNetSockets(readTestdata(t, c.file), c.proto)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(ss) != len(c.want) {
			t.Fatalf("%s: %d sockets, want %d: %+v", c.file, len(ss), len(c.want), ss)
		}
		for i, w := range c.want {
			s := ss[i]
			if s.Proto != w.proto || s.LocalAddr.String() != w.addr || s.LocalPort != w.port || s.Listening() != w.listen || s.Inode != w.inode {
				t.Errorf("%s[%d] = %+v (listening %v), want %+v", c.file, i, s, s.Listening(), w)
			}
		}
	}
	ss, _ := ParseNetSockets(readTestdata(t, "live/net_tcp"), "tcp")
	if got := ss[2].RemoteAddr.String() + fmt.Sprint(":", ss[2].RemotePort); got != "203.0.113.80:443" {
		t.Errorf("remote = %s", got)
	}
}

func TestParseNetSocketsErrors(t *testing.T) {
	hdr := "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	good := "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0 100 0 0 10 0\n"
	if ss, err := ParseNetSockets([]byte(hdr+good), "tcp"); err != nil || len(ss) != 1 || ss[0].UID != 1000 || ss[0].LocalPort != 8080 {
		t.Fatalf("good line: %+v %v", ss, err)
	}
	if ss, err := ParseNetSockets([]byte(hdr), "tcp"); err != nil || len(ss) != 0 {
		t.Fatalf("header only: %+v %v", ss, err)
	}
	for _, c := range []struct{ in, proto, msg string }{
		{good, "sctp", "unknown protocol"},
		{hdr + strings.Replace(good, "0100007F:1F90", "0100007F1F90", 1), "tcp", "line 2: bad local address"},
		{hdr + strings.Replace(good, "0100007F:1F90", "0100007G:1F90", 1), "tcp", "bad local address"},
		{hdr + good, "tcp6", "bad local address"},
		{hdr + strings.Replace(good, " 0A ", " A ", 1), "tcp", "bad state"},
		{hdr + strings.Replace(good, "  1000 ", " -1 ", 1), "tcp", "bad uid"},
		{hdr + strings.Replace(good, " 777 ", " x ", 1), "tcp", "bad inode"},
		{hdr + "   0: 0100007F:1F90 00000000:0000 0A\n", "tcp", "short line"},
		{hdr + "   x: 0100007F:1F90\n", "tcp", "bad slot"},
		{hdr + "garbage\n", "tcp", "no slot number"},
	} {
		ss, err := ParseNetSockets([]byte(c.in), c.proto)
		if ss != nil {
			t.Errorf("%q: sockets %+v with an error", c.in, ss)
		}
		wantParseErr(t, err, opNetSockets, c.msg)
	}
}

func TestParseSocketLink(t *testing.T) {
	for in, want := range map[string]uint64{"socket:[46253]": 46253, "socket:[]": 0, "pipe:[12]": 0, "socket:[12": 0, "socket:[1x]": 0, "/dev/null": 0} {
		got, ok := ParseSocketLink([]byte(in))
		if got != want || ok != (want != 0) {
			t.Errorf("ParseSocketLink(%q) = %d %v", in, got, ok)
		}
	}
}

// TestListenersFindsOwnSockets opens a TCP listener and a UDP socket on 127.0.0.1 and finds
// both with this process's pid and name in the machine's real /proc.
func TestListenersFindsOwnSockets(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux /proc")
	}
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	u, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	tcpPort := l.Addr().(*net.TCPAddr).Port
	udpPort := u.LocalAddr().(*net.UDPAddr).Port

	fs := NewFS("")
	defer fs.Close()
	ports, err := fs.Listeners("local")
	if err != nil {
		t.Fatal(err)
	}
	self, err := fs.ProcStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, p := range ports {
		if p.Address != "127.0.0.1" || (p.Port != tcpPort && p.Port != udpPort) {
			continue
		}
		if p.PID == nil || *p.PID != os.Getpid() || p.Process != self.Comm || p.Distro != "local" {
			t.Errorf("port %+v: want pid %d, process %q", p, os.Getpid(), self.Comm)
		}
		found[p.Proto] = true
	}
	if !found["tcp"] || !found["udp"] {
		t.Fatalf("tcp :%d / udp :%d not both found in %+v", tcpPort, udpPort, ports)
	}
}

func TestPortsOfSortsAndLeavesUnknownOwnersNil(t *testing.T) {
	socks := []Socket{
		{Proto: "udp", LocalAddr: netip.MustParseAddr("0.0.0.0"), LocalPort: 53, Inode: 9},
		{Proto: "tcp", LocalAddr: netip.MustParseAddr("127.0.0.1"), LocalPort: 22, Inode: 7},
		{Proto: "tcp", LocalAddr: netip.MustParseAddr("0.0.0.0"), LocalPort: 53, Inode: 0},
	}
	ps := PortsOf(socks, func(ino uint64) (int, string, bool) {
		if ino == 7 {
			return 70, "sshd", true
		}
		return 0, "", false
	}, "Ubuntu")
	if len(ps) != 3 || ps[0].Port != 22 || ps[1].Proto != "tcp" || ps[2].Proto != "udp" {
		t.Fatalf("order: %+v", ps)
	}
	if ps[0].PID == nil || *ps[0].PID != 70 || ps[0].Process != "sshd" || ps[0].Distro != "Ubuntu" {
		t.Errorf("owned: %+v", ps[0])
	}
	if ps[1].PID != nil || ps[2].PID != nil || ps[2].Process != "" {
		t.Errorf("unowned sockets got owners: %+v %+v", ps[1], ps[2])
	}
}
