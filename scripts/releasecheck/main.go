// Command releasecheck verifies what `goreleaser release --snapshot --clean` left in dist/ (run
// by scripts/release-check): four archives (zip for Windows holding wsldash.exe and the Linux
// wsldash of the same arch as linux/wsldash, the guest probe wsldash.exe runs in the VM, checked
// to be an ELF for that machine; tar.gz for Linux holding wsldash and the Windows wsldash.exe of
// the same arch), two .debs, checksums.txt
// covering them, and Scoop and WinGet manifests pointing at the right archives with the right
// checksums. It prints what it checked and exits 1 on the first thing wrong.
package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

func main() {
	dist := "dist"
	if len(os.Args) > 1 {
		dist = os.Args[1]
	}
	if err := check(dist); err != nil {
		fmt.Fprintln(os.Stderr, "release-check:", err)
		os.Exit(1)
	}
}

var archiveRE = regexp.MustCompile(`^wsldash_(.+)_(windows|linux)_(amd64|arm64)\.(zip|tar\.gz)$`)

func check(dist string) error {
	sums, err := readChecksums(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dist)
	if err != nil {
		return err
	}
	archives := map[string]string{} // "windows_amd64" -> file name
	version := ""
	var debs []string
	for _, e := range entries {
		n := e.Name()
		if m := archiveRE.FindStringSubmatch(n); m != nil {
			if version != "" && m[1] != version {
				return fmt.Errorf("archives of two versions: %s and %s", version, m[1])
			}
			version = m[1]
			want := map[string]string{"windows": "zip", "linux": "tar.gz"}[m[2]]
			if m[4] != want {
				return fmt.Errorf("%s: %s archives must be %s", n, m[2], want)
			}
			archives[m[2]+"_"+m[3]] = n
		}
		if strings.HasSuffix(n, ".deb") {
			debs = append(debs, n)
		}
	}
	if len(archives) != 4 {
		return fmt.Errorf("want 4 archives (windows and linux, amd64 and arm64), found %d: %v", len(archives), archives)
	}
	for _, k := range []string{"windows_amd64", "windows_arm64", "linux_amd64", "linux_arm64"} {
		n, ok := archives[k]
		if !ok {
			return fmt.Errorf("no %s archive", k)
		}
		if err := verifySum(dist, n, sums); err != nil {
			return err
		}
		var files map[string]int64
		if strings.HasSuffix(n, ".zip") {
			files, err = zipFiles(filepath.Join(dist, n))
		} else {
			files, err = tarGzFiles(filepath.Join(dist, n))
		}
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		need := []string{"wsldash.exe", "linux/wsldash", "README.md"}
		if strings.HasPrefix(k, "linux") {
			need = []string{"wsldash", "windows/wsldash.exe", "README.md"}
		}
		for _, f := range need {
			if files[f] <= 0 {
				return fmt.Errorf("%s lacks %s (has %v)", n, f, keys(files))
			}
		}
		if strings.HasSuffix(n, ".zip") {
			head, err := zipHead(filepath.Join(dist, n), "linux/wsldash", 64)
			if err == nil {
				err = checkELF(head, strings.TrimPrefix(k, "windows_"))
			}
			if err != nil {
				return fmt.Errorf("%s: linux/wsldash: %w", n, err)
			}
		}
		fmt.Printf("ok  %s: %s, sha256 in checksums.txt\n", n, strings.Join(need, ", "))
	}
	sort.Strings(debs)
	if len(debs) != 2 {
		return fmt.Errorf("want 2 .debs (amd64, arm64), found %v", debs)
	}
	for _, d := range debs {
		if !strings.HasSuffix(d, "_amd64.deb") && !strings.HasSuffix(d, "_arm64.deb") {
			return fmt.Errorf("unexpected .deb %s", d)
		}
		if err := verifySum(dist, d, sums); err != nil {
			return err
		}
		files, err := debFiles(filepath.Join(dist, d))
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		for _, f := range []string{"./usr/bin/wsldash", "./usr/share/wsldash/windows/wsldash.exe"} {
			if files[f] <= 0 {
				return fmt.Errorf("%s lacks %s (has %v)", d, f, keys(files))
			}
		}
		fmt.Printf("ok  %s: /usr/bin/wsldash, /usr/share/wsldash/windows/wsldash.exe\n", d)
	}
	if err := checkScoop(dist, archives, sums); err != nil {
		return fmt.Errorf("scoop: %w", err)
	}
	if err := checkWinget(dist, version, archives, sums); err != nil {
		return fmt.Errorf("winget: %w", err)
	}
	fmt.Printf("release-check: version %s: 4 archives, 2 .debs, checksums, Scoop and WinGet manifests all agree\n", version)
	return nil
}

// elfMachine is the ELF e_machine of each release arch.
var elfMachine = map[string]uint16{"amd64": 62 /* EM_X86_64 */, "arm64": 183 /* EM_AARCH64 */}

// checkELF checks that head (a file's first bytes) is a 64-bit little-endian ELF executable for
// arch's machine: what the guest's kernel will run as `./wsldash probe`.
func checkELF(head []byte, arch string) error {
	want, ok := elfMachine[arch]
	if !ok {
		return fmt.Errorf("no ELF machine known for %s", arch)
	}
	if len(head) < 20 || !bytes.HasPrefix(head, []byte("\x7fELF")) {
		return fmt.Errorf("not an ELF file")
	}
	if head[4] != 2 || head[5] != 1 {
		return fmt.Errorf("not a 64-bit little-endian ELF (class %d, data %d)", head[4], head[5])
	}
	if typ := uint16(head[16]) | uint16(head[17])<<8; typ != 2 && typ != 3 { // ET_EXEC, ET_DYN
		return fmt.Errorf("ELF type %d, not an executable", typ)
	}
	if m := uint16(head[18]) | uint16(head[19])<<8; m != want {
		return fmt.Errorf("ELF machine %d, want %d for %s", m, want, arch)
	}
	return nil
}

