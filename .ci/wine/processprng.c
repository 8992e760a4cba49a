/*
 * bcryptprimitives.dll for Wine 8.0 (Debian 12), which has none.
 *
 * Every Go >= 1.22 Windows program fills its random state from
 * ProcessPrng in bcryptprimitives.dll at start and dies with "fatal error:
 * bcryptprimitives.dll not found" where it is missing. Windows 10 and 11
 * have it; this stand-in exists only so that `make windows-smoke` can run
 * tenken.exe under Wine. It is never shipped to a town.
 *
 * The bytes come from advapi32's SystemFunction036 (RtlGenRandom), the
 * system CSPRNG that Go itself used before 1.22.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	/* RtlGenRandom takes a 32-bit length; feed it in chunks. */
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	(void)inst; (void)reason; (void)reserved;
	return TRUE;
}
