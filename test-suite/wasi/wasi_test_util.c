/* wasi_test_util.c - see wasi_test_util.h. */
#include "wasi_test_util.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

WasiMem tmem;
char tdir[256];
WasiCtx *tctx;

/* Scratch area offsets inside the fake memory used by the helpers. */
#define PATH_AT 1000u
#define PATH2_AT 2000u
#define IOV_AT 3000u
#define OUT_AT 3100u
#define DATA_AT 4000u

WasiCtx *wt_ctx(const WasiConfig *cfg)
{
    char err[256] = "";
    WasiCtx *c = wasi_ctx_new(cfg, err, sizeof err);
    ck_assert_msg(c != NULL, "wasi_ctx_new: %s", err);
    return c;
}

static void setup(bool manual)
{
    tmem.size = MEM_SIZE;
    tmem.base = calloc(1, MEM_SIZE);
    ck_assert_ptr_nonnull(tmem.base);
    snprintf(tdir, sizeof tdir, "/tmp/wasi-shim-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tdir));
    WasiConfig cfg;
    wasi_config_init(&cfg);
    WasiPreopen pre = {tdir, "/sandbox"};
    cfg.preopens = &pre;
    cfg.npreopens = 1;
    cfg.no_openat2 = manual;
    tctx = wt_ctx(&cfg);
}

void wt_setup(void) { setup(false); }
void wt_setup_manual(void) { setup(true); }

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(p);
    return 0;
}

void wt_teardown(void)
{
    wasi_ctx_free(tctx);
    tctx = NULL;
    nftw(tdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(tmem.base);
    tmem.base = NULL;
}

uint32_t wt_str(uint32_t at, const char *s)
{
    size_t n = strlen(s);
    memcpy(tmem.base + at, s, n);
    return (uint32_t)n;
}

uint32_t wt_ld32(uint32_t at)
{
    uint32_t v;
    memcpy(&v, tmem.base + at, 4);
    return v;
}
uint64_t wt_ld64(uint32_t at)
{
    uint64_t v;
    memcpy(&v, tmem.base + at, 8);
    return v;
}
uint16_t wt_ld16(uint32_t at)
{
    uint16_t v;
    memcpy(&v, tmem.base + at, 2);
    return v;
}
void wt_st32(uint32_t at, uint32_t v) { memcpy(tmem.base + at, &v, 4); }

int32_t wt_open(uint32_t dir, const char *path, uint32_t oflags, uint32_t lookup, uint32_t *fd)
{
    uint32_t n = wt_str(PATH_AT, path);
    uint64_t base = WASI_RIGHTS_ALL;
    if (oflags & WASI_OFLAG_DIRECTORY) /* as wasi-libc for O_RDONLY: no write rights */
        base &= ~(WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_ALLOCATE |
                  WASI_RIGHT_FD_FILESTAT_SET_SIZE);
    int32_t e = wasi_path_open(tctx, &tmem, dir, lookup, PATH_AT, n, oflags, base,
                               WASI_RIGHTS_ALL, 0, OUT_AT);
    *fd = e == 0 ? wt_ld32(OUT_AT) : UINT32_MAX;
    return e;
}

int32_t wt_write(uint32_t fd, const char *data, uint32_t *n)
{
    uint32_t len = wt_str(DATA_AT, data);
    wt_st32(IOV_AT, DATA_AT);
    wt_st32(IOV_AT + 4, len);
    int32_t e = wasi_fd_write(tctx, &tmem, fd, IOV_AT, 1, OUT_AT);
    *n = wt_ld32(OUT_AT);
    return e;
}

int32_t wt_read(uint32_t fd, uint32_t at, uint32_t len, uint32_t *n)
{
    wt_st32(IOV_AT, at);
    wt_st32(IOV_AT + 4, len);
    int32_t e = wasi_fd_read(tctx, &tmem, fd, IOV_AT, 1, OUT_AT);
    *n = wt_ld32(OUT_AT);
    return e;
}

int32_t wt_mkdir(const char *p)
{
    return wasi_path_create_directory(tctx, &tmem, DIRFD, PATH_AT, wt_str(PATH_AT, p));
}
int32_t wt_symlink(const char *target, const char *p)
{
    uint32_t a = wt_str(PATH_AT, target), b = wt_str(PATH2_AT, p);
    return wasi_path_symlink(tctx, &tmem, PATH_AT, a, DIRFD, PATH2_AT, b);
}
int32_t wt_unlink(const char *p)
{
    return wasi_path_unlink_file(tctx, &tmem, DIRFD, PATH_AT, wt_str(PATH_AT, p));
}
int32_t wt_rmdir(const char *p)
{
    return wasi_path_remove_directory(tctx, &tmem, DIRFD, PATH_AT, wt_str(PATH_AT, p));
}
int32_t wt_stat(const char *p, uint32_t lookup, uint32_t out)
{
    return wasi_path_filestat_get(tctx, &tmem, DIRFD, lookup, PATH_AT, wt_str(PATH_AT, p), out);
}

void wt_host_write(const char *rel, const char *data)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tdir, rel);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(data, f);
    fclose(f);
}

int wt_host_exists(const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tdir, rel);
    struct stat st;
    return lstat(p, &st) == 0;
}
