package wslout

import (
	"regexp"
	"strings"
	"sync"

	"github.com/wsldash/wsldash/backend"
)

// codeRE finds WSL's error code at the end of a line; the "Error code:" label before it is
// localized but the code never is (wsl-facts §1.7). It is compiled on first use, not at
// start-up: the dashboard's first frame does not wait for a pattern only an error needs.
var codeRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)((?:Wsl|Wslg|Bash|WslConfig)(?:/[A-Za-z0-9_?()]+)+)\s*$`)
})

// ErrorCode returns the last WSL error code in text ("Wsl/Service/WSL_E_DISTRO_NOT_FOUND"), or "".
func ErrorCode(text string) string {
	code, _ := ParseError(text)
	return code
}

// ParseError splits wsl.exe's failure output into the code (from the last line that carries one)
// and the message: the non-empty lines before that line, joined by a space. Without a code the
// message is every non-empty line.
func ParseError(text string) (code, message string) {
	lines := nonEmpty(Lines(text))
	end := len(lines)
	for i := len(lines) - 1; i >= 0; i-- {
		if m := codeRE().FindStringSubmatch(lines[i]); m != nil {
			code, end = m[1], i
			// A line that is only the code (bash.exe style) carries no message of its own; a line
			// "Error code: X" carries only the label. Either way the message is what comes before.
			break
		}
	}
	msg := make([]string, 0, end)
	for _, l := range lines[:end] {
		msg = append(msg, strings.TrimSpace(strings.Map(noControl, l)))
	}
	return code, strings.Join(msg, " ")
}

// KindForCode maps a WSL error code to a backend.Kind by its last element.
func KindForCode(code string) backend.Kind {
	last := code
	if i := strings.LastIndexByte(code, '/'); i >= 0 {
		last = code[i+1:]
	}
	switch last {
	case "WSL_E_DISTRO_NOT_FOUND", "WSL_E_DEFAULT_DISTRO_NOT_FOUND", "ERROR_FILE_NOT_FOUND",
		"ERROR_PATH_NOT_FOUND", "WSL_E_USER_NOT_FOUND":
		return backend.KindNotFound
	case "E_ACCESSDENIED", "ERROR_ACCESS_DENIED", "WSL_E_ELEVATION_NEEDED_TO_MOUNT_DISK",
		"ERROR_PRIVILEGE_NOT_HELD", "WSL_E_LOCAL_SYSTEM_NOT_SUPPORTED":
		return backend.KindPermission
	case "WSL_E_DISTRO_NOT_STOPPED", "ERROR_SHARING_VIOLATION", "ERROR_BUSY", "WSL_E_DISTRO_BUSY":
		return backend.KindBusy
	case "WSL_E_WSL1_NOT_SUPPORTED", "WSL_E_WSL2_NEEDED", "WSL_E_NOT_A_LINUX_DISTRO",
		"WSL_E_VM_MODE_NOT_SUPPORTED":
		return backend.KindUnsupported
	case "HCS_E_SERVICE_NOT_AVAILABLE", "WSL_E_VM_MODE_INVALID_STATE":
		return backend.KindFailed
	}
	return backend.KindFailed
}

// noControl turns control characters (a stray \r, NUL from garbage) into spaces.
func noControl(r rune) rune {
	if r < 0x20 || r == 0x7f {
		return ' '
	}
	return r
}
