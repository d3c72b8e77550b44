/* Creating blocks, parameters and instructions, and keeping the layout.
 *
 * Data and order are separate (STYLE.md 2): ir_inst_create() makes a
 * detached record; the ir_layout_* functions link records into blocks and
 * blocks into the function. The IrBuilder cursor combines both for the
 * common case. Misuse (wrong operand counts, inserting twice) is a compiler
 * bug and asserts; checking user-controlled input is the parser's and the
 * verifier's job. */
#include "ir_internal.h"

#include <assert.h>
#include <string.h>

/* ---- Blocks --------------------------------------------------------------- */

void ir_block_create_at(IrFunc *f, uint32_t id)
{
    assert(id != 0);
    ir_reserve_blocks(f, id);
    IrBlockData *bd = &f->blocks[id];
    assert(!bd->exists);
    memset(bd, 0, sizeof *bd);
    bd->exists = true;
    f->block_srclocs[id] = IR_NO_SRCLOC;
}

IrBlock ir_block_new(IrFunc *f)
{
    uint32_t id = f->nblocks;
    ir_block_create_at(f, id);
    return ir_block(id);
}

void ir_layout_append_block(IrFunc *f, IrBlock b)
{
    IrBlockData *bd = &f->blocks[b.id];
    assert(bd->exists && !bd->inserted);
    bd->inserted = true;
    bd->prev = f->last_block;
    bd->next = 0;
    if (f->last_block)
        f->blocks[f->last_block].next = b.id;
    else
        f->first_block = b.id;
    f->last_block = b.id;
}

void ir_layout_insert_block_after(IrFunc *f, IrBlock b, IrBlock after)
{
    IrBlockData *bd = &f->blocks[b.id];
    IrBlockData *ad = &f->blocks[after.id];
    assert(bd->exists && !bd->inserted && ad->inserted);
    bd->inserted = true;
    bd->prev = after.id;
    bd->next = ad->next;
    if (ad->next)
        f->blocks[ad->next].prev = b.id;
    else
        f->last_block = b.id;
    ad->next = b.id;
}

void ir_layout_remove_block(IrFunc *f, IrBlock b)
{
    IrBlockData *bd = &f->blocks[b.id];
    assert(bd->inserted);
    if (bd->prev)
        f->blocks[bd->prev].next = bd->next;
    else
        f->first_block = bd->next;
    if (bd->next)
        f->blocks[bd->next].prev = bd->prev;
    else
        f->last_block = bd->prev;
    bd->prev = bd->next = 0;
    bd->inserted = false;
}

void ir_block_append_param_at(IrFunc *f, IrBlock b, uint32_t id, IrType t)
{
    ir_reserve_values(f, id);
    IrValueData *v = &f->values[id];
    assert(v->kind == IR_VAL_NONE);
    IrBlockData *bd = &f->blocks[b.id];
    bd->params = ir_grow(&f->arena, bd->params, &bd->cap, bd->nparams + 1, sizeof *bd->params);
    assert(bd->nparams < IR_MAX_DEFS);
    v->type = (uint8_t)t;
    v->kind = IR_VAL_PARAM;
    v->num = (uint16_t)bd->nparams;
    v->def = b.id;
    bd->params[bd->nparams++] = id;
}

IrValue ir_block_append_param(IrFunc *f, IrBlock b, IrType t)
{
    uint32_t id = f->nvalues;
    ir_block_append_param_at(f, b, id, t);
    return ir_value(id);
}

void ir_block_remove_param(IrFunc *f, IrBlock b, uint32_t k)
{
    IrBlockData *bd = &f->blocks[b.id];
    assert(k < bd->nparams);
    f->values[bd->params[k]].kind = IR_VAL_NONE;
    for (uint32_t j = k + 1; j < bd->nparams; j++) {
        bd->params[j - 1] = bd->params[j];
        f->values[bd->params[j - 1]].num = (uint16_t)(j - 1);
    }
    bd->nparams--;
}

/* ---- Instructions --------------------------------------------------------- */

