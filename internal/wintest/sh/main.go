// Command sh is a Windows stand-in for sh(1) under Wine (see package wintest). It runs
// `sh -c SCRIPT [NAME [ARG...]]` for the subset of POSIX sh that wsldash's scripts are written
// in (the probe, the keep-alives), with sh's semantics for that subset, and nothing more:
//
//	lists: newlines, ';', '&&', '||'; '#' comments
//	while LIST; do LIST; done     for NAME in WORD...; do LIST; done     { LIST; }
//	case WORD in PATTERN[|PATTERN]...) LIST;; ... esac
//	redirections: < FILE, 2>/dev/null, >/dev/null (on any command, loop or group)
//	NAME=WORD (alone, or before a builtin for that command only)
//	words: '…', "…", \c; $NAME ${NAME} $0-$9 $$ ${NAME#P} ${NAME##P} ${NAME%P} ${NAME%%P}
//	       $(LIST); field splitting (default IFS) and pathname expansion of unquoted words
//	builtins: : echo printf cat read -r sleep exec exit continue break
//
// The script is parsed whole before it runs; anything else (a pipe, '&', if, another command, a
// global IFS, echo of a backslash, which dash and bash print differently) is an error: exit 2,
// the reason on stderr, so a change to the scripts shows up as a failing check instead of
// silently wrong data. Output is buffered and flushed before each read of the shell's own stdin
// and before sleeping, so a probe's frame goes out whole before it waits for the next request.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// fatal ends the run with exit status 2 and its message on stderr.
type fatal string

func die(format string, a ...any) { panic(fatal(fmt.Sprintf(format, a...))) }

const errBadScript = 2

// run is `sh ARGS...` with the given stdin and output; it returns the exit status.
func run(a []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fatal)
			if !ok {
				panic(r)
			}
			fmt.Fprintln(stderr, "sh (wsldash's Wine stand-in):", string(f))
			code = errBadScript
		}
	}()
	if len(a) < 2 || a[0] != "-c" {
		die("usage: sh -c SCRIPT [NAME [ARG...]]")
	}
	prog := parseScript(a[1])
	top := bufio.NewReader(stdin)
	in := &interp{vars: map[string]string{}, args: []string{"sh"}, out: bufio.NewWriterSize(stdout, 64<<10),
		top: top, stdin: top, stderr: stderr}
	if len(a) > 2 {
		in.args = a[2:]
	}
	if in.list(prog) == ctlGone || !in.flush() {
		return 1 // the reader of stdout went away
	}
	return in.status
}

// ---- tokens ----------------------------------------------------------------------------------

type tokKind int

const (
	tWord tokKind = iota
	tNewline
	tSemi   // ;
	tDSemi  // ;;
	tAnd    // &&
	tOr     // ||
	tPipe   // |
	tLParen // (
	tRParen // )
	tLess   // <
	tGreat  // > (with fd)
	tEOF
)

type shTok struct {
	kind tokKind
	text string // a word's raw text (quotes kept)
	fd   int    // for tGreat/tLess: the descriptor (-1 when none was written)
}

func lex(s string) []shTok {
	var toks []shTok
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '\\' && i+1 < len(s) && s[i+1] == '\n':
			i += 2
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '\n':
			toks = append(toks, shTok{kind: tNewline})
			i++
		case c == ';':
			if strings.HasPrefix(s[i:], ";;") {
				toks = append(toks, shTok{kind: tDSemi})
				i += 2
			} else {
				toks = append(toks, shTok{kind: tSemi})
				i++
			}
		case c == '&':
			if strings.HasPrefix(s[i:], "&&") {
				toks = append(toks, shTok{kind: tAnd})
				i += 2
			} else {
				die("unsupported: '&' (background)")
			}
		case c == '|':
			if strings.HasPrefix(s[i:], "||") {
				toks = append(toks, shTok{kind: tOr})
				i += 2
			} else {
				toks = append(toks, shTok{kind: tPipe})
				i++
			}
		case c == '(':
			toks = append(toks, shTok{kind: tLParen})
			i++
		case c == ')':
			toks = append(toks, shTok{kind: tRParen})
			i++
		case c == '<' || c == '>':
			i = lexRedir(s, i, -1, &toks)
		default:
			j := wordEnd(s, i)
			w := s[i:j]
			if j < len(s) && (s[j] == '<' || s[j] == '>') && isDigits(w) {
				n, _ := strconv.Atoi(w)
				i = lexRedir(s, j, n, &toks)
				continue
			}
			toks = append(toks, shTok{kind: tWord, text: w})
			i = j
		}
	}
	return append(toks, shTok{kind: tEOF})
}

