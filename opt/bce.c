/* bce: bounds-check elimination. A load or store whose trap code is
 * heap_oob becomes notrap when a dominating access to the same memory, with
 * the same address value and an end (static offset + access size) at least
 * as large, has already been checked (or was itself notrap, i.e. proven in
 * bounds):
 *     v3 = load.i64 heap_oob mem0[v1+8]      ; checks v1 + 16 <= length
 *     store.i32 heap_oob v2, mem0[v1+4]      ; v1 + 8 <= v1 + 16: notrap
 * The check of an access is "addr + offset + size <= length" (DESIGN.md 3;
 * codegen's explicit check, no wrap-around); the start addr + offset is
 * never below 0, so a smaller end at the same address is in bounds too.
 *
 * Why nothing kills the fact: a linear memory never shrinks (memory.grow
 * only adds pages, and there is no other way to change the length, shared
 * memories included), so a check that passed stays valid for the rest of the
 * function, across calls, stores and memory.grow. Dominance is what makes
 * "already checked" true: the dominating access ran (or trapped, and then
 * nothing after it runs).
 *
 * codegen already honours notrap: no explicit check (explicit strategy,
 * memory64, one-byte pages, large offsets) and no trap site. Under the guard
 * page strategy most accesses had no check to remove; the pass is still
 * sound there. A notrap access is removable when unused (dce), which is
 * right: it cannot trap. No later pass moves loads above the dominating
 * access (licm hoists only pure instructions).
 *
 * The walk is a dominator-tree preorder with a scoped map from (memory,
 * address value) to the largest checked end seen on the path from the
 * entry; entries are shadowed, not updated, so popping a subtree restores
 * the dominator's facts. */
#include "opt_internal.h"

#include <stdlib.h>

typedef struct Bce {
    IrFunc *f;
    OptMap map;
    uint64_t *ends; /* by map value - 1: the checked end */
    uint32_t nends, cap;
    bool changed;
} Bce;

/* Bytes an access touches. */
static uint64_t access_size(const IrFunc *f, IrInst i)
{
    switch (ir_inst_op(f, i)) {
    case IR_OP_ULOAD8:
    case IR_OP_SLOAD8:
    case IR_OP_ISTORE8: return 1;
    case IR_OP_ULOAD16:
    case IR_OP_SLOAD16:
    case IR_OP_ISTORE16: return 2;
    case IR_OP_ULOAD32:
    case IR_OP_SLOAD32:
    case IR_OP_ISTORE32: return 4;
    default: return ir_type_bytes(ir_inst_type(f, i));
    }
}

static void visit_block(Bce *s, IrBlock b);
static void visit_block_cb(void *ctx, IrBlock b) { visit_block(ctx, b); }

static void visit_block(Bce *s, IrBlock b)
{
    IrFunc *f = s->f;
    for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
        unsigned fmt = ir_op(ir_inst_op(f, i))->format;
        if (fmt != IR_FMT_LOAD && fmt != IR_FMT_STORE)
            continue;
        uint8_t code = ir_inst_code(f, i);
        if (code != IR_TRAP_HEAP_OOB && code != IR_TRAP_NONE)
            continue;
        uint64_t off = ir_inst_offset(f, i), size = access_size(f, i);
        if (off > UINT64_MAX - size)
            continue; /* can never be in bounds; keep its check */
        uint64_t end = off + size;
        OptKey k = { { 0 } };
        k.w[0] = 0xbce;
        k.w[1] = ir_inst_entity(f, i, 0);
        k.w[2] = ir_inst_arg(f, i, 0).id;
        uint32_t e = opt_map_find(&s->map, &k);
        uint64_t have = e ? s->ends[e - 1] : 0;
        if (e && end <= have) {
            if (code != IR_TRAP_NONE) {
                f->insts[i.id].code = IR_TRAP_NONE;
                s->changed = true;
            }
            continue;
        }
        if (s->nends == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 64;
            uint64_t *p = realloc(s->ends, s->cap * sizeof *p);
            if (!p)
                abort(); /* out of memory, like the arena */
            s->ends = p;
        }
        s->ends[s->nends++] = end;
        opt_map_insert(&s->map, &k, s->nends);
    }
}

bool opt_bce(IrFunc *f, PassCtx *cx)
{
    IrDomTree *d = opt_domtree(f, cx);
    if (!d->nrpo)
        return false;
    Bce s = { .f = f };
    opt_map_init(&s.map, 64);
    opt_dom_walk_scoped(f, d, &s.map, visit_block_cb, &s);
    opt_map_free(&s.map);
    free(s.ends);
    return s.changed;
}
