/* wasmc_wasi_glue.h - compiled-code imports bound to the WASI shim.
 *
 * For every import "wasi_snapshot_preview1".NAME and "wasi_unstable".NAME the glue
 * (wasi_glue.c) defines the host function the compiler binds by symbol name
 * (wasmc_rt.h section 5), with the runtime calling convention:
 *
 *     int32_t wasmc_import_wasi_snapshot_preview1_fd_write(void *env, WasmcVmctx *caller,
 *                                                         int32_t fd, int32_t iovs,
 *                                                         int32_t iovs_len, int32_t nwritten);
 *
 * i32 -> int32_t, i64 -> int64_t, result = the WASI errno (proc_exit returns nothing).
 * The definitions are WEAK, so a native object linked into the program may replace any
 * one of them with its own strong definition.
 *
 * Context.  `env` is the WasiCtx * to use when the import was bound by a resolver
 * (wasmc_wasi_resolve, WasmcExtern.func.env); functions bound by symbol name get
 * env == NULL and use the process-wide context: the one wasmc_wasi_init built (standalone
 * programs), or the one set with wasmc_wasi_set_ctx, or else a default context made on
 * first use (stdio only: no args, no environment, no preopens).
 *
 * Memory.  Guest pointers refer to memory 0 of the CALLING instance (caller vmctx),
 * re-read on every call (memory.grow may move it).  A caller without any memory gets an
 * empty view: every call that touches guest memory fails with EFAULT, calls that do not
 * (fd_close, sched_yield, proc_exit, ...) work.  (Wasmtime instead traps on any WASI call
 * from a module that exports no "memory"; we use memory 0 whether exported or not.)
 *
 * Linking.  All import functions and wasmc_wasi_init live in ONE object file, and every
 * reference to them from compiled code and from the runtime is weak, which does not pull
 * a member out of an archive: the driver links libwasmc_wasi.a with `-u wasmc_wasi_init`
 * (or --whole-archive) ahead of the archive.
 */
#ifndef WASMC_WASI_GLUE_H
#define WASMC_WASI_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#include "wasi_shim.h"
#include "wasmc_rt.h"
#include "wasmc_wasi_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* WASMC_WASI_FUNCS(X): one X(name, unstable, result, nparams, (params)) per preview1
 * function, in witx order of parameters:
 *   unstable  same   - "wasi_unstable".name also exists and binds to wasi_<name>
 *             own    - "wasi_unstable".name binds to wasi_unstable_<name> (layout differs)
 *             absent - not part of wasi_unstable
 *   result    i32 (an errno) or none (proc_exit)
 *   params    i32 / i64, the wasm parameter types
 * 46 preview1 functions, 45 wasi_unstable ones. */
