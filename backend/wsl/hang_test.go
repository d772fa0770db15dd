package wsl

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl/internal/fakewsltest"
)

// Against a hung wsl.exe a list costs one timeout: -l -v times out and the -l -q fallback is
// not tried (it used to wait a second timeout).
func TestHungListCostsOneTimeout(t *testing.T) {
	st := twoDistros()
	st.Fail = &fakewsltest.Fail{Mode: "hang"}
	b, f, _ := newBackend(t, st, func(o *Options) { o.Timeout = 300 * time.Millisecond })
	_, err := b.Distros(context.Background())
	if !errors.Is(err, backend.ErrTimeout) {
		t.Fatalf("err = %v", err)
	}
	if n := len(f.Calls()); n != 1 || f.Count("-l -v") != 1 {
		t.Fatalf("wsl.exe started %d times (%v), want once", n, f.Calls())
	}
}
