/* rle: redundant load elimination and store-to-load forwarding within
 * extended basic blocks, for linear memory and globals.
 *
 * An extended basic block is a tree of blocks whose non-root members have a
 * single predecessor; the state at the end of a block therefore holds at
 * the start of each such successor. A depth-first walk of each tree keeps:
 *   - a scoped map from "what a load would read" (opcode, type, memory,
 *     address value, offset; or a global index) to the value it would get
 *     and the time (a counter) the fact was recorded;
 *   - clobber times: per memory, per global, and for everything. A fact is
 *     valid if it is newer than the clobbers of its class and of everything.
 * Clobber times are restored with an undo log when the walk leaves a
 * block, so siblings do not see each other's clobbers.
 *
 * Alias model: each linear memory is one alias class; a store to memory m
 * forgets every fact about m and then records what it stored (for a load
 * of the same opcode width, type, address and offset). global_set does the
 * same for its global. Calls and every other instruction that writes
 * (memory_grow, bulk memory, table operations, ...) forget everything.
 * Shared memories are left alone (another thread may write them).
 *
 * Traps: replacing a load by an earlier load or store of the same bytes is
 * safe even when the load is marked heap_oob: if the earlier access did not
 * trap, this one cannot (memories never shrink). Narrow stores (istore8..)
 * are not forwarded: that would need a truncation and an extension. */
#include "opt_internal.h"

#include <stdlib.h>

typedef struct Fact {
    uint32_t value;  /* the value a load would produce */
    uint32_t stamp;  /* when recorded */
} Fact;

typedef struct Undo {
    uint32_t slot, old;
} Undo;

typedef struct Rle {
    IrFunc *f;
    IrCfg *cfg;
    OptSubst subst;
    OptMap map;          /* key -> index into facts (1-based) */
    Fact *facts;
    uint32_t nfacts, cap_facts;
    uint32_t *clobber;   /* slot 0: everything; 1 + mem; 1 + nmems + global */
    Undo *undo;
    uint32_t nundo, cap_undo;
    uint32_t now;
    bool changed;
} Rle;

static void clobber(Rle *r, uint32_t slot)
{
    if (r->nundo == r->cap_undo) {
        r->cap_undo = r->cap_undo ? 2 * r->cap_undo : 64;
        r->undo = xrealloc(r->undo, r->cap_undo * sizeof *r->undo);
    }
    r->undo[r->nundo++] = (Undo){ slot, r->clobber[slot] };
    r->clobber[slot] = ++r->now;
}

static uint32_t mem_slot(const Rle *r, uint32_t mem) { return 1 + mem; }
static uint32_t global_slot(const Rle *r, uint32_t g) { return 1 + r->f->nmems + g; }

static void record(Rle *r, const OptKey *k, IrValue v)
{
    if (r->nfacts == r->cap_facts) {
        r->cap_facts = r->cap_facts ? 2 * r->cap_facts : 64;
        r->facts = xrealloc(r->facts, r->cap_facts * sizeof *r->facts);
    }
    r->facts[r->nfacts] = (Fact){ v.id, ++r->now };
    opt_map_insert(&r->map, k, ++r->nfacts);
}

/* The recorded value for k if still valid in class `slot`, else 0. */
static uint32_t lookup(const Rle *r, const OptKey *k, uint32_t slot)
{
    uint32_t x = opt_map_find(&r->map, k);
    if (!x)
        return 0;
    const Fact *fa = &r->facts[x - 1];
    return fa->stamp > r->clobber[0] && fa->stamp > r->clobber[slot] ? fa->value : 0;
}

static IrOpcode load_of_store(IrOpcode op) { return op == IR_OP_STORE ? IR_OP_LOAD : IR_OP_INVALID; }

static void mem_key(OptKey *k, IrOpcode load_op, IrType t, uint32_t mem, IrValue addr, uint64_t off)
{
    *k = (OptKey){ { 1u | (uint32_t)load_op << 8 | (uint32_t)t << 24, mem, addr.id, (uint32_t)off,
                     (uint32_t)(off >> 32), 0, 0, 0 } };
}

static bool mem_is_shared(const IrFunc *f, uint32_t mem)
{
    const IrMemoryDecl *m = ir_func_mem_decl(f, mem);
    return !m || m->shared;
}

static void replace(Rle *r, IrInst i, uint32_t v)
{
    opt_subst_set(&r->subst, ir_inst_result(r->f, i, 0), ir_value(v));
    ir_layout_remove_inst(r->f, i);
    r->changed = true;
}

