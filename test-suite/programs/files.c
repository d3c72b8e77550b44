// Files inside a preopened directory: create, write, read, append, seek,
// truncate, stat, rename, mkdir, readdir, unlink, rmdir.
// static: yes
// dir: fixtures::/sandbox
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path) {
    DIR *d = opendir(path);
    if (!d) { printf("opendir %s: %s\n", path, strerror(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        /* "." and ".." are listed by wasmc (like wasmtime) but not by node:
           readdir_dots.c covers them. */
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char type = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
        char *s = malloc(strlen(e->d_name) + 3);
        sprintf(s, "%s:%c", e->d_name, type);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("%s:", path);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

static void cat(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { printf("fopen %s: %s\n", path, strerror(errno)); return; }
    char line[256];
    printf("--- %s\n", path);
    while (fgets(line, sizeof line, f)) printf("| %s", line);
    fclose(f);
}

int main(void) {
    list("/sandbox");
    cat("/sandbox/hello.txt");
    cat("/sandbox/subdir/nested.txt");

    FILE *f = fopen("/sandbox/new.txt", "w");
    if (!f) { printf("create: %s\n", strerror(errno)); return 1; }
    for (int i = 0; i < 100; i++) fprintf(f, "line %d of the new file\n", i);
    fclose(f);
    struct stat st;
    if (stat("/sandbox/new.txt", &st) == 0) printf("new.txt size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));

    f = fopen("/sandbox/new.txt", "a");
    fputs("appended\n", f);
    fclose(f);

    int fd = open("/sandbox/new.txt", O_RDWR);
    char buf[64];
    lseek(fd, 5, SEEK_SET);
    ssize_t r = read(fd, buf, 10);
    buf[r > 0 ? r : 0] = 0;
    printf("read at 5: [%s]\n", buf);
    off_t end = lseek(fd, -9, SEEK_END);
    r = read(fd, buf, sizeof buf - 1);
    buf[r > 0 ? r : 0] = 0;
    printf("tail at %lld: [%s]", (long long)end, buf);
    pwrite(fd, "LINE", 4, 0);
    ftruncate(fd, 30);
    fstat(fd, &st);
    printf("after truncate size %lld\n", (long long)st.st_size);
    close(fd);
    cat("/sandbox/new.txt");

    printf("mkdir: %d\n", mkdir("/sandbox/made", 0755));
    printf("mkdir again: %s\n", mkdir("/sandbox/made", 0755) == 0 ? "ok" : strerror(errno));
    printf("rename: %d\n", rename("/sandbox/new.txt", "/sandbox/made/renamed.txt"));
    printf("old gone: %s\n", access("/sandbox/new.txt", F_OK) == 0 ? "no" : strerror(errno));
    list("/sandbox");
    list("/sandbox/made");
    cat("/sandbox/made/renamed.txt");

    /* relative paths resolve against the preopen (wasi-libc's cwd is "/"). */
    f = fopen("sandbox/subdir/rel.txt", "w");
    printf("relative create: %s\n", f ? "ok" : strerror(errno));
    if (f) { fputs("relative\n", f); fclose(f); }
    list("/sandbox/subdir");

    printf("rmdir non-empty: %s\n", rmdir("/sandbox/made") == 0 ? "ok" : strerror(errno));
    printf("unlink: %d\n", unlink("/sandbox/made/renamed.txt"));
    printf("rmdir: %d\n", rmdir("/sandbox/made"));
    printf("unlink missing: %s\n", unlink("/sandbox/nope") == 0 ? "ok" : strerror(errno));
    printf("open missing: %s\n", open("/sandbox/nope", O_RDONLY) >= 0 ? "ok" : strerror(errno));
    printf("O_EXCL existing: %s\n", open("/sandbox/hello.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) >= 0 ? "ok" : strerror(errno));
    printf("open dir for write: %s\n", open("/sandbox/subdir", O_WRONLY) >= 0 ? "ok" : strerror(errno));
    list("/sandbox");
    return 0;
}
