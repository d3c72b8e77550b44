/* compile/: the module compiler (DESIGN.md 2 and 4). Public API.
 *
 * wasmc_compile_module() turns one validated module into a relocatable
 * object (objwriter) that, linked with libwasmc_rt.a, is instantiated with
 * wasmc_rt_instantiate(&<prefix>_module, ...). It owns the vmctx layout
 * (compile/vmctx.c, the only place it is computed) and the runtime
 * descriptor; runtime-stub/include/wasmc_rt.h is the contract for both.
 *
 * What the object defines, for module prefix P:
 *   const WasmcModuleDesc P_module;   global, the descriptor (.data.rel.ro)
 *   P_<E(export name)>                global FUNC, one per exported *defined*
 *                                     function: its entry with the wasm calling
 *                                     convention (wasmc_rt.h section 1). Not made
 *                                     for exported imports, for names that would
 *                                     clash (two exports escaping to one name, or
 *                                     with P_module), or for names in the
 *                                     runtime's reserved wasmc_rt_/wasmc_import_
 *                                     spaces. E is the escaping of wasmc_rt.h
 *                                     section 5.
 *   everything else local (P.fN / P.fN.<name> functions, trampolines, P.init).
 * It references, weakly, wasmc_import_<E(mod)>_<E(name)> per function import
 * (WasmcImport.host_code), and the runtime helpers the code calls.
 *
 * Errors come back as values; nothing prints. On error no output file is
 * created (the object and the header are written atomically, header last). */
#ifndef WASMC_COMPILE_COMPILE_H
#define WASMC_COMPILE_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../frontend/module.h"
#include "../support/diag.h"

typedef enum WasmcBoundsChecks {
    WASMC_BOUNDS_CHECKS_GUARD,    /* default: guard pages for 32-bit 64 KiB-page memories */
    WASMC_BOUNDS_CHECKS_EXPLICIT, /* --bounds-checks=explicit: explicit checks everywhere */
} WasmcBoundsChecks;

typedef struct CompileOptions {
    const char *module_name;  /* --module-name: a C identifier, or NULL to derive it */
    const char *input_path;   /* the input file, for the default prefix; may be NULL */
    int opt_level;            /* -O0..-O2 */
    WasmcBoundsChecks bounds_checks;
    FILE *asm_out;            /* -S: annotated assembly listing, or NULL */
    FILE *time_passes;        /* --time-passes: the optimiser's per-pass times, or NULL */
    const char *header_path;  /* --header FILE, or NULL */
} CompileOptions;

/* Compiles m into an ELF object at out_path (x86-64 Linux). out_path may be
 * NULL to produce only the listing (asm_out) and/or the header. */
bool wasmc_compile_module(const WasmModule *m, const CompileOptions *opts, const char *out_path,
                          WasmcError *err);

/* --emit-ir: the IR of every defined function after the -O pipeline (the
 * same IR the code generator receives), as text, one blank line between
 * functions. Nothing is written for a function that fails to translate. */
bool wasmc_emit_ir(const WasmModule *m, const CompileOptions *opts, FILE *out, WasmcError *err);

/* The module-name prefix: module_name if given (it must be a C identifier),
 * else the input file's base name without its extension, with every byte
 * outside [A-Za-z0-9_] replaced by '_' and a leading '_' before a digit
 * ("my-app.wasm" -> "my_app"; no input -> "module"). Writes buf (NUL-
 * terminated); false + err if module_name is not an identifier or buf is
 * too small. */
bool wasmc_module_prefix(const char *module_name, const char *input_path, char *buf, size_t size,
                         WasmcError *err);

#endif
