// Package wintest holds the Windows stand-ins that scripts/test-windows cross-compiles and puts
// on WINEPATH: under Wine a Windows program cannot wait on a Linux child, so the wsl.exe double's
// `--exec sh -c SCRIPT` and `--exec cat FILE` run these small Windows programs instead of Linux's
// sh and cat. They read the guest's files through Wine's Z: drive (the double has already pointed
// /proc, /sys and /etc at its guest root).
//
// sh is not a shell: it interprets the small subset of sh that wsldash's own /proc readers use
// (see sh/main.go) and fails loudly, exit 2, on anything else, so a changed script is noticed.
package wintest
