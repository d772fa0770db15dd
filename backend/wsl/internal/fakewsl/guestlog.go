package main

import (
	"os"
	"strconv"
	"time"
)

// logGuest records what an exec'd guest command cost: with $FAKEWSL_GUEST_CPU set, one line
// "<unix nanoseconds> <pid> <microseconds>" per command that ended, its user+system time with
// the children it reaped (wait4's rusage), appended with one O_APPEND write. scripts/guest-cost
// adds it to what it reads from /proc for the guest commands still running, so that the
// short-lived ones (a per-distro memory look, a one-shot listing) are counted too.
func logGuest(ps *os.ProcessState) {
	p := os.Getenv("FAKEWSL_GUEST_CPU")
	if p == "" || ps == nil {
		return
	}
	us := (ps.UserTime() + ps.SystemTime()).Microseconds()
	line := strconv.FormatInt(time.Now().UnixNano(), 10) + " " + strconv.Itoa(ps.Pid()) + " " + strconv.FormatInt(us, 10) + "\n"
	f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	f.WriteString(line)
	f.Close()
}
