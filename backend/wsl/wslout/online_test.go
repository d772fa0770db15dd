package wslout

import (
	"reflect"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// onlineEN is `wsl --list --online` verbatim (wsl-facts.md §1.3: the localized preamble with its
// blank line, the English header padded to the longest name + 4, "%-<n>s%s" rows).
const onlineEN = `The following is a list of valid distributions that can be installed.
Install using 'wsl.exe --install <Distro>'.

NAME                            FRIENDLY NAME
Ubuntu                          Ubuntu
Ubuntu-24.04                    Ubuntu 24.04 LTS
openSUSE-Tumbleweed             openSUSE Tumbleweed
openSUSE-Leap-16.0              openSUSE Leap 16.0
SUSE-Linux-Enterprise-15-SP7    SUSE Linux Enterprise 15 SP7
SUSE-Linux-Enterprise-16.0      SUSE Linux Enterprise 16.0
kali-linux                      Kali Linux Rolling
Debian                          Debian GNU/Linux
`

var onlineWant = []OnlineDistro{
	{Name: "Ubuntu", FriendlyName: "Ubuntu"}, {Name: "Ubuntu-24.04", FriendlyName: "Ubuntu 24.04 LTS"}, {Name: "openSUSE-Tumbleweed", FriendlyName: "openSUSE Tumbleweed"},
	{Name: "openSUSE-Leap-16.0", FriendlyName: "openSUSE Leap 16.0"}, {Name: "SUSE-Linux-Enterprise-15-SP7", FriendlyName: "SUSE Linux Enterprise 15 SP7"},
	{Name: "SUSE-Linux-Enterprise-16.0", FriendlyName: "SUSE Linux Enterprise 16.0"}, {Name: "kali-linux", FriendlyName: "Kali Linux Rolling"},
	{Name: "Debian", FriendlyName: "Debian GNU/Linux"},
}

func TestParseOnlineEncodings(t *testing.T) {
	for _, enc := range []Encoding{UTF16, UTF16CRCRLF, UTF16BOM, UTF8} {
		got, err := ParseOnline(Decode(Encode(onlineEN, enc)))
		if err != nil {
			t.Fatalf("enc %d: %v", enc, err)
		}
		if !reflect.DeepEqual(got, onlineWant) {
			t.Fatalf("enc %d: got %+v", enc, got)
		}
	}
}

// A localized preamble (zh-TW and de print theirs; the header and rows stay English,
// WSL_LIST_HEADER_NAME / WSL_LIST_HEADER_FRIENDLY_NAME). The preamble text here is not verbatim:
// the parser must not depend on it at all.
func TestParseOnlineLocalizedPreamble(t *testing.T) {
	text := "以下是可安裝的有效發佈清單。\n使用 'wsl.exe --install <Distro>' 安裝。\n\nNAME            FRIENDLY NAME\nUbuntu          Ubuntu\nDebian          Debian GNU/Linux\n"
	got, err := ParseOnline(Decode(Encode(text, UTF16)))
	if err != nil {
		t.Fatal(err)
	}
	if want := []OnlineDistro{{Name: "Ubuntu", FriendlyName: "Ubuntu"}, {Name: "Debian", FriendlyName: "Debian GNU/Linux"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

func TestParseOnlineErrors(t *testing.T) {
	for name, text := range map[string]string{
		"network failure": "Failed to fetch the distribution list from 'https://raw.githubusercontent.com/microsoft/WSL/master/distributions/DistributionInfo.json'. A connection with the server could not be established\nError code: Wsl/WININET_E_CANNOT_CONNECT\n",
		"empty":           "",
		"bad row":         "NAME      FRIENDLY NAME\nUbu/ntu   Ubuntu\n",
	} {
		if _, err := ParseOnline(text); backend.KindOf(err) != backend.KindParse {
			t.Errorf("%s: err = %v, want a parse error", name, err)
		}
	}
	// A header and no rows is an empty catalogue, not an error.
	got, err := ParseOnline("NAME    FRIENDLY NAME\n")
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("header only: %v %v", got, err)
	}
}

func FuzzParseOnline(f *testing.F) {
	f.Add(onlineEN)
	f.Add("NAME FRIENDLY NAME\nx y z\n")
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := ParseOnline(s)
		if err != nil {
			return
		}
		for _, d := range ds {
			if !validName(d.Name) || d.FriendlyName == "" {
				t.Fatalf("bad entry %+v from %q", d, s)
			}
		}
	})
}
