/* Helpers shared by the passes of opt/ and by nobody else: value
 * substitution, constants, dominator-tree children, a scoped hash map. */
#ifndef WASMC_OPT_INTERNAL_H
#define WASMC_OPT_INTERNAL_H

#include "opt.h"

/* ---- Value substitution -------------------------------------------------------
 * Passes record "every use of v now means w" here instead of calling
 * ir_replace_uses (a full sweep per value) and rewrite all operands once at
 * the end with opt_subst_apply. Chains (a->b, b->c) are followed. Values
 * created after init map to themselves. Invariant kept by the passes: w
 * dominates every use of v, so the rewrite keeps SSA valid. */
typedef struct OptSubst {
    uint32_t *to; /* by value id: replacement, 0 = none */
    uint32_t n;
    bool any;
} OptSubst;

void opt_subst_init(IrFunc *f, OptSubst *s);
void opt_subst_set(OptSubst *s, IrValue from, IrValue to);
IrValue opt_subst_get(OptSubst *s, IrValue v);
/* Rewrites operands and branch arguments of one instruction. */
void opt_subst_inst(IrFunc *f, OptSubst *s, IrInst i);
/* Rewrites every instruction in the layout; returns whether any was set. */
bool opt_subst_apply(IrFunc *f, OptSubst *s);

/* ---- Facts about values -------------------------------------------------------- */

/* The instruction defining v, or IR_NO_INST for a block parameter. */
IrInst opt_def_inst(const IrFunc *f, IrValue v);
/* The block where v is defined (its inst's block, or the param's block). */
IrBlock opt_def_block(const IrFunc *f, IrValue v);
/* v is an iconst/f32const/f64const result: *bits gets its bits
 * (iconst.i32 zero-extended). */
bool opt_value_const(const IrFunc *f, IrValue v, uint64_t *bits);
/* Is the opcode a constant (CONST or VCONST format)? */
bool opt_op_is_const(IrOpcode op);

/* ---- Dominator tree children ------------------------------------------------- */
typedef struct OptDomKids {
    uint32_t *first; /* by block id: first child, 0 if none */
    uint32_t *next;  /* by block id: next sibling */
} OptDomKids;
void opt_dom_kids(IrFunc *f, const IrDomTree *d, OptDomKids *k);

/* ---- A scoped hash map ----------------------------------------------------------
 * Keys are 8 words; values are nonzero uint32. Entries are removed in LIFO
 * order by opt_map_pop(mark), which is what a dominator-tree walk needs:
 * the entry being removed is always at the head of its bucket chain,
 * because anything inserted after it was popped first. */
typedef struct OptKey {
    uint32_t w[8];
} OptKey;

typedef struct OptMapNode {
    OptKey key;
    uint32_t val;
    uint32_t next;   /* next node in the bucket chain, 0 = end (node 0 unused) */
    uint32_t bucket;
} OptMapNode;

typedef struct OptMap {
    uint32_t *heads; /* by bucket: first node */
    uint32_t mask;   /* nbuckets - 1 */
    OptMapNode *nodes;
    uint32_t n, cap;
} OptMap;

void opt_map_init(OptMap *m, uint32_t expected);
void opt_map_free(OptMap *m);
static inline uint32_t opt_map_mark(const OptMap *m) { return m->n; }
void opt_map_pop(OptMap *m, uint32_t mark);
uint32_t opt_map_find(const OptMap *m, const OptKey *k); /* 0 if absent */
/* Visits the reachable blocks in dominator-tree preorder, iteratively; what
 * a block's visit inserts into `map` is popped when its subtree is done, so
 * every visit sees exactly the entries of its dominators (GVN, BCE). */
void opt_dom_walk_scoped(IrFunc *f, const IrDomTree *d, OptMap *map, void (*visit)(void *ctx, IrBlock b),
                         void *ctx);
/* Inserts (shadowing any equal key until popped). */
void opt_map_insert(OptMap *m, const OptKey *k, uint32_t val);

/* A key for a pure single-result instruction, with operands already
 * substituted and ordered (commutative ops). False if the instruction is
 * not a candidate for value numbering. */
bool opt_pure_key(const IrFunc *f, IrInst i, OptKey *k);

#endif
