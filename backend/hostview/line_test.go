package hostview

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/winhost"
)

const gib = 1 << 30

func fakeLines(version string) []Line {
	disk := int64(38654705664)
	regs := []Registration{
		{Name: "Ubuntu", GUID: "{a}", Default: true, Version: 2, Flags: 15, State: 1, BasePath: `C:\wsl\Ubuntu`, VhdFileName: "ext4.vhdx", DiskPath: `C:\wsl\Ubuntu\ext4.vhdx`, DiskBytes: &disk},
		{Name: "legacy", GUID: "{b}", Version: 1, Flags: 7, State: 1, BasePath: `C:\wsl\legacy`},
	}
	return []Line{
		{Type: TypeHello, Program: "wsldash", Version: version, PID: os.Getpid(), IntervalMS: 1000},
		{Type: TypeRegistrations, Registrations: &regs},
		{Type: TypeHost, Host: &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 5 * gib, TotalBytes: 32 * gib, AvailableBytes: 20 * gib, VMCPUPercent: backend.Percent(1.5)}},
	}
}

// fakeSource is a Source with fixed answers that the test changes.
type fakeSource struct {
	hv       *backend.HostView
	err      error
	regs     []winhost.Registration
	regErr   error
	disk     map[string]int64
	samples  int
	regReads int
}

func (f *fakeSource) Sample(ctx context.Context) (*backend.HostView, error) {
	f.samples++
	if f.err != nil {
		return nil, f.err
	}
	hv := *f.hv
	return &hv, nil
}
func (f *fakeSource) Registrations() ([]winhost.Registration, error) {
	f.regReads++
	return f.regs, f.regErr
}
func (f *fakeSource) DiskUsage(p string) (int64, error) {
	if n, ok := f.disk[p]; ok {
		return n, nil
	}
	return 0, errors.New("no such file")
}

func newFakeSource() *fakeSource {
	return &fakeSource{
		hv: &backend.HostView{VMProcess: "vmmemWSL", VMProcessBytes: 5 * gib, TotalBytes: 32 * gib, AvailableBytes: 20 * gib, VMCPUPercent: backend.Percent(0.4), Note: "HCS statistics need an elevated prompt; showing vmmemWSL only"},
		regs: []winhost.Registration{
			{GUID: "{1}", Name: "Ubuntu-24.04", BasePath: `C:\Users\dev\AppData\Local\wsl\{1}`, VhdFileName: "ext4.vhdx", Flags: 15, State: 1, Default: true},
			{GUID: "{2}", Name: "docker-desktop", BasePath: `C:\Users\dev\AppData\Local\Docker\wsl\main`, VhdFileName: "ext4.vhdx", Flags: 15, State: 1},
			{GUID: "{3}", Name: "Legacy", BasePath: `C:\wsl1`, Flags: 7, State: 1},
		},
		disk: map[string]int64{`C:\Users\dev\AppData\Local\wsl\{1}\ext4.vhdx`: 38654705664, `C:\Users\dev\AppData\Local\Docker\wsl\main\ext4.vhdx`: 1 << 30},
	}
}

func decodeAll(t *testing.T, b []byte) []Line {
	t.Helper()
	var out []Line
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l, err := Decode(sc.Bytes())
		if err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		out = append(out, l)
	}
	return out
}

func types(ls []Line) string {
	var s []string
	for _, l := range ls {
		s = append(s, l.Type)
	}
	return strings.Join(s, ",")
}

