package main

import (
	"runtime/debug"
	"strings"
)

// version and commit are stamped by the release build (-ldflags "-X main.version=… -X
// main.commit=…", see .goreleaser.yaml). Unstamped builds (go install, go build) fall back to
// the module version and VCS revision that the Go toolchain records in the binary.
var (
	version = ""
	commit  = ""
)

// versionString is what --version prints: the stamped version, else the build information's
// module version (v1.2.3 from `go install …@v1.2.3`, "(devel)" from a clone) with the VCS
// revision and whether the tree was modified. Never a bare "dev".
func versionString(stamped, stampedCommit string, info *debug.BuildInfo, ok bool) string {
	if stamped != "" {
		if stampedCommit != "" && stampedCommit != "none" { // goreleaser says none without git
			return stamped + " (" + stampedCommit + ")"
		}
		return stamped
	}
	if !ok || info == nil {
		return "unknown (built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var extra []string
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		r := "commit " + rev
		if modified {
			r += "+modified"
		}
		extra = append(extra, r)
	}
	if when != "" {
		extra = append(extra, when)
	}
	if info.GoVersion != "" {
		extra = append(extra, info.GoVersion)
	}
	if len(extra) > 0 {
		v += " (" + strings.Join(extra, ", ") + ")"
	}
	return v
}

// currentVersion is versionString for this binary.
func currentVersion() string {
	info, ok := debug.ReadBuildInfo()
	return versionString(version, commit, info, ok)
}

// programVersion is the bare version that the host helper and its reader compare: the stamped
// one, else the module version of `go install …@vX.Y.Z`, without its "v" (goreleaser stamps
// 1.2.3, go install records v1.2.3), else "dev" for a build from a clone.
func programVersion() string {
	v := version
	if v == "" {
		if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
	}
	if v == "" {
		return "dev"
	}
	return strings.TrimPrefix(v, "v")
}
