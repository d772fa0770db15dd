package main

import (
	"errors"

	"github.com/wsldash/wsldash/backend"
)

// openWSLBackend opens the wsl backend with --wsl-exe.
func openWSLBackend(a *app) (backend.Backend, error) {
	return nil, errors.New("the wsl backend is not wired yet")
}

func isInsideWSL() bool { return false }
