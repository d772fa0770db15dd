package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/wsldash/wsldash/backend"
)

// fetchMsg is the answer to one request of a view fetched with request ids.
type fetchMsg[T any] struct {
	id  uint64
	val T
	err error
}

// fetchCmd asks the backend's optional interface I for a T (call), within fetchTimeout; a backend
// without I answers a KindUnsupported error saying so (op, why).
func fetchCmd[I, T any](ctx context.Context, be backend.Backend, id uint64, op, why string, call func(I, context.Context) (T, error)) tea.Cmd {
	return func() tea.Msg {
		src, ok := be.(I)
		if !ok {
			return fetchMsg[T]{id: id, err: &backend.Error{Kind: backend.KindUnsupported, Op: op, Message: why}}
		}
		ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
		defer cancel()
		v, err := call(src, ctx)
		return fetchMsg[T]{id: id, val: v, err: err}
	}
}

// fetched is what a view shows of one kind of answer asked for with request ids (the ports,
// VMs and catalogue views): only the answer to the request in flight is taken; an error is shown in place
// of the data.
type fetched[T any] struct {
	id   uint64 // request in flight (0 = none)
	have bool   // an answer has arrived
	err  string
	val  T
}

// accept takes msg when it answers the request in flight, and reports whether it did.
func (f *fetched[T]) accept(msg fetchMsg[T]) bool {
	if msg.id == 0 || msg.id != f.id {
		return false
	}
	f.id, f.have = 0, true
	var zero T
	if f.val, f.err = msg.val, ""; msg.err != nil {
		f.val, f.err = zero, errText(msg.err)
	}
	return true
}
