package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wsldash/wsldash/backend"
)

// The CLI's one rule for errors: main prints "wsldash: " and the error; an error about a distro
// reads "OP NAME: what went wrong", once, with OP the wsldash command (start, ps, clone), so that
// neither the backend's op ("start: …") nor a second prefix repeats it. And where wsl.exe's text
// tells the user which wsl.exe flag to pass, it is said in wsldash's words (wsldash's flag, or
// that there is none and what to run instead).

// distroErr makes err read "op name: …" once: wsl.exe's own message does not say which distro
// ("There is no distribution with the supplied name."), and a backend error's own prefix
// ("start: this machine has no WSL distros", clone's "clone NEW: …") gives way to the command's op
// and the distro the user named; its message says the rest.
func distroErr(op, name string, err error) error {
	if err == nil {
		return nil
	}
	err = inOurWords(err)
	if name == "" {
		return err
	}
	if be, ok := err.(*backend.Error); ok && be.Op != "" {
		c := *be
		c.Op, c.Distro = op, name
		return &c
	}
	if strings.Contains(err.Error(), name) {
		return err
	}
	return fmt.Errorf("%s %s: %w", op, name, err)
}

// wslAdvice are the wsl.exe suggestions wsldash users cannot type as written, with what to say
// instead ($1 is the distro where the pattern captures one).
var wslAdvice = []struct {
	re   *regexp.Regexp
	with string
}{
	// ERROR_ALREADY_EXISTS on import: wsldash's import, clone and restore take the name as an
	// argument, not a --name flag.
	{regexp.MustCompile(`\s*Use --name to choose a different name\.?`), " Choose another name for the new distro."},
	// WSL 2.5's refusal to make a disk sparse: wsldash passes --allow-unsafe on request.
	{regexp.MustCompile(`please run: wsl(?:\.exe)? --manage (\S+) --set-sparse true --allow-unsafe`),
		"run wsldash sparse $1 on --allow-unsafe (WSL's data-corruption warning: back up first, wsldash export $1 FILE)"},
}

// inOurWords rewrites wsl.exe's advice in a backend error's message into wsldash's words (the
// backends return *backend.Error as it is, unwrapped).
func inOurWords(err error) error {
	be, ok := err.(*backend.Error)
	if !ok || be.Message == "" {
		return err
	}
	msg := be.Message
	for _, a := range wslAdvice {
		msg = a.re.ReplaceAllString(msg, a.with)
	}
	if msg == be.Message {
		return err
	}
	c := *be
	c.Message = msg
	return &c
}
