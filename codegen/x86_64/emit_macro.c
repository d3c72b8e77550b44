/* Pseudo instructions that expand to short instruction sequences with
 * internal branches: division with wasm's traps, wasm fmin/fmax, float to
 * integer conversions (trapping and saturating), u64 to float, explicit
 * bounds checks. R11 and XMM15 are free scratch registers here (the
 * allocator never hands them out). */
#include "../../runtime-stub/include/wasmc_rt.h"
#include "emit.h"

/* div/rem: explicit zero check (the IR op carries the trap), INT_MIN / -1
 * traps as overflow for sdiv and gives 0 for srem (x86 would fault on both). */
void x64_emit_div(X64Emitter *e, const MachInst *mi)
{
    X64Reg b = opreg(mi, 0);
    unsigned sz = ((const X64Inst *)(const void *)mi->tgt)->size;
    uint32_t kind = mi->aux[0];
    x64_e(e, x64_inst2(X64_TEST, sz, x64_r(b), x64_r(b)));
    x64_e_jcc(e, X64_CC_E, x64_e_trap(e, WASMC_TRAP_INT_DIV_ZERO));
    if (kind == XD_UDIV || kind == XD_UREM) {
        x64_e(e, x64_inst2(X64_XOR, 4, x64_r(X64_RDX), x64_r(X64_RDX)));
        cb_trap_here(e->cb, WASMC_TRAP_INT_DIV_ZERO);
        x64_e(e, x64_inst1(X64_DIV, sz, x64_r(b)));
        return;
    }
    CgLabel ok = x64_e_label(e), done = x64_e_label(e);
    x64_e(e, x64_inst2(X64_CMP, sz, x64_r(b), x64_i(-1)));
    x64_e_jcc(e, X64_CC_NE, ok);
    if (kind == XD_SDIV) {
        if (sz == 4) {
            x64_e(e, x64_inst2(X64_CMP, 4, x64_r(X64_RAX), x64_i(INT32_MIN)));
        } else {
            x64_e(e, x64_mov_imm(X64_R11, 8, INT64_MIN));
            x64_e(e, x64_inst2(X64_CMP, 8, x64_r(X64_RAX), x64_r(X64_R11)));
        }
        x64_e_jcc(e, X64_CC_E, x64_e_trap(e, WASMC_TRAP_INT_OVERFLOW));
    } else {
        x64_e(e, x64_inst2(X64_XOR, 4, x64_r(X64_RDX), x64_r(X64_RDX))); /* x rem -1 = 0 */
        x64_e_jmp(e, done);
    }
    x64_e_bind(e, ok);
    x64_e(e, x64_inst0(sz == 8 ? X64_CQO : X64_CDQ, 0));
    cb_trap_here(e->cb, WASMC_TRAP_INT_DIV_ZERO);
    x64_e(e, x64_inst1(X64_IDIV, sz, x64_r(b)));
    x64_e_bind(e, done);
}

/* wasm min/max: NaN if either is NaN; -0 < +0. minss alone returns the
 * second operand for NaNs and for equal operands, so:
 *   ucomis d, b; jp nan; jne plain; (equal: or/and the sign bits); ...
 *   nan: adds d, b (a quiet NaN);  plain: mins/maxs d, b */
void x64_emit_fminmax(X64Emitter *e, const MachInst *mi)
{
    X64Reg d = opreg(mi, 0), a = opreg(mi, 1), b = opreg(mi, 2);
    bool max = mi->aux[0], f64 = mi->aux[1] == 8;
    if (d != a)
        x64_e_copy(e, d, a);
    CgLabel nan = x64_e_label(e), plain = x64_e_label(e), done = x64_e_label(e);
    x64_e(e, x64_inst2(f64 ? X64_UCOMISD : X64_UCOMISS, 0, x64_r(d), x64_r(b)));
    x64_e_jcc(e, X64_CC_P, nan);
    x64_e_jcc(e, X64_CC_NE, plain);
    x64_e(e, x64_inst2(max ? X64_ANDPS : X64_ORPS, 0, x64_r(d), x64_r(b)));
    x64_e_jmp(e, done);
    x64_e_bind(e, nan);
    x64_e(e, x64_inst2(f64 ? X64_ADDSD : X64_ADDSS, 0, x64_r(d), x64_r(b)));
    x64_e_jmp(e, done);
    x64_e_bind(e, plain);
    X64Op op = max ? (f64 ? X64_MAXSD : X64_MAXSS) : (f64 ? X64_MINSD : X64_MINSS);
    x64_e(e, x64_inst2(op, 0, x64_r(d), x64_r(b)));
    x64_e_bind(e, done);
}

static X64Opnd fconst(X64Emitter *e, bool f64, double v)
{
    uint64_t bits;
    if (f64) {
        memcpy(&bits, &v, 8);
    } else {
        float x = (float)v;
        uint32_t b32;
        memcpy(&b32, &x, 4);
        bits = b32;
    }
    return x64_e_const(e, bits, 0);
}

