/* Shared state of the wasm -> IR translator (frontend/translate/).
 *
 * One Translator lives for one function body. The wasm operand stack holds
 * IR values; the control stack holds one Frame per open block/loop/if (and
 * one for the function body itself). Locals are SSA variables resolved on
 * the fly (ssa.c, Braun et al. 2013): there are no stack slots for locals.
 *
 * Files: translate.c (driver loop, control flow), ssa.c (variables,
 * predecessor edges, sealing), decls.c (types, declarations, feature
 * checks), ops_num.c (integer/float arithmetic, comparisons, conversions),
 * ops_mem.c (loads, stores, memory management, bulk memory), ops_call.c
 * (calls, call_indirect, tail calls), ops_ref.c (globals, tables, refs),
 * ops_simd.c (v128: SIMD and relaxed SIMD),
 * emit.c (--emit-ir). */
#ifndef WASMC_FRONTEND_TRANSLATE_INTERNAL_H
#define WASMC_FRONTEND_TRANSLATE_INTERNAL_H

#include "../instr.h"
#include "../module.h"
#include "../translate.h"
#include "ir.h"

#include <stdbool.h>
#include <stdint.h>

typedef enum FrameKind { FRAME_FUNC, FRAME_BLOCK, FRAME_LOOP, FRAME_IF, FRAME_ELSE } FrameKind;

typedef struct Frame {
    uint8_t kind;            /* FrameKind */
    IrBlock header;          /* FRAME_LOOP: the branch target */
    IrBlock end;             /* the block after `end`; params = the results */
    IrBlock else_blk;        /* FRAME_IF: the false successor (placed at `else`) */
    IrInst brif;             /* FRAME_IF: the head's brif (its dest 1 is patched without else) */
    const uint8_t *params;   /* IrType each */
    const uint8_t *results;
    uint32_t nparams, nresults;
    uint32_t height;         /* operand stack height below the params */
    uint32_t saved;          /* FRAME_IF: offset of the params in Translator.saved */
} Frame;

/* A predecessor edge of a block: destination k of a branch instruction. */
typedef struct Edge {
    uint32_t inst, k;
} Edge;

/* An incomplete block parameter (Braun's "incomplete phi"): added to an
 * unsealed block for variable `var`; its arguments come when it is sealed. */
typedef struct Incomplete {
    uint32_t var, value;
} Incomplete;

typedef struct SsaFrame SsaFrame; /* ssa.c: a pending variable read */

typedef struct BlockInfo {
    Edge *edges;
    uint32_t nedges, cap_edges;
    Incomplete *inc;
    uint32_t ninc, cap_inc;
    bool sealed;
} BlockInfo;

typedef struct DefSlot {
    uint64_t key;   /* (block << 32 | var) + 1; 0 = empty */
    uint32_t value;
} DefSlot;

typedef struct Translator {
    const WasmModule *m;
    uint32_t func_idx;
    IrFunc *f;
    IrBuilder b;
    IrBlock cur;
    bool reachable;
    WasmcError *err;
    bool unsupported; /* the error is a feature rejection */

    /* Locals: parameters first, then declared locals. */
    uint32_t nvars;
    uint8_t *var_types; /* IrType each */

    IrValue *stack;
    uint32_t nstack, cap_stack;
    Frame *frames;
    uint32_t nframes, cap_frames;
    IrValue *saved; /* FRAME_IF parameters, re-pushed at `else` */
    uint32_t nsaved, cap_saved;

    BlockInfo *binfo; /* by block id */
    uint32_t cap_binfo;
    DefSlot *defs;    /* open addressing: (block, var) -> value */
    uint32_t cap_defs, ndefs;
    uint32_t *alias;  /* by value id: removed trivial param -> replacement, 0 = none */
    uint32_t cap_alias;
    bool any_alias;
    IrInst last_zero; /* the last zero constant placed at the top of the entry block */
    SsaFrame *reads; /* ssa.c: explicit stack of pending reads */
    uint32_t nreads, cap_reads;
    IrValue *scratch; /* branch argument lists being rebuilt */
    uint32_t cap_scratch;
    Arena arena;      /* translator scratch: frame types */
    uint32_t skip_depth; /* blocks opened inside unreachable code */
} Translator;

/* ---- decls.c ---- */
bool tr_unsupported(Translator *t, uint32_t off, const char *feature);
/* Maps a wasm value type to an IR type, or rejects the feature it needs. */
bool tr_valtype(Translator *t, WasmValType vt, uint32_t off, IrType *out);
bool tr_decl_sig(Translator *t, uint32_t type_idx, uint32_t off);
bool tr_decl_fn(Translator *t, uint32_t func_idx, uint32_t off);
bool tr_decl_mem(Translator *t, uint32_t mem_idx, uint32_t off);
bool tr_decl_global(Translator *t, uint32_t global_idx, uint32_t off);
bool tr_decl_table(Translator *t, uint32_t table_idx, uint32_t off);
IrType tr_mem_index_type(const Translator *t, uint32_t mem_idx);
IrType tr_table_index_type(const Translator *t, uint32_t table_idx);
/* The feature an opcode belongs to when the code generator cannot lower it. */
const char *tr_op_unsupported_feature(WasmOpcode op);

/* ---- translate.c: the operand stack ---- */
void tr_push(Translator *t, IrValue v);
IrValue tr_pop(Translator *t);
/* The top n values (n may be 0); valid until the next push. */
IrValue *tr_top(Translator *t, uint32_t n);
void tr_popn(Translator *t, uint32_t n);
/* Ends the current block: what follows is unreachable until the next label. */
void tr_set_unreachable(Translator *t);

/* ---- ssa.c ---- */
void ssa_init(Translator *t);
void ssa_free(Translator *t);
BlockInfo *ssa_block(Translator *t, IrBlock b);
/* Records destination k of branch `inst` as an edge into block `to`. */
void ssa_add_edge(Translator *t, IrBlock to, IrInst inst, uint32_t k);
void ssa_seal(Translator *t, IrBlock b);
void ssa_def(Translator *t, IrBlock b, uint32_t var, IrValue v);
IrValue ssa_use(Translator *t, IrBlock b, uint32_t var);
IrValue ssa_resolve(Translator *t, IrValue v);
/* Rewrites every operand through the aliases of removed trivial params. */
void ssa_finish(Translator *t);

/* ---- per-group instruction translation: true = handled, false with
 * t->err set = error; unknown opcodes are the caller's problem. ---- */
bool tr_numeric(Translator *t, const WasmInstr *in, bool *handled);
bool tr_memory(Translator *t, const WasmInstr *in, bool *handled);
bool tr_call(Translator *t, const WasmInstr *in, bool *handled);
bool tr_ref(Translator *t, const WasmInstr *in, bool *handled);
bool tr_simd(Translator *t, const WasmInstr *in, bool *handled); /* ops_simd.c */

#endif
