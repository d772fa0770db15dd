package tui

import tea "charm.land/bubbletea/v2"

// The view registry: everything the root model knows of a view is its entry in views — the key
// that opens it, its panes (drawing order and tab order), its layout, what it fetches and when,
// its footer and the keys `?` lists for it. setView, paneOf, cycleFocus, render, scheduleRefresh,
// the footer and the help all read these tables. A new view is a file of its own (its state,
// panes, layout, requests and answers) plus, here: its View and Pane constants, its panes'
// entries, its entry and its state's field.

// View is one full-screen arrangement of the panes; it indexes views.
type View int

const (
	ViewOverview View = iota
	ViewMemory
	ViewProcesses
	ViewMounts
	ViewConfig
	ViewPorts
	ViewVMs
	ViewDisks   // disks & trash (diskview.go)
	ViewCatalog // the online catalogue (catalogview.go)
	viewCount
)

func (v View) String() string { return views[v].name }

// Pane names a region of the screen; it indexes panes.
type Pane int

const (
	PaneNone Pane = iota
	PaneDistros
	PaneMemory
	PaneCPU
	PaneProcs
	PaneMounts
	PaneReclaim   // the memory view's reclaim status
	PaneEvents    // the memory view's reclaim event log
	PaneWSLConfig // the config view's .wslconfig
	PaneWSLConf   // the config view's /etc/wsl.conf
	PanePorts     // the ports view's listening sockets (portsview.go)
	PaneDistroMem // the memory view's memory by distro (distromem.go)
	PaneVMs       // the VMs view's every VM on the Windows host (vmsview.go)
	PaneDisks     // the disks view's disk per distro (diskview.go)
	PaneAdvice    // the disks view's how to get the selected disk's space back
	PaneTrash     // the disks view's trash
	PaneCatalog   // the catalogue view (catalogview.go)
	paneCount
)

func (p Pane) String() string { return panes[p].name }

// viewDef is one view's entry.
type viewDef struct {
	name string  // what View.String says
	key  viewKey // the key that opens it (KeyMap.Views holds the binding)

	panes  []Pane // what it shows, in drawing order: x order, so each screen row is written left to right
	focus  []Pane // the panes that take the keyboard, in tab order; the first has focus on opening
	layout func(l *Layout, body Rect, distros int)

	// What it fetches and when, each optional: open when it opens (what it shows is read
	// afresh), every each fetchEvery refreshes while it is open, refetch when the selected
	// distro or the backend's Info changes while it is open. (The processes and mounts panes
	// fetch whenever they are on screen, in whichever view: detailCmds, revealed.)
	open, every func(m *Model) []tea.Cmd
	refetch     func(m *Model) tea.Cmd
	// update is offered every message the root does not take itself, to take the answers to
	// its requests: their ids decide (so two views may share a message type), also after the
	// view closed.
	update func(m *Model, msg tea.Msg)
	// distroMemory: while it is open the backend looks at each distro's memory
	// (backend.MemoryWatcher), which costs work in the VM, so no other view asks for it.
	distroMemory bool

	// The keys of the view as a whole, whichever pane has focus (moving, the filter, the VM's),
	// as `?` groups them; its panes' own keys come from their entries (keysHere). footer is the
	// footer's view-wide keys by config name, in order, after the focused pane's; the last two
	// (help and quit) always stay.
	keys   []keyGroup
	footer []string
}

// viewKey is the default key that opens a view, its help text and its config name ([keys] in
// config.toml).
type viewKey struct{ name, key, help string }

// keyGroup is a titled group of keys by config name.
type keyGroup struct {
	title string
	keys  []string
}

// viewKeys are the keys every view takes, whichever pane has focus: they move the focused
// list or act on the VM, never on a row of another pane.
var viewKeys = []keyGroup{
	{"Move", []string{"up", "down", "page_up", "page_down", "top", "bottom", "focus_next", "focus_prev", "filter"}},
	{"VM", []string{"reclaim", "shutdown"}},
}

// vmFooter is the view-wide end of the footer of the views whose panes show the VM's figures.
var vmFooter = []string{"filter", "reclaim", "shutdown", "help", "quit"}

