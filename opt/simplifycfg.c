/* simplifycfg: control-flow cleanups, repeated until nothing changes.
 *
 *   1. constant branches: brif/br_table on a constant, or whose targets are
 *      all the same block with the same arguments, become a jump;
 *   2. unreachable blocks (from the entry) leave the layout;
 *   3. jump threading: an edge into a block that holds nothing but
 *      `jump C(args)` goes straight to C, with the block's parameters
 *      replaced by the edge's arguments;
 *   4. merging: a block whose only predecessor edge is a `jump` from P is
 *      appended to P (its parameters become the jump's arguments);
 *   5. block parameters that are unused, or that receive the same value on
 *      every edge (ignoring the block's own parameter passed back to it),
 *      are removed with their arguments.
 *
 * Why the rewrites keep SSA valid (the verifier checks dominance):
 *   3. a value v used by the threaded block's jump, other than its own
 *      parameters, dominates that block B; every path to a predecessor P
 *      continued by P->B reaches B, so it contains v's definition, which is
 *      not in B: v dominates P's terminator too. B's parameters may only be
 *      used by B's own jump (checked with use counts), since B disappears.
 *   5. if every edge into B passes v, every path into B passes through v's
 *      definition on the way to the edge, so v dominates B.
 * The entry block is never a branch target, so its parameters (the
 * function's) are never touched. */
#include "opt_internal.h"

#include <string.h>

typedef struct Simplify {
    IrFunc *f;
    PassCtx *cx;
    OptSubst subst;
} Simplify;

static IrInst term_of(const IrFunc *f, IrBlock b)
{
    IrInst t = ir_block_last_inst(f, b);
    return t.id && ir_op_has(ir_inst_op(f, t), IR_F_TERM) ? t : IR_NO_INST;
}

/* Copies the arguments of destination k out of the pool (which may move
 * when new destinations are written). */
static IrValue *dest_args(IrFunc *f, IrInst t, uint32_t k, uint32_t *n)
{
    *n = ir_inst_dest_num_args(f, t, k);
    IrValue *a = arena_array(&f->arena, *n ? *n : 1, sizeof *a);
    for (uint32_t j = 0; j < *n; j++)
        a[j] = ir_inst_dest_arg(f, t, k, j);
    return a;
}

static bool same_dest(IrFunc *f, IrInst t, uint32_t a, uint32_t b)
{
    if (ir_inst_dest(f, t, a).id != ir_inst_dest(f, t, b).id)
        return false;
    uint32_t n = ir_inst_dest_num_args(f, t, a);
    if (n != ir_inst_dest_num_args(f, t, b))
        return false;
    for (uint32_t j = 0; j < n; j++)
        if (ir_inst_dest_arg(f, t, a, j).id != ir_inst_dest_arg(f, t, b, j).id)
            return false;
    return true;
}

/* Replaces terminator t by a jump to its destination k. */
static void to_jump(IrFunc *f, IrInst t, uint32_t k)
{
    uint32_t n;
    IrValue *args = dest_args(f, t, k, &n);
    IrBuilder b;
    ir_builder_before(&b, f, t);
    b.srcloc = f->srclocs[t.id];
    ir_ins_jump(&b, ir_inst_dest(f, t, k), args, n);
    ir_layout_remove_inst(f, t);
}

/* 1. */
static bool fold_branches(Simplify *s)
{
    IrFunc *f = s->f;
    bool changed = false;
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        IrInst t = term_of(f, b);
        if (!t.id)
            continue;
        IrOpcode op = ir_inst_op(f, t);
        if (op != IR_OP_BRIF && op != IR_OP_BR_TABLE)
            continue;
        uint32_t nd = ir_inst_num_dests(f, t), pick = UINT32_MAX;
        uint64_t c;
        if (opt_value_const(f, ir_inst_arg(f, t, 0), &c)) {
            uint32_t idx = (uint32_t)c; /* the condition/index is an i32 */
            if (op == IR_OP_BRIF)
                pick = idx ? 0 : 1;
            else
                pick = idx < nd - 1 ? idx + 1 : 0; /* dest 0 is the default */
        } else {
            uint32_t k = 1;
            while (k < nd && same_dest(f, t, 0, k))
                k++;
            if (k == nd)
                pick = 0;
        }
        if (pick != UINT32_MAX) {
            to_jump(f, t, pick);
            changed = true;
        }
    }
    return changed;
}

