/* Numeric instructions: constants, integer and float arithmetic,
 * comparisons, conversions, reinterpretations, sign extension and wide
 * arithmetic. Trapping semantics live in the IR opcodes themselves: sdiv,
 * udiv, srem, urem trap int_divz on a zero divisor, sdiv traps int_ovf on
 * MIN / -1 (srem yields 0 there), fcvt_to_sint/uint trap bad_toint on NaN
 * and int_ovf out of range; the _sat forms saturate (ops.def). */
#include "translate_internal.h"

#define I32 IR_TYPE_I32
#define I64 IR_TYPE_I64
#define F32 IR_TYPE_F32
#define F64 IR_TYPE_F64

static void unary(Translator *t, IrOpcode op, IrType ty)
{
    IrValue x = tr_pop(t);
    tr_push(t, ir_ins_unary(&t->b, op, ty, x));
}

static void binary(Translator *t, IrOpcode op, IrType ty)
{
    IrValue y = tr_pop(t), x = tr_pop(t);
    tr_push(t, ir_ins_binary(&t->b, op, ty, x, y));
}

static void icmp(Translator *t, IrIntCC cc)
{
    IrValue y = tr_pop(t), x = tr_pop(t);
    tr_push(t, ir_ins_icmp(&t->b, cc, x, y));
}

static void fcmp(Translator *t, IrFloatCC cc)
{
    IrValue y = tr_pop(t), x = tr_pop(t);
    tr_push(t, ir_ins_fcmp(&t->b, cc, x, y));
}

static void eqz(Translator *t, IrType ty)
{
    IrValue x = tr_pop(t);
    IrValue zero = ir_ins_iconst(&t->b, ty, 0);
    tr_push(t, ir_ins_icmp(&t->b, IR_ICC_EQ, x, zero));
}

/* i64.add128 / i64.sub128: (lo1 hi1 lo2 hi2) -> (lo hi) with the carry or
 * borrow of the low halves propagated into the high halves. */
static void wide_addsub(Translator *t, bool sub)
{
    IrBuilder *b = &t->b;
    IrValue hi2 = tr_pop(t), lo2 = tr_pop(t), hi1 = tr_pop(t), lo1 = tr_pop(t);
    IrValue lo = ir_ins_binary(b, sub ? IR_OP_ISUB : IR_OP_IADD, I64, lo1, lo2);
    /* carry: lo < lo1 after an add; borrow: lo1 < lo2 before a sub */
    IrValue c = sub ? ir_ins_icmp(b, IR_ICC_ULT, lo1, lo2) : ir_ins_icmp(b, IR_ICC_ULT, lo, lo1);
    IrValue c64 = ir_ins_unary(b, IR_OP_UEXTEND, I64, c);
    IrValue hi = ir_ins_binary(b, sub ? IR_OP_ISUB : IR_OP_IADD, I64, hi1, hi2);
    hi = ir_ins_binary(b, sub ? IR_OP_ISUB : IR_OP_IADD, I64, hi, c64);
    tr_push(t, lo);
    tr_push(t, hi);
}

/* i64.mul_wide_u / _s: the full 128-bit product from 32-bit halves
 * (schoolbook), then the signed correction hi -= (x<0 ? y : 0) + (y<0 ? x : 0). */
