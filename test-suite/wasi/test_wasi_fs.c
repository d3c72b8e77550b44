/* test_wasi_fs.c - files and directories inside the preopen: open, read,
 * write, seek, tell, stat, readdir with cookies, rename, unlink, mkdir, rmdir,
 * symlink, readlink, rights, renumber, and the wasi_unstable layouts. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_test_util.h"

#define P 1000u /* scratch for paths */
#define Q 2000u

START_TEST(write_read_seek_tell)
{
    uint32_t fd, n;
    ck_assert_int_eq(wt_open(DIRFD, "f.txt", WASI_OFLAG_CREAT, 0, &fd), 0);
    ck_assert_uint_ge(fd, 4);
    ck_assert_int_eq(wt_write(fd, "hello world", &n), 0);
    ck_assert_uint_eq(n, 11);
    ck_assert_int_eq(wasi_fd_tell(tctx, &tmem, fd, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 11);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, 6, WASI_WHENCE_SET, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 6);
    ck_assert_int_eq(wt_read(fd, 5000, 100, &n), 0);
    ck_assert_uint_eq(n, 5);
    ck_assert(memcmp(tmem.base + 5000, "world", 5) == 0);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, (uint64_t)-3, WASI_WHENCE_END, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 8);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, (uint64_t)-1, WASI_WHENCE_CUR, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 7);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, 0, 3, 100), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, (uint64_t)-100, WASI_WHENCE_SET, 100),
                     WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, 0, WASI_WHENCE_SET, MEM_SIZE - 4),
                     WASI_ERRNO_FAULT);
    /* wasi_unstable numbers whence CUR=0, END=1, SET=2 */
    ck_assert_int_eq(wasi_unstable_fd_seek(tctx, &tmem, fd, 2, WASI_UNSTABLE_WHENCE_SET, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 2);
    ck_assert_int_eq(wasi_unstable_fd_seek(tctx, &tmem, fd, 1, WASI_UNSTABLE_WHENCE_CUR, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 3);
    ck_assert_int_eq(wasi_unstable_fd_seek(tctx, &tmem, fd, 0, WASI_UNSTABLE_WHENCE_END, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 11);
    /* pread/pwrite do not move the offset */
    memcpy(tmem.base + 6000, "HE", 2);
    uint32_t iov[2] = {6000, 2};
    memcpy(tmem.base + 200, iov, 8);
    ck_assert_int_eq(wasi_fd_pwrite(tctx, &tmem, fd, 200, 1, 0, 300), 0);
    ck_assert_uint_eq(wt_ld32(300), 2);
    iov[0] = 6100, iov[1] = 4;
    memcpy(tmem.base + 200, iov, 8);
    ck_assert_int_eq(wasi_fd_pread(tctx, &tmem, fd, 200, 1, 1, 300), 0);
    ck_assert_uint_eq(wt_ld32(300), 4);
    ck_assert(memcmp(tmem.base + 6100, "Ello", 4) == 0);
    ck_assert_int_eq(wasi_fd_pread(tctx, &tmem, fd, 200, 1, UINT64_MAX, 300), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_fd_tell(tctx, &tmem, fd, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), 11);
    ck_assert_int_eq(wasi_fd_sync(tctx, &tmem, fd), 0);
    ck_assert_int_eq(wasi_fd_datasync(tctx, &tmem, fd), 0);
    ck_assert_int_eq(wasi_fd_advise(tctx, &tmem, fd, 0, 0, WASI_ADVICE_SEQUENTIAL), 0);
    ck_assert_int_eq(wasi_fd_advise(tctx, &tmem, fd, 0, 0, 6), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_fd_allocate(tctx, &tmem, fd, 0, 100), 0);
    ck_assert_int_eq(wasi_fd_filestat_get(tctx, &tmem, fd, 400), 0);
    ck_assert_uint_eq(wt_ld64(400 + 32), 100);
    ck_assert_int_eq(wasi_fd_filestat_set_size(tctx, &tmem, fd, 5), 0);
    ck_assert_int_eq(wasi_fd_close(tctx, &tmem, fd), 0);
    ck_assert_int_eq(wasi_fd_close(tctx, &tmem, fd), WASI_ERRNO_BADF);
    ck_assert_int_eq(wt_read(fd, 5000, 1, &n), WASI_ERRNO_BADF);
    /* the host sees the result */
    char buf[16] = {0}, path[512];
    snprintf(path, sizeof path, "%s/f.txt", tdir);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fread(buf, 1, sizeof buf, f), 5);
    fclose(f);
    ck_assert_str_eq(buf, "HEllo");
}
END_TEST

START_TEST(filestat_layouts)
{
    wt_host_write("s.txt", "12345");
    uint32_t fd;
    ck_assert_int_eq(wt_open(DIRFD, "s.txt", 0, 0, &fd), 0);
    struct stat st;
    char path[512];
    snprintf(path, sizeof path, "%s/s.txt", tdir);
    ck_assert_int_eq(stat(path, &st), 0);
    memset(tmem.base + 100, 0xAA, 128);
    ck_assert_int_eq(wasi_fd_filestat_get(tctx, &tmem, fd, 100), 0);
    ck_assert_uint_eq(wt_ld64(100), (uint64_t)st.st_dev);
    ck_assert_uint_eq(wt_ld64(108), (uint64_t)st.st_ino);
    ck_assert_uint_eq(tmem.base[116], WASI_FILETYPE_REGULAR_FILE);
    ck_assert_uint_eq(tmem.base[117], 0); /* padding zeroed */
    ck_assert_uint_eq(wt_ld64(124), 1);  /* nlink u64 @24 */
    ck_assert_uint_eq(wt_ld64(132), 5);  /* size @32 */
    ck_assert_uint_eq(wt_ld64(148),
                      (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec);
    ck_assert_uint_eq(tmem.base[164], 0xAA); /* nothing past 64 bytes */
    memset(tmem.base + 300, 0xAA, 128);
    ck_assert_int_eq(wasi_unstable_fd_filestat_get(tctx, &tmem, fd, 300), 0);
    ck_assert_uint_eq(wt_ld32(320), 1); /* nlink u32 @20 */
    ck_assert_uint_eq(wt_ld64(324), 5); /* size @24 */
    ck_assert_uint_eq(wt_ld64(340),
                      (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec);
    ck_assert_uint_eq(tmem.base[356], 0xAA); /* 56 bytes only */
    /* the same through path_filestat_get, both versions */
    ck_assert_int_eq(wt_stat("s.txt", 0, 500), 0);
    ck_assert(memcmp(tmem.base + 500, tmem.base + 100, 64) == 0);
    uint32_t n = wt_str(P, "s.txt");
    ck_assert_int_eq(wasi_unstable_path_filestat_get(tctx, &tmem, DIRFD, 0, P, n, 600), 0);
    ck_assert(memcmp(tmem.base + 600, tmem.base + 300, 56) == 0);
    ck_assert_int_eq(wt_stat("s.txt", 0, MEM_SIZE - 63), WASI_ERRNO_FAULT);
    ck_assert_int_eq(wt_stat("nope", 0, 500), WASI_ERRNO_NOENT);
    ck_assert_int_eq(wt_stat("s.txt/", 0, 500), WASI_ERRNO_NOTDIR);
    /* set times */
    ck_assert_int_eq(wasi_fd_filestat_set_times(tctx, &tmem, fd, UINT64_C(5000000000), UINT64_C(7000000000),
                                                WASI_FSTFLAG_ATIM | WASI_FSTFLAG_MTIM), 0);
    ck_assert_int_eq(wt_stat("s.txt", 0, 500), 0);
    ck_assert_uint_eq(wt_ld64(540), 5000000000u);
    ck_assert_uint_eq(wt_ld64(548), 7000000000u);
    ck_assert_int_eq(wasi_fd_filestat_set_times(tctx, &tmem, fd, 0, 0,
                                                WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW),
                     WASI_ERRNO_INVAL);
    n = wt_str(P, "s.txt");
    ck_assert_int_eq(wasi_path_filestat_set_times(tctx, &tmem, DIRFD, 0, P, n, 0, UINT64_C(9000000000),
                                                  WASI_FSTFLAG_MTIM), 0);
    ck_assert_int_eq(wt_stat("s.txt", 0, 500), 0);
    ck_assert_uint_eq(wt_ld64(540), 5000000000u);
    ck_assert_uint_eq(wt_ld64(548), 9000000000u);
    ck_assert_int_eq(wasi_path_filestat_set_times(tctx, &tmem, DIRFD, 0, P, n, 0, 0, 0x10),
                     WASI_ERRNO_INVAL);
    wasi_fd_close(tctx, &tmem, fd);
}
END_TEST

START_TEST(dirs_rename_unlink)
{
    uint32_t fd;
    ck_assert_int_eq(wt_mkdir("d"), 0);
    ck_assert_int_eq(wt_mkdir("d"), WASI_ERRNO_EXIST);
    ck_assert_int_eq(wt_mkdir("d/e/"), 0); /* trailing slash is fine for mkdir */
    ck_assert(wt_host_exists("d/e"));
    ck_assert_int_eq(wt_open(DIRFD, "d/file", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, 0, &fd), 0);
    wasi_fd_close(tctx, &tmem, fd);
    ck_assert_int_eq(wt_open(DIRFD, "d/file", WASI_OFLAG_CREAT | WASI_OFLAG_EXCL, 0, &fd),
                     WASI_ERRNO_EXIST);
    ck_assert_int_eq(wt_open(DIRFD, "d/file", WASI_OFLAG_DIRECTORY, 0, &fd), WASI_ERRNO_NOTDIR);
    ck_assert_int_eq(wt_open(DIRFD, "d/file/", 0, 0, &fd), WASI_ERRNO_NOTDIR);
    ck_assert_int_eq(wt_open(DIRFD, "missing", 0, 0, &fd), WASI_ERRNO_NOENT);
    ck_assert_int_eq(wt_rmdir("d"), WASI_ERRNO_NOTEMPTY);
    ck_assert_int_eq(wt_unlink("d"), WASI_ERRNO_ISDIR);
    ck_assert_int_eq(wt_unlink("d/"), WASI_ERRNO_ISDIR);
    ck_assert_int_eq(wt_unlink("d/file/"), WASI_ERRNO_NOTDIR);
    ck_assert_int_eq(wt_rmdir("d/file"), WASI_ERRNO_NOTDIR);
    /* rename a file into the root, and a directory through an opened dir fd */
    uint32_t a = wt_str(P, "d/file"), b = wt_str(Q, "moved");
    ck_assert_int_eq(wasi_path_rename(tctx, &tmem, DIRFD, P, a, DIRFD, Q, b), 0);
    ck_assert(!wt_host_exists("d/file") && wt_host_exists("moved"));
    uint32_t dfd;
    ck_assert_int_eq(wt_open(DIRFD, "d", WASI_OFLAG_DIRECTORY, 0, &dfd), 0);
    a = wt_str(P, "e"), b = wt_str(Q, "e2");
    ck_assert_int_eq(wasi_path_rename(tctx, &tmem, dfd, P, a, DIRFD, Q, b), 0);
    ck_assert(wt_host_exists("e2") && !wt_host_exists("d/e"));
    a = wt_str(P, "nothere");
    ck_assert_int_eq(wasi_path_rename(tctx, &tmem, DIRFD, P, a, DIRFD, Q, b), WASI_ERRNO_NOENT);
    /* path ops through a file fd are NOTDIR */
    uint32_t ffd;
    ck_assert_int_eq(wt_open(DIRFD, "moved", 0, 0, &ffd), 0);
    ck_assert_int_eq(wt_open(ffd, "x", 0, 0, &fd), WASI_ERRNO_NOTDIR);
    /* hard link */
    a = wt_str(P, "moved"), b = wt_str(Q, "d/hard");
    ck_assert_int_eq(wasi_path_link(tctx, &tmem, DIRFD, 0, P, a, DIRFD, Q, b), 0);
    ck_assert_int_eq(wt_stat("moved", 0, 500), 0);
    ck_assert_uint_eq(wt_ld64(524), 2);
    ck_assert_int_eq(wasi_path_link(tctx, &tmem, DIRFD, 0, P, a, DIRFD, Q, b), WASI_ERRNO_EXIST);
    ck_assert_int_eq(wt_unlink("d/hard"), 0);
    ck_assert_int_eq(wt_unlink("moved"), 0);
    ck_assert_int_eq(wt_unlink("moved"), WASI_ERRNO_NOENT);
    ck_assert_int_eq(wt_rmdir("e2"), 0);
    ck_assert_int_eq(wt_rmdir("d"), 0);
    ck_assert(!wt_host_exists("d"));
    ck_assert_int_eq(wt_mkdir(""), WASI_ERRNO_NOENT);
    wasi_fd_close(tctx, &tmem, ffd);
    wasi_fd_close(tctx, &tmem, dfd);
}
END_TEST

START_TEST(symlinks_inside)
{
    uint32_t fd, n;
    wt_host_write("target", "T");
    ck_assert_int_eq(wt_mkdir("sub"), 0);
    ck_assert_int_eq(wt_symlink("target", "link"), 0);
    ck_assert_int_eq(wt_symlink("../target", "sub/uplink"), 0); /* stays inside */
    ck_assert_int_eq(wt_symlink("sub", "sublink"), 0);
    ck_assert_int_eq(wt_symlink("x", "link"), WASI_ERRNO_EXIST);
    ck_assert_int_eq(wt_symlink("x", "target/"), WASI_ERRNO_NOTDIR);
    ck_assert_int_eq(wt_symlink("x", "sub/"), WASI_ERRNO_EXIST);
    ck_assert_int_eq(wt_symlink("x", "fresh/"), WASI_ERRNO_NOENT);
    /* readlink, full and truncated */
    memset(tmem.base + 5000, 0, 16);
    uint32_t l = wt_str(P, "sub/uplink");
    ck_assert_int_eq(wasi_path_readlink(tctx, &tmem, DIRFD, P, l, 5000, 64, 100), 0);
    ck_assert_uint_eq(wt_ld32(100), 9);
    ck_assert(memcmp(tmem.base + 5000, "../target", 9) == 0 && tmem.base[5009] == 0);
    ck_assert_int_eq(wasi_path_readlink(tctx, &tmem, DIRFD, P, l, 5100, 4, 100), 0);
    ck_assert_uint_eq(wt_ld32(100), 4);
    ck_assert(memcmp(tmem.base + 5100, "../t", 4) == 0);
    ck_assert_int_eq(wasi_path_readlink(tctx, &tmem, DIRFD, P, l, MEM_SIZE - 2, 4, 100),
                     WASI_ERRNO_FAULT);
    l = wt_str(P, "target");
    ck_assert_int_eq(wasi_path_readlink(tctx, &tmem, DIRFD, P, l, 5000, 64, 100),
                     WASI_ERRNO_INVAL);
    /* lstat vs stat */
    ck_assert_int_eq(wt_stat("link", 0, 500), 0);
    ck_assert_uint_eq(tmem.base[516], WASI_FILETYPE_SYMBOLIC_LINK);
    ck_assert_int_eq(wt_stat("link", WASI_LOOKUPFLAG_SYMLINK_FOLLOW, 500), 0);
    ck_assert_uint_eq(tmem.base[516], WASI_FILETYPE_REGULAR_FILE);
    ck_assert_int_eq(wt_stat("sub/uplink", WASI_LOOKUPFLAG_SYMLINK_FOLLOW, 500), 0);
    ck_assert_uint_eq(wt_ld64(532), 1);
    ck_assert_int_eq(wt_stat("sublink/", 0, 500), 0); /* trailing slash follows */
    ck_assert_uint_eq(tmem.base[516], WASI_FILETYPE_DIRECTORY);
    /* open: without follow a final symlink is ELOOP, with follow it opens the target */
    ck_assert_int_eq(wt_open(DIRFD, "link", 0, 0, &fd), WASI_ERRNO_LOOP);
    ck_assert_int_eq(wt_open(DIRFD, "sub/uplink", 0, WASI_LOOKUPFLAG_SYMLINK_FOLLOW, &fd), 0);
    ck_assert_int_eq(wt_read(fd, 5000, 10, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(tmem.base[5000], 'T');
    wasi_fd_close(tctx, &tmem, fd);
    /* an intermediate symlink is always followed */
    ck_assert_int_eq(wt_open(DIRFD, "sublink/uplink", 0, WASI_LOOKUPFLAG_SYMLINK_FOLLOW, &fd), 0);
    wasi_fd_close(tctx, &tmem, fd);
    /* unlink removes the link, not the target; dangling links can be made */
    ck_assert_int_eq(wt_unlink("link"), 0);
    ck_assert(wt_host_exists("target"));
    ck_assert_int_eq(wt_symlink("nowhere", "dangling"), 0);
    ck_assert_int_eq(wt_open(DIRFD, "dangling", 0, WASI_LOOKUPFLAG_SYMLINK_FOLLOW, &fd),
                     WASI_ERRNO_NOENT);
    ck_assert_int_eq(wt_open(DIRFD, "dangling", WASI_OFLAG_CREAT, WASI_LOOKUPFLAG_SYMLINK_FOLLOW,
                             &fd), 0); /* creates "nowhere" inside */
    wasi_fd_close(tctx, &tmem, fd);
    ck_assert(wt_host_exists("nowhere"));
}
END_TEST

/* Names in a readdir buffer, with their d_next cookies. */
static int collect(uint32_t buf, uint32_t used, char names[][32], uint64_t *cookies, int max)
{
    int k = 0;
    uint32_t p = buf;
    while (p + 24 <= buf + used && k < max) {
        uint32_t nl = wt_ld32(p + 16);
        if (p + 24 + nl > buf + used)
            break; /* partial entry at the end */
        memcpy(names[k], tmem.base + p + 24, nl);
        names[k][nl] = 0;
        cookies[k] = wt_ld64(p);
        k++;
        p += 24 + nl;
    }
    return k;
}

START_TEST(readdir_cookies)
{
    const char *files[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    for (int i = 0; i < 5; i++)
        wt_host_write(files[i], "x");
    ck_assert_int_eq(wt_mkdir("zdir"), 0);
    char names[16][32];
    uint64_t cookies[16];
    ck_assert_int_eq(wasi_fd_readdir(tctx, &tmem, DIRFD, 10000, 4096, 0, 100), 0);
    uint32_t used = wt_ld32(100);
    ck_assert_uint_lt(used, 4096);
    int n = collect(10000, used, names, cookies, 16);
    ck_assert_int_eq(n, 8); /* 5 files, zdir, ".", ".." */
    int seen = 0;
    for (int i = 0; i < n; i++) {
        ck_assert_uint_eq(cookies[i], (uint64_t)i + 1);
        if (strcmp(names[i], "zdir") == 0) {
            uint32_t p = 10000;
            for (int j = 0; j < i; j++)
                p += 24 + wt_ld32(p + 16);
            ck_assert_uint_eq(tmem.base[p + 20], WASI_FILETYPE_DIRECTORY);
        }
        for (int j = 0; j < 5; j++)
            seen += strcmp(names[i], files[j]) == 0;
    }
    ck_assert_int_eq(seen, 5);
    /* resume from each cookie: the rest of the listing, in the same order */
    for (int start = 0; start <= n; start++) {
        char rest[16][32];
        uint64_t rc[16];
        ck_assert_int_eq(wasi_fd_readdir(tctx, &tmem, DIRFD, 20000, 4096, (uint64_t)start, 100), 0);
        int m = collect(20000, wt_ld32(100), rest, rc, 16);
        ck_assert_int_eq(m, n - start);
        for (int i = 0; i < m; i++)
            ck_assert_str_eq(rest[i], names[start + i]);
    }
    /* a small buffer: filled completely, the last entry cut; reading on with the
     * last complete cookie gives every entry exactly once */
    int total = 0;
    uint64_t cookie = 0;
    for (int guard = 0; guard < 100; guard++) {
        ck_assert_int_eq(wasi_fd_readdir(tctx, &tmem, DIRFD, 30000, 40, cookie, 100), 0);
        uint32_t u = wt_ld32(100);
        char part[4][32];
        uint64_t pc[4];
        int m = collect(30000, u, part, pc, 4);
        for (int i = 0; i < m; i++)
            ck_assert_str_eq(part[i], names[total + i]);
        total += m;
        if (m)
            cookie = pc[m - 1];
        if (u < 40)
            break;
        ck_assert_int_ge(m, 1); /* 40 bytes always hold one entry here */
    }
    ck_assert_int_eq(total, n);
    /* errors */
    ck_assert_int_eq(wasi_fd_readdir(tctx, &tmem, DIRFD, MEM_SIZE - 10, 40, 0, 100),
                     WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_fd_readdir(tctx, &tmem, 1, 30000, 40, 0, 100), WASI_ERRNO_NOTCAPABLE);
    ck_assert_int_eq(wasi_fd_readdir(tctx, &tmem, 77, 30000, 40, 0, 100), WASI_ERRNO_BADF);
    /* a rewind sees a newly created file */
    wt_host_write("omega", "x");
    ck_assert_int_eq(wasi_fd_readdir(tctx, &tmem, DIRFD, 10000, 4096, 0, 100), 0);
    ck_assert_int_eq(collect(10000, wt_ld32(100), names, cookies, 16), 9);
}
END_TEST

START_TEST(rights_checks)
{
    uint32_t fd, n;
    /* open read-only: base rights without FD_WRITE */
    wt_host_write("r.txt", "data");
    uint32_t l = wt_str(P, "r.txt");
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, l, 0,
                                    WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK, 0, 0, 100), 0);
    fd = wt_ld32(100);
    ck_assert_int_eq(wt_write(fd, "x", &n), WASI_ERRNO_NOTCAPABLE);
    ck_assert_int_eq(wasi_fd_tell(tctx, &tmem, fd, 200), WASI_ERRNO_NOTCAPABLE);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, 1, WASI_WHENCE_SET, 200), 0);
    ck_assert_int_eq(wt_read(fd, 5000, 10, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(wasi_fd_fdstat_get(tctx, &tmem, fd, 300), 0);
    ck_assert_uint_eq(wt_ld64(308), WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK);
    ck_assert_uint_eq(tmem.base[300], WASI_FILETYPE_REGULAR_FILE);
    /* drop a right; cannot get it back */
    ck_assert_int_eq(wasi_fd_fdstat_set_rights(tctx, &tmem, fd, WASI_RIGHT_FD_READ, 0), 0);
    ck_assert_int_eq(wasi_fd_seek(tctx, &tmem, fd, 0, WASI_WHENCE_SET, 200),
                     WASI_ERRNO_NOTCAPABLE);
    ck_assert_int_eq(wasi_fd_fdstat_set_rights(tctx, &tmem, fd,
                                               WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK, 0),
                     WASI_ERRNO_NOTCAPABLE);
    ck_assert_int_eq(wasi_fd_filestat_get(tctx, &tmem, fd, 400), WASI_ERRNO_NOTCAPABLE);
    wasi_fd_close(tctx, &tmem, fd);
    /* a directory fd without PATH_CREATE_FILE cannot create; the restriction
     * is inherited by directories opened through it */
    uint32_t dfd;
    ck_assert_int_eq(wt_mkdir("sub"), 0);
    l = wt_str(P, "sub");
    uint64_t dir_rights = WASI_RIGHT_PATH_OPEN | WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_FILESTAT_GET;
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, l, WASI_OFLAG_DIRECTORY, dir_rights,
                                    WASI_RIGHT_FD_READ | WASI_RIGHT_PATH_OPEN, 0, 100), 0);
    dfd = wt_ld32(100);
    ck_assert_int_eq(wt_open(dfd, "new", WASI_OFLAG_CREAT, 0, &fd), WASI_ERRNO_NOTCAPABLE);
    ck_assert_int_eq(wt_open(dfd, ".", WASI_OFLAG_DIRECTORY, 0, &fd), 0);
    ck_assert_int_eq(wasi_fd_fdstat_get(tctx, &tmem, fd, 300), 0);
    ck_assert_uint_eq(wt_ld64(308), WASI_RIGHT_PATH_OPEN); /* base limited by inheriting */
    ck_assert_uint_eq(wt_ld64(316), WASI_RIGHT_FD_READ | WASI_RIGHT_PATH_OPEN);
    wasi_fd_close(tctx, &tmem, fd);
    l = wt_str(P, "x");
    ck_assert_int_eq(wasi_path_create_directory(tctx, &tmem, dfd, P, l), WASI_ERRNO_NOTCAPABLE);
    ck_assert_int_eq(wasi_path_unlink_file(tctx, &tmem, dfd, P, l), WASI_ERRNO_NOTCAPABLE);
    /* TRUNC needs PATH_FILESTAT_SET_SIZE on the directory */
    ck_assert_int_eq(wt_open(dfd, "f", WASI_OFLAG_TRUNC, 0, &fd), WASI_ERRNO_NOTCAPABLE);
    /* stdio has no path rights and bad fds are BADF */
    ck_assert_int_eq(wt_open(1, "x", 0, 0, &fd), WASI_ERRNO_NOTDIR);
    ck_assert_int_eq(wt_open(1234, "x", 0, 0, &fd), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_fd_fdstat_get(tctx, &tmem, 1234, 300), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_fd_fdstat_get(tctx, &tmem, UINT32_MAX, 300), WASI_ERRNO_BADF);
    /* bad flag bits */
    ck_assert_int_eq(wt_open(DIRFD, "r.txt", 0x10, 0, &fd), WASI_ERRNO_INVAL);
    ck_assert_int_eq(wasi_fd_fdstat_set_flags(tctx, &tmem, DIRFD, 0x100), WASI_ERRNO_INVAL);
    wasi_fd_close(tctx, &tmem, dfd);
}
END_TEST

START_TEST(fd_numbers_and_renumber)
{
    uint32_t a, b, c, n;
    wt_host_write("one", "1");
    wt_host_write("two", "2");
    ck_assert_int_eq(wt_open(DIRFD, "one", 0, 0, &a), 0);
    ck_assert_int_eq(wt_open(DIRFD, "two", 0, 0, &b), 0);
    ck_assert_uint_eq(a, 4);
    ck_assert_uint_eq(b, 5);
    ck_assert_int_eq(wasi_fd_renumber(tctx, &tmem, a, b), 0);
    ck_assert_int_eq(wasi_fd_close(tctx, &tmem, a), WASI_ERRNO_BADF);
    ck_assert_int_eq(wt_read(b, 5000, 4, &n), 0);
    ck_assert_uint_eq(tmem.base[5000], '1');
    ck_assert_int_eq(wasi_fd_renumber(tctx, &tmem, b, 99), WASI_ERRNO_BADF);
    ck_assert_int_eq(wasi_fd_renumber(tctx, &tmem, b, b), 0);
    /* the lowest free number is reused */
    ck_assert_int_eq(wt_open(DIRFD, "two", 0, 0, &c), 0);
    ck_assert_uint_eq(c, 4);
    ck_assert_int_eq(wasi_fd_close(tctx, &tmem, 0), 0);
    ck_assert_int_eq(wt_open(DIRFD, "two", 0, 0, &c), 0);
    ck_assert_uint_eq(c, 0);
    /* append and nonblock flags */
    ck_assert_int_eq(wasi_fd_fdstat_set_flags(tctx, &tmem, c, WASI_FDFLAG_APPEND), 0);
    ck_assert_int_eq(wasi_fd_fdstat_get(tctx, &tmem, c, 300), 0);
    ck_assert_uint_eq(wt_ld16(302), WASI_FDFLAG_APPEND);
    ck_assert_int_eq(wasi_fd_fdstat_set_flags(tctx, &tmem, c, WASI_FDFLAG_SYNC), WASI_ERRNO_NOTSUP);
    /* many fds: the table grows */
    uint32_t fds[40];
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(wt_open(DIRFD, "one", 0, 0, &fds[i]), 0);
    ck_assert_uint_eq(fds[39], 45);
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(wasi_fd_close(tctx, &tmem, fds[i]), 0);
    /* closing a preopen is allowed; its number is then free */
    ck_assert_int_eq(wasi_fd_close(tctx, &tmem, DIRFD), 0);
    ck_assert_int_eq(wasi_fd_prestat_get(tctx, &tmem, DIRFD, 100), WASI_ERRNO_BADF);
}
END_TEST

START_TEST(bad_paths)
{
    uint32_t fd;
    /* path range out of bounds, NUL inside, invalid UTF-8 */
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, MEM_SIZE - 2, 5, 0, 0, 0, 0, 100),
                     WASI_ERRNO_FAULT);
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, 10, UINT32_MAX, 0, 0, 0, 0, 100),
                     WASI_ERRNO_FAULT);
    memcpy(tmem.base + P, "a\0b", 3);
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, 3, 0, 0, 0, 0, 100),
                     WASI_ERRNO_INVAL);
    memcpy(tmem.base + P, "a\xff", 2);
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, 2, 0, 0, 0, 0, 100),
                     WASI_ERRNO_ILSEQ);
    memcpy(tmem.base + P, "\xc3\xa9", 2); /* é: valid, just missing */
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, 2, 0, 0, 0, 0, 100),
                     WASI_ERRNO_NOENT);
    /* fd result pointer out of bounds: nothing is created */
    uint32_t l = wt_str(P, "created");
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, l, WASI_OFLAG_CREAT,
                                    WASI_RIGHTS_ALL, 0, 0, MEM_SIZE), WASI_ERRNO_FAULT);
    ck_assert(!wt_host_exists("created"));
    ck_assert_int_eq(wt_open(DIRFD, "", 0, 0, &fd), WASI_ERRNO_NOENT);
    /* all rights imply write access, which a directory refuses */
    ck_assert_int_eq(wt_open(DIRFD, ".", 0, 0, &fd), WASI_ERRNO_ISDIR);
    /* ... with O_DIRECTORY or a trailing slash too (wasi-testsuite path_open_preopen) */
    l = wt_str(P, ".");
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, l, WASI_OFLAG_DIRECTORY,
                                    WASI_RIGHTS_ALL, 0, 0, 100), WASI_ERRNO_ISDIR);
    ck_assert_int_eq(wt_open(DIRFD, "./", 0, 0, &fd), WASI_ERRNO_ISDIR);
    ck_assert_int_eq(wt_rmdir("."), WASI_ERRNO_INVAL);
}
END_TEST

