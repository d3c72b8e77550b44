// abort() is wasm "unreachable" in wasi-libc.
// expect-status: 134
// expect-stderr-contains: wasm trap: unreachable
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    fputs("about to abort\n", stderr);
    abort();
}
