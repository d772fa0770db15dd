package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/doctor"
	"github.com/wsldash/wsldash/backend/winhost"
	"github.com/wsldash/wsldash/backend/wsl/wslexe"
	"github.com/wsldash/wsldash/backend/wslconfig"
	"github.com/wsldash/wsldash/tui"
)

// doctorTimeout bounds each question doctor asks (wsl.exe, a sample); a timeout ends the
// wsl.exe questions at once.
const doctorTimeout = 5 * time.Second

func doctorCmd(a *app) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "doctor",
		Short: "Check what wsldash can see here (wsl.exe, WSL_UTF8, registry, HCS, the VM process, .wslconfig, terminal) and how to fix what it can't",
		Long: `doctor runs one check per line: ok, warn or fail, with the fix. It exits 0 when nothing
fails (warnings are things wsldash works around). Checks that do not apply here (the registry
inside WSL, wsl.exe on plain Linux or the demo) say skip and why.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := gatherFacts(cmd.Context(), a, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			r := doctor.Run(f)
			out := cmd.OutOrStdout()
			if asJSON {
				if err := writeJSON(out, r); err != nil {
					return err
				}
			} else {
				printDoctor(out, r)
			}
			if !r.OK {
				return &exitError{code: 1, err: errors.New("doctor: some checks failed (see above)")}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return c
}

func printDoctor(out io.Writer, r doctor.Report) {
	label := r.Backend
	if r.Simulated {
		label += ", simulated"
	}
	fmt.Fprintf(out, "wsldash doctor (backend %s, %s)\n", label, r.Where)
	for _, c := range r.Checks {
		fmt.Fprintf(out, "%-4s  %-15s  %s\n", c.Status, c.Name, c.Found)
		if c.Fix != "" {
			fmt.Fprintf(out, "      %-15s  fix: %s\n", "", c.Fix)
		}
	}
}

// gatherFacts asks everything the checks look at. Nothing here decides; doctor.Run does.
func gatherFacts(ctx context.Context, a *app, out io.Writer) (doctor.Facts, error) {
	var f doctor.Facts
	name, err := a.chosen()
	if err != nil {
		return f, err
	}
	f.Backend = name
	inside := isInsideWSL
	if a.insideWSL != nil {
		inside = a.insideWSL
	}
	switch {
	case runtime.GOOS == "windows":
		f.Where = doctor.OnWindows
	case inside():
		f.Where = doctor.InsideWSL
	default:
		f.Where = doctor.OnLinux
	}

	if name == "wsl" {
		if f.Where == doctor.InsideWSL {
			f.HostHelperFound, f.HostHelper = hostHelperStatus()
		}
		askWSLExe(ctx, a, &f)
		if f.Where == doctor.OnWindows {
			f.RegistryAsked = true
			regs, err := winhost.ReadRegistrations()
			f.RegistryDistros, f.RegistryErr = len(regs), err
			f.Elevated = isElevated()
		}
	}

	var store backend.ConfigStore
	b, err := a.open(ctx)
	if err != nil {
		f.DistrosErr = err
	} else {
		defer b.Close()
		store, _ = b.(backend.ConfigStore)
		if info, err := b.Info(ctx); err == nil {
			f.Simulated = info.Simulated
		}
		if f.WSLVersionErr == nil || name != "wsl" {
			c, cancel := context.WithTimeout(ctx, doctorTimeout)
			f.Distros, f.DistrosErr = b.Distros(c)
			if f.DistrosErr == nil {
				var s backend.Sample
				s, f.HostErr = b.Sample(c)
				f.Host = s.Host
				if gp, ok := b.(backend.GuestProber); ok { // after the sample: a probe has run
					f.GuestProbe, f.GuestProbeWhy = gp.ProbeKind()
				}
			}
			cancel()
		} else {
			f.DistrosErr = fmt.Errorf("not asked: wsl.exe did not answer --version")
		}
	}

	// .wslconfig as the backend reads it; a sample (the demo's) is no file of this machine's.
	var cf backend.ConfigFile
	if store == nil {
		f.WSLConfigErr = &backend.Error{Kind: backend.KindUnsupported, Op: "config", Message: "this backend cannot read .wslconfig"}
	} else if cf, err = store.WSLConfig(ctx); err != nil {
		f.WSLConfigPath, f.WSLConfigErr = cf.Path, err
	}
	if !cf.Sample {
		if f.WSLConfigErr == nil {
			f.WSLConfigPath = cf.Path
			if wf, err := wslconfig.FromStore(cf); err != nil {
				f.WSLConfigErr = err
			} else {
				f.WSLConfigExists = wf.Exists()
				f.WSLConfigModTime = wf.ModTime()
				for _, w := range wf.Warnings() {
					f.WSLConfigWarnings = append(f.WSLConfigWarnings, w.Text)
				}
			}
		}
		if f.Where == doctor.InsideWSL {
			f.VMStart = vmStartFromUptime("/proc/uptime", time.Now())
		}
	}

	if file, ok := out.(*os.File); ok && term.IsTerminal(file.Fd()) {
		f.TTY = true
		f.Width, f.Height, _ = term.GetSize(file.Fd())
		f.ColorProfile = colorprofile.Detect(file, os.Environ()).String()
	}

	if p, err := tui.ConfigPath(); err != nil {
		f.ConfigErr = err
	} else {
		f.ConfigPath = p
		if _, err := os.Stat(p); err == nil {
			f.ConfigExists = true
		}
		_, f.ConfigErr = tui.LoadConfig(p)
	}
	return f, nil
}

// askWSLExe finds wsl.exe and asks it --version and -l -v (raw bytes, to see its encoding). A
// timeout ends the questions.
func askWSLExe(ctx context.Context, a *app, f *doctor.Facts) {
	f.WSLExe, f.WSLExeErr = wslexe.Find(a.wslExe)
	if f.WSLExeErr != nil {
		return
	}
	r := wslexe.New(f.WSLExe, doctorTimeout)
	f.Asked = true
	res, err := r.Run(ctx, "--version")
	switch {
	case err == nil:
		v := strings.TrimSpace(res.Text())
		if first, _, _ := strings.Cut(v, "\n"); first != "" {
			// "WSL version: 2.4.13.0" (the first line; localized labels keep the number last)
			fs := strings.Fields(first)
			f.WSLVersion = fs[len(fs)-1]
		}
	case wslexe.IsWSLFailure(res.ExitCode) && backend.KindOf(err) != backend.KindTimeout:
		// The inbox wsl.exe has no --version: it prints its usage and fails.
	default:
		f.WSLVersionErr = err
		return
	}
	res, err = r.Run(ctx, "-l", "-v")
	f.ListRaw, f.ListErr = res.Stdout, err
}

// vmStartFromUptime is when the VM booted, from the guest's /proc/uptime; zero when unknown.
func vmStartFromUptime(path string, now time.Time) time.Time {
	b, err := os.ReadFile(path)
	if err != nil {
		return time.Time{}
	}
	fs := strings.Fields(string(b))
	if len(fs) == 0 {
		return time.Time{}
	}
	sec, err := strconv.ParseFloat(fs[0], 64)
	if err != nil || sec < 0 {
		return time.Time{}
	}
	return now.Add(-time.Duration(sec * float64(time.Second)))
}
