package dialog

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// press builds the key press a terminal sends for a key name ("enter", "shift+tab", "y").
func press(s string) tea.KeyPressMsg {
	named := map[string]tea.KeyPressMsg{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEsc}, "tab": {Code: tea.KeyTab},
		"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
		"left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight}, "backspace": {Code: tea.KeyBackspace},
		"space": {Code: tea.KeySpace, Text: " "}, "ctrl+u": {Code: 'u', Mod: tea.ModCtrl},
	}
	if k, ok := named[s]; ok {
		return k
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("press: unknown key " + s)
	}
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

// keys splits "a b enter" into presses; "type:abc" types each rune of abc.
func keys(spec string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, f := range strings.Fields(spec) {
		if t, ok := strings.CutPrefix(f, "type:"); ok {
			for _, r := range t {
				out = append(out, press(string(r)))
			}
			continue
		}
		out = append(out, press(f))
	}
	return out
}

func TestPressNames(t *testing.T) {
	for _, s := range []string{"enter", "esc", "tab", "shift+tab", "up", "left", "backspace", "space", "ctrl+u", "y"} {
		if got := press(s).String(); got != s {
			t.Errorf("press(%q).String() = %q", s, got)
		}
	}
}

// run feeds the keys and returns the dialog, the first Done result (or the last result) and
// how many keys were used up to it.
func run(d Dialog, spec string) (Dialog, Result, int) {
	k := DefaultKeys()
	var res Result
	for i, msg := range keys(spec) {
		d, res, _ = d.Update(msg, k)
		if res.Done {
			return d, res, i + 1
		}
	}
	return d, res, len(keys(spec))
}

type want struct {
	done, ok bool
	choice   int
	values   []string
	view     []string // substrings the View (80x24, no colour) must contain afterwards
}

func check(t *testing.T, d Dialog, spec string, w want) {
	t.Helper()
	got, res, n := run(d, spec)
	if res.Done != w.done || res.OK != w.ok {
		t.Fatalf("%q: Done=%v OK=%v after %d keys, want Done=%v OK=%v", spec, res.Done, res.OK, n, w.done, w.ok)
	}
	if res.Done {
		if n != len(keys(spec)) {
			t.Fatalf("%q: done after %d of %d keys", spec, n, len(keys(spec)))
		}
		if got.Active() {
			t.Fatalf("%q: done but the dialog is still %v", spec, got.Kind())
		}
		if res.Choice != w.choice {
			t.Errorf("%q: Choice=%d, want %d", spec, res.Choice, w.choice)
		}
		if fmt.Sprint(res.Values) != fmt.Sprint(w.values) {
			t.Errorf("%q: Values=%q, want %q", spec, res.Values, w.values)
		}
		return
	}
	if !got.Active() || got.Kind() != d.Kind() {
		t.Fatalf("%q: not done but kind is %v", spec, got.Kind())
	}
	v := ansi.Strip(got.View(80, 24, NoColorStyles()))
	for _, s := range w.view {
		if !strings.Contains(v, s) {
			t.Errorf("%q: view lacks %q:\n%s", spec, s, v)
		}
	}
}

func TestConfirmUpdate(t *testing.T) {
	danger := NewConfirm("Terminate Ubuntu?", "Its processes stop.", true)
	safe := NewConfirm("Start Ubuntu?", "", false)
	for _, c := range []struct {
		d    Dialog
		keys string
		w    want
	}{
		{danger, "enter", want{done: true, ok: false}}, // No has the focus: enter alone destroys nothing
		{danger, "right enter", want{done: true, ok: true}},
		{danger, "tab tab enter", want{done: true, ok: false}},
		{danger, "shift+tab enter", want{done: true, ok: true}},
		{danger, "l h enter", want{done: true, ok: false}},
		{danger, "y", want{done: true, ok: true}}, // y confirms whatever has the focus
		{danger, "n", want{done: true, ok: false}},
		{danger, "right esc", want{done: true, ok: false}},
		{danger, "x q", want{view: []string{"Terminate Ubuntu?", "Its processes stop.", "[No]", "y yes", "n/esc no"}}},
		{danger, "right", want{view: []string{"[Yes]"}}},
		{safe, "enter", want{done: true, ok: true}},
		{safe, "left enter", want{done: true, ok: false}},
	} {
		check(t, c.d, c.keys, c.w)
	}
}

