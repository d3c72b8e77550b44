/* wasmc_wasi_config.h - the WASI capabilities baked into a standalone executable.
 *
 * `wasmc app.wasm -o app --dir HOST[::GUEST] --env NAME[=VAL] --inherit-env` makes the
 * driver emit ONE data object, a strong definition of
 *
 *     const WasmcWasiConfig wasmc_wasi_config;
 *
 * (plus the string data and the three pointer arrays it points to, with absolute
 * relocations: R_X86_64_64 / R_AARCH64_ABS64; it may live in .data.rel.ro).  The WASI
 * glue (wasi_glue.c) references the symbol WEAKLY: an executable without it gets no
 * preopens and no environment (only argv and stdio), i.e. the least capability.
 *
 * Layout (LP64, pinned by the _Static_asserts below; no unions, no padding):
 *
 *     offset  size  field
 *          0     4  version     WASMC_WASI_CONFIG_VERSION (1); another value is refused
 *          4     4  flags       WASMC_WASI_INHERIT_ENV | WASMC_WASI_NO_OVERRIDE
 *          8     4  ndirs       number of --dir options
 *         12     4  nenvs       number of --env options
 *         16     8  dir_hosts   -> const char *[ndirs], HOST paths as written on the
 *                               command line (relative ones are relative to the cwd at
 *                               run time); NULL if ndirs == 0
 *         24     8  dir_guests  -> const char *[ndirs], GUEST paths; an entry may be NULL
 *                               (no "::GUEST": the guest sees HOST, as in wasmtime);
 *                               the array pointer itself may be NULL (all entries NULL)
 *         32     8  envs        -> const char *[nenvs], each "NAME=VAL" (granted with that
 *                               value) or "NAME" (granted with NAME's value in the
 *                               environment at run time, skipped if unset);
 *                               NULL if nenvs == 0
 *     total 40 bytes, 8-byte aligned.  Strings are NUL-terminated UTF-8.
 *
 * Order matters: preopens become guest fds 3, 4, ... in dir order; environment entries
 * keep --env order (a later entry for the same NAME replaces an earlier one in place).
 */
#ifndef WASMC_WASI_CONFIG_H
#define WASMC_WASI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMC_WASI_CONFIG_VERSION 1u

enum {
    /* --inherit-env: the guest sees the whole host environment (then the --env entries). */
    WASMC_WASI_INHERIT_ENV = 1u << 0,
    /* Ignore the run-time override variables WASMC_DIR / WASMC_ENV (see README.md). */
    WASMC_WASI_NO_OVERRIDE = 1u << 1,
};

typedef struct WasmcWasiConfig {
    uint32_t version;
    uint32_t flags;
    uint32_t ndirs;
    uint32_t nenvs;
    const char *const *dir_hosts;
    const char *const *dir_guests;
    const char *const *envs;
} WasmcWasiConfig;

#if !defined(__cplusplus) && (defined(__LP64__) || defined(_WIN64))
_Static_assert(offsetof(WasmcWasiConfig, flags) == 4, "layout is ABI");
_Static_assert(offsetof(WasmcWasiConfig, ndirs) == 8, "layout is ABI");
_Static_assert(offsetof(WasmcWasiConfig, nenvs) == 12, "layout is ABI");
_Static_assert(offsetof(WasmcWasiConfig, dir_hosts) == 16, "layout is ABI");
_Static_assert(offsetof(WasmcWasiConfig, dir_guests) == 24, "layout is ABI");
_Static_assert(offsetof(WasmcWasiConfig, envs) == 32, "layout is ABI");
_Static_assert(sizeof(WasmcWasiConfig) == 40, "layout is ABI");
#endif

/* Emitted by the driver; weak here so that its absence means "no capabilities". */
extern const WasmcWasiConfig wasmc_wasi_config __attribute__((weak));

#ifdef __cplusplus
}
#endif

#endif /* WASMC_WASI_CONFIG_H */
