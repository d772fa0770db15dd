//go:build !windows

package hostview

import "context"

// watchParent: off Windows the end of stdin is the only signal (the helper only runs there).
func watchParent(ctx context.Context, cancel context.CancelFunc) {}
