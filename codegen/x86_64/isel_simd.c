/* v128 (SIMD) in the x86-64 instruction selector.
 *
 * Baseline: SSE4.1 (pshufb, pinsr/pextr, pmovsx/zx, blendv, ptest,
 * roundps, pmulld ...); no AVX is used, so no runtime CPU check is needed
 * beyond the SSE4.1 the runtime requires.
 *
 * A v128 value lives in an XMM register (the float class). Lowered so far:
 * vconst, load.v128/store.v128 (isel_ops.c), and the lane operations of
 * simd_ops[] below, each one SSE instruction (or a short fixed sequence)
 * with exactly wasm's semantics. Everything else touching v128 -- v128
 * parameters, results, calls, select, globals, other lane ops -- and every
 * function translated from a SIMD instruction (IrFunc.simd_srcloc, kept
 * even when opt deleted it) while wasm-level SIMD is off, is refused up
 * front with "SIMD is not supported by the code generator yet (<op>)" at
 * the operation's offset, so drivers count it as unsupported rather than
 * miscompiled. Spill slots are 8 bytes, so a function whose v128 values
 * would need a spill slot is refused after register allocation
 * (x64_simd_spill_check). */
#include "isel.h"

#include <stdio.h>
#include <string.h>

typedef enum SimdForm {
    SF_BIN,      /* d = op tied(a), b */
    SF_BIN_SWAP, /* d = op tied(b), a (andnot: pandn computes ~d & s) */
    SF_UN,       /* d = op a */
    SF_CMP,      /* d = cmpps/pd tied(a), b, imm */
    SF_CMP_SWAP, /* d = cmpps/pd tied(b), a, imm (gt, ge) */
    SF_SPLAT,    /* from a GPR or an XMM scalar */
    SF_SHIFT,    /* d = op tied(a), xmm(count & imm): the count modulo the lane width */
} SimdForm;

typedef struct SimdOp {
    uint8_t vop;  /* IrVecOp */
    uint8_t form; /* SimdForm */
    uint16_t x64; /* X64Op */
    uint8_t imm;
} SimdOp;

