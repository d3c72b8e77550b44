/* wasi_ctx.c - the WASI context: argv/env storage, the fd table, rights, and
 * the host errno -> WASI errno map.
 *
 * Invariants: ctx->fds[i].host == -1 marks a free guest number; every other
 * entry owns its host fd (stdio is dup'ed at creation so fd_close in the guest
 * never closes the embedder's descriptors).  New fds take the lowest free
 * number, like POSIX and wasmtime's preview1 table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "wasi_internal.h"

int32_t wasi_errno_from_host(int e)
{
    switch (e) {
    case 0: return WASI_ERRNO_SUCCESS;
    case E2BIG: return WASI_ERRNO_2BIG;
    case EACCES: return WASI_ERRNO_ACCES;
    case EADDRINUSE: return WASI_ERRNO_ADDRINUSE;
    case EADDRNOTAVAIL: return WASI_ERRNO_ADDRNOTAVAIL;
    case EAFNOSUPPORT: return WASI_ERRNO_AFNOSUPPORT;
    case EAGAIN: return WASI_ERRNO_AGAIN;
    case EALREADY: return WASI_ERRNO_ALREADY;
    case EBADF: return WASI_ERRNO_BADF;
    case EBADMSG: return WASI_ERRNO_BADMSG;
    case EBUSY: return WASI_ERRNO_BUSY;
    case ECANCELED: return WASI_ERRNO_CANCELED;
    case ECHILD: return WASI_ERRNO_CHILD;
    case ECONNABORTED: return WASI_ERRNO_CONNABORTED;
    case ECONNREFUSED: return WASI_ERRNO_CONNREFUSED;
    case ECONNRESET: return WASI_ERRNO_CONNRESET;
    case EDEADLK: return WASI_ERRNO_DEADLK;
    case EDESTADDRREQ: return WASI_ERRNO_DESTADDRREQ;
    case EDOM: return WASI_ERRNO_DOM;
    case EDQUOT: return WASI_ERRNO_DQUOT;
    case EEXIST: return WASI_ERRNO_EXIST;
    case EFAULT: return WASI_ERRNO_FAULT;
    case EFBIG: return WASI_ERRNO_FBIG;
    case EHOSTUNREACH: return WASI_ERRNO_HOSTUNREACH;
    case EIDRM: return WASI_ERRNO_IDRM;
    case EILSEQ: return WASI_ERRNO_ILSEQ;
    case EINPROGRESS: return WASI_ERRNO_INPROGRESS;
    case EINTR: return WASI_ERRNO_INTR;
    case EINVAL: return WASI_ERRNO_INVAL;
    case EIO: return WASI_ERRNO_IO;
    case EISCONN: return WASI_ERRNO_ISCONN;
    case EISDIR: return WASI_ERRNO_ISDIR;
    case ELOOP: return WASI_ERRNO_LOOP;
    case EMFILE: return WASI_ERRNO_MFILE;
    case EMLINK: return WASI_ERRNO_MLINK;
    case EMSGSIZE: return WASI_ERRNO_MSGSIZE;
    case EMULTIHOP: return WASI_ERRNO_MULTIHOP;
    case ENAMETOOLONG: return WASI_ERRNO_NAMETOOLONG;
    case ENETDOWN: return WASI_ERRNO_NETDOWN;
    case ENETRESET: return WASI_ERRNO_NETRESET;
    case ENETUNREACH: return WASI_ERRNO_NETUNREACH;
    case ENFILE: return WASI_ERRNO_NFILE;
    case ENOBUFS: return WASI_ERRNO_NOBUFS;
    case ENODEV: return WASI_ERRNO_NODEV;
    case ENOENT: return WASI_ERRNO_NOENT;
    case ENOEXEC: return WASI_ERRNO_NOEXEC;
    case ENOLCK: return WASI_ERRNO_NOLCK;
    case ENOLINK: return WASI_ERRNO_NOLINK;
    case ENOMEM: return WASI_ERRNO_NOMEM;
    case ENOMSG: return WASI_ERRNO_NOMSG;
    case ENOPROTOOPT: return WASI_ERRNO_NOPROTOOPT;
    case ENOSPC: return WASI_ERRNO_NOSPC;
    case ENOSYS: return WASI_ERRNO_NOSYS;
    case ENOTCONN: return WASI_ERRNO_NOTCONN;
    case ENOTDIR: return WASI_ERRNO_NOTDIR;
    case ENOTEMPTY: return WASI_ERRNO_NOTEMPTY;
    case ENOTRECOVERABLE: return WASI_ERRNO_NOTRECOVERABLE;
    case ENOTSOCK: return WASI_ERRNO_NOTSOCK;
    case ENOTSUP: return WASI_ERRNO_NOTSUP; /* == EOPNOTSUPP on Linux */
    case ENOTTY: return WASI_ERRNO_NOTTY;
    case ENXIO: return WASI_ERRNO_NXIO;
    case EOVERFLOW: return WASI_ERRNO_OVERFLOW;
    case EOWNERDEAD: return WASI_ERRNO_OWNERDEAD;
    case EPERM: return WASI_ERRNO_PERM;
    case EPIPE: return WASI_ERRNO_PIPE;
    case EPROTO: return WASI_ERRNO_PROTO;
    case EPROTONOSUPPORT: return WASI_ERRNO_PROTONOSUPPORT;
    case EPROTOTYPE: return WASI_ERRNO_PROTOTYPE;
    case ERANGE: return WASI_ERRNO_RANGE;
    case EROFS: return WASI_ERRNO_ROFS;
    case ESPIPE: return WASI_ERRNO_SPIPE;
    case ESRCH: return WASI_ERRNO_SRCH;
    case ESTALE: return WASI_ERRNO_STALE;
    case ETIMEDOUT: return WASI_ERRNO_TIMEDOUT;
    case ETXTBSY: return WASI_ERRNO_TXTBSY;
    case EXDEV: return WASI_ERRNO_XDEV;
    default: return WASI_ERRNO_IO; /* no WASI equivalent: report an I/O error */
    }
}

