/*
 * TEST-ONLY stand-in for bcryptprimitives.dll, which Wine 8.0 lacks (Wine 8.13 added it)
 * and Rust's standard library imports since 1.78 (ProcessPrng, Windows 10 and later).
 * scripts/windows/wine.sh installs it into the suite's private Wine prefix only. It is
 * never shipped and no user needs it: every Windows 10 / Server 2016 has the real one.
 * ProcessPrng fills the buffer from RtlGenRandom (advapi32's SystemFunction036).
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved) {
    (void)inst;
    (void)reason;
    (void)reserved;
    return TRUE;
}