func lexRedir(s string, i, fd int, toks *[]shTok) int {
	if s[i] == '<' {
		if strings.HasPrefix(s[i:], "<<") || strings.HasPrefix(s[i:], "<&") || strings.HasPrefix(s[i:], "<>") {
			die("unsupported redirection at: %.20q", s[i:])
		}
		*toks = append(*toks, shTok{kind: tLess, fd: fd})
		return i + 1
	}
	if strings.HasPrefix(s[i:], ">>") || strings.HasPrefix(s[i:], ">&") || strings.HasPrefix(s[i:], ">|") {
		die("unsupported redirection at: %.20q", s[i:])
	}
	*toks = append(*toks, shTok{kind: tGreat, fd: fd})
	return i + 1
}

func isDigits(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// wordEnd returns where the word starting at i ends (quotes, escapes, $(…) and ${…} inside).
func wordEnd(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; c {
		case ' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>':
			return i
		case '\\':
			i += 2
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				die("unterminated ' in: %.40q", s[i:])
			}
			i += j + 2
		case '"':
			i = dquoteEnd(s, i+1) + 1
		case '$':
			i = dollarEnd(s, i)
		default:
			i++
		}
	}
	if i > len(s) {
		die("a backslash at the end of the script")
	}
	return i
}

// dquoteEnd returns the index of the '"' closing a double-quoted string starting at i.
func dquoteEnd(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case '"':
			return i
		case '\\':
			i += 2
		case '$':
			i = dollarEnd(s, i)
		case '`':
			die("unsupported: backquotes")
		default:
			i++
		}
	}
	die("unterminated \" in: %.40q", s)
	return 0
}

// dollarEnd returns the index after the expansion starting with the '$' at i.
func dollarEnd(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "$(("):
		die("unsupported: arithmetic expansion")
	case strings.HasPrefix(s[i:], "$("):
		depth := 0
		for j := i + 1; j < len(s); j++ {
			switch s[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return j + 1
				}
			case '\'':
				k := strings.IndexByte(s[j+1:], '\'')
				if k < 0 {
					die("unterminated ' in: %.40q", s[i:])
				}
				j += k + 1
			case '"':
				j = dquoteEnd(s, j+1)
			case '\\':
				j++
			}
		}
		die("unterminated $( in: %.40q", s[i:])
	case strings.HasPrefix(s[i:], "${"):
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			die("unterminated ${ in: %.40q", s[i:])
		}
		return i + j + 1
	case i+1 < len(s) && (s[i+1] >= '0' && s[i+1] <= '9' || strings.IndexByte("?#@*!$-", s[i+1]) >= 0):
		return i + 2 // $1 is one digit; the special parameters are refused when expanded
	}
	j := i + 1
	for j < len(s) && isName(s[i+1:j+1]) {
		j++
	}
	return j
}

// ---- syntax ----------------------------------------------------------------------------------

type redir struct {
	in   bool // < FILE, else N>/dev/null
	fd   int
	word string
}

type andOr struct {
	cmds []*command
	ops  []tokKind // between cmds: tAnd or tOr
}

type caseArm struct {
	pats []string
	body []andOr
}

type command struct {
	kind   string // "simple", "while", "for", "case", "group"
	assign [][2]string
	words  []string
	redirs []redir
	cond   []andOr // while
	body   []andOr // while, for, group
	forVar string
	forIn  []string
	word   string // case
	arms   []caseArm
}

