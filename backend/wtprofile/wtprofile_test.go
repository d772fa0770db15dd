package wtprofile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The ids Windows Terminal users see in their settings.json for these distros.
func TestGeneratedGUID(t *testing.T) {
	for name, want := range map[string]string{
		"Ubuntu":       "{2c4de342-38b7-51cf-b940-2309a097f518}",
		"Ubuntu-20.04": "{07b52e3e-de2c-5db4-bd2d-ba144ed6c273}",
		"Debian":       "{58ad8b0c-3ef8-5f4d-bc6f-13e4c00f2530}",
	} {
		if got := GeneratedGUID(name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if FragmentGUID("{3F2A8C1E-5B7D-4E0A-9C61-2D8F4B7A1E90}") != "{304d7c90-08dc-55b3-8bcc-9051af2bb483}" {
		t.Errorf("fragment guid %s", FragmentGUID("{3F2A8C1E-5B7D-4E0A-9C61-2D8F4B7A1E90}"))
	}
}

func TestRenameInSettings(t *testing.T) {
	in := read(t, "settings.json")
	out, changes, err := RenameInSettings(in, "ubuntu", "Ubuntu-old")
	if err != nil {
		t.Fatal(err)
	}
	newG := GeneratedGUID("Ubuntu-old")
	want := strings.Replace(string(in), `"name": "Ubuntu",
                "source"`, `"name": "Ubuntu-old",
                "source"`, 1)
	want = strings.ReplaceAll(want, `"{2c4de342-38b7-51cf-b940-2309a097f518}"`, `"`+newG+`"`)
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	if len(changes) != 3 || !strings.Contains(changes[0], `"Ubuntu" → "Ubuntu-old"`) || !strings.Contains(changes[2], "defaultProfile") {
		t.Fatalf("changes %q", changes)
	}
	// The hand-made profile named Ubuntu (no source) and the others are untouched.
	if !strings.Contains(string(out), "\"commandline\": \"wsl.exe -d Ubuntu -- htop\",\n                \"guid\": \"{0b4c0c5e-1f7e-4d5e-9f6c-3a1e0c9b2d11}\",\n                \"name\": \"Ubuntu\"") {
		t.Fatal("the user's own profile changed")
	}
	// Nothing names it: the bytes come back as they were.
	out, changes, err = RenameInSettings(in, "kali-linux", "kali")
	if err != nil || len(changes) != 0 || string(out) != string(in) {
		t.Fatalf("no match: %q %v", changes, err)
	}
	// The new name's generated profile exists already: the name changes, the guid stays.
	out, changes, err = RenameInSettings(in, "Ubuntu", "Debian")
	if err != nil || !strings.Contains(changes[1], "kept") || strings.Count(string(out), GeneratedGUID("Debian")) != 1 {
		t.Fatalf("taken guid: %q %v", changes, err)
	}
}

func TestRenameInFragment(t *testing.T) {
	in := read(t, "fragment.json")
	out, changes, err := RenameInFragment(in, "Ubuntu-24.04", "dev")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(string(in), `"name": "Ubuntu-24.04"`, `"name": "dev"`, 1)
	want = strings.Replace(want, GeneratedGUID("Ubuntu-24.04"), GeneratedGUID("dev"), 1)
	if string(out) != want || len(changes) != 2 {
		t.Fatalf("got %q\n%s", changes, out)
	}
	// The profile's own guid and command line (by distribution id) do not change.
	if !strings.Contains(string(out), `"guid": "{304d7c90-08dc-55b3-8bcc-9051af2bb483}"`) {
		t.Fatal("profile guid changed")
	}
}

func TestSyntaxErrorsChangeNothing(t *testing.T) {
	for _, bad := range []string{"", "{", `{"profiles": [}`, `{"a": 1 /* open`, `[]`, `{"a": tru}`, `{"a": "x\q"}`} {
		if _, _, err := RenameInSettings([]byte(bad), "a", "b"); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, _, err := RenameInSettings([]byte(strings.Repeat("[", 10000)), "a", "b"); !errors.Is(err, ErrSyntax) {
		t.Errorf("deep: %v", err)
	}
	// A BOM and CRLF are kept.
	in := "\xef\xbb\xbf{\r\n\"profiles\": [{\"name\": \"A\", \"source\": \"Windows.Terminal.Wsl\"}]\r\n}\r\n"
	out, _, err := RenameInSettings([]byte(in), "A", "B")
	if err != nil || string(out) != strings.Replace(in, `"A"`, `"B"`, 1) {
		t.Fatalf("%q %v", out, err)
	}
}

func TestEditFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "settings.json")
	in := read(t, "settings.json")
	os.WriteFile(p, in, 0o600)
	bak, changes, err := EditFile(p, func(b []byte) ([]byte, []string, error) { return RenameInSettings(b, "Debian", "Debian-12") })
	if err != nil || len(changes) != 2 || bak != p+".bak" {
		t.Fatalf("%q %q %v", bak, changes, err)
	}
	if b, _ := os.ReadFile(bak); string(b) != string(in) {
		t.Fatal("backup is not the original")
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), `"name": "Debian-12"`) {
		t.Fatal("not written")
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Fatalf("left behind: %v", ents)
	}
	// Nothing to change: no backup, the file as it was.
	q := filepath.Join(t.TempDir(), "settings.json")
	os.WriteFile(q, in, 0o644)
	bak, changes, err = EditFile(q, func(b []byte) ([]byte, []string, error) { return RenameInSettings(b, "nope", "x") })
	if err != nil || bak != "" || len(changes) != 0 {
		t.Fatalf("%q %q %v", bak, changes, err)
	}
	if _, err := os.Stat(q + ".bak"); !os.IsNotExist(err) {
		t.Fatal("a backup without a change")
	}
	// A file that is not JSON is left alone, with the error.
	os.WriteFile(q, []byte("{oops"), 0o644)
	if _, _, err := EditFile(q, func(b []byte) ([]byte, []string, error) { return RenameInSettings(b, "a", "b") }); !errors.Is(err, ErrSyntax) {
		t.Fatalf("bad file: %v", err)
	}
	if b, _ := os.ReadFile(q); string(b) != "{oops" {
		t.Fatal("bad file changed")
	}
}

func FuzzRenameInSettings(f *testing.F) {
	f.Add(read(f, "settings.json"))
	f.Add(read(f, "fragment.json"))
	f.Add([]byte(`{"profiles":[{"name":"Ubuntu","source":"Windows.Terminal.Wsl","guid":"{2c4de342-38b7-51cf-b940-2309a097f518}"}],"defaultProfile":"{2c4de342-38b7-51cf-b940-2309a097f518}"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, rename := range []func([]byte, string, string) ([]byte, []string, error){RenameInSettings, RenameInFragment} {
			out, changes, err := rename(b, "Ubuntu", "Ubuntu-old")
			if err != nil {
				if !errors.Is(err, ErrSyntax) {
					t.Fatalf("error not ErrSyntax: %v", err)
				}
				continue
			}
			if len(changes) == 0 {
				if string(out) != string(b) {
					t.Fatal("no change reported, bytes changed")
				}
				continue
			}
			if _, err := parse(out); err != nil {
				t.Fatalf("edited text does not parse: %v\n%q", err, out)
			}
			// Done once: nothing is left to rename.
			if _, again, _ := rename(out, "Ubuntu", "Ubuntu-old"); len(again) != 0 {
				t.Fatalf("second pass changed %q", again)
			}
		}
	})
}
