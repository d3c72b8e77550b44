/* wasi_path.c - the capability sandbox and the path_* calls.
 *
 * ====================================================================
 *  SAFETY-CRITICAL.  This file is what keeps a guest inside its
 *  preopened directories.  Review changes with the escape tests in
 *  test-suite/wasi/test_wasi_sandbox.c.
 * ====================================================================
 *
 * Every path is resolved beneath the directory fd it is given relative to
 * (the "root" for that call), never by the host's own lookup from "/":
 *   - absolute guest paths and symlinks with absolute targets -> PERM;
 *   - `..` that would climb above the root -> PERM;
 *   - symlinks are followed in non-final components always and in the final
 *     component only when asked (LOOKUPFLAGS_SYMLINK_FOLLOW, or a trailing
 *     slash on a lookup), by splicing the target into the remaining path and
 *     resolving again from the root; more than WASI_MAX_SYMLINKS -> LOOP.
 * The result is a parent-directory fd plus a final name that is not a symlink
 * to be followed, used with the *at() calls and O_NOFOLLOW/AT_SYMLINK_NOFOLLOW,
 * so a symlink swapped in after the check is not followed by the host either.
 *
 * Parent directories are opened with openat2(RESOLVE_BENEATH) where the kernel
 * has it (one syscall, race-free), else by walk_beneath(): one
 * openat(O_PATH|O_DIRECTORY|O_NOFOLLOW) per component, keeping the fds of the
 * directories walked so `..` pops back to an fd we already hold instead of
 * asking the host for "..".  Both agree on every error the tests check.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

#include "wasi_internal.h"

#define WASI_MAX_SYMLINKS 40   /* Linux's MAXSYMLINKS */
#define WASI_MAX_PATH 65536    /* longest guest path accepted (bounds the copy) */
#define WASI_MAX_DEPTH 512     /* directories held open by walk_beneath */

/* ---- guest path strings ---- */

static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i <= k)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3F);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        i += k + 1;
    }
    return true;
}

/* Copy a guest string out of linear memory (so a concurrent change cannot
 * alter it between check and use) as a NUL-terminated host string. */
static int32_t load_path(const WasiMem *mem, uint32_t p, uint32_t len, char **out)
{
    if (!wasi_mem_ok(mem, p, len))
        return WASI_ERRNO_FAULT;
    if (len > WASI_MAX_PATH)
        return WASI_ERRNO_NAMETOOLONG;
    const uint8_t *s = wasi_mem_at(mem, p);
    if (memchr(s, 0, len))
        return WASI_ERRNO_INVAL; /* an embedded NUL would silently cut the path */
    if (!utf8_valid(s, len))
        return WASI_ERRNO_ILSEQ;
    char *c = malloc((size_t)len + 1);
    if (!c)
        return WASI_ERRNO_NOMEM;
    memcpy(c, s, len);
    c[len] = 0;
    *out = c;
    return WASI_ERRNO_SUCCESS;
}

/* ---- resolution ---- */

/* Concatenate a + b + c into a new string. */
static char *cat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *r = malloc(la + lb + lc + 1);
    if (r) {
        memcpy(r, a, la);
        memcpy(r + la, b, lb);
        memcpy(r + la + lb, c, lc + 1);
    }
    return r;
}

/* Read symlink `name` in `dirfd`; > 0 with the target in buf (NUL-terminated)
 * when it is one, 0 when it is not a symlink (or does not exist), < 0 error. */
static int32_t read_link(int dirfd, const char *name, char *buf, size_t size, bool *is_link)
{
    ssize_t n = readlinkat(dirfd, name, buf, size - 1);
    *is_link = false;
    if (n < 0) {
        if (errno == EINVAL || errno == ENOENT || errno == ENOTDIR)
            return WASI_ERRNO_SUCCESS; /* not a symlink: the caller's operation reports */
        return wasi_errno_from_host(errno);
    }
    if ((size_t)n >= size - 1)
        return WASI_ERRNO_NAMETOOLONG;
    buf[n] = 0;
    *is_link = true;
    return WASI_ERRNO_SUCCESS;
}

/* Open directory `path` beneath `root`, component by component.  On success
 * *out is an owned O_PATH fd. */
