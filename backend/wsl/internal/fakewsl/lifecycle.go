package main

import (
	"time"
)

// WSL's lifecycle (wsl-facts §2), on a clock tests can set (State.Clock):
//   - a distro started by a client (a wsl.exe running a command in it) stays Running for
//     instanceIdleTimeout (15 s by default, State.InstanceIdleMS; < 0 never) after its last
//     client ends — not a moment longer, and not only while the client runs;
//   - the VM (State.VM, for tests to read) stays up vmIdleTimeout (60 s, State.VMIdleMS; < 0
//     never) after its last running distro; wsl.exe has no command that shows it, only the
//     host's vmmemWSL process does.
// A distro whose State is "Running" in the file stands for a user's shell: it runs until
// terminated.

// now is State.Clock (RFC 3339) when set, else the wall clock.
func now() time.Time {
	if st.Clock != "" {
		if t, err := time.Parse(time.RFC3339Nano, st.Clock); err == nil {
			return t
		}
	}
	return time.Now()
}

func msOr(p *int, def time.Duration) (time.Duration, bool) {
	if p == nil {
		return def, false
	}
	if *p < 0 {
		return 0, true
	}
	return time.Duration(*p) * time.Millisecond, false
}

func instanceIdle() (time.Duration, bool) { return msOr(st.InstanceIdleMS, 15*time.Second) }
func vmIdle() (time.Duration, bool)       { return msOr(st.VMIdleMS, 60*time.Second) }

func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// lingering reports whether d, with no client left, is still inside its idle time.
func lingering(d Distro) bool {
	since, ok := parseTime(d.IdleSince)
	if !ok {
		return false
	}
	idle, never := instanceIdle()
	return never || now().Before(since.Add(idle))
}

// lifecycle brings the state up to now: clients that died start their distro's idle time,
// expired idle times stop distros, and the VM follows. It runs under update at every call.
func lifecycle() {
	t := now().Format(time.RFC3339Nano)
	anyRunning := false
	for i := range st.Distros {
		d := &st.Distros[i]
		had := len(d.Holders) > 0
		d.Holders = aliveOnly(d.Holders)
		switch {
		case len(d.Holders) > 0:
			d.IdleSince = ""
		case had && d.IdleSince == "":
			d.IdleSince = t // the last client died since the previous call
		case d.IdleSince != "" && !lingering(*d):
			d.IdleSince = ""
		}
		if d.State == "Running" || len(d.Holders) > 0 || lingering(*d) {
			anyRunning = true
		}
	}
	switch {
	case anyRunning:
		st.VM, st.VMIdleSince = "Running", ""
	case st.VM == "Running" && st.VMIdleSince == "":
		st.VMIdleSince = t
	case st.VM == "Running":
		since, _ := parseTime(st.VMIdleSince)
		if idle, never := vmIdle(); !never && !now().Before(since.Add(idle)) {
			st.VM, st.VMIdleSince = "Stopped", ""
		}
	}
}

// lastClientLeft starts distro i's idle time when its last client ends normally.
func lastClientLeft(i int) {
	if len(aliveOnly(st.Distros[i].Holders)) == 0 && st.Distros[i].IdleSince == "" {
		st.Distros[i].IdleSince = now().Format(time.RFC3339Nano)
	}
}
