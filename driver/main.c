/* Placeholder driver; the real command line lands with issue 2. */
#include <stdio.h>
#include <stdlib.h>

#include "../frontend/module.h"

int main(int argc, char **argv)
{
    if (argc < 2)
        return 1;
    FILE *f = fopen(argv[argc - 1], "rb");
    if (!f)
        return 1;
    static unsigned char buf[1 << 24];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(buf, n, &err);
    if (!m) {
        fprintf(stderr, "wasmc: error: %s:0x%zx: %s\n", argv[argc - 1], err.offset, err.msg);
        return 1;
    }
    wasm_module_free(m);
    return 0;
}