/* a >= 2^63 (unsigned i64 range): convert a - 2^63, then set bit 63. */
static void cvt_u64_high(X64Emitter *e, X64Reg d, X64Reg a, bool f64)
{
    x64_e_copy(e, X64_XMM15, a);
    x64_e(e, x64_inst2(f64 ? X64_SUBSD : X64_SUBSS, 0, x64_r(X64_XMM15), fconst(e, f64, 9223372036854775808.0)));
    x64_e(e, x64_inst2(f64 ? X64_CVTTSD2SI : X64_CVTTSS2SI, 8, x64_r(d), x64_r(X64_XMM15)));
    x64_e(e, x64_mov_imm(X64_R11, 8, INT64_MIN));
    x64_e(e, x64_inst2(X64_XOR, 8, x64_r(d), x64_r(X64_R11)));
}

void x64_emit_fcvt(X64Emitter *e, const MachInst *mi)
{
    X64Reg d = opreg(mi, 0), a = opreg(mi, 1);
    unsigned fl = mi->aux[0];
    bool f64 = fl & XC_F64, i64 = fl & XC_I64, uns = fl & XC_UNSIGNED, sat = fl & XC_SAT;
    unsigned isz = i64 ? 8 : 4;
    X64Op cvt = f64 ? X64_CVTTSD2SI : X64_CVTTSS2SI, ucom = f64 ? X64_UCOMISD : X64_UCOMISS;
    CgLabel done = x64_e_label(e);
    if (!uns) {
        x64_e(e, x64_inst2(cvt, isz, x64_r(d), x64_r(a)));
        /* cvtt gives INT_MIN for NaN and out of range; cmp d, 1 overflows only for INT_MIN */
        x64_e(e, x64_inst2(X64_CMP, isz, x64_r(d), x64_i(1)));
        x64_e_jcc(e, X64_CC_NO, done);
        if (!sat) {
            x64_e(e, x64_inst2(ucom, 0, x64_r(a), x64_r(a)));
            x64_e_jcc(e, X64_CC_P, x64_e_trap(e, WASMC_TRAP_BAD_CONVERSION));
            CgLabel ovf = x64_e_trap(e, WASMC_TRAP_INT_OVERFLOW);
            double lim = i64 ? 9223372036854775808.0 : 2147483648.0;
            if (f64 && !i64) { /* (-2^31 - 1, 2^31): -2^31 - 1 is exact in f64 */
                x64_e(e, x64_inst2(ucom, 0, x64_r(a), fconst(e, true, -2147483649.0)));
                x64_e_jcc(e, X64_CC_BE, ovf);
            } else { /* [-2^(N-1), 2^(N-1)) */
                x64_e(e, x64_inst2(ucom, 0, x64_r(a), fconst(e, f64, -lim)));
                x64_e_jcc(e, X64_CC_B, ovf);
            }
            x64_e(e, x64_inst2(ucom, 0, x64_r(a), fconst(e, f64, lim)));
            x64_e_jcc(e, X64_CC_AE, ovf);
        } else {
            CgLabel zero = x64_e_label(e);
            x64_e(e, x64_inst2(ucom, 0, x64_r(a), x64_r(a)));
            x64_e_jcc(e, X64_CC_P, zero);
            x64_e(e, x64_inst2(X64_XORPS, 0, x64_r(X64_XMM15), x64_r(X64_XMM15)));
            x64_e(e, x64_inst2(ucom, 0, x64_r(a), x64_r(X64_XMM15)));
            x64_e_jcc(e, X64_CC_B, done); /* negative: INT_MIN is right */
            x64_e(e, x64_mov_imm(d, isz, i64 ? INT64_MAX : INT32_MAX));
            x64_e_jmp(e, done);
            x64_e_bind(e, zero);
            x64_e(e, x64_inst2(X64_XOR, 4, x64_r(d), x64_r(d)));
        }
        x64_e_bind(e, done);
        return;
    }
    double lim = i64 ? 18446744073709551616.0 : 4294967296.0;
    CgLabel zero = x64_e_label(e), max = x64_e_label(e);
    if (!sat) {
        x64_e(e, x64_inst2(ucom, 0, x64_r(a), x64_r(a)));
        x64_e_jcc(e, X64_CC_P, x64_e_trap(e, WASMC_TRAP_BAD_CONVERSION));
        CgLabel ovf = x64_e_trap(e, WASMC_TRAP_INT_OVERFLOW);
        x64_e(e, x64_inst2(ucom, 0, x64_r(a), fconst(e, f64, -1.0)));
        x64_e_jcc(e, X64_CC_BE, ovf);
        x64_e(e, x64_inst2(ucom, 0, x64_r(a), fconst(e, f64, lim)));
        x64_e_jcc(e, X64_CC_AE, ovf);
    } else {
        x64_e(e, x64_inst2(X64_XORPS, 0, x64_r(X64_XMM15), x64_r(X64_XMM15)));
        x64_e(e, x64_inst2(ucom, 0, x64_r(a), x64_r(X64_XMM15)));
        x64_e_jcc(e, X64_CC_BE, zero); /* NaN or <= 0 */
        x64_e(e, x64_inst2(ucom, 0, x64_r(a), fconst(e, f64, lim)));
        x64_e_jcc(e, X64_CC_AE, max);
    }
    if (i64) {
        CgLabel big = x64_e_label(e);
        x64_e(e, x64_inst2(ucom, 0, x64_r(a), fconst(e, f64, 9223372036854775808.0)));
        x64_e_jcc(e, X64_CC_AE, big);
        x64_e(e, x64_inst2(cvt, 8, x64_r(d), x64_r(a)));
        x64_e_jmp(e, done);
        x64_e_bind(e, big);
        cvt_u64_high(e, d, a, f64);
    } else {
        x64_e(e, x64_inst2(cvt, 8, x64_r(d), x64_r(a))); /* < 2^32: exact in 64 bits */
    }
    if (sat) {
        x64_e_jmp(e, done);
        x64_e_bind(e, max);
        x64_e(e, x64_mov_imm(d, isz, -1));
        x64_e_jmp(e, done);
        x64_e_bind(e, zero);
        x64_e(e, x64_inst2(X64_XOR, 4, x64_r(d), x64_r(d)));
    } else {
        x64_e_bind(e, zero);
        x64_e_bind(e, max);
    }
    x64_e_bind(e, done);
}

