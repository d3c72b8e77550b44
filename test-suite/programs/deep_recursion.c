// Unbounded recursion exhausts the call stack: a trap, not a segfault.
// expect-status: 134
// expect-stderr-contains: wasm trap: call stack exhausted
#include <stdio.h>

static volatile int sink;

static int recurse(int depth) {
    volatile char pad[64];
    pad[depth & 63] = (char)depth;
    sink = pad[(depth * 7) & 63];
    return recurse(depth + 1) + pad[0];
}

int main(void) {
    printf("recursing\n");
    fflush(stdout);
    return recurse(0);
}
