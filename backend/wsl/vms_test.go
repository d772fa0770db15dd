package wsl

import (
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

// Outside the Windows build the wsl backend says clearly that it cannot list the host's VMs.
func TestVMsUnsupportedOutsideWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows lists the VMs through HCS")
	}
	_, err := (&Backend{}).VMs(context.Background())
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.KindUnsupported {
		t.Fatalf("err %v, want KindUnsupported", err)
	}
}
