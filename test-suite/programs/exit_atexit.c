// exit(n) runs atexit handlers (in reverse order) and flushes stdio.
// expect-status: 42
#include <stdio.h>
#include <stdlib.h>

static void first(void) { printf("atexit: registered first, runs last\n"); }
static void second(void) { printf("atexit: registered second, runs first\n"); }

static void leave(int n) { exit(n); }

int main(void) {
    atexit(first);
    atexit(second);
    printf("calling exit(42) from a nested function\n");
    leave(42);
    printf("not reached\n");
    return 0;
}
