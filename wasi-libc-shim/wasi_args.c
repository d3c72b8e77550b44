/* wasi_args.c - args, environment, clocks, random, sched_yield, proc_exit,
 * proc_raise.
 *
 * The string calls write an array of u32 guest pointers plus the packed strings;
 * both ranges are checked before anything is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "wasi_internal.h"

static int32_t strings_get(const WasiMem *mem, const char *buf, uint32_t size, uint32_t count,
                           uint32_t ptrs, uint32_t bufp)
{
    if (!wasi_mem_ok_array(mem, ptrs, count, 4) || !wasi_mem_ok(mem, bufp, size))
        return WASI_ERRNO_FAULT;
    memcpy(wasi_mem_at(mem, bufp), buf, size);
    uint32_t off = 0;
    for (uint32_t i = 0; i < count; i++) {
        wasi_st32(mem, (uint64_t)ptrs + 4u * i, bufp + off); /* bufp+size fits: checked */
        off += (uint32_t)strlen(buf + off) + 1;
    }
    return WASI_ERRNO_SUCCESS;
}

static int32_t sizes_get(const WasiMem *mem, uint32_t count, uint32_t size, uint32_t count_out,
                         uint32_t size_out)
{
    if (!wasi_mem_ok(mem, count_out, 4) || !wasi_mem_ok(mem, size_out, 4))
        return WASI_ERRNO_FAULT;
    wasi_st32(mem, count_out, count);
    wasi_st32(mem, size_out, size);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_args_get(WasiCtx *ctx, const WasiMem *mem, uint32_t argv, uint32_t argv_buf)
{
    return strings_get(mem, ctx->args_buf, ctx->args_size, ctx->argc, argv, argv_buf);
}

int32_t wasi_args_sizes_get(WasiCtx *ctx, const WasiMem *mem, uint32_t argc_out,
                            uint32_t argv_buf_size_out)
{
    return sizes_get(mem, ctx->argc, ctx->args_size, argc_out, argv_buf_size_out);
}

int32_t wasi_environ_get(WasiCtx *ctx, const WasiMem *mem, uint32_t environ,
                         uint32_t environ_buf)
{
    return strings_get(mem, ctx->env_buf, ctx->env_size, ctx->envc, environ, environ_buf);
}

int32_t wasi_environ_sizes_get(WasiCtx *ctx, const WasiMem *mem, uint32_t count_out,
                               uint32_t buf_size_out)
{
    return sizes_get(mem, ctx->envc, ctx->env_size, count_out, buf_size_out);
}

static bool host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME_ID: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME_ID: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

int32_t wasi_clock_now(uint32_t id, uint64_t *ns)
{
    clockid_t c;
    struct timespec ts;
    if (!host_clock(id, &c))
        return WASI_ERRNO_INVAL;
    if (clock_gettime(c, &ts) != 0)
        return wasi_errno_from_host(errno);
    *ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_clock_res_get(WasiCtx *ctx, const WasiMem *mem, uint32_t id, uint32_t res_out)
{
    clockid_t c;
    struct timespec ts;
    if (!host_clock(id, &c))
        return WASI_ERRNO_INVAL;
    if (!wasi_mem_ok(mem, res_out, 8))
        return WASI_ERRNO_FAULT;
    if (clock_getres(c, &ts) != 0)
        return wasi_errno_from_host(errno);
    wasi_st64(mem, res_out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    return WASI_ERRNO_SUCCESS;
}

/* `precision` is a hint (the maximum lag the caller tolerates); the host clock
 * is always read at full precision. */
int32_t wasi_clock_time_get(WasiCtx *ctx, const WasiMem *mem, uint32_t id, uint64_t precision,
                            uint32_t time_out)
{
    uint64_t ns;
    if (!wasi_mem_ok(mem, time_out, 8))
        return WASI_ERRNO_FAULT;
    int32_t err = wasi_clock_now(id, &ns);
    if (err == 0)
        wasi_st64(mem, time_out, ns);
    return err;
}

int32_t wasi_random_get(WasiCtx *ctx, const WasiMem *mem, uint32_t buf, uint32_t buf_len)
{
    if (!wasi_mem_ok(mem, buf, buf_len))
        return WASI_ERRNO_FAULT;
    uint8_t *p = wasi_mem_at(mem, buf);
    size_t left = buf_len;
    int urandom = -1;
    while (left > 0) {
        ssize_t n;
        if (urandom < 0) {
            n = getrandom(p, left, 0);
            if (n < 0 && errno == ENOSYS) { /* pre-3.17 kernel */
                urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
                if (urandom < 0)
                    return wasi_errno_from_host(errno);
                continue;
            }
        } else {
            n = read(urandom, p, left);
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            if (urandom >= 0)
                close(urandom);
            return wasi_errno_from_host(e);
        }
        p += n;
        left -= (size_t)n;
    }
    if (urandom >= 0)
        close(urandom);
    return WASI_ERRNO_SUCCESS;
}

int32_t wasi_sched_yield(WasiCtx *ctx, const WasiMem *mem)
{
    sched_yield();
    return WASI_ERRNO_SUCCESS;
}

WASI_NORETURN void wasi_proc_exit(WasiCtx *ctx, const WasiMem *mem, uint32_t rval)
{
    if (ctx && ctx->exit_fn)
        ctx->exit_fn(ctx->exit_user, (int32_t)rval);
    exit((int)rval);
}

/* Raising a host signal on behalf of the guest would bypass the sandbox (and
 * preview1 dropped the idea); like wasmtime, the call is not supported. */
int32_t wasi_proc_raise(WasiCtx *ctx, const WasiMem *mem, uint32_t sig)
{
    return WASI_ERRNO_NOSYS;
}
