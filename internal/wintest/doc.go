// Package wintest holds the Windows stand-ins that scripts/test-windows cross-compiles and puts
// on WINEPATH: under Wine a Windows program cannot wait on a Linux child, so the wsl.exe double's
// `--exec sh -c SCRIPT` and `--exec cat FILE` run these small Windows programs instead of Linux's
// sh and cat. They read the guest's files through Wine's Z: drive (the double has already pointed
// /proc, /sys and /etc at its guest root).
//
// sh is not a shell: it interprets the small subset of sh that wsldash's own scripts use (see
// sh/main.go), with sh's semantics, and fails loudly, exit 2, on anything else, so a changed
// script is noticed. The probe reads its requests on stdin (the double hands its own stdin to
// the stand-in), so sh flushes its answer before each read. Its tests run the real script
// constants of backend/wsl in it and in dash and bash on Linux, and compare the bytes.
package wintest