/* SSE4.1 at most (pcmpgtq, SSE4.2, is not used). */
static const SimdOp simd_ops[] = {
#define B(v, o) { IR_VOP_##v, SF_BIN, X64_##o, 0 },
#define U(v, o) { IR_VOP_##v, SF_UN, X64_##o, 0 },
    B(V128_AND, PAND) B(V128_OR, POR) B(V128_XOR, PXOR)
    { IR_VOP_V128_ANDNOT, SF_BIN_SWAP, X64_PANDN, 0 },
    B(I8X16_ADD, PADDB) B(I8X16_SUB, PSUBB) B(I8X16_ADD_SAT_S, PADDSB) B(I8X16_ADD_SAT_U, PADDUSB)
    B(I8X16_SUB_SAT_S, PSUBSB) B(I8X16_SUB_SAT_U, PSUBUSB) B(I8X16_MIN_S, PMINSB) B(I8X16_MIN_U, PMINUB)
    B(I8X16_MAX_S, PMAXSB) B(I8X16_MAX_U, PMAXUB) B(I8X16_AVGR_U, PAVGB) B(I8X16_EQ, PCMPEQB)
    B(I8X16_GT_S, PCMPGTB) B(I8X16_NARROW_I16X8_S, PACKSSWB) B(I8X16_NARROW_I16X8_U, PACKUSWB)
    B(I16X8_ADD, PADDW) B(I16X8_SUB, PSUBW) B(I16X8_MUL, PMULLW) B(I16X8_ADD_SAT_S, PADDSW)
    B(I16X8_ADD_SAT_U, PADDUSW) B(I16X8_SUB_SAT_S, PSUBSW) B(I16X8_SUB_SAT_U, PSUBUSW) B(I16X8_MIN_S, PMINSW)
    B(I16X8_MIN_U, PMINUW) B(I16X8_MAX_S, PMAXSW) B(I16X8_MAX_U, PMAXUW) B(I16X8_AVGR_U, PAVGW)
    B(I16X8_EQ, PCMPEQW) B(I16X8_GT_S, PCMPGTW) B(I16X8_NARROW_I32X4_S, PACKSSDW) B(I16X8_NARROW_I32X4_U, PACKUSDW)
    B(I32X4_ADD, PADDD) B(I32X4_SUB, PSUBD) B(I32X4_MUL, PMULLD) B(I32X4_MIN_S, PMINSD) B(I32X4_MIN_U, PMINUD)
    B(I32X4_MAX_S, PMAXSD) B(I32X4_MAX_U, PMAXUD) B(I32X4_EQ, PCMPEQD) B(I32X4_GT_S, PCMPGTD)
    B(I32X4_DOT_I16X8_S, PMADDWD)
    B(I64X2_ADD, PADDQ) B(I64X2_SUB, PSUBQ) B(I64X2_EQ, PCMPEQQ)
    B(F32X4_ADD, ADDPS) B(F32X4_SUB, SUBPS) B(F32X4_MUL, MULPS) B(F32X4_DIV, DIVPS)
    B(F64X2_ADD, ADDPD) B(F64X2_SUB, SUBPD) B(F64X2_MUL, MULPD) B(F64X2_DIV, DIVPD)
    U(F32X4_SQRT, SQRTPS) U(F64X2_SQRT, SQRTPD)
    U(I8X16_ABS, PABSB) U(I16X8_ABS, PABSW) U(I32X4_ABS, PABSD)
    U(I16X8_EXTEND_LOW_I8X16_S, PMOVSXBW) U(I16X8_EXTEND_LOW_I8X16_U, PMOVZXBW)
    U(I32X4_EXTEND_LOW_I16X8_S, PMOVSXWD) U(I32X4_EXTEND_LOW_I16X8_U, PMOVZXWD)
    U(I64X2_EXTEND_LOW_I32X4_S, PMOVSXDQ) U(I64X2_EXTEND_LOW_I32X4_U, PMOVZXDQ)
    U(F32X4_CONVERT_I32X4_S, CVTDQ2PS) U(F64X2_CONVERT_LOW_I32X4_S, CVTDQ2PD)
    U(F32X4_DEMOTE_F64X2_ZERO, CVTPD2PS) U(F64X2_PROMOTE_LOW_F32X4, CVTPS2PD)
    /* cmpps predicates: 0 eq, 1 lt, 2 le, 4 neq (true on NaN, as wasm's ne) */
    { IR_VOP_F32X4_EQ, SF_CMP, X64_CMPPS, 0 }, { IR_VOP_F32X4_NE, SF_CMP, X64_CMPPS, 4 },
    { IR_VOP_F32X4_LT, SF_CMP, X64_CMPPS, 1 }, { IR_VOP_F32X4_LE, SF_CMP, X64_CMPPS, 2 },
    { IR_VOP_F32X4_GT, SF_CMP_SWAP, X64_CMPPS, 1 }, { IR_VOP_F32X4_GE, SF_CMP_SWAP, X64_CMPPS, 2 },
    { IR_VOP_F64X2_EQ, SF_CMP, X64_CMPPD, 0 }, { IR_VOP_F64X2_NE, SF_CMP, X64_CMPPD, 4 },
    { IR_VOP_F64X2_LT, SF_CMP, X64_CMPPD, 1 }, { IR_VOP_F64X2_LE, SF_CMP, X64_CMPPD, 2 },
    { IR_VOP_F64X2_GT, SF_CMP_SWAP, X64_CMPPD, 1 }, { IR_VOP_F64X2_GE, SF_CMP_SWAP, X64_CMPPD, 2 },
    { IR_VOP_I16X8_SHL, SF_SHIFT, X64_PSLLW, 15 }, { IR_VOP_I16X8_SHR_U, SF_SHIFT, X64_PSRLW, 15 },
    { IR_VOP_I16X8_SHR_S, SF_SHIFT, X64_PSRAW, 15 }, { IR_VOP_I32X4_SHL, SF_SHIFT, X64_PSLLD, 31 },
    { IR_VOP_I32X4_SHR_U, SF_SHIFT, X64_PSRLD, 31 }, { IR_VOP_I32X4_SHR_S, SF_SHIFT, X64_PSRAD, 31 },
    { IR_VOP_I64X2_SHL, SF_SHIFT, X64_PSLLQ, 63 }, { IR_VOP_I64X2_SHR_U, SF_SHIFT, X64_PSRLQ, 63 },
    { IR_VOP_I8X16_SPLAT, SF_SPLAT, 0, 0 }, { IR_VOP_I16X8_SPLAT, SF_SPLAT, 0, 0 },
    { IR_VOP_I32X4_SPLAT, SF_SPLAT, 0, 0 }, { IR_VOP_I64X2_SPLAT, SF_SPLAT, 0, 0 },
    { IR_VOP_F32X4_SPLAT, SF_SPLAT, 0, 0 }, { IR_VOP_F64X2_SPLAT, SF_SPLAT, 0, 0 },
#undef B
#undef U
};

