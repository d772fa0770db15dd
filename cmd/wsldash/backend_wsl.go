package main

import (
	"os"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/wsl"
)

// openWSLBackend opens the wsl backend with --wsl-exe (else $WSLDASH_WSL_EXE, PATH, the standard
// place).
func openWSLBackend(a *app) (backend.Backend, error) {
	return wsl.New(wsl.Options{WSLExe: a.wslExe, TrashDir: os.Getenv(wsl.EnvTrashDir)})
}

// isInsideWSL is --backend auto's test for "Linux with WSL interop".
func isInsideWSL() bool { return wsl.IsInsideWSL() }
