// Unbounded recursion exhausts the call stack: a trap, not a segfault.  The
// frames hold only wasm locals (nothing address-taken), so the recursion runs
// out of native stack, not of the shadow stack in linear memory (which would
// be an out-of-bounds access, as in node).
// expect-status: 134
// expect-stderr-contains: wasm trap: call stack exhausted
#include <stdio.h>

static volatile int sink;

static int recurse(int depth) {
    if (sink < 0) return depth;
    int r = recurse(depth + 1);
    return r + sink + depth;
}

int main(void) {
    printf("recursing\n");
    fflush(stdout);
    return recurse(0);
}