// The panes' own keys (their entries in panes).
var (
	distroKeys = []keyGroup{
		{"Distro", []string{"start", "terminate", "set_default", "shell", "keep", "release"}},
		{"Manage", []string{"export", "import", "clone", "unregister", "manage"}},
	}
	procKeys    = []keyGroup{{"Processes", []string{"kill", "sort", "all_processes"}}}
	trashKeys   = []keyGroup{{"Trash", []string{"restore", "purge"}}}
	catalogKeys = []keyGroup{{"Catalogue", []string{"install", "import"}}}
)

var views = [viewCount]viewDef{
	ViewOverview: {
		name:   "overview",
		key:    viewKey{"view_overview", "1", "overview"},
		panes:  []Pane{PaneDistros, PaneProcs, PaneMemory, PaneCPU, PaneMounts},
		focus:  []Pane{PaneDistros, PaneProcs, PaneMounts},
		layout: layoutOverview,
		footer: vmFooter,
		keys:   viewKeys,
	},
	ViewMemory: {
		name:   "memory",
		key:    viewKey{"view_memory", "2", "memory & reclaim"},
		panes:  []Pane{PaneDistros, PaneReclaim, PaneMemory, PaneEvents, PaneDistroMem},
		focus:  []Pane{PaneDistros},
		layout: layoutMemory,
		// The memory pane draws each distro's line here (pane_charts.go).
		distroMemory: true,
		footer:       vmFooter,
		keys:         viewKeys,
	},
	ViewProcesses: {
		name:   "processes",
		key:    viewKey{"view_processes", "3", "processes"},
		panes:  []Pane{PaneDistros, PaneProcs},
		focus:  []Pane{PaneProcs, PaneDistros},
		layout: layoutDetail(PaneProcs),
		footer: vmFooter,
		keys:   viewKeys,
	},
	ViewMounts: {
		name:   "mounts",
		key:    viewKey{"view_mounts", "4", "mounts"},
		panes:  []Pane{PaneDistros, PaneMounts},
		focus:  []Pane{PaneMounts, PaneDistros},
		layout: layoutDetail(PaneMounts),
		footer: vmFooter,
		keys:   viewKeys,
	},
	ViewConfig: {
		name:    "config",
		key:     viewKey{"view_config", "5", ".wslconfig & wsl.conf"},
		panes:   []Pane{PaneDistros, PaneWSLConfig, PaneWSLConf},
		focus:   []Pane{PaneWSLConfig, PaneWSLConf, PaneDistros},
		layout:  layoutConfig,
		open:    func(m *Model) []tea.Cmd { return []tea.Cmd{m.loadConfig()} }, // the files may have changed
		refetch: (*Model).loadConfig,                                           // another distro's wsl.conf; the demo's files follow its Info
		update:  answers((*Model).onConfig),
		footer:  vmFooter,
		keys:    viewKeys,
	},
	ViewPorts: {
		name:   "ports",
		key:    viewKey{"view_ports", "6", "ports"},
		panes:  []Pane{PanePorts},
		focus:  []Pane{PanePorts},
		layout: fullScreen(PanePorts),
		open:   func(m *Model) []tea.Cmd { return m.portsCmds(true) },
		every:  func(m *Model) []tea.Cmd { return m.portsCmds(false) },
		update: answers((*Model).onPorts),
		footer: vmFooter,
		keys:   viewKeys,
	},
	ViewVMs: {
		name:   "vms",
		key:    viewKey{"view_vms", "7", "VMs on the host"},
		panes:  []Pane{PaneVMs},
		focus:  []Pane{PaneVMs},
		layout: fullScreen(PaneVMs),
		open:   func(m *Model) []tea.Cmd { return m.vmsCmds(true) },
		every:  func(m *Model) []tea.Cmd { return m.vmsCmds(false) },
		update: answers((*Model).onVMs),
		footer: vmFooter,
		keys:   viewKeys,
	},
	ViewDisks: {
		name:   "disks",
		key:    viewKey{"view_disks", "8", "disks & trash"},
		panes:  []Pane{PaneDisks, PaneAdvice, PaneTrash},
		focus:  []Pane{PaneDisks, PaneTrash},
		layout: layoutDisks,
		open:   (*Model).openDisks,
		every:  func(m *Model) []tea.Cmd { return m.diskCmds(false) },
		update: answers((*Model).onDisks),
		footer: []string{"filter", "help", "quit"},
		keys:   viewKeys,
	},
	ViewCatalog: {
		name:   "catalogue",
		key:    viewKey{"view_catalog", "9", "install (catalogue)"},
		panes:  []Pane{PaneCatalog},
		focus:  []Pane{PaneCatalog},
		layout: fullScreen(PaneCatalog),
		open:   (*Model).catalogCmds, // on each open, never refreshed meanwhile
		update: answers((*Model).onCatalog),
		footer: []string{"filter", "help", "quit"},
		keys:   viewKeys,
	},
}

