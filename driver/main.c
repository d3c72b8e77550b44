/* wasmc: the command. Thin: parse options, run the stages, print
 * diagnostics, choose the exit status (0 success, 1 any error). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../frontend/module.h"
#include "../compile/compile.h"
#include "../runtime-stub/include/wasmc_rt.h"
#include "diagnostics.h"
#include "entry.h"
#include "input.h"
#include "link.h"
#include "options.h"
#include "output.h"

#ifndef WASMC_VERSION
#define WASMC_VERSION "0.0.0"
#endif

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

/* "dir/app.wasm" -> "app" + ext, in the current directory (as cc -c does). */
static char *default_output(const char *input, const char *ext)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    if (strcmp(input, "-") == 0)
        base = "stdin";
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    char *out = malloc(n + strlen(ext) + 1);
    if (!out)
        return NULL;
    memcpy(out, base, n);
    strcpy(out + n, ext);
    return out;
}

static CompileOptions compile_options(const DriverOptions *o, const char *input)
{
    CompileOptions co = { 0 };
    co.module_name = o->module_name;
    co.input_path = strcmp(input, "-") == 0 ? NULL : input;
    co.opt_level = o->opt_level;
    co.bounds_checks = o->bounds_checks && strcmp(o->bounds_checks, "explicit") == 0
                           ? WASMC_BOUNDS_CHECKS_EXPLICIT
                           : WASMC_BOUNDS_CHECKS_GUARD;
    co.header_path = o->header;
    co.time_passes = o->time_passes ? stderr : NULL;
    return co;
}

/* --emit-ir: the IR of every defined function after the -O pipeline. The
 * text is built in memory first, so an error leaves no partial output. */
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
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        WasmcError err = { 0 };
        CompileOptions co = compile_options(o, path);
        bool ok = mem && wasmc_emit_ir(m, &co, mem, &err);
        if (mem)
            fclose(mem);
        if (!ok) {
            if (!mem)
                error_plain("out of memory");
            else
                error_at(strcmp(path, "-") == 0 ? "<stdin>" : path, &err);
            status = 1;
        } else {
            OutputFile out;
            if (!output_open(&out, o->output))
                status = 1;
            else {
                fwrite(text, 1, len, out.f);
                if (!output_close(&out, true))
                    status = 1;
            }
        }
        free(text);
        wasm_module_free(m);
    }
    return status;
}

/* -c and -S: one object or listing per wasm input. */
static int compile_each(const DriverOptions *o, int nwasm)
{
    bool is_asm = o->mode == MODE_ASM;
    if (nwasm > 1 && o->output) {
        error_plain("cannot specify -o with %s and several WebAssembly inputs", is_asm ? "-S" : "-c");
        return 1;
    }
    if (nwasm > 1 && (o->header || o->module_name)) {
        error_plain("--header and --module-name take exactly one WebAssembly input");
        return 1;
    }
    int status = 0;
    for (int i = 0; i < o->ninputs; i++) {
        if (o->inputs[i].kind != INPUT_WASM) {
            warning_plain("%s: linker input unused because linking is not done", o->inputs[i].path);
            continue;
        }
        const char *path = o->inputs[i].path;
        WasmModule *m = load_module(path, o->disabled_features);
        if (!m) {
            status = 1;
            continue;
        }
        char *out = o->output ? strdup(o->output) : default_output(path, is_asm ? ".s" : ".o");
        CompileOptions co = compile_options(o, path);
        WasmcError err = { 0 };
        bool ok;
        if (is_asm) {
            OutputFile f;
            ok = output_open(&f, out);
            if (ok) {
                co.asm_out = f.f;
                ok = wasmc_compile_module(m, &co, NULL, &err);
                if (!ok)
                    error_at(strcmp(path, "-") == 0 ? "<stdin>" : path, &err);
                ok = output_close(&f, ok);
            }
        } else {
            ok = wasmc_compile_module(m, &co, out, &err);
            if (!ok)
                error_at(strcmp(path, "-") == 0 ? "<stdin>" : path, &err);
        }
        if (!ok)
            status = 1;
        free(out);
        wasm_module_free(m);
    }
    return status;
}

