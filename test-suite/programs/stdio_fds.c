// The standard fds are open, fd 3 and up are not (no preopens); stdin from a file.
// stdin: abc
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    for (int fd = 0; fd < 5; fd++) {
        int fl = fcntl(fd, F_GETFL);
        printf("fd %d: %s\n", fd, fl < 0 ? "closed" : "open");
    }
    char c[8];
    ssize_t n = read(0, c, sizeof c);
    printf("read %zd\n", n);
    printf("isatty(1)=%d\n", isatty(1));
    fprintf(stderr, "to stderr\n");
    return 0;
}
