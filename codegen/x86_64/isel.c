/* x86-64 instruction selection: IR function -> MachFunc on vregs.
 *
 * Blocks are lowered in layout order; inside a block the walk goes
 * backwards (STYLE.md 4), so every use is seen before its definition and a
 * rule can sink a single-use pure operand into its user (icmp into a
 * compare-and-branch or cmov, iadd/ishl into an address, a constant into an
 * immediate). Sunk instructions are marked consumed and skipped when the
 * walk reaches them. Constants are never lowered where they are defined:
 * each use that needs a register rematerializes them (short live ranges).
 *
 * This file: the walk, values, blocks and edges, control flow, calls (wasm
 * and runtime helpers) and the function entry. isel_ops.c lowers the rest.
 *
 * ABI (wasmc_rt.h section 1): f(callee_vmctx, caller_vmctx, params...
 * [, WasmcVal *results]) in System V order; >= 2 results go through the
 * hidden pointer, all of them. Invariant kept everywhere: an i32 value in a
 * GPR has its upper 32 bits zero (ABI inputs are zero-extended on entry
 * and after calls), so it can index memory directly. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../runtime-stub/include/wasmc_rt.h"
#include "../../support/arena.h"
#include "isel.h"

#define GROW(arr, n, cap)                                                     \
    do {                                                                      \
        if ((n) >= (cap)) {                                                   \
            (cap) = (cap) ? (cap) * 2 : 16;                                   \
            if ((cap) < (n) + 1)                                              \
                (cap) = (n) + 1;                                              \
            (arr) = xrealloc((arr), (size_t)(cap) * sizeof *(arr));           \
        }                                                                     \
    } while (0)

#define CALLER_SAVED_MASK                                                                            \
    ((1ull << X64_RAX) | (1ull << X64_RCX) | (1ull << X64_RDX) | (1ull << X64_RSI) | (1ull << X64_RDI) | \
     (1ull << X64_R8) | (1ull << X64_R9) | (1ull << X64_R10) | (1ull << X64_R11) | (0xffffull << X64_XMM0))

bool isel_fail(Isel *s, const char *fmt, const char *what)
{
    if (!s->failed)
        wasmc_fail(s->err, s->f->srcloc == IR_NO_SRCLOC ? WASMC_NO_OFFSET : s->f->srcloc, fmt, what);
    s->failed = true;
    return false;
}

uint32_t x64_const(X64FuncInfo *fi, uint64_t lo, uint64_t hi)
{
    for (uint32_t i = 0; i < fi->nconsts; i++)
        if (fi->consts[i].lo == lo && fi->consts[i].hi == hi)
            return i;
    GROW(fi->consts, fi->nconsts, fi->cap_consts);
    fi->consts[fi->nconsts] = (X64Const){ lo, hi };
    return fi->nconsts++;
}

/* ---- machine instructions ------------------------------------------------ */

MachInst *isel_mk(Isel *s, X64Pseudo op)
{
    GROW(s->chunk, s->nchunk, s->cap_chunk);
    MachInst *mi = &s->chunk[s->nchunk++];
    memset(mi, 0, sizeof *mi);
    mi->op = (uint16_t)op;
    return mi;
}

uint8_t isel_opnd(MachInst *mi, uint32_t reg, CgOpndKind kind)
{
    if (mi->nopnds >= CG_MAX_OPNDS)
        abort(); /* isel bug: too many operands */
    mi->opnd[mi->nopnds] = (CgOperand){ reg, (uint8_t)kind };
    return (uint8_t)X64_OPREF(mi->nopnds++);
}

static void commit_chunk(Isel *s)
{
    if (!s->nchunk)
        return;
    GROW(s->chunk_at, s->nchunks, s->cap_chunks);
    s->chunk_at[s->nchunks++] = s->nrev;
    for (uint32_t i = 0; i < s->nchunk; i++) {
        GROW(s->rev, s->nrev, s->cap_rev);
        s->rev[s->nrev++] = s->chunk[i];
    }
    s->nchunk = 0;
}

void isel_move(Isel *s, uint32_t dst, uint32_t src, unsigned size)
{
    MachInst *mi = isel_mk(s, XP_MOVE);
    mi->flags = CG_MI_MOVE;
    isel_opnd(mi, dst, CG_DEF);
    isel_opnd(mi, src, CG_USE);
    mi->aux[0] = size;
}

/* ---- values ----------------------------------------------------------------- */

uint32_t isel_new(Isel *s, IrType t) { return mach_new_vreg(s->mf, isel_class(t)); }

uint32_t isel_def(Isel *s, IrValue v)
{
    if (s->vreg_of[v.id] == CG_NO_REG)
        s->vreg_of[v.id] = isel_new(s, ir_value_type(s->f, v));
    return s->vreg_of[v.id];
}

static IrInst def_inst(Isel *s, IrValue v)
{
    const IrValueData *vd = &s->f->values[v.id];
    return vd->kind == IR_VAL_RESULT ? ir_inst(vd->def) : IR_NO_INST;
}

bool isel_const(Isel *s, IrValue v, int64_t *out)
{
    IrInst d = def_inst(s, v);
    if (!d.id || ir_inst_op(s->f, d) != IR_OP_ICONST)
        return false;
    uint64_t x = ir_inst_imm64(s->f, d);
    *out = ir_inst_type(s->f, d) == IR_TYPE_I32 ? (int64_t)(int32_t)(uint32_t)x : (int64_t)x;
    return true;
}

IrInst isel_sinkable(Isel *s, IrValue v, IrOpcode op)
{
    IrInst d = def_inst(s, v);
    if (!d.id || ir_inst_op(s->f, d) != op || s->uses[v.id] != 1 || s->consumed[d.id] ||
        ir_inst_block(s->f, d).id != s->cur_block.id || !ir_op_has(op, IR_F_PURE))
        return IR_NO_INST;
    return d;
}

uint32_t isel_reg(Isel *s, IrValue v)
{
    IrInst d = def_inst(s, v);
    IrOpcode op = d.id ? ir_inst_op(s->f, d) : IR_OP_INVALID;
    if (op == IR_OP_ICONST) {
        IrType t = ir_inst_type(s->f, d);
        uint32_t r = isel_new(s, t);
        uint64_t x = ir_inst_imm64(s->f, d);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t o = isel_opnd(mi, r, CG_DEF);
        if (x == 0)
            *x64_tmpl(mi) = x64_inst2(X64_XOR, 4, x64_r(o), x64_r(o));
        else
            *x64_tmpl(mi) = x64_mov_imm((X64Reg)o, t == IR_TYPE_I32 ? 4 : 8, (int64_t)x);
        return r;
    }
    if (op == IR_OP_F32CONST || op == IR_OP_F64CONST) {
        uint32_t r = isel_new(s, ir_inst_type(s->f, d));
        uint64_t x = ir_inst_imm64(s->f, d);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t o = isel_opnd(mi, r, CG_DEF);
        if (x == 0)
            *x64_tmpl(mi) = x64_inst2(X64_XORPS, 0, x64_r(o), x64_r(o));
        else
            *x64_tmpl(mi) = x64_inst2(op == IR_OP_F32CONST ? X64_MOVSS : X64_MOVSD, 0, x64_r(o),
                                      x64_rip_label((CgLabel){ x64_const(s->fi, x, 0) }, 0));
        return r;
    }
    return isel_def(s, v);
}

/* ---- memory bases, reloaded after every call ------------------------------ */

uint32_t isel_mem_base(Isel *s, uint32_t mem)
{
    if (s->mem_base[mem] == CG_NO_REG)
        s->mem_base[mem] = mach_new_vreg(s->mf, CG_CLASS_INT);
    return s->mem_base[mem];
}

