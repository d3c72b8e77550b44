/* wasi_shim.h - the C contract of wasmc's WASI preview1 implementation.
 *
 * Linked into users' programs next to runtime-stub; includes only libc headers.
 *
 * Calling convention.  Every import `wasi_snapshot_preview1.NAME` is one C
 * function `wasi_NAME(ctx, mem, args...)`: the context, then a view of the
 * caller's linear memory, then the wasm-level arguments in witx order
 * (i32 -> uint32_t, i64 -> uint64_t).  The result is the WASI errno
 * (WASI_ERRNO_*, see wasi_abi.h) as int32_t, 0 on success.
 *
 * Memory.  `mem` is re-read on every call because memory.grow may move or
 * extend it between calls.  Every guest pointer and length is bounds-checked
 * against [0, mem->size); a bad range returns WASI_ERRNO_FAULT and the host
 * never touches memory outside the view.  Where possible, output pointers are
 * checked before the side effect happens, so FAULT means "nothing was done".
 *
 * wasi_unstable.  The old module differs from preview1 only in: fd_seek's whence
 * numbering, the filestat layout (fd_filestat_get, path_filestat_get) and the
 * subscription layout (poll_oneoff).  Those four have wasi_unstable_NAME
 * variants; every other wasi_unstable import binds to the preview1 function.
 * (wasi_unstable has no sock_accept.)
 *
 * Capabilities.  The guest sees only its preopened directories.  Every path is
 * resolved beneath the directory fd it is relative to: absolute paths, `..` that
 * climbs above that directory and symlinks that lead out of it fail with
 * WASI_ERRNO_PERM (what wasmtime and the wasi-testsuite expect); a call on an fd
 * lacking the needed right fails with WASI_ERRNO_NOTCAPABLE.
 *
 * Fd numbering.  Stdio is 0/1/2, preopens are 3, 4, ... in config order, then
 * handed-over sockets.  A new fd takes the lowest free number (including 0-2
 * once closed), as POSIX does and as wasmtime's preview1 descriptor table does.
 *
 * Threads: a WasiCtx is not thread-safe; one context per instance.
 */
#ifndef WASMC_WASI_SHIM_H
#define WASMC_WASI_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasi_abi.h"

#ifdef __cplusplus
#define WASI_NORETURN [[noreturn]]
extern "C" {
#else
#define WASI_NORETURN _Noreturn
#endif

typedef struct WasiMem {
    uint8_t *base;  /* linear memory 0 of the calling instance */
    uint64_t size;  /* its current size in bytes */
} WasiMem;

typedef struct WasiPreopen {
    const char *host_path;   /* opened at wasi_ctx_new */
    const char *guest_path;  /* what fd_prestat_dir_name reports, e.g. "." or "/data" */
} WasiPreopen;

/* Called by wasi_proc_exit.  It should not return (exit, or longjmp out of the
 * instance); if it does, the shim calls exit(code). */
typedef void (*WasiExitFn)(void *user, int32_t code);

typedef struct WasiConfig {
    const char *const *argv;     /* argv as the guest sees it; argv[0] included */
    size_t argc;
    const char *const *env;      /* "NAME=VALUE" entries, exactly what was granted */
    size_t envc;
    const WasiPreopen *preopens; /* become fds 3, 4, ... in this order */
    size_t npreopens;
    const int *socket_fds;       /* host sockets handed to the guest, after the preopens */
    size_t nsockets;
    int stdin_fd, stdout_fd, stderr_fd; /* host fds (dup'ed); -1: guest fd not open */
    WasiExitFn proc_exit;        /* NULL: exit(code) */
    void *proc_exit_user;
    bool no_openat2;             /* force the portable path resolver (tests) */
} WasiConfig;

typedef struct WasiCtx WasiCtx;

/* Zero everything, stdio = host 0/1/2. */
void wasi_config_init(WasiConfig *cfg);

/* NULL on failure, with a message in errbuf (e.g. a preopen that cannot be opened). */
WasiCtx *wasi_ctx_new(const WasiConfig *cfg, char *errbuf, size_t errlen);
void wasi_ctx_free(WasiCtx *ctx);

/* The host fd behind guest fd `fd`, or -1 (for embedders and tests). */
int wasi_ctx_host_fd(const WasiCtx *ctx, uint32_t fd);

/* ---- wasi_args.c: args, environment, clocks, random, scheduling, process ---- */
int32_t wasi_args_get(WasiCtx *ctx, const WasiMem *mem, uint32_t argv, uint32_t argv_buf);
int32_t wasi_args_sizes_get(WasiCtx *ctx, const WasiMem *mem, uint32_t argc_out,
                            uint32_t argv_buf_size_out);
int32_t wasi_environ_get(WasiCtx *ctx, const WasiMem *mem, uint32_t environ,
                         uint32_t environ_buf);
int32_t wasi_environ_sizes_get(WasiCtx *ctx, const WasiMem *mem, uint32_t count_out,
                               uint32_t buf_size_out);
int32_t wasi_clock_res_get(WasiCtx *ctx, const WasiMem *mem, uint32_t id, uint32_t res_out);
int32_t wasi_clock_time_get(WasiCtx *ctx, const WasiMem *mem, uint32_t id, uint64_t precision,
                            uint32_t time_out);
int32_t wasi_random_get(WasiCtx *ctx, const WasiMem *mem, uint32_t buf, uint32_t buf_len);
int32_t wasi_sched_yield(WasiCtx *ctx, const WasiMem *mem);
WASI_NORETURN void wasi_proc_exit(WasiCtx *ctx, const WasiMem *mem, uint32_t rval);
int32_t wasi_proc_raise(WasiCtx *ctx, const WasiMem *mem, uint32_t sig);

/* ---- wasi_fd.c: operations on open descriptors ---- */
int32_t wasi_fd_advise(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                       uint64_t len, uint32_t advice);
int32_t wasi_fd_allocate(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                         uint64_t len);
int32_t wasi_fd_close(WasiCtx *ctx, const WasiMem *mem, uint32_t fd);
int32_t wasi_fd_datasync(WasiCtx *ctx, const WasiMem *mem, uint32_t fd);
int32_t wasi_fd_fdstat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t out);
int32_t wasi_fd_fdstat_set_flags(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t flags);
int32_t wasi_fd_fdstat_set_rights(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t base,
                                  uint64_t inheriting);
