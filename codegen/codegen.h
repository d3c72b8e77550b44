/* codegen: IR function -> machine code, relocations and trap sites
 * (DESIGN.md 2 and 4). This header is the contract between the module
 * compiler (compile/), which owns the vmctx layout and the object, and the
 * per-target code generators (codegen/x86_64/ today).
 *
 * Pipeline of one function (drawn here, implemented in codegen/):
 *
 *     IrFunc ──lower (isel, backwards over each block)──► MachFunc on vregs
 *            ──regalloc (linear scan with splitting)─────► MachFunc on pregs
 *            ──frame layout, prologue/epilogue────────────►
 *            ──emit (x86_64/encode.h)──────────────────────► CodeBuf
 *                                                           bytes + relocs + trap sites
 *
 * ABI (runtime-stub/include/wasmc_rt.h section 1 is authoritative):
 *   every wasm function is `R f(callee_vmctx, caller_vmctx, params...)`, System V;
 *   functions with >= 2 results return them through a hidden last argument
 *   `WasmcVal *results` (16-byte slots) — used uniformly, also between compiled
 *   functions; frame pointers are kept (push rbp; mov rbp, rsp); the prologue
 *   compares rsp with the stack-limit word of the vmctx and traps with
 *   WASMC_TRAP_STACK_OVERFLOW; explicit traps call wasmc_rt_trap(vmctx, code);
 *   implicit traps (guard-page accesses, idiv by zero) are recorded as trap sites
 *   at the first byte of the faulting instruction, with wasmc_rt.h trap codes.
 *   Memory bases and table records may move after any call: reload them.
 */
#ifndef WASMC_CODEGEN_H
#define WASMC_CODEGEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../ir/ir.h"
#include "../support/diag.h"
#include "codebuf.h"

/* ---- What codegen needs to know about the module: the vmctx layout ------ */

/* Bounds-check strategy of one memory, chosen by compile/ (DESIGN.md 4). */
typedef enum CgBoundsStrategy {
    CG_BOUNDS_GUARD,    /* 32-bit, 64 KiB pages, 4 GiB + guard reserved: an access
                           whose static offset + size <= WASMC_GUARD_BYTES needs no
                           check; larger offsets get an explicit check */
    CG_BOUNDS_EXPLICIT, /* compare (addr + offset + size) with the record's length */
} CgBoundsStrategy;

typedef struct CgMemoryInfo {
    uint32_t offset;   /* vmctx offset of the WasmcMemoryRecord, or of the pointer to it */
    bool imported;     /* the vmctx holds a pointer to the exporter's record */
    bool is64;         /* i64 addresses */
    uint8_t strategy;  /* CgBoundsStrategy */
} CgMemoryInfo;

typedef struct CgTableInfo {
    uint32_t offset; /* vmctx offset of the WasmcTableRecord, or of the pointer to it */
    bool imported;
    bool is64;
} CgTableInfo;

typedef struct CgGlobalInfo {
    uint32_t offset; /* vmctx offset of the 16-byte storage, or of the pointer to it */
    bool imported;
} CgGlobalInfo;

/* Everything a function body may reference, by wasm index. Filled once per
 * module by compile/vmctx.c (the one place the layout is computed) and also
 * written into the runtime descriptor from there. */
typedef struct CgModuleInfo {
    uint32_t stack_limit_offset; /* uintptr_t */
    uint32_t funcrefs_offset;    /* WasmcFuncRef[nfuncs]; ref.func i = vmctx + off + 32*i */
    uint32_t type_ids_offset;    /* uint32_t[ntypes], canonical ids for call_indirect */
    uint32_t nfuncs, nimported_funcs;
    const uint32_t *import_slot_offsets; /* [nimported_funcs] WasmcImportSlot {code, vmctx} */
    uint32_t nmemories;
    const CgMemoryInfo *memories;
    uint32_t ntables;
    const CgTableInfo *tables;
    uint32_t nglobals;
    const CgGlobalInfo *globals;
} CgModuleInfo;

