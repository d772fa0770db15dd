package local

import (
	"context"

	"github.com/wsldash/wsldash/backend"
)

// The local backend has no distros: export, import, clone, unregister and the trash need WSL.
// Each refuses with a KindUnsupported *backend.Error that says what and why.

var _ backend.Archiver = (*Backend)(nil)

// noWSL is the refusal of a distro operation; the trash verbs have no capability of their own
// and share unregister's.
func (b *Backend) noWSL(op string, a backend.Action) error {
	reason := b.Capabilities().Reason(a)
	if reason == "" {
		reason = noDistros
	}
	return &backend.Error{Kind: backend.KindUnsupported, Op: op,
		Message: reason + ": " + op + " needs WSL (wsl.exe); use --backend wsl on Windows or inside WSL, or --demo to try it"}
}

func (b *Backend) Export(ctx context.Context, name, file string, format backend.Format, progress func(int64)) error {
	return b.noWSL("export", backend.ActExport)
}

func (b *Backend) Import(ctx context.Context, name, dir, file string, version int) error {
	return b.noWSL("import", backend.ActImport)
}

func (b *Backend) Clone(ctx context.Context, src, newName, dir string, format backend.Format, progress func(int64)) error {
	return b.noWSL("clone", backend.ActClone)
}

func (b *Backend) Trash(ctx context.Context, name string, progress func(int64)) (backend.TrashEntry, error) {
	return backend.TrashEntry{}, b.noWSL("unregister", backend.ActUnregister)
}

func (b *Backend) TrashList() ([]backend.TrashEntry, error) {
	return nil, b.noWSL("trash list", backend.ActUnregister)
}

func (b *Backend) TrashRestore(ctx context.Context, name string) error {
	return b.noWSL("trash restore", backend.ActUnregister)
}

func (b *Backend) TrashPurge(name string) error {
	return b.noWSL("trash purge", backend.ActUnregister)
}

func (b *Backend) RestoreDir(name string) (string, error) {
	return "", b.noWSL("trash restore", backend.ActUnregister)
}
