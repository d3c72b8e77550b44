/* licm: loop-invariant code motion of pure instructions.
 *
 * Loops are natural loops: an edge T->H where H dominates T is a back edge
 * and H a header; the loop is H plus every block that reaches T without
 * passing H. Each header gets a preheader: its one outside predecessor
 * when that predecessor ends in a plain `jump H`, or else a new block that
 * takes H's parameters and jumps to H, with every outside edge retargeted
 * to it (the CFG then changes and the analyses are recomputed).
 *
 * Then, inner loops first (headers by decreasing RPO number: an outer
 * header dominates, so precedes, the inner ones), the loop's blocks are
 * scanned in RPO and every IR_F_PURE instruction whose operands are all
 * defined outside the loop moves to the end of the preheader, before its
 * jump. Pure instructions cannot trap, so executing them when the loop
 * body would not have run is safe. A hoisted instruction lands in the
 * preheader, which belongs to the enclosing loop, so it may move again.
 *
 * Not done in this version: loads (hoisting one needs proof that it
 * cannot trap, or that the loop body certainly runs and nothing in the loop
 * writes its memory), global reads, and anything that may trap
 * (divisions by a loop-invariant divisor). */
#include "opt_internal.h"

typedef struct Licm {
    IrFunc *f;
    PassCtx *cx;
    uint32_t *in_loop; /* by block id: header id of the loop being scanned */
    uint32_t *work;
    bool changed;
} Licm;

static bool is_back_edge(const IrDomTree *d, uint32_t from, uint32_t to)
{
    return ir_dom_is_reachable(d, ir_block(from)) && ir_dom_dominates(d, ir_block(to), ir_block(from));
}

/* Gives header h a preheader if it lacks one; true if the CFG changed. */
static bool make_preheader(Licm *l, IrCfg *cfg, IrDomTree *d, IrBlock h)
{
    IrFunc *f = l->f;
    const IrBlockList *pl = &cfg->preds[h.id];
    uint32_t outside = 0, last = 0;
    for (uint32_t k = 0; k < pl->n; k++)
        if (!is_back_edge(d, pl->ids[k], h.id) && ir_dom_is_reachable(d, ir_block(pl->ids[k]))) {
            outside++;
            last = pl->ids[k];
        }
    if (outside == 1) {
        IrInst t = ir_block_last_inst(f, ir_block(last));
        if (ir_inst_op(f, t) == IR_OP_JUMP)
            return false; /* `last` is the preheader */
    }
    if (outside == 0)
        return false;
    IrBlock p = ir_block_new(f);
    uint32_t np = ir_block_num_params(f, h);
    IrValue *args = arena_array(&f->arena, np ? np : 1, sizeof *args);
    for (uint32_t k = 0; k < np; k++)
        args[k] = ir_block_append_param(f, p, ir_value_type(f, ir_block_param(f, h, k)));
    ir_layout_insert_block_after(f, p, ir_block_prev(f, h));
    f->block_srclocs[p.id] = f->block_srclocs[h.id];
    IrBuilder b;
    ir_builder_at_end(&b, f, p);
    ir_ins_jump(&b, h, args, np);
    for (uint32_t k = 0; k < pl->n; k++) {
        uint32_t q = pl->ids[k];
        if (is_back_edge(d, q, h.id) || !ir_dom_is_reachable(d, ir_block(q)))
            continue;
        IrInst t = ir_block_last_inst(f, ir_block(q));
        for (uint32_t j = 0, nd = ir_inst_num_dests(f, t); j < nd; j++) {
            if (ir_inst_dest(f, t, j).id != h.id)
                continue;
            uint32_t na = ir_inst_dest_num_args(f, t, j);
            IrValue *a = arena_array(&f->arena, na ? na : 1, sizeof *a);
            for (uint32_t x = 0; x < na; x++)
                a[x] = ir_inst_dest_arg(f, t, j, x);
            ir_inst_set_dest(f, t, j, p, a, na);
        }
    }
    return true;
}

static bool defined_outside(Licm *l, IrValue v, uint32_t h)
{
    IrBlock b = opt_def_block(l->f, v);
    return l->in_loop[b.id] != h;
}

