/* Minimal WASI host for benchmark modules translated by wasm2c (wabt 1.0.32 naming).
 *
 * The module is translated with `wasm2c prog.wasm -n bench -o module.c`, so its
 * symbols are Z_bench_* and its imports Z_wasi_snapshot_preview1Z_<name>. Only the
 * preview1 calls the benchmark programs need are provided: args, environ (empty),
 * clocks, fd_write/fd_close/fd_seek/fd_fdstat_get on the standard descriptors, and
 * proc_exit. A module importing anything else fails to link, which is the point:
 * the benchmarks must stay within this set.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "module.h"
#include "wasm-rt-impl.h"

struct Z_wasi_snapshot_preview1_instance_t {
    wasm_rt_memory_t *mem;
    int argc;
    char **argv;
};

enum { E_SUCCESS = 0, E_BADF = 8, E_FAULT = 21, E_INVAL = 28, E_IO = 29, E_SPIPE = 70 };

typedef struct Z_wasi_snapshot_preview1_instance_t host_t;

static int in_bounds(host_t *h, uint64_t ptr, uint64_t len) {
    return ptr <= h->mem->size && len <= h->mem->size - ptr;
}
static void st32(host_t *h, uint32_t p, uint32_t v) { memcpy(h->mem->data + p, &v, 4); }
static void st64(host_t *h, uint32_t p, uint64_t v) { memcpy(h->mem->data + p, &v, 8); }
static uint32_t ld32(host_t *h, uint32_t p) { uint32_t v; memcpy(&v, h->mem->data + p, 4); return v; }

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(host_t *h, u32 argc_p, u32 size_p) {
    if (!in_bounds(h, argc_p, 4) || !in_bounds(h, size_p, 4)) return E_FAULT;
    uint32_t size = 0;
    for (int i = 0; i < h->argc; i++) size += (uint32_t)strlen(h->argv[i]) + 1;
    st32(h, argc_p, (uint32_t)h->argc);
    st32(h, size_p, size);
    return E_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_get(host_t *h, u32 argv_p, u32 buf_p) {
    if (!in_bounds(h, argv_p, 4ull * (uint64_t)h->argc)) return E_FAULT;
    for (int i = 0; i < h->argc; i++) {
        uint32_t n = (uint32_t)strlen(h->argv[i]) + 1;
        if (!in_bounds(h, buf_p, n)) return E_FAULT;
        memcpy(h->mem->data + buf_p, h->argv[i], n);
        st32(h, argv_p + 4u * (uint32_t)i, buf_p);
        buf_p += n;
    }
    return E_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(host_t *h, u32 count_p, u32 size_p) {
    if (!in_bounds(h, count_p, 4) || !in_bounds(h, size_p, 4)) return E_FAULT;
    st32(h, count_p, 0);
    st32(h, size_p, 0);
    return E_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_environ_get(host_t *h, u32 env_p, u32 buf_p) {
    (void)h; (void)env_p; (void)buf_p;
    return E_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(host_t *h, u32 id, u64 precision, u32 time_p) {
    (void)precision;
    static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                    CLOCK_THREAD_CPUTIME_ID};
    if (id > 3) return E_INVAL;
    if (!in_bounds(h, time_p, 8)) return E_FAULT;
    struct timespec ts;
    if (clock_gettime(ids[id], &ts) != 0) return E_INVAL;
    st64(h, time_p, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    return E_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(host_t *h, u32 fd, u32 iovs, u32 n, u32 written_p) {
    if (fd > 2) return E_BADF;
    if (!in_bounds(h, iovs, 8ull * n) || !in_bounds(h, written_p, 4)) return E_FAULT;
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t base = ld32(h, iovs + 8 * i), len = ld32(h, iovs + 8 * i + 4);
        if (!in_bounds(h, base, len)) return E_FAULT;
        const uint8_t *p = h->mem->data + base;
        while (len) {
            ssize_t w = write((int)fd, p, len);
            if (w < 0) {
                if (errno == EINTR) continue;
                return E_IO;
            }
            p += w; len -= (uint32_t)w; total += (uint32_t)w;
        }
    }
    st32(h, written_p, total);
    return E_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(host_t *h, u32 fd) {
    (void)h;
    return fd <= 2 ? E_SUCCESS : E_BADF;
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(host_t *h, u32 fd, u64 off, u32 whence, u32 newoff_p) {
    if (fd > 2) return E_BADF;
    if (!in_bounds(h, newoff_p, 8)) return E_FAULT;
    static const int wh[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    if (whence > 2) return E_INVAL;
    off_t r = lseek((int)fd, (off_t)off, wh[whence]);
    if (r < 0) return errno == ESPIPE ? E_SPIPE : E_INVAL;
    st64(h, newoff_p, (uint64_t)r);
    return E_SUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(host_t *h, u32 fd, u32 stat_p) {
    if (fd > 2) return E_BADF;
    if (!in_bounds(h, stat_p, 24)) return E_FAULT;
    struct stat st;
    if (fstat((int)fd, &st) != 0) return E_BADF;
    /* filetype: 2 character device, 4 regular file, 6 stream socket (pipes) */
    uint8_t type = S_ISCHR(st.st_mode) ? 2 : S_ISREG(st.st_mode) ? 4 : 6;
    uint64_t rights = ~(uint64_t)0;
    if (type == 2) rights &= ~((1ull << 2) | (1ull << 5)); /* no fd_seek, fd_tell: a tty */
    memset(h->mem->data + stat_p, 0, 24);
    h->mem->data[stat_p] = type;
    st64(h, stat_p + 8, rights);
    st64(h, stat_p + 16, rights);
    return E_SUCCESS;
}

void Z_wasi_snapshot_preview1Z_proc_exit(host_t *h, u32 code) {
    (void)h;
    fflush(NULL);
    exit((int)code);
}

int main(int argc, char **argv) {
    static host_t host;
    static Z_bench_instance_t inst;
    host.argc = argc;
    host.argv = argv;
    wasm_rt_init();
    Z_bench_init_module();
    Z_bench_instantiate(&inst, &host);
    host.mem = Z_benchZ_memory(&inst);
    int trap = wasm_rt_impl_try();
    if (trap != 0) {
        fprintf(stderr, "wasm trap: %s\n", wasm_rt_strerror((wasm_rt_trap_t)trap));
        return 134;
    }
    Z_benchZ__start(&inst);
    Z_bench_free(&inst);
    wasm_rt_free();
    return 0;
}