func TestChooseUpdate(t *testing.T) {
	ch := []Choice{
		{Label: "dropcache", Desc: "drop the clean page cache now"},
		{Label: "gradual", Desc: "cgroup memory.reclaim", Disabled: "needs WSL 2.0.0 or later"},
		{Label: "compact", Desc: "compact free memory"},
	}
	d := NewChoose("Reclaim memory?", "3.2 GiB of cache.", "reclaim", ch)
	firstOff := NewChoose("Move?", "", "move", []Choice{{Label: "a", Disabled: "stopped first"}, {Label: "b"}})
	allOff := NewChoose("Move?", "", "move", []Choice{{Label: "a", Disabled: "needs WSL 2.5.1"}, {Label: "b", Disabled: "needs WSL 2.5.1"}})
	for _, c := range []struct {
		d    Dialog
		keys string
		w    want
	}{
		{d, "enter", want{done: true, ok: true, choice: 0}},
		{d, "down enter", want{done: true, ok: true, choice: 2}}, // the disabled one is skipped
		{d, "down up enter", want{done: true, ok: true, choice: 0}},
		{d, "up enter", want{done: true, ok: true, choice: 2}}, // wraps, skipping the disabled one
		{d, "j j enter", want{done: true, ok: true, choice: 0}},
		{d, "tab y", want{done: true, ok: true, choice: 2}},
		{d, "down esc", want{done: true, ok: false}},
		{d, "n", want{done: true, ok: false}},
		{d, "down", want{view: []string{"▸ compact", "✗ needs WSL 2.0.0 or later", "enter reclaim", "esc cancel"}}},
		{firstOff, "enter", want{done: true, ok: true, choice: 1}}, // the cursor starts on the first enabled
		{allOff, "enter", want{view: []string{"✗ needs WSL 2.5.1"}}},
		{allOff, "down up enter esc", want{done: true, ok: false}},
	} {
		check(t, c.d, c.keys, c.w)
	}
	// Enter on a dialog where nothing can be chosen says why, under the list.
	got, res, _ := run(allOff, "enter")
	if res.Done || strings.Count(ansi.Strip(got.View(80, 24, NoColorStyles())), "needs WSL 2.5.1") != 3 {
		t.Errorf("all disabled, enter: %+v\n%s", res, got.View(80, 24, NoColorStyles()))
	}
}

func TestTypedNameUpdate(t *testing.T) {
	d := NewTypedName("Unregister Ubuntu-22.04? Its disk goes to the trash", "", "Ubuntu-22.04")
	yn := NewTypedName("Unregister yn?", "", "yn")
	for _, c := range []struct {
		d    Dialog
		keys string
		w    want
	}{
		{d, "type:Ubuntu-22.04 enter", want{done: true, ok: true, values: []string{"Ubuntu-22.04"}}},
		{d, "enter", want{view: []string{"type “Ubuntu-22.04” exactly to confirm", "Type “Ubuntu-22.04” to confirm:"}}},
		{d, "type:Ubuntu enter", want{view: []string{"exactly to confirm", "> Ubuntu"}}},
		{d, "type:ubuntu-22.04 enter", want{view: []string{"exactly to confirm"}}}, // exact: case counts
		{d, "type:Ubuntu-22.04x enter", want{view: []string{"exactly to confirm"}}},
		{d, "type:Ubuntu-22.04x backspace enter", want{done: true, ok: true, values: []string{"Ubuntu-22.04"}}},
		{d, "type:Ubuntu-22.04 ctrl+u enter", want{view: []string{"exactly to confirm"}}},
		{d, "type:Ubuntu-22.04", want{view: []string{"enter confirm", "esc cancel"}}},
		{d, "type:Ubuntu", want{view: []string{"enter works once the name matches"}}},
		// y and n are the Confirm and Cancel bindings, but here they are letters of the name.
		{yn, "type:yn enter", want{done: true, ok: true, values: []string{"yn"}}},
		{yn, "type:n", want{view: []string{"> n"}}},
		{d, "type:Ubu esc", want{done: true, ok: false}},
		{d, "type:Ubuntu-22.04 esc", want{done: true, ok: false}},
	} {
		check(t, c.d, c.keys, c.w)
	}
	// Updating a copy leaves the original as it was.
	typed, _, _ := run(d, "type:Ubuntu-22.04")
	run(typed, "backspace backspace")
	if typed.input.Value() != "Ubuntu-22.04" {
		t.Errorf("Update changed the original: %q", typed.input.Value())
	}
	// A paste goes into the input.
	p := d.Paste("Ubuntu-22.04")
	if _, res, _ := p.Update(press("enter"), DefaultKeys()); !res.Done || !res.OK {
		t.Errorf("pasted name not accepted: %+v", res)
	}
}