static const SimdOp *find_op(IrVecOp v)
{
    for (size_t k = 0; k < sizeof simd_ops / sizeof *simd_ops; k++)
        if (simd_ops[k].vop == v)
            return &simd_ops[k];
    return NULL;
}

/* Can isel lower instruction i (which touches v128)? */
static bool simd_lowerable(const IrFunc *f, IrInst i)
{
    IrOpcode op = ir_inst_op(f, i);
    switch (op) {
    case IR_OP_VCONST:
        return true;
    case IR_OP_LOAD:
        return ir_inst_type(f, i) == IR_TYPE_V128;
    case IR_OP_STORE:
        return ir_value_type(f, ir_inst_arg(f, i, 1)) == IR_TYPE_V128;
    case IR_OP_VOP1: case IR_OP_VOP2: case IR_OP_VOP3:
        return find_op((IrVecOp)ir_inst_code(f, i)) != NULL;
    case IR_OP_JUMP: case IR_OP_BRIF: case IR_OP_BR_TABLE:
        return true; /* v128 block arguments: register moves (movaps) */
    default:
        return false;
    }
}

static bool func_has_v128(const IrFunc *f)
{
    for (uint32_t v = 1; v < f->nvalues; v++)
        if (f->values[v].kind != IR_VAL_NONE && f->values[v].type == IR_TYPE_V128)
            return true;
    return false;
}

bool x64_simd_spill_check(const IrFunc *f, const MachFunc *mf, uint32_t nslots, WasmcError *err)
{
    uint32_t base = mf->prestored_vreg != CG_NO_REG ? mf->prestored_slot + 1 : 0;
    if (nslots <= base || !func_has_v128(f))
        return true;
    return wasmc_fail(err, f->srcloc == IR_NO_SRCLOC ? WASMC_NO_OFFSET : f->srcloc,
                      "SIMD is not supported by the code generator yet (%s)", "v128 values under register pressure");
}

static uint32_t vreg_of_arg(Isel *s, IrInst i, uint32_t k) { return isel_reg(s, ir_inst_arg(s->f, i, k)); }

/* d = op tied(a), b [, imm] */
static void tied_bin(Isel *s, X64Op op, uint32_t d, uint32_t a, uint32_t b, int imm)
{
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t od = isel_opnd(mi, d, CG_DEF_TIED);
    isel_opnd(mi, a, CG_USE);
    uint8_t ob = isel_opnd(mi, b, CG_USE_LATE);
    *x64_tmpl(mi) = imm < 0 ? x64_inst2(op, 0, x64_r(od), x64_r(ob)) : x64_inst3(op, 0, x64_r(od), x64_r(ob), x64_i(imm));
}

/* d = op a [, imm] (writes all of d) */
static void untied(Isel *s, X64Op op, unsigned size, uint32_t d, uint32_t a, int imm)
{
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t od = isel_opnd(mi, d, CG_DEF);
    uint8_t oa = isel_opnd(mi, a, CG_USE);
    *x64_tmpl(mi) = imm < 0 ? x64_inst2(op, size, x64_r(od), x64_r(oa)) : x64_inst3(op, size, x64_r(od), x64_r(oa), x64_i(imm));
}