uint32_t isel_mem_len(Isel *s, uint32_t mem)
{
    if (s->mem_len[mem] == CG_NO_REG)
        s->mem_len[mem] = mach_new_vreg(s->mf, CG_CLASS_INT);
    return s->mem_len[mem];
}

static void load_vmctx_field(Isel *s, uint32_t dst, int32_t off)
{
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t d = isel_opnd(mi, dst, CG_DEF), b = isel_opnd(mi, s->vmctx, CG_USE);
    *x64_tmpl(mi) = x64_inst2(X64_MOV, 8, x64_r(d), x64_m(b, off));
}

/* Emits (as its own chunk, placed at the start of the current segment) the
 * loads of every base/length used later in the segment. */
static void flush_mem(Isel *s)
{
    for (uint32_t m = 0; m < s->mi->nmemories; m++) {
        if (s->mem_base[m] == CG_NO_REG && s->mem_len[m] == CG_NO_REG)
            continue;
        const CgMemoryInfo *mem = &s->mi->memories[m];
        uint32_t rec = CG_NO_REG; /* register holding the record address if imported */
        int32_t off = (int32_t)mem->offset;
        bool any = false;
        for (int k = 0; k < 2; k++) {
            uint32_t v = k ? s->mem_len[m] : s->mem_base[m];
            any |= v != CG_NO_REG && v != s->seeded[2 * m + k];
        }
        if (mem->imported && any) {
            rec = mach_new_vreg(s->mf, CG_CLASS_INT);
            load_vmctx_field(s, rec, off);
        }
        for (int k = 0; k < 2; k++) {
            uint32_t v = k ? s->mem_len[m] : s->mem_base[m];
            if (v == CG_NO_REG || v == s->seeded[2 * m + k]) /* hoisted: loaded in the preheader */
                continue;
            MachInst *mi = isel_mk(s, XP_INST);
            uint8_t d = isel_opnd(mi, v, CG_DEF);
            uint8_t b = isel_opnd(mi, rec != CG_NO_REG ? rec : s->vmctx, CG_USE);
            int32_t disp = (rec != CG_NO_REG ? 0 : off) + 8 * k;
            *x64_tmpl(mi) = x64_inst2(X64_MOV, 8, x64_r(d), x64_m(b, disp));
        }
        s->mem_base[m] = s->mem_len[m] = CG_NO_REG;
    }
    commit_chunk(s);
}

/* ---- calls ------------------------------------------------------------------ */

static bool is_callish(IrOpcode op);

typedef struct CallArg {
    uint32_t vreg;   /* or CG_NO_REG with imm */
    int64_t imm;
    bool is_float;
    bool frame_results; /* lea of the call-results area */
} CallArg;

typedef enum CallKind { CALL_DIRECT, CALL_MEM, CALL_REG } CallKind;

/* Where System V puts argument k: a register, or stack word *words++. */
static uint32_t assign_args(const CallArg *a, uint32_t n, uint8_t *reg, uint32_t *word)
{
    uint32_t ni = 0, nf = 0, nw = 0;
    for (uint32_t k = 0; k < n; k++) {
        reg[k] = X64_NOREG;
        if (a[k].is_float && nf < 8)
            reg[k] = x64_sysv_float_args[nf++];
        else if (!a[k].is_float && ni < 6)
            reg[k] = x64_sysv_int_args[ni++];
        else
            word[k] = nw++;
    }
    return nw;
}

/* Argument setup for a call or tail call: stack words (at [rsp+8k], or the
 * incoming area [rbp+16+8k] for tail calls), then the argument registers.
 * Returns the mask of argument registers. Any number of arguments. */
static uint64_t setup_args(Isel *s, const CallArg *a, uint32_t n, bool tail, uint32_t *nwords)
{
    uint8_t *reg = xmalloc(n + 1);
    uint32_t *word = xmalloc((n + 1) * sizeof *word);
    *nwords = assign_args(a, n, reg, word);
    for (uint32_t k = 0; k < n; k++) {
        if (reg[k] != X64_NOREG)
            continue;
        X64Opnd m = tail ? x64_m(X64_RBP, 16 + 8 * (int32_t)word[k]) : x64_m(X64_RSP, 8 * (int32_t)word[k]);
        MachInst *mi = isel_mk(s, XP_INST);
        if (a[k].vreg == CG_NO_REG) {
            /* an immediate, or the results pointer: through a temporary */
            uint32_t t = mach_new_vreg(s->mf, CG_CLASS_INT);
            MachInst *c = mi;
            uint8_t o = isel_opnd(c, t, CG_DEF);
            if (a[k].frame_results) {
                X64Opnd r = x64_m(X64_RSP, 0);
                r.mem.target = X64_FRAME_RESULTS;
                *x64_tmpl(c) = x64_inst2(X64_LEA, 8, x64_r(o), r);
            } else {
                *x64_tmpl(c) = x64_mov_imm((X64Reg)o, 8, a[k].imm);
            }
            mi = isel_mk(s, XP_INST);
            uint8_t u = isel_opnd(mi, t, CG_USE);
            *x64_tmpl(mi) = x64_inst2(X64_MOV, 8, m, x64_r(u));
        } else {
            uint8_t u = isel_opnd(mi, a[k].vreg, CG_USE);
            *x64_tmpl(mi) = a[k].is_float ? x64_inst2(X64_MOVSD, 0, m, x64_r(u)) : x64_inst2(X64_MOV, 8, m, x64_r(u));
        }
    }
    uint64_t mask = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (reg[k] == X64_NOREG)
            continue;
        mask |= 1ull << reg[k];
        if (a[k].frame_results) {
            MachInst *mi = isel_mk(s, XP_INST);
            isel_opnd(mi, reg[k], CG_DEF);
            X64Opnd m = x64_m(X64_RSP, 0);
            m.mem.target = X64_FRAME_RESULTS;
            *x64_tmpl(mi) = x64_inst2(X64_LEA, 8, x64_r((X64Reg)reg[k]), m);
        } else if (a[k].vreg == CG_NO_REG) {
            MachInst *mi = isel_mk(s, XP_INST);
            isel_opnd(mi, reg[k], CG_DEF);
            *x64_tmpl(mi) = a[k].imm == 0 ? x64_inst2(X64_XOR, 4, x64_r((X64Reg)reg[k]), x64_r((X64Reg)reg[k]))
                                          : x64_mov_imm((X64Reg)reg[k], 8, a[k].imm);
        } else {
            isel_move(s, reg[k], a[k].vreg, 8);
        }
    }
    free(reg);
    free(word);
    return mask;
}

/* Emits a call. kind/target: CALL_DIRECT (sym), CALL_MEM ([vreg + disp]) or
 * CALL_REG (vreg). Results: rets[] vregs of types rtypes[]; with >= 2
 * results they come back through the results area. */
