package procfs

import (
	"bytes"
	"net/netip"
)

// Socket is one line of /proc/net/{tcp,tcp6,udp,udp6}.
type Socket struct {
	Proto      string // "tcp", "tcp6", "udp", "udp6": the file it came from
	LocalAddr  netip.Addr
	LocalPort  uint16
	RemoteAddr netip.Addr
	RemotePort uint16
	State      uint8 // the kernel's TCP state number (UDP uses 1 established, 7 close)
	UID        int
	Inode      uint64 // 0 for a socket with no file (TIME_WAIT, a request socket)
}

// Kernel socket states (include/net/tcp_states.h).
const (
	TCPEstablished uint8 = 0x01
	TCPClose       uint8 = 0x07
	TCPListen      uint8 = 0x0A
)

// Listening reports whether the socket waits for others: a TCP socket in LISTEN, or a UDP
// socket that is bound and not connected (state CLOSE, no remote port).
func (s Socket) Listening() bool {
	if s.Proto == "tcp" || s.Proto == "tcp6" {
		return s.State == TCPListen
	}
	return s.State == TCPClose && s.RemotePort == 0
}

const opNetSockets = "parse net sockets"

// ParseNetSockets parses /proc/net/<proto> (proto is "tcp", "tcp6", "udp" or "udp6"). The
// first line is a header; each further line is
//
//	sl: local:port remote:port st tx:rx tr:when retrnsmt uid timeout inode …
//
// Addresses are the kernel's raw bytes printed as 32-bit words in the machine's byte order;
// WSL runs only on little-endian machines (x86-64, arm64), so that is how they are read. Any
// malformed line is a KindParse error naming the line: the kernel writes these files whole.
func ParseNetSockets(b []byte, proto string) ([]Socket, error) {
	return ParseNetSocketsInto(b, proto, nil)
}

// ParseNetSocketsInto appends to dst[:0], reusing its capacity.
func ParseNetSocketsInto(b []byte, proto string, dst []Socket) ([]Socket, error) {
	var addrLen int
	switch proto {
	case "tcp", "udp":
		addrLen = 8
	case "tcp6", "udp6":
		addrLen = 32
	default:
		return nil, parseErr(opNetSockets, 0, "unknown protocol %q", proto)
	}
	out := dst[:0]
	for n := 1; len(b) > 0; n++ {
		var line []byte
		line, b = nextLine(b)
		f, rest := nextField(line)
		if len(f) == 0 {
			continue
		}
		if n == 1 && string(f) == "sl" {
			continue
		}
		if len(f) < 2 || f[len(f)-1] != ':' {
			return nil, parseErr(opNetSockets, n, "no slot number in %s", quote(line))
		}
		if _, ok := parseUint(f[:len(f)-1]); !ok {
			return nil, parseErr(opNetSockets, n, "bad slot number in %s", quote(line))
		}
		s := Socket{Proto: proto}
		var ok bool
		f, rest = nextField(rest)
		if s.LocalAddr, s.LocalPort, ok = parseHexEndpoint(f, addrLen); !ok {
			return nil, parseErr(opNetSockets, n, "bad local address %s", quote(f))
		}
		f, rest = nextField(rest)
		if s.RemoteAddr, s.RemotePort, ok = parseHexEndpoint(f, addrLen); !ok {
			return nil, parseErr(opNetSockets, n, "bad remote address %s", quote(f))
		}
		f, rest = nextField(rest)
		st, ok := parseHex(f)
		if !ok || len(f) != 2 {
			return nil, parseErr(opNetSockets, n, "bad state %s", quote(f))
		}
		s.State = uint8(st)
		// tx_queue:rx_queue, tr:tm->when, retrnsmt: not used.
		for i := 0; i < 3; i++ {
			if f, rest = nextField(rest); len(f) == 0 {
				return nil, parseErr(opNetSockets, n, "short line %s", quote(line))
			}
		}
		f, rest = nextField(rest)
		if s.UID, ok = parseIntN(f); !ok || s.UID < 0 {
			return nil, parseErr(opNetSockets, n, "bad uid %s", quote(f))
		}
		if f, rest = nextField(rest); len(f) == 0 { // timeout
			return nil, parseErr(opNetSockets, n, "short line %s", quote(line))
		}
		f, _ = nextField(rest)
		if s.Inode, ok = parseUint(f); !ok {
			return nil, parseErr(opNetSockets, n, "bad inode %s", quote(f))
		}
		out = append(out, s)
	}
	return out, nil
}

// parseHexEndpoint parses "0100007F:1F90" (addrLen hex digits, a colon, 4 hex digits).
func parseHexEndpoint(b []byte, addrLen int) (netip.Addr, uint16, bool) {
	if len(b) != addrLen+5 || b[addrLen] != ':' {
		return netip.Addr{}, 0, false
	}
	port, ok := parseHex(b[addrLen+1:])
	if !ok {
		return netip.Addr{}, 0, false
	}
	var raw [16]byte
	for w := 0; w < addrLen/8; w++ {
		v, ok := parseHex(b[w*8 : w*8+8])
		if !ok {
			return netip.Addr{}, 0, false
		}
		// Little-endian: the word's low byte is the first byte in memory.
		raw[w*4], raw[w*4+1], raw[w*4+2], raw[w*4+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
	}
	if addrLen == 8 {
		return netip.AddrFrom4([4]byte(raw[:4])), uint16(port), true
	}
	return netip.AddrFrom16(raw), uint16(port), true
}

// parseHex parses up to 8 hex digits (either case).
func parseHex(b []byte) (uint32, bool) {
	if len(b) == 0 || len(b) > 8 {
		return 0, false
	}
	var v uint32
	for _, c := range b {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		v = v<<4 | uint32(d)
	}
	return v, true
}

// ParseSocketLink returns the inode of a /proc/<pid>/fd link target "socket:[12345]".
func ParseSocketLink(target []byte) (uint64, bool) {
	rest, ok := bytes.CutPrefix(target, []byte("socket:["))
	if !ok || len(rest) < 2 || rest[len(rest)-1] != ']' {
		return 0, false
	}
	// No socket has inode 0: /proc/net lists 0 for sockets that no file holds (TIME_WAIT), so an
	// owner of 0 would claim every one of them.
	ino, ok := parseUint(rest[:len(rest)-1])
	return ino, ok && ino != 0
}
