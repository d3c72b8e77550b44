/* Helpers shared by the passes (opt_internal.h): value substitution,
 * constants, dominator-tree children, and the scoped hash map used by GVN
 * and redundant load elimination. Scratch arrays that live as long as one
 * pass come from the function's arena; the hash map uses the heap because
 * it grows and is freed at the end of the pass. */
#include "opt_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* ---- Substitution ------------------------------------------------------------- */

void opt_subst_init(IrFunc *f, OptSubst *s)
{
    s->n = f->nvalues;
    s->to = arena_array(&f->arena, s->n, sizeof *s->to);
    s->any = false;
}

IrValue opt_subst_get(OptSubst *s, IrValue v)
{
    uint32_t x = v.id;
    while (x < s->n && s->to[x])
        x = s->to[x];
    /* Path compression: point v straight at the end of its chain. */
    if (v.id < s->n && s->to[v.id] && s->to[v.id] != x)
        s->to[v.id] = x;
    return ir_value(x);
}

void opt_subst_set(OptSubst *s, IrValue from, IrValue to)
{
    assert(from.id < s->n);
    IrValue t = opt_subst_get(s, to);
    if (t.id == from.id)
        return; /* would make a cycle; from already stands for itself */
    s->to[from.id] = t.id;
    s->any = true;
}

void opt_subst_inst(IrFunc *f, OptSubst *s, IrInst i)
{
    if (!s->any || opt_op_is_const(ir_inst_op(f, i)))
        return; /* CONST records hold bits, not operands */
    uint32_t n = ir_inst_num_args(f, i);
    for (uint32_t k = 0; k < n; k++) {
        IrValue v = ir_inst_arg(f, i, k), w = opt_subst_get(s, v);
        if (w.id != v.id)
            ir_inst_set_arg(f, i, k, w);
    }
    uint32_t nd = ir_inst_num_dests(f, i);
    for (uint32_t k = 0; k < nd; k++) {
        uint32_t na = ir_inst_dest_num_args(f, i, k);
        for (uint32_t j = 0; j < na; j++) {
            IrValue v = ir_inst_dest_arg(f, i, k, j), w = opt_subst_get(s, v);
            if (w.id != v.id)
                ir_inst_set_dest_arg(f, i, k, j, w);
        }
    }
}

bool opt_subst_apply(IrFunc *f, OptSubst *s)
{
    if (!s->any)
        return false;
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b))
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i))
            opt_subst_inst(f, s, i);
    return true;
}

/* ---- Values --------------------------------------------------------------------- */

IrInst opt_def_inst(const IrFunc *f, IrValue v)
{
    const IrValueData *d = &f->values[v.id];
    return d->kind == IR_VAL_RESULT ? ir_inst(d->def) : IR_NO_INST;
}

IrBlock opt_def_block(const IrFunc *f, IrValue v)
{
    const IrValueData *d = &f->values[v.id];
    if (d->kind == IR_VAL_PARAM)
        return ir_block(d->def);
    if (d->kind == IR_VAL_RESULT)
        return ir_inst_block(f, ir_inst(d->def));
    return IR_NO_BLOCK;
}

bool opt_op_is_const(IrOpcode op)
{
    unsigned fmt = ir_op(op)->format;
    return fmt == IR_FMT_CONST || fmt == IR_FMT_VCONST;
}

bool opt_value_const(const IrFunc *f, IrValue v, uint64_t *bits)
{
    if (!v.id || v.id >= f->nvalues)
        return false;
    IrInst i = opt_def_inst(f, v);
    if (!i.id || ir_op(ir_inst_op(f, i))->format != IR_FMT_CONST)
        return false;
    *bits = ir_inst_imm64(f, i);
    return true;
}

/* ---- Dominator tree children ------------------------------------------------------ */

void opt_dom_kids(IrFunc *f, const IrDomTree *d, OptDomKids *k)
{
    k->first = arena_array(&f->arena, d->nblocks, sizeof *k->first);
    k->next = arena_array(&f->arena, d->nblocks, sizeof *k->next);
    /* Insert in reverse RPO so each child list comes out in RPO order. */
    for (uint32_t n = d->nrpo; n-- > 1;) {
        uint32_t b = d->rpo[n], p = d->idom[b];
        k->next[b] = k->first[p];
        k->first[p] = b;
    }
}

/* ---- Scoped hash map ---------------------------------------------------------------- */

