package demo

import (
	"fmt"

	"github.com/wsldash/wsldash/backend"
)

const profile = `C:\Users\dev\AppData\Local`

func initialDistros() []*simDistro {
	return []*simDistro{
		{
			Distro: backend.Distro{Name: "Ubuntu-24.04", State: backend.StateRunning, Version: 2, Default: true,
				BasePath: profile + `\wsl\{3f2a8c1e-5b7d-4e0a-9c61-2d8f4b7a1e90}`,
				DiskPath: profile + `\wsl\{3f2a8c1e-5b7d-4e0a-9c61-2d8f4b7a1e90}` + `\ext4.vhdx`, DiskBytes: 38_654_705_664},
			base: 210 * mib,
			// An editor's language servers idle along; a build runs every 15 minutes. Offset puts
			// one in progress (started 30 s before) when the dashboard opens after a 10-minute
			// warm-up, so the first screen shows CPU and page cache climbing.
			work: workload{Period: 900, Busy: 60, Offset: 330, BusyCPU: 260, IdleCPU: 0.25,
				BusyAnon: 1536 * mib, BusyCacheRate: 36 * mib, IdleCacheRate: 96 * kib, BootCache: 180 * mib},
			cache: 1900 * mib,
			procs: []simProc{
				{pid: 1, name: "systemd", user: "root", rss: 12 * mib, idle: 0.05},
				{pid: 2, name: "init-systemd(Ub", user: "root", rss: 2 * mib},
				{pid: 312, name: "systemd-journal", user: "root", rss: 18 * mib, idle: 0.02},
				{pid: 498, name: "cron", user: "root", rss: 3 * mib},
				{pid: 1022, name: "bash", user: "dev", rss: 5 * mib},
				{pid: 1187, name: "node", user: "dev", rss: 310 * mib, idle: 0.3, cpu: 0.1},
				{pid: 1203, name: "gopls", user: "dev", rss: 420 * mib, idle: 0.2, cpu: 0.05},
				{pid: 2410, name: "npm run build", user: "dev", rss: 96 * mib, cpu: 0.15, busy: true},
				{pid: 2431, name: "node", user: "dev", rss: 180 * mib, cpu: 0.55, busy: true},
				{pid: 2433, name: "esbuild", user: "dev", rss: 64 * mib, cpu: 0.25, busy: true},
			},
		},
		{
			Distro: backend.Distro{Name: "docker-desktop", State: backend.StateRunning, Version: 2,
				BasePath: profile + `\Docker\wsl\main`,
				DiskPath: profile + `\Docker\wsl\main` + `\ext4.vhdx`, DiskBytes: 1_342_177_280},
			base: 640 * mib,
			work: workload{Period: 1200, Busy: 20, Offset: 1000, BusyCPU: 90, IdleCPU: 0.1,
				BusyCacheRate: 64 * mib, IdleCacheRate: 64 * kib, BootCache: 240 * mib},
			cache: 1200 * mib,
			procs: []simProc{
				{pid: 1, name: "init", user: "root", rss: 1 * mib},
				{pid: 84, name: "dockerd", user: "root", rss: 96 * mib, idle: 0.05, cpu: 0.3},
				{pid: 97, name: "containerd", user: "root", rss: 48 * mib, idle: 0.03, cpu: 0.2},
				{pid: 410, name: "postgres", user: "999", rss: 142 * mib, idle: 0.02, cpu: 0.2, handlesTerm: true},
				{pid: 455, name: "redis-server", user: "999", rss: 22 * mib, idle: 0.01, cpu: 0.05},
				{pid: 512, name: "vpnkit-bridge", user: "root", rss: 18 * mib},
				{pid: 3120, name: "docker-buildx", user: "root", rss: 120 * mib, cpu: 0.25, busy: true},
			},
		},
		{
			Distro: backend.Distro{Name: "Debian", State: backend.StateStopped, Version: 2,
				BasePath: profile + `\wsl\{8b1d0e62-19c4-4a3f-b0d2-6e5f7a9c3b14}`,
				DiskPath: profile + `\wsl\{8b1d0e62-19c4-4a3f-b0d2-6e5f7a9c3b14}` + `\ext4.vhdx`, DiskBytes: 2_147_483_648},
			base: 48 * mib,
			work: workload{Period: 240, Busy: 15, Offset: 0, BusyCPU: 40, IdleCPU: 0.02,
				BusyCacheRate: 8 * mib, BootCache: 96 * mib},
			procs: []simProc{
				{pid: 1, name: "init", user: "root", rss: 1 * mib},
				{pid: 7, name: "bash", user: "dev", rss: 4 * mib},
				{pid: 88, name: "apt-get", user: "root", rss: 40 * mib, cpu: 0.8, busy: true},
			},
		},
		{
			Distro: backend.Distro{Name: "kali-linux", State: backend.StateStopped, Version: 2,
				BasePath: profile + `\Packages\KaliLinux.54290C8133FEE_ey8k8hqnwqnmg\LocalState`,
				DiskPath: profile + `\Packages\KaliLinux.54290C8133FEE_ey8k8hqnwqnmg\LocalState` + `\ext4.vhdx`, DiskBytes: 6_979_321_856},
			base: 72 * mib,
			work: workload{Period: 200, Busy: 25, Offset: 60, BusyCPU: 120, IdleCPU: 0.05,
				BusyCacheRate: 20 * mib, BootCache: 140 * mib},
			procs: []simProc{
				{pid: 1, name: "init", user: "root", rss: 1 * mib},
				{pid: 9, name: "zsh", user: "kali", rss: 6 * mib},
				{pid: 140, name: "nmap", user: "kali", rss: 60 * mib, cpu: 0.9, busy: true},
			},
		},
		{
			Distro: backend.Distro{Name: "Ubuntu-18.04", State: backend.StateStopped, Version: 1,
				BasePath: profile + `\Packages\CanonicalGroupLimited.Ubuntu18.04onWindows_79rhkp1fndgsc\LocalState`},
			// WSL 1 runs no VM: its processes are Windows' (pico processes), not the VM's.
			work:  workload{},
			procs: []simProc{{pid: 1, name: "init", user: "root", rss: 1 * mib}, {pid: 8, name: "bash", user: "dev", rss: 3 * mib}},
		},
		{
			Distro: backend.Distro{Name: "openSUSE-Tumbleweed", State: backend.StateInstalling, Version: 2,
				BasePath: profile + `\wsl\{c4e9a7b2-0d13-4f6e-8a25-91b3d6e0f7c8}`},
		},
	}
}

