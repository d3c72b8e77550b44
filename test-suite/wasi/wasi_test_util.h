/* wasi_test_util.h - shared fixtures for the WASI shim tests: a fake linear
 * memory, a scratch directory preopened as fd 3, and small call helpers. */
#ifndef WASI_TEST_UTIL_H
#define WASI_TEST_UTIL_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "wasi_shim.h"

#define MEM_SIZE 65536u
#define DIRFD 3u

extern WasiMem tmem;       /* the fake linear memory (MEM_SIZE bytes) */
extern char tdir[256];     /* the scratch directory (host path) */
extern WasiCtx *tctx;      /* context with tdir preopened as fd 3 */

/* Check fixtures: make the memory + scratch dir + context, and tear them down. */
void wt_setup(void);
void wt_setup_manual(void); /* same, with the portable resolver forced */
void wt_teardown(void);
WasiCtx *wt_ctx(const WasiConfig *cfg); /* ck_assert'ed wasi_ctx_new */

/* Guest memory helpers. */
uint32_t wt_str(uint32_t at, const char *s); /* copies s (no NUL); returns strlen */
uint32_t wt_ld32(uint32_t at);
uint64_t wt_ld64(uint32_t at);
uint16_t wt_ld16(uint32_t at);
void wt_st32(uint32_t at, uint32_t v);

/* path_open(DIRFD or dir, path) with full rights (with OFLAG_DIRECTORY: all but the
 * write-type ones, which a directory refuses); returns the errno, fd at *fd. */
int32_t wt_open(uint32_t dir, const char *path, uint32_t oflags, uint32_t lookup, uint32_t *fd);
/* One-iovec write / read of guest bytes at `at`; returns errno, count in *n. */
int32_t wt_write(uint32_t fd, const char *data, uint32_t *n);
int32_t wt_read(uint32_t fd, uint32_t at, uint32_t len, uint32_t *n);
/* path_* helpers taking host strings. */
int32_t wt_mkdir(const char *p);
int32_t wt_symlink(const char *target, const char *p);
int32_t wt_unlink(const char *p);
int32_t wt_rmdir(const char *p);
int32_t wt_stat(const char *p, uint32_t lookup, uint32_t out);
/* Host-side helpers (outside the sandbox). */
void wt_host_write(const char *rel, const char *data);
int wt_host_exists(const char *rel);

#endif