type shParser struct {
	toks []shTok
	i    int
}

func parseScript(s string) []andOr {
	p := &shParser{toks: lex(s)}
	l := p.list()
	if t := p.peek(); t.kind != tEOF {
		die("unexpected %s", p.describe(t))
	}
	return l
}

func (p *shParser) peek() shTok { return p.toks[p.i] }
func (p *shParser) next() shTok { t := p.toks[p.i]; p.i++; return t }

func (p *shParser) describe(t shTok) string {
	switch t.kind {
	case tWord:
		return strconv.Quote(t.text)
	case tEOF:
		return "end of script"
	case tPipe:
		return "'|' (pipes are not supported)"
	}
	return fmt.Sprintf("token %d", t.kind)
}

// reserved reports whether the next token is the reserved word w.
func (p *shParser) reserved(w string) bool { t := p.peek(); return t.kind == tWord && t.text == w }

func (p *shParser) expectWord(w string) {
	if !p.reserved(w) {
		die("expected %q, got %s", w, p.describe(p.peek()))
	}
	p.i++
}

func (p *shParser) skipNewlines() {
	for p.peek().kind == tNewline {
		p.i++
	}
}

var terminators = map[string]bool{"do": true, "done": true, "esac": true, "}": true, "then": true, "fi": true, "elif": true, "else": true}

// list parses and-or lists up to a terminator (a closing reserved word, ';;', ')' or the end).
func (p *shParser) list() []andOr {
	var out []andOr
	for {
		p.skipNewlines()
		t := p.peek()
		if t.kind == tEOF || t.kind == tDSemi || t.kind == tRParen || (t.kind == tWord && terminators[t.text]) {
			return out
		}
		out = append(out, p.andOr())
		switch p.peek().kind {
		case tSemi, tNewline:
			p.i++
		}
	}
}

func (p *shParser) andOr() andOr {
	a := andOr{cmds: []*command{p.command()}}
	for k := p.peek().kind; k == tAnd || k == tOr; k = p.peek().kind {
		p.i++
		p.skipNewlines()
		a.ops = append(a.ops, k)
		a.cmds = append(a.cmds, p.command())
	}
	if p.peek().kind == tPipe {
		die("unsupported: a pipe")
	}
	return a
}

func (p *shParser) command() *command {
	t := p.peek()
	if t.kind != tWord {
		die("unexpected %s", p.describe(t))
	}
	var c *command
	switch t.text {
	case "while":
		p.i++
		c = &command{kind: "while", cond: p.list()}
		p.expectWord("do")
		c.body = p.list()
		p.expectWord("done")
	case "for":
		p.i++
		v := p.next()
		if v.kind != tWord || !isName(v.text) {
			die("for: bad variable name %s", p.describe(v))
		}
		c = &command{kind: "for", forVar: v.text}
		p.expectWord("in")
		for p.peek().kind == tWord {
			c.forIn = append(c.forIn, p.next().text)
		}
		if k := p.peek().kind; k != tSemi && k != tNewline {
			die("for: expected ';' or a newline, got %s", p.describe(p.peek()))
		}
		p.i++
		p.skipNewlines()
		p.expectWord("do")
		c.body = p.list()
		p.expectWord("done")
	case "case":
		p.i++
		w := p.next()
		if w.kind != tWord {
			die("case: expected a word, got %s", p.describe(w))
		}
		c = &command{kind: "case", word: w.text}
		p.skipNewlines()
		p.expectWord("in")
		for {
			p.skipNewlines()
			if p.reserved("esac") {
				p.i++
				break
			}
			var arm caseArm
			if p.peek().kind == tLParen {
				p.i++
			}
			for {
				pt := p.next()
				if pt.kind != tWord {
					die("case: expected a pattern, got %s", p.describe(pt))
				}
				arm.pats = append(arm.pats, pt.text)
				if p.peek().kind == tPipe {
					p.i++
					continue
				}
				if p.next().kind != tRParen {
					die("case: expected ')' after the pattern %q", pt.text)
				}
				break
			}
			arm.body = p.list()
			c.arms = append(c.arms, arm)
			if p.peek().kind == tDSemi {
				p.i++
				continue
			}
			p.skipNewlines()
			p.expectWord("esac")
			break
		}
	case "{":
		p.i++
		c = &command{kind: "group", body: p.list()}
		p.expectWord("}")
	case "if", "until", "function", "!", "[[", "select":
		die("unsupported: %s", t.text)
	default:
		return p.simple()
	}
	p.redirs(c)
	return c
}

