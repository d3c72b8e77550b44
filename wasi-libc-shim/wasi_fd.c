/* wasi_fd.c - fd_* calls: I/O, seeking, stat, flags, rights, prestat, readdir.
 *
 * Every call first finds the fd and checks its rights (BADF, NOTCAPABLE), then
 * checks all guest ranges it will touch (FAULT), then acts.  Offsets and sizes
 * arrive as u64 and are refused (INVAL) above INT64_MAX rather than wrapping
 * into a negative off_t.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "wasi_internal.h"

int32_t wasi_iovs_load(const WasiMem *mem, uint32_t iovs, uint32_t n, struct iovec *stack,
                       struct iovec **out, int *count)
{
    if (!wasi_mem_ok_array(mem, iovs, n, WASI_IOVEC_SIZE))
        return WASI_ERRNO_FAULT;
    /* Only the first IOV_MAX buffers are used: a short transfer is legal, and
     * readv/writev refuse more.  All n are still validated. */
    uint32_t m = n > IOV_MAX ? IOV_MAX : n;
    struct iovec *v = stack;
    if (m > WASI_IOV_STACK) {
        v = malloc(m * sizeof *v);
        if (!v)
            return WASI_ERRNO_NOMEM;
    }
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t p = (uint64_t)iovs + (uint64_t)i * WASI_IOVEC_SIZE;
        uint32_t buf = wasi_ld32(mem, p), len = wasi_ld32(mem, p + 4);
        if (!wasi_mem_ok(mem, buf, len)) {
            if (v != stack)
                free(v);
            return WASI_ERRNO_FAULT;
        }
        if (i >= m)
            continue;
        if (total + len > UINT32_MAX) /* keep the byte count representable as u32 */
            len = (uint32_t)(UINT32_MAX - total);
        v[i].iov_base = wasi_mem_at(mem, buf);
        v[i].iov_len = len;
        total += len;
    }
    *out = v;
    *count = (int)m;
    return WASI_ERRNO_SUCCESS;
}

enum { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE };

static int32_t do_io(WasiCtx *ctx, const WasiMem *mem, int kind, uint32_t fd, uint32_t iovs,
                     uint32_t iovs_len, uint64_t offset, uint32_t n_out)
{
    static const uint64_t need[] = {
        [IO_READ] = WASI_RIGHT_FD_READ,
        [IO_WRITE] = WASI_RIGHT_FD_WRITE,
        [IO_PREAD] = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK,
        [IO_PWRITE] = WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK,
    };
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, need[kind], &err);
    if (!f)
        return err;
    if (!wasi_mem_ok(mem, n_out, 4))
        return WASI_ERRNO_FAULT;
    if ((kind == IO_PREAD || kind == IO_PWRITE) && offset > INT64_MAX)
        return WASI_ERRNO_INVAL;
    struct iovec stack[WASI_IOV_STACK], *v;
    int cnt;
    err = wasi_iovs_load(mem, iovs, iovs_len, stack, &v, &cnt);
    if (err)
        return err;
    ssize_t r;
    do {
        switch (kind) {
        case IO_READ: r = readv(f->host, v, cnt); break;
        case IO_WRITE: r = writev(f->host, v, cnt); break;
        case IO_PREAD: r = preadv(f->host, v, cnt, (off_t)offset); break;
        default: r = pwritev(f->host, v, cnt, (off_t)offset); break;
        }
    } while (r < 0 && errno == EINTR);
    int e = errno;
    if (v != stack)
        free(v);
    if (r < 0)
        return wasi_errno_from_host(e);
    wasi_st32(mem, n_out, (uint32_t)r);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_fd_read(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                     uint32_t iovs_len, uint32_t nread_out)
{
    return do_io(ctx, mem, IO_READ, fd, iovs, iovs_len, 0, nread_out);
}

int32_t wasi_fd_write(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                      uint32_t iovs_len, uint32_t nwritten_out)
{
    return do_io(ctx, mem, IO_WRITE, fd, iovs, iovs_len, 0, nwritten_out);
}

int32_t wasi_fd_pread(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                      uint32_t iovs_len, uint64_t offset, uint32_t nread_out)
{
    return do_io(ctx, mem, IO_PREAD, fd, iovs, iovs_len, offset, nread_out);
}

int32_t wasi_fd_pwrite(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t iovs,
                       uint32_t iovs_len, uint64_t offset, uint32_t nwritten_out)
{
    return do_io(ctx, mem, IO_PWRITE, fd, iovs, iovs_len, offset, nwritten_out);
}

