// A load far beyond the end of linear memory traps.
// expect-status: 134
// expect-stderr-contains: wasm trap: out of bounds memory access
#include <stdint.h>
#include <stdio.h>

int main(void) {
    volatile uintptr_t addr = 0xfffffff0u;
    printf("before\n");
    fflush(stdout);
    int v = *(volatile int *)addr;
    printf("not reached: %d\n", v);
    return 0;
}
