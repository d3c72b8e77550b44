/* test_wasi_sandbox.c - escape attempts out of a preopen must fail with the
 * errno wasmtime gives (PERM for escapes, LOOP for loops) and leave the host
 * untouched.  Every test runs twice: _i == 0 with openat2(RESOLVE_BENEATH)
 * where the kernel has it, _i == 1 with the portable component walker.
 *
 * Layout: tdir/box is the preopen (fd 3); tdir/secret is outside it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_test_util.h"

#define P 1000u
#define Q 2000u

static char boxdir[300];

static void box_ctx(int manual)
{
    char p[400];
    wasi_ctx_free(tctx);
    snprintf(boxdir, sizeof boxdir, "%s/box", tdir);
    ck_assert_int_eq(mkdir(boxdir, 0777), 0);
    snprintf(p, sizeof p, "%s/box/sub", tdir);
    ck_assert_int_eq(mkdir(p, 0777), 0);
    wt_host_write("secret", "SECRET");
    wt_host_write("box/inside", "in");
    /* links planted by the host (a guest cannot create absolute ones) */
    snprintf(p, sizeof p, "%s/box/etc", tdir);
    ck_assert_int_eq(symlink("/etc", p), 0);
    snprintf(p, sizeof p, "%s/box/abs_secret", tdir);
    char t[400];
    snprintf(t, sizeof t, "%s/secret", tdir);
    ck_assert_int_eq(symlink(t, p), 0);
    snprintf(p, sizeof p, "%s/box/up", tdir);
    ck_assert_int_eq(symlink("..", p), 0);
    snprintf(p, sizeof p, "%s/box/sub/climb", tdir);
    ck_assert_int_eq(symlink("../../secret", p), 0);
    snprintf(p, sizeof p, "%s/box/loop1", tdir);
    ck_assert_int_eq(symlink("loop2", p), 0);
    snprintf(p, sizeof p, "%s/box/loop2", tdir);
    ck_assert_int_eq(symlink("loop1", p), 0);
    snprintf(p, sizeof p, "%s/box/self", tdir);
    ck_assert_int_eq(symlink("self/x", p), 0);
    WasiConfig cfg;
    wasi_config_init(&cfg);
    WasiPreopen pre = {boxdir, "."};
    cfg.preopens = &pre;
    cfg.npreopens = 1;
    cfg.no_openat2 = manual;
    tctx = wt_ctx(&cfg);
}

static void secret_intact(void)
{
    char p[400], buf[16] = {0};
    snprintf(p, sizeof p, "%s/secret", tdir);
    FILE *f = fopen(p, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fread(buf, 1, sizeof buf, f), 6);
    fclose(f);
    ck_assert_str_eq(buf, "SECRET");
}

static int32_t open_rw(uint32_t dir, const char *path, uint32_t oflags, uint32_t lookup)
{
    uint32_t fd;
    int32_t e = wt_open(dir, path, oflags, lookup, &fd);
    if (e == 0)
        wasi_fd_close(tctx, &tmem, fd);
    return e;
}

