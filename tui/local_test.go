package tui

import (
	"bytes"
	"context"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

// thisMachine is the fake seen as the local backend sees a plain Linux machine: no distros, no
// Windows view in its samples, and Info.ThisMachine. The backend's name is deliberately not
// "local": the dashboard must follow ThisMachine, never the name.
type thisMachine struct{ *fake.Backend }

func (b thisMachine) Sample(ctx context.Context) (backend.Sample, error) {
	s, err := b.Backend.Sample(ctx)
	s.Host = nil
	return s, err
}

func newThisMachine(thisOne bool, name string) thisMachine {
	fb := fake.New()
	fb.SetDistros(nil)
	fb.SetInfo(backend.Info{Backend: name, Label: name, Hostname: "devbox", ThisMachine: thisOne})
	return thisMachine{fb}
}

// localSample is memSample (reclaim_test.go) without the Windows view.
func localSample(t time.Time, cache uint64, cpu float64) backend.Sample {
	s := memSample(t, cache, cpu)
	s.Host = nil
	return s
}

// Every view on this machine speaks of this machine: no Windows, VM or WSL-gate wording, and
// the views that need a Windows host say so in one line.
func TestLocalModeWords(t *testing.T) {
	// On every view.
	never := []string{"Windows sees", "vmmem", "WSL's gate", "autoReclaim", "idle clock", "back to Windows",
		"■ guest", "automatic", "CACHE · VM"}
	needs := "run wsldash.exe on Windows, or inside WSL"
	cases := []struct {
		key         string
		want, avoid []string
	}{
		{"1", []string{"■ busy", "Processes ─ this machine"}, nil},
		{"2", []string{"drops this machine's", "the kernel frees cache", "no cache has been dropped yet",
			"cache dropped", "-3.0 GiB dropped", "reclaimable"}, []string{"no memory has come back", "gap "}},
		{"3", []string{"Processes ─ this machine"}, nil},
		{"4", []string{"Mounts ─ this machine"}, nil},
		{"7", []string{"VMs on a Windows host: " + needs}, []string{"KIND", "HCS"}},
		{"8", []string{"WSL distros' VHDX disks: " + needs, "the trash of WSL distros:"}, []string{"RECLAIMABLE", "TRASHED"}},
		{"9", []string{"WSL's online catalogue: " + needs}, []string{"FRIENDLY NAME"}},
	}
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		for _, c := range cases {
			h := newHarness(t, newThisMachine(true, "wsl"), size[0], size[1])
			h.key(c.key)
			base := h.clock.Now()
			for i := 1; i <= 20; i++ {
				h.feed(localSample(base.Add(time.Duration(i)*time.Second), 4*gib, 20))
			}
			s := h.screen()
			if c.key == "2" {
				// The empty log first, then a drop nobody asked for: the kernel's, not WSL's.
				if !strings.Contains(s, "no cache has been dropped yet") {
					t.Fatalf("%dx%d: empty log not in this machine's words:\n%s", size[0], size[1], s)
				}
				for i := 21; i <= 25; i++ {
					h.feed(localSample(base.Add(time.Duration(i)*time.Second), gib, 20))
				}
				s += h.screen()
			}
			for _, w := range c.want {
				if !strings.Contains(s, w) {
					t.Errorf("%dx%d view %s lacks %q:\n%s", size[0], size[1], c.key, w, s)
				}
			}
			for _, w := range append(c.avoid, never...) {
				if strings.Contains(s, w) {
					t.Errorf("%dx%d view %s says %q on this machine:\n%s", size[0], size[1], c.key, w, s)
				}
			}
		}
	}
}

