// Package deps holds no code: its test enforces ARCHITECTURE.md's dependency rules on the
// module's package graph (`go list`), for Linux and Windows builds alike, so a forbidden import
// fails `go test ./...` instead of waiting for a reviewer.
package deps
