package wslconfig

import (
	"sort"
	"strings"
)

// Type is how WSL reads a key's value.
type Type string

const (
	TypeBool   Type = "bool"   // true/false/1/0, case-insensitive
	TypeInt    Type = "int"    // strtol base 0: 0x hex, leading-0 octal, sign allowed; 32-bit
	TypeSize   Type = "size"   // ParseMemorySize: digits + optional B,K,KB,M,MB,G,GB,T,TB (uppercase)
	TypeString Type = "string" // anything
	TypePath   Type = "path"   // a Windows path, written with escaped backslashes
	TypeEnum   Type = "enum"   // one of Values, case-insensitive
	TypeIP     Type = "ip"     // an IPv4 address (inet_pton AF_INET)
	TypeMAC    Type = "mac"    // six hex pairs separated by ':' or '-'
	TypePorts  Type = "ports"  // comma-separated ports 1-65535
)

// Key is one setting WSL knows.
type Key struct {
	// Name is the canonical section.key spelling (as in WSL's source), e.g. "wsl2.memory".
	Name string `json:"name"`
	// Aliases are other names WSL accepts for the same setting (e.g. the old
	// "experimental.networkingMode"); they share one value: the first one in the file wins.
	Aliases []string `json:"aliases,omitempty"`
	Type    Type     `json:"type"`
	// Default is WSL's code default in words (some depend on the host: "50% of host RAM").
	Default string `json:"default"`
	Doc     string `json:"doc"`
	// Values are the accepted values of an enum, in WSL's spelling.
	Values []string `json:"values,omitempty"`
}

// Section is the part of Name before the dot.
func (k Key) Section() string { s, _, _ := strings.Cut(k.Name, "."); return s }

// Short is the part of Name after the dot, as written in the file.
func (k Key) Short() string { _, s, _ := strings.Cut(k.Name, "."); return s }

func (k Key) matches(name string) bool {
	if strings.EqualFold(k.Name, name) {
		return true
	}
	for _, a := range k.Aliases {
		if strings.EqualFold(a, name) {
			return true
		}
	}
	return false
}

// validList is the enum's values as WSL lists them in its warning: sorted case-insensitively
// (a std::map with a case-insensitive comparator), joined by ", ".
func (k Key) validList() string {
	v := append([]string(nil), k.Values...)
	sort.Slice(v, func(i, j int) bool { return strings.ToLower(v[i]) < strings.ToLower(v[j]) })
	return strings.Join(v, ", ")
}

