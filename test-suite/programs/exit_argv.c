// exit status taken from argv: 1.
// args: 1
// expect-status: 1
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 0;
    printf("exiting with %d\n", n);
    fflush(stdout);
    exit(n);
}