static void hoist_loop(Licm *l, IrCfg *cfg, IrDomTree *d, IrBlock h)
{
    IrFunc *f = l->f;
    /* The loop body: walk predecessors back from every back-edge tail. */
    uint32_t nwork = 0;
    l->in_loop[h.id] = h.id;
    const IrBlockList *pl = &cfg->preds[h.id];
    for (uint32_t k = 0; k < pl->n; k++)
        if (is_back_edge(d, pl->ids[k], h.id) && l->in_loop[pl->ids[k]] != h.id) {
            l->in_loop[pl->ids[k]] = h.id;
            l->work[nwork++] = pl->ids[k];
        }
    while (nwork) {
        uint32_t b = l->work[--nwork];
        const IrBlockList *bp = &cfg->preds[b];
        for (uint32_t k = 0; k < bp->n; k++) {
            uint32_t q = bp->ids[k];
            if (l->in_loop[q] != h.id && ir_dom_is_reachable(d, ir_block(q))) {
                l->in_loop[q] = h.id;
                l->work[nwork++] = q;
            }
        }
    }
    /* The preheader: the one outside predecessor (make_preheader ran). */
    IrBlock pre = IR_NO_BLOCK;
    for (uint32_t k = 0; k < pl->n; k++)
        if (l->in_loop[pl->ids[k]] != h.id && ir_dom_is_reachable(d, ir_block(pl->ids[k])))
            pre = ir_block(pl->ids[k]);
    if (!pre.id)
        return;
    IrInst pre_jump = ir_block_last_inst(f, pre);
    if (ir_inst_op(f, pre_jump) != IR_OP_JUMP)
        return;
    /* RPO order puts definitions before uses (except via parameters). */
    for (uint32_t r = d->rpo_num[h.id] - 1; r < d->nrpo; r++) {
        IrBlock b = ir_block(d->rpo[r]);
        if (l->in_loop[b.id] != h.id)
            continue;
        for (IrInst i = ir_block_first_inst(f, b), next; i.id; i = next) {
            next = ir_inst_next(f, i);
            IrOpcode op = ir_inst_op(f, i);
            if (!ir_op_has(op, IR_F_PURE))
                continue;
            bool inv = true;
            if (!opt_op_is_const(op))
                for (uint32_t k = 0, n = ir_inst_num_args(f, i); inv && k < n; k++)
                    inv = defined_outside(l, ir_inst_arg(f, i, k), h.id);
            if (!inv)
                continue;
            ir_layout_remove_inst(f, i);
            ir_layout_insert_inst_before(f, pre_jump, i);
            l->changed = true;
        }
    }
}

bool opt_licm(IrFunc *f, PassCtx *cx)
{
    Licm l = { .f = f, .cx = cx };
    /* Preheaders first; the CFG is recomputed once if any was added. */
    IrCfg *cfg = opt_cfg(f, cx);
    IrDomTree *d = opt_domtree(f, cx);
    bool added = false;
    for (uint32_t r = 0; r < d->nrpo; r++) {
        IrBlock h = ir_block(d->rpo[r]);
        const IrBlockList *pl = &cfg->preds[h.id];
        bool header = false;
        for (uint32_t k = 0; k < pl->n && !header; k++)
            header = is_back_edge(d, pl->ids[k], h.id);
        if (header)
            added |= make_preheader(&l, cfg, d, h);
    }
    if (added) {
        opt_cfg_changed(cx);
        cfg = opt_cfg(f, cx);
        d = opt_domtree(f, cx);
        l.changed = true;
    }
    l.in_loop = arena_array(&f->arena, f->nblocks, sizeof *l.in_loop);
    l.work = arena_array(&f->arena, f->nblocks, sizeof *l.work);
    /* Inner loops first: decreasing RPO number of the header. */
    for (uint32_t r = d->nrpo; r-- > 0;) {
        IrBlock h = ir_block(d->rpo[r]);
        const IrBlockList *pl = &cfg->preds[h.id];
        bool header = false;
        for (uint32_t k = 0; k < pl->n && !header; k++)
            header = is_back_edge(d, pl->ids[k], h.id);
        if (header)
            hoist_loop(&l, cfg, d, h);
    }
    return l.changed;
}
