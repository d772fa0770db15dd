package wslconfig

import (
	"fmt"
	"path"
	"strings"
)

// EnvOverride names the environment variable that sets the .wslconfig path.
const EnvOverride = "WSLDASH_WSLCONFIG"

// wslPath turns a drive path such as C:\Users\me into its mount inside WSL (/mnt/c/Users/me),
// given the automount root ("/mnt/" by default).
func wslPath(win, root string) (string, error) {
	if len(win) < 3 || win[1] != ':' || (win[2] != '\\' && win[2] != '/') ||
		!((win[0] >= 'A' && win[0] <= 'Z') || (win[0] >= 'a' && win[0] <= 'z')) {
		return "", fmt.Errorf("%q is not a drive path", win)
	}
	if strings.Contains(win, "%") {
		return "", fmt.Errorf("%q: the variable was not expanded", win)
	}
	if root == "" {
		root = "/mnt/"
	}
	rest := strings.ReplaceAll(win[3:], `\`, "/")
	return path.Join(root, strings.ToLower(win[:1]), rest), nil
}
