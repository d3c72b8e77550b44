// Calling a null function pointer traps (table slot 0 is null in clang's table).
// expect-status: 134
// expect-stderr-contains: wasm trap: uninitialized element
#include <stdio.h>

int main(void) {
    void (*volatile f)(void) = 0;
    printf("before\n");
    fflush(stdout);
    f();
    return 0;
}