int32_t wasi_fd_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t out);
int32_t wasi_unstable_fd_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd,
                                      uint32_t out);
int32_t wasi_fd_filestat_set_size(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t size);
int32_t wasi_fd_filestat_set_times(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t atim,
                                   uint64_t mtim, uint32_t fstflags);
int32_t wasi_fd_pread(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                      uint32_t iovs_len, uint64_t offset, uint32_t nread_out);
int32_t wasi_fd_prestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t out);
int32_t wasi_fd_prestat_dir_name(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                                 uint32_t path_len);
int32_t wasi_fd_pwrite(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                       uint32_t iovs_len, uint64_t offset, uint32_t nwritten_out);
int32_t wasi_fd_read(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                     uint32_t iovs_len, uint32_t nread_out);
int32_t wasi_fd_readdir(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t buf,
                        uint32_t buf_len, uint64_t cookie, uint32_t bufused_out);
int32_t wasi_fd_renumber(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t to);
int32_t wasi_fd_seek(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                     uint32_t whence, uint32_t newoffset_out);
int32_t wasi_unstable_fd_seek(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                              uint32_t whence, uint32_t newoffset_out);
int32_t wasi_fd_sync(WasiCtx *ctx, const WasiMem *mem, uint32_t fd);
int32_t wasi_fd_tell(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t offset_out);
int32_t wasi_fd_write(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                      uint32_t iovs_len, uint32_t nwritten_out);

/* ---- wasi_path.c: sandboxed path operations ---- */
int32_t wasi_path_create_directory(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                                   uint32_t path_len);
int32_t wasi_path_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t flags,
                               uint32_t path, uint32_t path_len, uint32_t out);
int32_t wasi_unstable_path_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd,
                                        uint32_t flags, uint32_t path, uint32_t path_len,
                                        uint32_t out);
int32_t wasi_path_filestat_set_times(WasiCtx *ctx, const WasiMem *mem, uint32_t fd,
                                     uint32_t flags, uint32_t path, uint32_t path_len,
                                     uint64_t atim, uint64_t mtim, uint32_t fstflags);
int32_t wasi_path_link(WasiCtx *ctx, const WasiMem *mem, uint32_t old_fd, uint32_t old_flags,
                       uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
                       uint32_t new_path, uint32_t new_path_len);
int32_t wasi_path_open(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t dirflags,
                       uint32_t path, uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                       uint64_t rights_inheriting, uint32_t fdflags, uint32_t fd_out);
int32_t wasi_path_readlink(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                           uint32_t path_len, uint32_t buf, uint32_t buf_len,
                           uint32_t bufused_out);
int32_t wasi_path_remove_directory(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                                   uint32_t path_len);
int32_t wasi_path_rename(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t old_path,
                         uint32_t old_path_len, uint32_t new_fd, uint32_t new_path,
                         uint32_t new_path_len);
int32_t wasi_path_symlink(WasiCtx *ctx, const WasiMem *mem, uint32_t old_path,
                          uint32_t old_path_len, uint32_t fd, uint32_t new_path,
                          uint32_t new_path_len);
int32_t wasi_path_unlink_file(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                              uint32_t path_len);

/* ---- wasi_poll.c ---- */
int32_t wasi_poll_oneoff(WasiCtx *ctx, const WasiMem *mem, uint32_t in, uint32_t out,
                         uint32_t nsubscriptions, uint32_t nevents_out);
int32_t wasi_unstable_poll_oneoff(WasiCtx *ctx, const WasiMem *mem, uint32_t in, uint32_t out,
                                  uint32_t nsubscriptions, uint32_t nevents_out);

/* ---- wasi_sock.c ---- */
int32_t wasi_sock_accept(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t flags,
                         uint32_t fd_out);
int32_t wasi_sock_recv(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t ri_data,
                       uint32_t ri_data_len, uint32_t ri_flags, uint32_t ro_datalen_out,
                       uint32_t ro_flags_out);
int32_t wasi_sock_send(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t si_data,
                       uint32_t si_data_len, uint32_t si_flags, uint32_t so_datalen_out);
int32_t wasi_sock_shutdown(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t how);

#ifdef __cplusplus
}
#endif

#endif /* WASMC_WASI_SHIM_H */