static void emit_call(Isel *s, CallKind kind, uint32_t sym_or_vreg, int32_t disp, CallArg *args, uint32_t nargs,
                      const uint32_t *rets, const uint8_t *rtypes, uint32_t nrets)
{
    bool multi = nrets >= 2;
    if (multi) {
        args[nargs++] = (CallArg){ .vreg = CG_NO_REG, .frame_results = true };
        if (s->fi->results < 16 * nrets)
            s->fi->results = 16 * nrets;
    }
    uint32_t words;
    uint64_t mask = setup_args(s, args, nargs, false, &words);
    if (s->fi->out_args < 8 * words)
        s->fi->out_args = 8 * words;
    s->fi->has_calls = true;
    MachInst *mi = isel_mk(s, XP_CALL);
    if (kind == CALL_DIRECT) {
        *x64_tmpl(mi) = x64_inst1(X64_CALL, 0, x64_sym(sym_or_vreg));
    } else {
        uint8_t t = isel_opnd(mi, sym_or_vreg, CG_USE);
        *x64_tmpl(mi) = x64_inst1(X64_CALL, 0, kind == CALL_MEM ? x64_m(t, disp) : x64_r(t));
    }
    mi->preg_uses = mask;
    mi->clobbers = CALLER_SAVED_MASK;
    if (!multi && nrets == 1)
        mi->preg_defs = 1ull << (ir_type_is_float(rtypes[0]) ? X64_XMM0 : X64_RAX);
    for (uint32_t k = 0; k < nrets; k++) {
        if (rets[k] == CG_NO_REG)
            continue;
        bool fl = ir_type_is_float(rtypes[k]);
        if (!multi) {
            isel_move(s, rets[k], fl ? X64_XMM0 : X64_RAX, rtypes[k] == IR_TYPE_I32 ? 4 : 8);
            continue;
        }
        MachInst *ld = isel_mk(s, XP_INST);
        uint8_t d = isel_opnd(ld, rets[k], CG_DEF);
        X64Opnd m = x64_m(X64_RSP, 16 * (int32_t)k);
        m.mem.target = X64_FRAME_RESULTS;
        IrType t = rtypes[k];
        *x64_tmpl(ld) = t == IR_TYPE_F32   ? x64_inst2(X64_MOVSS, 0, x64_r(d), m)
                        : t == IR_TYPE_F64 ? x64_inst2(X64_MOVSD, 0, x64_r(d), m)
                                           : x64_inst2(X64_MOV, isel_size(t), x64_r(d), m);
    }
}

uint32_t isel_rt_call(Isel *s, const char *name, const RtArg *a, uint32_t n, IrType ret)
{
    CallArg args[16];
    args[0] = (CallArg){ .vreg = s->vmctx };
    for (uint32_t k = 0; k < n; k++)
        args[k + 1] = (CallArg){ .vreg = a[k].is_imm ? CG_NO_REG : a[k].vreg, .imm = a[k].imm, .is_float = a[k].is_float };
    uint32_t r = ret ? isel_new(s, ret) : CG_NO_REG;
    uint8_t rt = (uint8_t)ret;
    emit_call(s, CALL_DIRECT, s->syms->named(s->syms->ctx, name), 0, args, n + 1, &r, &rt, ret ? 1 : 0);
    return r;
}

uint32_t isel_trap_code(IrTrapCode c)
{
    switch (c) {
    case IR_TRAP_HEAP_OOB: return WASMC_TRAP_MEMORY_OOB;
    case IR_TRAP_INT_DIVZ: return WASMC_TRAP_INT_DIV_ZERO;
    case IR_TRAP_INT_OVF: return WASMC_TRAP_INT_OVERFLOW;
    case IR_TRAP_BAD_TOINT: return WASMC_TRAP_BAD_CONVERSION;
    case IR_TRAP_UNREACHABLE: return WASMC_TRAP_UNREACHABLE;
    case IR_TRAP_TABLE_OOB: return WASMC_TRAP_TABLE_OOB;
    case IR_TRAP_BAD_SIG: return WASMC_TRAP_INDIRECT_CALL_TYPE;
    case IR_TRAP_NULL_REF: return WASMC_TRAP_NULL_REF;
    case IR_TRAP_STACK_OVERFLOW: return WASMC_TRAP_STACK_OVERFLOW;
    case IR_TRAP_UNALIGNED: return WASMC_TRAP_UNALIGNED_ATOMIC;
    case IR_TRAP_CAST_FAIL: return WASMC_TRAP_CAST_FAILURE;
    case IR_TRAP_ARRAY_OOB: return WASMC_TRAP_ARRAY_OOB;
    default: return WASMC_TRAP_UNREACHABLE;
    }
}

/* call_indirect's callee: bounds, null and signature checks, then the
 * funcref in a vreg. */
static uint32_t indirect_callee(Isel *s, IrInst i)
{
    IrFunc *f = s->f;
    uint32_t sig = ir_inst_entity(f, i, 0), tbl = ir_inst_entity(f, i, 1);
    const CgTableInfo *ti = &s->mi->tables[tbl];
    uint32_t idx = isel_reg(s, ir_inst_arg(f, i, 0));
    uint32_t rec = s->vmctx;
    int32_t roff = (int32_t)ti->offset;
    if (ti->imported) {
        rec = mach_new_vreg(s->mf, CG_CLASS_INT);
        load_vmctx_field(s, rec, roff);
        roff = 0;
    }
    /* idx >= length: undefined element */
    {
        MachInst *mi = isel_mk(s, XP_TRAPIF);
        uint8_t a = isel_opnd(mi, idx, CG_USE), b = isel_opnd(mi, rec, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_CMP, 8, x64_r(a), x64_m(b, roff + 8));
        mi->aux[0] = X64_CC_AE;
        mi->aux[1] = WASMC_TRAP_UNDEFINED_ELEMENT;
    }
    uint32_t base = mach_new_vreg(s->mf, CG_CLASS_INT), fr = mach_new_vreg(s->mf, CG_CLASS_INT);
    {
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t d = isel_opnd(mi, base, CG_DEF), b = isel_opnd(mi, rec, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_MOV, 8, x64_r(d), x64_m(b, roff));
        mi = isel_mk(s, XP_INST);
        d = isel_opnd(mi, fr, CG_DEF);
        b = isel_opnd(mi, base, CG_USE);
        uint8_t x = isel_opnd(mi, idx, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_MOV, 8, x64_r(d), x64_mem(b, x, 8, 0));
        mi = isel_mk(s, XP_TRAPIF);
        d = isel_opnd(mi, fr, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_TEST, 8, x64_r(d), x64_r(d));
        mi->aux[0] = X64_CC_E;
        mi->aux[1] = WASMC_TRAP_UNINITIALIZED_ELEMENT;
    }
    uint32_t tid = mach_new_vreg(s->mf, CG_CLASS_INT);
    {
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t d = isel_opnd(mi, tid, CG_DEF), b = isel_opnd(mi, s->vmctx, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_MOV, 4, x64_r(d), x64_m(b, (int32_t)(s->mi->type_ids_offset + 4 * sig)));
        mi = isel_mk(s, XP_TRAPIF);
        d = isel_opnd(mi, tid, CG_USE);
        b = isel_opnd(mi, fr, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_CMP, 4, x64_r(d), x64_m(b, (int32_t)offsetof(WasmcFuncRef, type_id)));
        mi->aux[0] = X64_CC_NE;
        mi->aux[1] = WASMC_TRAP_INDIRECT_CALL_TYPE;
    }
    return fr;
}

static void load_field(Isel *s, uint32_t dst, uint32_t base, int32_t disp)
{
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t d = isel_opnd(mi, dst, CG_DEF), b = isel_opnd(mi, base, CG_USE);
    *x64_tmpl(mi) = x64_inst2(X64_MOV, 8, x64_r(d), x64_m(b, disp));
}

static void lower_return_values(Isel *s, const IrValue *vals, uint32_t n);

/* Stores value vreg r of type t to [p + 16k] (a results slot). */
static void store_result_slot(Isel *s, uint32_t r, IrType t, uint32_t p, uint32_t k)
{
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t v = isel_opnd(mi, r, CG_USE), op = isel_opnd(mi, p, CG_USE);
    X64Opnd m = x64_m(op, 16 * (int32_t)k);
    *x64_tmpl(mi) = t == IR_TYPE_F32   ? x64_inst2(X64_MOVSS, 0, m, x64_r(v))
                    : t == IR_TYPE_F64 ? x64_inst2(X64_MOVSD, 0, m, x64_r(v))
                                       : x64_inst2(X64_MOV, 8, m, x64_r(v));
}

