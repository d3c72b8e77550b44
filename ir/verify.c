/* The IR verifier: run between passes in debug builds and in every test.
 *
 * Checks, in this order, reporting the first failure only:
 *   1. the function has an entry block whose parameters match its signature,
 *      and the entry block is no branch target;
 *   2. every block in the layout ends in exactly one terminator;
 *   3. per instruction: the controlling type is allowed for the opcode, the
 *      named entities are declared, the results have the count and types the
 *      opcode gives, every operand is a defined value of the expected type
 *      whose definition dominates the use (uses in unreachable blocks are not
 *      checked for dominance), branch destinations exist, are in the layout
 *      and get as many arguments as they have parameters, of the same types;
 *      returns and calls match their signatures.
 * Dominance uses the dominator tree (dom.c); within one block the order is
 * the layout order.
 *
 * An error's offset is the srcloc of the offending instruction (or block
 * header): the text offset when the function was parsed. */
#include "ir_internal.h"

#include <stdarg.h>
#include <stdio.h>

/* Expected operand types beyond IrType. */
enum { EXP_INT = IR_TYPE_COUNT, EXP_FLOAT, EXP_SKIP };

typedef struct Verifier {
    IrFunc *f;
    WasmcError *err;
    IrDomTree *dom;
    uint32_t *pos; /* by inst id: position within its block */
} Verifier;

