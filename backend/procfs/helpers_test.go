package procfs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// wantParseErr checks err is a *backend.Error of kind KindParse for op whose message holds
// every piece of want.
func wantParseErr(t *testing.T, err error, op string, want ...string) {
	t.Helper()
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Fatalf("error %v (%T) is not a *backend.Error", err, err)
	}
	if be.Kind != backend.KindParse || be.Op != op {
		t.Fatalf("error kind %v op %q, want %v %q (%v)", be.Kind, be.Op, backend.KindParse, op, err)
	}
	if !errors.Is(err, backend.ErrParse) {
		t.Fatalf("errors.Is(%v, ErrParse) is false", err)
	}
	for _, w := range want {
		if !strings.Contains(be.Message, w) {
			t.Errorf("message %q does not contain %q", be.Message, w)
		}
	}
}

// checkFuzzErr is the invariant every fuzz target shares: a failure is a KindParse error.
func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.KindParse || be.Message == "" {
		t.Fatalf("error %v is not a KindParse *backend.Error with a message", err)
	}
}
