package main

import (
	"os"
	"strings"
)

// changeDirectory is wsl.exe's --cd (WslClient.cpp ChangeDirectory, then init's
// CreateProcessParseCommon and CreateProcess): it returns the host folder the command runs in,
// or "" for the double's own.
//
//   - A path that starts with '/' or '~' is a Linux path, handed to the distro as is. There a
//     chdir that fails is only logged (to /dev/kmsg) and the command still runs, from elsewhere,
//     so a relative command then fails in execvpe. The double's guest is this machine: a Linux
//     path is taken as is, '~' as $HOME, and a missing one is left out the same way.
//   - Anything else must be an absolute Windows path (a drive path or UNC), else E_INVALIDARG;
//     wsl.exe makes it its own working folder (SetCurrentDirectoryW), so a folder that does not
//     exist fails in wsl.exe (the Win32 error, exit -1) before anything runs; the distro then
//     translates it through its automount (/mnt/c/…), which here is State.Drives.
//   - An empty one is E_INVALIDARG.
func changeDirectory(cd string) string {
	cd = strings.Trim(cd, `"`) // StripQuotes
	if cd == "" {
		fail("The parameter is incorrect.", "Wsl/E_INVALIDARG")
	}
	if cd[0] == '/' || cd[0] == '~' {
		if cd[0] == '~' {
			home, _ := os.UserHomeDir()
			cd = home + cd[1:]
		}
		if fi, err := os.Stat(cd); err != nil || !fi.IsDir() {
			return "" // logged by init, not fatal
		}
		return cd
	}
	if !drivePath.MatchString(cd) && !strings.HasPrefix(strings.ReplaceAll(cd, "/", `\`), `\\`) {
		fail("The parameter is incorrect.", "Wsl/E_INVALIDARG") // not absolute
	}
	host, _, ok := hostPath(cd)
	if !ok {
		fail("The system cannot find the path specified.", "Wsl/ERROR_PATH_NOT_FOUND")
	}
	fi, err := os.Stat(host)
	switch {
	case err == nil && !fi.IsDir():
		fail("The directory name is invalid.", "Wsl/0x8007010b") // ERROR_DIRECTORY: no name in WSL's table
	case err != nil:
		// SetCurrentDirectoryW: the last component missing is ERROR_FILE_NOT_FOUND, a missing
		// folder on the way ERROR_PATH_NOT_FOUND.
		if parent, perr := os.Stat(parentDir(host)); perr == nil && parent.IsDir() {
			fail("The system cannot find the file specified.", "Wsl/ERROR_FILE_NOT_FOUND")
		}
		fail("The system cannot find the path specified.", "Wsl/ERROR_PATH_NOT_FOUND")
	}
	return host
}

func parentDir(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i > 0 {
		return p[:i]
	}
	return "/"
}
