package main

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// Every start of the double is counted: with $FAKEWSL_STARTS set, it appends one line per start,
// "<unix nanoseconds> <pid> <argv joined by spaces, newlines as \n>", written with one O_APPEND
// write so that concurrent starts never interleave. The start-rate harness
// (scripts/wsl-starts) and tests read it; it runs before main so that no path is missed, even a
// start that fails at once.
func init() {
	p := os.Getenv("FAKEWSL_STARTS")
	if p == "" {
		return
	}
	line := strconv.FormatInt(time.Now().UnixNano(), 10) + " " + strconv.Itoa(os.Getpid()) + " " +
		strings.ReplaceAll(strings.Join(os.Args[1:], " "), "\n", `\n`) + "\n"
	f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	f.WriteString(line)
	f.Close()
}
