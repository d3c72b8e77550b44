/* Analyses computed on demand: CFG predecessors/successors, the dominator
 * tree, and use counts. Results live in the function's arena; nothing is
 * cached, so a pass that changes the CFG simply recomputes.
 *
 * The dominator tree is Cooper, Harvey & Kennedy, "A Simple, Fast Dominance
 * Algorithm" (Software Practice & Experience, 2001): iterate
 * idom(b) = intersect(processed preds of b) over reverse postorder until
 * nothing changes, where intersect walks the two candidates up the current
 * tree by RPO number. */
#include "ir_internal.h"

#include <assert.h>

/* A successor edge is followed only to a block that exists and is in the
 * layout; anything else is the verifier's to report. */
static bool edge_ok(const IrFunc *f, IrBlock b)
{
    return ir_block_is_valid(f, b) && f->blocks[b.id].inserted;
}

static IrInst terminator(const IrFunc *f, IrBlock b)
{
    IrInst last = ir_block_last_inst(f, b);
    return last.id && ir_op_has(ir_inst_op(f, last), IR_F_TERM) ? last : IR_NO_INST;
}

IrCfg *ir_compute_cfg(IrFunc *f)
{
    Arena *a = &f->arena;
    uint32_t nb = f->nblocks;
    IrCfg *cfg = arena_alloc(a, sizeof *cfg);
    cfg->nblocks = nb;
    cfg->preds = arena_array(a, nb, sizeof *cfg->preds);
    cfg->succs = arena_array(a, nb, sizeof *cfg->succs);
    /* seen[s] == b+1 marks "edge b->s already recorded". */
    uint32_t *seen = arena_array(a, nb, sizeof *seen);
    uint32_t *npred = arena_array(a, nb, sizeof *npred);

    /* Pass 1: successors (deduplicated) and predecessor counts. */
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        IrInst t = terminator(f, b);
        uint32_t nd = t.id ? ir_inst_num_dests(f, t) : 0;
        IrBlockList *sl = &cfg->succs[b.id];
        sl->ids = arena_array(a, nd, sizeof *sl->ids);
        for (uint32_t k = 0; k < nd; k++) {
            IrBlock s = ir_inst_dest(f, t, k);
            if (!edge_ok(f, s) || seen[s.id] == b.id)
                continue;
            seen[s.id] = b.id;
            sl->ids[sl->n++] = s.id;
            npred[s.id]++;
        }
    }
    for (uint32_t id = 1; id < nb; id++)
        cfg->preds[id].ids = arena_array(a, npred[id], sizeof(uint32_t));
    /* Pass 2: predecessors, in layout order of the source block. */
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        const IrBlockList *sl = &cfg->succs[b.id];
        for (uint32_t k = 0; k < sl->n; k++) {
            IrBlockList *pl = &cfg->preds[sl->ids[k]];
            pl->ids[pl->n++] = b.id;
        }
    }
    return cfg;
}

static uint32_t intersect(const IrDomTree *d, uint32_t b1, uint32_t b2)
{
    while (b1 != b2) {
        while (d->rpo_num[b1] > d->rpo_num[b2])
            b1 = d->idom[b1];
        while (d->rpo_num[b2] > d->rpo_num[b1])
            b2 = d->idom[b2];
    }
    return b1;
}

/* Numbers the dominator tree by an iterative DFS (children found through a
 * counting sort of idom), giving each reachable block the interval
 * [dfs_in, dfs_out] that contains exactly the intervals of the blocks it
 * dominates. */
static void number_tree(Arena *a, IrDomTree *d, uint32_t entry)
{
    uint32_t nb = d->nblocks;
    d->dfs_in = arena_array(a, nb, sizeof *d->dfs_in);
    d->dfs_out = arena_array(a, nb, sizeof *d->dfs_out);
    uint32_t *first = arena_array(a, (size_t)nb + 1, sizeof *first); /* child list starts */
    uint32_t *kids = arena_array(a, nb ? nb : 1, sizeof *kids);
    for (uint32_t k = 0; k < d->nrpo; k++)
        if (d->idom[d->rpo[k]])
            first[d->idom[d->rpo[k]] + 1]++;
    for (uint32_t b = 0; b < nb; b++)
        first[b + 1] += first[b];
    uint32_t *fill = arena_array(a, nb ? nb : 1, sizeof *fill);
    for (uint32_t k = 0; k < d->nrpo; k++) {
        uint32_t b = d->rpo[k], p = d->idom[b];
        if (p)
            kids[first[p] + fill[p]++] = b;
    }
    uint32_t *stack = arena_array(a, nb ? nb : 1, sizeof *stack);
    uint32_t *next = fill; /* reused: next child to visit */
    for (uint32_t b = 0; b < nb; b++)
        next[b] = 0;
    uint32_t sp = 0, clock = 0;
    stack[sp++] = entry;
    d->dfs_in[entry] = ++clock;
    while (sp) {
        uint32_t b = stack[sp - 1];
        if (first[b] + next[b] < first[b + 1]) {
            uint32_t c = kids[first[b] + next[b]++];
            d->dfs_in[c] = ++clock;
            stack[sp++] = c;
        } else {
            d->dfs_out[b] = ++clock;
            sp--;
        }
    }
}

