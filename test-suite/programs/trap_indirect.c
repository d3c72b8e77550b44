// Calling through a function pointer of the wrong type traps.
// expect-status: 134
// expect-stderr-contains: wasm trap: indirect call type mismatch
#include <stdio.h>

static int takes_int(int x) { return x + 1; }

int main(void) {
    void *volatile p = (void *)takes_int;
    double (*wrong)(double, double) = (double (*)(double, double))p;
    printf("before\n");
    fflush(stdout);
    printf("not reached: %g\n", wrong(1.0, 2.0));
    return 0;
}