func TestFormUpdate(t *testing.T) {
	notEmpty := func(what string) func(string) error {
		return func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New(what + " is empty")
			}
			return nil
		}
	}
	noVHD := func(s string) error {
		if s == "vhd" {
			return errors.New("vhd needs WSL 2.1 or later")
		}
		return nil
	}
	d := NewForm("Export Ubuntu", "Write the distro to a file.", "export", []Field{
		{Label: "File", Value: "/mnt/c/backup/Ubuntu.tar", Validate: notEmpty("the file")},
		{Label: "Format", Choices: []string{"tar", "tar.gz", "tar.xz", "vhd"}, Value: "tar.gz", Validate: noVHD},
		{Label: "Note", Placeholder: "optional"},
	})
	for _, c := range []struct {
		keys string
		w    want
	}{
		{"enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tar", "tar.gz", ""}}},
		{"tab right enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tar", "tar.xz", ""}}},
		{"tab left left left enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tar", "tar.xz", ""}}}, // wraps
		{"tab space enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tar", "tar.xz", ""}}},
		{"shift+tab type:yes,no enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tar", "tar.gz", "yes,no"}}},
		{"down down type:jk enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tar", "tar.gz", "jk"}}},
		{"backspace type:.gz enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.ta.gz", "tar.gz", ""}}},
		{"tab tab tab type:n enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tarn", "tar.gz", ""}}},
		// A failing Validate: not submitted, the error under its field, the focus moved to it.
		{"ctrl+u enter", want{view: []string{"the file is empty", "▸ File"}}},
		{"tab right right enter", want{view: []string{"vhd needs WSL 2.1 or later", "▸ Format", "‹ vhd ›"}}},
		{"tab right right enter right enter", want{done: true, ok: true, values: []string{"/mnt/c/backup/Ubuntu.tar", "tar", ""}}},
		{"ctrl+u enter type:x enter", want{done: true, ok: true, values: []string{"x", "tar.gz", ""}}},
		{"tab", want{view: []string{"▸ Format", "‹ tar.gz ›  2/4", "tab next field", "enter export", "esc cancel"}}},
		{"type:n esc", want{done: true, ok: false}},
	} {
		check(t, d, c.keys, c.w)
	}
	// Editing the failing field clears its error.
	got, _, _ := run(d, "ctrl+u enter type:x")
	if v := got.View(80, 24, NoColorStyles()); strings.Contains(v, "is empty") {
		t.Errorf("error stays after editing:\n%s", v)
	}
	// A Dialog is a value: updating a copy leaves the original as it was.
	before := d.Values()
	run(d, "type:zz tab right")
	run(d, "backspace backspace") // edits the runes in place
	if fmt.Sprint(d.Values()) != fmt.Sprint(before) {
		t.Errorf("Update changed the original: %q, was %q", d.Values(), before)
	}
	// Pasting goes into the focused text field, not into a choice field.
	if v := d.Paste("-2").Values(); v[0] != "/mnt/c/backup/Ubuntu.tar-2" {
		t.Errorf("paste: %q", v)
	}
	f, _, _ := run(d, "tab")
	if v := f.Paste("x").Values(); v[1] != "tar.gz" {
		t.Errorf("paste into a choice field: %q", v)
	}
}

func TestProgressUpdate(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	d := NewProgress("Exporting Ubuntu", "to C:\\backup\\Ubuntu.tar", 3<<30, t0)
	ok := d
	ok.Finish("Exported Ubuntu (3.0 GiB) to C:\\backup\\Ubuntu.tar", nil)
	failed := d
	failed.Finish("", errors.New("wsl.exe: the disk is full"))
	for _, c := range []struct {
		d    Dialog
		keys string
		w    want
	}{
		{d, "x enter space y", want{view: []string{"esc cancel"}}}, // nothing but cancel acts while it runs
		{d, "esc", want{view: []string{"Cancel it?"}}},
		{d, "esc esc", want{done: true, ok: false}},
		{d, "esc enter", want{done: true, ok: false}},
		{d, "esc y", want{done: true, ok: false}},
		{d, "n enter", want{done: true, ok: false}},
		{d, "esc x", want{view: []string{"esc cancel"}}}, // any other key: keep going
		{d, "esc x esc esc", want{done: true, ok: false}},
		{ok, "x", want{done: true, ok: true}},
		{ok, "esc", want{done: true, ok: true}},
		{failed, "enter", want{done: true, ok: false}},
	} {
		check(t, c.d, c.keys, c.w)
	}
	if v := ansi.Strip(ok.View(80, 24, NoColorStyles())); !strings.Contains(v, "Exported Ubuntu (3.0 GiB)") ||
		!strings.Contains(v, "any key closes") || strings.Contains(v, "left") {
		t.Errorf("finished view:\n%s", v)
	}
	if v := ansi.Strip(failed.View(80, 24, NoColorStyles())); !strings.Contains(v, "wsl.exe: the disk is full") {
		t.Errorf("failed view:\n%s", v)
	}
	// Finish while "cancel?" is asked: the result wins.
	asking, _, _ := run(d, "esc")
	asking.Finish("done", nil)
	if v := ansi.Strip(asking.View(80, 24, NoColorStyles())); strings.Contains(v, "Cancel it?") || !asking.Finished() {
		t.Errorf("finish while asking:\n%s", v)
	}
	// SetProgress and Finish do nothing to other kinds, nor SetProgress after Finish.
	c := NewConfirm("x", "", false)
	c.SetProgress(5, t0)
	c.Finish("x", nil)
	if c.Finished() || c.prog.done != 0 {
		t.Error("progress calls changed a confirm dialog")
	}
	ok.SetProgress(1, t0.Add(time.Hour))
	if ok.prog.now != t0 {
		t.Error("SetProgress after Finish changed the progress")
	}
}

