/* x86-64 selection rules for everything but control flow and calls:
 * integer and float arithmetic, comparisons, conversions, select, memory
 * accesses with their bounds checks, globals, and the instance-state
 * operations (memory.size/grow, bulk memory, tables) that call the runtime.
 *
 * Each rule lists its cases from most specific to general, in the style of
 * an ISLE rule:  // iadd x, (iconst k)  =>  lea d, [x + k]
 *
 * Two-address x86 instructions are selected as "d = op tied(a), late(b)":
 * the emitter copies a into d first when the allocator put them apart. */
#include <stdlib.h>

#include "../../runtime-stub/include/wasmc_rt.h"
#include "isel.h"

static IrValue arg(Isel *s, IrInst i, uint32_t k) { return ir_inst_arg(s->f, i, k); }
static uint32_t result(Isel *s, IrInst i) { return isel_def(s, ir_inst_result(s->f, i, 0)); }

static bool imm32_ok(int64_t v, unsigned sz) { return sz == 4 || (v >= INT32_MIN && v <= INT32_MAX); }

/* d = op tied(a), b  with b a register, an immediate or a folded load. */
static void alu(Isel *s, X64Op op, unsigned sz, uint32_t d, uint32_t a, IrValue b)
{
    int64_t imm;
    bool is_imm = isel_const(s, b, &imm) && imm32_ok(imm, sz);
    /* op d(a), (load p)  =>  op d, [base + p + off] */
    IrInst ld = is_imm ? IR_NO_INST : isel_foldable_load(s, b, sz == 4 ? IR_TYPE_I32 : IR_TYPE_I64);
    if (ld.id) {
        FoldMem fm;
        isel_fold_prepare(s, ld, &fm);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t od = isel_opnd(mi, d, CG_DEF_TIED);
        isel_opnd(mi, a, CG_USE);
        X64Opnd m = isel_fold_opnd(mi, &fm, CG_USE_LATE);
        *x64_tmpl(mi) = x64_inst2(op, sz, x64_r(od), m);
        if (fm.trap)
            mi->aux[0] = WASMC_TRAP_MEMORY_OOB;
        return;
    }
    uint32_t rb = is_imm ? CG_NO_REG : isel_reg(s, b);
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t od = isel_opnd(mi, d, CG_DEF_TIED);
    isel_opnd(mi, a, CG_USE);
    if (is_imm) {
        *x64_tmpl(mi) = op == X64_IMUL ? x64_inst3(X64_IMUL, sz, x64_r(od), x64_r(od), x64_i(imm))
                                       : x64_inst2(op, sz, x64_r(od), x64_i(imm));
        return;
    }
    uint8_t ob = isel_opnd(mi, rb, CG_USE_LATE);
    *x64_tmpl(mi) = x64_inst2(op, sz, x64_r(od), x64_r(ob));
}

/* alu for a commutative op: a folded load or an immediate goes second. */
static void alu_comm(Isel *s, X64Op op, unsigned sz, uint32_t d, IrValue a, IrValue b)
{
    IrType t = sz == 4 ? IR_TYPE_I32 : IR_TYPE_I64;
    int64_t imm;
    if (!isel_const(s, b, &imm) && !isel_foldable_load(s, b, t).id &&
        (isel_const(s, a, &imm) || isel_foldable_load(s, a, t).id)) {
        IrValue x = a;
        a = b;
        b = x;
    }
    alu(s, op, sz, d, isel_reg(s, a), b);
}

/* d = op tied(a)  (neg, not, SSE and/xor with a constant mask). */
static MachInst *unary_tied(Isel *s, uint32_t d, uint32_t a, uint8_t *od)
{
    MachInst *mi = isel_mk(s, XP_INST);
    *od = isel_opnd(mi, d, CG_DEF_TIED);
    isel_opnd(mi, a, CG_USE);
    return mi;
}

/* d = op a  (no tie: lzcnt, movsx, cvt...). */
static MachInst *unary_new(Isel *s, uint32_t d, uint32_t a, uint8_t *od, uint8_t *oa)
{
    MachInst *mi = isel_mk(s, XP_INST);
    *od = isel_opnd(mi, d, CG_DEF);
    *oa = isel_opnd(mi, a, CG_USE);
    return mi;
}

static void lower_iadd(Isel *s, IrInst i, unsigned sz, uint32_t d)
{
    IrValue a = arg(s, i, 0), b = arg(s, i, 1);
    int64_t k;
    /* iadd x, (iconst k)  =>  lea d, [x + k] */
    if (isel_const(s, b, &k) && k >= INT32_MIN && k <= INT32_MAX) {
        uint32_t ra = isel_reg(s, a);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t od = isel_opnd(mi, d, CG_DEF), oa = isel_opnd(mi, ra, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_LEA, sz, x64_r(od), x64_m(oa, (int32_t)k));
        return;
    }
    /* iadd x, (ishl y, (iconst 1..3))  =>  lea d, [x + y*scale] */
    for (int side = 0; side < 2; side++) {
        IrValue x = side ? b : a, y = side ? a : b;
        IrInst sh = isel_sinkable(s, y, IR_OP_ISHL);
        int64_t c;
        if (sh.id && isel_const(s, ir_inst_arg(s->f, sh, 1), &c) && c >= 1 && c <= 3) {
            s->consumed[sh.id] = 1;
            uint32_t rx = isel_reg(s, x), ry = isel_reg(s, ir_inst_arg(s->f, sh, 0));
            MachInst *mi = isel_mk(s, XP_INST);
            uint8_t od = isel_opnd(mi, d, CG_DEF), ox = isel_opnd(mi, rx, CG_USE), oy = isel_opnd(mi, ry, CG_USE);
            *x64_tmpl(mi) = x64_inst2(X64_LEA, sz, x64_r(od), x64_mem(ox, oy, 1u << c, 0));
            return;
        }
    }
    /* iadd x, y  =>  add d(x), y */
    alu_comm(s, X64_ADD, sz, d, a, b);
}

