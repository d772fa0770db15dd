package tui

import (
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// bannerCmd runs a backend's shell command with the terminal handed over (tea.Exec), printing
// one line first that says where the shell is and how to come back: the dashboard's screen is
// gone while the shell runs, on every backend.
type bannerCmd struct {
	*exec.Cmd
	banner string
}

// execShell is tea.ExecProcess for c with banner printed first.
func execShell(c *exec.Cmd, banner string, fn tea.ExecCallback) tea.Cmd {
	return tea.Exec(&bannerCmd{Cmd: c, banner: banner}, fn)
}

// SetStdin, SetStdout and SetStderr give the command the terminal unless it has its own, as
// tea.ExecProcess does.
func (c *bannerCmd) SetStdin(r io.Reader) {
	if c.Stdin == nil {
		c.Stdin = r
	}
}

func (c *bannerCmd) SetStdout(w io.Writer) {
	if c.Stdout == nil {
		c.Stdout = w
	}
}

func (c *bannerCmd) SetStderr(w io.Writer) {
	if c.Stderr == nil {
		c.Stderr = w
	}
}

// Run prints the banner on the terminal, then runs the shell. The terminal's program-resume
// token is not passed on, as tea.ExecProcess does not: the shell must not be resumed in the
// dashboard's place.
func (c *bannerCmd) Run() error {
	c.Env = slices.DeleteFunc(c.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, ansi.ProgramResumeTokenEnv+"=")
	})
	if c.Stdout != nil && c.banner != "" {
		fmt.Fprintf(c.Stdout, "%s\r\n", c.banner)
	}
	return c.Cmd.Run()
}
