/* v128 (SIMD) in the x86-64 instruction selector.
 *
 * Baseline: SSE4.1 (pshufb, pinsr/pextr, pmovsx/zx, blendv, ptest,
 * roundps, pmulld ...); no AVX is used, so no runtime CPU check is needed
 * beyond the SSE4.1 the runtime requires.
 *
 * Not lowered yet: every function translated from a SIMD instruction
 * (IrFunc.simd_srcloc, kept even when opt deleted it) or touching a v128
 * value (a v128 parameter, result, operand or lane operation, e.g. inlined)
 * is refused up front with "SIMD is not supported by the code generator
 * yet (<op>)" at the operation's offset, so drivers count it as
 * unsupported rather than miscompiled. */
#include "isel.h"

static bool touches_v128(const IrFunc *f, IrInst i)
{
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
        for (uint32_t k = 0; b.id != f->first_block && k < ir_block_num_params(f, b); k++)
            if (ir_value_type(f, ir_block_param(f, b, k)) == IR_TYPE_V128)
                return wasmc_fail(err, off, "SIMD is not supported by the code generator yet (v128 block parameters)");
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            if (!touches_v128(f, i))
                continue;
            IrOpcode op = ir_inst_op(f, i);
            const IrFormatInfo *fi = ir_op_format(op);
            const char *name = fi->code == IR_CODE_VOP ? ir_vecop_name((IrVecOp)ir_inst_code(f, i)) : ir_op(op)->name;
            uint32_t at = f->srclocs[i.id] == IR_NO_SRCLOC ? off : f->srclocs[i.id];
            return wasmc_fail(err, at, "SIMD is not supported by the code generator yet (%s%s)", name,
                              fi->code == IR_CODE_VOP ? "" : " of v128");
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