static void lower_shift(Isel *s, IrInst i, X64Op op, unsigned sz, uint32_t d)
{
    uint32_t a = isel_reg(s, arg(s, i, 0));
    int64_t k;
    /* ishl x, (iconst k)  =>  shl d(x), k & (bits-1) */
    if (isel_const(s, arg(s, i, 1), &k)) {
        uint8_t od;
        MachInst *mi = unary_tied(s, d, a, &od);
        *x64_tmpl(mi) = x64_inst2(op, sz, x64_r(od), x64_i(k & (sz * 8 - 1)));
        return;
    }
    /* ishl x, y  =>  mov rcx, y; shl d(x), cl  (the CPU masks the count as wasm does) */
    isel_move(s, X64_RCX, isel_reg(s, arg(s, i, 1)), 8);
    uint8_t od;
    MachInst *mi = unary_tied(s, d, a, &od);
    isel_opnd(mi, X64_RCX, CG_USE_LATE);
    *x64_tmpl(mi) = x64_inst2(op, sz, x64_r(od), x64_r(X64_RCX));
}

static void lower_div(Isel *s, IrInst i, int kind, unsigned sz, uint32_t d)
{
    uint32_t a = isel_reg(s, arg(s, i, 0)), b = isel_reg(s, arg(s, i, 1));
    isel_move(s, X64_RAX, a, 8);
    MachInst *mi = isel_mk(s, XP_DIV);
    isel_opnd(mi, b, CG_USE_LATE);
    mi->preg_uses = 1ull << X64_RAX;
    mi->preg_defs = (1ull << X64_RAX) | (1ull << X64_RDX);
    mi->aux[0] = (uint32_t)kind;
    x64_tmpl(mi)->size = (uint8_t)sz;
    isel_move(s, d, kind == XD_UREM || kind == XD_SREM ? X64_RDX : X64_RAX, 8);
}

static void lower_icmp(Isel *s, IrInst i, uint32_t d)
{
    /* icmp cc a, b  =>  cmp a, b; setcc d8; movzx d, d8 -- the compare is
     * this instruction itself, so let isel_condition sink it. */
    MachInst tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.op = XP_SETCC;
    isel_opnd(&tmp, d, CG_DEF);
    IrValue self = ir_inst_result(s->f, i, 0);
    uint32_t saved = s->uses[self.id];
    s->uses[self.id] = 1;
    uint32_t fmode = 0;
    s->cond_trap_aux = 2;
    X64Cond cc = isel_condition(s, &tmp, self, &fmode, CG_USE);
    s->cond_trap_aux = -1;
    s->uses[self.id] = saved;
    tmp.aux[0] = cc;
    tmp.aux[1] = fmode;
    *isel_mk(s, XP_SETCC) = tmp;
}

static void lower_select(Isel *s, IrInst i, IrType t, uint32_t d)
{
    IrValue c = arg(s, i, 0);
    uint32_t x = isel_reg(s, arg(s, i, 1)), y = isel_reg(s, arg(s, i, 2));
    if (ir_type_is_float(t)) {
        uint32_t rc = isel_reg(s, c);
        MachInst *mi = isel_mk(s, XP_FSELECT);
        isel_opnd(mi, d, CG_DEF_TIED);
        isel_opnd(mi, y, CG_USE);
        isel_opnd(mi, x, CG_USE_LATE);
        isel_opnd(mi, rc, CG_USE_LATE);
        mi->aux[1] = isel_size(t);
        return;
    }
    /* select (icmp cc a b), x, y  =>  cmp a, b; mov d, y; cmovcc d, x
     * (XP_INST with aux[2] = 1: template = the compare, then the cmov of
     * opnd0 from opnd2 under aux[0] with size aux[1]) */
    MachInst tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.op = XP_INST;
    isel_opnd(&tmp, d, CG_DEF_TIED);
    isel_opnd(&tmp, y, CG_USE);
    isel_opnd(&tmp, x, CG_USE_LATE);
    X64Cond cc = isel_condition(s, &tmp, c, NULL, CG_USE_LATE);
    tmp.aux[0] = cc;
    tmp.aux[1] = isel_size(t);
    tmp.aux[2] = 1;
    *isel_mk(s, XP_INST) = tmp;
}

/* ---- memory ------------------------------------------------------------------- */

/* Prepares the address of an access of `size` bytes at addr + offset:
 * emits an explicit bounds check when the strategy needs one (CG_BOUNDS_GUARD
 * covers offset + size <= WASMC_GUARD_BYTES with the guard region; the
 * access is then a trap site), and folds the offset into the displacement
 * when it fits, else into a new address register. The access is
 * [base + *addr + *disp]. */
