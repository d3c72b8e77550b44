// Sandbox escapes must be refused: "..", absolute paths outside any preopen,
// and symlinks leading out.  Prints what each attempt gets.
// dir: fixtures::/sandbox
// expect-stdout-file: escape.expected
// (node is not the reference here: its WASI follows symlinks out of a preopen
// and answers ENOTCAPABLE where wasmc, like wasmtime, answers EPERM.)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *ename(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOTCAPABLE: return "ENOTCAPABLE";
    case ELOOP: return "ELOOP";
    case ENOTDIR: return "ENOTDIR";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case EXDEV: return "EXDEV";
    case EEXIST: return "EEXIST";
    default: return "other";
    }
}

static void try_open(const char *path, int flags) {
    errno = 0;
    int fd = open(path, flags, 0644);
    if (fd >= 0) { printf("open %-40s ALLOWED (escape!)\n", path); close(fd); }
    else printf("open %-40s refused %s\n", path, ename(errno));
}

static void try_stat(const char *path) {
    struct stat st;
    errno = 0;
    if (stat(path, &st) == 0) printf("stat %-40s ALLOWED (escape!)\n", path);
    else printf("stat %-40s refused %s\n", path, ename(errno));
}

int main(void) {
    /* Inside: allowed. */
    int fd = open("/sandbox/hello.txt", O_RDONLY);
    printf("inside open: %s\n", fd >= 0 ? "ok" : ename(errno));
    if (fd >= 0) close(fd);
    fd = open("/sandbox/subdir/../hello.txt", O_RDONLY);
    printf("inside via subdir/..: %s\n", fd >= 0 ? "ok" : ename(errno));
    if (fd >= 0) close(fd);
    fd = open("/sandbox/inside_link", O_RDONLY);
    printf("symlink inside: %s\n", fd >= 0 ? "ok" : ename(errno));
    if (fd >= 0) close(fd);

    try_open("/sandbox/../etc/passwd", O_RDONLY);
    try_open("/sandbox/../../../../etc/passwd", O_RDONLY);
    try_open("/sandbox/subdir/../../etc/passwd", O_RDONLY);
    try_open("/sandbox/abs_link/passwd", O_RDONLY);
    try_open("/sandbox/up_link/etc/passwd", O_RDONLY);
    try_open("/etc/passwd", O_RDONLY);
    try_open("/sandbox/../escaped.txt", O_WRONLY | O_CREAT);
    try_open("/sandbox/up_link/escaped.txt", O_WRONLY | O_CREAT);
    try_stat("/sandbox/..");
    try_stat("/sandbox/abs_link/");
    try_stat("/sandbox/up_link/");

    errno = 0;
    DIR *d = opendir("/sandbox/..");
    printf("opendir /sandbox/..: %s\n", d ? "ALLOWED (escape!)" : ename(errno));
    if (d) closedir(d);
    errno = 0;
    printf("mkdir /sandbox/../x: %s\n", mkdir("/sandbox/../x", 0755) == 0 ? "ALLOWED (escape!)" : ename(errno));
    errno = 0;
    printf("rename out: %s\n",
           rename("/sandbox/hello.txt", "/sandbox/../stolen.txt") == 0 ? "ALLOWED (escape!)" : ename(errno));
    errno = 0;
    printf("unlink via up_link: %s\n", unlink("/sandbox/up_link/anything") == 0 ? "ALLOWED (escape!)" : ename(errno));
    /* lstat of the link itself is inside the sandbox: allowed. */
    struct stat st;
    printf("lstat abs_link: %s\n", lstat("/sandbox/abs_link", &st) == 0 && S_ISLNK(st.st_mode) ? "symlink" : ename(errno));
    char target[64];
    ssize_t n = readlink("/sandbox/up_link", target, sizeof target - 1);
    if (n >= 0) target[n] = 0;
    printf("readlink up_link: %s\n", n >= 0 ? target : ename(errno));
    return 0;
}
