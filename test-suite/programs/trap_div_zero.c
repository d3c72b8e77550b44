// Integer division by a (volatile) zero traps.
// expect-status: 134
// expect-stderr-contains: wasm trap: integer divide by zero
#include <stdio.h>

int main(void) {
    volatile int zero = 0;
    volatile int x = 1234;
    printf("before the division\n");
    fflush(stdout);
    int q = x / zero;
    printf("not reached: %d\n", q);
    return 0;
}