static bool mem_prepare(Isel *s, IrInst i, uint32_t ra, unsigned size, uint32_t *addr, int32_t *disp)
{
    IrFunc *f = s->f;
    uint32_t mem = ir_inst_entity(f, i, 0);
    const CgMemoryInfo *mm = &s->mi->memories[mem];
    uint64_t off = ir_inst_offset(f, i);
    IrTrapCode tc = (IrTrapCode)ir_inst_code(f, i);
    bool check = tc != IR_TRAP_NONE &&
                 (mm->strategy == CG_BOUNDS_EXPLICIT || mm->is64 || off + size > WASMC_GUARD_BYTES);
    if (check) {
        uint32_t len = isel_mem_len(s, mem);
        MachInst *bc = isel_mk(s, XP_BOUNDS);
        isel_opnd(bc, ra, CG_USE);
        isel_opnd(bc, len, CG_USE);
        isel_opnd(bc, mach_new_vreg(s->mf, CG_CLASS_INT), CG_DEF_EARLY);
        uint64_t end = off + size;
        bc->aux[0] = (uint32_t)end;
        bc->aux[1] = (uint32_t)(end >> 32);
    }
    if (off > INT32_MAX) {
        /* Only reachable past an explicit check: addr + off is in bounds. */
        uint32_t t = mach_new_vreg(s->mf, CG_CLASS_INT), t2 = mach_new_vreg(s->mf, CG_CLASS_INT);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t o = isel_opnd(mi, t, CG_DEF);
        *x64_tmpl(mi) = x64_mov_imm((X64Reg)o, 8, (int64_t)off);
        mi = isel_mk(s, XP_INST);
        o = isel_opnd(mi, t2, CG_DEF_TIED);
        isel_opnd(mi, t, CG_USE);
        uint8_t oa = isel_opnd(mi, ra, CG_USE_LATE);
        *x64_tmpl(mi) = x64_inst2(X64_ADD, 8, x64_r(o), x64_r(oa));
        *addr = t2;
        *disp = 0;
        return true;
    }
    *addr = ra;
    *disp = (int32_t)off;
    return true;
}

static bool mem_index_ok(Isel *s, IrInst i)
{
    if (ir_inst_entity(s->f, i, 0) >= s->mi->nmemories)
        return isel_fail(s, "%s: memory index out of range", ir_op(ir_inst_op(s->f, i))->name);
    return true;
}

IrInst isel_foldable_load(Isel *s, IrValue v, IrType t)
{
    IrFunc *f = s->f;
    if (s->opt_level < 1 || !s->cur_inst.id || f->values[v.id].kind != IR_VAL_RESULT)
        return IR_NO_INST;
    IrInst d = ir_inst(f->values[v.id].def);
    if (ir_inst_op(f, d) != IR_OP_LOAD || ir_inst_type(f, d) != t || t == IR_TYPE_V128 || s->uses[v.id] != 1 ||
        s->consumed[d.id] || ir_inst_block(f, d).id != s->cur_block.id ||
        ir_inst_entity(f, d, 0) >= s->mi->nmemories)
        return IR_NO_INST;
    /* Moving the load down to the current instruction must not reorder it
     * with anything that traps, reads or writes: only pure instructions
     * (and loads already folded further down) may lie in between. */
    unsigned n = 0;
    for (IrInst i = ir_inst_next(f, d); i.id != s->cur_inst.id; i = ir_inst_next(f, i)) {
        if (!i.id || ++n > 64)
            return IR_NO_INST;
        if (!s->consumed[i.id] && !ir_op_has(ir_inst_op(f, i), IR_F_PURE))
            return IR_NO_INST;
    }
    return d;
}

void isel_fold_prepare(Isel *s, IrInst ld, FoldMem *fm)
{
    s->consumed[ld.id] = 1;
    uint32_t mem = ir_inst_entity(s->f, ld, 0);
    mem_prepare(s, ld, isel_reg(s, arg(s, ld, 0)), ir_type_bytes(ir_inst_type(s->f, ld)), &fm->addr, &fm->disp);
    fm->base = isel_mem_base(s, mem);
    fm->trap = ir_inst_code(s->f, ld) != IR_TRAP_NONE;
}

X64Opnd isel_fold_opnd(MachInst *mi, const FoldMem *fm, CgOpndKind kind)
{
    uint8_t ob = isel_opnd(mi, fm->base, kind), oa = isel_opnd(mi, fm->addr, kind);
    return x64_mem(ob, oa, 1, fm->disp);
}