static int32_t seek(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset, int how,
                    uint32_t out)
{
    /* A pure "where am I" (offset 0 from CUR) needs only FD_TELL. */
    uint64_t need = (offset == 0 && how == SEEK_CUR) ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK;
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, need, &err);
    if (!f)
        return err;
    if (how < 0)
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem, out, 8))
        return WASI_ERRNO_FAULT;
    off_t r = lseek(f->host, (off_t)(int64_t)offset, how); /* filedelta is signed */
    if (r < 0)
        return wasi_errno_from_host(errno);
    wasi_st64(mem, out, (uint64_t)r);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_fd_seek(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                     uint32_t whence, uint32_t newoffset_out)
{
    int how = whence == WASI_WHENCE_SET   ? SEEK_SET
              : whence == WASI_WHENCE_CUR ? SEEK_CUR
              : whence == WASI_WHENCE_END ? SEEK_END
                                          : -1;
    return seek(ctx, mem, fd, offset, how, newoffset_out);
}

int32_t wasi_unstable_fd_seek(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                              uint32_t whence, uint32_t newoffset_out)
{
    int how = whence == WASI_UNSTABLE_WHENCE_SET   ? SEEK_SET
              : whence == WASI_UNSTABLE_WHENCE_CUR ? SEEK_CUR
              : whence == WASI_UNSTABLE_WHENCE_END ? SEEK_END
                                                   : -1;
    return seek(ctx, mem, fd, offset, how, newoffset_out);
}

int32_t wasi_fd_tell(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t offset_out)
{
    return seek(ctx, mem, fd, 0, SEEK_CUR, offset_out);
}

int32_t wasi_fd_close(WasiCtx *ctx, const WasiMem *mem, uint32_t fd)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, 0, &err);
    if (!f)
        return err;
    wasi_fd_release(f);
    return WASI_ERRNO_SUCCESS;
}

/* Both numbers must be open (wasmtime does the same); `to` is closed first. */
int32_t wasi_fd_renumber(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t to)
{
    int32_t err;
    WasiFd *from = wasi_fd_lookup(ctx, fd, 0, &err);
    if (!from)
        return err;
    WasiFd *dst = wasi_fd_lookup(ctx, to, 0, &err);
    if (!dst)
        return err;
    if (from == dst)
        return WASI_ERRNO_SUCCESS;
    wasi_fd_release(dst);
    *dst = *from;
    *from = (WasiFd){.host = -1};
    return WASI_ERRNO_SUCCESS;
}

static int32_t sync_common(WasiCtx *ctx, uint32_t fd, uint64_t right, bool data)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, right, &err);
    if (!f)
        return err;
    if ((data ? fdatasync(f->host) : fsync(f->host)) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_fd_sync(WasiCtx *ctx, const WasiMem *mem, uint32_t fd)
{
    return sync_common(ctx, fd, WASI_RIGHT_FD_SYNC, false);
}

int32_t wasi_fd_datasync(WasiCtx *ctx, const WasiMem *mem, uint32_t fd)
{
    return sync_common(ctx, fd, WASI_RIGHT_FD_DATASYNC, true);
}

int32_t wasi_fd_advise(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                       uint64_t len, uint32_t advice)
{
    static const int map[] = {
        [WASI_ADVICE_NORMAL] = POSIX_FADV_NORMAL,     [WASI_ADVICE_SEQUENTIAL] = POSIX_FADV_SEQUENTIAL,
        [WASI_ADVICE_RANDOM] = POSIX_FADV_RANDOM,     [WASI_ADVICE_WILLNEED] = POSIX_FADV_WILLNEED,
        [WASI_ADVICE_DONTNEED] = POSIX_FADV_DONTNEED, [WASI_ADVICE_NOREUSE] = POSIX_FADV_NOREUSE,
    };
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_ADVISE, &err);
    if (!f)
        return err;
    if (advice > WASI_ADVICE_NOREUSE || offset > INT64_MAX || len > INT64_MAX)
        return WASI_ERRNO_INVAL;
    int r = posix_fadvise(f->host, (off_t)offset, (off_t)len, map[advice]);
    return wasi_errno_from_host(r); /* posix_fadvise returns the error, not -1 */
}

int32_t wasi_fd_allocate(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t offset,
                         uint64_t len)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_ALLOCATE, &err);
    if (!f)
        return err;
    if (offset > INT64_MAX || len > INT64_MAX || offset + len > INT64_MAX)
        return WASI_ERRNO_INVAL;
    if (len == 0)
        return WASI_ERRNO_SUCCESS; /* posix_fallocate refuses len 0; nothing to do */
    int r = posix_fallocate(f->host, (off_t)offset, (off_t)len);
    return wasi_errno_from_host(r);
}