static uint32_t new_inst_slot(IrFunc *f)
{
    uint32_t id = f->ninsts, need = id + 1;
    if (need > f->cap_insts) {
        uint32_t c1 = f->cap_insts, c2 = c1, c3 = c1;
        f->inodes = ir_grow(&f->arena, f->inodes, &c1, need, sizeof *f->inodes);
        f->ires = ir_grow(&f->arena, f->ires, &c2, need, sizeof *f->ires);
        f->srclocs = ir_grow(&f->arena, f->srclocs, &c3, need, sizeof *f->srclocs);
        f->insts = ir_grow(&f->arena, f->insts, &f->cap_insts, need, sizeof *f->insts);
    }
    f->ninsts = need;
    memset(&f->insts[id], 0, sizeof f->insts[id]);
    memset(&f->inodes[id], 0, sizeof f->inodes[id]);
    memset(&f->ires[id], 0, sizeof f->ires[id]);
    f->srclocs[id] = IR_NO_SRCLOC;
    return id;
}

static uint32_t write_dest(IrFunc *f, const IrBlockCall *c)
{
    uint32_t r = ir_pool_alloc(f, c->nargs + 2);
    f->pool[r] = c->block.id;
    f->pool[r + 1] = c->nargs;
    for (uint32_t j = 0; j < c->nargs; j++)
        f->pool[r + 2 + j] = c->args[j].id;
    return r;
}

IrInst ir_inst_create(IrFunc *f, const IrInstSpec *s)
{
    assert(s->op > IR_OP_INVALID && s->op < IR_OP_COUNT);
    const IrFormatInfo *fi = ir_op_format(s->op);
    uint32_t id = new_inst_slot(f);
    IrInstData *d = &f->insts[id];
    d->op = (uint16_t)s->op;
    d->type = (uint8_t)(s->type != IR_TYPE_NONE ? s->type : ir_op_implied_type(s->op));
    d->code = s->code;

    if (ir_op_info[s->op].format == IR_FMT_CONST) {
        d->arg[0] = (uint32_t)s->imm;
        d->arg[1] = (uint32_t)(s->imm >> 32);
    } else if (ir_op_info[s->op].format == IR_FMT_VCONST) {
        f->vconsts = ir_grow(&f->arena, f->vconsts, &f->cap_vconsts, f->nvconsts + 1, sizeof *f->vconsts);
        memcpy(f->vconsts[f->nvconsts], s->v128, 16);
        d->imm = f->nvconsts++;
    } else if (fi->nvals != IR_NVAR && fi->nvals <= 2) {
        assert(s->nargs == (uint32_t)fi->nvals);
        for (uint32_t k = 0; k < s->nargs; k++)
            d->arg[k] = s->args[k].id;
    } else {
        assert(fi->nvals == IR_NVAR || s->nargs == (uint32_t)fi->nvals);
        uint32_t off = ir_pool_alloc(f, s->nargs);
        for (uint32_t k = 0; k < s->nargs; k++)
            f->pool[off + k] = s->args[k].id;
        d->arg[0] = off;
        d->arg[1] = s->nargs;
    }

    if (fi->dests) {
        assert(s->ndests >= 1);
        assert(ir_op_info[s->op].format != IR_FMT_JUMP || s->ndests == 1);
        assert(ir_op_info[s->op].format != IR_FMT_BRIF || s->ndests == 2);
        uint32_t idx = ir_pool_alloc(f, s->ndests);
        for (uint32_t k = 0; k < s->ndests; k++) {
            uint32_t r = write_dest(f, &s->dests[k]);
            f->pool[idx + k] = r;
        }
        d = &f->insts[id];
        d->arg[1] = idx;
        d->imm = s->ndests;
    } else if (fi->extra) {
        f->extras = ir_grow(&f->arena, f->extras, &f->cap_extras, f->nextras + 1, sizeof *f->extras);
        IrExtra *x = &f->extras[f->nextras];
        x->offset = s->imm;
        x->ent[0] = s->ent[0];
        x->ent[1] = s->ent[1];
        d->imm = f->nextras++;
    } else if (fi->ent[0] != IR_ENT_NONE) {
        d->imm = s->ent[0];
    }
    return ir_inst(id);
}