static bool lower_load(Isel *s, IrInst i, IrType t, uint32_t d)
{
    IrFunc *f = s->f;
    IrOpcode op = ir_inst_op(f, i);
    unsigned size = op == IR_OP_ULOAD8 || op == IR_OP_SLOAD8     ? 1
                    : op == IR_OP_ULOAD16 || op == IR_OP_SLOAD16 ? 2
                    : op == IR_OP_ULOAD32 || op == IR_OP_SLOAD32 ? 4
                                                                 : ir_type_bytes(t);
    if (!mem_index_ok(s, i))
        return false;
    uint32_t mem = ir_inst_entity(f, i, 0), ra = CG_NO_REG;
    int32_t disp = 0;
    mem_prepare(s, i, isel_reg(s, arg(s, i, 0)), size, &ra, &disp);
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t od = isel_opnd(mi, d, CG_DEF), ob = isel_opnd(mi, isel_mem_base(s, mem), CG_USE);
    uint8_t oa = isel_opnd(mi, ra, CG_USE);
    X64Opnd m = x64_mem(ob, oa, 1, disp);
    X64Inst in;
    switch (op) {
    case IR_OP_ULOAD8: in = x64_ext(X64_MOVZX, 4, 1, x64_r(od), m); break;
    case IR_OP_ULOAD16: in = x64_ext(X64_MOVZX, 4, 2, x64_r(od), m); break;
    case IR_OP_SLOAD8: in = x64_ext(X64_MOVSX, isel_size(t), 1, x64_r(od), m); break;
    case IR_OP_SLOAD16: in = x64_ext(X64_MOVSX, isel_size(t), 2, x64_r(od), m); break;
    case IR_OP_ULOAD32: in = x64_inst2(X64_MOV, 4, x64_r(od), m); break;
    case IR_OP_SLOAD32: in = x64_ext(X64_MOVSX, 8, 4, x64_r(od), m); break;
    default:
        in = t == IR_TYPE_F32    ? x64_inst2(X64_MOVSS, 0, x64_r(od), m)
             : t == IR_TYPE_F64  ? x64_inst2(X64_MOVSD, 0, x64_r(od), m)
             : t == IR_TYPE_V128 ? x64_inst2(X64_MOVDQU, 0, x64_r(od), m)
                                 : x64_inst2(X64_MOV, isel_size(t), x64_r(od), m);
    }
    *x64_tmpl(mi) = in;
    if (ir_inst_code(f, i) != IR_TRAP_NONE)
        mi->aux[0] = WASMC_TRAP_MEMORY_OOB;
    return true;
}

static bool lower_store(Isel *s, IrInst i)
{
    IrFunc *f = s->f;
    IrOpcode op = ir_inst_op(f, i);
    IrValue v = arg(s, i, 1);
    IrType t = ir_value_type(f, v);
    unsigned size = op == IR_OP_ISTORE8 ? 1 : op == IR_OP_ISTORE16 ? 2 : op == IR_OP_ISTORE32 ? 4 : ir_type_bytes(t);
    if (!mem_index_ok(s, i))
        return false;
    int64_t imm;
    /* store (iconst k), p  =>  mov [p], k */
    bool is_imm = !ir_type_is_float(t) && t != IR_TYPE_V128 && isel_const(s, v, &imm) && (size < 8 || (imm >= INT32_MIN && imm <= INT32_MAX));
    uint32_t rv = is_imm ? CG_NO_REG : isel_reg(s, v);
    uint32_t mem = ir_inst_entity(f, i, 0), ra = CG_NO_REG;
    int32_t disp = 0;
    mem_prepare(s, i, isel_reg(s, arg(s, i, 0)), size, &ra, &disp);
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t ob = isel_opnd(mi, isel_mem_base(s, mem), CG_USE), oa = isel_opnd(mi, ra, CG_USE);
    X64Opnd m = x64_mem(ob, oa, 1, disp);
    if (is_imm) {
        int64_t v2 = size == 1 ? (int8_t)imm : size == 2 ? (int16_t)imm : size == 4 ? (int32_t)imm : imm;
        *x64_tmpl(mi) = x64_inst2(X64_MOV, size, m, x64_i(v2));
    } else {
        uint8_t ov = isel_opnd(mi, rv, CG_USE);
        *x64_tmpl(mi) = t == IR_TYPE_F32    ? x64_inst2(X64_MOVSS, 0, m, x64_r(ov))
                        : t == IR_TYPE_F64  ? x64_inst2(X64_MOVSD, 0, m, x64_r(ov))
                        : t == IR_TYPE_V128 ? x64_inst2(X64_MOVDQU, 0, m, x64_r(ov))
                                            : x64_inst2(X64_MOV, size, m, x64_r(ov));
    }
    if (ir_inst_code(f, i) != IR_TRAP_NONE)
        mi->aux[0] = WASMC_TRAP_MEMORY_OOB;
    return true;
}

/* ---- globals -------------------------------------------------------------------- */

static bool global_addr(Isel *s, IrInst i, uint32_t *base, int32_t *disp)
{
    uint32_t g = ir_inst_entity(s->f, i, 0);
    if (g >= s->mi->nglobals)
        return isel_fail(s, "%s: global index out of range", "global");
    const CgGlobalInfo *gi = &s->mi->globals[g];
    if (!gi->imported) {
        *base = s->vmctx;
        *disp = (int32_t)gi->offset;
        return true;
    }
    uint32_t p = mach_new_vreg(s->mf, CG_CLASS_INT);
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t d = isel_opnd(mi, p, CG_DEF), b = isel_opnd(mi, s->vmctx, CG_USE);
    *x64_tmpl(mi) = x64_inst2(X64_MOV, 8, x64_r(d), x64_m(b, (int32_t)gi->offset));
    *base = p;
    *disp = 0;
    return true;
}

static bool lower_global(Isel *s, IrInst i, IrType t)
{
    uint32_t base = CG_NO_REG;
    int32_t disp = 0;
    bool get = ir_inst_op(s->f, i) == IR_OP_GLOBAL_GET;
    if (t == IR_TYPE_V128)
        return isel_fail(s, "cannot lower %s yet", "v128 global");
    uint32_t v = get ? result(s, i) : isel_reg(s, arg(s, i, 0));
    if (!global_addr(s, i, &base, &disp))
        return false;
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t ov = isel_opnd(mi, v, get ? CG_DEF : CG_USE), ob = isel_opnd(mi, base, CG_USE);
    X64Opnd m = x64_m(ob, disp), r = x64_r(ov);
    X64Op op = t == IR_TYPE_F32 ? X64_MOVSS : t == IR_TYPE_F64 ? X64_MOVSD : X64_MOV;
    unsigned sz = ir_type_is_float(t) ? 0 : isel_size(t);
    *x64_tmpl(mi) = get ? x64_inst2(op, sz, r, m) : x64_inst2(op, sz, m, r);
    return true;
}