static void splat(Isel *s, IrVecOp v, uint32_t d, uint32_t a)
{
    uint32_t t = mach_new_vreg(s->mf, CG_CLASS_FLOAT);
    switch (v) {
    case IR_VOP_I8X16_SPLAT:
    case IR_VOP_I16X8_SPLAT: {
        uint32_t u = mach_new_vreg(s->mf, CG_CLASS_FLOAT), w = mach_new_vreg(s->mf, CG_CLASS_FLOAT);
        untied(s, X64_MOVD, 4, t, a, -1);
        if (v == IR_VOP_I8X16_SPLAT) {
            uint32_t x = mach_new_vreg(s->mf, CG_CLASS_FLOAT);
            tied_bin(s, X64_PUNPCKLBW, x, t, t, -1); /* bytes b b -> words */
            t = x;
        }
        untied(s, X64_PSHUFLW, 0, u, t, 0);   /* word 0 to words 0..3 */
        tied_bin(s, X64_PUNPCKLQDQ, w, u, u, -1);
        untied(s, X64_MOVAPS, 0, d, w, -1);
        return;
    }
    case IR_VOP_I32X4_SPLAT:
        untied(s, X64_MOVD, 4, t, a, -1);
        untied(s, X64_PSHUFD, 0, d, t, 0);
        return;
    case IR_VOP_I64X2_SPLAT:
        untied(s, X64_MOVD, 8, t, a, -1);
        untied(s, X64_PSHUFD, 0, d, t, 0x44);
        return;
    case IR_VOP_F32X4_SPLAT:
        untied(s, X64_PSHUFD, 0, d, a, 0);
        return;
    default: /* F64X2_SPLAT */
        untied(s, X64_PSHUFD, 0, d, a, 0x44);
        return;
    }
}

bool isel_simd_op(Isel *s, IrInst i, uint32_t d)
{
    IrFunc *f = s->f;
    if (ir_inst_op(f, i) == IR_OP_VCONST) {
        const uint8_t *b = ir_inst_vconst(f, i);
        uint64_t lo, hi;
        memcpy(&lo, b, 8);
        memcpy(&hi, b + 8, 8);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t od = isel_opnd(mi, d, CG_DEF);
        *x64_tmpl(mi) = x64_inst2(X64_MOVUPS, 0, x64_r(od), x64_rip_label((CgLabel){ x64_const(s->fi, lo, hi) }, 0));
        return true;
    }
    IrVecOp v = (IrVecOp)ir_inst_code(f, i);
    const SimdOp *so = find_op(v);
    if (!so)
        return isel_fail(s, "SIMD is not supported by the code generator yet (%s)", ir_vecop_name(v));
    switch ((SimdForm)so->form) {
    case SF_BIN: tied_bin(s, (X64Op)so->x64, d, vreg_of_arg(s, i, 0), vreg_of_arg(s, i, 1), -1); return true;
    case SF_BIN_SWAP: tied_bin(s, (X64Op)so->x64, d, vreg_of_arg(s, i, 1), vreg_of_arg(s, i, 0), -1); return true;
    case SF_CMP: tied_bin(s, (X64Op)so->x64, d, vreg_of_arg(s, i, 0), vreg_of_arg(s, i, 1), so->imm); return true;
    case SF_CMP_SWAP: tied_bin(s, (X64Op)so->x64, d, vreg_of_arg(s, i, 1), vreg_of_arg(s, i, 0), so->imm); return true;
    case SF_UN: untied(s, (X64Op)so->x64, 0, d, vreg_of_arg(s, i, 0), -1); return true;
    case SF_SPLAT: splat(s, v, d, vreg_of_arg(s, i, 0)); return true;
    case SF_SHIFT: {
        /* wasm takes the count modulo the lane width; psll/psrl/psra by an
         * xmm count would zero (or sign-fill) for counts >= the width. */
        uint32_t a = vreg_of_arg(s, i, 0), c = vreg_of_arg(s, i, 1);
        uint32_t m = mach_new_vreg(s->mf, CG_CLASS_INT), x = mach_new_vreg(s->mf, CG_CLASS_FLOAT);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t om = isel_opnd(mi, m, CG_DEF_TIED);
        isel_opnd(mi, c, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_AND, 4, x64_r(om), x64_i(so->imm));
        untied(s, X64_MOVD, 4, x, m, -1);
        tied_bin(s, (X64Op)so->x64, d, a, x, -1);
        return true;
    }
    }
    return false;
}