void ir_inst_set_results(IrFunc *f, IrInst i, const uint32_t *ids, const IrType *types, uint32_t n)
{
    IrInstResults *r = &f->ires[i.id];
    assert(r->n == 0);
    assert(n <= IR_MAX_DEFS);
    for (uint32_t k = 0; k < n; k++) {
        ir_reserve_values(f, ids[k]);
        IrValueData *v = &f->values[ids[k]];
        assert(v->kind == IR_VAL_NONE);
        v->type = (uint8_t)types[k];
        v->kind = IR_VAL_RESULT;
        v->num = (uint16_t)k;
        v->def = i.id;
    }
    r = &f->ires[i.id];
    r->n = n;
    if (n == 1) {
        r->off = ids[0];
    } else if (n > 1) {
        uint32_t off = ir_pool_alloc(f, n);
        memcpy(&f->pool[off], ids, n * sizeof *ids);
        f->ires[i.id].off = off;
    }
}

void ir_inst_make_results(IrFunc *f, IrInst i)
{
    uint32_t n = ir_inst_expected_results(f, i);
    if (n == 0)
        return;
    /* Scratch in the arena: calls can have many results. */
    uint32_t *ids = arena_array(&f->arena, n, sizeof *ids);
    IrType *types = arena_array(&f->arena, n, sizeof *types);
    for (uint32_t k = 0; k < n; k++) {
        ids[k] = f->nvalues + k;
        types[k] = ir_inst_expected_result_type(f, i, k);
    }
    ir_inst_set_results(f, i, ids, types, n);
}

/* ---- Layout of instructions ---------------------------------------------- */

void ir_layout_append_inst(IrFunc *f, IrBlock b, IrInst i)
{
    IrInstNode *n = &f->inodes[i.id];
    IrBlockData *bd = &f->blocks[b.id];
    assert(n->block == 0 && bd->exists);
    n->block = b.id;
    n->prev = bd->last;
    n->next = 0;
    if (bd->last)
        f->inodes[bd->last].next = i.id;
    else
        bd->first = i.id;
    bd->last = i.id;
}

void ir_layout_insert_inst_before(IrFunc *f, IrInst before, IrInst i)
{
    IrInstNode *n = &f->inodes[i.id];
    IrInstNode *bn = &f->inodes[before.id];
    assert(n->block == 0 && bn->block != 0);
    n->block = bn->block;
    n->next = before.id;
    n->prev = bn->prev;
    if (bn->prev)
        f->inodes[bn->prev].next = i.id;
    else
        f->blocks[bn->block].first = i.id;
    bn->prev = i.id;
}

void ir_layout_remove_inst(IrFunc *f, IrInst i)
{
    IrInstNode *n = &f->inodes[i.id];
    assert(n->block != 0);
    IrBlockData *bd = &f->blocks[n->block];
    if (n->prev)
        f->inodes[n->prev].next = n->next;
    else
        bd->first = n->next;
    if (n->next)
        f->inodes[n->next].prev = n->prev;
    else
        bd->last = n->prev;
    n->prev = n->next = n->block = 0;
}

void ir_replace_uses(IrFunc *f, IrValue from, IrValue to)
{
    for (uint32_t id = 1; id < f->ninsts; id++) {
        IrInst i = ir_inst(id);
        if (f->insts[id].op == IR_OP_INVALID)
            continue;
        if (ir_op_info[f->insts[id].op].format == IR_FMT_CONST)
            continue; /* arg[] holds constant bits, not values */
        uint32_t n = ir_inst_num_args(f, i);
        for (uint32_t k = 0; k < n; k++)
            if (ir_inst_arg(f, i, k).id == from.id)
                ir_inst_set_arg(f, i, k, to);
        uint32_t nd = ir_inst_num_dests(f, i);
        for (uint32_t k = 0; k < nd; k++) {
            uint32_t na = ir_inst_dest_num_args(f, i, k);
            for (uint32_t j = 0; j < na; j++)
                if (ir_inst_dest_arg(f, i, k, j).id == from.id)
                    ir_inst_set_dest_arg(f, i, k, j, to);
        }
    }
}