static uint16_t host_to_fdflags(int fl)
{
    uint16_t r = 0;
    if (fl & O_APPEND)
        r |= WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK)
        r |= WASI_FDFLAG_NONBLOCK;
    /* On Linux O_SYNC includes the O_DSYNC bit and O_RSYNC == O_SYNC. */
    if ((fl & O_SYNC) == O_SYNC)
        r |= WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC;
    if (fl & O_DSYNC)
        r |= WASI_FDFLAG_DSYNC;
    return r;
}

int32_t wasi_fd_fdstat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t out)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, 0, &err);
    if (!f)
        return err;
    if (!wasi_mem_ok(mem, out, WASI_FDSTAT_SIZE))
        return WASI_ERRNO_FAULT;
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0)
        return wasi_errno_from_host(errno);
    memset(wasi_mem_at(mem, out), 0, WASI_FDSTAT_SIZE);
    wasi_st8(mem, out + 0, f->filetype);
    wasi_st16(mem, out + 2, host_to_fdflags(fl));
    wasi_st64(mem, out + 8, f->rights_base);
    wasi_st64(mem, out + 16, f->rights_inheriting);
    return WASI_ERRNO_SUCCESS;
}

/* Linux can change only O_APPEND and O_NONBLOCK after open; asking to change a
 * sync flag is refused (NOTSUP) instead of silently ignored. */
int32_t wasi_fd_fdstat_set_flags(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t flags)
{
    const uint32_t syncs = WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC;
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &err);
    if (!f)
        return err;
    if (flags & ~(uint32_t)(WASI_FDFLAG_APPEND | WASI_FDFLAG_NONBLOCK | syncs))
        return WASI_ERRNO_INVAL;
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0)
        return wasi_errno_from_host(errno);
    if ((flags & syncs) != (host_to_fdflags(fl) & syncs))
        return WASI_ERRNO_NOTSUP;
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAG_APPEND)
        fl |= O_APPEND;
    if (flags & WASI_FDFLAG_NONBLOCK)
        fl |= O_NONBLOCK;
    if (fcntl(f->host, F_SETFL, fl) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ERRNO_SUCCESS;
}

/* Rights can only be dropped, never gained. */
int32_t wasi_fd_fdstat_set_rights(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t base,
                                  uint64_t inheriting)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, 0, &err);
    if (!f)
        return err;
    if ((base & ~f->rights_base) || (inheriting & ~f->rights_inheriting))
        return WASI_ERRNO_NOTCAPABLE;
    f->rights_base = base;
    f->rights_inheriting = inheriting;
    return WASI_ERRNO_SUCCESS;
}

static int32_t filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t out,
                            bool unstable)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FILESTAT_GET, &err);
    if (!f)
        return err;
    if (!wasi_mem_ok(mem, out, unstable ? WASI_UNSTABLE_FILESTAT_SIZE : WASI_FILESTAT_SIZE))
        return WASI_ERRNO_FAULT;
    struct stat st;
    if (fstat(f->host, &st) != 0)
        return wasi_errno_from_host(errno);
    wasi_store_filestat(mem, out, f->host, &st, unstable);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_fd_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t out)
{
    return filestat_get(ctx, mem, fd, out, false);
}

int32_t wasi_unstable_fd_filestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd,
                                      uint32_t out)
{
    return filestat_get(ctx, mem, fd, out, true);
}

int32_t wasi_fd_filestat_set_size(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t size)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FILESTAT_SET_SIZE, &err);
    if (!f)
        return err;
    if (size > INT64_MAX)
        return WASI_ERRNO_INVAL;
    if (ftruncate(f->host, (off_t)size) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_fd_filestat_set_times(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint64_t atim,
                                   uint64_t mtim, uint32_t fstflags)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_FILESTAT_SET_TIMES, &err);
    if (!f)
        return err;
    struct timespec ts[2];
    err = wasi_times_from_fst(atim, mtim, fstflags, ts);
    if (err)
        return err;
    if (futimens(f->host, ts) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ERRNO_SUCCESS;
}

/* Only preopens have a prestat; anything else is BADF, as in wasmtime. */
static WasiFd *preopen_lookup(WasiCtx *ctx, uint32_t fd, int32_t *err)
{
    WasiFd *f = wasi_fd_lookup(ctx, fd, 0, err);
    if (f && !f->prestat_name) {
        *err = WASI_ERRNO_BADF;
        return NULL;
    }
    return f;
}