func (p *shParser) redirs(c *command) bool {
	any := false
	for {
		t := p.peek()
		if t.kind != tLess && t.kind != tGreat {
			return any
		}
		p.i++
		w := p.next()
		if w.kind != tWord {
			die("a redirection without a file")
		}
		if t.kind == tGreat {
			if (t.fd != -1 && t.fd != 1 && t.fd != 2) || w.text != "/dev/null" {
				die("unsupported redirection: %d>%s (only 2>/dev/null and >/dev/null)", t.fd, w.text)
			}
		} else if t.fd != -1 && t.fd != 0 {
			die("unsupported redirection: %d<", t.fd)
		}
		fd := t.fd
		if fd == -1 {
			fd = map[bool]int{true: 0, false: 1}[t.kind == tLess]
		}
		c.redirs = append(c.redirs, redir{in: t.kind == tLess, fd: fd, word: w.text})
		any = true
	}
}

var builtins = map[string]bool{":": true, "echo": true, "printf": true, "cat": true, "read": true,
	"sleep": true, "exec": true, "exit": true, "continue": true, "break": true}

func (p *shParser) simple() *command {
	c := &command{kind: "simple"}
	for {
		if p.redirs(c) {
			continue
		}
		t := p.peek()
		if t.kind != tWord {
			break
		}
		if len(c.words) == 0 {
			if n, v, ok := strings.Cut(t.text, "="); ok && isName(n) {
				c.assign = append(c.assign, [2]string{n, v})
				p.i++
				continue
			}
		}
		c.words = append(c.words, t.text)
		p.i++
	}
	checkCommand(c.words, c.assign)
	return c
}

// checkCommand refuses, before anything runs, a command the stand-in does not have.
func checkCommand(words []string, assign [][2]string) {
	if len(words) == 0 {
		for _, a := range assign {
			if a[0] == "IFS" {
				die("unsupported: setting IFS for the whole script")
			}
		}
		return
	}
	name := words[0]
	if name == "exec" {
		if len(words) == 1 {
			die("unsupported: exec without a command")
		}
		checkCommand(words[1:], nil)
		return
	}
	if !builtins[name] {
		die("unsupported command: %s", name)
	}
	for _, a := range assign {
		if a[0] != "IFS" || name != "read" || a[1] != "" {
			die("unsupported: %s=%s before %s (only IFS= read)", a[0], a[1], name)
		}
	}
}

func isName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// ---- execution -------------------------------------------------------------------------------

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
	top    *bufio.Reader // the shell's own stdin
	stdin  *bufio.Reader // the current one (a redirection's file)
	stderr io.Writer
	status int
}

// flush writes what is buffered; false when the reader went away.
func (in *interp) flush() bool { return in.out.Flush() == nil }

func (in *interp) list(l []andOr) ctl {
	for _, a := range l {
		if c := in.andOr(a); c != ctlNext {
			return c
		}
	}
	return ctlNext
}

func (in *interp) andOr(a andOr) ctl {
	if c := in.command(a.cmds[0]); c != ctlNext {
		return c
	}
	for i, op := range a.ops {
		if (op == tAnd) != (in.status == 0) {
			continue
		}
		if c := in.command(a.cmds[i+1]); c != ctlNext {
			return c
		}
	}
	return ctlNext
}

