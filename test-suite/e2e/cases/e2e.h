/* e2e.h — shared helpers of the end-to-end harnesses (one C file per case,
 * linked with the case's compiled object and libwasmc_rt.a). */
#ifndef WASMC_E2E_H
#define WASMC_E2E_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmc_rt.h"

static int e2e_failures;

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            e2e_failures++;                                                       \
        }                                                                         \
    } while (0)

/* Instantiates desc or exits with the runtime's message. */
static inline WasmcInstance *e2e_instantiate(const WasmcModuleDesc *desc, WasmcResolveFn resolve, void *user)
{
    WasmcInstance *inst = NULL;
    WasmcTrap trap = WASMC_TRAP_NONE;
    WasmcStatus st = wasmc_rt_instantiate(desc, resolve, user, &inst, &trap);
    if (st != WASMC_OK) {
        fprintf(stderr, "instantiate failed (%d, trap %d): %s\n", (int)st, (int)trap, wasmc_rt_error_message());
        exit(1);
    }
    return inst;
}

/* The storage of global export `name`. */
static inline WasmcVal *e2e_global(WasmcInstance *inst, const char *name)
{
    WasmcExtern x;
    if (!wasmc_rt_instance_export(inst, name, &x) || x.kind != WASMC_EXTERN_GLOBAL) {
        fprintf(stderr, "no global export %s\n", name);
        exit(1);
    }
    return x.u.global.storage;
}

static inline int e2e_done(const char *name)
{
    if (e2e_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, e2e_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

#endif