/* ---- The cursor and convenience builders ---------------------------------- */

void ir_builder_at_end(IrBuilder *b, IrFunc *f, IrBlock block)
{
    b->f = f;
    b->block = block;
    b->before = IR_NO_INST;
    b->srcloc = IR_NO_SRCLOC;
}

void ir_builder_before(IrBuilder *b, IrFunc *f, IrInst before)
{
    b->f = f;
    b->block = ir_inst_block(f, before);
    b->before = before;
    b->srcloc = IR_NO_SRCLOC;
}

IrInst ir_build(IrBuilder *b, const IrInstSpec *s)
{
    IrInst i = ir_inst_create(b->f, s);
    b->f->srclocs[i.id] = b->srcloc;
    ir_inst_make_results(b->f, i);
    if (b->before.id)
        ir_layout_insert_inst_before(b->f, b->before, i);
    else
        ir_layout_append_inst(b->f, b->block, i);
    return i;
}

static IrValue build1(IrBuilder *b, const IrInstSpec *s)
{
    return ir_inst_result(b->f, ir_build(b, s), 0);
}

IrValue ir_ins_iconst(IrBuilder *b, IrType t, uint64_t v)
{
    if (t == IR_TYPE_I32)
        v &= 0xffffffffu; /* the record holds the value zero-extended */
    IrInstSpec s = { .op = IR_OP_ICONST, .type = t, .imm = v };
    return build1(b, &s);
}

IrValue ir_ins_f32const(IrBuilder *b, uint32_t bits)
{
    IrInstSpec s = { .op = IR_OP_F32CONST, .imm = bits };
    return build1(b, &s);
}

IrValue ir_ins_f64const(IrBuilder *b, uint64_t bits)
{
    IrInstSpec s = { .op = IR_OP_F64CONST, .imm = bits };
    return build1(b, &s);
}

IrValue ir_ins_vconst(IrBuilder *b, const uint8_t bytes[16])
{
    IrInstSpec s = { .op = IR_OP_VCONST, .v128 = bytes };
    return build1(b, &s);
}

IrValue ir_ins_unary(IrBuilder *b, IrOpcode op, IrType t, IrValue x)
{
    IrInstSpec s = { .op = op, .type = t, .args = &x, .nargs = 1 };
    return build1(b, &s);
}

IrValue ir_ins_binary(IrBuilder *b, IrOpcode op, IrType t, IrValue x, IrValue y)
{
    IrValue a[2] = { x, y };
    IrInstSpec s = { .op = op, .type = t, .args = a, .nargs = 2 };
    return build1(b, &s);
}

IrValue ir_ins_icmp(IrBuilder *b, IrIntCC cc, IrValue x, IrValue y)
{
    IrValue a[2] = { x, y };
    IrInstSpec s = { .op = IR_OP_ICMP, .type = ir_value_type(b->f, x), .code = (uint8_t)cc, .args = a, .nargs = 2 };
    return build1(b, &s);
}

IrValue ir_ins_fcmp(IrBuilder *b, IrFloatCC cc, IrValue x, IrValue y)
{
    IrValue a[2] = { x, y };
    IrInstSpec s = { .op = IR_OP_FCMP, .type = ir_value_type(b->f, x), .code = (uint8_t)cc, .args = a, .nargs = 2 };
    return build1(b, &s);
}

IrValue ir_ins_select(IrBuilder *b, IrValue c, IrValue x, IrValue y)
{
    IrValue a[3] = { c, x, y };
    IrInstSpec s = { .op = IR_OP_SELECT, .type = ir_value_type(b->f, x), .args = a, .nargs = 3 };
    return build1(b, &s);
}