static int32_t walk_beneath(int root, const char *path, int *links, int *out)
{
    int32_t err = WASI_ERRNO_SUCCESS;
    int *stack = NULL; /* stack[i]: fd of the directory at depth i+1 */
    int depth = 0, cap = 0;
    char *work = strdup(path), *target = NULL;
    if (!work)
        return WASI_ERRNO_NOMEM;
    char *rest = work;
    for (;;) {
        while (*rest == '/')
            rest++;
        if (*rest == 0)
            break;
        char *end = strchr(rest, '/');
        size_t len = end ? (size_t)(end - rest) : strlen(rest);
        char name[NAME_MAX + 1];
        if (len > NAME_MAX) {
            err = WASI_ERRNO_NAMETOOLONG;
            goto out;
        }
        memcpy(name, rest, len);
        name[len] = 0;
        rest += len; /* now at '/' or the end */
        if (strcmp(name, ".") == 0)
            continue;
        if (strcmp(name, "..") == 0) {
            if (depth == 0) { /* would climb above the root */
                err = WASI_ERRNO_PERM;
                goto out;
            }
            close(stack[--depth]);
            continue;
        }
        int cur = depth ? stack[depth - 1] : root;
        int fd = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            if (depth == WASI_MAX_DEPTH) {
                close(fd);
                err = WASI_ERRNO_NAMETOOLONG;
                goto out;
            }
            if (depth == cap) {
                int n = cap ? cap * 2 : 16;
                int *s = realloc(stack, (size_t)n * sizeof *s);
                if (!s) {
                    close(fd);
                    err = WASI_ERRNO_NOMEM;
                    goto out;
                }
                stack = s;
                cap = n;
            }
            stack[depth++] = fd;
            continue;
        }
        int e = errno;
        if (e != ENOTDIR && e != ELOOP) {
            err = wasi_errno_from_host(e);
            goto out;
        }
        /* ENOTDIR/ELOOP: a file, or a symlink O_NOFOLLOW refused to cross. */
        if (!target && !(target = malloc(PATH_MAX + 1))) {
            err = WASI_ERRNO_NOMEM;
            goto out;
        }
        bool is_link;
        err = read_link(cur, name, target, PATH_MAX + 1, &is_link);
        if (err)
            goto out;
        if (!is_link) {
            err = wasi_errno_from_host(e);
            goto out;
        }
        if (++*links > WASI_MAX_SYMLINKS) {
            err = WASI_ERRNO_LOOP;
            goto out;
        }
        if (target[0] == '/') {
            err = WASI_ERRNO_PERM;
            goto out;
        }
        /* Continue with the link's target in place of the component. */
        char *nw = cat3(target, "/", rest);
        if (!nw) {
            err = WASI_ERRNO_NOMEM;
            goto out;
        }
        free(work);
        work = rest = nw;
    }
    if (depth > 0) {
        *out = stack[--depth];
    } else {
        *out = fcntl(root, F_DUPFD_CLOEXEC, 0);
        if (*out < 0)
            err = wasi_errno_from_host(errno);
    }
out:
    while (depth > 0)
        close(stack[--depth]);
    free(stack);
    free(work);
    free(target);
    return err;
}

static int32_t open_dir_beneath(WasiCtx *ctx, int root, const char *path, int *links, int *out)
{
#ifdef SYS_openat2
    if (ctx->use_openat2) {
        struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                               .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
        for (int tries = 0; tries < 4; tries++) {
            long r = syscall(SYS_openat2, root, *path ? path : ".", &how, sizeof how);
            if (r >= 0) {
                *out = (int)r;
                return WASI_ERRNO_SUCCESS;
            }
            if (errno == EXDEV)
                return WASI_ERRNO_PERM; /* the kernel saw an escape */
            if (errno != EAGAIN) /* EAGAIN: a concurrent rename; retry, then walk */
                return wasi_errno_from_host(errno);
        }
    }
#endif
    return walk_beneath(root, path, links, out);
}

typedef struct Resolved {
    int dirfd;   /* owned fd of the directory holding the final name */
    char *name;  /* final component, no slashes; "." when the path names dirfd itself */
    char *kname; /* name + "/" when the guest path had a trailing slash */
    bool slash;  /* the guest path ended in '/' */
} Resolved;

