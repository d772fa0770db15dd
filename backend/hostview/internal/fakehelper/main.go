// Command fakehelper stands in for `wsldash.exe host --watch --json` in tests of the Linux side:
// it runs the real producer (hostview.Serve) over a fixed Source read from $FAKEHELPER_DATA (a
// JSON Data; a built-in one when unset), and appends its pid to $FAKEHELPER_PIDFILE so a test
// can check that no helper is left after wsldash exits. Like the real helper it insists on the
// arguments `host --watch --json`, takes --refresh and `interval <duration>` lines on stdin
// (Serve's, see Client.SetInterval), and exits when stdin closes.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/hostview"
	"github.com/wsldash/wsldash/backend/winhost"
)

// Data is what the fake host reports.
type Data struct {
	Host          backend.HostView       `json:"host"`
	Registrations []winhost.Registration `json:"registrations"`
	Disks         map[string]int64       `json:"disks"` // disk path -> size
	Version       string                 `json:"version,omitempty"`
}

// Default is the built-in host: one WSL 2 distro "Ubuntu" with a 36 GiB disk, vmmemWSL at 5 GiB.
var Default = Data{
	Host: backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 5 << 30, TotalBytes: 32 << 30, AvailableBytes: 20 << 30, VMCPUPercent: backend.Percent(1.5)},
	Registrations: []winhost.Registration{
		{GUID: "{0a}", Name: "Ubuntu", BasePath: `C:\Users\dev\AppData\Local\wsl\{0a}`, VhdFileName: "ext4.vhdx", Flags: 15, State: 1, Default: true},
	},
	Disks: map[string]int64{`C:\Users\dev\AppData\Local\wsl\{0a}\ext4.vhdx`: 36 << 30},
}

type source struct{ d Data }

func (s source) Sample(context.Context) (*backend.HostView, error) { hv := s.d.Host; return &hv, nil }
func (s source) Registrations() ([]winhost.Registration, error)    { return s.d.Registrations, nil }
func (s source) DiskUsage(p string) (int64, error) {
	if n, ok := s.d.Disks[p]; ok {
		return n, nil
	}
	return 0, errors.New("not found")
}

func main() {
	if len(os.Args) < 2 || os.Args[1] != "host" {
		fmt.Fprintf(os.Stderr, "Error: unknown command %q for \"wsldash\"\n", os.Args[1])
		os.Exit(1)
	}
	fs := flag.NewFlagSet("host", flag.ExitOnError)
	watch := fs.Bool("watch", false, "")
	asJSON := fs.Bool("json", false, "")
	refresh := fs.Duration("refresh", time.Second, "")
	fs.Parse(os.Args[2:])
	if !*watch || !*asJSON {
		fmt.Fprintln(os.Stderr, "Error: host needs --watch --json")
		os.Exit(1)
	}
	d := Default
	if p := os.Getenv("FAKEHELPER_DATA"); p != "" {
		b, err := os.ReadFile(p)
		if err == nil {
			err = json.Unmarshal(b, &d)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "fakehelper:", err)
			os.Exit(1)
		}
	}
	if p := os.Getenv("FAKEHELPER_PIDFILE"); p != "" {
		if f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
			fmt.Fprintln(f, os.Getpid())
			f.Close()
		}
	}
	v := d.Version
	if v == "" {
		v = hostview.ProgramVersion
	}
	if err := hostview.Serve(context.Background(), source{d}, os.Stdin, os.Stdout, hostview.ServeOptions{Interval: *refresh, Version: v}); err != nil {
		os.Exit(1)
	}
}