uint8_t wasi_filetype_from_stat(int host, const struct stat *st)
{
    switch (st->st_mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFSOCK: {
        int type = 0;
        socklen_t len = sizeof type;
        if (host >= 0 && getsockopt(host, SOL_SOCKET, SO_TYPE, &type, &len) == 0 &&
            type == SOCK_DGRAM)
            return WASI_FILETYPE_SOCKET_DGRAM;
        return WASI_FILETYPE_SOCKET_STREAM;
    }
    default: return WASI_FILETYPE_UNKNOWN; /* FIFOs have no WASI type */
    }
}

void wasi_rights_for_filetype(uint8_t filetype, uint64_t *base, uint64_t *inheriting)
{
    *inheriting = 0;
    switch (filetype) {
    case WASI_FILETYPE_DIRECTORY:
        *base = WASI_RIGHTS_DIRECTORY;
        *inheriting = WASI_RIGHTS_DIRECTORY_INHERITING;
        break;
    case WASI_FILETYPE_REGULAR_FILE:
    case WASI_FILETYPE_BLOCK_DEVICE:
        *base = WASI_RIGHTS_REGULAR_FILE;
        break;
    case WASI_FILETYPE_CHARACTER_DEVICE:
        *base = WASI_RIGHTS_REGULAR_FILE; /* ttys are narrowed at creation */
        break;
    case WASI_FILETYPE_SOCKET_STREAM:
    case WASI_FILETYPE_SOCKET_DGRAM:
        *base = WASI_RIGHTS_SOCKET;
        break;
    default: /* pipes and the unknown: stream I/O only */
        *base = WASI_RIGHTS_TTY;
        break;
    }
}

void wasi_store_filestat(const WasiMem *mem, uint64_t p, int host, const struct stat *st,
                         bool unstable)
{
    uint64_t atim = (uint64_t)st->st_atim.tv_sec * 1000000000u + (uint64_t)st->st_atim.tv_nsec;
    uint64_t mtim = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
    uint64_t ctim = (uint64_t)st->st_ctim.tv_sec * 1000000000u + (uint64_t)st->st_ctim.tv_nsec;
    size_t size = unstable ? WASI_UNSTABLE_FILESTAT_SIZE : WASI_FILESTAT_SIZE;
    memset(wasi_mem_at(mem, p), 0, size); /* padding bytes are defined as zero */
    wasi_st64(mem, p + 0, (uint64_t)st->st_dev);
    wasi_st64(mem, p + 8, (uint64_t)st->st_ino);
    wasi_st8(mem, p + 16, wasi_filetype_from_stat(host, st));
    if (unstable) {
        uint64_t n = (uint64_t)st->st_nlink;
        wasi_st32(mem, p + 20, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n);
        wasi_st64(mem, p + 24, (uint64_t)st->st_size);
        wasi_st64(mem, p + 32, atim);
        wasi_st64(mem, p + 40, mtim);
        wasi_st64(mem, p + 48, ctim);
    } else {
        wasi_st64(mem, p + 24, (uint64_t)st->st_nlink);
        wasi_st64(mem, p + 32, (uint64_t)st->st_size);
        wasi_st64(mem, p + 40, atim);
        wasi_st64(mem, p + 48, mtim);
        wasi_st64(mem, p + 56, ctim);
    }
}

