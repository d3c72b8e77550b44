// Whether readdir lists "." and "..": node's WASI does not, wasmtime does,
// and the WASI test programs (wasmtime's preview1_fd_readdir, as in the
// wasi-testsuite) require both entries. wasmc follows wasmtime, so node is not
// the reference here (wasi-libc-shim/README.md, "readdir cookies").
// dir: fixtures::/sandbox
// expect-stdout-file: readdir_dots.expected
#include <dirent.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    DIR *d = opendir("/sandbox/subdir");
    if (!d) { perror("opendir"); return 1; }
    int dot = 0, dotdot = 0, other = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0) dot++;
        else if (strcmp(e->d_name, "..") == 0) dotdot++;
        else other++;
    }
    closedir(d);
    printf("\".\" listed %d times, \"..\" %d times, %d other entries\n", dot, dotdot, other);
    return 0;
}