static bool touches_v128(const IrFunc *f, IrInst i)
{
    if (simd_lowerable(f, i))
        return false;
    IrOpcode op = ir_inst_op(f, i);
    if (op == IR_OP_VCONST || op == IR_OP_VOP1 || op == IR_OP_VOP2 || op == IR_OP_VOP3)
        return true;
    if (ir_inst_type(f, i) == IR_TYPE_V128)
        return true;
    uint32_t nres = ir_inst_num_results(f, i);
    for (uint32_t k = 0; k < nres; k++)
        if (ir_value_type(f, ir_inst_result(f, i, k)) == IR_TYPE_V128)
            return true;
    uint32_t na = ir_inst_num_args(f, i);
    for (uint32_t k = 0; k < na; k++)
        if (ir_value_type(f, ir_inst_arg(f, i, k)) == IR_TYPE_V128)
            return true;
    uint32_t nd = ir_inst_num_dests(f, i);
    for (uint32_t k = 0; k < nd; k++)
        for (uint32_t j = 0; j < ir_inst_dest_num_args(f, i, k); j++)
            if (ir_value_type(f, ir_inst_dest_arg(f, i, k, j)) == IR_TYPE_V128)
                return true;
    return false;
}

bool isel_simd_check(IrFunc *f, WasmcError *err)
{
    uint32_t off = f->srcloc == IR_NO_SRCLOC ? WASMC_NO_OFFSET : f->srcloc;
    if (f->simd_srcloc != IR_NO_SRCLOC)
        return wasmc_fail(err, f->simd_srcloc, "SIMD is not supported by the code generator yet (%s)", f->simd_name);
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            if (!touches_v128(f, i))
                continue;
            IrOpcode op = ir_inst_op(f, i);
            const IrFormatInfo *fi = ir_op_format(op);
            const char *name = fi->code == IR_CODE_VOP ? ir_vecop_name((IrVecOp)ir_inst_code(f, i)) : ir_op(op)->name;
            uint32_t at = f->srclocs[i.id] == IR_NO_SRCLOC ? off : f->srclocs[i.id];
            if (fi->code == IR_CODE_VOP)
                return wasmc_fail(err, at, "SIMD is not supported by the code generator yet (%s)", name);
            /* name where the v128 operand comes from, too: "return of v128 from vconst" */
            const char *from = NULL;
            for (uint32_t k = 0; !from && k < ir_inst_num_args(f, i); k++) {
                IrValue a = ir_inst_arg(f, i, k);
                if (ir_value_type(f, a) != IR_TYPE_V128 || f->values[a.id].kind != IR_VAL_RESULT)
                    continue;
                IrInst d = ir_inst(f->values[a.id].def);
                IrOpcode dop = ir_inst_op(f, d);
                from = ir_op_format(dop)->code == IR_CODE_VOP ? ir_vecop_name((IrVecOp)ir_inst_code(f, d))
                                                               : ir_op(dop)->name;
            }
            char what[96];
            snprintf(what, sizeof what, "%s of v128%s%s", name, from ? " from " : "", from ? from : "");
            return wasmc_fail(err, at, "SIMD is not supported by the code generator yet (%s)", what);
        }
    }
    for (uint32_t k = 0; k < f->sig.nparams; k++)
        if (f->sig.params[k] == IR_TYPE_V128)
            return wasmc_fail(err, off, "SIMD is not supported by the code generator yet (v128 parameters)");
    for (uint32_t k = 0; k < f->sig.nresults; k++)
        if (f->sig.results[k] == IR_TYPE_V128)
            return wasmc_fail(err, off, "SIMD is not supported by the code generator yet (v128 results)");
    return true;
}