// command runs c with its redirections.
func (in *interp) command(c *command) ctl {
	savedIn, savedErr := in.stdin, in.stderr
	defer func() { in.stdin, in.stderr = savedIn, savedErr }()
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	for _, r := range c.redirs {
		name := in.word(r.word)
		switch {
		case !r.in && r.fd == 2:
			in.stderr = io.Discard
		case !r.in:
			die("unsupported: >/dev/null of stdout") // not needed by any script
		case name == "/dev/null":
			in.stdin = bufio.NewReader(strings.NewReader(""))
		default:
			f, err := os.Open(name)
			if err != nil {
				fmt.Fprintf(in.stderr, "sh: 1: cannot open %s: No such file\n", name)
				in.status = 2
				return ctlNext
			}
			files = append(files, f)
			in.stdin = bufio.NewReader(f)
		}
	}
	switch c.kind {
	case "group":
		return in.list(c.body)
	case "while":
		status := 0
		for {
			if k := in.list(c.cond); k != ctlNext {
				return k
			}
			if in.status != 0 {
				break
			}
			k := in.list(c.body)
			status = in.status
			if k == ctlBreak {
				break
			}
			if k == ctlExit || k == ctlGone {
				return k
			}
		}
		in.status = status
		return ctlNext
	case "for":
		var items []string
		for _, w := range c.forIn {
			items = append(items, in.fields(w)...)
		}
		in.status = 0
		for _, v := range items {
			in.vars[c.forVar] = v
			k := in.list(c.body)
			if k == ctlBreak {
				break
			}
			if k == ctlExit || k == ctlGone {
				return k
			}
		}
		return ctlNext
	case "case":
		w := in.word(c.word)
		in.status = 0
		for _, arm := range c.arms {
			for _, p := range arm.pats {
				if fnmatch(in.pattern(p), w) {
					return in.list(arm.body)
				}
			}
		}
		return ctlNext
	}
	return in.simple(c)
}

func (in *interp) simple(c *command) ctl {
	var words []string
	for _, w := range c.words {
		words = append(words, in.fields(w)...)
	}
	if len(words) == 0 {
		in.status = 0
		for _, a := range c.assign {
			in.vars[a[0]] = in.word(a[1]) // its $(…) sets the status
		}
		return ctlNext
	}
	// Assignments before a builtin hold for it only (IFS= read is the one allowed).
	return in.builtin(words, len(c.assign) > 0) // checkCommand allowed IFS= read only
}

