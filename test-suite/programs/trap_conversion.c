// A trapping float-to-int conversion (wasm i32.trunc_f64_s) of NaN and of an
// out-of-range value: "invalid conversion to integer", then "integer overflow".
// args: nan
// expect-status: 134
// expect-stderr-contains: wasm trap: invalid conversion to integer
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