/* A private temporary directory for intermediate objects. */
static char *make_temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = NULL;
    if (asprintf(&dir, "%s/wasmc-XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
        return NULL;
    if (!mkdtemp(dir)) {
        error_plain("cannot create a temporary directory: %s", strerror(errno));
        free(dir);
        return NULL;
    }
    return dir;
}

/* The default mode: compile the module, add the entry object, link. */
static int link_program(const DriverOptions *o, int nwasm)
{
    if (nwasm != 1) {
        error_plain("linking several WebAssembly modules into one executable is not implemented yet");
        return 1;
    }
    if (o->header) {
        error_plain("--header goes with -c");
        return 1;
    }
    const char *path = NULL;
    for (int i = 0; i < o->ninputs; i++)
        if (o->inputs[i].kind == INPUT_WASM)
            path = o->inputs[i].path;
    WasmModule *m = load_module(path, o->disabled_features);
    if (!m)
        return 1;
    int status = 1;
    char *dir = make_temp_dir();
    char *obj = NULL, *entry = NULL;
    if (!dir || asprintf(&obj, "%s/module.o", dir) < 0 || asprintf(&entry, "%s/entry.o", dir) < 0)
        goto out;
    CompileOptions co = compile_options(o, path);
    char prefix[256];
    WasmcError err = { 0 };
    if (!wasmc_module_prefix(co.module_name, co.input_path, prefix, sizeof prefix, &err)) {
        error_plain("%s", err.msg);
        goto out;
    }
    if (!wasmc_compile_module(m, &co, obj, &err)) {
        error_at(strcmp(path, "-") == 0 ? "<stdin>" : path, &err);
        goto out;
    }
    if (!write_entry_object(o, prefix, entry))
        goto out;
    const char *objs[] = { obj, entry };
    /* The host symbol of every function import, so that a native archive
     * (-l, .a) defining one is linked in. */
    char **undefs = calloc(m->nimports + 1, sizeof *undefs);
    int nundefs = 0;
    for (uint32_t i = 0; undefs && i < m->nimports; i++) {
        const WasmImport *imp = &m->imports[i];
        if (imp->kind != EXTERN_FUNC)
            continue;
        size_t n = wasmc_rt_import_symbol(imp->module, imp->field, NULL, 0);
        if ((undefs[nundefs] = malloc(n + 1)))
            wasmc_rt_import_symbol(imp->module, imp->field, undefs[nundefs++], n + 1);
    }
    status = link_executable(o, objs, 2, undefs, nundefs, o->output ? o->output : "a.out") ? 0 : 1;
    for (int i = 0; i < nundefs; i++)
        free(undefs[i]);
    free(undefs);
out:
    if (obj)
        unlink(obj);
    if (entry)
        unlink(entry);
    if (dir)
        rmdir(dir);
    free(obj);
    free(entry);
    free(dir);
    wasm_module_free(m);
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
    if (o.debug_info && (o.mode == MODE_OBJECT || o.mode == MODE_ASM || o.mode == MODE_LINK)) {
        error_plain("-g (DWARF debug information) is not implemented yet");
        status = 1;
        goto done;
    }
    if (o.mode != MODE_LINK && (o.ndirs || o.nenvs || o.inherit_env || o.is_static))
        warning_plain("--dir, --env, --inherit-env and -static only apply when linking an executable");
    switch (o.mode) {
    case MODE_SYNTAX_ONLY:
        status = syntax_only(&o);
        break;
    case MODE_EMIT_IR:
        status = emit_ir(&o, nwasm);
        break;
    case MODE_OBJECT:
    case MODE_ASM:
        status = compile_each(&o, nwasm);
        break;
    case MODE_LINK:
        status = link_program(&o, nwasm);
        break;
    }
done:
    free_options(&o);
    return status;
}