int32_t wasi_times_from_fst(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
    const uint32_t known = WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW | WASI_FSTFLAG_MTIM |
                           WASI_FSTFLAG_MTIM_NOW;
    if ((fst & ~known) != 0)
        return WASI_ERRNO_INVAL;
    /* "set to this time" and "set to now" for the same stamp contradict each other */
    if ((fst & WASI_FSTFLAG_ATIM) && (fst & WASI_FSTFLAG_ATIM_NOW))
        return WASI_ERRNO_INVAL;
    if ((fst & WASI_FSTFLAG_MTIM) && (fst & WASI_FSTFLAG_MTIM_NOW))
        return WASI_ERRNO_INVAL;
    uint64_t t[2] = {atim, mtim};
    uint32_t set[2] = {WASI_FSTFLAG_ATIM, WASI_FSTFLAG_MTIM};
    uint32_t now[2] = {WASI_FSTFLAG_ATIM_NOW, WASI_FSTFLAG_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        if (fst & now[i]) {
            ts[i].tv_sec = 0;
            ts[i].tv_nsec = UTIME_NOW;
        } else if (fst & set[i]) {
            ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
            ts[i].tv_nsec = (long)(t[i] % 1000000000u);
        } else {
            ts[i].tv_sec = 0;
            ts[i].tv_nsec = UTIME_OMIT;
        }
    }
    return WASI_ERRNO_SUCCESS;
}

WasiFd *wasi_fd_lookup(WasiCtx *ctx, uint32_t fd, uint64_t rights, int32_t *err)
{
    if (fd >= ctx->nfds || ctx->fds[fd].host < 0) {
        *err = WASI_ERRNO_BADF;
        return NULL;
    }
    WasiFd *f = &ctx->fds[fd];
    if ((f->rights_base & rights) != rights) {
        *err = WASI_ERRNO_NOTCAPABLE;
        return NULL;
    }
    *err = WASI_ERRNO_SUCCESS;
    return f;
}

int32_t wasi_fd_insert(WasiCtx *ctx, int host, uint8_t filetype, uint64_t base,
                       uint64_t inheriting, uint32_t *out_fd)
{
    uint32_t i = 0;
    /* -2 marks a stdio slot reserved during wasi_ctx_new */
    while (i < ctx->nfds && ctx->fds[i].host != -1)
        i++;
    if (i == ctx->nfds) {
        uint32_t n = ctx->nfds ? ctx->nfds * 2 : 8;
        if (n > (1u << 24)) { /* far beyond any host RLIMIT_NOFILE */
            close(host);
            return WASI_ERRNO_MFILE;
        }
        WasiFd *t = realloc(ctx->fds, n * sizeof *t);
        if (!t) {
            close(host);
            return WASI_ERRNO_NOMEM;
        }
        for (uint32_t k = ctx->nfds; k < n; k++)
            t[k] = (WasiFd){.host = -1};
        ctx->fds = t;
        ctx->nfds = n;
    }
    ctx->fds[i] = (WasiFd){.host = host, .filetype = filetype, .rights_base = base,
                           .rights_inheriting = inheriting};
    *out_fd = i;
    return WASI_ERRNO_SUCCESS;
}

void wasi_fd_release(WasiFd *f)
{
    if (f->dir)
        closedir(f->dir);
    if (f->host >= 0)
        close(f->host);
    free(f->prestat_name);
    *f = (WasiFd){.host = -1};
}

int wasi_ctx_host_fd(const WasiCtx *ctx, uint32_t fd)
{
    return fd < ctx->nfds ? ctx->fds[fd].host : -1;
}

void wasi_config_init(WasiConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->stdin_fd = 0;
    cfg->stdout_fd = 1;
    cfg->stderr_fd = 2;
}

/* Concatenate strings, each NUL-terminated; sizes must fit the guest's u32. */
static bool pack_strings(const char *const *v, size_t n, char **buf, uint32_t *size,
                         uint32_t *count)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(v[i]) + 1;
    if (n > UINT32_MAX || total > UINT32_MAX)
        return false;
    *buf = malloc(total ? total : 1);
    if (!*buf)
        return false;
    char *p = *buf;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(v[i]) + 1;
        memcpy(p, v[i], l);
        p += l;
    }
    *size = (uint32_t)total;
    *count = (uint32_t)n;
    return true;
}

static bool probe_openat2(int dirfd)
{
#ifdef SYS_openat2
    struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long r = syscall(SYS_openat2, dirfd, ".", &how, sizeof how);
    if (r < 0)
        return false; /* ENOSYS (old kernel) or EPERM (seccomp): use the fallback */
    close((int)r);
    return true;
#else
    (void)dirfd;
    return false;
#endif
}