func (in *interp) builtin(w []string, ifsEmpty bool) ctl {
	args := w[1:]
	switch w[0] {
	case ":":
		in.status = 0
	case "continue", "break":
		if len(args) > 0 {
			die("unsupported: %s with a count", w[0])
		}
		in.status = 0
		if w[0] == "break" {
			return ctlBreak
		}
		return ctlContinue
	case "exit":
		if len(args) > 0 {
			n, err := strconv.Atoi(args[0])
			if err != nil {
				die("exit: bad number %q", args[0])
			}
			in.status = n & 0xff
		}
		return ctlExit
	case "exec":
		if k := in.builtin(args, ifsEmpty); k == ctlGone {
			return k
		}
		return ctlExit
	case "echo":
		if len(args) > 0 && (args[0] == "-n" || args[0] == "-e" || args[0] == "-E") {
			die("unsupported: echo %s", args[0])
		}
		s := strings.Join(args, " ")
		if strings.Contains(s, `\`) {
			die("unsupported: echo of a backslash (dash and bash print it differently): %q", s)
		}
		in.out.WriteString(s + "\n")
		in.status = 0
	case "printf":
		if len(args) == 0 {
			die("printf without a format")
		}
		in.printf(args[0], args[1:])
		in.status = 0
	case "cat":
		in.status = 0
		if len(args) == 0 {
			io.Copy(in.out, in.stdin)
		}
		for _, f := range args {
			b, err := os.ReadFile(f)
			if err != nil {
				fmt.Fprintf(in.stderr, "cat: %s: No such file or directory\n", f)
				in.status = 1
				continue
			}
			in.out.Write(b)
		}
	case "read":
		return in.read(args, ifsEmpty)
	case "sleep":
		if len(args) != 1 {
			die("sleep: one argument")
		}
		if !in.flush() {
			return ctlGone
		}
		if args[0] == "infinity" {
			for {
				time.Sleep(time.Hour) // until killed
			}
		}
		secs, err := strconv.ParseFloat(args[0], 64)
		if err != nil {
			die("sleep: bad number %q", args[0])
		}
		time.Sleep(time.Duration(secs * float64(time.Second)))
		in.status = 0
	default:
		die("unsupported command: %s", w[0])
	}
	return ctlNext
}

// printf supports %s, %% and the escapes \n \t \\; the format is reused while arguments remain.
func (in *interp) printf(format string, args []string) {
	for {
		used := false
		for i := 0; i < len(format); i++ {
			c := format[i]
			switch {
			case c == '\\' && i+1 < len(format):
				i++
				switch format[i] {
				case 'n':
					in.out.WriteByte('\n')
				case 't':
					in.out.WriteByte('\t')
				case '\\':
					in.out.WriteByte('\\')
				default:
					die("printf: unsupported escape \\%c", format[i])
				}
			case c == '%' && i+1 < len(format):
				i++
				switch format[i] {
				case '%':
					in.out.WriteByte('%')
				case 's':
					used = true
					if len(args) > 0 {
						in.out.WriteString(args[0])
						args = args[1:]
					}
				default:
					die("printf: unsupported conversion %%%c", format[i])
				}
			case c == '\\' || c == '%':
				die("printf: a lone %c at the end of the format", c)
			default:
				in.out.WriteByte(c)
			}
		}
		if !used || len(args) == 0 {
			return
		}
	}
}

// read is `read -r NAME...`: one line of the current stdin, split by the default IFS (or not at
// all with IFS= before it). At end of input it still assigns what it read and returns 1.
func (in *interp) read(args []string, ifsEmpty bool) ctl {
	if len(args) == 0 || args[0] != "-r" {
		die("unsupported: read without -r")
	}
	names := args[1:]
	if len(names) == 0 {
		die("unsupported: read without a variable")
	}
	for _, n := range names {
		if !isName(n) {
			die("read: bad variable name %q", n)
		}
	}
	if in.stdin == in.top && !in.flush() {
		return ctlGone // the reader of our answers went away: no use waiting for a request
	}
	line, err := in.stdin.ReadString('\n')
	in.status = 0
	if err != nil {
		in.status = 1
	} else {
		line = line[:len(line)-1]
	}
	if ifsEmpty {
		in.vars[names[0]] = line
		for _, n := range names[1:] {
			in.vars[n] = ""
		}
		return ctlNext
	}
	isWS := func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' }
	rest := strings.TrimLeftFunc(line, isWS)
	for i, n := range names {
		if i == len(names)-1 {
			in.vars[n] = strings.TrimRightFunc(rest, isWS)
			break
		}
		j := strings.IndexFunc(rest, isWS)
		if j < 0 {
			in.vars[n], rest = rest, ""
			continue
		}
		in.vars[n] = rest[:j]
		rest = strings.TrimLeftFunc(rest[j:], isWS)
	}
	return ctlNext
}

// ---- expansion -------------------------------------------------------------------------------

// piece is expanded text; quoted text is neither split nor a pattern.
type piece struct {
	text   string
	quoted bool
}

// expand expands a word's raw text into pieces.
func (in *interp) expand(s string) []piece {
	var out []piece
	lit := func(t string, q bool) {
		if t != "" {
			out = append(out, piece{t, q})
		}
	}
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			lit(s[i+1:i+1+j], true)
			out = append(out, piece{"", true}) // '' is a word even when empty
			i += j + 2
		case '"':
			j := dquoteEnd(s, i+1)
			out = append(out, piece{"", true})
			out = append(out, in.expandDQ(s[i+1:j])...)
			i = j + 1
		case '\\':
			lit(s[i+1:i+2], true)
			i += 2
		case '$':
			j := dollarEnd(s, i)
			lit(in.dollar(s[i:j]), false)
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(`'"\$`, rune(s[j])) {
				j++
			}
			lit(s[i:j], false)
			i = j
		}
	}
	return out
}