// The same screens on a WSL backend keep WSL's words: ThisMachine is the switch, not the name.
func TestLocalWordsFollowThisMachine(t *testing.T) {
	h := newHarness(t, newThisMachine(false, "local"), 120, 40)
	h.key("2")
	h.feedLevel(20, 4*gib, 20)
	h.feedLevel(5, gib, 20)
	s := h.screen()
	for _, w := range []string{"Windows sees", "automatic", "■ used", "-3.0 GiB auto"} {
		if !strings.Contains(s, w) {
			t.Errorf("WSL's memory view lacks %q:\n%s", w, s)
		}
	}
	for _, w := range []string{"drops this machine's", "cache dropped"} {
		if strings.Contains(s, w) {
			t.Errorf("WSL's memory view says %q:\n%s", w, s)
		}
	}
	h.key("7")
	if s := h.screen(); strings.Contains(s, "wsldash.exe on Windows") {
		t.Errorf("the VMs view on WSL says it needs Windows:\n%s", s)
	}
}

// The reclaim dialog on this machine drops its cache; it gives nothing back to Windows.
func TestLocalReclaimDialog(t *testing.T) {
	h := newHarness(t, newThisMachine(true, "any"), 120, 40)
	h.feedLevel(3, 4*gib, 20)
	h.key("r")
	if h.m.dialog == nil {
		t.Fatal("no reclaim dialog")
	}
	d := h.m.dialog.body
	for _, c := range h.m.dialog.choices {
		d += "\n" + c.label + " " + c.desc
	}
	if !strings.Contains(d, "Drop this machine's page cache") || strings.Contains(d, "Windows") || strings.Contains(d, "WSL's") {
		t.Fatalf("reclaim dialog on this machine:\n%s", d)
	}
}

// The memory legend says what "used" is where there is room (backend.GuestMemory).
func TestLegendSaysWhatUsedIs(t *testing.T) {
	h := newHarness(t, newThisMachine(true, "any"), 120, 40)
	h.key("2")
	h.feedLevel(3, 4*gib, 20)
	if s := h.screen(); !strings.Contains(s, "■ used 4.0 GiB  (total − free − cache)") {
		t.Fatalf("the legend does not say what used is:\n%s", s)
	}
}

func TestShellBanner(t *testing.T) {
	for _, c := range []struct {
		distro string
		this   bool
		host   string
		want   string
	}{
		{"Ubuntu-24.04", false, "", "wsldash: a shell in Ubuntu-24.04 — exit (or ctrl+d) comes back to the dashboard"},
		{"", true, "devbox", "wsldash: a shell on this machine (devbox) — exit (or ctrl+d) comes back to the dashboard"},
		{"evil\x1b]0;x\x07", false, "", "wsldash: a shell in evil]0;x — exit (or ctrl+d) comes back to the dashboard"},
	} {
		if got := shellBanner(c.distro, c.this, c.host); got != c.want {
			t.Errorf("shellBanner(%q, %v, %q) = %q, want %q", c.distro, c.this, c.host, got, c.want)
		}
	}
}

// The banner is written to the terminal before the shell runs, on one line.
func TestBannerCmdPrintsFirst(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	var out bytes.Buffer
	c := &bannerCmd{Cmd: exec.Command(sh, "-c", "echo from-the-shell"), banner: "wsldash: hello"}
	c.SetStdin(strings.NewReader(""))
	c.SetStdout(&out)
	c.SetStderr(&out)
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "wsldash: hello\r\nfrom-the-shell\n" {
		t.Fatalf("terminal got %q", got)
	}
}

// The shell key hands the terminal to the backend's command wrapped with the banner.
func TestShellStartsWithBanner(t *testing.T) {
	h := newHarness(t, newThisMachine(true, "any"), 120, 40)
	cmd := h.m.onShellReady(shellReadyMsg{cmd: exec.Command("true")})
	if cmd == nil {
		t.Fatal("no command")
	}
	msg := reflect.ValueOf(cmd())
	if msg.Kind() != reflect.Struct || msg.NumField() == 0 {
		t.Fatalf("unexpected message %T", cmd())
	}
	bc := msg.Field(0).Elem()
	if bc.Type() != reflect.TypeOf(&bannerCmd{}) {
		t.Fatalf("the shell runs as %v, without the banner", bc.Type())
	}
	if got := bc.Elem().FieldByName("banner").String(); !strings.Contains(got, "on this machine (devbox)") {
		t.Fatalf("banner %q", got)
	}
}