static void wide_mul(Translator *t, bool is_signed)
{
    IrBuilder *b = &t->b;
    IrValue y = tr_pop(t), x = tr_pop(t);
    IrValue mask = ir_ins_iconst(b, I64, 0xffffffffu), k32 = ir_ins_iconst(b, I64, 32);
    IrValue x0 = ir_ins_binary(b, IR_OP_BAND, I64, x, mask), x1 = ir_ins_binary(b, IR_OP_USHR, I64, x, k32);
    IrValue y0 = ir_ins_binary(b, IR_OP_BAND, I64, y, mask), y1 = ir_ins_binary(b, IR_OP_USHR, I64, y, k32);
    IrValue p00 = ir_ins_binary(b, IR_OP_IMUL, I64, x0, y0);
    IrValue p01 = ir_ins_binary(b, IR_OP_IMUL, I64, x0, y1);
    IrValue p10 = ir_ins_binary(b, IR_OP_IMUL, I64, x1, y0);
    IrValue p11 = ir_ins_binary(b, IR_OP_IMUL, I64, x1, y1);
    /* mid = (p00 >> 32) + (p01 & mask) + (p10 & mask) fits in 34 bits */
    IrValue mid = ir_ins_binary(b, IR_OP_USHR, I64, p00, k32);
    mid = ir_ins_binary(b, IR_OP_IADD, I64, mid, ir_ins_binary(b, IR_OP_BAND, I64, p01, mask));
    mid = ir_ins_binary(b, IR_OP_IADD, I64, mid, ir_ins_binary(b, IR_OP_BAND, I64, p10, mask));
    IrValue lo = ir_ins_binary(b, IR_OP_BOR, I64, ir_ins_binary(b, IR_OP_BAND, I64, p00, mask),
                               ir_ins_binary(b, IR_OP_ISHL, I64, mid, k32));
    IrValue hi = ir_ins_binary(b, IR_OP_IADD, I64, p11, ir_ins_binary(b, IR_OP_USHR, I64, p01, k32));
    hi = ir_ins_binary(b, IR_OP_IADD, I64, hi, ir_ins_binary(b, IR_OP_USHR, I64, p10, k32));
    hi = ir_ins_binary(b, IR_OP_IADD, I64, hi, ir_ins_binary(b, IR_OP_USHR, I64, mid, k32));
    if (is_signed) {
        IrValue k63 = ir_ins_iconst(b, I64, 63);
        IrValue sx = ir_ins_binary(b, IR_OP_SSHR, I64, x, k63); /* all ones if x < 0 */
        IrValue sy = ir_ins_binary(b, IR_OP_SSHR, I64, y, k63);
        hi = ir_ins_binary(b, IR_OP_ISUB, I64, hi, ir_ins_binary(b, IR_OP_BAND, I64, sx, y));
        hi = ir_ins_binary(b, IR_OP_ISUB, I64, hi, ir_ins_binary(b, IR_OP_BAND, I64, sy, x));
    }
    tr_push(t, lo);
    tr_push(t, hi);
}