START_TEST(dotdot_escapes)
{
    box_ctx(_i);
    const char *bad[] = {"..", "../secret", "sub/../../secret", "sub/../sub/../../secret",
                         "./../secret", "sub/..//../secret", "../box/inside"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        ck_assert_msg(open_rw(DIRFD, bad[k], 0, 0) == WASI_ERRNO_PERM, "open %s", bad[k]);
        ck_assert_msg(open_rw(DIRFD, bad[k], WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, 0) ==
                          WASI_ERRNO_PERM, "create %s", bad[k]);
        ck_assert_msg(wt_stat(bad[k], 0, 500) == WASI_ERRNO_PERM, "stat %s", bad[k]);
        ck_assert_msg(wt_unlink(bad[k]) == WASI_ERRNO_PERM, "unlink %s", bad[k]);
    }
    ck_assert_int_eq(wt_mkdir("../newdir"), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_rmdir("../box"), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_symlink("inside", "../planted"), WASI_ERRNO_PERM);
    uint32_t a = wt_str(P, "inside"), b = wt_str(Q, "../moved");
    ck_assert_int_eq(wasi_path_rename(tctx, &tmem, DIRFD, P, a, DIRFD, Q, b), WASI_ERRNO_PERM);
    ck_assert_int_eq(wasi_path_link(tctx, &tmem, DIRFD, 0, P, a, DIRFD, Q, b), WASI_ERRNO_PERM);
    a = wt_str(P, "../secret"), b = wt_str(Q, "stolen");
    ck_assert_int_eq(wasi_path_rename(tctx, &tmem, DIRFD, P, a, DIRFD, Q, b), WASI_ERRNO_PERM);
    ck_assert_int_eq(wasi_path_link(tctx, &tmem, DIRFD, 0, P, a, DIRFD, Q, b), WASI_ERRNO_PERM);
    ck_assert_int_eq(wasi_path_readlink(tctx, &tmem, DIRFD, P, a, 5000, 100, 100),
                     WASI_ERRNO_PERM);
    /* `..` inside the preopen is fine */
    ck_assert_int_eq(open_rw(DIRFD, "sub/../inside", 0, 0), 0);
    ck_assert_int_eq(open_rw(DIRFD, "sub/./..//./inside", 0, 0), 0);
    /* an fd opened on a subdirectory is a capability of its own: `..` above it fails */
    uint32_t sfd;
    ck_assert_int_eq(wt_open(DIRFD, "sub", WASI_OFLAG_DIRECTORY, 0, &sfd), 0);
    ck_assert_int_eq(open_rw(sfd, "../inside", 0, 0), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(sfd, "..", WASI_OFLAG_DIRECTORY, 0), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(sfd, ".", WASI_OFLAG_DIRECTORY, 0), 0);
    wasi_fd_close(tctx, &tmem, sfd);
    ck_assert(!wt_host_exists("newdir") && !wt_host_exists("planted") &&
              !wt_host_exists("moved") && !wt_host_exists("box/stolen"));
    secret_intact();
}
END_TEST

START_TEST(absolute_paths)
{
    box_ctx(_i);
    const char *bad[] = {"/", "/etc/passwd", "/tmp", "//etc", "/inside"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        ck_assert_msg(open_rw(DIRFD, bad[k], 0, 0) == WASI_ERRNO_PERM, "open %s", bad[k]);
        ck_assert_msg(wt_stat(bad[k], WASI_LOOKUPFLAG_SYMLINK_FOLLOW, 500) == WASI_ERRNO_PERM,
                      "stat %s", bad[k]);
        ck_assert_msg(wt_mkdir(bad[k]) == WASI_ERRNO_PERM, "mkdir %s", bad[k]);
    }
    /* a guest cannot plant an absolute symlink */
    ck_assert_int_eq(wt_symlink("/etc", "myetc"), WASI_ERRNO_PERM);
    ck_assert(!wt_host_exists("box/myetc"));
}
END_TEST

START_TEST(symlink_escapes)
{
    box_ctx(_i);
    const uint32_t F = WASI_LOOKUPFLAG_SYMLINK_FOLLOW;
    /* through the link as a directory component: always followed, refused */
    ck_assert_int_eq(open_rw(DIRFD, "etc/passwd", 0, 0), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_stat("etc/passwd", 0, 500), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "up/secret", 0, 0), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "up/box/inside", 0, 0), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_unlink("up/secret"), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_mkdir("up/evil"), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_mkdir("etc/evil"), WASI_ERRNO_PERM);
    /* as the final component with SYMLINK_FOLLOW */
    ck_assert_int_eq(open_rw(DIRFD, "etc", WASI_OFLAG_DIRECTORY, F), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "abs_secret", 0, F), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "up", WASI_OFLAG_DIRECTORY, F), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "sub/climb", 0, F), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "sub/climb", WASI_OFLAG_CREAT | WASI_OFLAG_TRUNC, F),
                     WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_stat("abs_secret", F, 500), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_stat("sub/climb", F, 500), WASI_ERRNO_PERM);
    ck_assert_int_eq(wt_stat("etc/", 0, 500), WASI_ERRNO_PERM); /* trailing slash follows */
    uint32_t a = wt_str(P, "abs_secret"), b = wt_str(Q, "hard");
    ck_assert_int_eq(wasi_path_link(tctx, &tmem, DIRFD, F, P, a, DIRFD, Q, b), WASI_ERRNO_PERM);
    ck_assert_int_eq(wasi_path_filestat_set_times(tctx, &tmem, DIRFD, F, P, a, 0, 0,
                                                  WASI_FSTFLAG_MTIM_NOW), WASI_ERRNO_PERM);
    /* without follow the links themselves are visible and harmless */
    ck_assert_int_eq(open_rw(DIRFD, "abs_secret", 0, 0), WASI_ERRNO_LOOP);
    ck_assert_int_eq(wt_stat("etc", 0, 500), 0);
    ck_assert_uint_eq(tmem.base[516], WASI_FILETYPE_SYMBOLIC_LINK);
    a = wt_str(P, "etc");
    ck_assert_int_eq(wasi_path_readlink(tctx, &tmem, DIRFD, P, a, 5000, 100, 100), 0);
    ck_assert_uint_eq(wt_ld32(100), 4);
    /* renaming and unlinking a link act on the link, not on what it names */
    a = wt_str(P, "abs_secret"), b = wt_str(Q, "renamed");
    ck_assert_int_eq(wasi_path_rename(tctx, &tmem, DIRFD, P, a, DIRFD, Q, b), 0);
    ck_assert_int_eq(wt_unlink("renamed"), 0);
    ck_assert_int_eq(wt_unlink("up"), 0);
    secret_intact();
}
END_TEST

