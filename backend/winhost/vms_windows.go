//go:build windows

package winhost

import (
	"context"

	"github.com/Microsoft/hcsshim"
	"golang.org/x/sys/windows"
)

// ListVMs lists every compute system HCS reports (any owner) with its statistics where
// permitted, and every vmmem* host process with its working set and, where its token can be
// read, its user (which ties it to its VM). Read-only: every handle is closed before returning.
func ListVMs(ctx context.Context) (VMList, error) {
	quietHCSLogs()
	var systems []hcsSystem
	props, err := hcsshim.GetContainers(hcsshim.ComputeSystemQuery{})
	hcsErr := normHCSErr(err)
	for _, p := range props {
		if err := ctx.Err(); err != nil {
			return VMList{}, err
		}
		s := hcsSystem{ID: p.ID, Owner: p.Owner, Type: p.SystemType, State: p.State, Name: p.Name}
		st, err := hcsStatistics1(p.ID)
		if err == nil {
			s.Stats = &st
		}
		s.Err = err
		systems = append(systems, s)
	}
	var w winSys
	all, err := w.snapshot(ctx)
	if err != nil {
		return VMList{}, err
	}
	var procs []vmProc
	for _, p := range all {
		if isVMProcess(p.Name) {
			procs = append(procs, vmProc{procInfo: p, User: processUser(p.PID)})
		}
	}
	return buildVMList(systems, hcsErr, procs), nil
}

// processUser is DOMAIN\account of pid's token, or "" when it cannot be read (vmmem is a
// protected process; without elevation this is usually refused).
func processUser(pid uint32) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return ""
	}
	defer tok.Close()
	u, err := tok.GetTokenUser()
	if err != nil {
		return ""
	}
	acct, dom, _, err := u.User.Sid.LookupAccount("")
	if err != nil {
		return ""
	}
	return dom + `\` + acct
}
