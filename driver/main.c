/* wasmc: the command. Thin: parse options, run the stages, print
 * diagnostics, choose the exit status (0 success, 1 any error). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../frontend/module.h"
#include "../frontend/translate.h"
#include "diagnostics.h"
#include "input.h"
#include "options.h"
#include "output.h"

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
static WasmModule *load_module(const char *path, uint32_t disabled_features)
{
    size_t len = 0;
    uint8_t *bytes = read_input_file(path, &len);
    if (!bytes)
        return NULL;
    WasmcError err = { 0 };
    WasmModule *m = wasm_module_load_features(bytes, len, disabled_features, &err);
    free(bytes);
    if (!m)
        error_at(strcmp(path, "-") == 0 ? "<stdin>" : path, &err);
    return m;
}

static int syntax_only(const DriverOptions *o)
{
    int status = 0;
    for (int i = 0; i < o->ninputs; i++) {
        if (o->inputs[i].kind != INPUT_WASM) {
            warning_plain("%s: linker input unused with -fsyntax-only", o->inputs[i].path);
            continue;
        }
        WasmModule *m = load_module(o->inputs[i].path, o->disabled_features);
        if (!m)
            status = 1;
        wasm_module_free(m);
    }
    return status;
}

/* --emit-ir: the IR of every defined function of one module, as text. */
static int emit_ir(const DriverOptions *o, int nwasm)
{
    if (nwasm != 1 && o->output) {
        error_plain("-o with --emit-ir takes exactly one WebAssembly input");
        return 1;
    }
    int status = 0;
    for (int i = 0; i < o->ninputs; i++) {
        if (o->inputs[i].kind != INPUT_WASM)
            continue;
        const char *path = o->inputs[i].path;
        WasmModule *m = load_module(path, o->disabled_features);
        if (!m) {
            status = 1;
            continue;
        }
        OutputFile out;
        if (!output_open(&out, o->output)) {
            wasm_module_free(m);
            return 1;
        }
        WasmcError err = { 0 };
        bool ok = wasm_emit_ir(m, out.f, &err);
        if (!ok)
            error_at(path, &err);
        if (!output_close(&out, ok))
            status = 1;
        wasm_module_free(m);
    }
    return status;
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
    switch (o.mode) {
    case MODE_SYNTAX_ONLY:
        status = syntax_only(&o);
        break;
    case MODE_EMIT_IR:
        status = emit_ir(&o, nwasm);
        break;
    default:
        error_plain("%s is not implemented yet", mode_names[o.mode]);
        status = 1;
        break;
    }
done:
    free_options(&o);
    return status;
}