static bool add_stdio(WasiCtx *ctx, uint32_t want, int host, char *errbuf, size_t errlen)
{
    if (host < 0)
        return true; /* the guest sees this number closed */
    int fd = fcntl(host, F_DUPFD_CLOEXEC, 0);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(errbuf, errlen, "stdio fd %d: %s", host, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    uint8_t type = wasi_filetype_from_stat(fd, &st);
    uint64_t base, inh;
    wasi_rights_for_filetype(type, &base, &inh);
    if (isatty(fd))
        base = WASI_RIGHTS_TTY;
    ctx->fds[want] = (WasiFd){.host = fd, .filetype = type, .rights_base = base,
                              .rights_inheriting = inh};
    return true;
}

WasiCtx *wasi_ctx_new(const WasiConfig *cfg, char *errbuf, size_t errlen)
{
    uint32_t out;
    WasiCtx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(errbuf, errlen, "out of memory");
        return NULL;
    }
    ctx->exit_fn = cfg->proc_exit;
    ctx->exit_user = cfg->proc_exit_user;
    if (!pack_strings(cfg->argv, cfg->argc, &ctx->args_buf, &ctx->args_size, &ctx->argc) ||
        !pack_strings(cfg->env, cfg->envc, &ctx->env_buf, &ctx->env_size, &ctx->envc)) {
        snprintf(errbuf, errlen, "arguments or environment too large");
        goto fail;
    }
    ctx->nfds = 8;
    ctx->fds = malloc(ctx->nfds * sizeof *ctx->fds);
    if (!ctx->fds) {
        snprintf(errbuf, errlen, "out of memory");
        goto fail;
    }
    for (uint32_t i = 0; i < ctx->nfds; i++)
        ctx->fds[i] = (WasiFd){.host = -1};
    if (!add_stdio(ctx, 0, cfg->stdin_fd, errbuf, errlen) ||
        !add_stdio(ctx, 1, cfg->stdout_fd, errbuf, errlen) ||
        !add_stdio(ctx, 2, cfg->stderr_fd, errbuf, errlen))
        goto fail;
    /* Slots 0-2 stay reserved for stdio even when closed, so the first preopen
     * is always fd 3 (wasi-libc scans from 3 for preopens). */
    for (uint32_t i = 0; i < 3; i++)
        if (ctx->fds[i].host < 0)
            ctx->fds[i].host = -2;
    ctx->use_openat2 = !cfg->no_openat2;
    for (size_t i = 0; i < cfg->npreopens; i++) {
        const WasiPreopen *p = &cfg->preopens[i];
        int fd = open(p->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(errbuf, errlen, "preopen '%s': %s", p->host_path, strerror(errno));
            goto fail;
        }
        if (ctx->use_openat2 && i == 0)
            ctx->use_openat2 = probe_openat2(fd);
        char *name = strdup(p->guest_path ? p->guest_path : p->host_path);
        if (!name || wasi_fd_insert(ctx, fd, WASI_FILETYPE_DIRECTORY, WASI_RIGHTS_DIRECTORY,
                                    WASI_RIGHTS_DIRECTORY_INHERITING, &out) != 0) {
            free(name);
            snprintf(errbuf, errlen, "out of memory");
            goto fail;
        }
        ctx->fds[out].prestat_name = name;
    }
    for (size_t i = 0; i < cfg->nsockets; i++) {
        int fd = fcntl(cfg->socket_fds[i], F_DUPFD_CLOEXEC, 0);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
            snprintf(errbuf, errlen, "socket fd %d: not an open socket", cfg->socket_fds[i]);
            if (fd >= 0)
                close(fd);
            goto fail;
        }
        if (wasi_fd_insert(ctx, fd, wasi_filetype_from_stat(fd, &st), WASI_RIGHTS_SOCKET, 0,
                           &out) != 0) {
            snprintf(errbuf, errlen, "out of memory");
            goto fail;
        }
    }
    for (uint32_t i = 0; i < 3; i++)
        if (ctx->fds[i].host == -2)
            ctx->fds[i].host = -1;
    return ctx;
fail:
    if (ctx->fds)
        for (uint32_t i = 0; i < 3 && i < ctx->nfds; i++)
            if (ctx->fds[i].host == -2)
                ctx->fds[i].host = -1;
    wasi_ctx_free(ctx);
    return NULL;
}

void wasi_ctx_free(WasiCtx *ctx)
{
    if (!ctx)
        return;
    for (uint32_t i = 0; i < ctx->nfds; i++)
        wasi_fd_release(&ctx->fds[i]);
    free(ctx->fds);
    free(ctx->args_buf);
    free(ctx->env_buf);
    free(ctx);
}
