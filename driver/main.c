/* wasmc: the command. Thin: parse options, run the stages, print
 * diagnostics, choose the exit status (0 success, 1 any error). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../frontend/module.h"
#include "diagnostics.h"
#include "input.h"
#include "options.h"

#ifndef WASMC_VERSION
#define WASMC_VERSION "0.0.0"
#endif

static const char *const mode_names[] = {
    [MODE_LINK] = "linking a native executable",
    [MODE_OBJECT] = "generating native objects (-c)",
    [MODE_ASM] = "assembly output (-S)",
    [MODE_EMIT_IR] = "IR output (--emit-ir)",
    [MODE_SYNTAX_ONLY] = "-fsyntax-only",
};

/* Targets the command line knows; only the first is implemented. */
static bool check_target(const char *t)
{
    if (!t || strcmp(t, "x86_64-linux") == 0 || strcmp(t, "x86_64-unknown-linux-gnu") == 0 ||
        strcmp(t, "x86_64-linux-gnu") == 0)
        return true;
    static const char *const later[] = { "aarch64-linux", "x86_64-windows", "x86_64-macos" };
    for (size_t i = 0; i < sizeof later / sizeof later[0]; i++)
        if (strcmp(t, later[i]) == 0) {
            error_plain("target '%s' is not implemented yet", t);
            return false;
        }
    error_plain("unknown target '%s' (known: x86_64-linux, aarch64-linux, x86_64-windows, "
                "x86_64-macos)",
                t);
    return false;
}

/* Decodes and validates one wasm input; prints its diagnostic on failure. */
static WasmModule *load_module(const char *path)
{
    size_t len = 0;
    uint8_t *bytes = read_input_file(path, &len);
    if (!bytes)
        return NULL;
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load(bytes, len, &err);
    free(bytes);
    if (!m)
        error_at(strcmp(path, "-") == 0 ? "<stdin>" : path, &err);
    return m;
}

int main(int argc, char **argv)
{
    DriverOptions o;
    if (!parse_options(argc, argv, &o)) {
        free_options(&o);
        return 1;
    }
    int status = 0;
    if (o.help) {
        print_help();
        goto done;
    }
    if (o.version) {
        printf("wasmc %s\n", WASMC_VERSION);
        goto done;
    }
    if (!check_target(o.target)) {
        status = 1;
        goto done;
    }
    int nwasm = 0;
    for (int i = 0; i < o.ninputs; i++)
        nwasm += o.inputs[i].kind == INPUT_WASM;
    if (nwasm == 0) {
        error_plain(o.ninputs ? "no WebAssembly input files" : "no input files");
        status = 1;
        goto done;
    }
    if (o.mode != MODE_SYNTAX_ONLY) {
        error_plain("%s is not implemented yet", mode_names[o.mode]);
        status = 1;
        goto done;
    }
    for (int i = 0; i < o.ninputs; i++) {
        if (o.inputs[i].kind != INPUT_WASM) {
            warning_plain("%s: linker input unused with -fsyntax-only", o.inputs[i].path);
            continue;
        }
        WasmModule *m = load_module(o.inputs[i].path);
        if (!m)
            status = 1;
        wasm_module_free(m);
    }
done:
    free_options(&o);
    return status;
}