/* 2. */
static bool remove_unreachable(Simplify *s)
{
    IrFunc *f = s->f;
    IrDomTree *d = ir_compute_domtree(f, ir_compute_cfg(f));
    bool changed = false;
    for (IrBlock b = ir_func_entry(f), next; b.id; b = next) {
        next = ir_block_next(f, b);
        if (b.id != f->first_block && !ir_dom_is_reachable(d, b)) {
            ir_layout_remove_block(f, b);
            changed = true;
        }
    }
    return changed;
}

/* 3. */
static bool thread_jumps(Simplify *s, uint32_t *uses)
{
    IrFunc *f = s->f;
    bool changed = false;
    /* fwd[b] = the jump of b if b is a threadable forwarder. */
    uint32_t *fwd = arena_array(&f->arena, f->nblocks, sizeof *fwd);
    for (IrBlock b = ir_block_next(f, ir_func_entry(f)); b.id; b = ir_block_next(f, b)) {
        IrInst t = ir_block_first_inst(f, b);
        if (!t.id || t.id != ir_block_last_inst(f, b).id || ir_inst_op(f, t) != IR_OP_JUMP ||
            ir_inst_dest(f, t, 0).id == b.id)
            continue;
        /* Every use of b's parameters must be in this jump. */
        bool ok = true;
        uint32_t na = ir_inst_dest_num_args(f, t, 0);
        for (uint32_t k = 0; ok && k < ir_block_num_params(f, b); k++) {
            IrValue p = ir_block_param(f, b, k);
            uint32_t here = 0;
            for (uint32_t j = 0; j < na; j++)
                here += ir_inst_dest_arg(f, t, 0, j).id == p.id;
            ok = uses[p.id] == here;
        }
        if (ok)
            fwd[b.id] = t.id;
    }
    for (IrBlock p = ir_func_entry(f); p.id; p = ir_block_next(f, p)) {
        IrInst t = term_of(f, p);
        uint32_t nd = t.id ? ir_inst_num_dests(f, t) : 0;
        for (uint32_t k = 0; k < nd; k++) {
            IrBlock b = ir_inst_dest(f, t, k);
            /* Not through p's own forwarding jump (a forwarder to itself
             * via another forwarder would loop forever). */
            if (!fwd[b.id] || fwd[b.id] == t.id)
                continue;
            IrInst j = ir_inst(fwd[b.id]);
            IrBlock c = ir_inst_dest(f, j, 0);
            if (fwd[c.id] && ir_inst_dest(f, ir_inst(fwd[c.id]), 0).id == b.id)
                continue; /* a cycle of empty blocks: leave it */
            uint32_t nin, nout;
            IrValue *in = dest_args(f, t, k, &nin);
            IrValue *out = dest_args(f, j, 0, &nout);
            for (uint32_t a = 0; a < nout; a++) {
                const IrValueData *vd = &f->values[out[a].id];
                if (vd->kind == IR_VAL_PARAM && vd->def == b.id)
                    out[a] = in[vd->num];
            }
            ir_inst_set_dest(f, t, k, c, out, nout);
            changed = true;
        }
    }
    return changed;
}

/* 4. */
static bool merge_blocks(Simplify *s)
{
    IrFunc *f = s->f;
    IrCfg *cfg = ir_compute_cfg(f);
    /* into[b]: the block b's instructions were appended to, 0 if none. */
    uint32_t *into = arena_array(&f->arena, f->nblocks, sizeof *into);
    bool changed = false;
    for (IrBlock b = ir_block_next(f, ir_func_entry(f)), next; b.id; b = next) {
        next = ir_block_next(f, b);
        if (cfg->preds[b.id].n != 1)
            continue;
        uint32_t p = cfg->preds[b.id].ids[0];
        while (into[p])
            p = into[p];
        IrInst t = term_of(f, ir_block(p));
        if (p == b.id || !t.id || ir_inst_op(f, t) != IR_OP_JUMP || ir_inst_dest(f, t, 0).id != b.id)
            continue;
        uint32_t n = ir_block_num_params(f, b);
        for (uint32_t k = 0; k < n; k++)
            opt_subst_set(&s->subst, ir_block_param(f, b, k), ir_inst_dest_arg(f, t, 0, k));
        ir_layout_remove_inst(f, t);
        for (IrInst i = ir_block_first_inst(f, b), ni; i.id; i = ni) {
            ni = ir_inst_next(f, i);
            ir_layout_remove_inst(f, i);
            ir_layout_append_inst(f, ir_block(p), i);
        }
        ir_layout_remove_block(f, b);
        into[b.id] = p;
        changed = true;
    }
    return changed;
}

