/* test_wasi_poll.c - poll_oneoff (clock and fd subscriptions, both layouts)
 * and the socket calls on a socketpair / a listening unix socket. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "wasi_test_util.h"

#define IN 1000u
#define OUT 3000u
#define NEV 900u

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void st64(uint32_t at, uint64_t v) { memcpy(tmem.base + at, &v, 8); }
static void st16(uint32_t at, uint16_t v) { memcpy(tmem.base + at, &v, 2); }

/* preview1 subscription k (48 bytes each) */
static void sub_clock(uint32_t k, uint64_t ud, uint32_t id, uint64_t timeout, uint16_t flags)
{
    uint32_t p = IN + 48 * k;
    memset(tmem.base + p, 0, 48);
    st64(p, ud);
    tmem.base[p + 8] = WASI_EVENTTYPE_CLOCK;
    wt_st32(p + 16, id);
    st64(p + 24, timeout);
    st16(p + 40, flags);
}
static void sub_fd(uint32_t k, uint64_t ud, uint8_t type, uint32_t fd)
{
    uint32_t p = IN + 48 * k;
    memset(tmem.base + p, 0, 48);
    st64(p, ud);
    tmem.base[p + 8] = type;
    wt_st32(p + 16, fd);
}

START_TEST(clock_sleeps)
{
    sub_clock(0, 77, WASI_CLOCK_MONOTONIC, 50000000u, 0); /* 50 ms */
    uint64_t t0 = mono_ns();
    ck_assert_int_eq(wasi_poll_oneoff(tctx, &tmem, IN, OUT, 1, NEV), 0);
    uint64_t dt = mono_ns() - t0;
    ck_assert_uint_ge(dt, 50000000u);
    ck_assert_uint_lt(dt, 500000000u);
    ck_assert_uint_eq(wt_ld32(NEV), 1);
    ck_assert_uint_eq(wt_ld64(OUT), 77);
    ck_assert_uint_eq(wt_ld16(OUT + 8), 0);
    ck_assert_uint_eq(tmem.base[OUT + 10], WASI_EVENTTYPE_CLOCK);
    /* two clocks: the earlier one fires alone */
    sub_clock(0, 1, WASI_CLOCK_MONOTONIC, 2000000000u, 0);
    sub_clock(1, 2, WASI_CLOCK_MONOTONIC, 20000000u, 0);
    t0 = mono_ns();
    ck_assert_int_eq(wasi_poll_oneoff(tctx, &tmem, IN, OUT, 2, NEV), 0);
    dt = mono_ns() - t0;
    ck_assert_uint_ge(dt, 20000000u);
    ck_assert_uint_lt(dt, 1000000000u);
    ck_assert_uint_eq(wt_ld32(NEV), 1);
    ck_assert_uint_eq(wt_ld64(OUT), 2);
    /* absolute deadline on the realtime clock, 30 ms ahead */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    sub_clock(0, 5, WASI_CLOCK_REALTIME, now + 30000000u, WASI_SUBCLOCKFLAG_ABSTIME);
    t0 = mono_ns();
    ck_assert_int_eq(wasi_poll_oneoff(tctx, &tmem, IN, OUT, 1, NEV), 0);
    dt = mono_ns() - t0;
    ck_assert_uint_ge(dt, 25000000u);
    ck_assert_uint_lt(dt, 1000000000u);
    /* a deadline in the past and a zero timeout return at once */
    sub_clock(0, 6, WASI_CLOCK_MONOTONIC, 0, WASI_SUBCLOCKFLAG_ABSTIME);
    sub_clock(1, 7, WASI_CLOCK_MONOTONIC, 0, 0);
    ck_assert_int_eq(wasi_poll_oneoff(tctx, &tmem, IN, OUT, 2, NEV), 0);
    ck_assert_uint_eq(wt_ld32(NEV), 2);
}
END_TEST

START_TEST(unstable_layout)
{
    /* 56-byte subscriptions: u64 identifier @16, then id @24, timeout @32, flags @48 */
    for (uint32_t k = 0; k < 2; k++) {
        uint32_t p = IN + 56 * k;
        memset(tmem.base + p, 0, 56);
        st64(p, 10 + k);
        tmem.base[p + 8] = WASI_EVENTTYPE_CLOCK;
        st64(p + 16, 0xdeadbeef);
        wt_st32(p + 24, WASI_CLOCK_MONOTONIC);
        st64(p + 32, k == 0 ? 3000000000u : 10000000u);
    }
    uint64_t t0 = mono_ns();
    ck_assert_int_eq(wasi_unstable_poll_oneoff(tctx, &tmem, IN, OUT, 2, NEV), 0);
    uint64_t dt = mono_ns() - t0;
    ck_assert_uint_ge(dt, 10000000u);
    ck_assert_uint_lt(dt, 1000000000u);
    ck_assert_uint_eq(wt_ld32(NEV), 1);
    ck_assert_uint_eq(wt_ld64(OUT), 11);
}
END_TEST

