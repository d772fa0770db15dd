// Command sh is a Windows stand-in for sh(1) under Wine (see package wintest). It runs
// `sh -c SCRIPT [NAME [ARG...]]` for the subset of sh that wsldash's /proc readers are written
// in, and nothing more:
//
//	NAME=WORD                          assignment ("$1", "$NAME", "${NAME##*/}" expand)
//	NAME=$(cat FILE 2>/dev/null) || continue
//	echo WORD...   cat FILE... [2>/dev/null]   sleep N|infinity [|| exit 0]   exec STATEMENT
//	exit [N]   continue   break
//	while :; do … done                 for NAME in GLOB; do … done
//	while read -r L; do case "$L" in PREFIX*) echo "$L";; *) break;; esac; done < FILE
//
// Statements are separated by newlines and ';'. Anything else is an error (exit 2, the line on
// stderr), so a change to the scripts shows up as a failing check instead of silently wrong data.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type node struct {
	line  string // a simple line (one or more ';'-separated statements)
	loop  bool   // while :; do … done
	forV  string // for forV in forG; do … done
	forG  string
	body  []node
	isFor bool
}

var (
	forRe      = regexp.MustCompile(`^for (\w+) in (\S+); do$`)
	whileRead  = regexp.MustCompile(`^while read -r (\w+); do case "\$(\w+)" in ([^*"]*)\*\) echo "\$(\w+)";; \*\) break;; esac; done < (\S+)$`)
	substCat   = regexp.MustCompile(`^(\w+)=\$\(cat (.+?)\)( \|\| continue)?$`)
	assignRe   = regexp.MustCompile(`^(\w+)=(.*)$`)
	sleepRe    = regexp.MustCompile(`^sleep (.+?)( \|\| exit 0)?$`)
	expandRe   = regexp.MustCompile(`\$\{(\w+)##\*/\}|\$\{(\w+)\}|\$(\w+|[0-9])`)
	errBadLine = 2
)

type ctl int

const (
	ctlNext ctl = iota
	ctlContinue
	ctlBreak
	ctlExit
	ctlGone // stdout's reader went away: end at once
)

type interp struct {
	vars   map[string]string
	args   []string // $0, $1, …
	out    *bufio.Writer
	stderr io.Writer
	code   int
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// fatal ends the run with exit status 2 and its message on stderr.
type fatal string

func die(msg string) { panic(fatal(msg)) }

// run is `sh ARGS...` with the given output; it returns the exit status.
func run(a []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fatal)
			if !ok {
				panic(r)
			}
			fmt.Fprintln(stderr, "sh (wsldash's Wine stand-in):", string(f))
			code = errBadLine
		}
	}()
	if len(a) < 2 || a[0] != "-c" {
		die("usage: sh -c SCRIPT [NAME [ARG...]]")
	}
	lines := strings.Split(strings.ReplaceAll(a[1], "\r\n", "\n"), "\n")
	i := 0
	prog, err := parse(lines, &i, false)
	if err != nil {
		die(err.Error())
	}
	in := &interp{vars: map[string]string{}, args: []string{"sh"}, out: bufio.NewWriterSize(stdout, 64<<10), stderr: stderr}
	if len(a) > 2 {
		in.args = a[2:]
	}
	if in.run(prog) != ctlGone {
		in.flush()
	}
	return in.code
}

func parse(lines []string, i *int, inBlock bool) ([]node, error) {
	var out []node
	for *i < len(lines) {
		l := strings.TrimSpace(lines[*i])
		*i++
		switch {
		case l == "":
		case l == "done":
			if !inBlock {
				return nil, fmt.Errorf("unsupported: 'done' outside a loop")
			}
			return out, nil
		case l == "while :; do":
			body, err := parse(lines, i, true)
			if err != nil {
				return nil, err
			}
			out = append(out, node{loop: true, body: body})
		case forRe.MatchString(l):
			m := forRe.FindStringSubmatch(l)
			body, err := parse(lines, i, true)
			if err != nil {
				return nil, err
			}
			out = append(out, node{isFor: true, forV: m[1], forG: m[2], body: body})
		default:
			out = append(out, node{line: l})
		}
	}
	if inBlock {
		return nil, fmt.Errorf("unsupported: a loop without 'done'")
	}
	return out, nil
}

// flush writes what is buffered; false (and exit status 1) when the reader went away.
func (in *interp) flush() bool {
	if err := in.out.Flush(); err != nil {
		in.code = 1
		return false
	}
	return true
}

func (in *interp) run(prog []node) ctl {
	for _, n := range prog {
		var c ctl
		switch {
		case n.loop:
			for {
				if c = in.run(n.body); c == ctlBreak {
					c = ctlNext
					break
				}
				if c == ctlExit || c == ctlGone {
					return c
				}
			}
		case n.isFor:
			for _, v := range in.glob(in.word(n.forG)) {
				in.vars[n.forV] = v
				if c = in.run(n.body); c == ctlBreak || c == ctlExit || c == ctlGone {
					break
				}
			}
			if c != ctlExit && c != ctlGone {
				c = ctlNext
			}
		default:
			c = in.line(n.line)
		}
		if c != ctlNext {
			return c
		}
	}
	return ctlNext
}

