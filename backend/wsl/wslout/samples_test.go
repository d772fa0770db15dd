package wslout

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The verbatim samples (wsl-facts.md §1) from which testdata/*.out is generated. Each file holds
// the bytes wsl.exe writes: UTF-16LE without BOM and CRLF unless the name says otherwise
// (".crcrlf": \r\r\n as old inbox builds wrote; ".bom": with FF FE; ".utf8": WSL_UTF8=1).
// Regenerate with: go test ./backend/wsl/wslout -run TestTestdata -update
var update = flag.Bool("update", false, "rewrite testdata from the samples")

// verboseRows renders -l -v rows with wsl.exe's own format string "%s %-<maxLen+4>s%-16s%s\n".
func verboseRows(rows [][3]string, def string) string {
	maxLen := 4
	for _, r := range rows {
		maxLen = max(maxLen, len(r[0]))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-*s%-16s%s\n", " ", maxLen+4, "NAME", "STATE", "VERSION")
	for _, r := range rows {
		m := " "
		if r[0] == def {
			m = "*"
		}
		fmt.Fprintf(&b, "%s %-*s%-16s%s\n", m, maxLen+4, r[0], r[1], r[2])
	}
	return b.String()
}

func sixtyDistros() [][3]string {
	var rows [][3]string
	rows = append(rows, [3]string{"Ubuntu-24.04", "Running", "2"})
	for i := 1; i < 59; i++ {
		st := "Stopped"
		if i%7 == 0 {
			st = "Running"
		}
		v := "2"
		if i%11 == 0 {
			v = "1"
		}
		rows = append(rows, [3]string{fmt.Sprintf("distro-%02d.test_%s", i, strings.Repeat("x", i)), st, v})
	}
	rows = append(rows, [3]string{strings.Repeat("L", 256), "Stopped", "2"})
	return rows
}

var samples = map[string]string{
	// AubSmith/Scriptlets PowerShell/WSL/WSL.ps1 comment
	"list_v_basic": "  NAME            STATE           VERSION\n" +
		"* kali-linux      Stopped         2\n" +
		"  Ubuntu-20.04    Running         2\n",
	// microsoft/WSL#12302: WSL 2.4.4 lost the '*' marker
	"list_v_nomarker": "  NAME                      STATE           VERSION\n" +
		"  MyPengwin                 Running         2\n" +
		"  WLinux                    Running         2\n" +
		"  docker-desktop            Stopped         2\n" +
		"  docker-desktop-data       Stopped         2\n",
	// reconstructed from the format string
	"list_v_format": "  NAME              STATE           VERSION\n" +
		"* Ubuntu-24.04      Running         2\n" +
		"  docker-desktop    Stopped         2\n" +
		"  Debian            Stopped         1\n",
	"list_v_transitional": verboseRows([][3]string{
		{"Ubuntu", "Running", "2"}, {"NewOne", "Installing", "2"}, {"Old", "Converting", "1"},
		{"Backup", "Exporting", "2"}, {"Gone", "Uninstalling", "2"},
	}, "Ubuntu"),
	"list_v_sixty": verboseRows(sixtyDistros(), "Ubuntu-24.04"),
	// microsoft/WSL#4180 and §1.6
	"list_en":   "Windows Subsystem for Linux Distributions:\nUbuntu (Default)\nLegacy\nUbuntu-tmp\n",
	"list_de":   "Windows Subsystem für Linux-Distributionen:\nUbuntu (Standard)\nDebian\n",
	"list_ja":   "Linux 用 Windows サブシステム ディストリビューション:\nDebian\nUbuntu (既定値)\n",
	"list_zh":   "适用于 Linux 的 Windows 子系统分发:\nUbuntu (默认值)\nkali-linux\n",
	"list_q":    "Ubuntu-24.04\ndocker-desktop\nDebian\n",
	"list_none": "",
	"nodistros_current": "Windows Subsystem for Linux has no installed distributions.\n" +
		"You can resolve this by installing a distribution with the instructions below:\n\n" +
		"Use 'wsl.exe --list --online' to list available distributions\n" +
		"and 'wsl.exe --install <Distro>' to install.\n",
	"nodistros_inbox": "Windows Subsystem for Linux has no installed distributions.\n" +
		"Distributions can be installed by visiting the Microsoft Store:\nhttps://aka.ms/wslstore\n",
	"nodistros_2022": "Windows Subsystem for Linux has no installed distributions.\n" +
		"Distributions can be installed by visiting the Microsoft Store:\nhttps://aka.ms/wslstore\n" +
		"Error code: Wsl/Service/CreateInstance/GetDefaultDistro/WSL_E_DEFAULT_DISTRO_NOT_FOUND\n",
	// microsoft/WSL#9448 and #8690
	"status_v1":        "Default Distribution: Debian\nDefault Version: 2\n",
	"status_old":       "Default Distribution: Ubuntu-22.04\nDefault Version: 2\n\nWindows Subsystem for Linux was last updated on 27-Mar-22\nWSL automatic updates are on.\n\nKernel version: 5.10.102.1\n",
	"status_de":        "Standarddistribution: Ubuntu\nStandardversion: 2\n",
	"status_fr":        "Distribution par défaut\u00a0: Ubuntu\nVersion par défaut\u00a0: 2\n",
	"status_nodefault": "Default Version: 2\n",
	"version_en": "WSL version: 2.6.1.0\nKernel version: 6.6.87.2-1\nWSLg version: 1.0.66\nMSRDC version: 1.2.6353\n" +
		"Direct3D version: 1.611.1-81528511\nDXCore version: 10.0.26100.1-240331-1435.ge-release\nWindows version: 10.0.26100.4770\n",
	"version_de": "WSL-Version: 2.6.1.0\nKernelversion: 6.6.87.2-1\nWSLg-Version: 1.0.66\nMSRDC-Version: 1.2.6353\n" +
		"Direct3D-Version: 1.611.1-81528511\nDXCore-Version: 10.0.26100.1-240331-1435.ge-release\nWindows-Version: 10.0.26100.4770\n",
	"version_fr": "Version WSL : 2.6.1.0\nVersion du noyau : 6.6.87.2-1\nVersion WSLg : 1.0.66\nVersion MSRDC : 1.2.6353\n" +
		"Version Direct3D : 1.611.1-81528511\nVersion DXCore : 10.0.26100.1-240331-1435.ge-release\nVersion de Windows : 10.0.26100.4770\n",
	"version_ja": "WSL バージョン: 2.6.1.0\nカーネル バージョン: 6.6.87.2-1\nWSLg バージョン: 1.0.66\nMSRDC バージョン: 1.2.6353\n" +
		"Direct3D バージョン: 1.611.1-81528511\nDXCore バージョン: 10.0.26100.1-240331-1435.ge-release\nWindows バージョン: 10.0.26100.4770\n",
	// WSL@HEAD test/windows/*.cpp, microsoft/WSL#13075
	"error_notfound": "There is no distribution with the supplied name.\nError code: Wsl/Service/WSL_E_DISTRO_NOT_FOUND\n",
	"error_install":  "Invalid distribution name: 'DoesNotExist'.\nTo get a list of valid distributions, use 'wsl.exe --list --online'.\nError code: Wsl/InstallDistro/WSL_E_DISTRO_NOT_FOUND\n",
	"error_zh":       "由于潜在的数据损坏，目前已禁用稀疏 VHD 支持。\n错误代码: Wsl/Service/E_INVALIDARG\n",
	"error_de":       "Es ist keine Distribution mit dem angegebenen Namen vorhanden.\nFehlercode: Wsl/Service/WSL_E_DISTRO_NOT_FOUND\n",
	"error_bash":     "Bash/Service/CreateInstance/ReadDistroConfig/WSL_E_DISTRO_NOT_FOUND\n",
	"error_busy":     "The operation could not be completed because the VHD is currently in use. To force WSL to stop use: wsl.exe --shutdown\nError code: Wsl/Service/WSL_E_DISTRO_NOT_STOPPED\n",
	"norunning":      "There are no running distributions.\n",
}

// variants picks, per sample, the encodings written to testdata.
func variants(name string) []Encoding {
	switch name {
	case "list_v_basic", "version_en":
		return []Encoding{UTF16, UTF16CRCRLF, UTF16BOM, UTF8}
	case "list_v_nomarker", "list_en", "nodistros_inbox":
		return []Encoding{UTF16, UTF16CRCRLF}
	}
	return []Encoding{UTF16}
}

var encExt = map[Encoding]string{UTF16: ".utf16", UTF16CRCRLF: ".crcrlf", UTF16BOM: ".bom", UTF8: ".utf8"}

func TestTestdataMatchesSamples(t *testing.T) {
	for name, text := range samples {
		for _, enc := range variants(name) {
			path := filepath.Join("testdata", name+encExt[enc])
			want := Encode(text, enc)
			if *update {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s is stale; run with -update", path)
			}
		}
	}
}

// readSample reads testdata/<file> and decodes it as the runner would.
func readSample(t testing.TB, file string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return Decode(b)
}

// allTestdata returns every testdata file's bytes, for fuzz seeds.
func allTestdata(f *testing.F) [][]byte {
	m, _ := filepath.Glob("testdata/*.*")
	var out [][]byte
	for _, p := range m {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