static void visit_block(Rle *r, IrBlock b)
{
    IrFunc *f = r->f;
    for (IrInst i = ir_block_first_inst(f, b), next; i.id; i = next) {
        next = ir_inst_next(f, i);
        opt_subst_inst(f, &r->subst, i);
        IrOpcode op = ir_inst_op(f, i);
        unsigned fmt = ir_op(op)->format;
        OptKey k;
        if (fmt == IR_FMT_LOAD) {
            uint32_t mem = ir_inst_entity(f, i, 0);
            if (mem_is_shared(f, mem))
                continue;
            mem_key(&k, op, ir_inst_type(f, i), mem, ir_inst_arg(f, i, 0), ir_inst_offset(f, i));
            uint32_t v = lookup(r, &k, mem_slot(r, mem));
            if (v)
                replace(r, i, v);
            else
                record(r, &k, ir_inst_result(f, i, 0));
        } else if (fmt == IR_FMT_STORE) {
            uint32_t mem = ir_inst_entity(f, i, 0);
            clobber(r, mem_slot(r, mem));
            IrOpcode lop = load_of_store(op);
            if (lop != IR_OP_INVALID && !mem_is_shared(f, mem)) {
                mem_key(&k, lop, ir_inst_type(f, i), mem, ir_inst_arg(f, i, 0), ir_inst_offset(f, i));
                record(r, &k, ir_inst_arg(f, i, 1));
            }
        } else if (op == IR_OP_GLOBAL_GET) {
            uint32_t g = ir_inst_entity(f, i, 0);
            k = (OptKey){ { 2, g, 0, 0, 0, 0, 0, 0 } };
            uint32_t v = lookup(r, &k, global_slot(r, g));
            if (v)
                replace(r, i, v);
            else
                record(r, &k, ir_inst_result(f, i, 0));
        } else if (op == IR_OP_GLOBAL_SET) {
            uint32_t g = ir_inst_entity(f, i, 0);
            clobber(r, global_slot(r, g));
            k = (OptKey){ { 2, g, 0, 0, 0, 0, 0, 0 } };
            record(r, &k, ir_inst_arg(f, i, 0));
        } else if (ir_op_has(op, IR_F_WRITES)) {
            clobber(r, 0); /* calls, memory_grow, bulk memory, tables */
        }
    }
}

typedef struct Frame {
    uint32_t block, next_succ, map_mark, undo_mark;
} Frame;

/* Successor s continues b's extended block if b is its only predecessor. */
static bool ebb_child(const Rle *r, uint32_t s)
{
    return s != r->f->first_block && r->cfg->preds[s].n == 1;
}

bool opt_rle(IrFunc *f, PassCtx *cx)
{
    Rle r = { .f = f };
    r.cfg = opt_cfg(f, cx);
    IrDomTree *d = opt_domtree(f, cx);
    opt_subst_init(f, &r.subst);
    opt_map_init(&r.map, f->ninsts);
    r.clobber = arena_array(&f->arena, 1 + f->nmems + f->nglobals, sizeof *r.clobber);
    Frame *stack = arena_array(&f->arena, d->nrpo + 1, sizeof *stack);
    for (uint32_t n = 0; n < d->nrpo; n++) {
        uint32_t root = d->rpo[n];
        if (ebb_child(&r, root))
            continue; /* visited from its predecessor's tree */
        uint32_t sp = 0;
        stack[sp++] = (Frame){ root, 0, opt_map_mark(&r.map), r.nundo };
        visit_block(&r, ir_block(root));
        while (sp) {
            Frame *fr = &stack[sp - 1];
            const IrBlockList *sl = &r.cfg->succs[fr->block];
            if (fr->next_succ < sl->n) {
                uint32_t s = sl->ids[fr->next_succ++];
                if (!ebb_child(&r, s))
                    continue;
                stack[sp++] = (Frame){ s, 0, opt_map_mark(&r.map), r.nundo };
                visit_block(&r, ir_block(s));
                continue;
            }
            /* Leaving the block: forget its facts, restore clobber times. */
            opt_map_pop(&r.map, fr->map_mark);
            while (r.nundo > fr->undo_mark) {
                r.nundo--;
                r.clobber[r.undo[r.nundo].slot] = r.undo[r.nundo].old;
            }
            sp--;
        }
    }
    opt_map_free(&r.map);
    free(r.facts);
    free(r.undo);
    opt_subst_apply(f, &r.subst);
    return r.changed;
}
