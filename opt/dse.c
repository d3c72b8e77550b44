/* dse: dead store elimination within a block.
 *
 * A store S is dead when a later store S2 in the same block writes the
 * same bytes (same memory, same address value, same offset, same opcode
 * and type) and nothing in between can observe S:
 *   - nothing in between may read that memory (loads of it, calls, bulk
 *     memory operations...);
 *   - nothing in between may trap or leave the function: after a trap the
 *     embedder can still read the memory, so S's bytes would be visible.
 * S2 itself traps exactly when S would have (same bytes, and memories never
 * shrink), so removing S only moves a heap_oob trap to S2, with nothing
 * observable in between; S2 must carry the same trap code, or notrap.
 *
 * The block is scanned backwards with a small set of "bytes certainly
 * overwritten later" (keys of later stores). A store whose key is in the
 * set is deleted; then, as for every instruction, the set is cut down:
 * anything that may trap, or writes or reads something other than plain
 * memory, clears it; a load of memory m drops m's entries. Calls therefore
 * keep every earlier store. Stores to shared memories are left alone. */
#include "opt_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct Later {
    uint32_t mem, addr, op, type, code;
    uint64_t off;
} Later;

typedef struct Dse {
    IrFunc *f;
    Later *set;
    uint32_t n, cap;
    bool changed;
} Dse;

static Later key_of(const IrFunc *f, IrInst i)
{
    return (Later){ ir_inst_entity(f, i, 0), ir_inst_arg(f, i, 0).id, ir_inst_op(f, i), ir_inst_type(f, i),
                    ir_inst_code(f, i), ir_inst_offset(f, i) };
}

/* Does a later store `l` overwrite exactly what `s` writes, trapping no
 * more often? */
static bool covers(const Later *l, const Later *s)
{
    return l->mem == s->mem && l->addr == s->addr && l->off == s->off && l->op == s->op && l->type == s->type &&
           (l->code == s->code || l->code == IR_TRAP_NONE);
}

static void drop_mem(Dse *d, uint32_t mem)
{
    uint32_t m = 0;
    for (uint32_t k = 0; k < d->n; k++)
        if (d->set[k].mem != mem)
            d->set[m++] = d->set[k];
    d->n = m;
}

static bool shared(const IrFunc *f, uint32_t mem)
{
    const IrMemoryDecl *m = ir_func_mem_decl(f, mem);
    return !m || m->shared;
}

static void scan_block(Dse *d, IrBlock b)
{
    IrFunc *f = d->f;
    d->n = 0; /* nothing is known past the end of the block */
    for (IrInst i = ir_block_last_inst(f, b), prev; i.id; i = prev) {
        prev = ir_inst_prev(f, i);
        IrOpcode op = ir_inst_op(f, i);
        unsigned fmt = ir_op(op)->format;
        if (fmt == IR_FMT_STORE) {
            Later s = key_of(f, i);
            if (shared(f, s.mem)) {
                d->n = 0;
                continue;
            }
            bool dead = false;
            for (uint32_t k = 0; k < d->n && !dead; k++)
                dead = covers(&d->set[k], &s);
            if (dead) {
                ir_layout_remove_inst(f, i);
                d->changed = true;
                continue;
            }
            /* S may trap: nothing before it may be hidden by stores after it. */
            if (ir_inst_can_trap(f, i))
                d->n = 0;
            if (d->n == d->cap) {
                d->cap = d->cap ? 2 * d->cap : 16;
                d->set = xrealloc(d->set, d->cap * sizeof *d->set);
            }
            /* The set is small in practice (stores between two reads). */
            if (d->n < 64)
                d->set[d->n++] = s;
        } else if (fmt == IR_FMT_LOAD) {
            if (ir_inst_can_trap(f, i))
                d->n = 0;
            else
                drop_mem(d, ir_inst_entity(f, i, 0));
        } else if (ir_inst_can_trap(f, i) || ir_op_has(op, IR_F_READS | IR_F_WRITES | IR_F_TERM)) {
            /* Pure instructions and global accesses cannot see memory... */
            if (op == IR_OP_GLOBAL_GET || op == IR_OP_GLOBAL_SET)
                continue;
            /* ...but everything else (calls, traps, bulk memory, memory
             * size and grow, tables, terminators) ends what we know. */
            d->n = 0;
        }
    }
}

bool opt_dse(IrFunc *f, PassCtx *cx)
{
    (void)cx;
    Dse d = { .f = f };
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b))
        scan_block(&d, b);
    free(d.set);
    return d.changed;
}
