/* test_wasi_basic.c - args, environment, clocks, random, proc_exit, stdio
 * through pipes, prestat, bounds checks on guest pointers. */
#include <check.h>
#include <setjmp.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "wasi_test_util.h"

static const char *const ARGV[] = {"prog", "hello", "", "wörld"};
static const char *const ENV[] = {"A=1", "PATH=/bin", "EMPTY="};

static WasiCtx *args_ctx(void)
{
    WasiConfig cfg;
    wasi_config_init(&cfg);
    cfg.argv = ARGV;
    cfg.argc = 4;
    cfg.env = ENV;
    cfg.envc = 3;
    return wt_ctx(&cfg);
}

START_TEST(args_round_trip)
{
    WasiCtx *c = args_ctx();
    ck_assert_int_eq(wasi_args_sizes_get(c, &tmem, 100, 104), 0);
    uint32_t argc = wt_ld32(100), size = wt_ld32(104);
    ck_assert_uint_eq(argc, 4);
    ck_assert_uint_eq(size, 5 + 6 + 1 + strlen("wörld") + 1);
    ck_assert_int_eq(wasi_args_get(c, &tmem, 200, 300), 0);
    for (uint32_t i = 0; i < argc; i++) {
        uint32_t p = wt_ld32(200 + 4 * i);
        ck_assert_uint_ge(p, 300);
        ck_assert_uint_lt(p, 300 + size);
        ck_assert_str_eq((char *)tmem.base + p, ARGV[i]);
    }
    wasi_ctx_free(c);
}
END_TEST

START_TEST(env_round_trip)
{
    WasiCtx *c = args_ctx();
    ck_assert_int_eq(wasi_environ_sizes_get(c, &tmem, 100, 104), 0);
    ck_assert_uint_eq(wt_ld32(100), 3);
    ck_assert_uint_eq(wt_ld32(104), 4 + 10 + 7);
    ck_assert_int_eq(wasi_environ_get(c, &tmem, 200, 300), 0);
    for (uint32_t i = 0; i < 3; i++)
        ck_assert_str_eq((char *)tmem.base + wt_ld32(200 + 4 * i), ENV[i]);
    wasi_ctx_free(c);
}
END_TEST

START_TEST(empty_args_env)
{
    ck_assert_int_eq(wasi_args_sizes_get(tctx, &tmem, 100, 104), 0);
    ck_assert_uint_eq(wt_ld32(100), 0);
    ck_assert_uint_eq(wt_ld32(104), 0);
    ck_assert_int_eq(wasi_environ_get(tctx, &tmem, MEM_SIZE, MEM_SIZE), 0); /* empty ranges */
}
END_TEST

START_TEST(args_bad_pointers)
{
    WasiCtx *c = args_ctx();
    ck_assert_int_eq(wasi_args_sizes_get(c, &tmem, MEM_SIZE - 2, 0), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_args_sizes_get(c, &tmem, 0, UINT32_MAX), WASI_ERRNO_FAULT);
    /* the string buffer would run past the end of memory */
    ck_assert_int_eq(wasi_args_get(c, &tmem, 0, MEM_SIZE - 4), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_args_get(c, &tmem, MEM_SIZE - 8, 0), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_environ_get(c, &tmem, UINT32_MAX - 3, 0), WASI_ERRNO_FAULT);
    /* nothing was written before the fault was detected */
    for (uint32_t i = MEM_SIZE - 8; i < MEM_SIZE; i++)
        ck_assert_uint_eq(tmem.base[i], 0);
    /* an unaligned but in-bounds pointer is fine */
    ck_assert_int_eq(wasi_args_sizes_get(c, &tmem, 101, 107), 0);
    ck_assert_uint_eq(wt_ld32(101), 4);
    WasiMem none = {NULL, 0};
    ck_assert_int_eq(wasi_args_sizes_get(c, &none, 0, 0), WASI_ERRNO_FAULT);
    wasi_ctx_free(c);
}
END_TEST