START_TEST(fd_readiness)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    WasiConfig cfg;
    wasi_config_init(&cfg);
    cfg.stdin_fd = p[0];
    cfg.stdout_fd = p[1];
    WasiCtx *c = wt_ctx(&cfg);
    /* empty pipe: read not ready, write ready */
    sub_fd(0, 1, WASI_EVENTTYPE_FD_READ, 0);
    sub_fd(1, 2, WASI_EVENTTYPE_FD_WRITE, 1);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 2, NEV), 0);
    ck_assert_uint_eq(wt_ld32(NEV), 1);
    ck_assert_uint_eq(wt_ld64(OUT), 2);
    ck_assert_uint_eq(tmem.base[OUT + 10], WASI_EVENTTYPE_FD_WRITE);
    /* data arrives: read ready with nbytes */
    ck_assert_int_eq(write(p[1], "12345", 5), 5);
    sub_fd(0, 1, WASI_EVENTTYPE_FD_READ, 0);
    sub_clock(1, 9, WASI_CLOCK_MONOTONIC, 5000000000u, 0);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 2, NEV), 0);
    ck_assert_uint_eq(wt_ld32(NEV), 1);
    ck_assert_uint_eq(wt_ld64(OUT), 1);
    ck_assert_uint_eq(wt_ld64(OUT + 16), 5);
    /* read with a timeout on an empty pipe: the clock fires */
    char buf[8];
    ck_assert_int_eq(read(p[0], buf, 8), 5);
    sub_clock(1, 9, WASI_CLOCK_MONOTONIC, 20000000u, 0);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 2, NEV), 0);
    ck_assert_uint_eq(wt_ld32(NEV), 1);
    ck_assert_uint_eq(wt_ld64(OUT), 9);
    /* writer gone: hangup */
    close(p[1]);
    ck_assert_int_eq(wasi_fd_close(c, &tmem, 1), 0);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 1, NEV), 0);
    ck_assert_uint_eq(wt_ld16(OUT + 24), WASI_EVENTRWFLAG_FD_READWRITE_HANGUP);
    /* a closed fd and a bad clock are error events, returned at once */
    sub_fd(0, 3, WASI_EVENTTYPE_FD_WRITE, 1);
    sub_clock(1, 4, 99, 0, 0);
    sub_clock(2, 5, WASI_CLOCK_MONOTONIC, 5000000000u, 0);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 3, NEV), 0);
    ck_assert_uint_eq(wt_ld32(NEV), 2);
    ck_assert_uint_eq(wt_ld64(OUT), 3);
    ck_assert_uint_eq(wt_ld16(OUT + 8), WASI_ERRNO_BADF);
    ck_assert_uint_eq(wt_ld64(OUT + 32), 4);
    ck_assert_uint_ne(wt_ld16(OUT + 32 + 8), 0);
    /* regular files are always ready */
    uint32_t fd;
    wt_host_write("f", "abc");
    WasiCtx *save = tctx;
    ck_assert_int_eq(wt_open(DIRFD, "f", 0, 0, &fd), 0);
    sub_fd(0, 8, WASI_EVENTTYPE_FD_READ, fd);
    ck_assert_int_eq(wasi_poll_oneoff(save, &tmem, IN, OUT, 1, NEV), 0);
    ck_assert_uint_eq(wt_ld64(OUT + 16), 3);
    /* no subscriptions, bad ranges */
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 0, NEV), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, MEM_SIZE - 40, OUT, 1, NEV), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, MEM_SIZE - 31, 1, NEV), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 1, MEM_SIZE), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_poll_oneoff(c, &tmem, IN, OUT, 0x10000000, NEV), WASI_ERRNO_FAULT);
    wasi_ctx_free(c);
    close(p[0]);
}
END_TEST

