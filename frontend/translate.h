/* WebAssembly -> IR translation (DESIGN.md 2 and 3): each defined function
 * body of a validated module becomes one verified IrFunc.
 *
 * The operand stack and the locals become SSA values (locals through
 * on-the-fly SSA construction, Braun et al. 2013; no stack slots), and
 * structured control becomes IR blocks whose parameters carry block
 * parameters and results. Unreachable code (after br, return, unreachable,
 * ...) is skipped. Entities keep their wasm index spaces: sigN is type N,
 * fnN function N, memN, globalN, tableN, dataN, elemN likewise; a function
 * declares only what its body uses.
 *
 * What the code generator cannot lower yet (SIMD, GC, exception handling,
 * atomics) is rejected with an error naming the feature and the
 * function, e.g. "SIMD is not supported by the code generator yet
 * (function 12)"; the status then says WASM_TRANSLATE_UNSUPPORTED. */
#ifndef WASMC_FRONTEND_TRANSLATE_H
#define WASMC_FRONTEND_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../ir/ir.h"
#include "../support/diag.h"
#include "module.h"

typedef enum WasmTranslateStatus {
    WASM_TRANSLATE_OK,
    WASM_TRANSLATE_UNSUPPORTED, /* a feature the code generator lacks */
    WASM_TRANSLATE_FAILED,      /* an internal error (e.g. the IR failed to verify) */
} WasmTranslateStatus;

/* Translates defined function func_idx (an index in the function index
 * space, imports first) and verifies the result. NULL + err on failure;
 * *status (may be NULL) tells a feature rejection from a failure. The
 * caller frees the function with ir_func_free(). */
IrFunc *wasm_translate_func(const WasmModule *m, uint32_t func_idx, WasmcError *err);
IrFunc *wasm_translate_func_status(const WasmModule *m, uint32_t func_idx, WasmTranslateStatus *status,
                                   WasmcError *err);

/* The module-level declarations a function refers to, by wasm index.
 * Each is idempotent and fails (naming the feature) only for types the code
 * generator cannot handle (v128, GC references). Functions are declared
 * local or import with their symbol name (see wasm_ir_func_name) and their
 * type as signature. */
bool wasm_ir_declare_sig(IrFunc *f, const WasmModule *m, uint32_t type_idx, WasmcError *err);
bool wasm_ir_declare_fn(IrFunc *f, const WasmModule *m, uint32_t func_idx, WasmcError *err);
bool wasm_ir_declare_memory(IrFunc *f, const WasmModule *m, uint32_t mem_idx, WasmcError *err);
bool wasm_ir_declare_global(IrFunc *f, const WasmModule *m, uint32_t global_idx, WasmcError *err);
bool wasm_ir_declare_table(IrFunc *f, const WasmModule *m, uint32_t table_idx, WasmcError *err);
/* Declares every memory, global, table, function and function type of the
 * module (for whole-module consumers; translation declares lazily). */
bool wasm_ir_declare_all(IrFunc *f, const WasmModule *m, WasmcError *err);

/* The IR name of a function: its name-section name, else "f<idx>";
 * imports are "module.field". Returns buf (NUL-terminated). */
const char *wasm_ir_func_name(const WasmModule *m, uint32_t func_idx, char *buf, size_t size);

/* --emit-ir: translates, verifies and prints every defined function,
 * separated by blank lines. Stops at the first function that fails. */
bool wasm_emit_ir(const WasmModule *m, FILE *out, WasmcError *err);

#endif