/* call, call_indirect, call_ref and their tail forms. Any number of
 * arguments (System V stack words beyond the registers) and results (the
 * hidden results pointer). */
static bool lower_call(Isel *s, IrInst i)
{
    IrFunc *f = s->f;
    IrOpcode op = ir_inst_op(f, i);
    bool indirect = op == IR_OP_CALL_INDIRECT || op == IR_OP_RETURN_CALL_INDIRECT;
    bool by_ref = op == IR_OP_CALL_REF || op == IR_OP_RETURN_CALL_REF;
    bool tail = op == IR_OP_RETURN_CALL || op == IR_OP_RETURN_CALL_INDIRECT || op == IR_OP_RETURN_CALL_REF;
    const IrSig *sig;
    const IrFuncRef *fn = NULL;
    uint32_t fnidx = ir_inst_entity(f, i, 0);
    if (indirect || by_ref) {
        sig = ir_func_sig_decl(f, fnidx);
    } else {
        fn = ir_func_fn_decl(f, fnidx);
        sig = ir_func_sig_decl(f, fn->sig);
    }
    uint32_t first = indirect || by_ref ? 1 : 0;
    uint32_t nargs = ir_inst_num_args(f, i) - first;
    uint32_t callee_vmctx = s->vmctx, target = CG_NO_REG;
    CallKind kind = CALL_DIRECT;
    uint32_t sym = 0;
    int32_t disp = 0;
    if (indirect) {
        uint32_t fr = indirect_callee(s, i);
        callee_vmctx = mach_new_vreg(s->mf, CG_CLASS_INT);
        load_field(s, callee_vmctx, fr, (int32_t)offsetof(WasmcFuncRef, vmctx));
        kind = CALL_MEM;
        target = fr;
        disp = (int32_t)offsetof(WasmcFuncRef, code);
    } else if (by_ref) {
        /* call_ref: a null reference traps; no signature check (validated) */
        uint32_t fr = isel_reg(s, ir_inst_arg(f, i, 0));
        MachInst *mi = isel_mk(s, XP_TRAPIF);
        uint8_t o = isel_opnd(mi, fr, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_TEST, 8, x64_r(o), x64_r(o));
        mi->aux[0] = X64_CC_E;
        mi->aux[1] = WASMC_TRAP_NULL_FUNC_REF;
        callee_vmctx = mach_new_vreg(s->mf, CG_CLASS_INT);
        load_field(s, callee_vmctx, fr, (int32_t)offsetof(WasmcFuncRef, vmctx));
        kind = CALL_MEM;
        target = fr;
        disp = (int32_t)offsetof(WasmcFuncRef, code);
    } else if (fn->kind == IR_FN_IMPORT) {
        if (fnidx >= s->mi->nimported_funcs)
            return isel_fail(s, "%s: import index out of range", "call");
        int32_t off = (int32_t)s->mi->import_slot_offsets[fnidx];
        callee_vmctx = mach_new_vreg(s->mf, CG_CLASS_INT);
        load_field(s, callee_vmctx, s->vmctx, off + 8);
        kind = CALL_MEM;
        target = s->vmctx;
        disp = off;
    } else if (fn->kind == IR_FN_RUNTIME) {
        sym = s->syms->named(s->syms->ctx, fn->name);
    } else {
        sym = s->syms->func(s->syms->ctx, fnidx);
    }
    /* vmctx pair, arguments, room for the hidden results pointer */
    CallArg *args = xmalloc((nargs + 3) * sizeof *args);
    args[0] = (CallArg){ .vreg = callee_vmctx };
    args[1] = (CallArg){ .vreg = s->vmctx };
    uint32_t na = 2;
    if (fn && fn->kind == IR_FN_RUNTIME)
        na = 1; /* runtime helpers take only the vmctx */
    for (uint32_t k = 0; k < nargs; k++) {
        IrValue v = ir_inst_arg(f, i, k + first);
        args[na++] = (CallArg){ .vreg = isel_reg(s, v), .is_float = ir_type_is_float(ir_value_type(f, v)) };
    }
    uint32_t nres = tail ? sig->nresults : ir_inst_num_results(f, i);
    uint32_t *rets = xmalloc((nres + 1) * sizeof *rets);
    if (tail) {
        /* A real tail call when the callee's stack arguments fit in our own
         * incoming area; otherwise call and return its results. */
        uint32_t nall = na;
        if (sig->nresults >= 2)
            args[nall++] = (CallArg){ .vreg = s->results_ptr };
        uint8_t *reg = xmalloc(nall);
        uint32_t *word = xmalloc(nall * sizeof *word);
        bool fits = assign_args(args, nall, reg, word) <= s->fi->nstack_params;
        free(reg);
        free(word);
        if (fits) {
            if (kind == CALL_MEM) { /* the target must survive the epilogue: rax */
                uint32_t t = mach_new_vreg(s->mf, CG_CLASS_INT);
                load_field(s, t, target, disp);
                target = t;
            }
            uint32_t words;
            uint64_t mask = setup_args(s, args, nall, true, &words);
            if (kind != CALL_DIRECT)
                isel_move(s, X64_RAX, target, 8);
            MachInst *mi = isel_mk(s, XP_TAILCALL);
            mi->flags = CG_MI_TERM;
            mi->preg_uses = mask | (kind != CALL_DIRECT ? 1ull << X64_RAX : 0);
            *x64_tmpl(mi) = x64_inst1(X64_JMP, 0, kind == CALL_DIRECT ? x64_sym(sym) : x64_r(X64_RAX));
            free(args);
            free(rets);
            return true;
        }
        for (uint32_t k = 0; k < nres; k++)
            rets[k] = isel_new(s, (IrType)sig->results[k]);
        emit_call(s, kind, kind == CALL_DIRECT ? sym : target, disp, args, na, rets, sig->results, nres);
        if (nres >= 2) {
            for (uint32_t k = 0; k < nres; k++)
                store_result_slot(s, rets[k], (IrType)sig->results[k], s->results_ptr, k);
        } else if (nres == 1) {
            bool fl = ir_type_is_float((IrType)sig->results[0]);
            isel_move(s, fl ? X64_XMM0 : X64_RAX, rets[0], 8);
        }
        MachInst *mi = isel_mk(s, XP_RET);
        mi->flags = CG_MI_TERM;
        if (nres == 1)
            mi->preg_uses = 1ull << (ir_type_is_float((IrType)sig->results[0]) ? X64_XMM0 : X64_RAX);
        free(args);
        free(rets);
        return true;
    }
    for (uint32_t k = 0; k < nres; k++) {
        IrValue r = ir_inst_result(f, i, k);
        rets[k] = s->uses[r.id] ? isel_def(s, r) : CG_NO_REG;
    }
    emit_call(s, kind, kind == CALL_DIRECT ? sym : target, disp, args, na, rets, sig->results, nres);
    free(args);
    free(rets);
    return true;
}

/* ---- returns ---------------------------------------------------------------- */

static void lower_return_values(Isel *s, const IrValue *vals, uint32_t n)
{
    uint64_t uses = 0;
    if (n == 1) {
        bool fl = ir_type_is_float(ir_value_type(s->f, vals[0]));
        uint32_t r = isel_reg(s, vals[0]);
        isel_move(s, fl ? X64_XMM0 : X64_RAX, r, 8);
        uses = 1ull << (fl ? X64_XMM0 : X64_RAX);
    } else {
        for (uint32_t k = 0; k < n; k++)
            store_result_slot(s, isel_reg(s, vals[k]), ir_value_type(s->f, vals[k]), s->results_ptr, k);
    }
    MachInst *mi = isel_mk(s, XP_RET);
    mi->flags = CG_MI_TERM;
    mi->preg_uses = uses;
}