static void resolved_free(Resolved *r)
{
    if (r->dirfd >= 0)
        close(r->dirfd);
    free(r->name);
    free(r->kname);
    *r = (Resolved){.dirfd = -1};
}

/* Resolve `path` beneath `root`.  `follow`: expand a final symlink.  `lookup`:
 * the call reads the object (open, stat, ...), where a trailing slash also
 * forces following, as POSIX does; calls that create or remove names pass
 * kname to the kernel, which handles trailing slashes without following. */
static int32_t resolve(WasiCtx *ctx, int root, const char *path, bool follow, bool lookup,
                       Resolved *r)
{
    *r = (Resolved){.dirfd = -1};
    if (path[0] == '/')
        return WASI_ERRNO_PERM; /* absolute paths name the host's root */
    if (path[0] == 0)
        return WASI_ERRNO_NOENT;
    int links = 0;
    int32_t err = WASI_ERRNO_SUCCESS;
    char *work = strdup(path), *target = NULL;
    if (!work)
        return WASI_ERRNO_NOMEM;
    for (;;) {
        size_t len = strlen(work);
        bool slash = false;
        while (len > 0 && work[len - 1] == '/') {
            work[--len] = 0;
            slash = true;
        }
        if (len == 0) { /* a symlink to "/" style target was refused already; "" here is "." */
            work[0] = '.', work[1] = 0;
            len = 1;
        }
        char *sep = strrchr(work, '/');
        char *name = sep ? sep + 1 : work;
        bool whole = strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
        char *parent;
        if (whole) { /* the path names a directory itself: open all of it */
            parent = strdup(work);
            name = ".";
        } else if (sep) {
            parent = strndup(work, (size_t)(sep - work));
        } else {
            parent = strdup("");
        }
        if (!parent) {
            err = WASI_ERRNO_NOMEM;
            goto fail;
        }
        err = open_dir_beneath(ctx, root, parent, &links, &r->dirfd);
        if (err) {
            free(parent);
            goto fail;
        }
        bool is_link = false;
        if (!whole && (follow || (lookup && slash))) {
            if (!target && !(target = malloc(PATH_MAX + 1))) {
                free(parent);
                err = WASI_ERRNO_NOMEM;
                goto fail;
            }
            err = read_link(r->dirfd, name, target, PATH_MAX + 1, &is_link);
            if (!err && is_link) {
                if (++links > WASI_MAX_SYMLINKS)
                    err = WASI_ERRNO_LOOP;
                else if (target[0] == '/')
                    err = WASI_ERRNO_PERM;
            }
            if (err) {
                free(parent);
                goto fail;
            }
        }
        if (is_link) {
            /* Resolve "<parent>/<target>[/]" again from the root, so a `..` in
             * the target is measured against the root, not the parent. */
            char *nw = cat3(parent, *parent ? "/" : "", target);
            char *nw2 = nw ? cat3(nw, slash ? "/" : "", "") : NULL;
            free(nw);
            free(parent);
            if (!nw2) {
                err = WASI_ERRNO_NOMEM;
                goto fail;
            }
            free(work);
            work = nw2;
            close(r->dirfd);
            r->dirfd = -1;
            continue;
        }
        free(parent);
        r->slash = slash;
        r->name = strdup(name);
        r->kname = cat3(name, slash && !whole ? "/" : "", "");
        if (!r->name || !r->kname) {
            err = WASI_ERRNO_NOMEM;
            goto fail;
        }
        free(work);
        free(target);
        return WASI_ERRNO_SUCCESS;
    }
fail:
    free(work);
    free(target);
    resolved_free(r);
    return err;
}

/* The open directory fd `fd` with `rights`: BADF, then NOTDIR, then NOTCAPABLE. */
static WasiFd *dir_lookup(WasiCtx *ctx, uint32_t fd, uint64_t rights, int32_t *err)
{
    WasiFd *f = wasi_fd_lookup(ctx, fd, 0, err);
    if (!f)
        return NULL;
    if (f->filetype != WASI_FILETYPE_DIRECTORY) {
        *err = WASI_ERRNO_NOTDIR;
        return NULL;
    }
    if ((f->rights_base & rights) != rights) {
        *err = WASI_ERRNO_NOTCAPABLE;
        return NULL;
    }
    return f;
}