IrDomTree *ir_compute_domtree(IrFunc *f, const IrCfg *cfg)
{
    Arena *a = &f->arena;
    uint32_t nb = cfg->nblocks;
    IrDomTree *d = arena_alloc(a, sizeof *d);
    d->nblocks = nb;
    d->idom = arena_array(a, nb, sizeof *d->idom);
    d->rpo_num = arena_array(a, nb, sizeof *d->rpo_num);
    d->rpo = arena_array(a, nb, sizeof *d->rpo);
    uint32_t entry = f->first_block;
    if (!entry)
        return d;

    /* Iterative DFS for the postorder: a stack of (block, next succ index). */
    uint32_t *stack = arena_array(a, nb, sizeof *stack);
    uint32_t *next_succ = arena_array(a, nb, sizeof *next_succ);
    bool *visited = arena_array(a, nb, sizeof *visited);
    uint32_t *post = arena_array(a, nb, sizeof *post);
    uint32_t sp = 0, npost = 0;
    stack[sp++] = entry;
    visited[entry] = true;
    while (sp) {
        uint32_t b = stack[sp - 1];
        const IrBlockList *sl = &cfg->succs[b];
        if (next_succ[b] < sl->n) {
            uint32_t s = sl->ids[next_succ[b]++];
            if (!visited[s]) {
                visited[s] = true;
                stack[sp++] = s;
            }
        } else {
            post[npost++] = b;
            sp--;
        }
    }
    for (uint32_t k = 0; k < npost; k++) {
        uint32_t b = post[npost - 1 - k];
        d->rpo[k] = b;
        d->rpo_num[b] = k + 1;
    }
    d->nrpo = npost;

    /* idom[entry] = entry while iterating so intersect() terminates there. */
    d->idom[entry] = entry;
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t k = 1; k < d->nrpo; k++) {
            uint32_t b = d->rpo[k];
            const IrBlockList *pl = &cfg->preds[b];
            uint32_t nid = 0;
            for (uint32_t j = 0; j < pl->n; j++) {
                uint32_t p = pl->ids[j];
                if (!d->idom[p])
                    continue; /* unprocessed or unreachable */
                nid = nid ? intersect(d, p, nid) : p;
            }
            if (nid && d->idom[b] != nid) {
                d->idom[b] = nid;
                changed = true;
            }
        }
    }
    d->idom[entry] = 0;
    number_tree(a, d, entry);
    return d;
}

bool ir_dom_dominates(const IrDomTree *d, IrBlock a, IrBlock b)
{
    if (!ir_dom_is_reachable(d, a) || !ir_dom_is_reachable(d, b))
        return false;
    return d->dfs_in[a.id] <= d->dfs_in[b.id] && d->dfs_out[b.id] <= d->dfs_out[a.id];
}

uint32_t *ir_compute_use_counts(IrFunc *f)
{
    uint32_t *uses = arena_array(&f->arena, f->nvalues, sizeof *uses);
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b)) {
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            if (ir_op(ir_inst_op(f, i))->format == IR_FMT_CONST)
                continue;
            uint32_t n = ir_inst_num_args(f, i);
            for (uint32_t k = 0; k < n; k++) {
                IrValue v = ir_inst_arg(f, i, k);
                if (v.id < f->nvalues)
                    uses[v.id]++;
            }
            uint32_t nd = ir_inst_num_dests(f, i);
            for (uint32_t k = 0; k < nd; k++) {
                uint32_t na = ir_inst_dest_num_args(f, i, k);
                for (uint32_t j = 0; j < na; j++) {
                    IrValue v = ir_inst_dest_arg(f, i, k, j);
                    if (v.id < f->nvalues)
                        uses[v.id]++;
                }
            }
        }
    }
    return uses;
}
