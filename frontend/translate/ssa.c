/* Locals as SSA values, built on the fly (Braun, Buchwald, Hack, Leißa,
 * Mallon, Zwinkau: "Simple and Efficient Construction of Static Single
 * Assignment Form", CC 2013), with block parameters in place of phis.
 *
 * Invariants:
 * - A block is sealed once all its predecessor edges exist. Blocks created
 *   for a single known predecessor are sealed at once; `block`/`if` end
 *   blocks at their `end`; loop headers at the loop's `end` (every back edge
 *   lies inside the loop).
 * - Reading a variable in an unsealed block adds an "incomplete" parameter;
 *   sealing appends its argument to every incoming edge. Edges into a block
 *   therefore always carry the wasm block parameters first and then one
 *   argument per SSA parameter, in parameter order.
 * - The defs map holds, per (block, variable), the value at the block's end
 *   (or, for the current block, now). Blocks are filled once, in order.
 * - A parameter whose incoming arguments are all one other value is
 *   trivial: it is removed and aliased to that value. Aliases are resolved
 *   on read and rewritten in every operand by ssa_finish().
 * - Reads never recurse in C: pending reads through merge blocks are frames
 *   on an explicit stack (run_frames), so any depth of merges is safe. */
#include "translate_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void ssa_init(Translator *t)
{
    t->cap_defs = 256;
    t->defs = xcalloc(t->cap_defs, sizeof *t->defs);
}

void ssa_free(Translator *t)
{
    for (uint32_t i = 0; i < t->cap_binfo; i++) {
        free(t->binfo[i].edges);
        free(t->binfo[i].inc);
    }
    free(t->binfo);
    free(t->defs);
    free(t->alias);
    free(t->scratch);
    free(t->reads);
}

BlockInfo *ssa_block(Translator *t, IrBlock b)
{
    if (b.id >= t->cap_binfo) {
        uint32_t cap = t->cap_binfo ? t->cap_binfo : 16;
        while (cap <= b.id)
            cap *= 2;
        t->binfo = xrealloc(t->binfo, cap * sizeof *t->binfo);
        memset(t->binfo + t->cap_binfo, 0, (cap - t->cap_binfo) * sizeof *t->binfo);
        t->cap_binfo = cap;
    }
    return &t->binfo[b.id];
}

static IrValue *scratch(Translator *t, uint32_t n)
{
    if (n > t->cap_scratch) {
        t->cap_scratch = n * 2 + 8;
        t->scratch = xrealloc(t->scratch, t->cap_scratch * sizeof *t->scratch);
    }
    return t->scratch;
}

void ssa_add_edge(Translator *t, IrBlock to, IrInst inst, uint32_t k)
{
    BlockInfo *bi = ssa_block(t, to);
    assert(!bi->sealed);
    if (bi->nedges == bi->cap_edges) {
        bi->cap_edges = bi->cap_edges * 2 + 2;
        bi->edges = xrealloc(bi->edges, bi->cap_edges * sizeof *bi->edges);
    }
    bi->edges[bi->nedges++] = (Edge){ inst.id, k };
}

/* ---- The defs map ----------------------------------------------------------- */

static uint64_t def_key(IrBlock b, uint32_t var)
{
    return ((uint64_t)b.id << 32 | var) + 1;
}

static uint32_t def_slot(const Translator *t, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) & (t->cap_defs - 1);
}

static uint32_t def_get(const Translator *t, IrBlock b, uint32_t var)
{
    uint64_t key = def_key(b, var);
    for (uint32_t i = def_slot(t, key);; i = (i + 1) & (t->cap_defs - 1)) {
        if (t->defs[i].key == key)
            return t->defs[i].value;
        if (t->defs[i].key == 0)
            return 0;
    }
}