// zipHead reads the first n bytes of name in a zip.
func zipHead(path, name string, n int) ([]byte, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer r.Close()
		b := make([]byte, n)
		k, err := io.ReadFull(r, b)
		if err == io.ErrUnexpectedEOF {
			err = nil
		}
		return b[:k], err
	}
	return nil, fmt.Errorf("no %s", name)
}

func keys(m map[string]int64) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func readChecksums(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(l)
		if len(f) != 2 || len(f[0]) != 64 {
			return nil, fmt.Errorf("checksums.txt: bad line %q", l)
		}
		sums[f[1]] = f[0]
	}
	return sums, nil
}

func sha(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func verifySum(dist, name string, sums map[string]string) error {
	got, err := sha(filepath.Join(dist, name))
	if err != nil {
		return err
	}
	if sums[name] != got {
		return fmt.Errorf("%s: sha256 %s, checksums.txt says %q", name, got, sums[name])
	}
	return nil
}

func zipFiles(path string) (map[string]int64, error) {
	r, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	out := map[string]int64{}
	for _, f := range r.File {
		out[f.Name] = int64(f.UncompressedSize64)
	}
	return out, nil
}

func tarFiles(r io.Reader) (map[string]int64, error) {
	out := map[string]int64{}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeReg {
			out[h.Name] = h.Size
		}
	}
}

func tarGzFiles(path string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return tarFiles(zr)
}

// debFiles lists a .deb's data.tar.gz: a .deb is an ar archive of debian-binary,
// control.tar.* and data.tar.*.
func debFiles(path string) (map[string]int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte("!<arch>\n")) {
		return nil, fmt.Errorf("not an ar archive")
	}
	for off := 8; off+60 <= len(b); {
		hdr := b[off : off+60]
		name := strings.TrimRight(strings.TrimSpace(string(hdr[:16])), "/")
		var size int
		fmt.Sscanf(strings.TrimSpace(string(hdr[48:58])), "%d", &size)
		body := b[off+60 : min(off+60+size, len(b))]
		if name == "data.tar.gz" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				return nil, err
			}
			return tarFiles(zr)
		}
		off += 60 + size + size%2
	}
	return nil, fmt.Errorf("no data.tar.gz member")
}

func checkScoop(dist string, archives, sums map[string]string) error {
	b, err := os.ReadFile(filepath.Join(dist, "scoop", "wsldash.json"))
	if err != nil {
		return err
	}
	var m struct {
		Version      string `json:"version"`
		Architecture map[string]struct {
			URL  string   `json:"url"`
			Bin  []string `json:"bin"`
			Hash string   `json:"hash"`
		} `json:"architecture"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for arch, k := range map[string]string{"64bit": "windows_amd64", "arm64": "windows_arm64"} {
		a, ok := m.Architecture[arch]
		if !ok {
			return fmt.Errorf("no %s entry", arch)
		}
		want := archives[k]
		if !strings.HasSuffix(a.URL, "/"+want) || a.Hash != sums[want] || len(a.Bin) != 1 || a.Bin[0] != "wsldash.exe" {
			return fmt.Errorf("%s: url %s hash %s bin %v; want …/%s, %s, wsldash.exe", arch, a.URL, a.Hash, a.Bin, want, sums[want])
		}
	}
	fmt.Printf("ok  scoop/wsldash.json %s: 64bit and arm64 point at the zips with their sha256\n", m.Version)
	return nil
}

// checkWinget reads the three manifests (version, locale, installer); the installer's entries
// are "- Architecture:" blocks with InstallerUrl, InstallerSha256 and RelativeFilePath.
func checkWinget(dist, version string, archives, sums map[string]string) error {
	dir := filepath.Join(dist, "winget", "manifests", "w", "wsldash", "wsldash", version)
	for _, f := range []string{"wsldash.wsldash.yaml", "wsldash.wsldash.locale.en-US.yaml"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		if !bytes.Contains(b, []byte("PackageVersion: "+version)) {
			return fmt.Errorf("%s does not say PackageVersion: %s", f, version)
		}
	}
	f, err := os.Open(filepath.Join(dir, "wsldash.wsldash.installer.yaml"))
	if err != nil {
		return err
	}
	defer f.Close()
	type inst struct{ arch, url, sum, rel string }
	var all []*inst
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(strings.TrimPrefix(l, "- "), ":")
		if !ok {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"'`)
		switch k {
		case "Architecture":
			all = append(all, &inst{arch: v})
		case "InstallerUrl", "InstallerSha256", "RelativeFilePath":
			if len(all) == 0 {
				return fmt.Errorf("%s before any Architecture", k)
			}
			cur := all[len(all)-1]
			switch k {
			case "InstallerUrl":
				cur.url = v
			case "InstallerSha256":
				cur.sum = strings.ToLower(v)
			default:
				cur.rel = v
			}
		}
	}
	if len(all) != 2 {
		return fmt.Errorf("want 2 installers (x64, arm64), found %d", len(all))
	}
	for _, in := range all {
		k := map[string]string{"x64": "windows_amd64", "arm64": "windows_arm64"}[in.arch]
		want := archives[k]
		if k == "" || !strings.HasSuffix(in.url, "/"+want) || in.sum != sums[want] || in.rel != "wsldash.exe" {
			return fmt.Errorf("installer %+v; want …/%s, %s, wsldash.exe", *in, want, sums[want])
		}
	}
	fmt.Printf("ok  winget manifests %s: x64 and arm64 point at the zips with their sha256, run wsldash.exe\n", version)
	return nil
}