// expandDQ expands the inside of "…": all of it quoted.
func (in *interp) expandDQ(s string) []piece {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
				if s[i+1] != '\n' {
					b.WriteByte(s[i+1])
				}
			} else {
				b.WriteString(s[i : i+2])
			}
			i += 2
		case '$':
			j := dollarEnd(s, i)
			b.WriteString(in.dollar(s[i:j]))
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return []piece{{b.String(), true}}
}

// dollar expands one $… expansion.
func (in *interp) dollar(e string) string {
	switch {
	case e == "$":
		return "$"
	case strings.HasPrefix(e, "$("):
		return in.subst(e[2 : len(e)-1])
	case strings.HasPrefix(e, "${"):
		inner := e[2 : len(e)-1]
		j := 0
		for j < len(inner) && (isName(inner[:j+1]) || (j == 0 && inner[0] >= '0' && inner[0] <= '9')) {
			j++
		}
		name, op := inner[:j], inner[j:]
		if name == "" {
			die("unsupported expansion %s", e)
		}
		v := in.value(name)
		for _, o := range []string{"##", "#", "%%", "%"} {
			if strings.HasPrefix(op, o) {
				return trim(v, in.pattern(op[len(o):]), o)
			}
		}
		if op != "" {
			die("unsupported expansion %s", e)
		}
		return v
	}
	name := e[1:]
	if name == "$" {
		return strconv.Itoa(os.Getpid()) // the shell's own pid (the probe's self section)
	}
	if len(name) > 1 && name[0] >= '0' && name[0] <= '9' {
		name = name[:1] // $12 is ${1}2
	}
	if name == "" || !(isName(name) || (name[0] >= '0' && name[0] <= '9')) {
		die("unsupported expansion %s", e)
	}
	return in.value(name)
}

func (in *interp) value(name string) string {
	if name[0] >= '0' && name[0] <= '9' {
		n, _ := strconv.Atoi(name)
		if n < len(in.args) {
			return in.args[n]
		}
		return ""
	}
	return in.vars[name]
}

// subst runs a command substitution in a subshell: its output without trailing newlines; its
// status becomes the shell's.
func (in *interp) subst(script string) string {
	prog := parseScript(script)
	var b bytes.Buffer
	sub := &interp{vars: map[string]string{}, args: in.args, out: bufio.NewWriter(&b), top: in.top, stdin: in.stdin, stderr: in.stderr}
	for k, v := range in.vars {
		sub.vars[k] = v
	}
	if sub.list(prog) == ctlGone {
		die("unsupported: sleep inside $(…)")
	}
	sub.out.Flush()
	in.status = sub.status
	return strings.TrimRight(b.String(), "\n")
}

// word expands s to one string: no field splitting, no pathname expansion.
func (in *interp) word(s string) string {
	var b strings.Builder
	for _, p := range in.expand(s) {
		b.WriteString(p.text)
	}
	return b.String()
}