/* ---- control flow ---------------------------------------------------------- */

/* The MachBlock that CFG edge k of terminator i branches to. For a
 * terminator with several successors, an edge into a block with
 * parameters or several incoming edges gets its own edge block (so the
 * allocator has a place for the edge's moves). */
static uint32_t edge_to(Isel *s, IrInst i, uint32_t k, bool multi)
{
    IrFunc *f = s->f;
    IrBlock d = ir_inst_dest(f, i, k);
    uint32_t n = ir_inst_dest_num_args(f, i, k);
    uint32_t *args = xmalloc((n ? n : 1) * sizeof *args);
    for (uint32_t j = 0; j < n; j++)
        args[j] = isel_reg(s, ir_inst_dest_arg(f, i, k, j));
    uint32_t cur = s->mblock_of[s->cur_block.id];
    if (multi && (n || s->nin_edges[d.id] > 1)) {
        uint32_t eb = mach_new_block(s->mf);
        GROW(s->edges, s->nedges, s->cap_edges);
        s->edges[s->nedges++] = (struct EdgeBlock){ eb, cur, s->mblock_of[d.id], args, n };
        mach_block_add_succ(s->mf, cur, eb, NULL, 0);
        return eb;
    }
    mach_block_add_succ(s->mf, cur, s->mblock_of[d.id], args, n);
    free(args);
    return s->mblock_of[d.id];
}

/* Flags-setting compare for a branch/select/setcc condition c: a sunk icmp
 * or fcmp, else "test c, c" with NE. Fills the template and operands of mi;
 * returns the condition (and float mode in *fmode). */
static bool fmode_ok(Isel *s, IrInst d, uint32_t *fmode)
{
    IrFloatCC fc = (IrFloatCC)ir_inst_code(s->f, d);
    return fmode || (fc != IR_FCC_EQ && fc != IR_FCC_NE);
}

X64Cond isel_condition(Isel *s, MachInst *mi, IrValue c, uint32_t *fmode, CgOpndKind kind)
{
    IrFunc *f = s->f;
    if (fmode)
        *fmode = 0;
    IrInst d = isel_sinkable(s, c, IR_OP_ICMP);
    if (d.id) {
        s->consumed[d.id] = 1;
        IrValue a = ir_inst_arg(f, d, 0), b = ir_inst_arg(f, d, 1);
        IrType t = ir_value_type(f, a);
        unsigned sz = isel_size(t);
        int64_t imm;
        static const X64Cond cc[] = { [IR_ICC_EQ] = X64_CC_E,  [IR_ICC_NE] = X64_CC_NE, [IR_ICC_SLT] = X64_CC_L,
                                      [IR_ICC_SLE] = X64_CC_LE, [IR_ICC_SGT] = X64_CC_G, [IR_ICC_SGE] = X64_CC_GE,
                                      [IR_ICC_ULT] = X64_CC_B,  [IR_ICC_ULE] = X64_CC_BE, [IR_ICC_UGT] = X64_CC_A,
                                      [IR_ICC_UGE] = X64_CC_AE };
        X64Cond k = cc[ir_inst_code(f, d)];
        IrInst ld = IR_NO_INST;
        if (s->cond_trap_aux >= 0 && !isel_const(s, b, &imm)) {
            ld = isel_foldable_load(s, b, t);
            if (!ld.id && (ld = isel_foldable_load(s, a, t)).id) {
                /* icmp cc (load p), y  =>  cmp y, [p] with the mirrored condition */
                static const X64Cond mirror[16] = {
                    [X64_CC_E] = X64_CC_E, [X64_CC_NE] = X64_CC_NE, [X64_CC_L] = X64_CC_G, [X64_CC_G] = X64_CC_L,
                    [X64_CC_LE] = X64_CC_GE, [X64_CC_GE] = X64_CC_LE, [X64_CC_B] = X64_CC_A, [X64_CC_A] = X64_CC_B,
                    [X64_CC_BE] = X64_CC_AE, [X64_CC_AE] = X64_CC_BE };
                IrValue x = a;
                a = b;
                b = x;
                k = mirror[k];
            }
        }
        if (ld.id) {
            /* icmp cc x, (load p)  =>  cmp x, [base + p + off] */
            FoldMem fm;
            isel_fold_prepare(s, ld, &fm);
            uint32_t ra = isel_reg(s, a);
            uint8_t oa = isel_opnd(mi, ra, kind);
            X64Opnd m = isel_fold_opnd(mi, &fm, kind);
            *x64_tmpl(mi) = x64_inst2(X64_CMP, sz, x64_r(oa), m);
            if (fm.trap)
                mi->aux[s->cond_trap_aux] = WASMC_TRAP_MEMORY_OOB;
            return k;
        }
        uint32_t ra = isel_reg(s, a);
        if (isel_const(s, b, &imm) && (sz == 4 || (imm >= INT32_MIN && imm <= INT32_MAX))) {
            uint8_t oa = isel_opnd(mi, ra, kind);
            /* icmp eq/ne x, 0  =>  test x, x */
            if (imm == 0 && (k == X64_CC_E || k == X64_CC_NE))
                *x64_tmpl(mi) = x64_inst2(X64_TEST, sz, x64_r(oa), x64_r(oa));
            else
                *x64_tmpl(mi) = x64_inst2(X64_CMP, sz, x64_r(oa), x64_i(imm));
            return k;
        }
        uint32_t rb = isel_reg(s, b);
        uint8_t oa = isel_opnd(mi, ra, kind), ob = isel_opnd(mi, rb, kind);
        *x64_tmpl(mi) = x64_inst2(X64_CMP, sz, x64_r(oa), x64_r(ob));
        return k;
    }
    d = isel_sinkable(s, c, IR_OP_FCMP);
    if (d.id && !fmode_ok(s, d, fmode)) /* float eq/ne need two flags: only branches and setcc take them */
        d = IR_NO_INST;
    if (d.id) {
        s->consumed[d.id] = 1;
        IrValue a = ir_inst_arg(f, d, 0), b = ir_inst_arg(f, d, 1);
        X64Op uc = ir_value_type(f, a) == IR_TYPE_F32 ? X64_UCOMISS : X64_UCOMISD;
        uint32_t ra = isel_reg(s, a), rb = isel_reg(s, b);
        IrFloatCC fc = (IrFloatCC)ir_inst_code(f, d);
        /* lt/le are gt/ge with swapped operands: "above" is false on NaN */
        bool swap = fc == IR_FCC_LT || fc == IR_FCC_LE;
        uint8_t oa = isel_opnd(mi, swap ? rb : ra, kind), ob = isel_opnd(mi, swap ? ra : rb, kind);
        *x64_tmpl(mi) = x64_inst2(uc, 0, x64_r(oa), x64_r(ob));
        switch (fc) {
        case IR_FCC_EQ: *fmode = 1; return X64_CC_E;
        case IR_FCC_NE: *fmode = 2; return X64_CC_NE;
        case IR_FCC_LT: case IR_FCC_GT: return X64_CC_A;
        case IR_FCC_LE: case IR_FCC_GE: return X64_CC_AE;
        case IR_FCC_UNO: return X64_CC_P;
        default: return X64_CC_NP;
        }
    }
    uint32_t r = isel_reg(s, c);
    uint8_t o = isel_opnd(mi, r, kind);
    *x64_tmpl(mi) = x64_inst2(X64_TEST, 4, x64_r(o), x64_r(o));
    return X64_CC_NE;
}

