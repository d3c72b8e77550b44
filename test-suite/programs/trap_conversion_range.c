// A trapping float-to-int conversion of an out-of-range value: "integer overflow".
// args: big
// expect-status: 134
// expect-stderr-contains: wasm trap: integer overflow
#include <math.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    volatile double ok = -2147483648.9, bad = argc > 1 && strcmp(argv[1], "nan") == 0 ? NAN : 3e9;
    printf("in range: %d\n", __builtin_wasm_trunc_s_i32_f64(ok));
    fflush(stdout);
    printf("not reached: %d\n", __builtin_wasm_trunc_s_i32_f64(bad));
    return 0;
}
