/* gvn: global value numbering of pure instructions, scoped by the
 * dominator tree (the classic "dominator-based value numbering" of Briggs,
 * Cooper & Simpson, 1997, without the phi part: block parameters are never
 * numbered).
 *
 * A preorder walk of the dominator tree keeps a scoped hash map from an
 * instruction's key (opcode, type, code, substituted operands, immediates;
 * commutative operands ordered: opt_pure_key) to the first instruction
 * with that key. When a later instruction has the same key, the first one
 * dominates it (it is in an enclosing scope or earlier in the same block),
 * so its result replaces the later one's, which is deleted. Leaving a
 * block pops everything it added, so a value is never reused in a block it
 * does not dominate.
 *
 * Only IR_F_PURE instructions take part: nothing that may trap, read or
 * write. Loads and global reads are rle's business. */
#include "opt_internal.h"

typedef struct Gvn {
    IrFunc *f;
    OptSubst subst;
    OptMap map;
    bool changed;
} Gvn;

static void number_block(Gvn *g, IrBlock b);
static void number_block_cb(void *ctx, IrBlock b) { number_block(ctx, b); }

static void number_block(Gvn *g, IrBlock b)
{
    IrFunc *f = g->f;
    for (IrInst i = ir_block_first_inst(f, b), next; i.id; i = next) {
        next = ir_inst_next(f, i);
        opt_subst_inst(f, &g->subst, i);
        OptKey k;
        if (!opt_pure_key(f, i, &k))
            continue;
        uint32_t leader = opt_map_find(&g->map, &k);
        if (leader) {
            opt_subst_set(&g->subst, ir_inst_result(f, i, 0), ir_inst_result(f, ir_inst(leader), 0));
            ir_layout_remove_inst(f, i);
            g->changed = true;
        } else {
            opt_map_insert(&g->map, &k, i.id);
        }
    }
}

bool opt_gvn(IrFunc *f, PassCtx *cx)
{
    Gvn g = { .f = f };
    IrDomTree *d = opt_domtree(f, cx);
    if (!d->nrpo)
        return false;
    opt_subst_init(f, &g.subst);
    opt_map_init(&g.map, f->ninsts);
    opt_dom_walk_scoped(f, d, &g.map, number_block_cb, &g);
    opt_map_free(&g.map);
    opt_subst_apply(f, &g.subst);
    return g.changed;
}
