// Command cat is a Windows stand-in for cat(1) under Wine (see package wintest): it copies each
// file to stdout; a file that cannot be read is reported on stderr as cat does, exit 1.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	code := 0
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "cat: %s: No such file or directory\n", name)
			code = 1
			continue
		}
		_, err = io.Copy(os.Stdout, f)
		f.Close()
		if err != nil {
			os.Exit(1)
		}
	}
	os.Exit(code)
}