static bool vfail(Verifier *v, uint32_t srcloc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool vfail(Verifier *v, uint32_t srcloc, const char *fmt, ...)
{
    char msg[sizeof v->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wasmc_fail(v->err, srcloc == IR_NO_SRCLOC ? WASMC_NO_OFFSET : srcloc, "%s", msg);
}

static uint32_t isrc(const Verifier *v, IrInst i) { return v->f->srclocs[i.id]; }
static uint32_t bsrc(const Verifier *v, IrBlock b) { return v->f->block_srclocs[b.id]; }
static const char *opname(const Verifier *v, IrInst i) { return ir_op(ir_inst_op(v->f, i))->name; }

static const char *exp_name(int t)
{
    switch (t) {
    case EXP_INT:
        return "an integer";
    case EXP_FLOAT:
        return "a float";
    default:
        return ir_type_name((IrType)t);
    }
}

/* ---- Values: defined, dominating, typed ------------------------------------ */

static bool check_use(Verifier *v, IrInst use, IrValue val, int expected)
{
    IrFunc *f = v->f;
    if (!ir_value_is_defined(f, val))
        return vfail(v, isrc(v, use), "v%u is not defined", val.id);
    const IrValueData *vd = &f->values[val.id];
    IrBlock def_block;
    if (vd->kind == IR_VAL_PARAM) {
        def_block = ir_block(vd->def);
        if (!f->blocks[vd->def].inserted)
            return vfail(v, isrc(v, use), "v%u is a parameter of block%u, which is not in the layout", val.id,
                         vd->def);
    } else {
        def_block = ir_inst_block(f, ir_inst(vd->def));
        if (!def_block.id)
            return vfail(v, isrc(v, use), "v%u is defined by a removed instruction", val.id);
    }
    IrBlock use_block = ir_inst_block(f, use);
    if (ir_dom_is_reachable(v->dom, use_block)) {
        bool ok;
        if (def_block.id != use_block.id)
            ok = ir_dom_dominates(v->dom, def_block, use_block);
        else
            ok = vd->kind == IR_VAL_PARAM || v->pos[vd->def] < v->pos[use.id];
        if (!ok)
            return vfail(v, isrc(v, use), "use of v%u is not dominated by its definition", val.id);
    }
    IrType t = (IrType)vd->type;
    bool type_ok = expected == EXP_SKIP || (expected == EXP_INT && ir_type_is_int(t)) ||
                   (expected == EXP_FLOAT && ir_type_is_float(t)) || (int)t == expected;
    if (!type_ok)
        return vfail(v, isrc(v, use), "type mismatch: v%u is %s, %s expects %s", val.id, ir_type_name(t),
                     opname(v, use), exp_name(expected));
    return true;
}

/* ---- Entities ------------------------------------------------------------- */

static bool check_entities(Verifier *v, IrInst i)
{
    IrFunc *f = v->f;
    const IrFormatInfo *fi = ir_op_format(ir_inst_op(f, i));
    for (uint32_t k = 0; k < 2; k++) {
        IrEntityKind kind = (IrEntityKind)fi->ent[k];
        if (kind == IR_ENT_NONE || kind == IR_ENT_DATA || kind == IR_ENT_ELEM)
            continue;
        uint32_t e = ir_inst_entity(f, i, k);
        bool ok = (kind == IR_ENT_SIG && ir_func_sig_decl(f, e)) || (kind == IR_ENT_FUNC && ir_func_fn_decl(f, e)) ||
                  (kind == IR_ENT_MEM && ir_func_mem_decl(f, e)) ||
                  (kind == IR_ENT_GLOBAL && ir_func_global_decl(f, e)) ||
                  (kind == IR_ENT_TABLE && ir_func_table_decl(f, e));
        if (!ok)
            return vfail(v, isrc(v, i), "%s%u is not declared", ir_entity_prefix(kind), e);
        if (kind == IR_ENT_TABLE && fi->ent[0] == IR_ENT_SIG && /* call_indirect */
            ir_func_table_decl(f, e)->elem != IR_REF_FUNC)
            return vfail(v, isrc(v, i), "table%u is not a funcref table", e);
        if (kind == IR_ENT_FUNC && !ir_func_sig_decl(f, ir_func_fn_decl(f, e)->sig))
            return vfail(v, isrc(v, i), "fn%u uses sig%u, which is not declared", e, ir_func_fn_decl(f, e)->sig);
    }
    return true;
}

static IrType mem_idx(const IrFunc *f, IrInst i, uint32_t k)
{
    return (IrType)ir_func_mem_decl(f, ir_inst_entity(f, i, k))->index_type;
}

static IrType table_idx(const IrFunc *f, IrInst i, uint32_t k)
{
    return (IrType)ir_func_table_decl(f, ir_inst_entity(f, i, k))->index_type;
}

/* Length operand of a copy between two index spaces: i64 only if both are. */
static IrType min_idx(IrType a, IrType b) { return a == IR_TYPE_I64 && b == IR_TYPE_I64 ? IR_TYPE_I64 : IR_TYPE_I32; }

/* ---- Operand types per opcode ------------------------------------------------ */

static int conversion_operand(IrOpcode op, IrType ctrl)
{
    switch (op) {
    case IR_OP_UEXTEND:
    case IR_OP_SEXTEND:
        return IR_TYPE_I32;
    case IR_OP_IREDUCE:
        return IR_TYPE_I64;
    case IR_OP_FPROMOTE:
        return IR_TYPE_F32;
    case IR_OP_FDEMOTE:
        return IR_TYPE_F64;
    case IR_OP_FCVT_TO_SINT:
    case IR_OP_FCVT_TO_UINT:
    case IR_OP_FCVT_TO_SINT_SAT:
    case IR_OP_FCVT_TO_UINT_SAT:
        return EXP_FLOAT;
    case IR_OP_FCVT_FROM_SINT:
    case IR_OP_FCVT_FROM_UINT:
        return EXP_INT;
    case IR_OP_BITCAST:
        return ctrl == IR_TYPE_I32   ? IR_TYPE_F32
               : ctrl == IR_TYPE_I64 ? IR_TYPE_F64
               : ctrl == IR_TYPE_F32 ? IR_TYPE_I32
                                     : IR_TYPE_I64;
    default:
        return ctrl;
    }
}

/* The type operand k must have; EXP_SKIP where a signature decides. */
static int operand_type(const IrFunc *f, IrInst i, uint32_t k)
{
    IrOpcode op = ir_inst_op(f, i);
    IrType ctrl = ir_inst_type(f, i);
    switch ((IrFormat)ir_op(op)->format) {
    case IR_FMT_UNARY:
        return conversion_operand(op, ctrl);
    case IR_FMT_BINARY:
    case IR_FMT_ICMP:
    case IR_FMT_FCMP:
        return ctrl;
    case IR_FMT_TERNARY:
        return k == 0 ? IR_TYPE_I32 : ctrl;
    case IR_FMT_VOP1:
    case IR_FMT_VOP2:
    case IR_FMT_VOP3:
        return ir_vecop_operand_type((IrVecOp)ir_inst_code(f, i), k);
    case IR_FMT_LOAD:
        return mem_idx(f, i, 0);
    case IR_FMT_STORE:
        return k == 0 ? mem_idx(f, i, 0) : ctrl;
    case IR_FMT_COND_TRAP:
    case IR_FMT_BRIF:
    case IR_FMT_BR_TABLE:
        return EXP_INT;
    case IR_FMT_CALL_INDIRECT:
        return k == 0 ? table_idx(f, i, 1) : EXP_SKIP;
    case IR_FMT_CALL_REF:
        return k == 0 ? IR_TYPE_IPTR : EXP_SKIP;
    case IR_FMT_GLOBAL1:
        return ir_func_global_decl(f, ir_inst_entity(f, i, 0))->type;
    case IR_FMT_MEM1: /* memory_grow delta */
        return mem_idx(f, i, 0);
    case IR_FMT_MEM3: /* memory_fill dst, byte, len */
        return k == 1 ? IR_TYPE_I32 : mem_idx(f, i, 0);
    case IR_FMT_MEM_MEM3: /* memory_copy dst, src, len */
        return k == 0 ? mem_idx(f, i, 0) : k == 1 ? mem_idx(f, i, 1) : min_idx(mem_idx(f, i, 0), mem_idx(f, i, 1));
    case IR_FMT_MEM_DATA3: /* memory_init dst, src offset, len */
        return k == 0 ? mem_idx(f, i, 0) : IR_TYPE_I32;
    case IR_FMT_TABLE1: /* table_get index */
        return table_idx(f, i, 0);
    case IR_FMT_TABLE2: /* table_set index, ref / table_grow ref, delta */
        if (op == IR_OP_TABLE_SET)
            return k == 0 ? table_idx(f, i, 0) : IR_TYPE_IPTR;
        return k == 0 ? IR_TYPE_IPTR : table_idx(f, i, 0);
    case IR_FMT_TABLE3: /* table_fill dst, ref, len */
        return k == 1 ? IR_TYPE_IPTR : table_idx(f, i, 0);
    case IR_FMT_TABLE_TABLE3:
        return k == 0   ? table_idx(f, i, 0)
               : k == 1 ? table_idx(f, i, 1)
                        : min_idx(table_idx(f, i, 0), table_idx(f, i, 1));
    case IR_FMT_TABLE_ELEM3:
        return k == 0 ? table_idx(f, i, 0) : IR_TYPE_I32;
    default:
        return EXP_SKIP;
    }
}

/* The controlling type an entity imposes (global/memory/table types). */
static bool check_entity_ctrl(Verifier *v, IrInst i)
{
    IrFunc *f = v->f;
    IrOpcode op = ir_inst_op(f, i);
    IrType ctrl = ir_inst_type(f, i), want = IR_TYPE_NONE;
    switch ((IrFormat)ir_op(op)->format) {
    case IR_FMT_GLOBAL0:
    case IR_FMT_GLOBAL1: {
        const IrGlobalDecl *g = ir_func_global_decl(f, ir_inst_entity(f, i, 0));
        if (op == IR_OP_GLOBAL_SET && !g->mutable_)
            return vfail(v, isrc(v, i), "global%u is immutable", ir_inst_entity(f, i, 0));
        want = (IrType)g->type;
        break;
    }
    case IR_FMT_MEM0:
    case IR_FMT_MEM1:
        want = mem_idx(f, i, 0);
        break;
    case IR_FMT_TABLE0:
        want = table_idx(f, i, 0);
        break;
    case IR_FMT_TABLE2:
        if (op == IR_OP_TABLE_GROW)
            want = table_idx(f, i, 0);
        break;
    default:
        break;
    }
    if (want != IR_TYPE_NONE && ctrl != want)
        return vfail(v, isrc(v, i), "%s.%s does not match the entity's type %s", opname(v, i), ir_type_name(ctrl),
                     ir_type_name(want));
    return true;
}

/* Arguments against a list of types (return values, call arguments). */
static bool check_args_against(Verifier *v, IrInst i, uint32_t first, const uint8_t *types, uint32_t n,
                               const char *what)
{
    uint32_t na = ir_inst_num_args(v->f, i) - first;
    if (na != n)
        return vfail(v, isrc(v, i), "%s has %u values, expected %u", what, na, n);
    for (uint32_t k = 0; k < n; k++)
        if (!check_use(v, i, ir_inst_arg(v->f, i, first + k), types[k]))
            return false;
    return true;
}

static bool same_types(const uint8_t *a, uint32_t na, const uint8_t *b, uint32_t nb)
{
    if (na != nb)
        return false;
    for (uint32_t k = 0; k < na; k++)
        if (a[k] != b[k])
            return false;
    return true;
}

static bool check_dests(Verifier *v, IrInst i)
{
    IrFunc *f = v->f;
    uint32_t nd = ir_inst_num_dests(f, i);
    for (uint32_t k = 0; k < nd; k++) {
        IrBlock d = ir_inst_dest(f, i, k);
        if (!ir_block_is_valid(f, d))
            return vfail(v, isrc(v, i), "block%u does not exist", d.id);
        if (!f->blocks[d.id].inserted)
            return vfail(v, isrc(v, i), "block%u is not in the layout", d.id);
        if (d.id == f->first_block)
            return vfail(v, isrc(v, i), "the entry block block%u cannot be a branch target", d.id);
        uint32_t na = ir_inst_dest_num_args(f, i, k), np = ir_block_num_params(f, d);
        if (na != np)
            return vfail(v, isrc(v, i), "block%u takes %u arguments, %u given", d.id, np, na);
        for (uint32_t j = 0; j < na; j++)
            if (!check_use(v, i, ir_inst_dest_arg(f, i, k, j), ir_value_type(f, ir_block_param(f, d, j))))
                return false;
    }
    return true;
}

static bool check_codes(Verifier *v, IrInst i)
{
    IrFunc *f = v->f;
    IrOpcode op = ir_inst_op(f, i);
    const IrFormatInfo *fi = ir_op_format(op);
    uint8_t c = ir_inst_code(f, i);
    unsigned limit = fi->code == IR_CODE_ICC   ? IR_ICC_COUNT
                     : fi->code == IR_CODE_FCC ? IR_FCC_COUNT
                     : fi->code == IR_CODE_VOP ? IR_VOP_COUNT
                                               : IR_TRAP_COUNT;
    if (fi->code != IR_CODE_NONE && c >= limit)
        return vfail(v, isrc(v, i), "bad code %u on %s", c, opname(v, i));
    if (fi->code == IR_CODE_VOP) {
        IrVecOp vo = (IrVecOp)c;
        if (ir_vecop_num_operands(vo) != (uint32_t)fi->nvals)
            return vfail(v, isrc(v, i), "%s takes %u operands, not %d", ir_vecop_name(vo),
                         ir_vecop_num_operands(vo), fi->nvals);
        if (ir_inst_type(f, i) != ir_vecop_result_type(vo))
            return vfail(v, isrc(v, i), "%s must have type %s", ir_vecop_name(vo),
                         ir_type_name(ir_vecop_result_type(vo)));
        const char *sig = ir_vecop_info[vo].sig;
        for (uint32_t k = 0; sig[k] != ':'; k++) {
            if (sig[k] != 'L')
                continue;
            IrValue lv = ir_inst_arg(f, i, k);
            const IrValueData *vd = lv.id < f->nvalues ? &f->values[lv.id] : NULL;
            if (!vd || vd->kind != IR_VAL_RESULT || ir_inst_op(f, ir_inst(vd->def)) != IR_OP_ICONST ||
                ir_inst_imm64(f, ir_inst(vd->def)) >= ir_vecop_info[vo].lanes)
                return vfail(v, isrc(v, i), "%s: operand %u must be an iconst lane index below %u",
                             ir_vecop_name(vo), k, ir_vecop_info[vo].lanes);
        }
    }
    if ((op == IR_OP_TRAP || op == IR_OP_TRAPZ || op == IR_OP_TRAPNZ) && c == IR_TRAP_NONE)
        return vfail(v, isrc(v, i), "%s needs a trap code other than notrap", opname(v, i));
    return true;
}

static bool check_inst(Verifier *v, IrInst i)
{
    IrFunc *f = v->f;
    IrOpcode op = ir_inst_op(f, i);
    if (op <= IR_OP_INVALID || op >= IR_OP_COUNT)
        return vfail(v, isrc(v, i), "invalid opcode %u", (unsigned)op);
    const IrOpInfo *oi = ir_op(op);
    IrType ctrl = ir_inst_type(f, i);
    if (oi->types == 0 && ctrl != IR_TYPE_NONE)
        return vfail(v, isrc(v, i), "%s takes no type", oi->name);
    if (oi->types != 0 && !(oi->types & (1u << ctrl)))
        return vfail(v, isrc(v, i), ctrl == IR_TYPE_NONE ? "%s needs a type%s" : "%s cannot have type %s",
                     oi->name, ctrl == IR_TYPE_NONE ? "" : ir_type_name(ctrl));
    if (!check_codes(v, i) || !check_entities(v, i) || !check_entity_ctrl(v, i))
        return false;

    /* Results. */
    uint32_t nres = ir_inst_num_results(f, i), want = ir_inst_expected_results(f, i);
    if (nres != want)
        return vfail(v, isrc(v, i), "%s has %u results, expected %u", oi->name, nres, want);
    for (uint32_t k = 0; k < nres; k++) {
        IrValue r = ir_inst_result(f, i, k);
        const IrValueData *vd = &f->values[r.id];
        if (vd->kind != IR_VAL_RESULT || vd->def != i.id || vd->num != k)
            return vfail(v, isrc(v, i), "v%u does not record its definition", r.id);
        IrType et = ir_inst_expected_result_type(f, i, k);
        if (vd->type != et)
            return vfail(v, isrc(v, i), "result v%u is %s, expected %s", r.id, ir_type_name((IrType)vd->type),
                         ir_type_name(et));
    }

    /* Operands. */
    switch ((IrFormat)oi->format) {
    case IR_FMT_MULTI:
        if (!check_args_against(v, i, 0, f->sig.results, f->sig.nresults, "return"))
            return false;
        break;
    case IR_FMT_CALL:
    case IR_FMT_CALL_INDIRECT:
    case IR_FMT_CALL_REF: {
        const IrSig *s = ir_inst_call_sig(f, i);
        uint32_t first = oi->format != IR_FMT_CALL; /* the callee operand */
        if (first && ir_inst_num_args(f, i) < 1)
            return vfail(v, isrc(v, i), "%s needs a callee %s", oi->name,
                         oi->format == IR_FMT_CALL_REF ? "reference" : "index");
        if (first && !check_use(v, i, ir_inst_arg(f, i, 0), operand_type(f, i, 0)))
            return false;
        if (!check_args_against(v, i, first, s->params, s->nparams, oi->name))
            return false;
        if ((op == IR_OP_RETURN_CALL || op == IR_OP_RETURN_CALL_INDIRECT || op == IR_OP_RETURN_CALL_REF) &&
            !same_types(s->results, s->nresults, f->sig.results, f->sig.nresults))
            return vfail(v, isrc(v, i), "%s: callee results differ from the function's", oi->name);
        break;
    }
    default: {
        uint32_t n = ir_inst_num_args(f, i);
        for (uint32_t k = 0; k < n; k++)
            if (!check_use(v, i, ir_inst_arg(f, i, k), operand_type(f, i, k)))
                return false;
        break;
    }
    }
    return check_dests(v, i);
}

static bool check_layout(Verifier *v)
{
    IrFunc *f = v->f;
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        if (!ir_block_is_valid(f, b) || !f->blocks[b.id].inserted)
            return vfail(v, IR_NO_SRCLOC, "block%u in the layout is not a valid block", b.id);
        IrInst last = ir_block_last_inst(f, b);
        if (!last.id)
            return vfail(v, bsrc(v, b), "block%u is empty", b.id);
        uint32_t pos = 0;
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            if (ir_inst_block(f, i).id != b.id)
                return vfail(v, isrc(v, i), "instruction layout is corrupt in block%u", b.id);
            v->pos[i.id] = pos++;
            IrOpcode op = ir_inst_op(f, i);
            bool term = op > IR_OP_INVALID && op < IR_OP_COUNT && ir_op_has(op, IR_F_TERM);
            if (term && i.id != last.id)
                return vfail(v, isrc(v, i), "terminator %s is not at the end of block%u", ir_op(op)->name, b.id);
            if (!term && i.id == last.id)
                return vfail(v, isrc(v, i), "block%u does not end in a terminator", b.id);
        }
    }
    return true;
}