func (in *interp) glob(pat string) []string {
	m, _ := filepath.Glob(pat)
	if len(m) == 0 {
		return []string{pat}
	}
	for i := range m {
		m[i] = filepath.ToSlash(m[i])
	}
	return m
}

func (in *interp) line(l string) ctl {
	if m := whileRead.FindStringSubmatch(l); m != nil && m[1] == m[2] && m[2] == m[4] {
		b, err := os.ReadFile(in.word(m[5]))
		if err != nil {
			fmt.Fprintf(in.stderr, "sh: cannot open %s: No such file\n", m[5])
			in.code = 2
			return ctlNext
		}
		for _, s := range strings.Split(string(b), "\n") {
			s = strings.TrimRight(s, " \t")
			if !strings.HasPrefix(strings.TrimLeft(s, " \t"), m[3]) {
				break
			}
			in.out.WriteString(strings.TrimLeft(s, " \t") + "\n")
		}
		return ctlNext
	}
	for _, st := range splitStatements(l) {
		if c := in.stmt(strings.TrimSpace(st)); c != ctlNext {
			return c
		}
	}
	return ctlNext
}

func (in *interp) stmt(s string) ctl {
	switch {
	case s == "":
		return ctlNext
	case s == "continue":
		return ctlContinue
	case s == "break":
		return ctlBreak
	case strings.HasPrefix(s, "exec "):
		if c := in.stmt(strings.TrimSpace(s[5:])); c == ctlGone {
			return c
		}
		return ctlExit
	case s == "exit" || strings.HasPrefix(s, "exit "):
		in.code, _ = strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(s, "exit")))
		return ctlExit
	case strings.HasPrefix(s, "echo ") || s == "echo":
		in.out.WriteString(strings.Join(in.words(strings.TrimPrefix(s, "echo")), " ") + "\n")
		return ctlNext
	case strings.HasPrefix(s, "cat "):
		in.code = 0
		for _, f := range in.words(s[4:]) {
			b, err := os.ReadFile(f)
			if err != nil {
				in.code = 1
				continue
			}
			in.out.Write(b)
		}
		return ctlNext
	case sleepRe.MatchString(s):
		m := sleepRe.FindStringSubmatch(s)
		if !in.flush() {
			return ctlGone
		}
		arg := in.word(m[1])
		if arg == "infinity" {
			for {
				time.Sleep(time.Hour) // until killed
			}
		}
		secs, err := strconv.ParseFloat(arg, 64)
		if err != nil {
			die("sleep: bad number " + m[1])
		}
		time.Sleep(time.Duration(secs * float64(time.Second)))
		return ctlNext
	case substCat.MatchString(s):
		m := substCat.FindStringSubmatch(s)
		var val strings.Builder
		failed := false
		for _, f := range in.words(m[2]) {
			b, err := os.ReadFile(f)
			if err != nil {
				failed = true
				continue
			}
			val.Write(b)
		}
		in.vars[m[1]] = strings.TrimRight(val.String(), "\n")
		if failed && m[3] != "" {
			return ctlContinue
		}
		return ctlNext
	case assignRe.MatchString(s):
		m := assignRe.FindStringSubmatch(s)
		in.vars[m[1]] = in.word(m[2])
		return ctlNext
	}
	die("unsupported: " + s)
	return ctlExit
}

// splitStatements splits at ';' outside quotes.
func splitStatements(l string) []string {
	var out []string
	var q byte
	start := 0
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == ';':
			out = append(out, l[start:i])
			start = i + 1
		}
	}
	return append(out, l[start:])
}

// words splits s into words (quotes removed, variables expanded, 2>/dev/null dropped).
func (in *interp) words(s string) []string {
	var out []string
	var cur strings.Builder
	have := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if have {
				out = append(out, cur.String())
				cur.Reset()
				have = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				die("unterminated ' in: " + s)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			have = true
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				die("unterminated \" in: " + s)
			}
			cur.WriteString(in.expand(s[i+1 : i+1+j]))
			i += j + 1
			have = true
		default:
			j := strings.IndexAny(s[i:], " \t'\"")
			if j < 0 {
				j = len(s) - i
			}
			cur.WriteString(in.expand(s[i : i+j]))
			i += j - 1
			have = true
		}
	}
	if have {
		out = append(out, cur.String())
	}
	kept := out[:0]
	for _, w := range out {
		if w != "2>/dev/null" {
			kept = append(kept, w)
		}
	}
	return kept
}

func (in *interp) word(s string) string { return strings.Join(in.words(s), " ") }

func (in *interp) expand(s string) string {
	return expandRe.ReplaceAllStringFunc(s, func(m string) string {
		g := expandRe.FindStringSubmatch(m)
		switch {
		case g[1] != "":
			v := in.vars[g[1]]
			return v[strings.LastIndexByte(v, '/')+1:]
		case g[2] != "":
			return in.vars[g[2]]
		}
		if n, err := strconv.Atoi(g[3]); err == nil {
			if n < len(in.args) {
				return in.args[n]
			}
			return ""
		}
		return in.vars[g[3]]
	})
}