// The zero Dialog is no dialog: it ignores keys and draws nothing.
func TestZeroDialog(t *testing.T) {
	var d Dialog
	got, res, _ := d.Update(press("enter"), DefaultKeys())
	if got.Active() || res.Done || d.View(80, 24, NoColorStyles()) != "" || d.Kind().String() != "none" {
		t.Errorf("zero dialog: %+v %+v", got, res)
	}
}

const MiB = 1 << 20

// step is one SetProgress call: seconds after the start, bytes done.
type step struct {
	sec  float64
	done int64
}

func TestProgressRate(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	at := func(sec float64) time.Time { return t0.Add(time.Duration(sec * float64(time.Second))) }
	steady := func(from, to, every float64, perSec int64) []step {
		var s []step
		for x := from; x <= to+1e-9; x += every {
			s = append(s, step{x, int64(x * float64(perSec))})
		}
		return s
	}
	for _, c := range []struct {
		name  string
		total int64
		steps []step
		rate  string // "" = unknown
		left  string // "" = unknown
		view  []string
	}{
		{name: "no sample yet", total: 1 << 30, view: []string{"0 B of 1.0 GiB", "rate —", "time left —", "elapsed 0s"}},
		{name: "first sample", total: 1 << 30, steps: []step{{2, 100 * MiB}},
			view: []string{"100 MiB of 1.0 GiB", "rate —", "time left —", "elapsed 2s", "9%"}},
		{name: "too close together", total: 1 << 30, steps: []step{{1, 10 * MiB}, {1.5, 60 * MiB}},
			view: []string{"rate —", "time left —"}},
		{name: "two samples", total: 1 << 30, steps: []step{{1, 100 * MiB}, {2, 200 * MiB}},
			rate: "100.0 MiB", left: "about 8s left", view: []string{"100 MiB/s", "about 8s left", "elapsed 2s"}},
		{name: "steady over a minute", total: 10 << 30, steps: steady(0, 60, 1, 50*MiB),
			rate: "50.0 MiB", left: "about 2m20s left", view: []string{"2.9 GiB of 10 GiB", "50 MiB/s", "about 2m20s left", "elapsed 1m00s"}},
		// Smoothed over the last seconds: the rate follows a change of speed within the window
		// and forgets the old speed once it is out of it.
		{name: "speed change, inside the window", total: 10 << 30,
			steps: append(steady(0, 10, 1, 10*MiB), step{12, 100*MiB + 40*MiB}),
			rate:  "14.0 MiB", left: "about 12m left"}, // the anchor is the 7 s sample: (140-70) MiB in 5 s
		{name: "speed change, window passed", total: 10 << 30,
			steps: append(steady(0, 10, 1, 10*MiB), step{16, 100*MiB + 120*MiB}, step{17, 100*MiB + 140*MiB}),
			rate:  "20.0 MiB", left: "about 8m20s left"},
		{name: "stalled", total: 1 << 30, steps: append(steady(0, 10, 1, 10*MiB), step{13, 100 * MiB}, step{16, 100 * MiB}),
			rate: "0.0 B", view: []string{"stalled", "time left —"}},
		{name: "unknown total", total: 0, steps: steady(0, 4, 1, 10*MiB),
			rate: "10.0 MiB", view: []string{"40 MiB so far (total unknown)", "10 MiB/s", "time left —"}},
		{name: "negative total is unknown", total: -1, steps: steady(0, 4, 1, 10*MiB),
			rate: "10.0 MiB", view: []string{"so far (total unknown)", "time left —"}},
		{name: "past the expected total", total: 30 * MiB, steps: steady(0, 4, 1, 10*MiB),
			rate: "10.0 MiB", view: []string{"40 MiB of 30 MiB", "100%", "time left —"}},
		{name: "clock went back: the sample's time is ignored", total: 1 << 30,
			steps: []step{{1, 10 * MiB}, {3, 30 * MiB}, {2, 40 * MiB}},
			rate:  "10.0 MiB", left: "about 1m40s left", view: []string{"40 MiB of 1.0 GiB", "elapsed 3s"}},
		{name: "job went back: the rate starts again", total: 1 << 30,
			steps: []step{{1, 10 * MiB}, {3, 30 * MiB}, {4, 5 * MiB}},
			view:  []string{"5.0 MiB of 1.0 GiB", "rate —"}},
		// Sixty calls a second for ten seconds: the ring still spans the whole window.
		{name: "frequent samples", total: 10 << 30, steps: steady(0, 10, 1.0/60, 30*MiB), rate: "30.0 MiB", left: "about 5m30s left"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := NewProgress("Exporting", "", c.total, t0)
			for _, s := range c.steps {
				d.SetProgress(s.done, at(s.sec))
			}
			rate, rok := d.prog.rate()
			if got := fmt.Sprintf("%.1f MiB", rate/MiB); rok != (c.rate != "") || rok && got != c.rate && !(c.rate == "0.0 B" && rate == 0) {
				t.Errorf("rate = %s (known %v), want %q", got, rok, c.rate)
			}
			l, lok := d.prog.left()
			if lok != (c.left != "") || lok && formatLeft(l) != c.left {
				t.Errorf("left = %v (known %v), want %q", l, lok, c.left)
			}
			v := ansi.Strip(d.View(80, 24, NoColorStyles()))
			for _, s := range c.view {
				if !strings.Contains(v, s) {
					t.Errorf("view lacks %q:\n%s", s, v)
				}
			}
			// Only the anchor may be older than the window.
			if p := d.prog; p.n >= 2 && !p.samples[1].t.After(p.samples[p.n-1].t.Add(-rateWindow)) {
				t.Errorf("samples older than the window are kept: %v", p.samples[:p.n])
			}
		})
	}
}