static uint32_t key_hash(const OptKey *k)
{
    uint64_t h = 0x9e3779b97f4a7c15u;
    for (int j = 0; j < 8; j++) {
        h ^= k->w[j];
        h *= 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    return (uint32_t)h;
}

void opt_map_init(OptMap *m, uint32_t expected)
{
    uint32_t nb = 64;
    while (nb < expected && nb < (1u << 24))
        nb *= 2;
    m->heads = xcalloc(nb, sizeof *m->heads);
    m->mask = nb - 1;
    m->cap = 64;
    m->nodes = xmalloc(m->cap * sizeof *m->nodes);
    m->n = 1; /* node 0 is the chain terminator */
}

void opt_map_free(OptMap *m)
{
    free(m->heads);
    free(m->nodes);
    memset(m, 0, sizeof *m);
}

void opt_map_pop(OptMap *m, uint32_t mark)
{
    while (m->n > mark) {
        OptMapNode *nd = &m->nodes[--m->n];
        assert(m->heads[nd->bucket] == m->n);
        m->heads[nd->bucket] = nd->next;
    }
}

uint32_t opt_map_find(const OptMap *m, const OptKey *k)
{
    for (uint32_t x = m->heads[key_hash(k) & m->mask]; x; x = m->nodes[x].next)
        if (memcmp(&m->nodes[x].key, k, sizeof *k) == 0)
            return m->nodes[x].val;
    return 0;
}

void opt_map_insert(OptMap *m, const OptKey *k, uint32_t val)
{
    if (m->n == m->cap) {
        m->cap *= 2;
        m->nodes = xrealloc(m->nodes, m->cap * sizeof *m->nodes);
    }
    uint32_t b = key_hash(k) & m->mask;
    OptMapNode *nd = &m->nodes[m->n];
    nd->key = *k;
    nd->val = val;
    nd->bucket = b;
    nd->next = m->heads[b];
    m->heads[b] = m->n++;
}

bool opt_pure_key(const IrFunc *f, IrInst i, OptKey *k)
{
    IrOpcode op = ir_inst_op(f, i);
    if (!ir_op_has(op, IR_F_PURE) || ir_inst_num_results(f, i) != 1)
        return false;
    memset(k, 0, sizeof *k);
    k->w[0] = (uint32_t)op | (uint32_t)ir_inst_type(f, i) << 16 | (uint32_t)ir_inst_code(f, i) << 24;
    const IrFormatInfo *fi = ir_op_format(op);
    if (fi == &ir_format_info[IR_FMT_CONST]) {
        uint64_t bits = ir_inst_imm64(f, i);
        k->w[1] = (uint32_t)bits;
        k->w[2] = (uint32_t)(bits >> 32);
        return true;
    }
    if (fi == &ir_format_info[IR_FMT_VCONST]) {
        memcpy(&k->w[1], ir_inst_vconst(f, i), 16);
        return true;
    }
    uint32_t n = ir_inst_num_args(f, i);
    if (n > 3)
        return false;
    for (uint32_t j = 0; j < n; j++)
        k->w[1 + j] = ir_inst_arg(f, i, j).id;
    if (ir_op_has(op, IR_F_COMM) && k->w[1] > k->w[2]) {
        uint32_t t = k->w[1];
        k->w[1] = k->w[2];
        k->w[2] = t;
    }
    if (fi->ent[0] != IR_ENT_NONE)
        k->w[5] = ir_inst_entity(f, i, 0);
    if (fi->ent[1] != IR_ENT_NONE)
        k->w[6] = ir_inst_entity(f, i, 1);
    return true;
}

void opt_dom_walk_scoped(IrFunc *f, const IrDomTree *d, OptMap *map, void (*visit)(void *ctx, IrBlock b),
                         void *ctx)
{
    if (!d->nrpo)
        return;
    OptDomKids kids;
    opt_dom_kids(f, d, &kids);
    /* Each stack entry remembers the map's mark at entry and its next child. */
    uint32_t *mark = arena_array(&f->arena, d->nrpo, sizeof *mark);
    uint32_t *child = arena_array(&f->arena, d->nrpo, sizeof *child);
    uint32_t sp = 0, b = d->rpo[0];
    for (;;) {
        mark[sp] = opt_map_mark(map);
        visit(ctx, ir_block(b));
        child[sp++] = kids.first[b];
        for (;;) {
            if (!sp)
                return;
            uint32_t c = child[sp - 1];
            if (c) {
                child[sp - 1] = kids.next[c];
                b = c;
                break;
            }
            sp--;
            opt_map_pop(map, mark[sp]);
        }
    }
}