/* Shared prologue: find the directory, copy the path, resolve it. */
static int32_t begin(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t rights,
                     uint32_t path, uint32_t path_len, bool follow, bool lookup, Resolved *r)
{
    int32_t err;
    char *p;
    *r = (Resolved){.dirfd = -1};
    WasiFd *f = dir_lookup(ctx, fd, rights, &err);
    if (!f)
        return err;
    err = load_path(mem, path, path_len, &p);
    if (err)
        return err;
    err = resolve(ctx, f->host, p, follow, lookup, r);
    free(p);
    return err;
}

static int32_t host_result(int rc)
{
    return rc == 0 ? WASI_ERRNO_SUCCESS : wasi_errno_from_host(errno);
}

/* ---- the calls ---- */

int32_t wasi_path_open(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t dirflags,
                       uint32_t path, uint32_t path_len, uint32_t oflags, uint64_t rights_base,
                       uint64_t rights_inheriting, uint32_t fdflags, uint32_t fd_out)
{
    const uint32_t known_o = WASI_OFLAG_CREAT | WASI_OFLAG_DIRECTORY | WASI_OFLAG_EXCL |
                             WASI_OFLAG_TRUNC;
    const uint32_t known_fd = WASI_FDFLAG_APPEND | WASI_FDFLAG_DSYNC | WASI_FDFLAG_NONBLOCK |
                              WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
    uint64_t need = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_OFLAG_CREAT)
        need |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_OFLAG_TRUNC)
        need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    int32_t err;
    WasiFd *dir = dir_lookup(ctx, fd, need, &err);
    if (!dir)
        return err;
    if ((oflags & ~known_o) || (fdflags & ~known_fd))
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem, fd_out, 4))
        return WASI_ERRNO_FAULT;
    /* Rights the new fd may have: asked for AND inheritable from the directory. */
    uint64_t base = rights_base & dir->rights_inheriting;
    uint64_t inh = rights_inheriting & dir->rights_inheriting;

    Resolved r;
    err = begin(ctx, mem, fd, need, path, path_len, dirflags & WASI_LOOKUPFLAG_SYMLINK_FOLLOW,
                true, &r);
    if (err)
        return err;
    int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
    bool want_dir = (oflags & WASI_OFLAG_DIRECTORY) || r.slash;
    bool rd = base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    bool wr = base & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE |
                      WASI_RIGHT_FD_FILESTAT_SET_SIZE);
    if (want_dir)
        flags |= O_DIRECTORY | O_RDONLY; /* never opened for writing: ISDIR below */
    else
        flags |= wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (oflags & WASI_OFLAG_CREAT)
        flags |= O_CREAT;
    if (oflags & WASI_OFLAG_EXCL)
        flags |= O_EXCL;
    if (oflags & WASI_OFLAG_TRUNC)
        flags |= O_TRUNC;
    if (fdflags & WASI_FDFLAG_APPEND)
        flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK)
        flags |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_DSYNC)
        flags |= O_DSYNC;
    if (fdflags & (WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC))
        flags |= O_SYNC;
    int host = openat(r.dirfd, r.name, flags, 0666);
    int e = errno;
    resolved_free(&r);
    if (host < 0)
        return wasi_errno_from_host(e);
    struct stat st;
    if (fstat(host, &st) != 0) {
        e = errno;
        close(host);
        return wasi_errno_from_host(e);
    }
    uint8_t type = wasi_filetype_from_stat(host, &st);
    if (type == WASI_FILETYPE_DIRECTORY && wr) {
        /* Opened O_RDONLY above; write access was asked for (wasmtime: ISDIR). */
        close(host);
        return WASI_ERRNO_ISDIR;
    }
    uint64_t tb, ti;
    wasi_rights_for_filetype(type, &tb, &ti);
    uint32_t nfd;
    err = wasi_fd_insert(ctx, host, type, base & tb, inh & ti, &nfd);
    if (err)
        return err;
    wasi_st32(mem, fd_out, nfd);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_path_create_directory(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                                   uint32_t path_len)
{
    Resolved r;
    int32_t err = begin(ctx, mem, fd, WASI_RIGHT_PATH_CREATE_DIRECTORY, path, path_len, false,
                        false, &r);
    if (err)
        return err;
    err = host_result(mkdirat(r.dirfd, r.kname, 0777));
    resolved_free(&r);
    return err;
}