func TestFormatDurations(t *testing.T) {
	for d, want := range map[time.Duration]string{
		300 * time.Millisecond: "about 1s left", 45 * time.Second: "about 45s left",
		59600 * time.Millisecond: "about 1m left", 130 * time.Second: "about 2m10s left",
		134 * time.Second: "about 2m10s left", 3599 * time.Second: "about 1h00m left",
		3900 * time.Second: "about 1h05m left", 30 * time.Hour: "about 30h00m left",
	} {
		if got := formatLeft(d); got != want {
			t.Errorf("formatLeft(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		0: "0s", 7900 * time.Millisecond: "7s", 125 * time.Second: "2m05s", 3723 * time.Second: "1h02m03s",
	} {
		if got := formatElapsed(d); got != want {
			t.Errorf("formatElapsed(%v) = %q, want %q", d, got, want)
		}
	}
}

// samples is one dialog of every kind, in a state that shows most of what it draws.
func samples() map[string]Dialog {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	p := NewProgress("Exporting Ubuntu-22.04", "to C:\\Users\\me\\backup\\Ubuntu-22.04.tar.gz, the total from the disk's used size",
		3<<30, t0)
	p.SetProgress(1<<30, t0.Add(20*time.Second))
	p.SetProgress(1<<30+250*MiB, t0.Add(25*time.Second))
	var many []Choice
	for i := range 40 {
		many = append(many, Choice{Label: fmt.Sprintf("choice%02d", i), Desc: "one of many"})
	}
	long, _, _ := run(NewChoose("Pick one", "A long list.", "pick", many), strings.Repeat("down ", 30))
	return map[string]Dialog{
		"confirm": NewConfirm("Terminate Ubuntu-22.04?",
			"This stops every process in Ubuntu-22.04; unsaved work in its shells is lost. Docker Desktop is not affected.", true),
		"choose": NewChoose("Reclaim memory?", "The VM holds 3.2 GiB of page cache.", "reclaim", []Choice{
			{Label: "dropcache", Desc: "drop the clean page cache now (drop_caches)"},
			{Label: "gradual", Desc: "cgroup memory.reclaim", Disabled: "needs WSL 2.0.0 or later"},
			{Label: "compact", Desc: "compact free memory so it returns in whole blocks"}}),
		"long":  long,
		"typed": NewTypedName("Unregister Ubuntu-22.04? Its disk moves to the trash", "Restore it from the trash within 30 days.", "Ubuntu-22.04"),
		"form": NewForm("Export Ubuntu-22.04", "Write the distro to a file.", "export", []Field{
			{Label: "File", Value: "/mnt/c/Users/me/backup/a-rather-long-directory-name/Ubuntu-22.04.tar.gz"},
			{Label: "Format", Choices: []string{"tar", "tar.gz", "tar.xz", "vhd"}, Value: "tar.gz"}}),
		"progress": p,
	}
}

// View fits the screen at every size, down to nothing, and shows what it must where there is
// room.
func TestViewFits(t *testing.T) {
	for name, d := range samples() {
		for _, sz := range [][2]int{{0, 0}, {1, 1}, {5, 3}, {12, 8}, {29, 10}, {30, 12}, {40, 15}, {60, 15}, {80, 24}, {200, 60}, {300, 5}} {
			w, h := sz[0], sz[1]
			v := d.View(w, h, NoColorStyles())
			lines := strings.Split(v, "\n")
			if v == "" {
				lines = nil
			}
			if len(lines) > h {
				t.Errorf("%s %dx%d: %d lines", name, w, h, len(lines))
			}
			for i, l := range lines {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("%s %dx%d: line %d is %d wide: %q", name, w, h, i, lw, l)
				}
			}
			if w >= 34 && h >= 24 {
				if bw := ansi.StringWidth(lines[0]); bw < MinWidth || bw > w-4 {
					t.Errorf("%s %dx%d: box %d wide", name, w, h, bw)
				}
			}
		}
	}
}

func TestViewShows(t *testing.T) {
	s := samples()
	for _, c := range []struct {
		name string
		w, h int
		want []string
	}{
		{"confirm", 80, 24, []string{"Terminate Ubuntu-22.04?", "unsaved work in its shells is lost", "Yes", "[No]", "n/esc no"}},
		{"confirm", 30, 24, []string{"Terminate", "Yes", "[No]", "y yes"}},
		{"choose", 80, 24, []string{"▸ dropcache", "drop the clean page cache now", "gradual", "✗ needs WSL 2.0.0 or later", "↑/↓ choose", "enter reclaim"}},
		{"choose", 40, 24, []string{"▸ dropcache", "✗ needs", "esc cancel"}},
		{"long", 80, 15, []string{"▸ choice30", "enter pick"}}, // the list scrolls to the cursor; the keys stay
		{"typed", 80, 24, []string{"Unregister Ubuntu-22.04? Its disk moves to the trash", "Type “Ubuntu-22.04” to confirm:", "> "}},
		{"typed", 34, 24, []string{"Unregister", "Ubuntu-22.04", "esc cancel"}},
		{"form", 80, 24, []string{"▸ File", "Ubuntu-22.04.tar.gz", "Format", "‹ tar.gz ›", "enter export"}},
		{"form", 40, 24, []string{"▸ File", ".tar.gz", "‹ tar.gz ›", "esc cancel"}}, // the input shows the end, where the cursor is
		{"progress", 80, 24, []string{"Exporting Ubuntu-22.04", "█", "░", "41%", "1.2 GiB of 3.0 GiB", "50 MiB/s", "about 36s left", "elapsed 25s", "esc cancel"}},
		{"progress", 30, 24, []string{"41%", "1.2 GiB of 3.0 GiB", "50 MiB/s", "about 36s left", "esc cancel"}},
	} {
		v := ansi.Strip(s[c.name].View(c.w, c.h, NoColorStyles()))
		for _, want := range c.want {
			if !strings.Contains(v, want) {
				t.Errorf("%s at %dx%d lacks %q:\n%s", c.name, c.w, c.h, want, v)
			}
		}
	}
	// The body wraps inside the box rather than being cut: every word of it is there.
	for _, w := range []int{30, 40, 80} {
		v := ansi.Strip(s["confirm"].View(w, 24, NoColorStyles()))
		for _, word := range strings.Fields(s["confirm"].body) {
			if !strings.Contains(v, word) {
				t.Errorf("at %d wide the body lacks %q:\n%s", w, word, v)
			}
		}
	}
}

// colourSGR matches an SGR sequence that sets a colour (as tui's NO_COLOR tests do).
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9]*;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]*)*m`)

func colourStyles() Styles {
	c := func(s string) lipgloss.Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(s)) }
	return Styles{Box: lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(lipgloss.Color("#5fafff")).Padding(1, 2),
		Title: c("#5fafff").Bold(true), Body: c("#d0d0d0"), Muted: c("#808080"), Key: c("#ffaf00"), Selected: c("#000000").Background(lipgloss.Color("#5fafff")),
		Button: c("#d0d0d0").Background(lipgloss.Color("#303030")).Padding(0, 2), ButtonActive: c("#000000").Background(lipgloss.Color("#5fafff")).Padding(0, 2),
		Error: c("#ff5f5f"), BarFull: c("#5fafff"), BarEmpty: c("#303030")}
}

// Without colour no dialog writes a colour; those without a text input write no escape code at
// all (the text input's cursor is reverse video, which NO_COLOR allows).
func TestNoColor(t *testing.T) {
	for name, d := range samples() {
		for _, w := range []int{30, 80} {
			v := d.View(w, 24, NoColorStyles())
			if loc := colourSGR.FindStringIndex(v); loc != nil {
				t.Errorf("%s: colour in NO_COLOR output: %q", name, v[max(loc[0]-20, 0):loc[1]])
			}
			if k := d.Kind(); k != TypedName && k != Form && strings.Contains(v, "\x1b") {
				t.Errorf("%s: escape code in NO_COLOR output: %q", name, v)
			}
			if strings.Contains(strings.ReplaceAll(v, "\x1b[7m", ""), "\x1b[") &&
				strings.Count(v, "\x1b[") != 2*strings.Count(v, "\x1b[7m") {
				t.Errorf("%s: escape codes other than the cursor's: %q", name, v)
			}
			// The same dialog with colours does colour, so the check above can fail.
			if !colourSGR.MatchString(d.View(w, 24, colourStyles())) {
				t.Errorf("%s: no colour with colour styles", name)
			}
		}
	}
}

func TestOverlay(t *testing.T) {
	base := strings.Repeat(strings.Repeat("a", 20)+"\n", 9) + strings.Repeat("a", 20)
	got := strings.Split(Overlay(base, "XX\nYY", 20, 10), "\n")
	if len(got) != 10 || got[4] != strings.Repeat("a", 9)+"XX"+strings.Repeat("a", 9) || got[5] != strings.Repeat("a", 9)+"YY"+strings.Repeat("a", 9) || got[3] != strings.Repeat("a", 20) {
		t.Fatalf("plain overlay:\n%s", strings.Join(got, "\n"))
	}
	// Coloured base: the cells either side keep their text, the widths stay.
	red := lipgloss.NewStyle().Foreground(lipgloss.Color("#ff0000")).Render
	cbase := strings.Repeat(red(strings.Repeat("b", 10))+strings.Repeat("c", 10)+"\n", 3) + red(strings.Repeat("b", 10)) + strings.Repeat("c", 10)
	box := lipgloss.NewStyle().Foreground(lipgloss.Color("#00ff00")).Render("ZZZZ")
	out := strings.Split(Overlay(cbase, box, 20, 4), "\n")
	if s := ansi.Strip(out[1]); s != "bbbbbbbbZZZZcccccccc" || ansi.StringWidth(out[1]) != 20 {
		t.Fatalf("ansi overlay: %q", out[1])
	}
	if !strings.HasSuffix(strings.Split(out[1], "ZZZZ")[0], "\x1b[m"+"\x1b[38;2;0;255;0m") && !strings.Contains(out[1], "\x1b[m") {
		t.Errorf("no reset between the base's colour and the box: %q", out[1])
	}
	// Short base lines are padded, a box wider or taller than the screen is cut, nothing at
	// all is a no-op.
	out = strings.Split(Overlay("ab\n", "0123456789\n0123456789\n0123456789", 6, 2), "\n")
	if len(out) != 2 || out[0] != "012345" || out[1] != "012345" {
		t.Errorf("cut overlay: %q", out)
	}
	if Overlay(base, "", 20, 10) != base || Overlay(base, "x", 0, 0) != base {
		t.Error("empty overlay changed the base")
	}
	if strings.Contains(Overlay(base, "XX", 20, 10), "\x1b") {
		t.Error("a plain overlay wrote escape codes")
	}
	// The dialog over a screen stays within it.
	scr := strings.TrimSuffix(strings.Repeat(strings.Repeat(".", 80)+"\n", 24), "\n")
	for name, d := range samples() {
		o := Overlay(scr, d.View(80, 24, NoColorStyles()), 80, 24)
		ls := strings.Split(o, "\n")
		if len(ls) != 24 {
			t.Errorf("%s: %d lines", name, len(ls))
		}
		for i, l := range ls {
			if ansi.StringWidth(l) != 80 {
				t.Errorf("%s: line %d is %d wide", name, i, ansi.StringWidth(l))
			}
		}
	}
}

// The hints name the root's bindings once it passes them.
func TestHintsFollowKeys(t *testing.T) {
	k := DefaultKeys()
	k.Cancel.SetKeys("q", "ctrl+g")
	k.Confirm.SetKeys("o", "ctrl+s")
	d := NewForm("F", "", "save", []Field{{Label: "a"}}).WithKeys(k)
	v := ansi.Strip(d.View(80, 24, NoColorStyles()))
	if !strings.Contains(v, "ctrl+s save") || !strings.Contains(v, "ctrl+g cancel") {
		t.Errorf("hints:\n%s", v)
	}
	if _, res, _ := d.Update(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}, k); !res.Done || !res.OK {
		t.Errorf("rebound confirm: %+v", res)
	}
}

// A Confirm or Cancel bound only to letters still has a key in a dialog where letters are text.
func TestTextSafeKeys(t *testing.T) {
	k := DefaultKeys()
	k.Confirm.SetKeys("y")
	k.Cancel.SetKeys("n")
	d := NewTypedName("Unregister yn?", "", "yn")
	for _, msg := range keys("type:yn") {
		d, _, _ = d.Update(msg, k)
	}
	if v := ansi.Strip(d.View(80, 24, NoColorStyles())); !strings.Contains(v, "enter confirm") {
		t.Errorf("hint:\n%s", v)
	}
	if _, res, _ := d.Update(press("enter"), k); !res.Done || !res.OK {
		t.Errorf("enter: %+v", res)
	}
	if _, res, _ := d.Update(press("esc"), k); !res.Done || res.OK {
		t.Errorf("esc: %+v", res)
	}
	if k.Confirm.Keys()[0] != "y" || len(k.Confirm.Keys()) != 1 {
		t.Errorf("the caller's binding changed: %q", k.Confirm.Keys())
	}
}

// Any keys on any dialog at any size: no panic, the result is consistent, the box fits.
func FuzzDialog(f *testing.F) {
	f.Add(uint8(0), []byte("\r"), uint8(80), uint8(24))
	f.Add(uint8(3), []byte("\tab\x1b\r"), uint8(30), uint8(10))
	f.Add(uint8(5), []byte{1, 2, 3, 0x1b, 0x1b}, uint8(5), uint8(2))
	named := []string{"enter", "esc", "tab", "shift+tab", "up", "down", "left", "right", "backspace", "space", "ctrl+u"}
	f.Fuzz(func(t *testing.T, kind uint8, in []byte, w, h uint8) {
		t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		var d Dialog
		switch kind % 7 {
		case 0:
			d = samples()["confirm"]
		case 1:
			d = samples()["choose"]
		case 2:
			d = samples()["typed"]
		case 3:
			d = samples()["form"]
		case 4:
			d = samples()["progress"]
		case 5:
			d = NewChoose("", "", "", nil)
		case 6:
			d = NewForm("", "", "", nil)
		}
		k := DefaultKeys()
		for i, b := range in {
			var msg tea.KeyPressMsg
			if b < 32 {
				msg = press(named[int(b)%len(named)])
			} else {
				msg = press(string(rune(b)))
			}
			if i%7 == 3 {
				d.SetProgress(int64(b)<<20, t0.Add(time.Duration(i)*time.Second))
			}
			if i == 40 {
				d.Finish("done", nil)
			}
			before := d.Kind()
			var res Result
			d, res, _ = d.Update(msg, k)
			if res.Done && d.Active() || !res.Done && d.Kind() != before {
				t.Fatalf("inconsistent: %+v, kind %v", res, d.Kind())
			}
			if res.Done && res.OK && before == Choose && d.Kind() == None && res.Choice < 0 {
				t.Fatalf("choice %d", res.Choice)
			}
		}
		v := d.View(int(w), int(h), NoColorStyles())
		if v == "" {
			return
		}
		ls := strings.Split(v, "\n")
		if len(ls) > int(h) {
			t.Fatalf("%d lines for %d", len(ls), h)
		}
		for _, l := range ls {
			if ansi.StringWidth(l) > int(w) {
				t.Fatalf("line %q wider than %d", l, w)
			}
		}
	})
}

func BenchmarkView(b *testing.B) {
	for _, name := range []string{"progress", "form", "choose"} {
		d := samples()[name]
		st := colourStyles()
		row := lipgloss.NewStyle().Foreground(lipgloss.Color("#d0d0d0")).Render(strings.Repeat("distro  Running  2  ", 6))
		base := strings.TrimSuffix(strings.Repeat(row+"\n", 40), "\n")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Overlay(base, d.View(120, 40, st), 120, 40)
			}
		})
	}
}

// A choice's description that does not fit the dialog wraps under itself instead of ending in
// "…" (the manage menu at 80 columns hid what "sparse" does), and the cursor's choice stays in
// view.
func TestChoiceDescriptionsWrap(t *testing.T) {
	d := NewChoose("Manage Ubuntu", "", "choose", []Choice{
		{Label: "sparse", Desc: "make its disk sparse (freed space goes back to Windows by itself)"},
		{Label: "compact", Desc: "give the disk's free space back to Windows (fstrim, then Optimize-VHD)"},
	})
	v := ansi.Strip(d.View(60, 24, NoColorStyles()))
	if strings.Contains(v, "…") {
		t.Fatalf("a description was cut:\n%s", v)
	}
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "╭", " ", "╰", " ", "─", " ", "╮", " ", "╯", " ").Replace(v)), " ")
	for _, want := range []string{"goes back to Windows by itself", "then Optimize-VHD)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("%q is not shown:\n%s", want, v)
		}
	}
}
