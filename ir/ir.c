/* The IR's tables and the function object: opcode and format info (from
 * ops.def), names of types and codes, function life cycle, declarations,
 * and the accessors that decode an instruction record per its format.
 *
 * Invariant: every per-id array keeps slot 0 unused, so id 0 is "none". */
#include "ir_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

const IrFormatInfo ir_format_info[IR_FMT_COUNT] = {
#define IR_FORMAT(name, nvals, e0, e1, code, dests)                                                 \
    [IR_FMT_##name] = { #name, nvals, { e0, e1 }, code, dests,                                      \
                        (e1) != IR_ENT_NONE || IR_FMT_##name == IR_FMT_LOAD || IR_FMT_##name == IR_FMT_STORE },
#include "ops.def"
};

const IrOpInfo ir_op_info[IR_OP_COUNT] = {
    [IR_OP_INVALID] = { "invalid", 0, IR_RES_NONE, 0, 0 },
#define IR_OP(name, text, fmt, res, types, flags) \
    [IR_OP_##name] = { text, IR_FMT_##fmt, IR_RES_##res, IR_TS_##types, flags },
#include "ops.def"
};

static const char *const type_names[IR_TYPE_COUNT] = { "none", "i32", "i64", "f32", "f64", "v128" };

const char *ir_type_name(IrType t) { return t < IR_TYPE_COUNT ? type_names[t] : "?"; }

unsigned ir_type_bytes(IrType t)
{
    static const unsigned bytes[IR_TYPE_COUNT] = { 0, 4, 8, 4, 8, 16 };
    return t < IR_TYPE_COUNT ? bytes[t] : 0;
}

#define IR_X_NAME(e, s) s,
static const char *const icc_names[] = { IR_INTCC_LIST(IR_X_NAME) };
static const char *const fcc_names[] = { IR_FLOATCC_LIST(IR_X_NAME) };
static const char *const trap_names[] = { IR_TRAP_LIST(IR_X_NAME) };
#undef IR_X_NAME

const char *ir_intcc_name(IrIntCC cc) { return cc < IR_ICC_COUNT ? icc_names[cc] : "?"; }
const char *ir_floatcc_name(IrFloatCC cc) { return cc < IR_FCC_COUNT ? fcc_names[cc] : "?"; }
const char *ir_trap_name(IrTrapCode t) { return t < IR_TRAP_COUNT ? trap_names[t] : "?"; }

const IrVecOpInfo ir_vecop_info[IR_VOP_COUNT] = {
#define IR_VECOP(e, text, sig, lanes) { text, sig, lanes },
#include "vecops.def"
};

const char *ir_vecop_name(IrVecOp v) { return v < IR_VOP_COUNT ? ir_vecop_info[v].name : "?"; }

IrType ir_vecop_letter_type(char c)
{
    switch (c) {
    case 'v': return IR_TYPE_V128;
    case 'i': case 'L': return IR_TYPE_I32;
    case 'I': return IR_TYPE_I64;
    case 'f': return IR_TYPE_F32;
    case 'F': return IR_TYPE_F64;
    default: return IR_TYPE_NONE;
    }
}

uint32_t ir_vecop_num_operands(IrVecOp v)
{
    const char *c = strchr(ir_vecop_info[v].sig, ':');
    return (uint32_t)(c - ir_vecop_info[v].sig);
}

IrType ir_vecop_result_type(IrVecOp v)
{
    return ir_vecop_letter_type(strchr(ir_vecop_info[v].sig, ':')[1]);
}

IrType ir_vecop_operand_type(IrVecOp v, uint32_t k)
{
    return k < ir_vecop_num_operands(v) ? ir_vecop_letter_type(ir_vecop_info[v].sig[k]) : IR_TYPE_NONE;
}

const char *ir_entity_prefix(IrEntityKind k)
{
    static const char *const p[IR_ENT_COUNT] = { "", "sig", "fn", "mem", "global", "table", "data", "elem" };
    return k < IR_ENT_COUNT ? p[k] : "?";
}

IrType ir_op_implied_type(IrOpcode op)
{
    unsigned ts = ir_op_info[op].types;
    if (ts == 0 || (ts & (ts - 1)) != 0)
        return IR_TYPE_NONE;
    IrType t = IR_TYPE_NONE;
    while (!(ts & 1u)) {
        ts >>= 1;
        t++;
    }
    return t;
}

IrOpcode ir_op_by_name(const char *name, size_t len)
{
    for (int op = 1; op < IR_OP_COUNT; op++) {
        const char *n = ir_op_info[op].name;
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return (IrOpcode)op;
    }
    return IR_OP_INVALID;
}

/* ---- Arena-grown arrays ------------------------------------------------ */

void *ir_grow(Arena *a, void *p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    uint32_t n = *cap ? *cap : 8;
    while (n < need) {
        assert(n <= UINT32_MAX / 2);
        n *= 2;
    }
    void *q = arena_array(a, n, elem);
    if (p)
        memcpy(q, p, (size_t)*cap * elem);
    *cap = n;
    return q;
}

uint32_t ir_pool_alloc(IrFunc *f, uint32_t n)
{
    assert(f->npool <= UINT32_MAX - n);
    f->pool = ir_grow(&f->arena, f->pool, &f->cap_pool, f->npool + n, sizeof *f->pool);
    uint32_t off = f->npool;
    f->npool += n;
    return off;
}

void ir_reserve_values(IrFunc *f, uint32_t id)
{
    f->values = ir_grow(&f->arena, f->values, &f->cap_values, id + 1, sizeof *f->values);
    if (f->nvalues <= id)
        f->nvalues = id + 1;
}

void ir_reserve_blocks(IrFunc *f, uint32_t id)
{
    uint32_t cap = f->cap_blocks;
    f->blocks = ir_grow(&f->arena, f->blocks, &f->cap_blocks, id + 1, sizeof *f->blocks);
    f->block_srclocs = ir_grow(&f->arena, f->block_srclocs, &cap, id + 1, sizeof *f->block_srclocs);
    if (f->nblocks <= id)
        f->nblocks = id + 1;
}

/* ---- Functions and declarations ---------------------------------------- */

IrFunc *ir_func_new(const char *name, size_t len)
{
    Arena a;
    arena_init(&a);
    IrFunc *f = arena_alloc(&a, sizeof *f);
    f->arena = a;
    f->name = arena_strndup(&f->arena, name ? name : "", name ? len : 0);
    f->name_len = (uint32_t)len;
    f->srcloc = IR_NO_SRCLOC;
    f->simd_srcloc = IR_NO_SRCLOC;
    f->ninsts = f->nvalues = f->nblocks = 1; /* slot 0 = none */
    ir_reserve_values(f, 0);
    ir_reserve_blocks(f, 0);
    uint32_t c1 = 0, c2 = 0, c3 = 0;
    f->insts = ir_grow(&f->arena, NULL, &f->cap_insts, 64, sizeof *f->insts);
    f->inodes = ir_grow(&f->arena, NULL, &c1, 64, sizeof *f->inodes);
    f->ires = ir_grow(&f->arena, NULL, &c2, 64, sizeof *f->ires);
    f->srclocs = ir_grow(&f->arena, NULL, &c3, 64, sizeof *f->srclocs);
    return f;
}

void ir_func_free(IrFunc *f)
{
    if (!f)
        return;
    Arena a = f->arena; /* f itself lives in the arena */
    arena_free(&a);
}

static uint8_t *copy_types(IrFunc *f, const IrType *t, uint32_t n)
{
    uint8_t *p = arena_array(&f->arena, n, 1);
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)t[i];
    return p;
}

static IrSig make_sig(IrFunc *f, const IrType *params, uint32_t np, const IrType *results, uint32_t nr)
{
    IrSig s = { copy_types(f, params, np), copy_types(f, results, nr), np, nr, true };
    return s;
}

void ir_func_set_sig(IrFunc *f, const IrType *params, uint32_t np, const IrType *results, uint32_t nr)
{
    f->sig = make_sig(f, params, np, results, nr);
}

/* Grows a declaration array so index idx exists; new slots are zeroed
 * (declared == false). */
#define DECL_SLOT(f, arr, n, cap, idx)                                              \
    do {                                                                            \
        assert((idx) < UINT32_MAX - 1);                                             \
        (f)->arr = ir_grow(&(f)->arena, (f)->arr, &(f)->cap, (idx) + 1, sizeof *(f)->arr); \
        if ((f)->n <= (idx))                                                        \
            (f)->n = (idx) + 1;                                                     \
    } while (0)

void ir_declare_sig(IrFunc *f, uint32_t idx, const IrType *params, uint32_t np, const IrType *results,
                    uint32_t nr)
{
    DECL_SLOT(f, sigs, nsigs, cap_sigs, idx);
    f->sigs[idx] = make_sig(f, params, np, results, nr);
}

void ir_declare_fn(IrFunc *f, uint32_t idx, IrFuncKind kind, const char *name, size_t len, uint32_t sig)
{
    DECL_SLOT(f, fns, nfns, cap_fns, idx);
    IrFuncRef *r = &f->fns[idx];
    r->name = arena_strndup(&f->arena, name, len);
    r->name_len = (uint32_t)len;
    r->sig = sig;
    r->kind = (uint8_t)kind;
    r->declared = true;
}

void ir_declare_memory(IrFunc *f, uint32_t idx, const IrMemoryDecl *m)
{
    DECL_SLOT(f, mems, nmems, cap_mems, idx);
    f->mems[idx] = *m;
    f->mems[idx].declared = true;
}

void ir_declare_global(IrFunc *f, uint32_t idx, const IrGlobalDecl *g)
{
    DECL_SLOT(f, globals, nglobals, cap_globals, idx);
    f->globals[idx] = *g;
    f->globals[idx].declared = true;
}

void ir_declare_table(IrFunc *f, uint32_t idx, const IrTableDecl *t)
{
    DECL_SLOT(f, tables, ntables, cap_tables, idx);
    f->tables[idx] = *t;
    f->tables[idx].declared = true;
}

const IrSig *ir_func_sig_decl(const IrFunc *f, uint32_t idx)
{
    return idx < f->nsigs && f->sigs[idx].declared ? &f->sigs[idx] : NULL;
}
const IrFuncRef *ir_func_fn_decl(const IrFunc *f, uint32_t idx)
{
    return idx < f->nfns && f->fns[idx].declared ? &f->fns[idx] : NULL;
}
const IrMemoryDecl *ir_func_mem_decl(const IrFunc *f, uint32_t idx)
{
    return idx < f->nmems && f->mems[idx].declared ? &f->mems[idx] : NULL;
}
const IrGlobalDecl *ir_func_global_decl(const IrFunc *f, uint32_t idx)
{
    return idx < f->nglobals && f->globals[idx].declared ? &f->globals[idx] : NULL;
}
const IrTableDecl *ir_func_table_decl(const IrFunc *f, uint32_t idx)
{
    return idx < f->ntables && f->tables[idx].declared ? &f->tables[idx] : NULL;
}

/* ---- Decoding instruction records --------------------------------------- */

static const IrFormatInfo *fmt_of(const IrFunc *f, IrInst i)
{
    return ir_op_format((IrOpcode)f->insts[i.id].op);
}

/* Operands live inline iff the format has at most two fixed operands and no
 * destinations (branches keep arg[1] for the destination index). */
static bool args_inline(const IrFormatInfo *fi)
{
    return fi->nvals != IR_NVAR && fi->nvals <= 2;
}

uint32_t ir_inst_num_args(const IrFunc *f, IrInst i)
{
    const IrFormatInfo *fi = fmt_of(f, i);
    if (args_inline(fi))
        return (uint32_t)fi->nvals;
    return f->insts[i.id].arg[1];
}

static uint32_t *arg_slot(IrFunc *f, IrInst i, uint32_t k)
{
    const IrFormatInfo *fi = fmt_of(f, i);
    IrInstData *d = &f->insts[i.id];
    if (args_inline(fi)) {
        assert(k < (uint32_t)fi->nvals);
        return &d->arg[k];
    }
    assert(k < d->arg[1]);
    return &f->pool[d->arg[0] + k];
}

IrValue ir_inst_arg(const IrFunc *f, IrInst i, uint32_t k)
{
    return ir_value(*arg_slot((IrFunc *)f, i, k));
}

void ir_inst_set_arg(IrFunc *f, IrInst i, uint32_t k, IrValue v) { *arg_slot(f, i, k) = v.id; }

void ir_inst_set_args(IrFunc *f, IrInst i, const IrValue *args, uint32_t n)
{
    const IrFormatInfo *fi = fmt_of(f, i);
    assert(fi->nvals == IR_NVAR);
    (void)fi;
    uint32_t off = ir_pool_alloc(f, n);
    for (uint32_t k = 0; k < n; k++)
        f->pool[off + k] = args[k].id;
    f->insts[i.id].arg[0] = off;
    f->insts[i.id].arg[1] = n;
}

uint32_t ir_inst_num_results(const IrFunc *f, IrInst i) { return f->ires[i.id].n; }

IrValue ir_inst_result(const IrFunc *f, IrInst i, uint32_t k)
{
    const IrInstResults *r = &f->ires[i.id];
    assert(k < r->n);
    return ir_value(r->n == 1 ? r->off : f->pool[r->off + k]);
}

uint32_t ir_inst_num_dests(const IrFunc *f, IrInst i)
{
    return fmt_of(f, i)->dests ? f->insts[i.id].imm : 0;
}

/* Destination k: pool[arg[1] + k] is the offset of a record
 * [block, nargs, args...]. */
static uint32_t dest_rec(const IrFunc *f, IrInst i, uint32_t k)
{
    assert(fmt_of(f, i)->dests && k < f->insts[i.id].imm);
    return f->pool[f->insts[i.id].arg[1] + k];
}

IrBlock ir_inst_dest(const IrFunc *f, IrInst i, uint32_t k) { return ir_block(f->pool[dest_rec(f, i, k)]); }

uint32_t ir_inst_dest_num_args(const IrFunc *f, IrInst i, uint32_t k) { return f->pool[dest_rec(f, i, k) + 1]; }

IrValue ir_inst_dest_arg(const IrFunc *f, IrInst i, uint32_t k, uint32_t j)
{
    uint32_t r = dest_rec(f, i, k);
    assert(j < f->pool[r + 1]);
    return ir_value(f->pool[r + 2 + j]);
}

void ir_inst_set_dest_arg(IrFunc *f, IrInst i, uint32_t k, uint32_t j, IrValue v)
{
    uint32_t r = dest_rec(f, i, k);
    assert(j < f->pool[r + 1]);
    f->pool[r + 2 + j] = v.id;
}

void ir_inst_set_dest(IrFunc *f, IrInst i, uint32_t k, IrBlock b, const IrValue *args, uint32_t n)
{
    (void)dest_rec(f, i, k); /* bounds assert */
    uint32_t r = ir_pool_alloc(f, n + 2);
    f->pool[r] = b.id;
    f->pool[r + 1] = n;
    for (uint32_t j = 0; j < n; j++)
        f->pool[r + 2 + j] = args[j].id;
    f->pool[f->insts[i.id].arg[1] + k] = r;
}

uint32_t ir_inst_entity(const IrFunc *f, IrInst i, uint32_t k)
{
    const IrFormatInfo *fi = fmt_of(f, i);
    assert(k < 2 && fi->ent[k] != IR_ENT_NONE);
    if (fi->extra)
        return f->extras[f->insts[i.id].imm].ent[k];
    return f->insts[i.id].imm;
}

bool ir_inst_can_trap(const IrFunc *f, IrInst i)
{
    IrOpcode op = ir_inst_op(f, i);
    if (!ir_op_has(op, IR_F_TRAPS))
        return false;
    unsigned fmt = ir_op_info[op].format;
    if (fmt == IR_FMT_LOAD || fmt == IR_FMT_STORE)
        return ir_inst_code(f, i) != IR_TRAP_NONE;
    return true;
}

bool ir_inst_is_removable(const IrFunc *f, IrInst i)
{
    IrOpcode op = ir_inst_op(f, i);
    return !ir_op_has(op, IR_F_WRITES | IR_F_TERM) && !ir_inst_can_trap(f, i);
}

uint64_t ir_inst_imm64(const IrFunc *f, IrInst i)
{
    assert(fmt_of(f, i) == &ir_format_info[IR_FMT_CONST]);
    const IrInstData *d = &f->insts[i.id];
    return (uint64_t)d->arg[0] | (uint64_t)d->arg[1] << 32;
}

uint64_t ir_inst_offset(const IrFunc *f, IrInst i)
{
    assert(fmt_of(f, i)->extra);
    return f->extras[f->insts[i.id].imm].offset;
}

const uint8_t *ir_inst_vconst(const IrFunc *f, IrInst i)
{
    assert(fmt_of(f, i) == &ir_format_info[IR_FMT_VCONST]);
    return f->vconsts[f->insts[i.id].imm];
}

/* ---- What an opcode says about results ---------------------------------- */

const IrSig *ir_inst_call_sig(const IrFunc *f, IrInst i)
{
    switch (ir_op_info[f->insts[i.id].op].format) {
    case IR_FMT_CALL: {
        const IrFuncRef *r = ir_func_fn_decl(f, ir_inst_entity(f, i, 0));
        return r ? ir_func_sig_decl(f, r->sig) : NULL;
    }
    case IR_FMT_CALL_INDIRECT:
    case IR_FMT_CALL_REF:
        return ir_func_sig_decl(f, ir_inst_entity(f, i, 0));
    default:
        return NULL;
    }
}

uint32_t ir_inst_expected_results(const IrFunc *f, IrInst i)
{
    switch (ir_op_info[f->insts[i.id].op].result) {
    case IR_RES_NONE:
        return 0;
    case IR_RES_CALL: {
        const IrSig *s = ir_inst_call_sig(f, i);
        return s ? s->nresults : 0;
    }
    default:
        return 1;
    }
}

IrType ir_inst_expected_result_type(const IrFunc *f, IrInst i, uint32_t k)
{
    const IrInstData *d = &f->insts[i.id];
    switch (ir_op_info[d->op].result) {
    case IR_RES_CTRL:
        return (IrType)d->type;
    case IR_RES_I32:
        return IR_TYPE_I32;
    case IR_RES_CALL: {
        const IrSig *s = ir_inst_call_sig(f, i);
        return s && k < s->nresults ? (IrType)s->results[k] : IR_TYPE_NONE;
    }
    default:
        return IR_TYPE_NONE;
    }
}
