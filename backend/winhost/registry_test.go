package winhost

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// fakeReg is a map-backed regReader. Values are string or uint32; any other type reads as
// errValueMissing of the wrong type, like the real registry's ErrUnexpectedType mapping.
type fakeReg struct {
	keys    []string                  // subkey order as enumerated
	values  map[string]map[string]any // subkey ("" = Lxss) -> name -> value
	listErr error
	readErr map[string]error // "subkey/name" -> error
}

func (f *fakeReg) SubKeys() ([]string, error) { return f.keys, f.listErr }

func (f *fakeReg) get(sub, name string) (any, error) {
	if err := f.readErr[sub+"/"+name]; err != nil {
		return nil, err
	}
	v, ok := f.values[sub][name]
	if !ok {
		return nil, errValueMissing
	}
	return v, nil
}

func (f *fakeReg) String(sub, name string) (string, error) {
	v, err := f.get(sub, name)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", errValueMissing
	}
	return s, nil
}

func (f *fakeReg) DWord(sub, name string) (uint32, error) {
	v, err := f.get(sub, name)
	if err != nil {
		return 0, err
	}
	d, ok := v.(uint32)
	if !ok {
		return 0, errValueMissing
	}
	return d, nil
}

// Values as documented in wsl-facts §3 (Docs example PFN path, the `\\?\` prefix, modern
// %LOCALAPPDATA%\wsl\{guid} installs, WSL's AppxInstallerCache subkey without a name).
const (
	guidUbuntu = "{0a1b2c3d-1111-2222-3333-444455556666}"
	guidDebian = "{9F8E7D6C-AAAA-BBBB-CCCC-DDDDEEEEFFFF}"
	guidLegacy = "{12345678-0000-0000-0000-000000000001}"
)