/* ---- floats ------------------------------------------------------------------------ */

static X64Op fop(IrType t, X64Op ss, X64Op sd) { return t == IR_TYPE_F32 ? ss : sd; }

/* The f32const/f64const defining v (at -O1 and above), or none. */
static IrInst float_const(Isel *s, IrValue v)
{
    if (s->opt_level < 1 || s->f->values[v.id].kind != IR_VAL_RESULT)
        return IR_NO_INST;
    IrInst d = ir_inst(s->f->values[v.id].def);
    IrOpcode op = ir_inst_op(s->f, d);
    return op == IR_OP_F32CONST || op == IR_OP_F64CONST ? d : IR_NO_INST;
}

static void sse_binop(Isel *s, IrInst i, X64Op op, uint32_t d, bool comm)
{
    IrType t = ir_inst_type(s->f, i);
    IrValue va = arg(s, i, 0), vb = arg(s, i, 1);
    if (comm && !isel_foldable_load(s, vb, t).id && isel_foldable_load(s, va, t).id) {
        IrValue x = va;
        va = vb;
        vb = x;
    }
    /* addsd d(a), (f64const k)  =>  addsd d, [rip + pool(k)] */
    if (comm && float_const(s, va).id && !float_const(s, vb).id) {
        IrValue x = va;
        va = vb;
        vb = x;
    }
    IrInst kd = float_const(s, vb);
    if (kd.id) {
        uint32_t a = isel_reg(s, va);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t od = isel_opnd(mi, d, CG_DEF_TIED);
        isel_opnd(mi, a, CG_USE);
        *x64_tmpl(mi) = x64_inst2(op, 0, x64_r(od),
                                  x64_rip_label((CgLabel){ x64_const(s->fi, ir_inst_imm64(s->f, kd), 0) }, 0));
        return;
    }
    /* addsd d(a), (load p)  =>  addsd d, [base + p + off] */
    IrInst ld = isel_foldable_load(s, vb, t);
    if (ld.id) {
        FoldMem fm;
        isel_fold_prepare(s, ld, &fm);
        uint32_t a = isel_reg(s, va);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t od = isel_opnd(mi, d, CG_DEF_TIED);
        isel_opnd(mi, a, CG_USE);
        X64Opnd m = isel_fold_opnd(mi, &fm, CG_USE_LATE);
        *x64_tmpl(mi) = x64_inst2(op, 0, x64_r(od), m);
        if (fm.trap)
            mi->aux[0] = WASMC_TRAP_MEMORY_OOB;
        return;
    }
    uint32_t a = isel_reg(s, va), b = isel_reg(s, vb);
    MachInst *mi = isel_mk(s, XP_INST);
    uint8_t od = isel_opnd(mi, d, CG_DEF_TIED);
    isel_opnd(mi, a, CG_USE);
    uint8_t ob = isel_opnd(mi, b, CG_USE_LATE);
    *x64_tmpl(mi) = x64_inst2(op, 0, x64_r(od), x64_r(ob));
}

static void sse_mask(Isel *s, uint32_t d, uint32_t a, X64Op op, uint64_t mask)
{
    uint8_t od;
    MachInst *mi = unary_tied(s, d, a, &od);
    *x64_tmpl(mi) = x64_inst2(op, 0, x64_r(od), x64_rip_label((CgLabel){ x64_const(s->fi, mask, mask) }, 0));
}