void ssa_def(Translator *t, IrBlock b, uint32_t var, IrValue v)
{
    if (2 * (t->ndefs + 1) > t->cap_defs) {
        DefSlot *old = t->defs;
        uint32_t oldcap = t->cap_defs;
        t->cap_defs *= 2;
        t->defs = xcalloc(t->cap_defs, sizeof *t->defs);
        for (uint32_t i = 0; i < oldcap; i++) {
            if (!old[i].key)
                continue;
            uint32_t j = def_slot(t, old[i].key);
            while (t->defs[j].key)
                j = (j + 1) & (t->cap_defs - 1);
            t->defs[j] = old[i];
        }
        free(old);
    }
    uint64_t key = def_key(b, var);
    uint32_t i = def_slot(t, key);
    while (t->defs[i].key && t->defs[i].key != key)
        i = (i + 1) & (t->cap_defs - 1);
    if (!t->defs[i].key)
        t->ndefs++;
    t->defs[i].key = key;
    t->defs[i].value = v.id;
}

/* ---- Aliases ------------------------------------------------------------------ */

IrValue ssa_resolve(Translator *t, IrValue v)
{
    while (v.id < t->cap_alias && t->alias[v.id])
        v.id = t->alias[v.id];
    return v;
}

static void set_alias(Translator *t, IrValue from, IrValue to)
{
    if (from.id >= t->cap_alias) {
        uint32_t cap = t->f->nvalues + 64;
        t->alias = xrealloc(t->alias, cap * sizeof *t->alias);
        memset(t->alias + t->cap_alias, 0, (cap - t->cap_alias) * sizeof *t->alias);
        t->cap_alias = cap;
    }
    t->alias[from.id] = to.id;
    t->any_alias = true;
}

/* ---- Reading variables ---------------------------------------------------------- */

/* The only predecessor block of b, or none (no edges, or edges from several). */
static IrBlock single_pred(const Translator *t, IrBlock b)
{
    const BlockInfo *bi = &t->binfo[b.id];
    if (bi->nedges == 0)
        return IR_NO_BLOCK;
    uint32_t p = t->f->inodes[bi->edges[0].inst].block;
    for (uint32_t i = 1; i < bi->nedges; i++)
        if (t->f->inodes[bi->edges[i].inst].block != p)
            return IR_NO_BLOCK;
    return ir_block(p);
}

/* A declared local read before any local.set is zero. The constant goes to
 * the top of the entry block, which dominates every block. */
static IrValue zero_value(Translator *t, uint32_t var)
{
    IrFunc *f = t->f;
    IrBuilder zb;
    IrBlock entry = ir_func_entry(f);
    IrInst next = t->last_zero.id ? ir_inst_next(f, t->last_zero) : ir_block_first_inst(f, entry);
    if (next.id)
        ir_builder_before(&zb, f, next);
    else
        ir_builder_at_end(&zb, f, entry);
    zb.srcloc = t->m->funcs[t->func_idx].code_off;
    IrType ty = (IrType)t->var_types[var];
    IrValue v;
    switch (ty) {
    case IR_TYPE_F32: v = ir_ins_f32const(&zb, 0); break;
    case IR_TYPE_F64: v = ir_ins_f64const(&zb, 0); break;
    case IR_TYPE_V128: {
        static const uint8_t zeros[16];
        v = ir_ins_vconst(&zb, zeros);
        break;
    }
    default: v = ir_ins_iconst(&zb, ty, 0); break;
    }
    t->last_zero = ir_inst(f->values[v.id].def);
    return v;
}

static void append_edge_arg(Translator *t, Edge e, IrValue a)
{
    IrFunc *f = t->f;
    IrInst inst = ir_inst(e.inst);
    uint32_t n = ir_inst_dest_num_args(f, inst, e.k);
    IrValue *args = scratch(t, n + 1);
    for (uint32_t j = 0; j < n; j++)
        args[j] = ir_inst_dest_arg(f, inst, e.k, j);
    args[n] = a;
    ir_inst_set_dest(f, inst, e.k, ir_inst_dest(f, inst, e.k), args, n + 1);
}

static uint32_t param_index(const Translator *t, IrBlock b, IrValue p)
{
    const IrBlockData *bd = &t->f->blocks[b.id];
    for (uint32_t k = 0; k < bd->nparams; k++)
        if (bd->params[k] == p.id)
            return k;
    assert(!"not a parameter of the block");
    return 0;
}