// wslconfigKeys is WSL@HEAD src/windows/service/exe/WslCoreConfig.{h,cpp} (the ConfigKey list and
// the Config struct defaults), with the docs from wsl-config.md. See wsl-facts.md §4.2.
var wslconfigKeys = []Key{
	{Name: "wsl2.memory", Type: TypeSize, Default: "50% of host RAM", Doc: "Memory the VM may use; clamped to [256MB, host RAM]. Example: 8GB"},
	{Name: "wsl2.processors", Type: TypeInt, Default: "all logical processors", Doc: "Virtual processors; more than the host has is capped (with a warning)"},
	{Name: "wsl2.swap", Type: TypeSize, Default: "25% of memory, rounded up to a whole GB", Doc: "Swap size; 0 = no swap file"},
	{Name: "wsl2.swapFile", Type: TypePath, Default: `%TEMP%\<VM id>\swap.vhdx`, Doc: "Windows path of the swap VHD (escape backslashes: C:\\\\temp\\\\swap.vhdx)"},
	{Name: "wsl2.kernel", Type: TypePath, Default: "the inbox kernel", Doc: "Windows path of a custom Linux kernel"},
	{Name: "wsl2.kernelCommandLine", Type: TypeString, Default: "", Doc: "Extra kernel command-line arguments"},
	{Name: "wsl2.kernelModules", Type: TypePath, Default: "", Doc: "Windows path of a custom kernel modules VHD"},
	{Name: "wsl2.localhostForwarding", Type: TypeBool, Default: "true", Doc: "Forward wildcard/localhost ports in the VM to the host's localhost (NAT mode)"},
	{Name: "wsl2.nestedVirtualization", Type: TypeBool, Default: "true on Windows 11 x64", Doc: "Allow nested virtualization in the VM"},
	{Name: "wsl2.networkingMode", Aliases: []string{"experimental.networkingMode"}, Type: TypeEnum, Default: "Nat", Doc: "Networking mode (a machine policy can override it)", Values: []string{"None", "Nat", "Bridged", "Mirrored", "VirtioProxy", "Consomme"}},
	{Name: "wsl2.dnsTunneling", Aliases: []string{"experimental.dnsTunneling"}, Type: TypeBool, Default: "true", Doc: "Answer DNS requests through a virtualization feature instead of the network"},
	{Name: "wsl2.firewall", Aliases: []string{"experimental.firewall"}, Type: TypeBool, Default: "true", Doc: "Apply Hyper-V firewall rules to WSL traffic"},
	{Name: "wsl2.autoProxy", Aliases: []string{"experimental.autoProxy"}, Type: TypeBool, Default: "true", Doc: "Use Windows' HTTP proxy settings in WSL"},
	{Name: "wsl2.vmIdleTimeout", Type: TypeInt, Default: "60000", Doc: "Milliseconds the VM stays up with no distro running; <0 = never stop"},
	{Name: "wsl2.guiApplications", Type: TypeBool, Default: "true", Doc: "WSLg: run Linux GUI applications"},
	{Name: "wsl2.gpuSupport", Type: TypeBool, Default: "true", Doc: "GPU access (/dev/dxg) in the VM"},
	{Name: "wsl2.defaultVhdSize", Type: TypeSize, Default: "1TB", Doc: "Maximum size of new distro disks (ext4.vhdx)"},
	{Name: "wsl2.virtiofs", Type: TypeBool, Default: "false", Doc: "Use virtiofs instead of 9p for Windows drives"},
	{Name: "wsl2.virtio9p", Type: TypeBool, Default: "false", Doc: "Ignored by current WSL (forced off)"},
	{Name: "wsl2.virtio", Type: TypeBool, Default: "true (false on Windows 10 arm64)", Doc: "Use virtio devices"},
	{Name: "wsl2.safeMode", Type: TypeBool, Default: "false", Doc: "Start WSL with many features off, for recovery"},
	{Name: "wsl2.debugConsole", Type: TypeBool, Default: "false", Doc: "Open a console window with the VM's kernel log"},
	{Name: "wsl2.debugConsoleLogFile", Type: TypePath, Default: "", Doc: "Windows path where the kernel log is written"},
	{Name: "wsl2.earlyBootLogging", Type: TypeBool, Default: "false (true with the debug console)", Doc: "Log early kernel boot messages"},
	{Name: "wsl2.kernelDebugPort", Type: TypeInt, Default: "0", Doc: "COM port for a kernel debugger; 0 = none"},
	{Name: "wsl2.kernelBootTimeout", Type: TypeInt, Default: "30000", Doc: "Milliseconds to wait for the kernel to boot"},
	{Name: "wsl2.distributionStartTimeout", Type: TypeInt, Default: "60000", Doc: "Milliseconds to wait for a distro to start"},
	{Name: "wsl2.mountDeviceTimeout", Type: TypeInt, Default: "5000", Doc: "Milliseconds to wait for a device to mount"},
	{Name: "wsl2.hostFileSystemAccess", Type: TypeBool, Default: "true", Doc: "Let the VM reach the Windows file system"},
	{Name: "wsl2.hardwarePerformanceCounters", Type: TypeBool, Default: "true on x64", Doc: "Expose hardware performance counters to the VM"},
	{Name: "wsl2.vmSwitch", Type: TypeString, Default: "", Doc: "Hyper-V switch for bridged networking"},
	{Name: "wsl2.macAddress", Type: TypeMAC, Default: "random (bridged mode)", Doc: "MAC address of the VM's network adapter"},
	{Name: "wsl2.dhcp", Type: TypeBool, Default: "true", Doc: "Use DHCP in bridged mode"},
	{Name: "wsl2.dhcpTimeout", Type: TypeInt, Default: "5000", Doc: "Milliseconds to wait for DHCP"},
	{Name: "wsl2.ipv6", Type: TypeBool, Default: "false", Doc: "IPv6 in bridged mode"},
	{Name: "wsl2.dnsProxy", Type: TypeBool, Default: "true", Doc: "NAT mode: point the VM's DNS at a proxy on the host"},
	{Name: "wsl2.systemDistro", Type: TypePath, Default: "the inbox system distro", Doc: "Windows path of a custom system distro (WSLg)"},
	{Name: "wsl2.telemetry", Type: TypeBool, Default: "true (official builds)", Doc: "Send telemetry"},
	{Name: "wsl2.crashDumpFolder", Type: TypePath, Default: `%TEMP%\wsl-crashes`, Doc: "Where VM crash dumps go"},
	{Name: "wsl2.maxCrashDumpCount", Type: TypeInt, Default: "10", Doc: "Crash dumps kept; <0 = none"},
	{Name: "wsl2.loadDefaultKernelModules", Type: TypeBool, Default: "true", Doc: "Load tun, ip_tables and br_netfilter at boot"},
	{Name: "wsl2.loadKernelModules", Type: TypeString, Default: "", Doc: "Comma-separated extra kernel modules to load at boot"},
	{Name: "general.instanceIdleTimeout", Type: TypeInt, Default: "15000", Doc: "Milliseconds a distro stays up after its last process exits; <0 = never"},
	{Name: "general.distributionInstallPath", Type: TypePath, Default: `%LOCALAPPDATA%\wsl`, Doc: "Where new distros are installed"},
	{Name: "experimental.autoMemoryReclaim", Type: TypeEnum, Default: "DropCache", Doc: "Give idle page cache back to Windows: Disabled, Gradual or DropCache (only valid under [experimental])", Values: []string{"Disabled", "Gradual", "DropCache"}},
	{Name: "experimental.sparseVhd", Type: TypeBool, Default: "false", Doc: "Create new disks as sparse VHDs (ignored by current WSL)"},
	{Name: "experimental.hostAddressLoopback", Type: TypeBool, Default: "false", Doc: "Mirrored mode: let the host and the VM reach each other through the host's addresses"},
	{Name: "experimental.ignoredPorts", Type: TypePorts, Default: "", Doc: "Mirrored mode: comma-separated ports Linux may bind even if Windows uses them"},
	{Name: "experimental.bestEffortDnsParsing", Type: TypeBool, Default: "false", Doc: "DNS tunneling: resolve the question even when other records are unknown"},
	{Name: "experimental.dnsTunnelingIpAddress", Type: TypeIP, Default: "10.255.255.254", Doc: "DNS tunneling: the nameserver address in the VM"},
	{Name: "experimental.initialAutoProxyTimeout", Type: TypeInt, Default: "1000", Doc: "Milliseconds to wait for proxy settings at start"},
	{Name: "experimental.setVersionDebug", Type: TypeBool, Default: "false", Doc: "Debug logging for wsl --set-version"},
}

