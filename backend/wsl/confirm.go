package wsl

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// ConfirmName guards destructive verbs: the user must type the distro's name exactly. typed is
// what a script passed (--yes-i-typed NAME); when it is empty and interactive is true the name is
// asked for on out and read from in. Anything but an exact match is refused.
func ConfirmName(in io.Reader, out io.Writer, name, typed string, interactive bool) error {
	if typed == "" {
		if !interactive {
			return &backend.Error{Kind: backend.KindPermission, Op: "unregister", Distro: name,
				Message: "not a terminal: pass --yes-i-typed " + name + " to confirm"}
		}
		fmt.Fprintf(out, "This moves %s to the trash (export, then wsl --unregister).\nType its name to confirm: ", name)
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && line == "" {
			return &backend.Error{Kind: backend.KindPermission, Op: "unregister", Distro: name, Message: "no confirmation given"}
		}
		typed = strings.TrimRight(line, "\r\n")
	}
	if typed != name {
		return &backend.Error{Kind: backend.KindPermission, Op: "unregister", Distro: name,
			Message: fmt.Sprintf("confirmation %q does not match %q exactly; nothing was done", typed, name)}
	}
	return nil
}