static bool lower_float(Isel *s, IrInst i, IrOpcode op, IrType t, uint32_t d)
{
    bool f32 = t == IR_TYPE_F32;
    uint64_t sign = f32 ? 0x80000000ull | 0x8000000000000000ull : 0x8000000000000000ull;
    if (f32)
        sign = 0x8000000080000000ull;
    switch (op) {
    case IR_OP_FADD: sse_binop(s, i, fop(t, X64_ADDSS, X64_ADDSD), d, true); return true;
    case IR_OP_FSUB: sse_binop(s, i, fop(t, X64_SUBSS, X64_SUBSD), d, false); return true;
    case IR_OP_FMUL: sse_binop(s, i, fop(t, X64_MULSS, X64_MULSD), d, true); return true;
    case IR_OP_FDIV: sse_binop(s, i, fop(t, X64_DIVSS, X64_DIVSD), d, false); return true;
    case IR_OP_FMIN:
    case IR_OP_FMAX: {
        uint32_t a = isel_reg(s, arg(s, i, 0)), b = isel_reg(s, arg(s, i, 1));
        MachInst *mi = isel_mk(s, XP_FMINMAX);
        isel_opnd(mi, d, CG_DEF_TIED);
        isel_opnd(mi, a, CG_USE);
        isel_opnd(mi, b, CG_USE_LATE);
        mi->aux[0] = op == IR_OP_FMAX;
        mi->aux[1] = isel_size(t);
        return true;
    }
    case IR_OP_FABS: sse_mask(s, d, isel_reg(s, arg(s, i, 0)), X64_ANDPS, ~sign); return true;
    case IR_OP_FNEG: sse_mask(s, d, isel_reg(s, arg(s, i, 0)), X64_XORPS, sign); return true;
    case IR_OP_FCOPYSIGN: {
        /* d = (a & ~sign) | (b & sign), with xmm15 as the temporary */
        uint32_t a = isel_reg(s, arg(s, i, 0)), b = isel_reg(s, arg(s, i, 1));
        uint32_t t1 = mach_new_vreg(s->mf, CG_CLASS_FLOAT), t2 = mach_new_vreg(s->mf, CG_CLASS_FLOAT);
        sse_mask(s, t1, a, X64_ANDPS, ~sign);
        sse_mask(s, t2, b, X64_ANDPS, sign);
        MachInst *mi = isel_mk(s, XP_INST);
        uint8_t od = isel_opnd(mi, d, CG_DEF_TIED);
        isel_opnd(mi, t1, CG_USE);
        uint8_t o2 = isel_opnd(mi, t2, CG_USE_LATE);
        *x64_tmpl(mi) = x64_inst2(X64_ORPS, 0, x64_r(od), x64_r(o2));
        return true;
    }
    case IR_OP_SQRT:
    case IR_OP_CEIL:
    case IR_OP_FLOOR:
    case IR_OP_TRUNC:
    case IR_OP_NEAREST: {
        uint8_t od, oa;
        uint32_t a = isel_reg(s, arg(s, i, 0));
        /* tied so the instruction's merge into d's upper bits is harmless */
        MachInst *mi = unary_tied(s, d, a, &od);
        oa = od;
        if (op == IR_OP_SQRT) {
            *x64_tmpl(mi) = x64_inst2(fop(t, X64_SQRTSS, X64_SQRTSD), 0, x64_r(od), x64_r(oa));
        } else {
            /* roundss mode: 0 nearest-even, 1 down, 2 up, 3 toward zero; bit 3 suppresses inexact */
            int mode = op == IR_OP_NEAREST ? 0 : op == IR_OP_FLOOR ? 1 : op == IR_OP_CEIL ? 2 : 3;
            *x64_tmpl(mi) = x64_inst3(fop(t, X64_ROUNDSS, X64_ROUNDSD), 0, x64_r(od), x64_r(oa), x64_i(8 | mode));
        }
        return true;
    }
    default:
        return false;
    }
}

static bool lower_convert(Isel *s, IrInst i, IrOpcode op, IrType t, uint32_t d)
{
    IrValue x = arg(s, i, 0);
    IrType st = ir_value_type(s->f, x);
    uint32_t a = isel_reg(s, x);
    uint8_t od, oa;
    MachInst *mi;
    switch (op) {
    case IR_OP_UEXTEND: /* the upper half of an i32 is already zero */
        isel_move(s, d, a, 4);
        return true;
    case IR_OP_SEXTEND:
        mi = unary_new(s, d, a, &od, &oa);
        *x64_tmpl(mi) = x64_ext(X64_MOVSX, 8, 4, x64_r(od), x64_r(oa));
        return true;
    case IR_OP_IREDUCE: /* a real 32-bit move: it clears the upper half */
        mi = unary_new(s, d, a, &od, &oa);
        *x64_tmpl(mi) = x64_inst2(X64_MOV, 4, x64_r(od), x64_r(oa));
        return true;
    case IR_OP_FPROMOTE:
    case IR_OP_FDEMOTE:
        mi = unary_tied(s, d, a, &od);
        *x64_tmpl(mi) = x64_inst2(op == IR_OP_FPROMOTE ? X64_CVTSS2SD : X64_CVTSD2SS, 0, x64_r(od), x64_r(od));
        return true;
    case IR_OP_BITCAST:
        mi = unary_new(s, d, a, &od, &oa);
        *x64_tmpl(mi) = x64_inst2(X64_MOVD, isel_size(t), x64_r(od), x64_r(oa));
        return true;
    case IR_OP_FCVT_FROM_SINT:
    case IR_OP_FCVT_FROM_UINT: {
        X64Op cv = t == IR_TYPE_F32 ? X64_CVTSI2SS : X64_CVTSI2SD;
        if (op == IR_OP_FCVT_FROM_UINT && st == IR_TYPE_I64) {
            mi = isel_mk(s, XP_UCVT);
            isel_opnd(mi, d, CG_DEF_EARLY);
            isel_opnd(mi, a, CG_USE);
            isel_opnd(mi, mach_new_vreg(s->mf, CG_CLASS_INT), CG_DEF_EARLY);
            mi->aux[1] = isel_size(t);
            return true;
        }
        /* an unsigned i32 is a non-negative i64 (upper half zero) */
        unsigned sz = op == IR_OP_FCVT_FROM_UINT ? 8 : isel_size(st);
        mi = isel_mk(s, XP_INST);
        od = isel_opnd(mi, d, CG_DEF_EARLY); /* xorps first: no false dependency */
        oa = isel_opnd(mi, a, CG_USE);
        *x64_tmpl(mi) = x64_inst2(cv, sz, x64_r(od), x64_r(oa));
        mi->aux[2] = 2; /* zero d first */
        return true;
    }
    default: {
        unsigned flags = (st == IR_TYPE_F64 ? XC_F64 : 0) | (t == IR_TYPE_I64 ? XC_I64 : 0) |
                         (op == IR_OP_FCVT_TO_UINT || op == IR_OP_FCVT_TO_UINT_SAT ? XC_UNSIGNED : 0) |
                         (op == IR_OP_FCVT_TO_SINT_SAT || op == IR_OP_FCVT_TO_UINT_SAT ? XC_SAT : 0);
        mi = isel_mk(s, XP_FCVT);
        isel_opnd(mi, d, CG_DEF_EARLY);
        isel_opnd(mi, a, CG_USE);
        mi->aux[0] = flags;
        return true;
    }
    }
}

