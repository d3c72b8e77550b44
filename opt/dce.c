/* dce: deletes instructions whose results are all unused and that are
 * removable (ir_inst_is_removable: cannot trap, writes nothing, does not end
 * its block). An unused load that may trap out of bounds stays: it must
 * still trap. A load marked notrap (proven in bounds) may go.
 *
 * Use counts come from ir_compute_use_counts; a worklist then deletes dead
 * instructions and decrements their operands' counts, so chains of dead
 * instructions go in one run, in any order. Instructions in unreachable
 * blocks are counted like the others (simplifycfg deletes those blocks). */
#include "opt_internal.h"

typedef struct Dce {
    IrFunc *f;
    uint32_t *uses;  /* by value id */
    uint32_t *work;  /* instruction ids to look at */
    uint32_t nwork;
    bool *queued;    /* by inst id */
} Dce;

static bool is_dead(const Dce *d, IrInst i)
{
    IrFunc *f = d->f;
    if (!ir_inst_block(f, i).id || !ir_inst_is_removable(f, i))
        return false;
    uint32_t n = ir_inst_num_results(f, i);
    for (uint32_t k = 0; k < n; k++)
        if (d->uses[ir_inst_result(f, i, k).id])
            return false;
    return true;
}

static void push(Dce *d, IrInst i)
{
    if (!d->queued[i.id]) {
        d->queued[i.id] = true;
        d->work[d->nwork++] = i.id;
    }
}

bool opt_dce(IrFunc *f, PassCtx *cx)
{
    (void)cx;
    Dce d = { .f = f };
    d.uses = ir_compute_use_counts(f);
    d.work = arena_array(&f->arena, f->ninsts, sizeof *d.work);
    d.queued = arena_array(&f->arena, f->ninsts, sizeof *d.queued);
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b))
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i))
            if (is_dead(&d, i))
                push(&d, i);
    bool changed = false;
    while (d.nwork) {
        IrInst i = ir_inst(d.work[--d.nwork]);
        d.queued[i.id] = false;
        if (!is_dead(&d, i))
            continue;
        /* Removable instructions have no destinations: operands only. */
        if (!opt_op_is_const(ir_inst_op(f, i))) {
            uint32_t n = ir_inst_num_args(f, i);
            for (uint32_t k = 0; k < n; k++) {
                IrValue v = ir_inst_arg(f, i, k);
                if (v.id < f->nvalues && d.uses[v.id] && --d.uses[v.id] == 0) {
                    IrInst def = opt_def_inst(f, v);
                    if (def.id)
                        push(&d, def);
                }
            }
        }
        ir_layout_remove_inst(f, i);
        changed = true;
    }
    return changed;
}
