/* Internal interface of the validator (frontend/validate*.c, types.c).
 *
 * validate.c       module-level rules (limits, imports, exports, segments,
 *                  start, C.refs) and the wasm_validate entry point;
 * types.c          the type section: index ranges, iso-recursive type
 *                  equivalence (canonical ids), sub type declarations, and
 *                  the subtype relation on value and heap types;
 * validate_code.c  the operand/control stack machine of the spec's appendix
 *                  "Validation Algorithm", control instructions, and the
 *                  drivers for function bodies and constant expressions;
 * validate_ops.c   the type rules of every other instruction.
 *
 * Errors use the spec suite's wording and carry the byte offset of the
 * offending instruction or entry. Nothing here prints, exits or recurses
 * on input-controlled depth. */
#ifndef WASMC_FRONTEND_VALIDATE_INTERNAL_H
#define WASMC_FRONTEND_VALIDATE_INTERNAL_H

#include <stdarg.h>

#include "instr.h"
#include "module.h"

/* The "unknown" operand type of unreachable code (the spec's Bot): a
 * WasmValType whose code is 0. It is a subtype of every type. */
#define WT_BOT 0

typedef struct CodeCtx CodeCtx;

enum { FE_NSECTIONS = 14 }; /* section ids 0..13 (custom .. tag) */

typedef struct Validator {
    WasmModule *m;
    WasmcError *err;
    uint32_t *canon;     /* per type: least index of an equivalent type */
    uint8_t *func_refs;  /* per function: 1 if in C.refs (ref.func allowed in code) */
    uint32_t features;   /* WASM_FEAT_* found so far */
    uint32_t disabled;   /* WASM_FEAT_* the caller does not accept */
    CodeCtx *code;       /* scratch stacks reused across bodies (validate_code.c) */
    size_t section_off[FE_NSECTIONS]; /* contents offset per section id (errors) */
    uint32_t *import_off[5]; /* per WasmExternKind: import entry offset per imported index */
} Validator;

/* ---- types.c ---- */

/* Checks the type section and fills v->canon: "unknown type", "sub type". */
bool fe_check_types(Validator *v);
/* A value type's type indices are < limit ("unknown type" at off). */
bool fe_check_valtype(Validator *v, WasmValType t, uint32_t limit, size_t off);
bool fe_valtype_eq(const Validator *v, WasmValType a, WasmValType b);
/* a <: b (WT_BOT is below everything). */
bool fe_valtype_sub(const Validator *v, WasmValType a, WasmValType b);
/* The heap type part of a <: b, ignoring nullability (both WT_REF). */
bool fe_heap_sub(const Validator *v, WasmValType a, WasmValType b);
/* The top of a reference type's hierarchy: HT_ANY, HT_FUNC, HT_EXTERN or HT_EXN. */
uint8_t fe_heap_top(const WasmModule *m, WasmValType t);
bool fe_is_defaultable(WasmValType t);
static inline bool fe_is_ref(WasmValType t) { return t.code == WT_REF; }
/* Text form of a type for diagnostics ("i32", "(ref null 3)", ...). */
const char *fe_valtype_str(WasmValType t, char *buf, size_t size);
static inline bool fe_type_is(const WasmModule *m, uint32_t idx, WasmCompKind k)
{
    return idx < m->ntypes && m->types[idx].kind == k;
}

/* ---- validate_code.c: the stack machine ---- */

typedef enum CtrlKind {
    CTRL_FUNC, /* the function body (or a constant expression) */
    CTRL_BLOCK,
    CTRL_LOOP,
    CTRL_IF,
    CTRL_ELSE,
    CTRL_TRY,       /* legacy try, before any catch */
    CTRL_CATCH,     /* legacy catch x */
    CTRL_CATCH_ALL, /* legacy catch_all */
    CTRL_TRY_TABLE,
} CtrlKind;