// pattern expands s to a pattern for fnmatch: quoted characters are escaped.
func (in *interp) pattern(s string) string {
	var b strings.Builder
	for _, p := range in.expand(s) {
		if p.quoted {
			for _, r := range p.text {
				if strings.ContainsRune(`*?[\`, r) {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
		} else {
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// fields expands s as a command word: unquoted expansions split at blanks, then each field with
// an unquoted * ? [ is replaced by the paths it matches, sorted, or kept when none does.
func (in *interp) fields(s string) []string {
	type field struct {
		text, pat strings.Builder
		meta, any bool
	}
	var fs []*field
	cur := &field{}
	flush := func() {
		if cur.any {
			fs = append(fs, cur)
		}
		cur = &field{}
	}
	for _, p := range in.expand(s) {
		if p.quoted {
			cur.any = true
			cur.text.WriteString(p.text)
			for _, r := range p.text {
				if strings.ContainsRune(`*?[\`, r) {
					cur.pat.WriteByte('\\')
				}
				cur.pat.WriteRune(r)
			}
			continue
		}
		for _, r := range p.text {
			if r == ' ' || r == '\t' || r == '\n' {
				flush()
				continue
			}
			cur.any = true
			cur.text.WriteRune(r)
			cur.pat.WriteRune(r)
			if r == '*' || r == '?' || r == '[' {
				cur.meta = true
			}
		}
	}
	flush()
	var out []string
	for _, f := range fs {
		if f.meta {
			if m := glob(f.pat.String()); len(m) > 0 {
				out = append(out, m...)
				continue
			}
		}
		out = append(out, f.text.String())
	}
	return out
}

// glob expands a pattern over the file system, '/'-separated (a drive "Z:" is a plain
// component), hidden names only for a pattern that starts with '.'.
func glob(pat string) []string {
	parts := strings.Split(pat, "/")
	paths := []string{parts[0]}
	if hasMeta(parts[0]) {
		die("unsupported: a relative pattern %q", pat)
	}
	for _, part := range parts[1:] {
		var next []string
		for _, p := range paths {
			if !hasMeta(part) {
				next = append(next, p+"/"+unescape(part))
				continue
			}
			dir := p
			if dir == "" {
				dir = "/"
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				continue
			}
			for _, e := range ents {
				n := e.Name()
				if n[0] == '.' && !strings.HasPrefix(part, ".") {
					continue
				}
				if fnmatch(part, n) {
					next = append(next, p+"/"+n)
				}
			}
		}
		paths = next
	}
	var out []string
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func hasMeta(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '*', '?', '[':
			return true
		}
	}
	return false
}

func unescape(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// trim is ${v#p} ${v##p} ${v%p} ${v%%p}.
func trim(v, p, op string) string {
	switch op {
	case "#":
		for i := 0; i <= len(v); i++ {
			if fnmatch(p, v[:i]) {
				return v[i:]
			}
		}
	case "##":
		for i := len(v); i >= 0; i-- {
			if fnmatch(p, v[:i]) {
				return v[i:]
			}
		}
	case "%":
		for i := len(v); i >= 0; i-- {
			if fnmatch(p, v[i:]) {
				return v[:i]
			}
		}
	case "%%":
		for i := 0; i <= len(v); i++ {
			if fnmatch(p, v[i:]) {
				return v[:i]
			}
		}
	}
	return v
}

// fnmatch matches s against a sh pattern (* ? [...] [!...], \ escapes; * matches '/' too, as in
// case and ${…#…}).
func fnmatch(p, s string) bool {
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if fnmatch(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && fnmatch(p[1:], s[1:])
	case '[':
		if end, ok := classEnd(p); ok {
			if s == "" || !inClass(p[1:end], s[0]) {
				return false
			}
			return fnmatch(p[end+1:], s[1:])
		}
	case '\\':
		if len(p) > 1 {
			return s != "" && s[0] == p[1] && fnmatch(p[2:], s[1:])
		}
	}
	return s != "" && s[0] == p[0] && fnmatch(p[1:], s[1:])
}

// classEnd returns the index of the ']' closing the bracket expression at p[0].
func classEnd(p string) (int, bool) {
	i := 1
	if i < len(p) && (p[i] == '!' || p[i] == '^') {
		i++
	}
	if i < len(p) && p[i] == ']' {
		i++
	}
	for ; i < len(p); i++ {
		if p[i] == ']' {
			return i, true
		}
	}
	return 0, false
}

func inClass(cls string, c byte) bool {
	neg := false
	if cls != "" && (cls[0] == '!' || cls[0] == '^') {
		neg, cls = true, cls[1:]
	}
	match := false
	for i := 0; i < len(cls); i++ {
		lo := cls[i]
		if lo == '[' && i+1 < len(cls) && cls[i+1] == ':' {
			die("unsupported: character classes in a pattern")
		}
		hi := lo
		if i+2 < len(cls) && cls[i+1] == '-' {
			hi = cls[i+2]
			i += 2
		}
		if lo <= c && c <= hi {
			match = true
		}
	}
	return match != neg
}