func TestProducerStream(t *testing.T) {
	src := newFakeSource()
	var out bytes.Buffer
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	p := NewProducer(src, &out, ProduceOptions{Version: "1.2.3", PID: 42, Interval: time.Second, RegistrationsEvery: 2, Now: func() time.Time { return now }})
	if err := p.Hello(); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := p.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ls := decodeAll(t, out.Bytes())
	// Registrations are read at steps 0 and 2, printed only the first time (unchanged after).
	if got := types(ls); got != "hello,registrations,host,host,host,host" {
		t.Fatalf("lines %s", got)
	}
	if src.regReads != 2 || src.samples != 4 {
		t.Fatalf("%d registry reads, %d samples", src.regReads, src.samples)
	}
	h := ls[0]
	if h.Program != "wsldash" || h.Version != "1.2.3" || h.PID != 42 || h.IntervalMS != 1000 || h.V != FormatVersion || h.Time != "2026-12-01T12:00:00.000Z" {
		t.Fatalf("hello %+v", h)
	}
	regs := *ls[1].Registrations
	if len(regs) != 3 || regs[0].DiskPath != `C:\Users\dev\AppData\Local\wsl\{1}\ext4.vhdx` || *regs[0].DiskBytes != 38654705664 || regs[0].Version != 2 || !regs[0].Default {
		t.Fatalf("registrations %+v", regs)
	}
	if regs[2].DiskPath != "" || regs[2].DiskBytes != nil || regs[2].Version != 1 {
		t.Fatalf("a WSL 1 distro has no disk, and no invented size: %+v", regs[2])
	}
	if hv := ls[2].Host; hv == nil || !reflect.DeepEqual(*hv, *src.hv) {
		t.Fatalf("host %+v", ls[2].Host)
	}

	// A changed disk size is printed at the next registry read; a host error is a line too.
	out.Reset()
	src.disk[`C:\Users\dev\AppData\Local\wsl\{1}\ext4.vhdx`] = 40000000000
	src.err = &backend.Error{Kind: backend.KindFailed, Op: "host sample", Message: "the host sampler is closed"}
	p.Step(context.Background())
	p.Step(context.Background())
	ls = decodeAll(t, out.Bytes())
	if got := types(ls); got != "registrations,host,host" || *(*ls[0].Registrations)[0].DiskBytes != 40000000000 {
		t.Fatalf("after a change: %s %+v", got, ls)
	}
	if ls[1].Host != nil || ls[1].Error != "host sample: the host sampler is closed" {
		t.Fatalf("host error line %+v", ls[1])
	}
	// A registry failure is said once, then the list again when it comes back.
	out.Reset()
	src.regErr = errors.New("access denied")
	p.Step(context.Background())
	p.Step(context.Background())
	p.Step(context.Background())
	ls = decodeAll(t, out.Bytes())
	if got := types(ls); got != "registrations,host,host,host" || ls[0].Error != "access denied" || ls[0].Registrations != nil {
		t.Fatalf("registry failure: %s %+v", got, ls[0])
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestProducerStopsWhenTheReaderGoes(t *testing.T) {
	tick := make(chan time.Time)
	p := NewProducer(newFakeSource(), failWriter{}, ProduceOptions{Tick: tick})
	if err := p.Run(context.Background()); !errors.Is(err, io.ErrClosedPipe) {
		t.Fatalf("Run = %v", err)
	}
}

func TestServeEndsWithStdin(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- Serve(context.Background(), newFakeSource(), inR, outW, ServeOptions{Interval: time.Hour, Version: "v"})
	}()
	sc := bufio.NewScanner(outR)
	var got []string
	for len(got) < 3 && sc.Scan() {
		l, err := Decode(sc.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, l.Type)
	}
	if strings.Join(got, ",") != "hello,registrations,host" {
		t.Fatalf("first lines %v", got)
	}
	inW.Close() // the reader went away
	if err := <-done; err != nil {
		t.Fatalf("Serve after stdin closed = %v", err)
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "not a JSON line"},
		{`Microsoft Windows [Version 10.0.26100]`, "not a JSON line"},
		{`{"type":"host","host":{}}`, `no "v"`},
		{`{"v":1}`, `no "v" or "type"`},
		{`{"v":1,"type":"host"}`, "without host or error"},
		{`{"v":1,"type":"hello"}`, "without program"},
		{`{"v":1,"type":"registrations"}`, "without registrations"},
		{`{"v":1,"type":"host","host":{"vm_process_bytes":-1}}`, "bad host line"},
		{`{"v":1,"type":"host","host":{}} trailing`, "not a JSON line"},
		{`[1,2]`, "not a JSON line"},
		{`{"v":2,"type":"hello","program":"wsldash"}`, "speaks line format 2"},
		{`{"v":"1","type":"hello"}`, "not a JSON line"},
	} {
		_, err := Decode([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%s) = %v, want %q", tc.in, err, tc.want)
		}
	}
	var ve *VersionError
	if _, err := Decode([]byte(`{"v":0,"type":"x"}`)); !errors.As(err, &ve) || !errors.Is(err, ErrVersion) || ve.Got != 0 {
		t.Fatalf("v 0: %v", err)
	}
}

func TestDecodeAccepts(t *testing.T) {
	l, err := Decode([]byte(`{"v":1,"type":"future","x":[1]}` + "\r"))
	if err != nil || l.Type != "future" || l.Host != nil {
		t.Fatalf("an unknown type of this version is skipped, not garbage: %+v %v", l, err)
	}
	l, err = Decode([]byte(`{"v":1,"type":"registrations","registrations":[]}`))
	if err != nil || l.Registrations == nil || len(*l.Registrations) != 0 {
		t.Fatalf("no distros is an answer: %+v %v", l, err)
	}
	l, err = Decode([]byte(`{"v":1,"type":"host","host":{"vm_process":"vmmem","vm_process_bytes":1,"new_field":true}}`))
	if err != nil || l.Host.VMProcess != "vmmem" {
		t.Fatalf("added fields are ignored: %+v %v", l, err)
	}
}