func sampleRegistry() *fakeReg {
	return &fakeReg{
		keys: []string{guidUbuntu, "AppxInstallerCache", guidDebian, guidLegacy},
		values: map[string]map[string]any{
			"": {"DefaultDistribution": "{0A1B2C3D-1111-2222-3333-444455556666}", "DefaultVersion": uint32(2)},
			guidUbuntu: {
				"DistributionName":  "Ubuntu",
				"BasePath":          `\\?\C:\Users\User\AppData\Local\Packages\CanonicalGroupLimited.UbuntuonWindows_79rhkp1fndgsc\LocalState`,
				"Flags":             uint32(0xF),
				"DefaultUid":        uint32(0x3e8),
				"State":             uint32(1),
				"Version":           uint32(2),
				"PackageFamilyName": "CanonicalGroupLimited.UbuntuonWindows_79rhkp1fndgsc",
			},
			"AppxInstallerCache": {"SomeValue": "x"},
			guidDebian: {
				"DistributionName": "debian",
				"BasePath":         `C:\Users\User\AppData\Local\wsl\` + guidDebian,
				"VhdFileName":      "disk.vhdx",
				"Flags":            uint32(0xF),
				"State":            uint32(3),
			},
			guidLegacy: {
				"DistributionName": "Legacy",
				"BasePath":         `D:\wsl1\legacy`,
				"Flags":            uint32(0x7),
			},
		},
	}
}

func TestReadRegistrations(t *testing.T) {
	got, err := readRegistrations(sampleRegistry())
	if err != nil {
		t.Fatal(err)
	}
	want := []Registration{
		{GUID: guidDebian, Name: "debian", BasePath: `C:\Users\User\AppData\Local\wsl\` + guidDebian, VhdFileName: "disk.vhdx", Flags: 0xF, State: 3},
		{GUID: guidLegacy, Name: "Legacy", BasePath: `D:\wsl1\legacy`, VhdFileName: "ext4.vhdx", Flags: 0x7},
		{GUID: guidUbuntu, Name: "Ubuntu", BasePath: `C:\Users\User\AppData\Local\Packages\CanonicalGroupLimited.UbuntuonWindows_79rhkp1fndgsc\LocalState`,
			VhdFileName: "ext4.vhdx", Flags: 0xF, DefaultUID: 1000, State: 1, Default: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%+v\nwant\n%+v", got, want)
	}
	if p := got[2].DiskPath(); p != `C:\Users\User\AppData\Local\Packages\CanonicalGroupLimited.UbuntuonWindows_79rhkp1fndgsc\LocalState\ext4.vhdx` {
		t.Errorf("Ubuntu DiskPath = %q", p)
	}
	if p := got[0].DiskPath(); p != `C:\Users\User\AppData\Local\wsl\`+guidDebian+`\disk.vhdx` {
		t.Errorf("debian DiskPath = %q", p)
	}
	if p := got[1].DiskPath(); p != "" {
		t.Errorf("WSL 1 DiskPath = %q, want empty", p)
	}
	if got[0].InstallState() != backend.StateInstalling || got[2].InstallState() != "" {
		t.Errorf("InstallState: %q, %q", got[0].InstallState(), got[2].InstallState())
	}
}

func TestReadRegistrationsDefaults(t *testing.T) {
	r := &fakeReg{
		keys: []string{"{aaaaaaaa-0000-0000-0000-000000000000}"},
		values: map[string]map[string]any{
			"{aaaaaaaa-0000-0000-0000-000000000000}": {
				"DistributionName": "  Alpine  ",
				"Flags":            "not a dword", // wrong type -> default
				"VhdFileName":      "",            // empty -> default
			},
		},
		readErr: map[string]error{"{aaaaaaaa-0000-0000-0000-000000000000}/DefaultUid": errors.New("boom")},
	}
	got, err := readRegistrations(r)
	if err != nil {
		t.Fatal(err)
	}
	want := []Registration{{GUID: "{aaaaaaaa-0000-0000-0000-000000000000}", Name: "Alpine", VhdFileName: "ext4.vhdx", Flags: 0x7}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got[0].Version() != 1 || got[0].DiskPath() != "" {
		t.Errorf("default flags give version %d, disk %q", got[0].Version(), got[0].DiskPath())
	}
}

func TestReadRegistrationsSkipsAndErrors(t *testing.T) {
	r := &fakeReg{
		keys: []string{"{b}", "{c}", "{d}"},
		values: map[string]map[string]any{
			"{b}": {"BasePath": `C:\b`}, // no DistributionName
			"{c}": {"DistributionName": "   "},
			"{d}": {"DistributionName": "ok"},
		},
	}
	got, err := readRegistrations(r)
	if err != nil || len(got) != 1 || got[0].Name != "ok" || got[0].Default {
		t.Fatalf("got %+v, %v", got, err)
	}

	listErr := errors.New("access is denied")
	_, err = readRegistrations(&fakeReg{listErr: listErr})
	if !errors.Is(err, listErr) || !strings.Contains(err.Error(), LxssKeyPath) {
		t.Fatalf("list error = %v", err)
	}

	got, err = readRegistrations(&fakeReg{})
	if err != nil || len(got) != 0 {
		t.Fatalf("empty registry: %+v, %v", got, err)
	}
}

// WSL's recovery entries (Deleted-<GUID>, wsl-facts §10.5) keep the name and base path of the
// distro they were; a re-imported distro of the same name must not be confused with them, and
// they are never listed.
func TestReadRegistrationsSkipsDeletedKeys(t *testing.T) {
	const live, old = "{22222222-0000-0000-0000-000000000002}", "{11111111-0000-0000-0000-000000000001}"
	r := &fakeReg{
		keys: []string{"Deleted-" + old, live, "deleted-{33333333-0000-0000-0000-000000000003}"},
		values: map[string]map[string]any{
			"":               {"DefaultDistribution": old},
			"Deleted-" + old: {"DistributionName": "Ubuntu", "BasePath": `C:\old`, "Flags": uint32(0xF)},
			live:             {"DistributionName": "Ubuntu", "BasePath": `C:\new`, "Flags": uint32(0xF)},
			"deleted-{33333333-0000-0000-0000-000000000003}": {"DistributionName": "Gone"},
		},
	}
	got, err := readRegistrations(r)
	if err != nil {
		t.Fatal(err)
	}
	want := []Registration{{GUID: live, Name: "Ubuntu", BasePath: `C:\new`, VhdFileName: DefaultVhdFileName, Flags: 0xF}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

func TestDefaultGUIDMatching(t *testing.T) {
	cases := []struct {
		key, def string
		want     bool
	}{
		{"{0a1b2c3d-1111-2222-3333-444455556666}", "{0a1b2c3d-1111-2222-3333-444455556666}", true},
		{"{0a1b2c3d-1111-2222-3333-444455556666}", "{0A1B2C3D-1111-2222-3333-444455556666}", true},
		{"{0A1B2C3D-1111-2222-3333-444455556666}", "0a1b2c3d-1111-2222-3333-444455556666", true},
		{"{0a1b2c3d-1111-2222-3333-444455556666}", " {0a1b2c3d-1111-2222-3333-444455556666} ", true},
		{"{0a1b2c3d-1111-2222-3333-444455556666}", "{0a1b2c3d-1111-2222-3333-444455556667}", false},
		{"{}", "{}", false},
		{"", "", false},
	}
	for _, c := range cases {
		if got := sameGUID(c.key, c.def); got != c.want {
			t.Errorf("sameGUID(%q, %q) = %v, want %v", c.key, c.def, got, c.want)
		}
	}
}

func TestStripLongPathPrefix(t *testing.T) {
	cases := map[string]string{
		`\\?\C:\Users\u\wsl`:       `C:\Users\u\wsl`,
		`\\?\UNC\srv\share\distro`: `\\srv\share\distro`,
		`\\?\unc\srv\share`:        `\\srv\share`,
		`\??\C:\x`:                 `C:\x`,
		`C:\plain`:                 `C:\plain`,
		`\\srv\share`:              `\\srv\share`,
		`\\?\`:                     ``,
		`\\?`:                      `\\?`,
		``:                         ``,
		`\\.\C:\device-path-stays`: `\\.\C:\device-path-stays`,
	}
	for in, want := range cases {
		if got := stripLongPathPrefix(in); got != want {
			t.Errorf("stripLongPathPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWinJoinAndDiskPath(t *testing.T) {
	cases := []struct{ dir, name, want string }{
		{`C:\d`, "ext4.vhdx", `C:\d\ext4.vhdx`},
		{`C:\d\`, "ext4.vhdx", `C:\d\ext4.vhdx`},
		{`C:/d/`, "ext4.vhdx", `C:/d/ext4.vhdx`},
		{`C:\d`, `\ext4.vhdx`, `\ext4.vhdx`},
		{`C:\d`, `E:\other\disk.vhdx`, `E:\other\disk.vhdx`},
		{`C:\d`, `\\srv\s\disk.vhdx`, `\\srv\s\disk.vhdx`},
		{``, "ext4.vhdx", "ext4.vhdx"},
		{`\\srv\share`, "ext4.vhdx", `\\srv\share\ext4.vhdx`},
	}
	for _, c := range cases {
		if got := winJoin(c.dir, c.name); got != c.want {
			t.Errorf("winJoin(%q, %q) = %q, want %q", c.dir, c.name, got, c.want)
		}
	}
	r := Registration{BasePath: `C:\d`, Flags: 0xF}
	if r.DiskPath() != `C:\d\ext4.vhdx` || r.Version() != 2 {
		t.Errorf("empty VhdFileName: %q v%d", r.DiskPath(), r.Version())
	}
	r.BasePath = ""
	if r.DiskPath() != "" {
		t.Errorf("no BasePath gives %q", r.DiskPath())
	}
}

func TestInstallState(t *testing.T) {
	want := map[uint32]backend.State{0: "", 1: "", 2: "", 3: backend.StateInstalling, 4: backend.StateUninstalling,
		5: backend.StateConverting, 6: backend.StateExporting, 7: ""}
	for s, w := range want {
		if got := (Registration{State: s}).InstallState(); got != w {
			t.Errorf("State %d: %q, want %q", s, got, w)
		}
	}
}

// FuzzReadRegistrations feeds arbitrary values through the decoder: it must not panic, must
// strip the long-path prefix, and Version/DiskPath must agree.
func FuzzReadRegistrations(f *testing.F) {
	reg := sampleRegistry()
	for _, k := range reg.keys {
		v := reg.values[k]
		name, _ := v["DistributionName"].(string)
		base, _ := v["BasePath"].(string)
		vhd, _ := v["VhdFileName"].(string)
		flags, _ := v["Flags"].(uint32)
		f.Add(k, name, base, vhd, flags, "{0A1B2C3D-1111-2222-3333-444455556666}")
	}
	f.Add("{x}", "n", `\\?\UNC\a\b`, `C:\abs.vhdx`, uint32(0xFFFFFFFF), "")
	f.Fuzz(func(t *testing.T, key, name, base, vhd string, flags uint32, def string) {
		r := &fakeReg{
			keys: []string{key},
			values: map[string]map[string]any{
				"":  {"DefaultDistribution": def},
				key: {"DistributionName": name, "BasePath": base, "VhdFileName": vhd, "Flags": flags},
			},
		}
		if key == "" {
			r.values[""]["DistributionName"] = name
		}
		regs, err := readRegistrations(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(regs) > 1 {
			t.Fatalf("%d registrations from one key", len(regs))
		}
		for _, g := range regs {
			if g.Name == "" || g.Name != strings.TrimSpace(g.Name) {
				t.Fatalf("bad name %q", g.Name)
			}
			if want := oneLongPathPrefixRemoved(base); !want(g.BasePath) {
				t.Fatalf("BasePath %q from %q: not exactly one long-path prefix removed", g.BasePath, base)
			}
			if g.VhdFileName == "" {
				t.Fatal("empty VhdFileName")
			}
			v := g.Version()
			if v != 1 && v != 2 {
				t.Fatalf("version %d", v)
			}
			if (v == 1 || g.BasePath == "") != (g.DiskPath() == "") {
				t.Fatalf("v%d base %q disk %q", v, g.BasePath, g.DiskPath())
			}
			if g.Default != sameGUID(key, def) {
				t.Fatalf("Default %v for %q vs %q", g.Default, key, def)
			}
		}
	})
}

// oneLongPathPrefixRemoved states the stripping rule without re-implementing it: a path with no
// `\\?\` or `\??\` prefix is kept as is; otherwise exactly that one prefix is removed (and a
// following `UNC\`, in any case, becomes `\\`). Nothing else in the path may change, so
// `\\?\\\?\x` keeps its second prefix and `\\?\UNC\?\x` is a server named "?".
func oneLongPathPrefixRemoved(base string) func(got string) bool {
	if strings.TrimSpace(base) == "" { // a blank value is "unknown"
		return func(got string) bool { return got == "" }
	}
	if !strings.HasPrefix(base, `\\?\`) && !strings.HasPrefix(base, `\??\`) {
		return func(got string) bool { return got == base }
	}
	rest := base[4:]
	return func(got string) bool {
		if len(rest) >= 4 && strings.EqualFold(rest[:4], `UNC\`) {
			return got == `\\`+rest[4:]
		}
		return got == rest
	}
}