// paneDef is one pane's entry: its name, where the root model keeps it, and its keys.
type paneDef struct {
	name string
	of   func(m *Model) pane
	// moved runs after the root moved the pane's cursor (optional).
	moved func(m *Model) tea.Cmd

	// keys act on the pane's row under the cursor while it has focus, as `?` groups them;
	// footer is what the footer shows of them, first, while it has focus.
	keys   []keyGroup
	footer []string
	// reach: its keys also act while another pane of the view has focus, as long as it is on
	// screen (its highlighted row stays visible): the distro table's and the process list's.
	reach bool
	// handler is what takes its keys when that is not the pane itself (optional).
	handler func(m *Model) keyPane
}

var panes = [paneCount]paneDef{
	PaneNone: {name: "none"},
	PaneDistros: {name: "distros", of: func(m *Model) pane { return &m.distroPane },
		moved: func(m *Model) tea.Cmd { return m.selectionChanged(m.selected) }, // the cursor is the selection
		keys:  distroKeys, footer: []string{"start", "terminate", "shell", "set_default", "manage"}, reach: true},
	PaneMemory: {name: "memory", of: func(*Model) pane { return memoryPane{} }},
	PaneCPU:    {name: "cpu", of: func(*Model) pane { return cpuPane{} }},
	PaneProcs: {name: "processes", of: func(m *Model) pane { return &m.procPane },
		keys: procKeys, footer: []string{"kill", "sort", "all_processes"}, reach: true},
	PaneMounts:    {name: "mounts", of: func(m *Model) pane { return &m.mountPane }},
	PaneReclaim:   {name: "reclaim", of: func(*Model) pane { return reclaimPane{} }},
	PaneEvents:    {name: "events", of: func(*Model) pane { return eventsPane{} }},
	PaneWSLConfig: {name: "wslconfig", of: func(m *Model) pane { return &m.conf.wslconfig }},
	PaneWSLConf:   {name: "wsl.conf", of: func(m *Model) pane { return &m.conf.wslconf }},
	PanePorts:     {name: "ports", of: func(m *Model) pane { return m.ports }},
	PaneDistroMem: {name: "by distro", of: func(*Model) pane { return distroMemPane{} }},
	PaneVMs:       {name: "vms", of: func(m *Model) pane { return m.vms }},
	// The distro keys act on the disk under the cursor: moving it moves the distro selection.
	PaneDisks: {name: "disks", of: func(m *Model) pane { return &m.disk.disks }, moved: (*Model).followDisk,
		keys: distroKeys, footer: []string{"start", "terminate", "manage", "unregister", "export"}, reach: true,
		handler: func(m *Model) keyPane { return &m.distroPane }},
	PaneAdvice: {name: "reclaim advice", of: func(m *Model) pane { return m.disk.advice }},
	PaneTrash: {name: "trash", of: func(m *Model) pane { return &m.disk.trash },
		keys: trashKeys, footer: []string{"restore", "purge"}},
	PaneCatalog: {name: "catalogue", of: func(m *Model) pane { return m.catalog },
		keys: catalogKeys, footer: []string{"install", "import"}},
}

// viewState is the views' own state, embedded in the root model. Each is a pointer so that the
// model, copied with every message, stays small.
type viewState struct {
	conf    *configState  // the config view's files and its two panes (configview.go)
	ports   *portsState   // the ports view (portsview.go)
	vms     *vmsState     // the VMs view (vmsview.go)
	disk    *diskState    // the disks & trash view (diskview.go)
	catalog *catalogState // the catalogue view (catalogview.go)
}

func newViewState() viewState {
	conf := &configState{}
	conf.wslconfig.st, conf.wslconf.st, conf.wslconf.distro = conf, conf, true
	return viewState{conf: conf, ports: &portsState{}, vms: &vmsState{}, disk: newDiskState(), catalog: &catalogState{}}
}

// answers makes a view's handler of its answers of type T its entry's update.
func answers[T tea.Msg](f func(*Model, T)) func(*Model, tea.Msg) {
	return func(m *Model, msg tea.Msg) {
		if t, ok := msg.(T); ok {
			f(m, t)
		}
	}
}
