/* wasi_sock.c - sock_accept, sock_recv, sock_send, sock_shutdown on sockets the
 * embedder handed over (WasiConfig.socket_fds) or that were accepted from them.
 * Preview1 cannot create or connect sockets; a non-socket fd is NOTSOCK (checked
 * before the rights, as wasmtime does).  Sends use MSG_NOSIGNAL so a closed peer
 * is EPIPE, never SIGPIPE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wasi_internal.h"

/* The open socket `fd` holding `right`: BADF if not open, NOTSOCK if not a socket
 * (before the rights check: no other file type has sock_* rights), NOTCAPABLE. */
static WasiFd *sock_lookup(WasiCtx *ctx, uint32_t fd, uint64_t right, int32_t *err)
{
    WasiFd *f = wasi_fd_lookup(ctx, fd, 0, err);
    if (!f)
        return NULL;
    if (f->filetype != WASI_FILETYPE_SOCKET_STREAM &&
        f->filetype != WASI_FILETYPE_SOCKET_DGRAM) {
        *err = WASI_ERRNO_NOTSOCK;
        return NULL;
    }
    return wasi_fd_lookup(ctx, fd, right, err);
}

int32_t wasi_sock_accept(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t flags,
                         uint32_t fd_out)
{
    int32_t err;
    WasiFd *f = sock_lookup(ctx, fd, WASI_RIGHT_SOCK_ACCEPT, &err);
    if (!f)
        return err;
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
        return WASI_ERRNO_INVAL; /* only NONBLOCK means anything for a new socket */
    if (!wasi_mem_ok(mem, fd_out, 4))
        return WASI_ERRNO_FAULT;
    int s;
    do
        s = accept4(f->host, NULL, NULL,
                    SOCK_CLOEXEC | ((flags & WASI_FDFLAG_NONBLOCK) ? SOCK_NONBLOCK : 0));
    while (s < 0 && errno == EINTR);
    if (s < 0)
        return wasi_errno_from_host(errno);
    struct stat st;
    uint8_t type = fstat(s, &st) == 0 ? wasi_filetype_from_stat(s, &st)
                                      : WASI_FILETYPE_SOCKET_STREAM;
    uint32_t nfd;
    err = wasi_fd_insert(ctx, s, type, WASI_RIGHTS_SOCKET & ~WASI_RIGHT_SOCK_ACCEPT, 0, &nfd);
    if (err)
        return err;
    wasi_st32(mem, fd_out, nfd);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_sock_recv(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t ri_data,
                       uint32_t ri_data_len, uint32_t ri_flags, uint32_t ro_datalen_out,
                       uint32_t ro_flags_out)
{
    int32_t err;
    WasiFd *f = sock_lookup(ctx, fd, WASI_RIGHT_FD_READ, &err);
    if (!f)
        return err;
    if (ri_flags & ~(uint32_t)(WASI_RIFLAG_RECV_PEEK | WASI_RIFLAG_RECV_WAITALL))
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem, ro_datalen_out, 4) || !wasi_mem_ok(mem, ro_flags_out, 2))
        return WASI_ERRNO_FAULT;
    struct iovec stack[WASI_IOV_STACK], *v;
    int cnt;
    err = wasi_iovs_load(mem, ri_data, ri_data_len, stack, &v, &cnt);
    if (err)
        return err;
    struct msghdr msg = {.msg_iov = v, .msg_iovlen = (size_t)cnt};
    int fl = ((ri_flags & WASI_RIFLAG_RECV_PEEK) ? MSG_PEEK : 0) |
             ((ri_flags & WASI_RIFLAG_RECV_WAITALL) ? MSG_WAITALL : 0);
    ssize_t r;
    do
        r = recvmsg(f->host, &msg, fl);
    while (r < 0 && errno == EINTR);
    int e = errno;
    if (v != stack)
        free(v);
    if (r < 0)
        return wasi_errno_from_host(e);
    wasi_st32(mem, ro_datalen_out, (uint32_t)r);
    wasi_st16(mem, ro_flags_out, (msg.msg_flags & MSG_TRUNC) ? WASI_ROFLAG_RECV_DATA_TRUNCATED : 0);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_sock_send(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t si_data,
                       uint32_t si_data_len, uint32_t si_flags, uint32_t so_datalen_out)
{
    int32_t err;
    WasiFd *f = sock_lookup(ctx, fd, WASI_RIGHT_FD_WRITE, &err);
    if (!f)
        return err;
    if (si_flags != 0)
        return WASI_ERRNO_INVAL; /* siflags has no flags defined */
    if (!wasi_mem_ok(mem, so_datalen_out, 4))
        return WASI_ERRNO_FAULT;
    struct iovec stack[WASI_IOV_STACK], *v;
    int cnt;
    err = wasi_iovs_load(mem, si_data, si_data_len, stack, &v, &cnt);
    if (err)
        return err;
    struct msghdr msg = {.msg_iov = v, .msg_iovlen = (size_t)cnt};
    ssize_t r;
    do
        r = sendmsg(f->host, &msg, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    int e = errno;
    if (v != stack)
        free(v);
    if (r < 0)
        return wasi_errno_from_host(e);
    wasi_st32(mem, so_datalen_out, (uint32_t)r);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_sock_shutdown(WasiCtx *ctx, const WasiMem *mem, uint32_t fd, uint32_t how)
{
    int32_t err;
    WasiFd *f = sock_lookup(ctx, fd, WASI_RIGHT_SOCK_SHUTDOWN, &err);
    if (!f)
        return err;
    int h;
    switch (how) {
    case WASI_SDFLAG_RD: h = SHUT_RD; break;
    case WASI_SDFLAG_WR: h = SHUT_WR; break;
    case WASI_SDFLAG_RD | WASI_SDFLAG_WR: h = SHUT_RDWR; break;
    default: return WASI_ERRNO_INVAL;
    }
    if (shutdown(f->host, h) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ERRNO_SUCCESS;
}
