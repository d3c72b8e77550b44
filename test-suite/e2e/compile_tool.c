/* compile_tool — `wasmc -c` for the end-to-end tests until the driver wires it:
 *
 *     compile_tool IN.wasm OUT.o [--module-name P] [--header H] [--explicit] [-O0|-O1|-O2] [-S FILE]
 *
 * Loads and validates IN.wasm, calls wasmc_compile_module, prints the error as
 * the driver would ("error: IN.wasm:0xOFF: message") and exits 1 on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../compile/compile.h"

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: compile_tool IN.wasm OUT.o [--module-name P] [--header H] [--explicit] [-S FILE]\n");
        return 2;
    }
    CompileOptions o = { 0 };
    o.input_path = argv[1];
    o.opt_level = 2;
    FILE *listing = NULL;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--module-name") == 0 && i + 1 < argc)
            o.module_name = argv[++i];
        else if (strcmp(argv[i], "--header") == 0 && i + 1 < argc)
            o.header_path = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] == 'O' && argv[i][2] >= '0' && argv[i][2] <= '2' && !argv[i][3])
            o.opt_level = argv[i][2] - '0';
        else if (strcmp(argv[i], "--explicit") == 0)
            o.bounds_checks = WASMC_BOUNDS_CHECKS_EXPLICIT;
        else if (strcmp(argv[i], "-S") == 0 && i + 1 < argc)
            o.asm_out = listing = fopen(argv[++i], "w");
        else {
            fprintf(stderr, "compile_tool: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    size_t len = 0;
    unsigned char *bytes = slurp(argv[1], &len);
    if (!bytes) {
        fprintf(stderr, "error: cannot read %s\n", argv[1]);
        return 1;
    }
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(bytes, len, &err);
    free(bytes);
    bool ok = m && wasmc_compile_module(m, &o, strcmp(argv[2], "-") ? argv[2] : NULL, &err);
    if (!ok) {
        if (err.offset != WASMC_NO_OFFSET)
            fprintf(stderr, "error: %s:0x%zx: %s\n", argv[1], err.offset, err.msg);
        else
            fprintf(stderr, "error: %s: %s\n", argv[1], err.msg);
    }
    wasm_module_free(m);
    if (listing)
        fclose(listing);
    return ok ? 0 : 1;
}