#define WASMC_WASI_FUNCS(X)                                                          \
    X(args_get, same, i32, 2, (i32, i32))                                            \
    X(args_sizes_get, same, i32, 2, (i32, i32))                                      \
    X(environ_get, same, i32, 2, (i32, i32))                                         \
    X(environ_sizes_get, same, i32, 2, (i32, i32))                                   \
    X(clock_res_get, same, i32, 2, (i32, i32))                                       \
    X(clock_time_get, same, i32, 3, (i32, i64, i32))                                 \
    X(fd_advise, same, i32, 4, (i32, i64, i64, i32))                                 \
    X(fd_allocate, same, i32, 3, (i32, i64, i64))                                    \
    X(fd_close, same, i32, 1, (i32))                                                 \
    X(fd_datasync, same, i32, 1, (i32))                                              \
    X(fd_fdstat_get, same, i32, 2, (i32, i32))                                       \
    X(fd_fdstat_set_flags, same, i32, 2, (i32, i32))                                 \
    X(fd_fdstat_set_rights, same, i32, 3, (i32, i64, i64))                           \
    X(fd_filestat_get, own, i32, 2, (i32, i32))                                      \
    X(fd_filestat_set_size, same, i32, 2, (i32, i64))                                \
    X(fd_filestat_set_times, same, i32, 4, (i32, i64, i64, i32))                     \
    X(fd_pread, same, i32, 5, (i32, i32, i32, i64, i32))                             \
    X(fd_prestat_get, same, i32, 2, (i32, i32))                                      \
    X(fd_prestat_dir_name, same, i32, 3, (i32, i32, i32))                            \
    X(fd_pwrite, same, i32, 5, (i32, i32, i32, i64, i32))                            \
    X(fd_read, same, i32, 4, (i32, i32, i32, i32))                                   \
    X(fd_readdir, same, i32, 5, (i32, i32, i32, i64, i32))                           \
    X(fd_renumber, same, i32, 2, (i32, i32))                                         \
    X(fd_seek, own, i32, 4, (i32, i64, i32, i32))                                    \
    X(fd_sync, same, i32, 1, (i32))                                                  \
    X(fd_tell, same, i32, 2, (i32, i32))                                             \
    X(fd_write, same, i32, 4, (i32, i32, i32, i32))                                  \
    X(path_create_directory, same, i32, 3, (i32, i32, i32))                          \
    X(path_filestat_get, own, i32, 5, (i32, i32, i32, i32, i32))                     \
    X(path_filestat_set_times, same, i32, 7, (i32, i32, i32, i32, i64, i64, i32))    \
    X(path_link, same, i32, 7, (i32, i32, i32, i32, i32, i32, i32))                  \
    X(path_open, same, i32, 9, (i32, i32, i32, i32, i32, i64, i64, i32, i32))        \
    X(path_readlink, same, i32, 6, (i32, i32, i32, i32, i32, i32))                   \
    X(path_remove_directory, same, i32, 3, (i32, i32, i32))                          \
    X(path_rename, same, i32, 6, (i32, i32, i32, i32, i32, i32))                     \
    X(path_symlink, same, i32, 5, (i32, i32, i32, i32, i32))                         \
    X(path_unlink_file, same, i32, 3, (i32, i32, i32))                               \
    X(poll_oneoff, own, i32, 4, (i32, i32, i32, i32))                                \
    X(proc_exit, same, none, 1, (i32))                                               \
    X(proc_raise, same, i32, 1, (i32))                                               \
    X(sched_yield, same, i32, 0, ())                                                 \
    X(random_get, same, i32, 2, (i32, i32))                                          \
    X(sock_accept, absent, i32, 3, (i32, i32, i32))                                  \
    X(sock_recv, same, i32, 6, (i32, i32, i32, i32, i32, i32))                       \
    X(sock_send, same, i32, 5, (i32, i32, i32, i32, i32))                            \
    X(sock_shutdown, same, i32, 2, (i32, i32))

/* ---- helpers to expand the table: WASMC_WASI_PARAMS_<n> params gives ", T p0, T p1..",
 * WASMC_WASI_ARGS_<n> params gives ", (U)p0, (U)p1.." (the shim's unsigned types),
 * WASMC_WASI_SIG(result, n, params) the canonical signature string, e.g. "iIii:i". */
#define WASMC_WASI_T_i32 int32_t
#define WASMC_WASI_T_i64 int64_t
#define WASMC_WASI_U_i32 uint32_t
#define WASMC_WASI_U_i64 uint64_t
#define WASMC_WASI_C_i32 "i"
#define WASMC_WASI_C_i64 "I"
#define WASMC_WASI_C_none ""
#define WASMC_WASI_R_i32 int32_t
#define WASMC_WASI_R_none WASI_NORETURN void

#define WASMC_WASI_PARAMS_0()
#define WASMC_WASI_PARAMS_1(a) , WASMC_WASI_T_##a p0
#define WASMC_WASI_PARAMS_2(a, b) WASMC_WASI_PARAMS_1(a), WASMC_WASI_T_##b p1
#define WASMC_WASI_PARAMS_3(a, b, c) WASMC_WASI_PARAMS_2(a, b), WASMC_WASI_T_##c p2
#define WASMC_WASI_PARAMS_4(a, b, c, d) WASMC_WASI_PARAMS_3(a, b, c), WASMC_WASI_T_##d p3
#define WASMC_WASI_PARAMS_5(a, b, c, d, e) WASMC_WASI_PARAMS_4(a, b, c, d), WASMC_WASI_T_##e p4
#define WASMC_WASI_PARAMS_6(a, b, c, d, e, f) \
    WASMC_WASI_PARAMS_5(a, b, c, d, e), WASMC_WASI_T_##f p5
