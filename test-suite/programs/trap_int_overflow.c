// INT_MIN / -1 traps (integer overflow), it does not wrap.
// expect-status: 134
// expect-stderr-contains: wasm trap: integer overflow
#include <limits.h>
#include <stdio.h>

int main(void) {
    volatile int a = INT_MIN, b = -1;
    printf("before\n");
    fflush(stdout);
    printf("not reached: %d\n", a / b);
    return 0;
}
