// Command devmain runs the dashboard on the demo backend (or the tests' fake) so the TUI can be
// looked at before cmd/wsldash wires it: go run ./tui/internal/devmain [-fake] [-theme name].
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/wsldash/wsldash/backend"
	"github.com/wsldash/wsldash/backend/demo"
	"github.com/wsldash/wsldash/tui"
	"github.com/wsldash/wsldash/tui/internal/fake"
)

func main() {
	useFake := flag.Bool("fake", false, "use the tests' fake backend instead of the demo")
	theme := flag.String("theme", "", "theme name")
	noColor := flag.Bool("no-color", os.Getenv("NO_COLOR") != "", "no colours")
	refresh := flag.Duration("refresh", time.Second, "refresh interval")
	flag.Parse()
	var be backend.Backend = demo.New(demo.Options{Seed: 1, Speed: 20, Warmup: 10 * time.Minute})
	if *useFake {
		be = fake.New()
	}
	defer be.Close()
	err := tui.Run(context.Background(), tui.Options{Backend: be, Theme: *theme, NoColor: *noColor,
		Refresh: *refresh, Config: tui.DefaultConfig()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