IrValue ir_ins_load(IrBuilder *b, IrOpcode op, IrType t, IrTrapCode trap, uint32_t mem, IrValue addr,
                    uint64_t offset)
{
    IrInstSpec s = { .op = op, .type = t, .code = (uint8_t)trap, .args = &addr, .nargs = 1,
                     .ent = { mem, 0 }, .imm = offset };
    return build1(b, &s);
}

IrInst ir_ins_store(IrBuilder *b, IrOpcode op, IrTrapCode trap, uint32_t mem, IrValue addr, uint64_t offset,
                    IrValue v)
{
    IrValue a[2] = { addr, v };
    IrInstSpec s = { .op = op, .type = ir_value_type(b->f, v), .code = (uint8_t)trap, .args = a, .nargs = 2,
                     .ent = { mem, 0 }, .imm = offset };
    return ir_build(b, &s);
}

IrInst ir_ins_trap(IrBuilder *b, IrTrapCode code)
{
    IrInstSpec s = { .op = IR_OP_TRAP, .code = (uint8_t)code };
    return ir_build(b, &s);
}

IrInst ir_ins_cond_trap(IrBuilder *b, IrOpcode op, IrValue x, IrTrapCode code)
{
    IrInstSpec s = { .op = op, .code = (uint8_t)code, .args = &x, .nargs = 1 };
    return ir_build(b, &s);
}

IrInst ir_ins_jump(IrBuilder *b, IrBlock dest, const IrValue *args, uint32_t n)
{
    IrBlockCall c = { dest, args, n };
    IrInstSpec s = { .op = IR_OP_JUMP, .dests = &c, .ndests = 1 };
    return ir_build(b, &s);
}

IrInst ir_ins_brif(IrBuilder *b, IrValue c, IrBlockCall then_, IrBlockCall else_)
{
    IrBlockCall d[2] = { then_, else_ };
    IrInstSpec s = { .op = IR_OP_BRIF, .args = &c, .nargs = 1, .dests = d, .ndests = 2 };
    return ir_build(b, &s);
}

IrInst ir_ins_br_table(IrBuilder *b, IrValue index, const IrBlockCall *dests, uint32_t n)
{
    IrInstSpec s = { .op = IR_OP_BR_TABLE, .args = &index, .nargs = 1, .dests = dests, .ndests = n };
    return ir_build(b, &s);
}

IrInst ir_ins_return(IrBuilder *b, const IrValue *vals, uint32_t n)
{
    IrInstSpec s = { .op = IR_OP_RETURN, .args = vals, .nargs = n };
    return ir_build(b, &s);
}

IrInst ir_ins_call(IrBuilder *b, IrOpcode op, uint32_t fn, const IrValue *args, uint32_t n)
{
    IrInstSpec s = { .op = op, .args = args, .nargs = n, .ent = { fn, 0 } };
    return ir_build(b, &s);
}

IrInst ir_ins_call_indirect(IrBuilder *b, IrOpcode op, uint32_t sig, uint32_t table, IrValue callee,
                            const IrValue *args, uint32_t n)
{
    IrValue *all = arena_array(&b->f->arena, n + 1, sizeof *all);
    all[0] = callee;
    if (n)
        memcpy(all + 1, args, n * sizeof *args);
    IrInstSpec s = { .op = op, .args = all, .nargs = n + 1, .ent = { sig, table } };
    return ir_build(b, &s);
}

IrInst ir_ins_call_ref(IrBuilder *b, IrOpcode op, uint32_t sig, IrValue callee, const IrValue *args, uint32_t n)
{
    IrValue *all = arena_array(&b->f->arena, n + 1, sizeof *all);
    all[0] = callee;
    if (n)
        memcpy(all + 1, args, n * sizeof *args);
    IrInstSpec s = { .op = op, .args = all, .nargs = n + 1, .ent = { sig, 0 } };
    return ir_build(b, &s);
}

IrInst ir_ins_entity_op(IrBuilder *b, IrOpcode op, IrType t, uint32_t e0, uint32_t e1, const IrValue *args,
                        uint32_t n)
{
    IrInstSpec s = { .op = op, .type = t, .args = args, .nargs = n, .ent = { e0, e1 } };
    return ir_build(b, &s);
}