/* Removes parameter p of b when all incoming arguments are one other value. */
static IrValue try_remove_trivial(Translator *t, IrBlock b, IrValue p)
{
    IrFunc *f = t->f;
    uint32_t k = param_index(t, b, p);
    IrValue same = IR_NO_VALUE;
    BlockInfo *bi = &t->binfo[b.id];
    for (uint32_t i = 0; i < bi->nedges; i++) {
        IrValue a = ssa_resolve(t, ir_inst_dest_arg(f, ir_inst(bi->edges[i].inst), bi->edges[i].k, k));
        if (a.id == p.id || a.id == same.id)
            continue;
        if (same.id)
            return p; /* two different values: a real merge */
        same = a;
    }
    if (!same.id)
        return p; /* only self-references: keep (unreachable in valid code) */
    ir_block_remove_param(f, b, k);
    for (uint32_t i = 0; i < bi->nedges; i++) {
        IrInst inst = ir_inst(bi->edges[i].inst);
        uint32_t ek = bi->edges[i].k, n = ir_inst_dest_num_args(f, inst, ek), m = 0;
        IrValue *args = scratch(t, n);
        for (uint32_t j = 0; j < n; j++)
            if (j != k)
                args[m++] = ir_inst_dest_arg(f, inst, ek, j);
        ir_inst_set_dest(f, inst, ek, b, args, m);
    }
    set_alias(t, p, same);
    return same;
}

/* Reads are iterative: a read that passes a merge block (several
 * predecessors) must read the variable at the end of every predecessor, and
 * each of those reads may pass further merges. Instead of recursing, the
 * pending reads live on an explicit stack of frames, so a read through any
 * number of merges (10^5 nested if/else in a fuzzed module, say) uses heap,
 * not C stack. */
typedef enum { FRAME_LOOKUP, FRAME_ARGS } FrameState;

struct SsaFrame {
    uint8_t state;   /* FrameState */
    IrBlock start;   /* the block the read began in */
    IrBlock blk;     /* FRAME_ARGS: the merge block getting parameter p */
    IrValue p;
    uint32_t i;      /* FRAME_ARGS: next incoming edge to give an argument */
    bool seal_only;  /* from ssa_seal: no single-pred chain to record */
};

static SsaFrame *push_frame(Translator *t)
{
    if (t->nreads == t->cap_reads) {
        t->cap_reads = t->cap_reads * 2 + 16;
        t->reads = xrealloc(t->reads, t->cap_reads * sizeof *t->reads);
    }
    SsaFrame *fr = &t->reads[t->nreads++];
    memset(fr, 0, sizeof *fr);
    return fr;
}

/* Walks back from `b` through sealed single-predecessor blocks. Returns the
 * value if the walk ends at a definition, an incomplete parameter or the
 * entry; otherwise stops at a merge block, gives it a new parameter (defined
 * at once, which breaks cycles through loops) and returns no value with
 * *stop and *param set. *stop is always the block where the walk ended. */
static IrValue lookup(Translator *t, IrBlock b, uint32_t var, IrBlock *stop, IrValue *param)
{
    IrBlock blk = b;
    IrValue v = IR_NO_VALUE;
    for (;;) {
        v.id = def_get(t, blk, var);
        if (v.id)
            break;
        BlockInfo *bi = ssa_block(t, blk);
        if (!bi->sealed) {
            v = ir_block_append_param(t->f, blk, (IrType)t->var_types[var]);
            if (bi->ninc == bi->cap_inc) {
                bi->cap_inc = bi->cap_inc * 2 + 2;
                bi->inc = xrealloc(bi->inc, bi->cap_inc * sizeof *bi->inc);
            }
            bi->inc[bi->ninc++] = (Incomplete){ var, v.id };
            ssa_def(t, blk, var, v);
            break;
        }
        if (bi->nedges == 0) {
            v = zero_value(t, var);
            ssa_def(t, blk, var, v);
            break;
        }
        IrBlock pred = single_pred(t, blk);
        if (pred.id) {
            blk = pred;
            continue;
        }
        *param = ir_block_append_param(t->f, blk, (IrType)t->var_types[var]);
        ssa_def(t, blk, var, *param);
        *stop = blk;
        return IR_NO_VALUE;
    }
    *stop = blk;
    return v;
}

