/* wasi_internal.h - what the shim's files share: the context, the fd table and
 * host<->WASI conversions.  Not installed; callers use wasi_shim.h only.
 */
#ifndef WASMC_WASI_INTERNAL_H
#define WASMC_WASI_INTERNAL_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "wasi_mem.h"
#include "wasi_shim.h"

/* Rights granted per file type: the maximum an fd of that type can hold.
 * path_open intersects the requested rights with these and with the
 * directory's inheriting rights. */
#define WASI_RIGHTS_REGULAR_FILE                                                          \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |                   \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |           \
     WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |                \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                       \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_DIRECTORY                                                             \
    (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_ADVISE |         \
     WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE |                     \
     WASI_RIGHT_PATH_LINK_SOURCE | WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |   \
     WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE |   \
     WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_GET |                       \
     WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |             \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES |                      \
     WASI_RIGHT_PATH_SYMLINK | WASI_RIGHT_PATH_REMOVE_DIRECTORY |                         \
     WASI_RIGHT_PATH_UNLINK_FILE | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_DIRECTORY_INHERITING (WASI_RIGHTS_DIRECTORY | WASI_RIGHTS_REGULAR_FILE)
#define WASI_RIGHTS_TTY                                                                   \
    (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_WRITE |          \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_SOCKET                                                                \
    (WASI_RIGHTS_TTY | WASI_RIGHT_SOCK_SHUTDOWN | WASI_RIGHT_SOCK_ACCEPT)

typedef struct WasiFd {
    int host;                   /* host fd; -1: this guest number is free */
    uint8_t filetype;           /* WASI_FILETYPE_* fixed at open */
    uint64_t rights_base;       /* what this fd may do */
    uint64_t rights_inheriting; /* what fds opened through it may get */
    char *prestat_name;         /* guest path of a preopen, else NULL */
    DIR *dir;                   /* fd_readdir stream (own host fd), lazily opened */
    uint64_t dir_cookie;        /* cookie (entry index) the stream returns next */
} WasiFd;

struct WasiCtx {
    WasiFd *fds; /* index = guest fd */
    uint32_t nfds;
    char *args_buf; /* argv strings, each NUL-terminated, back to back */
    uint32_t args_size, argc;
    char *env_buf; /* "NAME=VALUE\0" back to back */
    uint32_t env_size, envc;
    WasiExitFn exit_fn;
    void *exit_user;
    bool use_openat2; /* kernel has openat2 + RESOLVE_BENEATH and config allows it */
};

/* wasi_ctx.c */
int32_t wasi_errno_from_host(int e);
/* The open fd `fd` holding all of `rights`, else NULL with *err = BADF/NOTCAPABLE. */
WasiFd *wasi_fd_lookup(WasiCtx *ctx, uint32_t fd, uint64_t rights, int32_t *err);
/* Enter `host` at the lowest free guest number; takes ownership of `host`. */
int32_t wasi_fd_insert(WasiCtx *ctx, int host, uint8_t filetype, uint64_t base,
                       uint64_t inheriting, uint32_t *out_fd);
void wasi_fd_release(WasiFd *f);
uint8_t wasi_filetype_from_stat(int host, const struct stat *st);
void wasi_rights_for_filetype(uint8_t filetype, uint64_t *base, uint64_t *inheriting);
/* Store a filestat (preview1 or wasi_unstable layout); range already checked. */
void wasi_store_filestat(const WasiMem *mem, uint64_t p, int host, const struct stat *st,
                         bool unstable);
/* WASI fstflags + times -> utimensat timespecs; INVAL on contradictory flags. */
int32_t wasi_times_from_fst(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

/* wasi_fd.c: the guest iovec array as host iovecs.  *out is `stack` or malloc'ed
 * (free it when != stack); the total length is clamped to UINT32_MAX so the
 * byte count always fits the u32 result. */
#define WASI_IOV_STACK 16
int32_t wasi_iovs_load(const WasiMem *mem, uint32_t iovs, uint32_t n, struct iovec *stack,
                       struct iovec **out, int *count);

/* wasi_args.c */
int32_t wasi_clock_now(uint32_t id, uint64_t *ns);

#endif /* WASMC_WASI_INTERNAL_H */