int32_t wasi_path_remove_directory(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                                   uint32_t path_len)
{
    Resolved r;
    int32_t err = begin(ctx, mem, fd, WASI_RIGHT_PATH_REMOVE_DIRECTORY, path, path_len, false,
                        false, &r);
    if (err)
        return err;
    err = host_result(unlinkat(r.dirfd, r.kname, AT_REMOVEDIR));
    resolved_free(&r);
    return err;
}

int32_t wasi_path_unlink_file(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                              uint32_t path_len)
{
    Resolved r;
    int32_t err = begin(ctx, mem, fd, WASI_RIGHT_PATH_UNLINK_FILE, path, path_len, false, false,
                        &r);
    if (err)
        return err;
    err = host_result(unlinkat(r.dirfd, r.kname, 0));
    resolved_free(&r);
    return err;
}

static int32_t filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t flags,
                            uint32_t path, uint32_t path_len, uint32_t out, bool unstable)
{
    Resolved r;
    int32_t err = begin(ctx, mem, fd, WASI_RIGHT_PATH_FILESTAT_GET, path, path_len,
                        flags & WASI_LOOKUPFLAG_SYMLINK_FOLLOW, true, &r);
    if (err)
        return err;
    struct stat st;
    if (fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        err = wasi_errno_from_host(errno);
    else if (r.slash && !S_ISDIR(st.st_mode))
        err = WASI_ERRNO_NOTDIR;
    else if (!wasi_mem_ok(mem, out, unstable ? WASI_UNSTABLE_FILESTAT_SIZE : WASI_FILESTAT_SIZE))
        err = WASI_ERRNO_FAULT;
    else
        wasi_store_filestat(mem, out, -1, &st, unstable);
    resolved_free(&r);
    return err;
}

int32_t wasi_path_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t flags,
                               uint32_t path, uint32_t path_len, uint32_t out)
{
    return filestat_get(ctx, mem, fd, flags, path, path_len, out, false);
}

int32_t wasi_unstable_path_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd,
                                        uint32_t flags, uint32_t path, uint32_t path_len,
                                        uint32_t out)
{
    return filestat_get(ctx, mem, fd, flags, path, path_len, out, true);
}

int32_t wasi_path_filestat_set_times(WasiCtx *ctx, const WasiMem *mem, uint32_t fd,
                                     uint32_t flags, uint32_t path, uint32_t path_len,
                                     uint64_t atim, uint64_t mtim, uint32_t fstflags)
{
    struct timespec ts[2];
    int32_t err = wasi_times_from_fst(atim, mtim, fstflags, ts);
    if (err)
        return err;
    Resolved r;
    err = begin(ctx, mem, fd, WASI_RIGHT_PATH_FILESTAT_SET_TIMES, path, path_len,
                flags & WASI_LOOKUPFLAG_SYMLINK_FOLLOW, true, &r);
    if (err)
        return err;
    err = host_result(utimensat(r.dirfd, r.name, ts, AT_SYMLINK_NOFOLLOW));
    resolved_free(&r);
    return err;
}

int32_t wasi_path_link(WasiCtx *ctx, const WasiMem *mem, uint32_t old_fd, uint32_t old_flags,
                       uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
                       uint32_t new_path, uint32_t new_path_len)
{
    int32_t err;
    if (!dir_lookup(ctx, new_fd, WASI_RIGHT_PATH_LINK_TARGET, &err))
        return err;
    Resolved o, n;
    err = begin(ctx, mem, old_fd, WASI_RIGHT_PATH_LINK_SOURCE, old_path, old_path_len,
                old_flags & WASI_LOOKUPFLAG_SYMLINK_FOLLOW, true, &o);
    if (err)
        return err;
    err = begin(ctx, mem, new_fd, WASI_RIGHT_PATH_LINK_TARGET, new_path, new_path_len, false,
                false, &n);
    if (!err) {
        /* flags 0: the old name was already resolved; link it, not its target */
        err = host_result(linkat(o.dirfd, o.kname, n.dirfd, n.kname, 0));
        resolved_free(&n);
    }
    resolved_free(&o);
    return err;
}