START_TEST(clocks)
{
    uint64_t a, b, res;
    ck_assert_int_eq(wasi_clock_time_get(tctx, &tmem, WASI_CLOCK_MONOTONIC, 1, 8), 0);
    a = wt_ld64(8);
    struct timespec ts = {0, 2000000};
    nanosleep(&ts, NULL);
    ck_assert_int_eq(wasi_clock_time_get(tctx, &tmem, WASI_CLOCK_MONOTONIC, 1, 17), 0);
    b = wt_ld64(17); /* unaligned output */
    ck_assert_uint_ge(b - a, 2000000);
    ck_assert_int_eq(wasi_clock_time_get(tctx, &tmem, WASI_CLOCK_REALTIME, 0, 8), 0);
    uint64_t now = (uint64_t)time(NULL) * 1000000000u;
    a = wt_ld64(8);
    ck_assert(a + 5000000000u > now && a < now + 5000000000u);
    for (uint32_t id = 0; id < 4; id++) {
        ck_assert_int_eq(wasi_clock_res_get(tctx, &tmem, id, 8), 0);
        res = wt_ld64(8);
        ck_assert_uint_gt(res, 0);
        ck_assert_int_eq(wasi_clock_time_get(tctx, &tmem, id, 0, 8), 0);
    }
    ck_assert_int_eq(wasi_clock_time_get(tctx, &tmem, 4, 0, 8), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_clock_res_get(tctx, &tmem, 99, 8), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_clock_time_get(tctx, &tmem, 0, 0, MEM_SIZE - 7), WASI_ERRNO_FAULT);
}
END_TEST

START_TEST(random_fills)
{
    ck_assert_int_eq(wasi_random_get(tctx, &tmem, 1000, 4096), 0);
    ck_assert_int_eq(wasi_random_get(tctx, &tmem, 6000, 4096), 0);
    ck_assert(memcmp(tmem.base + 1000, tmem.base + 6000, 4096) != 0);
    int zeros = 0;
    for (int i = 0; i < 4096; i++)
        zeros += tmem.base[1000 + i] == 0;
    ck_assert_int_lt(zeros, 100); /* ~16 expected */
    ck_assert_int_eq(wasi_random_get(tctx, &tmem, MEM_SIZE, 0), 0);
    ck_assert_int_eq(wasi_random_get(tctx, &tmem, MEM_SIZE, 1), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_random_get(tctx, &tmem, 10, UINT32_MAX), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_sched_yield(tctx, &tmem), 0);
    ck_assert_int_eq(wasi_proc_raise(tctx, &tmem, 2), WASI_ERRNO_NOSYS);
}
END_TEST

static jmp_buf exit_jmp;
static int exit_seen;
static void exit_hook(void *user, int32_t code)
{
    exit_seen = code + *(int *)user;
    longjmp(exit_jmp, 1);
}

START_TEST(proc_exit_hook)
{
    int bias = 1000;
    WasiConfig cfg;
    wasi_config_init(&cfg);
    cfg.proc_exit = exit_hook;
    cfg.proc_exit_user = &bias;
    WasiCtx *c = wt_ctx(&cfg);
    exit_seen = -1;
    if (setjmp(exit_jmp) == 0)
        wasi_proc_exit(c, &tmem, 42);
    ck_assert_int_eq(exit_seen, 1042);
    wasi_ctx_free(c);
}
END_TEST

START_TEST(proc_exit_default)
{
    wasi_proc_exit(tctx, &tmem, 7); /* no hook: the process exits with 7 */
}
END_TEST

START_TEST(stdio_pipes)
{
    int out[2], in[2];
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(pipe(in), 0);
    WasiConfig cfg;
    wasi_config_init(&cfg);
    cfg.stdin_fd = in[0];
    cfg.stdout_fd = out[1];
    cfg.stderr_fd = -1;
    WasiCtx *c = wt_ctx(&cfg);
    /* two iovecs, one of them empty and one unaligned */
    memcpy(tmem.base + 501, "hello, ", 7);
    memcpy(tmem.base + 600, "world", 5);
    uint32_t iov[6] = {501, 7, 0, 0, 600, 5};
    memcpy(tmem.base + 41, iov, sizeof iov); /* unaligned iovec array */
    ck_assert_int_eq(wasi_fd_write(c, &tmem, 1, 41, 3, 90), 0);
    ck_assert_uint_eq(wt_ld32(90), 12);
    char buf[32] = {0};
    ck_assert_int_eq(read(out[0], buf, sizeof buf), 12);
    ck_assert_str_eq(buf, "hello, world");
    /* fd_read from the stdin pipe */
    ck_assert_int_eq(write(in[1], "abc", 3), 3);
    uint32_t riov[2] = {700, 10};
    memcpy(tmem.base + 80, riov, 8);
    ck_assert_int_eq(wasi_fd_read(c, &tmem, 0, 80, 1, 90), 0);
    ck_assert_uint_eq(wt_ld32(90), 3);
    ck_assert(memcmp(tmem.base + 700, "abc", 3) == 0);
    /* stderr was configured closed; stdin cannot be written */
    ck_assert_int_eq(wasi_fd_write(c, &tmem, 2, 41, 1, 90), WASI_ERRNO_BADF);
    /* a bad buffer in the iovec, a bad iovec array, a bad result pointer */
    uint32_t bad[2] = {MEM_SIZE - 2, 4};
    memcpy(tmem.base + 120, bad, 8);
    ck_assert_int_eq(wasi_fd_write(c, &tmem, 1, 120, 1, 90), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_fd_write(c, &tmem, 1, MEM_SIZE - 4, 1, 90), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_fd_write(c, &tmem, 1, 41, 0x20000000, 90), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_fd_write(c, &tmem, 1, 41, 1, MEM_SIZE - 1), WASI_ERRNO_FAULT);
    /* closing guest stdout closes only the shim's duplicate */
    ck_assert_int_eq(wasi_fd_close(c, &tmem, 1), 0);
    ck_assert_int_eq(wasi_fd_close(c, &tmem, 1), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_fd_write(c, &tmem, 1, 41, 1, 90), WASI_ERRNO_BADF);
    ck_assert_int_eq(write(out[1], "x", 1), 1);
    /* fdstat of a pipe */
    ck_assert_int_eq(wasi_fd_fdstat_get(c, &tmem, 0, 800), 0);
    ck_assert_uint_eq(tmem.base[800], WASI_FILETYPE_UNKNOWN);
    ck_assert(wt_ld64(808) & WASI_RIGHT_FD_READ);
    wasi_ctx_free(c);
    close(out[0]), close(out[1]), close(in[0]), close(in[1]);
}
END_TEST

