package wsl

import (
	"os"

	"github.com/wsldash/wsldash/backend/guestprobe"
)

func init() {
	// The tests' Go probe is this test binary (goProbeTest: Options.GuestProbe), started by the
	// double as `./wsl.test probe NONCE` in its folder. It answers as `wsldash probe`. It does not
	// call guestprobe.Offer: the other tests of this package run the sh probe, as written.
	guestprobe.AnswerIfAsked(os.Args, "test")
}