/* Runs the frames pushed since `base` to completion; returns the value of
 * the frame at `base`. */
static IrValue run_frames(Translator *t, uint32_t base, uint32_t var)
{
    IrValue ret = IR_NO_VALUE;
    while (t->nreads > base) {
        SsaFrame *fr = &t->reads[t->nreads - 1];
        IrValue v = IR_NO_VALUE;
        if (fr->state == FRAME_LOOKUP) {
            IrBlock stop;
            IrValue param = IR_NO_VALUE;
            v = lookup(t, fr->start, var, &stop, &param);
            fr->blk = stop;
            if (!v.id) {
                fr->state = FRAME_ARGS;
                fr->p = param;
                fr->i = 0;
                continue;
            }
        } else {
            /* binfo may grow while reading: index it afresh each time. */
            if (fr->i < t->binfo[fr->blk.id].nedges) {
                Edge e = t->binfo[fr->blk.id].edges[fr->i];
                SsaFrame *child = push_frame(t);
                child->state = FRAME_LOOKUP;
                child->start = ir_inst_block(t->f, ir_inst(e.inst));
                continue;
            }
            v = try_remove_trivial(t, fr->blk, fr->p);
            if (!fr->seal_only)
                ssa_def(t, fr->blk, var, v);
        }
        /* The frame is done with value v: record it along the chain it
         * walked, then hand it to the parent's pending edge. */
        v = ssa_resolve(t, v);
        fr = &t->reads[t->nreads - 1];
        if (!fr->seal_only)
            for (IrBlock c = fr->start; c.id != fr->blk.id; c = single_pred(t, c))
                ssa_def(t, c, var, v);
        t->nreads--;
        if (t->nreads == base) {
            ret = v;
            break;
        }
        SsaFrame *parent = &t->reads[t->nreads - 1];
        append_edge_arg(t, t->binfo[parent->blk.id].edges[parent->i], v);
        parent->i++;
    }
    return ret;
}

IrValue ssa_use(Translator *t, IrBlock b, uint32_t var)
{
    uint32_t base = t->nreads;
    SsaFrame *fr = push_frame(t);
    fr->state = FRAME_LOOKUP;
    fr->start = b;
    return run_frames(t, base, var);
}

/* Gives the incomplete parameter p of block b (being sealed) its argument
 * on every incoming edge, then removes it if trivial. */
static void complete_param(Translator *t, IrBlock b, uint32_t var, IrValue p)
{
    uint32_t base = t->nreads;
    SsaFrame *fr = push_frame(t);
    fr->state = FRAME_ARGS;
    fr->start = fr->blk = b;
    fr->p = p;
    fr->seal_only = true;
    run_frames(t, base, var);
}

void ssa_seal(Translator *t, IrBlock b)
{
    BlockInfo *bi = ssa_block(t, b);
    assert(!bi->sealed);
    /* The list may grow while we work (reads through loops back into b). */
    for (uint32_t i = 0; i < t->binfo[b.id].ninc; i++) {
        Incomplete inc = t->binfo[b.id].inc[i];
        complete_param(t, b, inc.var, ir_value(inc.value));
    }
    bi = &t->binfo[b.id];
    bi->ninc = 0;
    bi->sealed = true;
}

void ssa_finish(Translator *t)
{
    if (!t->any_alias)
        return;
    IrFunc *f = t->f;
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            uint32_t na = ir_inst_num_args(f, i);
            for (uint32_t k = 0; k < na; k++) {
                IrValue a = ir_inst_arg(f, i, k), r = ssa_resolve(t, a);
                if (r.id != a.id)
                    ir_inst_set_arg(f, i, k, r);
            }
            uint32_t nd = ir_inst_num_dests(f, i);
            for (uint32_t k = 0; k < nd; k++) {
                uint32_t n = ir_inst_dest_num_args(f, i, k);
                for (uint32_t j = 0; j < n; j++) {
                    IrValue a = ir_inst_dest_arg(f, i, k, j), r = ssa_resolve(t, a);
                    if (r.id != a.id)
                        ir_inst_set_dest_arg(f, i, k, j, r);
                }
            }
        }
    }
}
