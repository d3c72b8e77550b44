/* constfold: constant folding and algebraic simplification, with wasm's
 * semantics exactly.
 *
 * Blocks are visited in reverse postorder, so an operand's definition has
 * been simplified before its uses (except across back edges, which only
 * reach block parameters). Each instruction gets its operands substituted,
 * is canonicalised (a constant operand of a commutative op or of icmp goes
 * to the right), and is then either
 *   - folded to a constant: a new const is inserted before it,
 *   - simplified to an existing value (x + 0 -> x), or
 *   - rewritten in place or into a cheaper sequence (x * 8 -> x << 3),
 * and the old instruction is deleted. Uses are rewritten through an
 * OptSubst, once at the end.
 *
 * What is deliberately NOT done (wasm semantics; see DESIGN.md 3):
 *   - An instruction that would trap is never folded away: sdiv/udiv/srem/
 *     urem by a constant 0, sdiv MIN / -1, fcvt_to_*int of NaN or out of
 *     range, and a trapz on a constant 0 all stay. A division folds only
 *     when its constant divisor proves it cannot trap.
 *   - Float arithmetic (fadd fsub fmul fdiv sqrt ceil floor trunc nearest
 *     fmin fmax fpromote fdemote) folds only when no operand and not the
 *     result is a NaN: wasm leaves a NaN result's payload and sign
 *     nondeterministic, but we keep whatever the target would produce
 *     rather than pick our own. Non-NaN results of IEEE operations are
 *     exact in C17 (round to nearest, no contraction under -std=c17).
 *   - No float identities: x + 0.0 is not x (-0.0 + 0.0 = +0.0), and
 *     x * 1.0, x - 0.0, x / 1.0 are not x either, because an arithmetic
 *     operation must quieten a signalling NaN operand and returning x
 *     would keep its bits. Only the bit operations fneg, fabs, fcopysign
 *     (which wasm defines on bits, NaNs included) are folded and simplified
 *     freely.
 * Where the algebra comes from: the usual peephole identities (Hacker's
 * Delight, Cranelift's opts/ ISLE files for the list of cases); the code is
 * our own. */
#include "opt_internal.h"

#include <math.h>
#include <string.h>

typedef struct Folder {
    IrFunc *f;
    OptSubst subst;
    bool changed;
} Folder;

/* What simplifying one instruction gives. */
typedef enum { R_NONE, R_VALUE, R_CONST, R_DONE } ResultKind;
typedef struct Result {
    ResultKind kind;
    IrValue value; /* R_VALUE: the existing value that replaces the result */
    uint64_t bits; /* R_CONST: the constant, in the result's type */
} Result;

static const Result none_ = { R_NONE, { 0 }, 0 };

static Result r_value(IrValue v) { return (Result){ R_VALUE, v, 0 }; }
static Result r_const(uint64_t bits) { return (Result){ R_CONST, { 0 }, bits }; }

/* ---- Integer helpers ------------------------------------------------------------- */