START_TEST(prestat)
{
    ck_assert_int_eq(wasi_fd_prestat_get(tctx, &tmem, 3, 100), 0);
    ck_assert_uint_eq(tmem.base[100], WASI_PREOPENTYPE_DIR);
    ck_assert_uint_eq(wt_ld32(104), 8);
    memset(tmem.base + 200, 'X', 16);
    ck_assert_int_eq(wasi_fd_prestat_dir_name(tctx, &tmem, 3, 200, 8), 0);
    ck_assert(memcmp(tmem.base + 200, "/sandbox" "X", 9) == 0); /* no NUL written */
    ck_assert_int_eq(wasi_fd_prestat_dir_name(tctx, &tmem, 3, 200, 7), WASI_ERRNO_NAMETOOLONG);
    ck_assert_int_eq(wasi_fd_prestat_dir_name(tctx, &tmem, 3, MEM_SIZE - 4, 8), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_fd_prestat_get(tctx, &tmem, 4, 100), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_fd_prestat_get(tctx, &tmem, 1, 100), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_fd_prestat_get(tctx, &tmem, 3, MEM_SIZE - 7), WASI_ERRNO_FAULT);
    /* the preopen is a directory with directory rights */
    ck_assert_int_eq(wasi_fd_fdstat_get(tctx, &tmem, 3, 300), 0);
    ck_assert_uint_eq(tmem.base[300], WASI_FILETYPE_DIRECTORY);
    ck_assert(wt_ld64(308) & WASI_RIGHT_PATH_OPEN);
    ck_assert(!(wt_ld64(308) & WASI_RIGHT_FD_WRITE));
    ck_assert(wt_ld64(316) & WASI_RIGHT_FD_WRITE);
}
END_TEST

START_TEST(ctx_errors)
{
    WasiConfig cfg;
    wasi_config_init(&cfg);
    WasiPreopen pre = {"/nonexistent/wasi/dir", "x"};
    cfg.preopens = &pre;
    cfg.npreopens = 1;
    char err[128] = "";
    ck_assert_ptr_null(wasi_ctx_new(&cfg, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/wasi/dir"));
    ck_assert_int_eq(wasi_ctx_host_fd(tctx, 99), -1);
    ck_assert_int_ge(wasi_ctx_host_fd(tctx, 3), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wasi_basic");
    TCase *tc = tcase_create("basic");
    tcase_add_checked_fixture(tc, wt_setup, wt_teardown);
    tcase_add_test(tc, args_round_trip);
    tcase_add_test(tc, env_round_trip);
    tcase_add_test(tc, empty_args_env);
    tcase_add_test(tc, args_bad_pointers);
    tcase_add_test(tc, clocks);
    tcase_add_test(tc, random_fills);
    tcase_add_test(tc, proc_exit_hook);
    tcase_add_exit_test(tc, proc_exit_default, 7);
    tcase_add_test(tc, stdio_pipes);
    tcase_add_test(tc, prestat);
    tcase_add_test(tc, ctx_errors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
