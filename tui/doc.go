// Package tui is wsldash's Bubble Tea v2 dashboard: a distro table, memory and CPU graphs over
// time, processes and mounts of the selected distro, and actions (start, terminate, shutdown, set
// default, shell, reclaim, kill) on any backend.Backend.
//
// The memory view (key 2) watches memory come back (microsoft/WSL#4166): guest used and page
// cache stacked up to the guest total (free is the space above), the VM process (vmmemWSL) as a
// line, the gap between them, what could be reclaimed now, the autoMemoryReclaim mode and what
// WSL will do next, how long the CPU has been idle, and an event log of reclaims with their
// source. Events come from a reclaim.Detector fed each sample in Update (reclaim.go); actions
// that free memory give it hints (manual reclaim, distro stopped, VM shut down). `r` offers
// dropcache, gradual or compact. The config view (key 5) shows .wslconfig and the selected
// distro's /etc/wsl.conf read-only (configview.go).
//
// Structure (see ARCHITECTURE.md): one root Model routes messages and owns focus, layout, dialogs
// and every request in flight; each pane is its own type (state, keys, rendering) over one
// list component and a shared context the root keeps. ComputeLayout is a pure
// function of the terminal size. All I/O runs in tea.Cmds whose results carry a request id, so a
// stale answer is dropped. Keys are data (KeyMap), and the footer and the help screen are
// generated from it. Colours come from a themes.Palette turned into one Styles value.
//
// The tables and pane frames are drawn by hand rather than with bubbles/table and lipgloss
// borders: the state column needs per-cell colour and a spinner, pane titles sit inside the top
// border, and a full frame must render in well under a millisecond at 200x60 (see
// BenchmarkView200x60), which per-cell lipgloss rendering does not allow.
package tui