/* u64 -> float: values with bit 63 set are halved (keeping the low bit
 * sticky for correct rounding), converted, and doubled. */
void x64_emit_ucvt(X64Emitter *e, const MachInst *mi)
{
    X64Reg d = opreg(mi, 0), a = opreg(mi, 1), t = opreg(mi, 2);
    bool f64 = mi->aux[1] == 8;
    X64Op cv = f64 ? X64_CVTSI2SD : X64_CVTSI2SS;
    CgLabel big = x64_e_label(e), done = x64_e_label(e);
    x64_e(e, x64_inst2(X64_XORPS, 0, x64_r(d), x64_r(d)));
    x64_e(e, x64_inst2(X64_TEST, 8, x64_r(a), x64_r(a)));
    x64_e_jcc(e, X64_CC_S, big);
    x64_e(e, x64_inst2(cv, 8, x64_r(d), x64_r(a)));
    x64_e_jmp(e, done);
    x64_e_bind(e, big);
    x64_e(e, x64_inst2(X64_MOV, 8, x64_r(t), x64_r(a)));
    x64_e(e, x64_inst2(X64_SHR, 8, x64_r(t), x64_i(1)));
    x64_e(e, x64_inst2(X64_MOV, 4, x64_r(X64_R11), x64_r(a)));
    x64_e(e, x64_inst2(X64_AND, 4, x64_r(X64_R11), x64_i(1)));
    x64_e(e, x64_inst2(X64_OR, 8, x64_r(t), x64_r(X64_R11)));
    x64_e(e, x64_inst2(cv, 8, x64_r(d), x64_r(t)));
    x64_e(e, x64_inst2(f64 ? X64_ADDSD : X64_ADDSS, 0, x64_r(d), x64_r(d)));
    x64_e_bind(e, done);
}

/* ========================================================================
 * SAFETY-CRITICAL: explicit bounds check. An access of the bytes
 * [addr + offset, addr + offset + size) is in bounds iff
 * addr + (offset + size) <= length, computed in 64 bits; a carry out of
 * the addition (memory64 addresses near 2^64) is out of bounds too.
 * ======================================================================== */
void x64_emit_bounds(X64Emitter *e, const MachInst *mi)
{
    X64Reg addr = opreg(mi, 0), len = opreg(mi, 1), t = opreg(mi, 2);
    uint64_t end = mi->aux[0] | (uint64_t)mi->aux[1] << 32;
    CgLabel oob = x64_e_trap(e, WASMC_TRAP_MEMORY_OOB);
    x64_e(e, x64_inst2(X64_MOV, 8, x64_r(t), x64_r(addr)));
    if (end <= INT32_MAX) {
        x64_e(e, x64_inst2(X64_ADD, 8, x64_r(t), x64_i((int64_t)end)));
    } else {
        x64_e(e, x64_mov_imm(X64_R11, 8, (int64_t)end));
        x64_e(e, x64_inst2(X64_ADD, 8, x64_r(t), x64_r(X64_R11)));
    }
    x64_e_jcc(e, X64_CC_B, oob); /* carry */
    x64_e(e, x64_inst2(X64_CMP, 8, x64_r(t), x64_r(len)));
    x64_e_jcc(e, X64_CC_A, oob);
}