/* ---- instance state through the runtime --------------------------------------- */

static RtArg rv(uint32_t v) { return (RtArg){ .vreg = v }; }
static RtArg ri(int64_t k) { return (RtArg){ .is_imm = true, .imm = k }; }

/* Instance-state instructions lowered to runtime helpers (wasmc_rt.h):
 * the helper takes the vmctx, then `nents` entity indices as immediates,
 * then the instruction's value operands in order. */
static const struct {
    uint16_t op;
    uint8_t nents;
    bool ptr_result; /* the result is a reference (iptr), whatever the type field says */
    const char *helper;
} runtime_ops[] = {
    { IR_OP_MEMORY_GROW, 1, false, "wasmc_rt_memory_grow" },
    { IR_OP_MEMORY_FILL, 1, false, "wasmc_rt_memory_fill" },
    { IR_OP_MEMORY_COPY, 2, false, "wasmc_rt_memory_copy" },
    { IR_OP_MEMORY_INIT, 2, false, "wasmc_rt_memory_init" },
    { IR_OP_DATA_DROP, 1, false, "wasmc_rt_data_drop" },
    { IR_OP_TABLE_GET, 1, true, "wasmc_rt_table_get" },
    { IR_OP_TABLE_SET, 1, false, "wasmc_rt_table_set" },
    { IR_OP_TABLE_SIZE, 1, false, "wasmc_rt_table_size" },
    { IR_OP_TABLE_GROW, 1, false, "wasmc_rt_table_grow" },
    { IR_OP_TABLE_FILL, 1, false, "wasmc_rt_table_fill" },
    { IR_OP_TABLE_COPY, 2, false, "wasmc_rt_table_copy" },
    { IR_OP_TABLE_INIT, 2, false, "wasmc_rt_table_init" },
    { IR_OP_ELEM_DROP, 1, false, "wasmc_rt_elem_drop" },
};

static bool lower_runtime(Isel *s, IrInst i, IrOpcode op)
{
    IrFunc *f = s->f;
    size_t row = 0;
    while (row < sizeof runtime_ops / sizeof runtime_ops[0] && runtime_ops[row].op != op)
        row++;
    if (row == sizeof runtime_ops / sizeof runtime_ops[0])
        return false;
    RtArg a[5];
    uint32_t na = 0;
    for (uint32_t k = 0; k < runtime_ops[row].nents; k++)
        a[na++] = ri(ir_inst_entity(f, i, k));
    for (uint32_t k = 0, n = ir_inst_num_args(f, i); k < n && na < 5; k++)
        a[na++] = rv(isel_reg(s, arg(s, i, k)));
    bool has_result = ir_inst_num_results(f, i) == 1;
    IrType t = runtime_ops[row].ptr_result ? IR_TYPE_I64 : ir_inst_type(f, i);
    uint32_t r = isel_rt_call(s, runtime_ops[row].helper, a, na, has_result ? t : IR_TYPE_NONE);
    if (has_result && r != CG_NO_REG)
        isel_move(s, result(s, i), r, t == IR_TYPE_I32 ? 4 : 8);
    return true;
}

static bool lower_memory_size(Isel *s, IrInst i, IrType t, uint32_t d)
{
    uint32_t mem = ir_inst_entity(s->f, i, 0);
    if (mem >= s->mi->nmemories)
        return isel_fail(s, "%s: memory index out of range", "memory_size");
    const IrMemoryDecl *md = ir_func_mem_decl(s->f, mem);
    unsigned shift = md ? md->page_log2 : 16;
    uint32_t len = isel_mem_len(s, mem);
    uint8_t od;
    MachInst *mi = unary_tied(s, d, len, &od);
    *x64_tmpl(mi) = x64_inst2(X64_SHR, 8, x64_r(od), x64_i(shift));
    if (!shift)
        *x64_tmpl(mi) = x64_inst2(X64_OR, 8, x64_r(od), x64_i(0));
    (void)t;
    return true;
}