static bool check_entry(Verifier *v)
{
    IrFunc *f = v->f;
    IrBlock e = ir_func_entry(f);
    if (!e.id)
        return vfail(v, f->srcloc, "function has no blocks");
    uint32_t np = ir_block_num_params(f, e);
    if (np != f->sig.nparams)
        return vfail(v, bsrc(v, e), "entry block has %u parameters, the signature %u", np, f->sig.nparams);
    for (uint32_t k = 0; k < np; k++) {
        IrType t = ir_value_type(f, ir_block_param(f, e, k));
        if (t != f->sig.params[k])
            return vfail(v, bsrc(v, e), "entry block parameter %u is %s, the signature says %s", k, ir_type_name(t),
                         ir_type_name((IrType)f->sig.params[k]));
    }
    return true;
}

bool ir_verify(IrFunc *f, WasmcError *err)
{
    Verifier v = { f, err, NULL, NULL };
    v.pos = arena_array(&f->arena, f->ninsts, sizeof *v.pos);
    if (!check_entry(&v) || !check_layout(&v))
        return false;
    IrCfg *cfg = ir_compute_cfg(f);
    v.dom = ir_compute_domtree(f, cfg);
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        for (uint32_t k = 0; k < ir_block_num_params(f, b); k++) {
            IrValue p = ir_block_param(f, b, k);
            IrType t = ir_value_type(f, p);
            if (t == IR_TYPE_NONE || t >= IR_TYPE_COUNT)
                return vfail(&v, bsrc(&v, b), "v%u has no type", p.id);
        }
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i))
            if (!check_inst(&v, i))
                return false;
    }
    return true;
}
