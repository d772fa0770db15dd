package wslconfig

import (
	"errors"
	"io/fs"
	"os"

	"github.com/wsldash/wsldash/backend"
)

// Load reads the file at path for a backend.ConfigStore: its bytes and when it last changed. A
// missing file is not an error (Exists is false); any other failure is an *backend.Error that
// keeps path in the ConfigFile.
func Load(path string) (backend.ConfigFile, error) {
	cf := backend.ConfigFile{Path: path}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return cf, nil
	}
	if err != nil {
		return cf, fileError("read", path, err)
	}
	cf.Exists, cf.Text = true, b
	if st, err := os.Stat(path); err == nil {
		cf.ModTime = st.ModTime()
	}
	return cf, nil
}

// FromStore parses a .wslconfig that a backend.ConfigStore returned, with its path, existence and
// time. A Sample keeps no path, so its warnings name the file as WSL does (".wslconfig") and not
// its label.
func FromStore(cf backend.ConfigFile) (*File, error) { return fromStore(cf, wslconfigDialect) }

// WSLConfFromStore parses a /etc/wsl.conf that a backend.ConfigStore returned.
func WSLConfFromStore(cf backend.ConfigFile) (*File, error) { return fromStore(cf, wslconfDialect) }

func fromStore(cf backend.ConfigFile, d *dialect) (*File, error) {
	path := cf.Path
	if cf.Sample {
		path = ""
	}
	f, err := parseWith(cf.Text, d, path)
	if err != nil {
		return nil, &backend.Error{Kind: backend.KindParse, Op: "read", Message: cf.Path + ": " + err.Error(), Err: err}
	}
	f.exists, f.modTime = cf.Exists, cf.ModTime
	return f, nil
}