bool tr_numeric(Translator *t, const WasmInstr *in, bool *handled)
{
    *handled = true;
    switch (in->op) {
    case WASM_OP_I32_CONST: tr_push(t, ir_ins_iconst(&t->b, I32, (uint32_t)in->u.i32)); break;
    case WASM_OP_I64_CONST: tr_push(t, ir_ins_iconst(&t->b, I64, (uint64_t)in->u.i64)); break;
    case WASM_OP_F32_CONST: tr_push(t, ir_ins_f32const(&t->b, in->u.f32)); break;
    case WASM_OP_F64_CONST: tr_push(t, ir_ins_f64const(&t->b, in->u.f64)); break;

#define INT_OPS(W, T)                                                             \
    case WASM_OP_##W##_EQZ: eqz(t, T); break;                                     \
    case WASM_OP_##W##_EQ: icmp(t, IR_ICC_EQ); break;                             \
    case WASM_OP_##W##_NE: icmp(t, IR_ICC_NE); break;                             \
    case WASM_OP_##W##_LT_S: icmp(t, IR_ICC_SLT); break;                          \
    case WASM_OP_##W##_LT_U: icmp(t, IR_ICC_ULT); break;                          \
    case WASM_OP_##W##_GT_S: icmp(t, IR_ICC_SGT); break;                          \
    case WASM_OP_##W##_GT_U: icmp(t, IR_ICC_UGT); break;                          \
    case WASM_OP_##W##_LE_S: icmp(t, IR_ICC_SLE); break;                          \
    case WASM_OP_##W##_LE_U: icmp(t, IR_ICC_ULE); break;                          \
    case WASM_OP_##W##_GE_S: icmp(t, IR_ICC_SGE); break;                          \
    case WASM_OP_##W##_GE_U: icmp(t, IR_ICC_UGE); break;                          \
    case WASM_OP_##W##_CLZ: unary(t, IR_OP_CLZ, T); break;                        \
    case WASM_OP_##W##_CTZ: unary(t, IR_OP_CTZ, T); break;                        \
    case WASM_OP_##W##_POPCNT: unary(t, IR_OP_POPCNT, T); break;                  \
    case WASM_OP_##W##_ADD: binary(t, IR_OP_IADD, T); break;                      \
    case WASM_OP_##W##_SUB: binary(t, IR_OP_ISUB, T); break;                      \
    case WASM_OP_##W##_MUL: binary(t, IR_OP_IMUL, T); break;                      \
    case WASM_OP_##W##_DIV_S: binary(t, IR_OP_SDIV, T); break;                    \
    case WASM_OP_##W##_DIV_U: binary(t, IR_OP_UDIV, T); break;                    \
    case WASM_OP_##W##_REM_S: binary(t, IR_OP_SREM, T); break;                    \
    case WASM_OP_##W##_REM_U: binary(t, IR_OP_UREM, T); break;                    \
    case WASM_OP_##W##_AND: binary(t, IR_OP_BAND, T); break;                      \
    case WASM_OP_##W##_OR: binary(t, IR_OP_BOR, T); break;                        \
    case WASM_OP_##W##_XOR: binary(t, IR_OP_BXOR, T); break;                      \
    case WASM_OP_##W##_SHL: binary(t, IR_OP_ISHL, T); break;                      \
    case WASM_OP_##W##_SHR_S: binary(t, IR_OP_SSHR, T); break;                    \
    case WASM_OP_##W##_SHR_U: binary(t, IR_OP_USHR, T); break;                    \
    case WASM_OP_##W##_ROTL: binary(t, IR_OP_ROTL, T); break;                     \
    case WASM_OP_##W##_ROTR: binary(t, IR_OP_ROTR, T); break;                     \
    case WASM_OP_##W##_EXTEND8_S: unary(t, IR_OP_SEXTEND8, T); break;             \
    case WASM_OP_##W##_EXTEND16_S: unary(t, IR_OP_SEXTEND16, T); break;           \
    case WASM_OP_##W##_TRUNC_F32_S: unary(t, IR_OP_FCVT_TO_SINT, T); break;       \
    case WASM_OP_##W##_TRUNC_F32_U: unary(t, IR_OP_FCVT_TO_UINT, T); break;       \
    case WASM_OP_##W##_TRUNC_F64_S: unary(t, IR_OP_FCVT_TO_SINT, T); break;       \
    case WASM_OP_##W##_TRUNC_F64_U: unary(t, IR_OP_FCVT_TO_UINT, T); break;       \
    case WASM_OP_##W##_TRUNC_SAT_F32_S: unary(t, IR_OP_FCVT_TO_SINT_SAT, T); break; \
    case WASM_OP_##W##_TRUNC_SAT_F32_U: unary(t, IR_OP_FCVT_TO_UINT_SAT, T); break; \
    case WASM_OP_##W##_TRUNC_SAT_F64_S: unary(t, IR_OP_FCVT_TO_SINT_SAT, T); break; \
    case WASM_OP_##W##_TRUNC_SAT_F64_U: unary(t, IR_OP_FCVT_TO_UINT_SAT, T); break;
        INT_OPS(I32, I32)
        INT_OPS(I64, I64)
#undef INT_OPS
    case WASM_OP_I64_EXTEND32_S: unary(t, IR_OP_SEXTEND32, I64); break;
    case WASM_OP_I32_WRAP_I64: unary(t, IR_OP_IREDUCE, I32); break;
    case WASM_OP_I64_EXTEND_I32_S: unary(t, IR_OP_SEXTEND, I64); break;
    case WASM_OP_I64_EXTEND_I32_U: unary(t, IR_OP_UEXTEND, I64); break;

#define FLOAT_OPS(W, T)                                                           \
    case WASM_OP_##W##_EQ: fcmp(t, IR_FCC_EQ); break;                             \
    case WASM_OP_##W##_NE: fcmp(t, IR_FCC_NE); break;                             \
    case WASM_OP_##W##_LT: fcmp(t, IR_FCC_LT); break;                             \
    case WASM_OP_##W##_GT: fcmp(t, IR_FCC_GT); break;                             \
    case WASM_OP_##W##_LE: fcmp(t, IR_FCC_LE); break;                             \
    case WASM_OP_##W##_GE: fcmp(t, IR_FCC_GE); break;                             \
    case WASM_OP_##W##_ABS: unary(t, IR_OP_FABS, T); break;                       \
    case WASM_OP_##W##_NEG: unary(t, IR_OP_FNEG, T); break;                       \
    case WASM_OP_##W##_CEIL: unary(t, IR_OP_CEIL, T); break;                      \
    case WASM_OP_##W##_FLOOR: unary(t, IR_OP_FLOOR, T); break;                    \
    case WASM_OP_##W##_TRUNC: unary(t, IR_OP_TRUNC, T); break;                    \
    case WASM_OP_##W##_NEAREST: unary(t, IR_OP_NEAREST, T); break;                \
    case WASM_OP_##W##_SQRT: unary(t, IR_OP_SQRT, T); break;                      \
    case WASM_OP_##W##_ADD: binary(t, IR_OP_FADD, T); break;                      \
    case WASM_OP_##W##_SUB: binary(t, IR_OP_FSUB, T); break;                      \
    case WASM_OP_##W##_MUL: binary(t, IR_OP_FMUL, T); break;                      \
    case WASM_OP_##W##_DIV: binary(t, IR_OP_FDIV, T); break;                      \
    case WASM_OP_##W##_MIN: binary(t, IR_OP_FMIN, T); break;                      \
    case WASM_OP_##W##_MAX: binary(t, IR_OP_FMAX, T); break;                      \
    case WASM_OP_##W##_COPYSIGN: binary(t, IR_OP_FCOPYSIGN, T); break;            \
    case WASM_OP_##W##_CONVERT_I32_S: unary(t, IR_OP_FCVT_FROM_SINT, T); break;   \
    case WASM_OP_##W##_CONVERT_I32_U: unary(t, IR_OP_FCVT_FROM_UINT, T); break;   \
    case WASM_OP_##W##_CONVERT_I64_S: unary(t, IR_OP_FCVT_FROM_SINT, T); break;   \
    case WASM_OP_##W##_CONVERT_I64_U: unary(t, IR_OP_FCVT_FROM_UINT, T); break;
        FLOAT_OPS(F32, F32)
        FLOAT_OPS(F64, F64)
#undef FLOAT_OPS
    case WASM_OP_F32_DEMOTE_F64: unary(t, IR_OP_FDEMOTE, F32); break;
    case WASM_OP_F64_PROMOTE_F32: unary(t, IR_OP_FPROMOTE, F64); break;
    case WASM_OP_I32_REINTERPRET_F32: unary(t, IR_OP_BITCAST, I32); break;
    case WASM_OP_I64_REINTERPRET_F64: unary(t, IR_OP_BITCAST, I64); break;
    case WASM_OP_F32_REINTERPRET_I32: unary(t, IR_OP_BITCAST, F32); break;
    case WASM_OP_F64_REINTERPRET_I64: unary(t, IR_OP_BITCAST, F64); break;

    case WASM_OP_I64_ADD128: wide_addsub(t, false); break;
    case WASM_OP_I64_SUB128: wide_addsub(t, true); break;
    case WASM_OP_I64_MUL_WIDE_S: wide_mul(t, true); break;
    case WASM_OP_I64_MUL_WIDE_U: wide_mul(t, false); break;
    default: *handled = false; break;
    }
    return true;
}