/* One control frame (the spec's ctrl_frame). */
typedef struct Ctrl {
    uint8_t kind;         /* CtrlKind */
    bool unreachable;     /* the rest of the block is dead: the stack is polymorphic */
    WasmBlockType bt;     /* params -> results; CTRL_FUNC: the function's type */
    uint32_t height;      /* operand stack height at entry, params excluded */
    uint32_t init_height; /* local-initialization undo log height at entry */
    uint32_t off;         /* the opening instruction, for diagnostics */
} Ctrl;

/* Growable stacks, reused from one function body to the next. */
struct CodeCtx {
    Validator *v;
    WasmModule *m;
    WasmValType *vals; /* operand stack */
    uint32_t nvals, cap_vals;
    Ctrl *ctrls; /* control stack; ctrls[0] is the function frame */
    uint32_t nctrls, cap_ctrls;
    WasmValType *locals; /* params then declared locals */
    uint8_t *inited;     /* per local: initialized (non-defaultable locals start at 0) */
    uint32_t nlocals, cap_locals;
    uint32_t *init_log; /* locals set since some enclosing block began (undo log) */
    uint32_t ninit, cap_init;
    bool is_const;      /* validating a constant expression */
    uint32_t nglobals;  /* globals visible to a constant expression */
    uint32_t func_type; /* the function's type index (not for constant expressions) */
    size_t off;         /* offset of the instruction being checked */
};

/* Grows a heap array to hold `need` elements (doubling); aborts on OOM. */
void *fe_grow(void *p, uint32_t *cap, uint32_t need, size_t elem);

#define FE_FAIL(c, ...) wasmc_fail((c)->v->err, (c)->off, __VA_ARGS__)

bool fe_push(CodeCtx *c, WasmValType t);
/* Pops the top operand (WT_BOT when the block's polymorphic base is reached). */
bool fe_pop_any(CodeCtx *c, WasmValType *out);
/* Pops an operand that must be a subtype of `expect`; *out (optional) gets
 * the actual type. */
bool fe_pop(CodeCtx *c, WasmValType expect, WasmValType *out);
bool fe_pop_vals(CodeCtx *c, const WasmValType *ts, uint32_t n);
bool fe_push_vals(CodeCtx *c, const WasmValType *ts, uint32_t n);
/* Pops a reference (WT_BOT in dead code); "type mismatch" for a non-reference. */
bool fe_pop_ref(CodeCtx *c, WasmValType *out);
/* The rest of the current block is unreachable. */
void fe_set_unreachable(CodeCtx *c);
/* The label types of the label `depth` levels out ("unknown label"). */
bool fe_label_types(CodeCtx *c, uint32_t depth, const WasmValType **ts, uint32_t *n);
bool fe_func_results(CodeCtx *c, const WasmValType **ts, uint32_t *n);

/* ---- validate_ops.c: instructions outside control flow ---- */

/* Checks one non-control instruction; false with an error. */
bool fe_check_op(CodeCtx *c, const WasmInstr *in);
/* The address type (i32 or i64) of memory / table `idx`, or an "unknown
 * memory" / "unknown table" error. */
bool fe_mem_addr(CodeCtx *c, uint32_t idx, WasmValType *at);
bool fe_table_addr(CodeCtx *c, uint32_t idx, WasmValType *at);
/* Calls: pops params and pushes results of function type `type_idx`. */
bool fe_check_call_type(CodeCtx *c, uint32_t type_idx, bool tail);

/* ---- validate_code.c: drivers ---- */

/* Validates a defined function's body; uses (and grows) v->code. */
bool fe_validate_func(Validator *v, uint32_t func_idx);
/* Validates a constant expression producing `expect`, reading only globals
 * below nglobals; ref.func indices are added to C.refs. */
bool fe_validate_const(Validator *v, WasmConstExpr e, WasmValType expect, uint32_t nglobals);
void fe_code_free(Validator *v);

#endif