static bool lower_term(Isel *s, IrInst i)
{
    IrFunc *f = s->f;
    switch (ir_inst_op(f, i)) {
    case IR_OP_JUMP: {
        MachInst *mi = isel_mk(s, XP_JMP);
        mi->flags = CG_MI_TERM;
        uint32_t idx = (uint32_t)(mi - s->chunk);
        edge_to(s, i, 0, false); /* may materialize constants: mi may move */
        MachInst j = s->chunk[idx];
        memmove(&s->chunk[idx], &s->chunk[idx + 1], (s->nchunk - idx - 1) * sizeof j);
        s->chunk[s->nchunk - 1] = j;
        return true;
    }
    case IR_OP_BRIF: {
        /* Edge arguments first (constants materialize before the branch). */
        edge_to(s, i, 0, true);
        edge_to(s, i, 1, true);
        MachInst *mi = isel_mk(s, XP_BR);
        mi->flags = CG_MI_TERM;
        uint32_t idx = (uint32_t)(mi - s->chunk), fmode;
        MachInst tmp = *mi;
        s->nchunk--; /* build in tmp: the condition may materialize constants */
        s->cond_trap_aux = 2;
        X64Cond cc = isel_condition(s, &tmp, ir_inst_arg(f, i, 0), &fmode, CG_USE);
        s->cond_trap_aux = -1;
        (void)idx;
        tmp.aux[0] = cc;
        tmp.aux[1] = fmode;
        *isel_mk(s, XP_BR) = tmp;
        return true;
    }
    case IR_OP_BR_TABLE: {
        uint32_t n = ir_inst_num_dests(f, i);
        for (uint32_t k = 0; k < n; k++)
            edge_to(s, i, k, true);
        uint32_t idx = isel_reg(s, ir_inst_arg(f, i, 0));
        MachInst *mi = isel_mk(s, XP_BRTABLE);
        mi->flags = CG_MI_TERM;
        isel_opnd(mi, idx, CG_USE);
        isel_opnd(mi, mach_new_vreg(s->mf, CG_CLASS_INT), CG_DEF);
        x64_tmpl(mi)->size = isel_size(ir_value_type(f, ir_inst_arg(f, i, 0)));
        return true;
    }
    case IR_OP_RETURN: {
        uint32_t n = ir_inst_num_args(f, i);
        IrValue *vals = xmalloc((n + 1) * sizeof *vals);
        for (uint32_t k = 0; k < n; k++)
            vals[k] = ir_inst_arg(f, i, k);
        lower_return_values(s, vals, n);
        free(vals);
        return true;
    }
    case IR_OP_TRAP: {
        MachInst *mi = isel_mk(s, XP_TRAP);
        mi->flags = CG_MI_TERM;
        mi->aux[1] = isel_trap_code((IrTrapCode)ir_inst_code(f, i));
        return true;
    }
    case IR_OP_RETURN_CALL:
    case IR_OP_RETURN_CALL_INDIRECT:
    case IR_OP_RETURN_CALL_REF:
        return lower_call(s, i);
    default:
        return isel_fail(s, "cannot lower terminator %s", ir_op(ir_inst_op(f, i))->name);
    }
}

static bool is_callish(IrOpcode op)
{
    switch (op) {
    case IR_OP_CALL: case IR_OP_CALL_INDIRECT: case IR_OP_RETURN_CALL: case IR_OP_RETURN_CALL_INDIRECT:
    case IR_OP_CALL_REF: case IR_OP_RETURN_CALL_REF:
    case IR_OP_MEMORY_GROW: case IR_OP_MEMORY_FILL: case IR_OP_MEMORY_COPY: case IR_OP_MEMORY_INIT:
    case IR_OP_DATA_DROP: case IR_OP_TABLE_GET: case IR_OP_TABLE_SET: case IR_OP_TABLE_SIZE:
    case IR_OP_TABLE_GROW: case IR_OP_TABLE_FILL: case IR_OP_TABLE_COPY: case IR_OP_TABLE_INIT:
    case IR_OP_ELEM_DROP:
        return true;
    default:
        return false;
    }
}

static bool lower_inst(Isel *s, IrInst i)
{
    IrOpcode op = ir_inst_op(s->f, i);
    switch (op) {
    case IR_OP_ICONST: case IR_OP_F32CONST: case IR_OP_F64CONST:
        return true; /* rematerialized at each use */
    case IR_OP_TRAPZ:
    case IR_OP_TRAPNZ: {
        MachInst mi;
        memset(&mi, 0, sizeof mi);
        mi.op = XP_TRAPIF;
        s->cond_trap_aux = 2;
        X64Cond cc = isel_condition(s, &mi, ir_inst_arg(s->f, i, 0), NULL, CG_USE);
        s->cond_trap_aux = -1;
        mi.aux[0] = op == IR_OP_TRAPNZ ? cc : x64_cc_invert(cc);
        mi.aux[1] = isel_trap_code((IrTrapCode)ir_inst_code(s->f, i));
        *isel_mk(s, XP_TRAPIF) = mi;
        return true;
    }
    case IR_OP_CALL:
    case IR_OP_CALL_INDIRECT:
    case IR_OP_CALL_REF:
        return lower_call(s, i);
    default:
        if (ir_op_has(op, IR_F_TERM))
            return lower_term(s, i);
        return isel_op(s, i);
    }
}

/* ---- the entry ---------------------------------------------------------------- */

static void lower_entry(Isel *s)
{
    IrFunc *f = s->f;
    IrBlock e = ir_func_entry(f);
    uint32_t n = 0, np = ir_block_num_params(f, e);
    CallArg *a = xmalloc((np + 3) * sizeof *a);
    a[n++] = (CallArg){ .vreg = s->vmctx };
    a[n++] = (CallArg){ 0 };
    for (uint32_t k = 0; k < np; k++)
        a[n++] = (CallArg){ .is_float = ir_type_is_float(ir_value_type(f, ir_block_param(f, e, k))) };
    if (f->sig.nresults >= 2)
        a[n++] = (CallArg){ 0 };
    uint8_t *reg = xmalloc(n);
    uint32_t *word = xmalloc(n * sizeof *word);
    s->fi->nstack_params = assign_args(a, n, reg, word);
    isel_move(s, s->vmctx, X64_RDI, 8);
    for (uint32_t k = 2; k < n; k++) {
        bool is_res = f->sig.nresults >= 2 && k == n - 1;
        IrValue v = is_res ? IR_NO_VALUE : ir_block_param(f, e, k - 2);
        if (!is_res && !s->uses[v.id])
            continue;
        uint32_t dst = is_res ? s->results_ptr : isel_def(s, v);
        IrType t = is_res ? IR_TYPE_I64 : ir_value_type(f, v);
        if (reg[k] != X64_NOREG) {
            isel_move(s, dst, reg[k], t == IR_TYPE_I32 ? 4 : 8);
            continue;
        }
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t d = isel_opnd(mi, dst, CG_DEF);
        X64Opnd m = x64_m(X64_RBP, 16 + 8 * (int32_t)word[k]);
        *x64_tmpl(mi) = t == IR_TYPE_F32   ? x64_inst2(X64_MOVSS, 0, x64_r(d), m)
                        : t == IR_TYPE_F64 ? x64_inst2(X64_MOVSD, 0, x64_r(d), m)
                                           : x64_inst2(X64_MOV, isel_size(t), x64_r(d), m);
    }
    free(a);
    free(reg);
    free(word);
}

/* ---- hoisting memory bases out of loops ------------------------------------------ */