int32_t wasi_fd_prestat_get(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t out)
{
    int32_t err;
    WasiFd *f = preopen_lookup(ctx, fd, &err);
    if (!f)
        return err;
    if (!wasi_mem_ok(mem, out, WASI_PRESTAT_SIZE))
        return WASI_ERRNO_FAULT;
    memset(wasi_mem_at(mem, out), 0, WASI_PRESTAT_SIZE);
    wasi_st8(mem, out, WASI_PREOPENTYPE_DIR);
    wasi_st32(mem, out + 4, (uint32_t)strlen(f->prestat_name));
    return WASI_ERRNO_SUCCESS;
}

/* Writes the name without a NUL; a buffer shorter than the name is NAMETOOLONG. */
int32_t wasi_fd_prestat_dir_name(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t path,
                                 uint32_t path_len)
{
    int32_t err;
    WasiFd *f = preopen_lookup(ctx, fd, &err);
    if (!f)
        return err;
    size_t n = strlen(f->prestat_name);
    if (path_len < n)
        return WASI_ERRNO_NAMETOOLONG;
    if (!wasi_mem_ok(mem, path, n))
        return WASI_ERRNO_FAULT;
    memcpy(wasi_mem_at(mem, path), f->prestat_name, n);
    return WASI_ERRNO_SUCCESS;
}

static uint8_t filetype_from_dirent(DIR *d, const struct dirent *de)
{
    switch (de->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
    default: { /* DT_UNKNOWN: some file systems do not fill d_type */
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return WASI_FILETYPE_UNKNOWN;
        return wasi_filetype_from_stat(-1, &st);
    }
    }
}

/* Cookies are entry indices: cookie c means "start at the c-th entry" (0 = the
 * start), and each dirent's d_next is its index + 1.  The DIR stream is kept
 * between calls so sequential reading is linear; an earlier cookie rewinds
 * (which also picks up changes to the directory).  An entry that does not fit
 * is written partially to fill the buffer (bufused == buf_len tells the guest
 * to call again) and is not consumed. */
int32_t wasi_fd_readdir(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t buf,
                        uint32_t buf_len, uint64_t cookie, uint32_t bufused_out)
{
    int32_t err;
    WasiFd *f = wasi_fd_lookup(ctx, fd, WASI_RIGHT_FD_READDIR, &err);
    if (!f)
        return err;
    if (f->filetype != WASI_FILETYPE_DIRECTORY)
        return WASI_ERRNO_NOTDIR;
    if (!wasi_mem_ok(mem, buf, buf_len) || !wasi_mem_ok(mem, bufused_out, 4))
        return WASI_ERRNO_FAULT;
    if (!f->dir) {
        /* An fd of its own, so the stream's offset is not the guest's. */
        int d = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d < 0)
            return wasi_errno_from_host(errno);
        f->dir = fdopendir(d);
        if (!f->dir) {
            int e = errno;
            close(d);
            return wasi_errno_from_host(e);
        }
        f->dir_cookie = 0;
    }
    if (cookie < f->dir_cookie) {
        rewinddir(f->dir);
        f->dir_cookie = 0;
    }
    while (f->dir_cookie < cookie) {
        errno = 0;
        if (!readdir(f->dir)) {
            if (errno)
                return wasi_errno_from_host(errno);
            wasi_st32(mem, bufused_out, 0); /* cookie beyond the end */
            return WASI_ERRNO_SUCCESS;
        }
        f->dir_cookie++;
    }
    uint32_t used = 0;
    while (used < buf_len) {
        long pos = telldir(f->dir);
        errno = 0;
        struct dirent *de = readdir(f->dir);
        if (!de) {
            if (errno)
                return wasi_errno_from_host(errno);
            break;
        }
        size_t namlen = strlen(de->d_name);
        uint8_t hdr[WASI_DIRENT_SIZE] = {0};
        uint64_t next = WASI_LE64(f->dir_cookie + 1), ino = WASI_LE64((uint64_t)de->d_ino);
        uint32_t nl = WASI_LE32((uint32_t)namlen);
        memcpy(hdr + 0, &next, 8);
        memcpy(hdr + 8, &ino, 8);
        memcpy(hdr + 16, &nl, 4);
        hdr[20] = filetype_from_dirent(f->dir, de);
        uint32_t room = buf_len - used;
        uint32_t h = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
        memcpy(wasi_mem_at(mem, (uint64_t)buf + used), hdr, h);
        used += h;
        room -= h;
        uint32_t nm = room < namlen ? room : (uint32_t)namlen;
        memcpy(wasi_mem_at(mem, (uint64_t)buf + used), de->d_name, nm);
        used += nm;
        if (h < WASI_DIRENT_SIZE || nm < namlen) {
            seekdir(f->dir, pos); /* not consumed: the next call starts with it */
            break;
        }
        f->dir_cookie++;
    }
    wasi_st32(mem, bufused_out, used);
    return WASI_ERRNO_SUCCESS;
}