// wslconfKeys is /etc/wsl.conf (WSL@HEAD src/linux/init/WslDistributionConfig.{h,cpp}; wsl-facts.md §4.3).
var wslconfKeys = []Key{
	{Name: "automount.enabled", Type: TypeBool, Default: "true", Doc: "Mount Windows drives under automount.root"},
	{Name: "automount.root", Type: TypeString, Default: "/mnt", Doc: "Where Windows drives are mounted"},
	{Name: "automount.options", Type: TypeString, Default: "", Doc: "DrvFs mount options (uid, gid, umask, fmask, dmask, metadata, case)"},
	{Name: "automount.mountFsTab", Type: TypeBool, Default: "true", Doc: "Process /etc/fstab at start"},
	{Name: "automount.ldconfig", Type: TypeBool, Default: "true", Doc: "Run ldconfig for the Windows GPU libraries"},
	{Name: "automount.cgroups", Type: TypeEnum, Default: "v2", Doc: "cgroup hierarchy", Values: []string{"v1", "v2"}},
	{Name: "filesystem.umask", Type: TypeInt, Default: "0022", Doc: "umask of processes started by init"},
	{Name: "interop.enabled", Type: TypeBool, Default: "true", Doc: "Run Windows programs from Linux"},
	{Name: "interop.appendWindowsPath", Type: TypeBool, Default: "true", Doc: "Append the Windows PATH to $PATH"},
	{Name: "network.generateHosts", Type: TypeBool, Default: "true", Doc: "Generate /etc/hosts"},
	{Name: "network.generateResolvConf", Type: TypeBool, Default: "true", Doc: "Generate /etc/resolv.conf"},
	{Name: "network.hostname", Type: TypeString, Default: "the Windows host name", Doc: "Host name of the distro"},
	{Name: "time.useWindowsTimezone", Type: TypeBool, Default: "true", Doc: "Follow the Windows time zone"},
	{Name: "fileServer.enabled", Type: TypeBool, Default: "true", Doc: "Serve \\\\wsl$ to Windows"},
	{Name: "fileServer.logFile", Type: TypeString, Default: "", Doc: "Log file of the \\\\wsl$ server"},
	{Name: "fileServer.logLevel", Type: TypeInt, Default: "not set", Doc: "Log level of the \\\\wsl$ server"},
	{Name: "fileServer.logTruncate", Type: TypeBool, Default: "not set", Doc: "Truncate the \\\\wsl$ server log at start"},
	{Name: "gpu.enabled", Type: TypeBool, Default: "true", Doc: "GPU access in the distro"},
	{Name: "gpu.appendLibPath", Type: TypeBool, Default: "true", Doc: "Add the Windows GPU libraries to the library path"},
	{Name: "user.default", Type: TypeString, Default: "the user created at install", Doc: "User a shell starts as"},
	{Name: "boot.command", Type: TypeString, Default: "", Doc: "Command run as root when the distro starts"},
	{Name: "boot.systemd", Type: TypeBool, Default: "false", Doc: "Run systemd as PID 1"},
	{Name: "boot.initTimeout", Type: TypeInt, Default: "10000", Doc: "Milliseconds to wait for systemd"},
	{Name: "boot.protectBinfmt", Type: TypeBool, Default: "true", Doc: "Keep systemd from removing the WSL binfmt entries"},
	{Name: "general.guiApplications", Type: TypeBool, Default: "false", Doc: "WSLg for this distro (the VM-wide switch is in .wslconfig)"},
}

// Keys returns the .wslconfig keys WSL knows, with their code defaults and one-line docs.
func Keys() []Key { return cloneKeys(wslconfigKeys) }

// WSLConfKeys returns the /etc/wsl.conf keys WSL knows.
func WSLConfKeys() []Key { return cloneKeys(wslconfKeys) }

func cloneKeys(ks []Key) []Key {
	out := make([]Key, len(ks))
	copy(out, ks)
	return out
}

// Lookup finds a .wslconfig key by any of its names, case-insensitively.
func Lookup(name string) (Key, bool) { return lookupIn(wslconfigKeys, name) }

func lookupIn(ks []Key, name string) (Key, bool) {
	for _, k := range ks {
		if k.matches(name) {
			return k, true
		}
	}
	return Key{}, false
}