func TestRegistrationRoundTrip(t *testing.T) {
	for _, r := range newFakeSource().regs {
		back := FromWinhost(r, nil).Winhost()
		if back != r || back.DiskPath() != r.DiskPath() {
			t.Fatalf("%+v -> %+v", r, back)
		}
	}
}

func TestLocateOrder(t *testing.T) {
	files := map[string]bool{}
	stat := func(p string) error {
		if files[p] {
			return nil
		}
		return os.ErrNotExist
	}
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	self := func() (string, error) { return "/opt/wsldash/bin/wsldash", nil }
	onPath := ""
	look := func(string) (string, error) {
		if onPath == "" {
			return "", errors.New("not found")
		}
		return onPath, nil
	}
	run := func() (Found, error) { return locate(getenv, self, look, stat) }

	if _, err := run(); !errors.Is(err, ErrNotFound) {
		t.Fatalf("nothing anywhere: %v", err)
	}
	onPath = "/mnt/c/Users/dev/bin/wsldash.exe"
	if f, _ := run(); f.Path != onPath || f.Via != "PATH" {
		t.Fatalf("PATH: %+v", f)
	}
	files["/opt/wsldash/share/wsldash/windows/wsldash.exe"] = true // the .deb's place (binary in bin/)
	if f, _ := run(); f.Path != "/opt/wsldash/share/wsldash/windows/wsldash.exe" || f.Via != "beside wsldash" {
		t.Fatalf("the .deb's windows/ beats PATH: %+v", f)
	}
	files["/opt/wsldash/bin/windows/wsldash.exe"] = true // the tar.gz's windows/
	if f, _ := run(); f.Path != "/opt/wsldash/bin/windows/wsldash.exe" {
		t.Fatalf("the tar.gz's windows/: %+v", f)
	}
	files["/opt/wsldash/bin/wsldash.exe"] = true
	if f, _ := run(); f.Path != "/opt/wsldash/bin/wsldash.exe" || f.Via != "beside wsldash" {
		t.Fatalf("beside beats PATH: %+v", f)
	}
	env[EnvHostExe] = "/tmp/wrapper"
	if _, err := run(); err == nil || !strings.Contains(err.Error(), "WSLDASH_HOST_EXE=/tmp/wrapper") {
		t.Fatalf("a wrong $%s is reported, not skipped: %v", EnvHostExe, err)
	}
	files["/tmp/wrapper"] = true
	if f, _ := run(); f.Path != "/tmp/wrapper" || f.Via != "$WSLDASH_HOST_EXE" {
		t.Fatalf("env first: %+v", f)
	}
}

func FuzzDecode(f *testing.F) {
	for _, l := range fakeLines("1") {
		b, _ := Encode(nil, l)
		f.Add(b[:len(b)-1])
	}
	f.Add([]byte(`{"v":1,"type":"host","error":"x"}`))
	f.Add([]byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Decode(b)
		if err != nil {
			return
		}
		// What decodes re-encodes and decodes to the same line.
		enc, err := Encode(nil, l)
		if err != nil {
			t.Fatal(err)
		}
		l2, err := Decode(enc[:len(enc)-1])
		if err != nil || l2.Type != l.Type {
			t.Fatalf("round trip of %q: %v", b, err)
		}
	})
}

// BenchmarkProducerStep is the helper's own per-sample cost outside the OS calls: one host line
// encoded and written, and every fifth step the registrations (3 distros) compared.
func BenchmarkProducerStep(b *testing.B) {
	src := newFakeSource()
	p := NewProducer(src, io.Discard, ProduceOptions{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p.Step(ctx)
	}
}

// BenchmarkClientLine is the Linux side's cost per line read: decode and apply.
func BenchmarkClientLine(b *testing.B) {
	enc, _ := Encode(nil, fakeLines("test")[2])
	line := enc[:len(enc)-1]
	c := NewClient(ClientOptions{Version: "test"})
	hello := true
	b.ReportAllocs()
	for b.Loop() {
		l, err := Decode(line)
		if err != nil {
			b.Fatal(err)
		}
		c.take(l, &hello)
	}
}