bool isel_op(Isel *s, IrInst i)
{
    IrFunc *f = s->f;
    IrOpcode op = ir_inst_op(f, i);
    IrType t = ir_inst_type(f, i);
    unsigned sz = isel_size(t);
    uint32_t d = ir_inst_num_results(f, i) == 1 ? result(s, i) : CG_NO_REG;
    uint8_t od, oa;
    MachInst *mi;
    switch (op) {
    case IR_OP_IADD: lower_iadd(s, i, sz, d); return true;
    case IR_OP_ISUB: alu(s, X64_SUB, sz, d, isel_reg(s, arg(s, i, 0)), arg(s, i, 1)); return true;
    case IR_OP_BAND: alu_comm(s, X64_AND, sz, d, arg(s, i, 0), arg(s, i, 1)); return true;
    case IR_OP_BOR: alu_comm(s, X64_OR, sz, d, arg(s, i, 0), arg(s, i, 1)); return true;
    case IR_OP_BXOR: alu_comm(s, X64_XOR, sz, d, arg(s, i, 0), arg(s, i, 1)); return true;
    case IR_OP_IMUL: {
        int64_t k;
        /* imul x, (iconst k)  =>  imul d, x, k */
        if (isel_const(s, arg(s, i, 1), &k) && imm32_ok(k, sz)) {
            mi = unary_new(s, d, isel_reg(s, arg(s, i, 0)), &od, &oa);
            *x64_tmpl(mi) = x64_inst3(X64_IMUL, sz, x64_r(od), x64_r(oa), x64_i(k));
            return true;
        }
        alu_comm(s, X64_IMUL, sz, d, arg(s, i, 0), arg(s, i, 1));
        return true;
    }
    case IR_OP_ISHL: lower_shift(s, i, X64_SHL, sz, d); return true;
    case IR_OP_USHR: lower_shift(s, i, X64_SHR, sz, d); return true;
    case IR_OP_SSHR: lower_shift(s, i, X64_SAR, sz, d); return true;
    case IR_OP_ROTL: lower_shift(s, i, X64_ROL, sz, d); return true;
    case IR_OP_ROTR: lower_shift(s, i, X64_ROR, sz, d); return true;
    case IR_OP_SDIV: lower_div(s, i, XD_SDIV, sz, d); return true;
    case IR_OP_UDIV: lower_div(s, i, XD_UDIV, sz, d); return true;
    case IR_OP_SREM: lower_div(s, i, XD_SREM, sz, d); return true;
    case IR_OP_UREM: lower_div(s, i, XD_UREM, sz, d); return true;
    case IR_OP_INEG:
    case IR_OP_BNOT:
        mi = unary_tied(s, d, isel_reg(s, arg(s, i, 0)), &od);
        *x64_tmpl(mi) = x64_inst1(op == IR_OP_INEG ? X64_NEG : X64_NOT, sz, x64_r(od));
        return true;
    case IR_OP_CLZ:
    case IR_OP_CTZ:
    case IR_OP_POPCNT: /* lzcnt/tzcnt/popcnt: the target machine has LZCNT, BMI1 and POPCNT */
        mi = unary_new(s, d, isel_reg(s, arg(s, i, 0)), &od, &oa);
        *x64_tmpl(mi) = x64_inst2(op == IR_OP_CLZ ? X64_LZCNT : op == IR_OP_CTZ ? X64_TZCNT : X64_POPCNT, sz,
                                  x64_r(od), x64_r(oa));
        return true;
    case IR_OP_SEXTEND8:
    case IR_OP_SEXTEND16:
    case IR_OP_SEXTEND32:
        mi = unary_new(s, d, isel_reg(s, arg(s, i, 0)), &od, &oa);
        *x64_tmpl(mi) = x64_ext(X64_MOVSX, sz, op == IR_OP_SEXTEND8 ? 1 : op == IR_OP_SEXTEND16 ? 2 : 4, x64_r(od),
                                x64_r(oa));
        return true;
    case IR_OP_ICMP:
    case IR_OP_FCMP:
        lower_icmp(s, i, d);
        return true;
    case IR_OP_SELECT:
        if (t == IR_TYPE_V128)
            return isel_fail(s, "cannot lower %s yet", "v128 select");
        lower_select(s, i, t, d);
        return true;
    case IR_OP_LOAD: case IR_OP_ULOAD8: case IR_OP_SLOAD8: case IR_OP_ULOAD16:
    case IR_OP_SLOAD16: case IR_OP_ULOAD32: case IR_OP_SLOAD32:
        return lower_load(s, i, t, d);
    case IR_OP_STORE: case IR_OP_ISTORE8: case IR_OP_ISTORE16: case IR_OP_ISTORE32:
        return lower_store(s, i);
    case IR_OP_GLOBAL_GET:
    case IR_OP_GLOBAL_SET:
        return lower_global(s, i, t);
    case IR_OP_MEMORY_SIZE:
        return lower_memory_size(s, i, t, d);
    case IR_OP_REF_FUNC: {
        uint32_t fn = ir_inst_entity(f, i, 0);
        mi = isel_mk(s, XP_INST);
        od = isel_opnd(mi, d, CG_DEF);
        oa = isel_opnd(mi, s->vmctx, CG_USE);
        *x64_tmpl(mi) = x64_inst2(X64_LEA, 8, x64_r(od), x64_m(oa, (int32_t)(s->mi->funcrefs_offset + 32 * fn)));
        return true;
    }
    default:
        break;
    }
    if (op == IR_OP_VCONST || op == IR_OP_VOP1 || op == IR_OP_VOP2 || op == IR_OP_VOP3)
        return isel_simd_op(s, i, d);
    if (ir_type_is_float(t) && lower_float(s, i, op, t, d))
        return true;
    switch (op) {
    case IR_OP_UEXTEND: case IR_OP_SEXTEND: case IR_OP_IREDUCE: case IR_OP_FPROMOTE: case IR_OP_FDEMOTE:
    case IR_OP_BITCAST: case IR_OP_FCVT_FROM_SINT: case IR_OP_FCVT_FROM_UINT: case IR_OP_FCVT_TO_SINT:
    case IR_OP_FCVT_TO_UINT: case IR_OP_FCVT_TO_SINT_SAT: case IR_OP_FCVT_TO_UINT_SAT:
        return lower_convert(s, i, op, t, d);
    default:
        break;
    }
    if (lower_runtime(s, i, op))
        return true;
    return isel_fail(s, "cannot lower IR instruction %s yet", ir_op(op)->name);
}
