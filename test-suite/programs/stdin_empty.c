// Empty stdin: the first read sees end of file.
// stdin:
#include <stdio.h>
#include <unistd.h>

int main(void) {
    char buf[16];
    ssize_t n = read(0, buf, sizeof buf);
    printf("read returned %zd\n", n);
    printf("getchar is EOF: %d\n", getchar() == EOF);
    return 0;
}
