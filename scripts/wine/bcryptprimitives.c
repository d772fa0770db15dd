/* A stand-in for bcryptprimitives.dll on Wine 8, which lacks it (newer Wine has it).
 * Go >= 1.22 programs need its ProcessPrng at start; this one fills the buffer with
 * advapi32's RtlGenRandom (SystemFunction036), in chunks below 4 GiB.
 * Used only by scripts/test-windows, and only where the Wine in use has no such DLL. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	(void)inst; (void)reason; (void)reserved;
	return TRUE;
}

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x80000000u ? 0x80000000u : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