func mountsFor(d *simDistro) []backend.Mount {
	if d.Version == 1 {
		return []backend.Mount{
			{Source: "rootfs", Target: "/", FSType: "lxfs", Options: "rw,noatime", Kind: backend.MountOther, Distro: d.Name},
			{Source: `C:\`, Target: "/mnt/c", FSType: "drvfs", Options: "rw,noatime,uid=1000,gid=1000,case=off", Kind: backend.MountDrvfs, Distro: d.Name},
		}
	}
	dev := "/dev/sdd"
	switch d.Name {
	case "docker-desktop":
		dev = "/dev/sde"
	case "kali-linux":
		dev = "/dev/sdf"
	case "Debian":
		dev = "/dev/sdg"
	}
	m := []backend.Mount{
		{Source: dev, Target: "/", FSType: "ext4", Options: "rw,relatime,discard,errors=remount-ro,data=ordered", Kind: backend.MountDisk},
		{Source: "none", Target: "/mnt/wsl", FSType: "tmpfs", Options: "rw,relatime", Kind: backend.MountOther},
		{Source: "drivers", Target: "/usr/lib/wsl/drivers", FSType: "9p", Options: "ro,nosuid,nodev,noatime,aname=drivers;fmask=222;dmask=222,mmap,access=client,msize=65536,trans=fd,rfd=7,wfd=7", Kind: backend.MountPlan9},
		{Source: "none", Target: "/mnt/wslg", FSType: "tmpfs", Options: "rw,relatime", Kind: backend.MountOther},
		{Source: dev, Target: "/mnt/wslg/distro", FSType: "ext4", Options: "ro,relatime,discard,errors=remount-ro,data=ordered", Kind: backend.MountDisk},
		{Source: `C:\`, Target: "/mnt/c", FSType: "9p", Options: `rw,noatime,dirsync,aname=drvfs;path=C:\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,msize=65536,trans=fd,rfd=5,wfd=5`, Kind: backend.MountDrvfs},
		{Source: `D:\`, Target: "/mnt/d", FSType: "9p", Options: `rw,noatime,dirsync,aname=drvfs;path=D:\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,msize=65536,trans=fd,rfd=5,wfd=5`, Kind: backend.MountDrvfs},
	}
	if d.Name == "Ubuntu-24.04" {
		// A disk attached with `wsl --mount --vhd D:\data.vhdx --name data`.
		m = append(m, backend.Mount{Source: "/dev/sdh1", Target: "/mnt/wsl/data", FSType: "ext4", Options: "rw,relatime", Kind: backend.MountDisk})
	}
	if d.Name == "docker-desktop" {
		m = append(m, backend.Mount{Source: "drvfsC0", Target: "/mnt/host/c", FSType: "virtiofs", Options: "rw,relatime", Kind: backend.MountVirtiofs})
	}
	for i := range m {
		m[i].Distro = d.Name
	}
	return m
}

// String is for debugging the simulation.
func (s *sim) String() string {
	g := s.guest()
	return fmt.Sprintf("t=%ds vm=%v used=%dMiB cache=%dMiB free=%dMiB host=%dMiB cpu=%.1f%%",
		s.step, s.vmUp, g.UsedBytes/mib, g.CacheBytes/mib, g.FreeBytes/mib, s.vmHost/mib, s.cpu)
}