static unsigned width(IrType t) { return t == IR_TYPE_I32 ? 32 : 64; }
static uint64_t mask(IrType t) { return t == IR_TYPE_I32 ? 0xffffffffu : ~(uint64_t)0; }
static int64_t sx(IrType t, uint64_t x) { return t == IR_TYPE_I32 ? (int64_t)(int32_t)(uint32_t)x : (int64_t)x; }
static uint64_t sext_from(unsigned bits, uint64_t x)
{
    uint64_t m = (uint64_t)1 << (bits - 1);
    x &= (m << 1) - 1;
    return (x ^ m) - m;
}
/* Arithmetic shift without relying on implementation-defined >> of negatives. */
static uint64_t ashr(IrType t, uint64_t x, unsigned s)
{
    int64_t v = sx(t, x);
    return (v < 0 ? ~(~(uint64_t)v >> s) : (uint64_t)v >> s) & mask(t);
}
static bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }
static unsigned log2u(uint64_t x)
{
    unsigned n = 0;
    while (x >>= 1)
        n++;
    return n;
}
static unsigned clz_w(uint64_t x, unsigned w)
{
    unsigned n = 0;
    for (int b = (int)w - 1; b >= 0 && !(x >> b & 1); b--)
        n++;
    return n;
}
static unsigned ctz_w(uint64_t x, unsigned w)
{
    unsigned n = 0;
    while (n < w && !(x >> n & 1))
        n++;
    return n;
}
static unsigned popcnt64(uint64_t x)
{
    unsigned n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

static bool icmp_eval(IrIntCC cc, IrType t, uint64_t a, uint64_t b)
{
    int64_t sa = sx(t, a), sb = sx(t, b);
    switch (cc) {
    case IR_ICC_EQ: return a == b;
    case IR_ICC_NE: return a != b;
    case IR_ICC_SLT: return sa < sb;
    case IR_ICC_SLE: return sa <= sb;
    case IR_ICC_SGT: return sa > sb;
    case IR_ICC_SGE: return sa >= sb;
    case IR_ICC_ULT: return a < b;
    case IR_ICC_ULE: return a <= b;
    case IR_ICC_UGT: return a > b;
    case IR_ICC_UGE: return a >= b;
    default: return false;
    }
}

static IrIntCC icmp_swap(IrIntCC cc)
{
    switch (cc) {
    case IR_ICC_SLT: return IR_ICC_SGT;
    case IR_ICC_SLE: return IR_ICC_SGE;
    case IR_ICC_SGT: return IR_ICC_SLT;
    case IR_ICC_SGE: return IR_ICC_SLE;
    case IR_ICC_ULT: return IR_ICC_UGT;
    case IR_ICC_ULE: return IR_ICC_UGE;
    case IR_ICC_UGT: return IR_ICC_ULT;
    case IR_ICC_UGE: return IR_ICC_ULE;
    default: return cc;
    }
}

/* Both operands constant. R_NONE when the operation would trap. */
static Result fold_int_binary(IrOpcode op, IrType t, uint64_t a, uint64_t b)
{
    uint64_t m = mask(t);
    unsigned w = width(t), s = (unsigned)(b & (w - 1));
    switch (op) {
    case IR_OP_IADD: return r_const((a + b) & m);
    case IR_OP_ISUB: return r_const((a - b) & m);
    case IR_OP_IMUL: return r_const((a * b) & m);
    case IR_OP_BAND: return r_const(a & b);
    case IR_OP_BOR: return r_const(a | b);
    case IR_OP_BXOR: return r_const(a ^ b);
    case IR_OP_ISHL: return r_const((a << s) & m);
    case IR_OP_USHR: return r_const((a & m) >> s);
    case IR_OP_SSHR: return r_const(ashr(t, a, s));
    case IR_OP_ROTL: return r_const(s ? ((a << s) | ((a & m) >> (w - s))) & m : a);
    case IR_OP_ROTR: return r_const(s ? (((a & m) >> s) | (a << (w - s))) & m : a);
    case IR_OP_UDIV: return b ? r_const(a / b) : none_;
    case IR_OP_UREM: return b ? r_const(a % b) : none_;
    case IR_OP_SDIV:
        /* Division by zero traps int_divz and MIN / -1 traps int_ovf. */
        if (!b || (sx(t, b) == -1 && a == ((uint64_t)1 << (w - 1))))
            return none_;
        if (sx(t, b) == -1)
            return r_const((0 - a) & m);
        return r_const((uint64_t)(sx(t, a) / sx(t, b)) & m);
    case IR_OP_SREM:
        if (!b)
            return none_;
        if (sx(t, b) == -1)
            return r_const(0); /* MIN rem -1 is 0 in wasm, no trap */
        return r_const((uint64_t)(sx(t, a) % sx(t, b)) & m);
    default: return none_;
    }
}

static Result fold_int_unary(IrOpcode op, IrType t, uint64_t a)
{
    uint64_t m = mask(t);
    unsigned w = width(t);
    switch (op) {
    case IR_OP_INEG: return r_const((0 - a) & m);
    case IR_OP_BNOT: return r_const(~a & m);
    case IR_OP_CLZ: return r_const(clz_w(a & m, w));
    case IR_OP_CTZ: return r_const(ctz_w(a & m, w));
    case IR_OP_POPCNT: return r_const(popcnt64(a & m));
    case IR_OP_SEXTEND8: return r_const(sext_from(8, a) & m);
    case IR_OP_SEXTEND16: return r_const(sext_from(16, a) & m);
    case IR_OP_SEXTEND32: return r_const(sext_from(32, a));
    case IR_OP_UEXTEND: return r_const(a & 0xffffffffu);
    case IR_OP_SEXTEND: return r_const(sext_from(32, a));
    case IR_OP_IREDUCE: return r_const(a & 0xffffffffu);
    default: return none_;
    }
}

/* ---- Float helpers ------------------------------------------------------------------ */

static float f32_of(uint64_t b)
{
    uint32_t u = (uint32_t)b;
    float x;
    memcpy(&x, &u, 4);
    return x;
}
static double f64_of(uint64_t b)
{
    double x;
    memcpy(&x, &b, 8);
    return x;
}
static uint64_t bits_f32(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}
static uint64_t bits_f64(double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    return u;
}
static uint64_t sign_bit(IrType t) { return t == IR_TYPE_F32 ? 0x80000000u : (uint64_t)1 << 63; }
/* The value as a double: exact for f32. */
static double fval(IrType t, uint64_t b) { return t == IR_TYPE_F32 ? (double)f32_of(b) : f64_of(b); }

/* A non-NaN result in type t, or R_NONE for NaN (see the file comment). */
static Result float_result(IrType t, double x32or64, float x32)
{
    if (t == IR_TYPE_F32)
        return isnan(x32) ? none_ : r_const(bits_f32(x32));
    return isnan(x32or64) ? none_ : r_const(bits_f64(x32or64));
}

static Result fold_float_binary(IrOpcode op, IrType t, uint64_t a, uint64_t b)
{
    uint64_t sb = sign_bit(t);
    if (op == IR_OP_FCOPYSIGN)
        return r_const((a & ~sb) | (b & sb));
    double x = fval(t, a), y = fval(t, b);
    if (isnan(x) || isnan(y))
        return none_;
    if (op == IR_OP_FMIN || op == IR_OP_FMAX) {
        bool lo;
        if (x == y) /* equal, or +0 vs -0: min takes the negative one */
            lo = (a & sb) != 0;
        else
            lo = x < y;
        return r_const(lo == (op == IR_OP_FMIN) ? a : b);
    }
    if (t == IR_TYPE_F32) {
        float p = f32_of(a), q = f32_of(b), r;
        switch (op) {
        case IR_OP_FADD: r = p + q; break;
        case IR_OP_FSUB: r = p - q; break;
        case IR_OP_FMUL: r = p * q; break;
        case IR_OP_FDIV: r = p / q; break;
        default: return none_;
        }
        return float_result(t, 0, r);
    }
    double r;
    switch (op) {
    case IR_OP_FADD: r = x + y; break;
    case IR_OP_FSUB: r = x - y; break;
    case IR_OP_FMUL: r = x * y; break;
    case IR_OP_FDIV: r = x / y; break;
    default: return none_;
    }
    return float_result(t, r, 0);
}

static Result fold_float_unary(IrOpcode op, IrType t, uint64_t a)
{
    uint64_t sb = sign_bit(t);
    switch (op) {
    case IR_OP_FNEG: return r_const(a ^ sb);
    case IR_OP_FABS: return r_const(a & ~sb);
    default: break;
    }
    if (isnan(fval(t, a)))
        return none_;
    if (t == IR_TYPE_F32) {
        float x = f32_of(a), r;
        switch (op) {
        case IR_OP_SQRT: r = sqrtf(x); break;
        case IR_OP_CEIL: r = ceilf(x); break;
        case IR_OP_FLOOR: r = floorf(x); break;
        case IR_OP_TRUNC: r = truncf(x); break;
        case IR_OP_NEAREST: r = nearbyintf(x); break; /* default rounding: ties to even */
        default: return none_;
        }
        return float_result(t, 0, r);
    }
    double x = f64_of(a), r;
    switch (op) {
    case IR_OP_SQRT: r = sqrt(x); break;
    case IR_OP_CEIL: r = ceil(x); break;
    case IR_OP_FLOOR: r = floor(x); break;
    case IR_OP_TRUNC: r = trunc(x); break;
    case IR_OP_NEAREST: r = nearbyint(x); break;
    default: return none_;
    }
    return float_result(t, r, 0);
}

static bool fcmp_eval(IrFloatCC cc, double x, double y)
{
    switch (cc) {
    case IR_FCC_EQ: return x == y;
    case IR_FCC_NE: return x != y; /* true on NaN, as wasm's ne */
    case IR_FCC_LT: return x < y;
    case IR_FCC_LE: return x <= y;
    case IR_FCC_GT: return x > y;
    case IR_FCC_GE: return x >= y;
    case IR_FCC_UNO: return isnan(x) || isnan(y);
    case IR_FCC_ORD: return !isnan(x) && !isnan(y);
    default: return false;
    }
}

/* Float -> int conversion. sat: saturate (NaN -> 0); otherwise R_NONE when
 * the conversion traps (NaN or out of range). */
static Result fold_to_int(bool is_signed, bool sat, IrType to, double x)
{
    if (isnan(x))
        return sat ? r_const(0) : none_;
    double tx = trunc(x);
    /* Exact bounds: the smallest value above the range and the largest
     * value below it, all powers of two (exactly representable). */
    double hi = to == IR_TYPE_I32 ? (is_signed ? 2147483648.0 : 4294967296.0)
                                  : (is_signed ? 9223372036854775808.0 : 18446744073709551616.0);
    double lo = is_signed ? -hi : 0.0;
    if (tx >= hi) {
        if (!sat)
            return none_;
        return r_const(is_signed ? mask(to) >> 1 : mask(to));
    }
    if (tx < lo) {
        if (!sat)
            return none_;
        return r_const(is_signed ? ((mask(to) >> 1) + 1) & mask(to) : 0);
    }
    if (is_signed)
        return r_const((uint64_t)(int64_t)tx & mask(to));
    return r_const((uint64_t)tx & mask(to));
}

static Result fold_from_int(bool is_signed, IrType from, IrType to, uint64_t a)
{
    if (to == IR_TYPE_F32) {
        float r = is_signed ? (float)sx(from, a) : (float)(a & mask(from));
        return r_const(bits_f32(r));
    }
    double r = is_signed ? (double)sx(from, a) : (double)(a & mask(from));
    return r_const(bits_f64(r));
}

/* ---- Simplifying one instruction ------------------------------------------------------ */

static bool cst(Folder *fo, IrValue v, uint64_t *bits) { return opt_value_const(fo->f, v, bits); }

static IrInst def_of(Folder *fo, IrValue v) { return opt_def_inst(fo->f, v); }

/* The defining instruction of v if it has opcode op. */
static bool def_is(Folder *fo, IrValue v, IrOpcode op, IrInst *out)
{
    IrInst d = def_of(fo, v);
    if (!d.id || ir_inst_op(fo->f, d) != op || !ir_inst_block(fo->f, d).id)
        return false;
    *out = d;
    return true;
}

/* Replaces i by `op.t x, <const c>` built before it (strength reduction). */
static Result rewrite_binary_const(Folder *fo, IrInst i, IrOpcode op, IrValue x, uint64_t c)
{
    IrFunc *f = fo->f;
    IrType t = ir_inst_type(f, i);
    IrBuilder b;
    ir_builder_before(&b, f, i);
    b.srcloc = f->srclocs[i.id];
    IrValue k = ir_ins_iconst(&b, t, c);
    return r_value(ir_ins_binary(&b, op, t, x, k));
}

static void swap_args(IrFunc *f, IrInst i)
{
    IrValue a = ir_inst_arg(f, i, 0), b = ir_inst_arg(f, i, 1);
    ir_inst_set_arg(f, i, 0, b);
    ir_inst_set_arg(f, i, 1, a);
}

static Result simplify_int_binary(Folder *fo, IrInst i)
{
    IrFunc *f = fo->f;
    IrOpcode op = ir_inst_op(f, i);
    IrType t = ir_inst_type(f, i);
    IrValue x = ir_inst_arg(f, i, 0), y = ir_inst_arg(f, i, 1);
    uint64_t a, c, m = mask(t);
    bool ca = cst(fo, x, &a), cc = cst(fo, y, &c);
    if (ca && cc)
        return fold_int_binary(op, t, a, c);
    if (ca && ir_op_has(op, IR_F_COMM)) { /* constants to the right */
        swap_args(f, i);
        IrValue tmp = x;
        x = y, y = tmp;
        c = a, cc = true;
        fo->changed = true;
    }
    unsigned w = width(t);
    if (x.id == y.id) {
        switch (op) {
        case IR_OP_ISUB:
        case IR_OP_BXOR: return r_const(0);
        case IR_OP_BAND:
        case IR_OP_BOR: return r_value(x);
        default: break;
        }
    }
    if (!cc)
        return none_;
    switch (op) {
    case IR_OP_IADD:
    case IR_OP_ISUB:
    case IR_OP_BOR:
    case IR_OP_BXOR:
        if (c == 0)
            return r_value(x);
        if (op == IR_OP_BOR && c == m)
            return r_const(m);
        break;
    case IR_OP_ISHL:
    case IR_OP_USHR:
    case IR_OP_SSHR:
    case IR_OP_ROTL:
    case IR_OP_ROTR:
        if ((c & (w - 1)) == 0) /* the count is taken modulo the width */
            return r_value(x);
        break;
    case IR_OP_IMUL:
        if (c == 0)
            return r_const(0);
        if (c == 1)
            return r_value(x);
        if (is_pow2(c))
            return rewrite_binary_const(fo, i, IR_OP_ISHL, x, log2u(c));
        break;
    case IR_OP_BAND:
        if (c == 0)
            return r_const(0);
        if (c == m)
            return r_value(x);
        break;
    /* Divisions: a nonzero constant divisor proves udiv/urem/srem cannot
     * trap; sdiv can still trap on MIN / -1, so only / 1 goes. */
    case IR_OP_SDIV:
    case IR_OP_UDIV:
        if (c == 1)
            return r_value(x);
        if (op == IR_OP_UDIV && is_pow2(c))
            return rewrite_binary_const(fo, i, IR_OP_USHR, x, log2u(c));
        break;
    case IR_OP_UREM:
        if (c == 1)
            return r_const(0);
        if (is_pow2(c))
            return rewrite_binary_const(fo, i, IR_OP_BAND, x, c - 1);
        break;
    case IR_OP_SREM:
        if (c == 1 || sx(t, c) == -1)
            return r_const(0);
        break;
    default: break;
    }
    /* Reassociate (x op c1) op c2 -> x op (c1 op c2) for associative,
     * commutative integer ops (exact modulo 2^w). */
    IrInst inner;
    uint64_t c1;
    if ((op == IR_OP_IADD || op == IR_OP_IMUL || op == IR_OP_BAND || op == IR_OP_BOR || op == IR_OP_BXOR) &&
        def_is(fo, x, op, &inner) && cst(fo, ir_inst_arg(f, inner, 1), &c1)) {
        Result r = fold_int_binary(op, t, c1, c);
        return rewrite_binary_const(fo, i, op, ir_inst_arg(f, inner, 0), r.bits);
    }
    return none_;
}

static Result simplify_icmp(Folder *fo, IrInst i)
{
    IrFunc *f = fo->f;
    IrIntCC cc = (IrIntCC)ir_inst_code(f, i);
    IrType t = ir_inst_type(f, i);
    IrValue x = ir_inst_arg(f, i, 0), y = ir_inst_arg(f, i, 1);
    uint64_t a, b;
    bool ca = cst(fo, x, &a), cb = cst(fo, y, &b);
    if (ca && cb)
        return r_const(icmp_eval(cc, t, a, b));
    if (ca) {
        swap_args(f, i);
        f->insts[i.id].code = (uint8_t)icmp_swap(cc);
        fo->changed = true;
        return none_;
    }
    if (x.id == y.id)
        return r_const(cc == IR_ICC_EQ || cc == IR_ICC_SLE || cc == IR_ICC_SGE || cc == IR_ICC_ULE ||
                       cc == IR_ICC_UGE);
    if (cb && b == 0 && cc == IR_ICC_ULT)
        return r_const(0);
    if (cb && b == 0 && cc == IR_ICC_UGE)
        return r_const(1);
    return none_;
}

static Result simplify_unary(Folder *fo, IrInst i)
{
    IrFunc *f = fo->f;
    IrOpcode op = ir_inst_op(f, i);
    IrType t = ir_inst_type(f, i);
    IrValue x = ir_inst_arg(f, i, 0);
    IrType xt = ir_value_type(f, x);
    uint64_t a;
    IrInst d;
    if (cst(fo, x, &a)) {
        switch (op) {
        case IR_OP_FNEG:
        case IR_OP_FABS:
        case IR_OP_SQRT:
        case IR_OP_CEIL:
        case IR_OP_FLOOR:
        case IR_OP_TRUNC:
        case IR_OP_NEAREST: return fold_float_unary(op, t, a);
        case IR_OP_FPROMOTE: {
            float v = f32_of(a);
            return isnan(v) ? none_ : r_const(bits_f64((double)v));
        }
        case IR_OP_FDEMOTE: {
            double v = f64_of(a);
            return isnan(v) ? none_ : r_const(bits_f32((float)v));
        }
        case IR_OP_FCVT_TO_SINT: return fold_to_int(true, false, t, fval(xt, a));
        case IR_OP_FCVT_TO_UINT: return fold_to_int(false, false, t, fval(xt, a));
        case IR_OP_FCVT_TO_SINT_SAT: return fold_to_int(true, true, t, fval(xt, a));
        case IR_OP_FCVT_TO_UINT_SAT: return fold_to_int(false, true, t, fval(xt, a));
        case IR_OP_FCVT_FROM_SINT: return fold_from_int(true, xt, t, a);
        case IR_OP_FCVT_FROM_UINT: return fold_from_int(false, xt, t, a);
        case IR_OP_BITCAST: return r_const(a); /* same bits, other class */
        default: return fold_int_unary(op, t, a);
        }
    }
    switch (op) {
    case IR_OP_INEG:
    case IR_OP_BNOT:
    case IR_OP_FNEG: /* involutions (fneg is a bit flip, NaNs included) */
        if (def_is(fo, x, op, &d))
            return r_value(ir_inst_arg(f, d, 0));
        break;
    case IR_OP_FABS:
        if (def_is(fo, x, IR_OP_FABS, &d))
            return r_value(x);
        if (def_is(fo, x, IR_OP_FNEG, &d)) { /* fabs (fneg y) -> fabs y */
            ir_inst_set_arg(f, i, 0, ir_inst_arg(f, d, 0));
            fo->changed = true;
        }
        break;
    case IR_OP_IREDUCE:
        if (def_is(fo, x, IR_OP_UEXTEND, &d) || def_is(fo, x, IR_OP_SEXTEND, &d))
            return r_value(ir_inst_arg(f, d, 0));
        break;
    case IR_OP_BITCAST:
        if (def_is(fo, x, IR_OP_BITCAST, &d) && ir_value_type(f, ir_inst_arg(f, d, 0)) == t)
            return r_value(ir_inst_arg(f, d, 0));
        break;
    default: break;
    }
    return none_;
}

static Result simplify(Folder *fo, IrInst i)
{
    IrFunc *f = fo->f;
    IrOpcode op = ir_inst_op(f, i);
    uint64_t a, b;
    switch (ir_op(op)->format) {
    case IR_FMT_UNARY: return simplify_unary(fo, i);
    case IR_FMT_ICMP: return simplify_icmp(fo, i);
    case IR_FMT_FCMP: {
        IrType t = ir_inst_type(f, i);
        if (cst(fo, ir_inst_arg(f, i, 0), &a) && cst(fo, ir_inst_arg(f, i, 1), &b))
            return r_const(fcmp_eval((IrFloatCC)ir_inst_code(f, i), fval(t, a), fval(t, b)));
        return none_; /* x == x is not true for NaN: no identities */
    }
    case IR_FMT_BINARY:
        if (ir_type_is_int(ir_inst_type(f, i)))
            return simplify_int_binary(fo, i);
        if (cst(fo, ir_inst_arg(f, i, 0), &a) && cst(fo, ir_inst_arg(f, i, 1), &b))
            return fold_float_binary(op, ir_inst_type(f, i), a, b);
        return none_;
    case IR_FMT_TERNARY: { /* select c, x, y */
        IrValue x = ir_inst_arg(f, i, 1), y = ir_inst_arg(f, i, 2);
        if (x.id == y.id)
            return r_value(x);
        if (cst(fo, ir_inst_arg(f, i, 0), &a))
            return r_value((uint32_t)a ? x : y);
        return none_;
    }
    case IR_FMT_COND_TRAP: /* a trap proven never to fire goes */
        if (cst(fo, ir_inst_arg(f, i, 0), &a) && ((uint32_t)a != 0) == (op == IR_OP_TRAPZ))
            return (Result){ R_DONE, { 0 }, 0 };
        return none_;
    default: return none_;
    }
}

static IrValue make_const(Folder *fo, IrInst before, IrType t, uint64_t bits)
{
    IrBuilder b;
    ir_builder_before(&b, fo->f, before);
    b.srcloc = fo->f->srclocs[before.id];
    switch (t) {
    case IR_TYPE_F32: return ir_ins_f32const(&b, (uint32_t)bits);
    case IR_TYPE_F64: return ir_ins_f64const(&b, bits);
    default: return ir_ins_iconst(&b, t, bits);
    }
}

static void visit(Folder *fo, IrInst i)
{
    IrFunc *f = fo->f;
    opt_subst_inst(f, &fo->subst, i);
    if (opt_op_is_const(ir_inst_op(f, i)))
        return;
    Result r = simplify(fo, i);
    switch (r.kind) {
    case R_NONE: return;
    case R_DONE: break;
    case R_VALUE: opt_subst_set(&fo->subst, ir_inst_result(f, i, 0), r.value); break;
    case R_CONST: {
        IrValue res = ir_inst_result(f, i, 0);
        opt_subst_set(&fo->subst, res, make_const(fo, i, ir_value_type(f, res), r.bits));
        break;
    }
    }
    /* Every R_VALUE/R_CONST/R_DONE above was proven not to trap, so the
     * instruction can go even if its opcode is marked TRAPS. */
    ir_layout_remove_inst(f, i);
    fo->changed = true;
}

bool opt_constfold(IrFunc *f, PassCtx *cx)
{
    Folder fo = { .f = f };
    opt_subst_init(f, &fo.subst);
    IrDomTree *d = opt_domtree(f, cx);
    for (uint32_t k = 0; k < d->nrpo; k++) {
        IrBlock b = ir_block(d->rpo[k]);
        for (IrInst i = ir_block_first_inst(f, b), next; i.id; i = next) {
            next = ir_inst_next(f, i);
            visit(&fo, i);
        }
    }
    opt_subst_apply(f, &fo.subst);
    return fo.changed;
}
