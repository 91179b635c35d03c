/* A stand-in for Windows' bcryptprimitives.dll, for Wine 8 only (Debian 12's wine64), which does
 * not ship it. Rust's standard library (1.78 and later) and the getrandom crate take the operating
 * system's randomness from its ProcessPrng, which every Windows 10 and later has; without this
 * file the kiosk's .exe does not even start under that Wine. Here ProcessPrng asks Wine's own
 * RtlGenRandom (advapi32's SystemFunction036), which reads the host's randomness. Only the test
 * prefix gets it (tests/it/windows.rs builds it with mingw-w64 into the prefix's system32); the
 * .exe a counter PC runs is not touched. Wine 9 and later have their own. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