#define WASMC_WASI_PARAMS_7(a, b, c, d, e, f, g) \
    WASMC_WASI_PARAMS_6(a, b, c, d, e, f), WASMC_WASI_T_##g p6
#define WASMC_WASI_PARAMS_8(a, b, c, d, e, f, g, h) \
    WASMC_WASI_PARAMS_7(a, b, c, d, e, f, g), WASMC_WASI_T_##h p7
#define WASMC_WASI_PARAMS_9(a, b, c, d, e, f, g, h, i) \
    WASMC_WASI_PARAMS_8(a, b, c, d, e, f, g, h), WASMC_WASI_T_##i p8

#define WASMC_WASI_ARGS_0()
#define WASMC_WASI_ARGS_1(a) , (WASMC_WASI_U_##a)p0
#define WASMC_WASI_ARGS_2(a, b) WASMC_WASI_ARGS_1(a), (WASMC_WASI_U_##b)p1
#define WASMC_WASI_ARGS_3(a, b, c) WASMC_WASI_ARGS_2(a, b), (WASMC_WASI_U_##c)p2
#define WASMC_WASI_ARGS_4(a, b, c, d) WASMC_WASI_ARGS_3(a, b, c), (WASMC_WASI_U_##d)p3
#define WASMC_WASI_ARGS_5(a, b, c, d, e) WASMC_WASI_ARGS_4(a, b, c, d), (WASMC_WASI_U_##e)p4
#define WASMC_WASI_ARGS_6(a, b, c, d, e, f) \
    WASMC_WASI_ARGS_5(a, b, c, d, e), (WASMC_WASI_U_##f)p5
#define WASMC_WASI_ARGS_7(a, b, c, d, e, f, g) \
    WASMC_WASI_ARGS_6(a, b, c, d, e, f), (WASMC_WASI_U_##g)p6
#define WASMC_WASI_ARGS_8(a, b, c, d, e, f, g, h) \
    WASMC_WASI_ARGS_7(a, b, c, d, e, f, g), (WASMC_WASI_U_##h)p7
#define WASMC_WASI_ARGS_9(a, b, c, d, e, f, g, h, i) \
    WASMC_WASI_ARGS_8(a, b, c, d, e, f, g, h), (WASMC_WASI_U_##i)p8

#define WASMC_WASI_SIGP_0() ""
#define WASMC_WASI_SIGP_1(a) WASMC_WASI_C_##a
#define WASMC_WASI_SIGP_2(a, b) WASMC_WASI_SIGP_1(a) WASMC_WASI_C_##b
#define WASMC_WASI_SIGP_3(a, b, c) WASMC_WASI_SIGP_2(a, b) WASMC_WASI_C_##c
#define WASMC_WASI_SIGP_4(a, b, c, d) WASMC_WASI_SIGP_3(a, b, c) WASMC_WASI_C_##d
#define WASMC_WASI_SIGP_5(a, b, c, d, e) WASMC_WASI_SIGP_4(a, b, c, d) WASMC_WASI_C_##e
#define WASMC_WASI_SIGP_6(a, b, c, d, e, f) WASMC_WASI_SIGP_5(a, b, c, d, e) WASMC_WASI_C_##f
#define WASMC_WASI_SIGP_7(a, b, c, d, e, f, g) \
    WASMC_WASI_SIGP_6(a, b, c, d, e, f) WASMC_WASI_C_##g
#define WASMC_WASI_SIGP_8(a, b, c, d, e, f, g, h) \
    WASMC_WASI_SIGP_7(a, b, c, d, e, f, g) WASMC_WASI_C_##h
#define WASMC_WASI_SIGP_9(a, b, c, d, e, f, g, h, i) \
    WASMC_WASI_SIGP_8(a, b, c, d, e, f, g, h) WASMC_WASI_C_##i
#define WASMC_WASI_SIG(result, n, params) \
    WASMC_WASI_SIGP_##n params ":" WASMC_WASI_C_##result

/* The prototypes of every import function. */
#define WASMC_WASI_PROTO_(mod, name, result, n, params)            \
    WASMC_WASI_R_##result wasmc_import_##mod##_##name(void *env,    \
        WasmcVmctx *caller WASMC_WASI_PARAMS_##n params);
#define WASMC_WASI_PROTO_P1_(name, unstable, result, n, params) \
    WASMC_WASI_PROTO_(wasi_snapshot_preview1, name, result, n, params)
#define WASMC_WASI_PROTO_U_same(name, result, n, params) \
    WASMC_WASI_PROTO_(wasi_unstable, name, result, n, params)
#define WASMC_WASI_PROTO_U_own WASMC_WASI_PROTO_U_same
#define WASMC_WASI_PROTO_U_absent(name, result, n, params)
#define WASMC_WASI_PROTO_U_(name, unstable, result, n, params) \
    WASMC_WASI_PROTO_U_##unstable(name, result, n, params)
WASMC_WASI_FUNCS(WASMC_WASI_PROTO_P1_)
WASMC_WASI_FUNCS(WASMC_WASI_PROTO_U_)

/* Every import the glue serves, for embedders and tests. */
typedef struct WasmcWasiImport {
    const char *module;    /* "wasi_snapshot_preview1" or "wasi_unstable" */
    const char *name;      /* e.g. "fd_write" */
    void *code;            /* wasmc_import_<module>_<name> */
    const char *signature; /* canonical (wasmc_rt.h), e.g. "iiii:i" */
} WasmcWasiImport;
extern const WasmcWasiImport wasmc_wasi_imports[];
extern const uint32_t wasmc_wasi_num_imports; /* 91 */

/* ---- the process-wide context ---------------------------------------------------------- */

/* The standalone hook (wasmc_rt.h): builds the process-wide context from argv, the
 * baked wasmc_wasi_config (if linked) and the run-time override variables.  Returns 0,
 * or 1 after printing "wasmc: error: ..." (e.g. a preopen that cannot be opened). */
int wasmc_wasi_init(int argc, char **argv);
/* The same with an explicit configuration (NULL = none). Replaces (and frees) a
 * previous process-wide context built by the glue: call it before any thread runs wasm
 * (the old context must not be in use). */
int wasmc_wasi_init_with(const WasmcWasiConfig *cfg, int argc, char **argv);

/* The process-wide context (built on first use if nothing set it). */
WasiCtx *wasmc_wasi_ctx(void);
/* Installs an embedder's context for symbol-bound imports; the caller keeps ownership
 * (a context built by the glue is freed first).  NULL restores the lazy default. */
void wasmc_wasi_set_ctx(WasiCtx *ctx);

/* A WasmcResolveFn binding "wasi_snapshot_preview1" and "wasi_unstable" imports to the
 * glue with env = user (a WasiCtx *, or NULL for the process-wide one): one context per
 * instance.  Other imports are left to the next resolver step (host_code). */
bool wasmc_wasi_resolve(void *user, const WasmcModuleDesc *desc, const WasmcImport *imp,
                        WasmcExtern *out);

/* ---- proc_exit for embedders ------------------------------------------------------------
 * Standalone programs (WasiConfig.proc_exit == NULL) exit the process with the status:
 * exit(3) runs the host's atexit handlers and flushes the HOST's stdio; the guest's own
 * buffers live in linear memory and are the guest's business (it flushes before calling
 * proc_exit).  An embedder that wants the wasm call to end instead sets
 *     cfg.proc_exit = wasmc_wasi_exit_unwind;
 * then proc_exit unwinds to the innermost wasmc_rt_call / wasmc_rt_instantiate on this
 * thread, which returns WASMC_TRAP_HOST, and wasmc_wasi_exit_status(&code) is true with
 * the status.  The status is per thread, set by each wasmc_wasi_exit_unwind and cleared by
 * the query that reads it, so WASMC_TRAP_HOST with a false query is some other host trap.
 * With no wasmc_rt_call active on the thread, the trap ends the process as an uncaught
 * trap does (status 134). */
WASI_NORETURN void wasmc_wasi_exit_unwind(void *user, int32_t code);
bool wasmc_wasi_exit_status(int32_t *code);

#ifdef __cplusplus
}
#endif

#endif /* WASMC_WASI_GLUE_H */