int32_t wasi_path_rename(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t old_path,
                         uint32_t old_path_len, uint32_t new_fd, uint32_t new_path,
                         uint32_t new_path_len)
{
    int32_t err;
    if (!dir_lookup(ctx, new_fd, WASI_RIGHT_PATH_RENAME_TARGET, &err))
        return err;
    Resolved o, n;
    err = begin(ctx, mem, fd, WASI_RIGHT_PATH_RENAME_SOURCE, old_path, old_path_len, false, false,
                &o);
    if (err)
        return err;
    err = begin(ctx, mem, new_fd, WASI_RIGHT_PATH_RENAME_TARGET, new_path, new_path_len, false,
                false, &n);
    if (!err) {
        err = host_result(renameat(o.dirfd, o.kname, n.dirfd, n.kname));
        resolved_free(&n);
    }
    resolved_free(&o);
    return err;
}

/* The link's contents are not resolved now, but an absolute target could only
 * ever point outside the sandbox (and would be refused when followed), so it is
 * refused at creation as well. */
int32_t wasi_path_symlink(WasiCtx *ctx, const WasiMem *mem, uint32_t old_path,
                          uint32_t old_path_len, uint32_t fd, uint32_t new_path,
                          uint32_t new_path_len)
{
    int32_t err;
    if (!dir_lookup(ctx, fd, WASI_RIGHT_PATH_SYMLINK, &err))
        return err;
    char *target;
    err = load_path(mem, old_path, old_path_len, &target);
    if (err)
        return err;
    if (target[0] == '/') {
        free(target);
        return WASI_ERRNO_PERM;
    }
    Resolved r;
    err = begin(ctx, mem, fd, WASI_RIGHT_PATH_SYMLINK, new_path, new_path_len, false, false, &r);
    if (!err && r.slash) {
        /* A link name with a trailing slash can never be created: report why
         * as wasmtime does (Linux itself says EEXIST for an existing file). */
        struct stat st;
        if (fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            err = WASI_ERRNO_NOENT;
        else
            err = S_ISDIR(st.st_mode) ? WASI_ERRNO_EXIST : WASI_ERRNO_NOTDIR;
        resolved_free(&r);
    } else if (!err) {
        err = host_result(symlinkat(target, r.dirfd, r.kname));
        resolved_free(&r);
    }
    free(target);
    return err;
}

/* A buffer shorter than the link gets its first buf_len bytes (POSIX readlink
 * behaviour, which the wasi-testsuite expects); no NUL is written. */
int32_t wasi_path_readlink(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                           uint32_t path_len, uint32_t buf, uint32_t buf_len,
                           uint32_t bufused_out)
{
    int32_t err;
    if (!dir_lookup(ctx, fd, WASI_RIGHT_PATH_READLINK, &err))
        return err;
    if (!wasi_mem_ok(mem, buf, buf_len) || !wasi_mem_ok(mem, bufused_out, 4))
        return WASI_ERRNO_FAULT;
    Resolved r;
    err = begin(ctx, mem, fd, WASI_RIGHT_PATH_READLINK, path, path_len, false, true, &r);
    if (err)
        return err;
    char *tmp = malloc(PATH_MAX + 1);
    ssize_t n = tmp ? readlinkat(r.dirfd, r.name, tmp, PATH_MAX + 1) : -1;
    if (!tmp)
        err = WASI_ERRNO_NOMEM;
    else if (n < 0)
        err = wasi_errno_from_host(errno);
    else {
        size_t k = (size_t)n < buf_len ? (size_t)n : buf_len;
        memcpy(wasi_mem_at(mem, buf), tmp, k);
        wasi_st32(mem, bufused_out, (uint32_t)k);
    }
    free(tmp);
    resolved_free(&r);
    return err;
}