/* Marks the natural loop of header h with latch b in body[] (1 = in the loop). */
static void loop_body(const IrCfg *cfg, uint32_t h, uint32_t b, uint8_t *body, uint32_t *stack)
{
    uint32_t n = 0;
    body[h] = 1;
    if (!body[b]) {
        body[b] = 1;
        stack[n++] = b;
    }
    while (n) {
        uint32_t x = stack[--n];
        const IrBlockList *pl = &cfg->preds[x];
        for (uint32_t k = 0; k < pl->n; k++)
            if (!body[pl->ids[k]]) {
                body[pl->ids[k]] = 1;
                stack[n++] = pl->ids[k];
            }
    }
}

/* The memory bases (and lengths, for explicit checks) are reloaded after
 * every call, so by default each block loads what it uses at its start.
 * An outermost loop without calls instead gets them loaded once at the end
 * of its preheader (the header's only predecessor outside the loop), and
 * every block of the loop uses those vregs. */
static void plan_hoisting(Isel *s, const IrCfg *cfg, const IrDomTree *dom)
{
    IrFunc *f = s->f;
    uint32_t nb = f->nblocks + 1, nm = s->mi->nmemories;
    s->loop_owner = xcalloc(nb, sizeof *s->loop_owner);
    s->pre_loop = xcalloc(nb, sizeof *s->pre_loop);
    s->hoist = NULL;
    if (!nm)
        return;
    /* headers, in layout order */
    uint32_t *headers = xmalloc(nb * sizeof *headers), nh = 0;
    uint8_t *is_header = xcalloc(nb, 1), *has_call = xcalloc(nb, 1);
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        if (!ir_dom_is_reachable(dom, b))
            continue;
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i))
            if (is_callish(ir_inst_op(f, i)))
                has_call[b.id] = 1;
        const IrBlockList *sl = &cfg->succs[b.id];
        for (uint32_t k = 0; k < sl->n; k++) {
            IrBlock h = ir_block(sl->ids[k]);
            if (ir_dom_dominates(dom, h, b) && !is_header[h.id]) {
                is_header[h.id] = 1;
                headers[nh++] = h.id;
            }
        }
    }
    if (!nh || (uint64_t)nh * nb > (1u << 24)) { /* nothing to do, or too big to bother */
        free(headers);
        free(is_header);
        free(has_call);
        return;
    }
    uint8_t *body = xcalloc((size_t)nh * nb, 1);
    uint32_t *stack = xmalloc(nb * sizeof *stack), *size = xcalloc(nh, sizeof *size);
    uint8_t *call_free = xmalloc(nh);
    for (uint32_t l = 0; l < nh; l++) {
        uint8_t *bd = body + (size_t)l * nb;
        uint32_t h = headers[l];
        const IrBlockList *pl = &cfg->preds[h];
        for (uint32_t k = 0; k < pl->n; k++)
            if (ir_dom_dominates(dom, ir_block(h), ir_block(pl->ids[k])))
                loop_body(cfg, h, pl->ids[k], bd, stack);
        call_free[l] = 1;
        for (uint32_t b = 1; b < nb; b++)
            if (bd[b]) {
                size[l]++;
                if (has_call[b])
                    call_free[l] = 0;
            }
    }
    /* outermost call-free loops first: a loop contains its inner loops, so
     * it is larger */
    uint32_t *order = xmalloc(nh * sizeof *order);
    for (uint32_t l = 0; l < nh; l++)
        order[l] = l;
    for (uint32_t a = 1; a < nh; a++) /* insertion sort by size, descending */
        for (uint32_t b = a; b > 0 && size[order[b - 1]] < size[order[b]]; b--) {
            uint32_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    s->hoist = xmalloc((size_t)nh * 2 * nm * sizeof *s->hoist);
    for (size_t k = 0; k < (size_t)nh * 2 * nm; k++)
        s->hoist[k] = CG_NO_REG;
    for (uint32_t o = 0; o < nh; o++) {
        uint32_t l = order[o], h = headers[l];
        uint8_t *bd = body + (size_t)l * nb;
        if (!call_free[l])
            continue;
        bool free_ = true;
        for (uint32_t b = 1; b < nb && free_; b++)
            if (bd[b] && (s->loop_owner[b] || s->pre_loop[b]))
                free_ = false;
        if (!free_)
            continue;
        /* the preheader: the header's only predecessor outside the loop */
        uint32_t pre = 0, npre = 0;
        const IrBlockList *pl = &cfg->preds[h];
        for (uint32_t k = 0; k < pl->n; k++)
            if (!bd[pl->ids[k]] && ir_dom_is_reachable(dom, ir_block(pl->ids[k]))) {
                pre = pl->ids[k];
                npre++;
            }
        if (npre != 1 || s->loop_owner[pre] || s->pre_loop[pre])
            continue;
        /* what the loop uses */
        bool used = false;
        for (uint32_t b = 1; b < nb; b++) {
            if (!bd[b])
                continue;
            for (IrInst i = ir_block_first_inst(f, ir_block(b)); i.id; i = ir_inst_next(f, i)) {
                IrOpcode op = ir_inst_op(f, i);
                uint8_t fmt = ir_op(op)->format;
                bool access = fmt == IR_FMT_LOAD || fmt == IR_FMT_STORE;
                if (!access && op != IR_OP_MEMORY_SIZE)
                    continue;
                uint32_t m = ir_inst_entity(f, i, 0);
                if (m >= nm)
                    continue;
                const CgMemoryInfo *mm = &s->mi->memories[m];
                uint32_t *slot = &s->hoist[2 * ((size_t)l * nm + m)];
                if (access && slot[0] == CG_NO_REG)
                    slot[0] = mach_new_vreg(s->mf, CG_CLASS_INT);
                bool len = op == IR_OP_MEMORY_SIZE ||
                           (ir_inst_code(f, i) != IR_TRAP_NONE && (mm->strategy == CG_BOUNDS_EXPLICIT || mm->is64));
                if (len && slot[1] == CG_NO_REG)
                    slot[1] = mach_new_vreg(s->mf, CG_CLASS_INT);
                used = true;
            }
        }
        if (!used)
            continue;
        for (uint32_t b = 1; b < nb; b++)
            if (bd[b])
                s->loop_owner[b] = l + 1;
        s->pre_loop[pre] = l + 1;
    }
    free(order);
    free(body);
    free(stack);
    free(size);
    free(call_free);
    free(headers);
    free(is_header);
    free(has_call);
}

/* At the start of the backward walk of block b: a preheader defines the
 * hoisted vregs in its last segment (flush_mem loads them); a loop block
 * uses them without loading. */
static void seed_block(Isel *s, IrBlock b)
{
    uint32_t nm = s->mi->nmemories;
    for (uint32_t k = 0; k < 2 * nm; k++)
        s->seeded[k] = CG_NO_REG;
    uint32_t l = s->pre_loop[b.id] ? s->pre_loop[b.id] : s->loop_owner[b.id];
    if (!l)
        return;
    for (uint32_t m = 0; m < nm; m++) {
        const uint32_t *slot = &s->hoist[2 * ((size_t)(l - 1) * nm + m)];
        if (slot[0] != CG_NO_REG)
            s->mem_base[m] = slot[0];
        if (slot[1] != CG_NO_REG)
            s->mem_len[m] = slot[1];
        if (!s->pre_loop[b.id]) {
            s->seeded[2 * m] = slot[0];
            s->seeded[2 * m + 1] = slot[1];
        }
    }
}

/* ---- the walk ------------------------------------------------------------------ */

/* Edge blocks are created (and their code placed) after all IR blocks. Move
 * those of backward edges (loop back edges) right behind the block that
 * branches from it, so that the allocator sees the back edge next to the
 * loop rather than at the end of the function (where its registers are
 * unrelated to the loop's and every live value would be moved twice on
 * each iteration). Forward edge blocks stay at the end, off the
 * fall-through path. Renumbers blocks and successors. */