START_TEST(sockets)
{
    int sv[2];
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    WasiConfig cfg;
    wasi_config_init(&cfg);
    cfg.socket_fds = &sv[0];
    cfg.nsockets = 1;
    WasiCtx *c = wt_ctx(&cfg);
    uint32_t s = 3; /* no preopens: the socket is fd 3 */
    ck_assert_int_eq(wasi_fd_fdstat_get(c, &tmem, s, 100), 0);
    ck_assert_uint_eq(tmem.base[100], WASI_FILETYPE_SOCKET_STREAM);
    /* send */
    memcpy(tmem.base + 5000, "ping", 4);
    uint32_t iov[2] = {5000, 4};
    memcpy(tmem.base + 200, iov, 8);
    ck_assert_int_eq(wasi_sock_send(c, &tmem, s, 200, 1, 0, 300), 0);
    ck_assert_uint_eq(wt_ld32(300), 4);
    char buf[8] = {0};
    ck_assert_int_eq(read(sv[1], buf, 8), 4);
    ck_assert_str_eq(buf, "ping");
    ck_assert_int_eq(wasi_sock_send(c, &tmem, s, 200, 1, 1, 300), WASI_ERRNO_INVAL);
    /* recv, peek first */
    ck_assert_int_eq(write(sv[1], "pong", 4), 4);
    iov[0] = 6000, iov[1] = 16;
    memcpy(tmem.base + 200, iov, 8);
    ck_assert_int_eq(wasi_sock_recv(c, &tmem, s, 200, 1, WASI_RIFLAG_RECV_PEEK, 300, 304), 0);
    ck_assert_uint_eq(wt_ld32(300), 4);
    ck_assert_int_eq(wasi_sock_recv(c, &tmem, s, 200, 1, 0, 300, 304), 0);
    ck_assert_uint_eq(wt_ld32(300), 4);
    ck_assert_uint_eq(wt_ld16(304), 0);
    ck_assert(memcmp(tmem.base + 6000, "pong", 4) == 0);
    ck_assert_int_eq(wasi_sock_recv(c, &tmem, s, 200, 1, 0, MEM_SIZE, 304), WASI_ERRNO_FAULT);
    /* shutdown: the peer sees EOF */
    ck_assert_int_eq(wasi_sock_shutdown(c, &tmem, s, 0), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_sock_shutdown(c, &tmem, s, WASI_SDFLAG_WR), 0);
    ck_assert_int_eq(read(sv[1], buf, 8), 0);
    /* socket calls on a non-socket; accept on a connected socket */
    /* NOTSOCK, as wasmtime (wasi-testsuite sock_shutdown-not_sock), even though a
     * non-socket has none of the sock_* rights */
    ck_assert_int_eq(wasi_sock_shutdown(c, &tmem, 1, WASI_SDFLAG_WR), WASI_ERRNO_NOTSOCK);
    ck_assert_int_eq(wasi_sock_shutdown(c, &tmem, 0, WASI_SDFLAG_RD), WASI_ERRNO_NOTSOCK);
    ck_assert_int_eq(wasi_sock_accept(c, &tmem, 1, 0, 300), WASI_ERRNO_NOTSOCK);
    ck_assert_int_eq(wasi_sock_send(c, &tmem, 1, 200, 1, 0, 300), WASI_ERRNO_NOTSOCK);
    ck_assert_int_eq(wasi_sock_recv(c, &tmem, 0, 200, 1, 0, 300, 304), WASI_ERRNO_NOTSOCK);
    ck_assert_int_eq(wasi_sock_shutdown(c, &tmem, 77, WASI_SDFLAG_WR), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_sock_send(c, &tmem, 77, 200, 1, 0, 300), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_sock_accept(c, &tmem, s, 0, 300), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_sock_accept(c, &tmem, 77, 0, 300), WASI_ERRNO_BADF);
    wasi_ctx_free(c);
    close(sv[0]), close(sv[1]);

    /* accept on a listening unix socket */
    int l = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    char sp[300];
    snprintf(sp, sizeof sp, "%s/sock", tdir);
    ck_assert_uint_lt(strlen(sp), sizeof addr.sun_path);
    memcpy(addr.sun_path, sp, strlen(sp) + 1);
    ck_assert_int_eq(bind(l, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(listen(l, 1), 0);
    cfg.socket_fds = &l;
    c = wt_ctx(&cfg);
    /* the listener made non-blocking: nothing pending is AGAIN */
    ck_assert_int_eq(wasi_fd_fdstat_set_flags(c, &tmem, 3, WASI_FDFLAG_NONBLOCK), 0);
    ck_assert_int_eq(wasi_sock_accept(c, &tmem, 3, 0, 300), WASI_ERRNO_AGAIN);
    ck_assert_int_eq(wasi_fd_fdstat_set_flags(c, &tmem, 3, 0), 0);
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_eq(connect(cl, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(wasi_sock_accept(c, &tmem, 3, 2, 300), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_sock_accept(c, &tmem, 3, WASI_FDFLAG_NONBLOCK, 300), 0);
    uint32_t a = wt_ld32(300);
    ck_assert_int_eq(wasi_fd_fdstat_get(c, &tmem, a, 400), 0);
    ck_assert_uint_eq(wt_ld16(402), WASI_FDFLAG_NONBLOCK);
    ck_assert_uint_eq(a, 4);
    ck_assert_int_eq(wasi_sock_recv(c, &tmem, a, 200, 1, 0, 300, 304), WASI_ERRNO_AGAIN);
    ck_assert_int_eq(write(cl, "hi", 2), 2);
    ck_assert_int_eq(wasi_sock_recv(c, &tmem, a, 200, 1, 0, 300, 304), 0);
    ck_assert_uint_eq(wt_ld32(300), 2);
    ck_assert_int_eq(wasi_sock_accept(c, &tmem, a, 0, 300), WASI_ERRNO_NOTCAPABLE);
    wasi_ctx_free(c);
    close(cl), close(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wasi_poll");
    TCase *tc = tcase_create("poll");
    tcase_add_checked_fixture(tc, wt_setup, wt_teardown);
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, clock_sleeps);
    tcase_add_test(tc, unstable_layout);
    tcase_add_test(tc, fd_readiness);
    tcase_add_test(tc, sockets);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