/* 5. */
typedef struct Edge {
    uint32_t inst, dest;
} Edge;

static bool simplify_params(Simplify *s)
{
    IrFunc *f = s->f;
    opt_subst_apply(f, &s->subst);
    uint32_t *uses = ir_compute_use_counts(f);
    /* Incoming edges per block, as a CSR array. */
    uint32_t *cnt = arena_array(&f->arena, f->nblocks + 1, sizeof *cnt);
    uint32_t nedges = 0;
    for (IrBlock p = ir_func_entry(f); p.id; p = ir_block_next(f, p)) {
        IrInst t = term_of(f, p);
        for (uint32_t k = 0, nd = t.id ? ir_inst_num_dests(f, t) : 0; k < nd; k++, nedges++)
            cnt[ir_inst_dest(f, t, k).id + 1]++;
    }
    for (uint32_t b = 1; b <= f->nblocks; b++)
        cnt[b] += cnt[b - 1];
    Edge *edges = arena_array(&f->arena, nedges ? nedges : 1, sizeof *edges);
    uint32_t *fill = arena_array(&f->arena, f->nblocks, sizeof *fill);
    for (IrBlock p = ir_func_entry(f); p.id; p = ir_block_next(f, p)) {
        IrInst t = term_of(f, p);
        for (uint32_t k = 0, nd = t.id ? ir_inst_num_dests(f, t) : 0; k < nd; k++) {
            uint32_t b = ir_inst_dest(f, t, k).id;
            edges[cnt[b] + fill[b]++] = (Edge){ t.id, k };
        }
    }
    bool changed = false;
    bool *drop = arena_array(&f->arena, IR_MAX_DEFS + 1, sizeof *drop);
    for (IrBlock b = ir_block_next(f, ir_func_entry(f)); b.id; b = ir_block_next(f, b)) {
        uint32_t np = ir_block_num_params(f, b), e0 = cnt[b.id], e1 = cnt[b.id + 1];
        if (!np || e0 == e1)
            continue;
        uint32_t ndrop = 0;
        for (uint32_t k = 0; k < np; k++) {
            IrValue p = ir_block_param(f, b, k), same = IR_NO_VALUE;
            bool single = true;
            uint32_t self = 0; /* uses of p that pass it back to b */
            for (uint32_t e = e0; e < e1; e++) {
                IrValue a = ir_inst_dest_arg(f, ir_inst(edges[e].inst), edges[e].dest, k);
                if (a.id == p.id) {
                    self++;
                    continue;
                }
                if (same.id && a.id != same.id)
                    single = false;
                same = a;
            }
            drop[k] = false;
            bool unused = uses[p.id] == self;
            if (unused || (single && same.id)) {
                if (!unused)
                    opt_subst_set(&s->subst, p, same);
                drop[k] = true;
                ndrop++;
            }
        }
        if (!ndrop)
            continue;
        for (uint32_t e = e0; e < e1; e++) {
            IrInst t = ir_inst(edges[e].inst);
            uint32_t n, m = 0;
            IrValue *a = dest_args(f, t, edges[e].dest, &n);
            for (uint32_t k = 0; k < n; k++)
                if (!drop[k])
                    a[m++] = a[k];
            ir_inst_set_dest(f, t, edges[e].dest, b, a, m);
        }
        for (uint32_t k = np; k-- > 0;)
            if (drop[k])
                ir_block_remove_param(f, b, k);
        changed = true;
    }
    opt_subst_apply(f, &s->subst);
    return changed;
}

bool opt_simplifycfg(IrFunc *f, PassCtx *cx)
{
    Simplify s = { .f = f, .cx = cx };
    bool any = false;
    /* Each round only removes edges, blocks or parameters, so this ends;
     * the bound is a safety net. */
    for (int round = 0; round < 64; round++) {
        opt_subst_init(f, &s.subst);
        bool changed = fold_branches(&s);
        changed |= remove_unreachable(&s);
        changed |= thread_jumps(&s, ir_compute_use_counts(f));
        changed |= remove_unreachable(&s);
        changed |= merge_blocks(&s);
        changed |= simplify_params(&s);
        if (changed)
            opt_cfg_changed(cx);
        any |= changed;
        if (!changed)
            break;
    }
    return any;
}
