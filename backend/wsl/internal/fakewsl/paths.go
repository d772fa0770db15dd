package main

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
)

// Paths, as wsl.exe on Windows sees them. --export and --import open their files with Windows
// file APIs, so the double accepts only what those would:
//   - a drive path `C:\…` maps to the host folder State.Drives["C"] (in the double's Windows
//     build, run under Wine, it is the real path);
//   - `\\wsl.localhost\X\…` and `\\wsl$\X\…` are inside distro X: they map to X's Root and exist
//     only while X is registered (its --unregister deletes them);
//   - anything else (a Linux path `/root/x`, a relative path) is relative to wsl.exe's Windows
//     working folder. Called through interop from inside distro X (State.Caller = X) that folder is
//     `\\wsl.localhost\X\<cwd>`, so a Linux path lands inside X; from Windows it is on drive C.

var drivePath = regexp.MustCompile(`^([A-Za-z]):[\\/](.*)$`)

// errPath is wsl.exe's answer when a path cannot be opened.
const errPathMsg = "The system cannot find the path specified."

// uncDistro splits `\\wsl.localhost\X\rest` or `\\wsl$\X\rest` (either slash, any case) into X and
// rest; ok is false for any other path.
func uncDistro(p string) (distro, rest string, ok bool) {
	q := strings.ReplaceAll(p, "/", `\`)
	for _, pre := range []string{`\\wsl.localhost\`, `\\wsl$\`} {
		if len(q) > len(pre) && strings.EqualFold(q[:len(pre)], pre) {
			distro, rest, _ = strings.Cut(q[len(pre):], `\`)
			return distro, rest, distro != ""
		}
	}
	return "", "", false
}

// hostPath maps a path given to wsl.exe to the test machine's file system, and names the distro
// whose file system holds it ("" for a Windows drive). ok is false when Windows could not open it.
func hostPath(p string) (host, inDistro string, ok bool) {
	if d, rest, isUNC := uncDistro(p); isUNC {
		i := find(d)
		if i < 0 || st.Distros[i].Root == "" {
			return "", d, false
		}
		return filepath.Join(st.Distros[i].Root, filepath.FromSlash(strings.ReplaceAll(rest, `\`, "/"))), st.Distros[i].Name, true
	}
	if m := drivePath.FindStringSubmatch(p); m != nil {
		if runtime.GOOS == "windows" {
			return p, "", true // the double's Windows build (under Wine): a drive path is real
		}
		root, found := "", false
		drives := st.Drives
		if drives == nil {
			drives = map[string]string{"C": "/"}
		}
		for k, v := range drives {
			if strings.EqualFold(k, m[1]) {
				root, found = v, true
			}
		}
		if !found {
			return "", "", false
		}
		return filepath.Join(root, filepath.FromSlash(strings.ReplaceAll(m[2], `\`, "/"))), "", true
	}
	if strings.HasPrefix(p, `\\`) {
		return "", "", false // another UNC server: not on this test machine
	}
	// Relative to the Windows working folder.
	if st.Caller != "" {
		return hostPath(`\\wsl.localhost\` + st.Caller + `\` + strings.TrimLeft(p, `/\`))
	}
	return hostPath(`C:\` + strings.TrimLeft(p, `/\`))
}

// mustHost is hostPath or wsl.exe's path error (exit -1).
func mustHost(p, code string) string {
	h, _, ok := hostPath(p)
	if !ok {
		fail(errPathMsg, code)
	}
	return h
}

// deleteDisk is what --unregister does to the files: the disk (ext4.vhdx in the install folder)
// and with it everything inside the distro's file system.
func deleteDisk(d Distro) {
	if d.Dir != "" {
		os.Remove(filepath.Join(d.Dir, "ext4.vhdx"))
	}
	if d.Root != "" {
		os.RemoveAll(d.Root)
	}
}

// writeBad writes a broken export: nothing, a tar cut inside its first entry, or text.
func writeBad(f *os.File, mode, content string) {
	switch mode {
	case "truncated":
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		tw.WriteHeader(&tar.Header{Name: "etc/wsldash-fake", Mode: 0o644, Size: 1 << 20, Typeflag: tar.TypeReg})
		io.WriteString(tw, content)
		tw.Flush()
		f.Write(buf.Bytes()) // a header promising 1 MiB, then a few bytes and the end of the file
	case "notar":
		f.WriteString("wsl: export failed half way\r\n" + strings.Repeat("x", 2000))
	}
}
