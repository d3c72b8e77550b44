/* Finding what a native link needs: ld.lld, the C runtime start files and
 * libc (the way `cc -print-file-name=` finds them, without running cc), and
 * wasmc's own runtime libraries. */
#ifndef WASMC_DRIVER_TOOLCHAIN_H
#define WASMC_DRIVER_TOOLCHAIN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Toolchain {
    char ld[4096];      /* ld.lld ($WASMC_LD overrides) */
    char libdir[4096];  /* where libc.so / libc.a / crt1.o live */
    char gccdir[4096];  /* where crtbegin*.o and libgcc.a live */
    char rtdir[4096];   /* libwasmc_rt.a and libwasmc_wasi.a ($WASMC_RT_DIR overrides) */
    char dynlinker[256];
} Toolchain;

/* Fills tc; prints a diagnostic and returns false when something is missing. */
bool toolchain_find(Toolchain *tc, bool is_static);

#endif