/* ---- Symbols: how codegen names what its relocations point at ------------ */

/* Relocations in the CodeBuf carry symbol ids chosen by the caller through
 * this resolver: a defined wasm function's entry, or a named external (a
 * runtime helper such as "wasmc_rt_trap" or "wasmc_rt_memory_grow"). */
typedef struct CgSymbols {
    void *ctx;
    uint32_t (*func)(void *ctx, uint32_t func_idx);
    uint32_t (*named)(void *ctx, const char *name);
    /* The name of a symbol id, for the -S listing; NULL prints "sym<N>". */
    const char *(*name)(void *ctx, uint32_t sym);
} CgSymbols;

/* ---- Options and entry points ------------------------------------------- */

typedef struct CgOptions {
    int opt_level;      /* 0: fast compile; >= 1: full isel folding */
    FILE *asm_out;      /* when set, the function's code is also printed as
                           readable assembly (wasmc -S) */
    const char *asm_name; /* function name for the listing */
    const char *asm_label_prefix; /* local labels print as <prefix><N>; NULL: ".L".
                                     One listing holds many functions, so the
                                     module compiler makes the prefix unique. */
} CgOptions;

/* Compiles one verified IR function. On entry `out` is empty (cb_reset);
 * on success it holds the code with offsets relative to the function's
 * start, the relocations (symbol ids from `syms`) and the trap sites (codes
 * of wasmc_rt.h). Errors (an IR construct the target cannot lower yet) come
 * back as values naming the construct; nothing prints. */
bool cg_compile_func(IrFunc *f, const CgModuleInfo *mi, const CgSymbols *syms,
                     const CgOptions *opt, CodeBuf *out, WasmcError *err);

/* Array-call trampoline for one function type (wasmc_rt.h section 1):
 *   void tramp(callee_vmctx, caller_vmctx, void *fn, WasmcVal *slots) */
bool cg_emit_array_trampoline(const IrSig *sig, CodeBuf *out, WasmcError *err);

/* The module's init function (WasmcInitFn): a straight-line program that
 * evaluates constant expressions and stores each result. compile/ builds
 * the program from the module's constant expressions; codegen emits it. */
typedef enum CgInitOp {
    CG_INIT_I32_CONST, /* push imm */
    CG_INIT_I64_CONST, /* push imm */
    CG_INIT_F32_CONST, /* push imm (bit pattern) */
    CG_INIT_F64_CONST, /* push imm (bit pattern) */
    CG_INIT_GLOBAL_GET, /* push the 8 low bytes of global `index` (inline or via pointer) */
    CG_INIT_REF_NULL,  /* push 0 */
    CG_INIT_REF_FUNC,  /* push vmctx + funcrefs_offset + 32 * index */
    CG_INIT_I32_ADD, CG_INIT_I32_SUB, CG_INIT_I32_MUL, /* pop 2, push 1 (32-bit wrap) */
    CG_INIT_I64_ADD, CG_INIT_I64_SUB, CG_INIT_I64_MUL,
    /* Stores pop one value: */
    CG_INIT_STORE_GLOBAL,      /* to global `index`'s inline storage (8 bytes) */
    CG_INIT_STORE_DATA_OFFSET, /* out->data_offsets[index] (zero-extended for i32) */
    CG_INIT_STORE_ELEM_OFFSET, /* out->elem_offsets[index] (zero-extended for i32) */
    CG_INIT_STORE_ELEM_ITEM,   /* out->elem_items[index][index2] */
    CG_INIT_STORE_TABLE_INIT,  /* out->table_inits[index] */
} CgInitOp;

typedef struct CgInitInsn {
    uint8_t op; /* CgInitOp */
    uint32_t index, index2;
    uint64_t imm;
} CgInitInsn;

bool cg_emit_init(const CgModuleInfo *mi, const CgInitInsn *prog, uint32_t n, CodeBuf *out,
                  WasmcError *err);

#endif