START_TEST(symlink_loops)
{
    box_ctx(_i);
    const uint32_t F = WASI_LOOKUPFLAG_SYMLINK_FOLLOW;
    ck_assert_int_eq(open_rw(DIRFD, "loop1", 0, F), WASI_ERRNO_LOOP);
    ck_assert_int_eq(open_rw(DIRFD, "loop1/x", 0, 0), WASI_ERRNO_LOOP);
    ck_assert_int_eq(open_rw(DIRFD, "self", 0, F), WASI_ERRNO_LOOP);
    ck_assert_int_eq(wt_stat("loop2", F, 500), WASI_ERRNO_LOOP);
    ck_assert_int_eq(wt_stat("loop2/", 0, 500), WASI_ERRNO_LOOP);
    ck_assert_int_eq(wt_mkdir("loop1/d"), WASI_ERRNO_LOOP);
    ck_assert_int_eq(wt_stat("loop1", 0, 500), 0); /* the link itself is fine */
    /* a guest-made loop */
    ck_assert_int_eq(wt_symlink("a/b", "a"), 0);
    ck_assert_int_eq(open_rw(DIRFD, "a", 0, F), WASI_ERRNO_LOOP);
    /* a long but finite chain inside the box resolves */
    char name[16], target[16];
    wt_host_write("box/chain0", "end");
    for (int i = 1; i <= 20; i++) {
        snprintf(name, sizeof name, "chain%d", i);
        snprintf(target, sizeof target, "chain%d", i - 1);
        ck_assert_int_eq(wt_symlink(target, name), 0);
    }
    ck_assert_int_eq(open_rw(DIRFD, "chain20", 0, F), 0);
}
END_TEST

START_TEST(guest_made_escapes)
{
    box_ctx(_i);
    const uint32_t F = WASI_LOOKUPFLAG_SYMLINK_FOLLOW;
    /* relative links the guest makes that climb out are refused when used */
    ck_assert_int_eq(wt_symlink("../secret", "out"), 0);
    ck_assert_int_eq(wt_symlink("sub/../../secret", "out2"), 0);
    ck_assert_int_eq(wt_symlink("..", "sub/parent"), 0); /* points at the box: fine */
    ck_assert_int_eq(open_rw(DIRFD, "out", 0, F), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "out2", 0, F), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "sub/parent/inside", 0, 0), 0);
    ck_assert_int_eq(open_rw(DIRFD, "sub/parent/../secret", 0, 0), WASI_ERRNO_PERM);
    ck_assert_int_eq(open_rw(DIRFD, "sub/parent/sub/parent/up/secret", 0, 0), WASI_ERRNO_PERM);
    /* create through a dangling link that points out: refused, nothing created */
    ck_assert_int_eq(wt_symlink("../created", "dangle"), 0);
    ck_assert_int_eq(open_rw(DIRFD, "dangle", WASI_OFLAG_CREAT, F), WASI_ERRNO_PERM);
    ck_assert(!wt_host_exists("created"));
    secret_intact();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wasi_sandbox");
    TCase *tc = tcase_create("sandbox");
    tcase_add_checked_fixture(tc, wt_setup, wt_teardown);
    tcase_add_loop_test(tc, dotdot_escapes, 0, 2);
    tcase_add_loop_test(tc, absolute_paths, 0, 2);
    tcase_add_loop_test(tc, symlink_escapes, 0, 2);
    tcase_add_loop_test(tc, symlink_loops, 0, 2);
    tcase_add_loop_test(tc, guest_made_escapes, 0, 2);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