/* Opening a directory: read-type rights (or none) are fine, any write-type right is
 * ISDIR, whether the directory is asked for with O_DIRECTORY, a trailing slash or
 * neither; the error leaves no fd behind. */
START_TEST(dir_open_rights)
{
    const uint64_t rd = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR;
    const uint64_t writes[] = {WASI_RIGHT_FD_WRITE, WASI_RIGHT_FD_ALLOCATE,
                               WASI_RIGHT_FD_FILESTAT_SET_SIZE};
    ck_assert_int_eq(wt_mkdir("sub"), 0);
    const char *paths[] = {".", "./", "sub", "sub/"};
    for (unsigned p = 0; p < 4; p++) {
        uint32_t n = wt_str(P, paths[p]);
        for (uint32_t o = 0; o < 2; o++) {
            uint32_t of = o ? WASI_OFLAG_DIRECTORY : 0;
            for (unsigned w = 0; w < 3; w++) {
                wt_st32(100, 0xdeadbeef);
                ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, n, of,
                                                rd | writes[w], 0, 0, 100),
                                 WASI_ERRNO_ISDIR);
                ck_assert_uint_eq(wt_ld32(100), 0xdeadbeef);
            }
            ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, n, of, rd, 0, 0, 100), 0);
            ck_assert_int_eq(wt_ld32(100), 4); /* the lowest free fd: the error left none */
            ck_assert_int_eq(wasi_fd_close(tctx, &tmem, 4), 0);
            ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, n, of, 0, 0, 0, 100), 0);
            ck_assert_int_eq(wasi_fd_close(tctx, &tmem, wt_ld32(100)), 0);
        }
    }
    /* a file with O_DIRECTORY is still NOTDIR, not ISDIR */
    wt_host_write("f", "x");
    uint32_t n = wt_str(P, "f");
    ck_assert_int_eq(wasi_path_open(tctx, &tmem, DIRFD, 0, P, n, WASI_OFLAG_DIRECTORY,
                                    rd | WASI_RIGHT_FD_WRITE, 0, 0, 100), WASI_ERRNO_NOTDIR);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("wasi_fs");
    TCase *tc = tcase_create("fs");
    tcase_add_checked_fixture(tc, wt_setup, wt_teardown);
    tcase_add_test(tc, write_read_seek_tell);
    tcase_add_test(tc, filestat_layouts);
    tcase_add_test(tc, dirs_rename_unlink);
    tcase_add_test(tc, symlinks_inside);
    tcase_add_test(tc, readdir_cookies);
    tcase_add_test(tc, rights_checks);
    tcase_add_test(tc, fd_numbers_and_renumber);
    tcase_add_test(tc, bad_paths);
    tcase_add_test(tc, dir_open_rights);
    suite_add_tcase(s, tc);
    /* the same file tests with the portable resolver */
    TCase *tm = tcase_create("fs-manual-resolver");
    tcase_add_checked_fixture(tm, wt_setup_manual, wt_teardown);
    tcase_add_test(tm, dirs_rename_unlink);
    tcase_add_test(tm, symlinks_inside);
    tcase_add_test(tm, rights_checks);
    tcase_add_test(tm, dir_open_rights);
    suite_add_tcase(s, tm);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
