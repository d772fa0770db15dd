package main

import (
	"encoding/json"
	"net"
	"os"
	"runtime"
	"strings"
	"testing"
)

// TestPortsJSONLocal opens a TCP listener and a UDP socket on 127.0.0.1 and finds both, with
// this test's pid and process name, in `wsldash ports --json --backend local`.
func TestPortsJSONLocal(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the local backend reads Linux /proc")
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
	comm, err := os.ReadFile("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, "ports", "--json", "--backend", "local")
	if err != nil {
		t.Fatal(err)
	}
	var n struct {
		Ports []struct {
			Proto, Address, Process string
			Port                    int
			PID                     *int
		}
		Addresses []string
	}
	if err := json.Unmarshal([]byte(out), &n); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := map[string]int{"tcp": l.Addr().(*net.TCPAddr).Port, "udp": u.LocalAddr().(*net.UDPAddr).Port}
	for _, p := range n.Ports {
		if p.Address == "127.0.0.1" && want[p.Proto] == p.Port {
			if p.PID == nil || *p.PID != os.Getpid() || p.Process != strings.TrimSpace(string(comm)) {
				t.Errorf("%s :%d: pid %v process %q, want %d %q", p.Proto, p.Port, p.PID, p.Process, os.Getpid(), strings.TrimSpace(string(comm)))
			}
			delete(want, p.Proto)
		}
	}
	if len(want) != 0 {
		t.Fatalf("not listed: %v in\n%s", want, out)
	}
}

// TestStatsJSONDemoDistroMemory: the per-distro parts and the remainder add up to the VM's used
// memory, with both sources present.
func TestStatsJSONDemoDistroMemory(t *testing.T) {
	out, _, err := run(t, "stats", "--json", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Guest struct {
			UsedBytes  uint64 `json:"used_bytes"`
			CacheBytes uint64 `json:"cache_bytes"`
		}
		Distros []struct {
			Name        string
			MemoryBytes uint64  `json:"memory_bytes"`
			CacheBytes  *uint64 `json:"cache_bytes"`
			Source      string
		}
		Remainder struct {
			MemoryBytes uint64 `json:"memory_bytes"`
			CacheBytes  uint64 `json:"cache_bytes"`
		} `json:"distros_remainder"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	sum, cache := s.Remainder.MemoryBytes, s.Remainder.CacheBytes
	src := map[string]bool{}
	for _, d := range s.Distros {
		sum += d.MemoryBytes
		if d.CacheBytes != nil {
			cache += *d.CacheBytes
		}
		src[d.Source] = true
	}
	if len(s.Distros) < 2 || !src["cgroup"] || !src["rss-estimate"] {
		t.Fatalf("distros %+v", s.Distros)
	}
	if sum != s.Guest.UsedBytes || cache != s.Guest.CacheBytes {
		t.Fatalf("parts %d / %d, used %d / cache %d\n%s", sum, cache, s.Guest.UsedBytes, s.Guest.CacheBytes, out)
	}
	if !strings.Contains(out, `"cache_bytes":null`) {
		t.Errorf("the estimate's unknown cache is not null: %s", out)
	}
}

func TestPsAllJSONDemo(t *testing.T) {
	out, _, err := run(t, "ps", "--all", "--json", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	var ps []struct{ Distro string }
	if err := json.Unmarshal([]byte(out), &ps); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, p := range ps {
		seen[p.Distro]++
	}
	if len(seen) != 2 || seen["Ubuntu-24.04"] == 0 || seen["docker-desktop"] == 0 {
		t.Fatalf("distros: %v", seen)
	}
	if _, _, err := run(t, "ps", "--all", "Debian", "--demo"); err == nil {
		t.Error("--all with a distro accepted")
	}
}

func TestPortsDemoAndDockerWarning(t *testing.T) {
	out, _, err := run(t, "ports", "docker-desktop", "--demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "networking mode: nat") || !strings.Contains(out, "postgres") || strings.Contains(out, "Ubuntu-24.04") {
		t.Errorf("ports docker-desktop:\n%s", out)
	}
	_, errOut, err := run(t, "terminate", "docker-desktop", "--demo")
	if err != nil || !strings.Contains(errOut, "Docker Desktop will stop") {
		t.Errorf("terminate docker-desktop: %v %q", err, errOut)
	}
	_, errOut, _ = run(t, "terminate", "Ubuntu-24.04", "--demo")
	if strings.Contains(errOut, "Docker") {
		t.Errorf("terminate Ubuntu warned: %q", errOut)
	}
	_, errOut, _ = run(t, "shutdown", "--demo")
	if !strings.Contains(errOut, "Docker Desktop will stop") {
		t.Errorf("shutdown with docker-desktop running: %q", errOut)
	}
}
