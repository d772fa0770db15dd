package tui

import (
	"io"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
	uv "github.com/charmbracelet/ultraviolet"

	"github.com/wsldash/wsldash/tui/internal/fake"
)

// countWriter counts what the renderer writes to the terminal.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkRefreshFrame120x40 is what one refresh costs the process at the benchmark size: a new
// sample and a moved clock, View(), then what Bubble Tea's renderer does with a changed frame
// (parse it into cells, diff against the last, write the difference). About 110 processes and
// a full history, like the local backend on the build machine. bytes/frame is the terminal
// output per refresh.
func BenchmarkRefreshFrame120x40(b *testing.B) {
	be := fake.New()
	be.SetProcesses(benchProcs(110))
	m := historyModel(b, be, 120, 40)
	w := &countWriter{}
	scr := uv.NewTerminalRenderer(w, []string{"TERM=xterm-256color"})
	scr.SetColorProfile(colorprofile.TrueColor)
	scr.SetFullscreen(true)
	scr.Resize(120, 40)
	buf := uv.NewScreenBuffer(120, 40)
	frame := func(i int) {
		m.hist.Add(fake.SampleAt(t0, 900+i))
		m.now = t0.Add(time.Duration(900+i) * time.Second)
		content := uv.NewStyledString(m.View().Content)
		buf.Clear()
		content.Draw(buf, buf.Bounds())
		scr.Render(buf.RenderBuffer)
		if err := scr.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	frame(0)
	w.n = 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		frame(i + 1)
	}
	b.ReportMetric(float64(w.n)/float64(b.N), "bytes/frame")
}

// BenchmarkViewOnly120x40 is the View() part of BenchmarkRefreshFrame120x40 alone.
func BenchmarkViewOnly120x40(b *testing.B) {
	m := historyModel(b, fake.New(), 120, 40)
	var out io.Writer = io.Discard
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.hist.Add(fake.SampleAt(t0, 900+i))
		m.now = t0.Add(time.Duration(900+i) * time.Second)
		io.WriteString(out, m.View().Content)
	}
}