static void layout_edge_blocks(Isel *s)
{
    MachFunc *mf = s->mf;
    uint32_t n = mf->nblocks;
    if (!s->nedges)
        return;
    uint32_t *order = xmalloc(n * sizeof *order), *newidx = xmalloc(n * sizeof *newidx), no = 0;
    uint8_t *is_edge = xcalloc(n, 1);
    uint32_t *first_edge = xmalloc(n * sizeof *first_edge), *next_edge = xmalloc(s->nedges * sizeof *next_edge);
    for (uint32_t b = 0; b < n; b++)
        first_edge[b] = UINT32_MAX;
    for (uint32_t e = s->nedges; e-- > 0;) { /* lists in creation order */
        if (s->edges[e].target > s->edges[e].from)
            continue; /* forward edges stay at the end (off the fall-through path) */
        is_edge[s->edges[e].mb] = 1;
        next_edge[e] = first_edge[s->edges[e].from];
        first_edge[s->edges[e].from] = e;
    }
    for (uint32_t b = 0; b < n; b++) {
        if (is_edge[b])
            continue;
        order[no++] = b;
        for (uint32_t e = first_edge[b]; e != UINT32_MAX; e = next_edge[e])
            order[no++] = s->edges[e].mb;
    }
    for (uint32_t k = 0; k < no; k++)
        newidx[order[k]] = k;
    MachBlock *blocks = xmalloc((size_t)mf->cap_blocks * sizeof *blocks);
    MachInst *insts = xmalloc(((size_t)mf->ninsts + 1) * sizeof *insts);
    uint32_t ni = 0;
    for (uint32_t k = 0; k < no; k++) {
        MachBlock blk = mf->blocks[order[k]];
        memcpy(insts + ni, mf->insts + blk.first, (size_t)blk.n * sizeof *insts);
        blk.first = ni;
        ni += blk.n;
        for (uint32_t j = 0; j < blk.nsuccs; j++)
            blk.succs[j].block = newidx[blk.succs[j].block];
        blocks[k] = blk;
    }
    free(mf->blocks);
    free(mf->insts);
    mf->blocks = blocks;
    mf->insts = insts;
    mf->cap_insts = mf->ninsts + 1;
    free(order);
    free(newidx);
    free(is_edge);
    free(first_edge);
    free(next_edge);
}

static void finish_block(Isel *s, uint32_t mb)
{
    MachFunc *mf = s->mf;
    mf->blocks[mb].first = mf->ninsts;
    for (uint32_t c = s->nchunks; c-- > 0;) {
        uint32_t end = c + 1 < s->nchunks ? s->chunk_at[c + 1] : s->nrev;
        for (uint32_t k = s->chunk_at[c]; k < end; k++)
            *mach_push(mf) = s->rev[k];
    }
    mf->blocks[mb].n = mf->ninsts - mf->blocks[mb].first;
    s->nrev = s->nchunks = 0;
}

bool x64_select(IrFunc *f, const CgModuleInfo *mi, const CgSymbols *syms, int opt_level, MachFunc *mf,
                X64FuncInfo *fi, WasmcError *err)
{
    if (!isel_simd_check(f, err))
        return false;
    Isel s = { .f = f, .mi = mi, .syms = syms, .opt_level = opt_level, .mf = mf, .fi = fi, .err = err,
               .cond_trap_aux = -1 };
    IrCfg *cfg = ir_compute_cfg(f);
    IrDomTree *dom = ir_compute_domtree(f, cfg);
    s.uses = ir_compute_use_counts(f);
    s.vreg_of = xmalloc(f->nvalues * sizeof *s.vreg_of);
    for (uint32_t v = 0; v < f->nvalues; v++)
        s.vreg_of[v] = CG_NO_REG;
    s.consumed = xcalloc(f->ninsts + 1, 1);
    s.mblock_of = xcalloc(f->nblocks + 1, sizeof *s.mblock_of);
    s.nin_edges = xcalloc(f->nblocks + 1, sizeof *s.nin_edges);
    s.mem_base = xmalloc((mi->nmemories + 1) * sizeof *s.mem_base);
    s.mem_len = xmalloc((mi->nmemories + 1) * sizeof *s.mem_len);
    s.seeded = xmalloc((2 * mi->nmemories + 1) * sizeof *s.seeded);
    for (uint32_t m = 0; m < mi->nmemories; m++)
        s.mem_base[m] = s.mem_len[m] = s.seeded[2 * m] = s.seeded[2 * m + 1] = CG_NO_REG;
    s.vmctx = mach_new_vreg(mf, CG_CLASS_INT);
    mf->prestored_vreg = s.vmctx;
    mf->prestored_slot = 0;
    s.results_ptr = f->sig.nresults >= 2 ? mach_new_vreg(mf, CG_CLASS_INT) : CG_NO_REG;
    bool hoist = s.opt_level >= 1;
    if (hoist)
        plan_hoisting(&s, cfg, dom);
    else
        s.loop_owner = s.pre_loop = NULL, s.hoist = NULL;

    /* MachBlocks for reachable IR blocks, in layout order; parameters. */
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        if (!ir_dom_is_reachable(dom, b))
            continue;
        s.mblock_of[b.id] = mach_new_block(mf);
        if (b.id != ir_func_entry(f).id)
            for (uint32_t k = 0; k < ir_block_num_params(f, b); k++)
                mach_block_add_param(mf, s.mblock_of[b.id], isel_def(&s, ir_block_param(f, b, k)));
        IrInst t = ir_block_last_inst(f, b);
        for (uint32_t k = 0; t.id && k < ir_inst_num_dests(f, t); k++)
            s.nin_edges[ir_inst_dest(f, t, k).id]++;
    }
    for (IrBlock b = ir_func_entry(f); b.id && !s.failed; b = ir_block_next(f, b)) {
        if (!ir_dom_is_reachable(dom, b))
            continue;
        s.cur_block = b;
        if (hoist)
            seed_block(&s, b);
        for (IrInst i = ir_block_last_inst(f, b); i.id && !s.failed; i = ir_inst_prev(f, i)) {
            if (s.consumed[i.id])
                continue;
            IrOpcode op = ir_inst_op(f, i);
            /* Dead pure values need no code. */
            if (ir_op_has(op, IR_F_PURE) && ir_inst_num_results(f, i) == 1 && !s.uses[ir_inst_result(f, i, 0).id])
                continue;
            if (is_callish(op))
                flush_mem(&s);
            s.cur_inst = i;
            lower_inst(&s, i);
            s.cur_inst = IR_NO_INST;
            commit_chunk(&s);
        }
        flush_mem(&s);
        if (b.id == ir_func_entry(f).id) {
            lower_entry(&s);
            commit_chunk(&s);
        }
        finish_block(&s, s.mblock_of[b.id]);
    }
    for (uint32_t e = 0; e < s.nedges && !s.failed; e++) {
        struct EdgeBlock *eb = &s.edges[e];
        MachInst *mi = isel_mk(&s, XP_JMP);
        mi->flags = CG_MI_TERM;
        commit_chunk(&s);
        finish_block(&s, eb->mb);
        mach_block_add_succ(mf, eb->mb, eb->target, eb->args, eb->nargs);
    }
    if (!s.failed)
        layout_edge_blocks(&s);
    for (uint32_t e = 0; e < s.nedges; e++)
        free(s.edges[e].args);
    free(s.edges);
    free(s.vreg_of);
    free(s.consumed);
    free(s.mblock_of);
    free(s.nin_edges);
    free(s.mem_base);
    free(s.mem_len);
    free(s.seeded);
    free(s.loop_owner);
    free(s.pre_loop);
    free(s.hoist);
    free(s.chunk);
    free(s.rev);
    free(s.chunk_at);
    (void)cfg;
    return !s.failed;
}
