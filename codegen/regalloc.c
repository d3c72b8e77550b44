/* Register allocation: linear scan with interval splitting.
 *
 * Algorithm: Wimmer & Franz, "Linear Scan Register Allocation on SSA Form"
 * (CGO 2010) and Wimmer & Mössenböck, "Optimized Interval Splitting in a
 * Linear Scan Register Allocator" (VEE 2005). Chosen because it keeps values
 * in registers across blocks and loops (intervals come from real liveness,
 * with holes), spills only under pressure, and splits an interval where a
 * register stops being free instead of spilling it whole -- which is exactly
 * how values live across calls: caller-saved registers are blocked by the
 * call's fixed clobber ranges, so a value either finds a callee-saved
 * register or is split before the call and reloaded at its next use. It is
 * linear in practice and simple enough to test on its own, unlike graph
 * colouring, and gives far better code than spilling every value.
 *
 * Steps:
 *   1. liveness: live-in sets per block by backward dataflow (block
 *      parameters are defined at block entry, edge arguments are uses at the
 *      end of the predecessor);
 *   2. intervals: one per vreg, a sorted list of ranges plus the positions
 *      of its uses (every use and def needs a register); fixed intervals
 *      per preg from preg operands, use/def masks and clobbers;
 *   3. allocation in order of interval start: take a register free for the
 *      whole interval (hint first, then best fit), else split where the
 *      best register stops being free, else evict the register whose next
 *      use is farthest (spilling the evicted interval until its next use),
 *      or spill the current one until its first use;
 *   4. resolution: moves where a split child changes location inside a
 *      block, a store right after the definition of every vreg that is ever
 *      on the stack (so moving a value to its slot later is free: SSA values
 *      never change), and parallel moves on every CFG edge for values whose
 *      location differs and for block parameters.
 *
 * Invariants: split children that live in a register start at an even
 * position (a move can only be placed between instructions) or at a block
 * start; children on the stack may start anywhere. The allocator never
 * evicts an interval used by the instruction at the current position. */
#include "regalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/arena.h"

#define INF UINT32_MAX

typedef struct Range {
    uint32_t from, to;
} Range;

typedef struct Interval {
    uint32_t vreg;      /* vreg, or preg for fixed intervals */
    Range *r;
    uint32_t nr, capr;  /* ascending after build */
    uint32_t *use;
    uint32_t nu, capu;  /* ascending positions needing a register */
    uint32_t reg;       /* assigned preg or CG_NO_REG */
    bool spilled;       /* lives in the vreg's slot */
    uint32_t next;      /* next split child, 0 = none */
} Interval;

typedef struct VregInfo {
    uint32_t hint_preg, hint_vreg;
    uint32_t def_inst;  /* defining instruction, or INF for block parameters */
    uint32_t def_block;
    uint32_t slot;      /* INF until needed */
} VregInfo;

typedef struct RA {
    MachFunc *mf;
    const CgRegInfo *ri;
    RegAllocResult *out;
    uint32_t nv;           /* number of vregs */
    Interval *iv;          /* [0] unused; [1..nv] the vregs' first intervals; then children */
    uint32_t niv, capiv;
    Interval fixed[64];
    VregInfo *vi;
    uint64_t **live_in;    /* per block bitset over vregs */
    uint32_t words;
    uint32_t *block_of;    /* inst -> block */
    uint8_t *is_block_start; /* inst -> 1 if first of a block */
    uint32_t *heap;        /* unhandled, min-heap by start */
    uint32_t nheap, capheap;
    uint32_t *active, nactive, *inactive, ninactive;
    char *err;
    size_t errlen;
    bool failed;
} RA;

static Interval *IV(RA *ra, uint32_t i) { return &ra->iv[i]; }
static uint32_t first_iv(uint32_t vreg) { return vreg - CG_FIRST_VREG + 1; }
static uint32_t iv_start(const Interval *it) { return it->nr ? it->r[0].from : INF; }
static uint32_t iv_end(const Interval *it) { return it->nr ? it->r[it->nr - 1].to : 0; }
static uint32_t even_floor(uint32_t p) { return p & ~1u; }

static void fail(RA *ra, const char *msg, uint32_t a)
{
    if (!ra->failed)
        snprintf(ra->err, ra->errlen, "regalloc: %s (%u)", msg, a);
    ra->failed = true;
}

/* ---- building ---------------------------------------------------------- */

/* During building, ranges and uses are appended in descending order (we
 * walk backwards) and reversed at the end. */
static void add_range(Interval *it, uint32_t from, uint32_t to)
{
    if (it->nr && it->r[it->nr - 1].from <= to) {
        Range *l = &it->r[it->nr - 1];
        if (from < l->from)
            l->from = from;
        if (to > l->to)
            l->to = to;
        return;
    }
    if (it->nr == it->capr) {
        it->capr = it->capr ? it->capr * 2 : 4;
        it->r = xrealloc(it->r, it->capr * sizeof *it->r);
    }
    it->r[it->nr++] = (Range){ from, to };
}

static void add_use(Interval *it, uint32_t pos)
{
    if (it->nu && it->use[it->nu - 1] == pos)
        return;
    if (it->nu == it->capu) {
        it->capu = it->capu ? it->capu * 2 : 4;
        it->use = xrealloc(it->use, it->capu * sizeof *it->use);
    }
    it->use[it->nu++] = pos;
}

static void reverse_iv(Interval *it)
{
    for (uint32_t i = 0, j = it->nr ? it->nr - 1 : 0; i < j; i++, j--) {
        Range t = it->r[i];
        it->r[i] = it->r[j];
        it->r[j] = t;
    }
    for (uint32_t i = 0, j = it->nu ? it->nu - 1 : 0; i < j; i++, j--) {
        uint32_t t = it->use[i];
        it->use[i] = it->use[j];
        it->use[j] = t;
    }
}

static bool bit(const uint64_t *s, uint32_t i) { return s[i / 64] >> (i % 64) & 1; }
static void set_bit(uint64_t *s, uint32_t i) { s[i / 64] |= 1ull << (i % 64); }
static void clr_bit(uint64_t *s, uint32_t i) { s[i / 64] &= ~(1ull << (i % 64)); }

static bool inst_has_tied_or_early(const MachInst *mi)
{
    for (uint32_t k = 0; k < mi->nopnds; k++)
        if (mi->opnd[k].kind == CG_DEF_TIED || mi->opnd[k].kind == CG_DEF_EARLY)
            return true;
    return false;
}

static bool is_def(uint8_t kind) { return kind == CG_DEF || kind == CG_DEF_EARLY || kind == CG_DEF_TIED; }

static void compute_liveness(RA *ra)
{
    MachFunc *mf = ra->mf;
    uint32_t W = ra->words;
    uint64_t *gen = xcalloc((size_t)mf->nblocks * W, 8), *kill = xcalloc((size_t)mf->nblocks * W, 8);
    ra->live_in = xcalloc(mf->nblocks, sizeof *ra->live_in);
    for (uint32_t b = 0; b < mf->nblocks; b++) {
        ra->live_in[b] = xcalloc(W ? W : 1, 8);
        MachBlock *mb = &mf->blocks[b];
        uint64_t *g = gen + (size_t)b * W, *k = kill + (size_t)b * W;
        for (uint32_t p = 0; p < mb->nparams; p++)
            set_bit(k, mb->params[p] - CG_FIRST_VREG);
        for (uint32_t i = mb->first; i < mb->first + mb->n; i++) {
            MachInst *mi = &mf->insts[i];
            for (uint32_t o = 0; o < mi->nopnds; o++)
                if (!is_def(mi->opnd[o].kind) && cg_is_vreg(mi->opnd[o].reg) &&
                    !bit(k, mi->opnd[o].reg - CG_FIRST_VREG))
                    set_bit(g, mi->opnd[o].reg - CG_FIRST_VREG);
            for (uint32_t o = 0; o < mi->nopnds; o++)
                if (is_def(mi->opnd[o].kind) && cg_is_vreg(mi->opnd[o].reg))
                    set_bit(k, mi->opnd[o].reg - CG_FIRST_VREG);
        }
    }
    uint64_t *out = xcalloc(W ? W : 1, 8);
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t b = mf->nblocks; b-- > 0;) {
            MachBlock *mb = &mf->blocks[b];
            memset(out, 0, W * 8);
            for (uint32_t s = 0; s < mb->nsuccs; s++) {
                MachSucc *sc = &mb->succs[s];
                for (uint32_t w = 0; w < W; w++)
                    out[w] |= ra->live_in[sc->block][w];
                for (uint32_t a = 0; a < sc->nargs; a++)
                    set_bit(out, mf->edge_args[sc->first_arg + a].src - CG_FIRST_VREG);
            }
            uint64_t *g = gen + (size_t)b * W, *k = kill + (size_t)b * W, *in = ra->live_in[b];
            for (uint32_t w = 0; w < W; w++) {
                uint64_t v = g[w] | (out[w] & ~k[w]);
                if (v != in[w]) {
                    in[w] = v;
                    changed = true;
                }
            }
        }
    }
    free(out);
    free(gen);
    free(kill);
}

static void live_out(RA *ra, uint32_t b, uint64_t *out)
{
    MachFunc *mf = ra->mf;
    MachBlock *mb = &mf->blocks[b];
    memset(out, 0, ra->words * 8);
    for (uint32_t s = 0; s < mb->nsuccs; s++) {
        MachSucc *sc = &mb->succs[s];
        for (uint32_t w = 0; w < ra->words; w++)
            out[w] |= ra->live_in[sc->block][w];
        for (uint32_t a = 0; a < sc->nargs; a++)
            set_bit(out, mf->edge_args[sc->first_arg + a].src - CG_FIRST_VREG);
    }
}

static void fixed_add(RA *ra, uint32_t p, uint32_t from, uint32_t to)
{
    if (p < 64 && ((ra->ri->allocatable[0] | ra->ri->allocatable[1]) >> p & 1))
        add_range(&ra->fixed[p], from, to);
}

static void build_intervals(RA *ra)
{
    MachFunc *mf = ra->mf;
    uint64_t *live = xcalloc(ra->words ? ra->words : 1, 8);
    uint32_t open_end[64];
    bool open[64];
    for (uint32_t b = mf->nblocks; b-- > 0;) {
        MachBlock *mb = &mf->blocks[b];
        uint32_t bfrom = 2 * mb->first, bto = 2 * (mb->first + mb->n);
        live_out(ra, b, live);
        for (uint32_t v = 0; v < ra->nv; v++)
            if (bit(live, v))
                add_range(IV(ra, v + 1), bfrom, bto);
        memset(open, 0, sizeof open);
        for (uint32_t i = mb->first + mb->n; i-- > mb->first;) {
            MachInst *mi = &mf->insts[i];
            /* defs */
            for (uint32_t o = 0; o < mi->nopnds; o++) {
                CgOperand *op = &mi->opnd[o];
                if (!is_def(op->kind))
                    continue;
                uint32_t pos = op->kind == CG_DEF_EARLY ? 2 * i : 2 * i + 1;
                if (cg_is_vreg(op->reg)) {
                    uint32_t v = op->reg - CG_FIRST_VREG;
                    Interval *it = IV(ra, v + 1);
                    if (bit(live, v))
                        it->r[it->nr - 1].from = pos;
                    else
                        add_range(it, pos, pos + 1);
                    add_use(it, pos);
                    clr_bit(live, v);
                    ra->vi[v].def_inst = i;
                    ra->vi[v].def_block = b;
                } else if (op->reg < 64) {
                    fixed_add(ra, op->reg, pos, open[op->reg] ? open_end[op->reg] : pos + 1);
                    open[op->reg] = false;
                }
            }
            for (uint32_t p = 0; p < 64; p++)
                if (mi->preg_defs >> p & 1) {
                    fixed_add(ra, p, 2 * i + 1, open[p] ? open_end[p] : 2 * i + 2);
                    open[p] = false;
                }
            for (uint32_t p = 0; p < 64; p++)
                if (mi->clobbers >> p & 1)
                    fixed_add(ra, p, 2 * i + 1, 2 * i + 2);
            /* uses */
            bool late_pregs = inst_has_tied_or_early(mi);
            for (uint32_t o = 0; o < mi->nopnds; o++) {
                CgOperand *op = &mi->opnd[o];
                if (is_def(op->kind))
                    continue;
                uint32_t end = op->kind == CG_USE_LATE ? 2 * i + 2 : 2 * i + 1;
                if (cg_is_vreg(op->reg)) {
                    uint32_t v = op->reg - CG_FIRST_VREG;
                    Interval *it = IV(ra, v + 1);
                    add_range(it, bfrom, end);
                    add_use(it, 2 * i);
                    set_bit(live, v);
                } else if (op->reg < 64 && !open[op->reg]) {
                    open[op->reg] = true;
                    open_end[op->reg] = late_pregs ? 2 * i + 2 : end;
                }
            }
            for (uint32_t p = 0; p < 64; p++)
                if ((mi->preg_uses >> p & 1) && !open[p]) {
                    open[p] = true;
                    open_end[p] = 2 * i + 1;
                }
        }
        for (uint32_t p = 0; p < 64; p++)
            if (open[p])
                fixed_add(ra, p, bfrom, open_end[p]);
        for (uint32_t k = 0; k < mb->nparams; k++) {
            uint32_t v = mb->params[k] - CG_FIRST_VREG;
            Interval *it = IV(ra, v + 1);
            if (bit(live, v))
                it->r[it->nr - 1].from = bfrom;
            clr_bit(live, v);
            ra->vi[v].def_inst = INF;
            ra->vi[v].def_block = b;
        }
    }
    free(live);
    for (uint32_t v = 1; v <= ra->nv; v++)
        reverse_iv(IV(ra, v));
    for (uint32_t p = 0; p < 64; p++)
        reverse_iv(&ra->fixed[p]);
}

static void compute_hints(RA *ra)
{
    MachFunc *mf = ra->mf;
    for (uint32_t i = 0; i < mf->ninsts; i++) {
        MachInst *mi = &mf->insts[i];
        if (mi->flags & CG_MI_MOVE) {
            uint32_t d = mi->opnd[0].reg, s = mi->opnd[1].reg;
            if (cg_is_vreg(d) && !cg_is_vreg(s))
                ra->vi[d - CG_FIRST_VREG].hint_preg = s;
            else if (cg_is_vreg(s) && !cg_is_vreg(d))
                ra->vi[s - CG_FIRST_VREG].hint_preg = d;
            else if (cg_is_vreg(s) && cg_is_vreg(d))
                ra->vi[d - CG_FIRST_VREG].hint_vreg = s;
            continue;
        }
        uint32_t in0 = CG_NO_REG;
        for (uint32_t o = 0; o < mi->nopnds; o++)
            if (!is_def(mi->opnd[o].kind)) {
                in0 = mi->opnd[o].reg;
                break;
            }
        for (uint32_t o = 0; o < mi->nopnds; o++)
            if (mi->opnd[o].kind == CG_DEF_TIED && cg_is_vreg(mi->opnd[o].reg) && in0 != CG_NO_REG) {
                if (cg_is_vreg(in0))
                    ra->vi[mi->opnd[o].reg - CG_FIRST_VREG].hint_vreg = in0;
                else
                    ra->vi[mi->opnd[o].reg - CG_FIRST_VREG].hint_preg = in0;
            }
    }
    for (uint32_t e = 0; e < mf->nedge_args; e++) {
        VregInfo *p = &ra->vi[mf->edge_args[e].dst - CG_FIRST_VREG];
        VregInfo *s = &ra->vi[mf->edge_args[e].src - CG_FIRST_VREG];
        if (p->hint_vreg == CG_NO_REG)
            p->hint_vreg = mf->edge_args[e].src;
        if (s->hint_vreg == CG_NO_REG)
            s->hint_vreg = mf->edge_args[e].dst;
    }
}

/* ---- interval queries ----------------------------------------------------- */

static bool covers(const Interval *it, uint32_t pos)
{
    for (uint32_t i = 0; i < it->nr; i++) {
        if (pos < it->r[i].from)
            return false;
        if (pos < it->r[i].to)
            return true;
    }
    return false;
}

/* First position covered by both, or INF. */
static uint32_t intersect(const Interval *a, const Interval *b)
{
    uint32_t i = 0, j = 0;
    while (i < a->nr && j < b->nr) {
        const Range *x = &a->r[i], *y = &b->r[j];
        uint32_t lo = x->from > y->from ? x->from : y->from;
        uint32_t hi = x->to < y->to ? x->to : y->to;
        if (lo < hi)
            return lo;
        if (x->to <= y->to)
            i++;
        else
            j++;
    }
    return INF;
}

static uint32_t next_use(const Interval *it, uint32_t pos)
{
    for (uint32_t i = 0; i < it->nu; i++)
        if (it->use[i] >= pos)
            return it->use[i];
    return INF;
}

/* Used by the instruction at pos (positions 2i and 2i+1 are instruction i):
 * such an interval cannot give up its register there. A use by the next
 * instruction can: a reload goes right before it. */
static bool used_near(const Interval *it, uint32_t pos)
{
    uint32_t i0 = even_floor(pos);
    for (uint32_t i = 0; i < it->nu; i++)
        if (it->use[i] >= i0 && it->use[i] <= i0 + 1)
            return true;
    return false;
}

/* Splits interval idx at pos: it keeps what lies before pos, the new child
 * (returned) the rest. pos must lie strictly inside the interval. */
static uint32_t split_at(RA *ra, uint32_t idx, uint32_t pos)
{
    if (ra->niv == ra->capiv) {
        ra->capiv *= 2;
        ra->iv = xrealloc(ra->iv, ra->capiv * sizeof *ra->iv);
    }
    uint32_t c = ra->niv++;
    Interval *it = IV(ra, idx), *ch = IV(ra, c);
    memset(ch, 0, sizeof *ch);
    ch->vreg = it->vreg;
    ch->reg = CG_NO_REG;
    uint32_t k = 0;
    while (k < it->nr && it->r[k].to <= pos)
        k++;
    /* ranges [k..) go to the child, the one containing pos is cut */
    ch->capr = it->nr - k + 1;
    ch->r = xmalloc(ch->capr * sizeof *ch->r);
    for (uint32_t j = k; j < it->nr; j++) {
        Range r = it->r[j];
        if (r.from < pos)
            r.from = pos;
        ch->r[ch->nr++] = r;
    }
    if (k < it->nr && it->r[k].from < pos) {
        it->r[k].to = pos;
        it->nr = k + 1;
    } else {
        it->nr = k;
    }
    uint32_t u = 0;
    while (u < it->nu && it->use[u] < pos)
        u++;
    for (uint32_t j = u; j < it->nu; j++)
        add_use(ch, it->use[j]);
    it->nu = u;
    ch->next = it->next;
    it->next = c;
    ra->out->nsplits++;
    return c;
}

/* ---- the unhandled queue ----------------------------------------------- */

static void heap_push(RA *ra, uint32_t idx)
{
    if (ra->nheap == ra->capheap) {
        ra->capheap = ra->capheap ? ra->capheap * 2 : 64;
        ra->heap = xrealloc(ra->heap, ra->capheap * sizeof *ra->heap);
    }
    uint32_t i = ra->nheap++;
    ra->heap[i] = idx;
    while (i && iv_start(IV(ra, ra->heap[(i - 1) / 2])) > iv_start(IV(ra, ra->heap[i]))) {
        uint32_t p = (i - 1) / 2, t = ra->heap[p];
        ra->heap[p] = ra->heap[i];
        ra->heap[i] = t;
        i = p;
    }
}

static uint32_t heap_pop(RA *ra)
{
    uint32_t top = ra->heap[0];
    ra->heap[0] = ra->heap[--ra->nheap];
    for (uint32_t i = 0;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < ra->nheap && iv_start(IV(ra, ra->heap[l])) < iv_start(IV(ra, ra->heap[m])))
            m = l;
        if (r < ra->nheap && iv_start(IV(ra, ra->heap[r])) < iv_start(IV(ra, ra->heap[m])))
            m = r;
        if (m == i)
            break;
        uint32_t t = ra->heap[m];
        ra->heap[m] = ra->heap[i];
        ra->heap[i] = t;
        i = m;
    }
    return top;
}

/* ---- allocation --------------------------------------------------------- */

static CgRegClass cls_of(RA *ra, const Interval *it) { return mach_vreg_class(ra->mf, it->vreg); }

/* The register the vreg hint names at the interval's start, or CG_NO_REG
 * (the preg hint, VregInfo.hint_preg, is the second choice: try_alloc_free). */
static uint32_t hint_reg(RA *ra, const Interval *cur)
{
    VregInfo *vi = &ra->vi[cur->vreg - CG_FIRST_VREG];
    if (vi->hint_vreg != CG_NO_REG) {
        uint32_t pos = iv_start(cur);
        uint32_t best = CG_NO_REG;
        for (uint32_t c = first_iv(vi->hint_vreg); c; c = IV(ra, c)->next) {
            Interval *h = IV(ra, c);
            if (h->reg == CG_NO_REG)
                continue;
            if (best == CG_NO_REG || (pos && covers(h, pos - 1)))
                best = h->reg;
        }
        if (best != CG_NO_REG)
            return best;
    }
    return CG_NO_REG;
}

static void spill_rest(RA *ra, uint32_t idx, uint32_t pos);

static bool try_alloc_free(RA *ra, uint32_t cur)
{
    Interval *it = IV(ra, cur);
    CgRegClass cls = cls_of(ra, it);
    uint32_t freeu[64];
    for (uint32_t r = 0; r < 64; r++)
        freeu[r] = INF;
    for (uint32_t a = 0; a < ra->nactive; a++)
        freeu[IV(ra, ra->active[a])->reg] = 0;
    for (uint32_t a = 0; a < ra->ninactive; a++) {
        Interval *o = IV(ra, ra->inactive[a]);
        uint32_t x = intersect(o, it);
        if (x < freeu[o->reg])
            freeu[o->reg] = x;
    }
    uint32_t start = iv_start(it), end = iv_end(it);
    for (uint32_t k = 0; k < ra->ri->norder[cls]; k++) {
        uint32_t r = ra->ri->order[cls][k];
        uint32_t x = intersect(&ra->fixed[r], it);
        if (x < freeu[r])
            freeu[r] = x;
    }
    /* hints: the register of a copy source / tied input (coalesces the copy),
     * else a fixed register the value is copied to or from (an argument or
     * result register) */
    uint32_t hints[2] = { hint_reg(ra, it), ra->vi[it->vreg - CG_FIRST_VREG].hint_preg };
    for (unsigned k = 0; k < 2; k++) {
        uint32_t h = hints[k];
        if (h < 64 && (ra->ri->allocatable[cls] >> h & 1) && freeu[h] >= end) {
            it->reg = h;
            return true;
        }
    }
    uint32_t best = CG_NO_REG, longest = CG_NO_REG;
    for (uint32_t k = 0; k < ra->ri->norder[cls]; k++) {
        uint32_t r = ra->ri->order[cls][k];
        if (freeu[r] >= end && (best == CG_NO_REG || freeu[r] < freeu[best]))
            best = r;
        if (longest == CG_NO_REG || freeu[r] > freeu[longest])
            longest = r;
    }
    if (best != CG_NO_REG) {
        it->reg = best;
        return true;
    }
    if (longest == CG_NO_REG)
        return false;
    uint32_t split = even_floor(freeu[longest]);
    if (split <= start || next_use(it, start) >= split)
        return false; /* not worth a register: nothing to use it for before it is taken */
    it->reg = longest;
    heap_push(ra, split_at(ra, cur, split));
    return true;
}

static void alloc_blocked(RA *ra, uint32_t cur)
{
    Interval *it = IV(ra, cur);
    CgRegClass cls = cls_of(ra, it);
    uint32_t start = iv_start(it);
    uint32_t use[64], blk[64];
    for (uint32_t r = 0; r < 64; r++)
        use[r] = blk[r] = INF;
    for (uint32_t a = 0; a < ra->nactive; a++) {
        Interval *o = IV(ra, ra->active[a]);
        uint32_t nu = used_near(o, start) ? 0 : next_use(o, start);
        if (nu < use[o->reg])
            use[o->reg] = nu;
    }
    for (uint32_t a = 0; a < ra->ninactive; a++) {
        Interval *o = IV(ra, ra->inactive[a]);
        if (intersect(o, it) == INF)
            continue;
        uint32_t nu = used_near(o, start) ? 0 : next_use(o, start);
        if (nu < use[o->reg])
            use[o->reg] = nu;
    }
    for (uint32_t k = 0; k < ra->ri->norder[cls]; k++) {
        uint32_t r = ra->ri->order[cls][k];
        uint32_t x = intersect(&ra->fixed[r], it);
        if (x < blk[r])
            blk[r] = x;
        if (x < use[r])
            use[r] = x;
    }
    uint32_t reg = CG_NO_REG;
    for (uint32_t k = 0; k < ra->ri->norder[cls]; k++) {
        uint32_t r = ra->ri->order[cls][k];
        if (reg == CG_NO_REG || use[r] > use[reg])
            reg = r;
    }
    uint32_t first = next_use(it, start);
    if (reg == CG_NO_REG || use[reg] < first) {
        /* Every register is needed before current's first use: spill current
         * until just before that use. */
        it->spilled = true;
        if (first != INF) {
            uint32_t sp = even_floor(first);
            if (sp <= start) {
                fail(ra, "no register for a use", first);
                return;
            }
            heap_push(ra, split_at(ra, cur, sp));
        }
        return;
    }
    if (blk[reg] <= start) {
        fail(ra, "register blocked at interval start", start);
        return;
    }
    it->reg = reg;
    if (blk[reg] < iv_end(it)) {
        uint32_t sp = even_floor(blk[reg]);
        if (sp <= start) {
            fail(ra, "no room before a fixed register use", sp);
            return;
        }
        heap_push(ra, split_at(ra, cur, sp));
    }
    /* Evict whoever else holds reg over current's lifetime. */
    for (uint32_t a = 0; a < ra->nactive; a++) {
        uint32_t o = ra->active[a];
        if (IV(ra, o)->reg != reg)
            continue;
        ra->active[a--] = ra->active[--ra->nactive];
        spill_rest(ra, o, start);
    }
    for (uint32_t a = 0; a < ra->ninactive; a++) {
        uint32_t o = ra->inactive[a];
        if (IV(ra, o)->reg != reg || intersect(IV(ra, o), IV(ra, cur)) == INF)
            continue;
        ra->inactive[a--] = ra->inactive[--ra->ninactive];
        spill_rest(ra, o, start);
    }
}

/* Interval idx loses its register from pos on: the part from pos lives in
 * the stack slot until just before its next use, which is queued again. */
static void spill_rest(RA *ra, uint32_t idx, uint32_t pos)
{
    uint32_t c = idx;
    if (pos > iv_start(IV(ra, idx)))
        c = split_at(ra, idx, pos);
    else
        IV(ra, idx)->reg = CG_NO_REG;
    Interval *ch = IV(ra, c);
    ch->reg = CG_NO_REG;
    if (iv_start(ch) > pos) {
        /* idx was in a hole at pos (inactive): the rest is not live here,
         * so it needs no slot; it is allocated again from its start (its
         * first use may be right there, e.g. a live-in value used by a
         * block's first instruction; resolution moves it across the edge). */
        heap_push(ra, c);
        return;
    }
    ch->spilled = true;
    uint32_t nu = next_use(ch, pos);
    if (nu != INF) {
        uint32_t sp = even_floor(nu);
        if (sp <= iv_start(ch)) {
            fail(ra, "evicted an interval used at once", nu);
            return;
        }
        heap_push(ra, split_at(ra, c, sp));
    }
}

static void linear_scan(RA *ra)
{
    for (uint32_t v = 1; v <= ra->nv; v++)
        if (IV(ra, v)->nr)
            heap_push(ra, v);
    ra->active = xmalloc((ra->niv + 64) * sizeof(uint32_t) * 4);
    ra->inactive = xmalloc((ra->niv + 64) * sizeof(uint32_t) * 4);
    uint32_t cap = (ra->niv + 64) * 4;
    while (ra->nheap && !ra->failed) {
        uint32_t cur = heap_pop(ra);
        uint32_t pos = iv_start(IV(ra, cur));
        for (uint32_t a = 0; a < ra->nactive; a++) {
            Interval *o = IV(ra, ra->active[a]);
            if (iv_end(o) <= pos) {
                ra->active[a--] = ra->active[--ra->nactive];
            } else if (!covers(o, pos)) {
                ra->inactive[ra->ninactive++] = ra->active[a];
                ra->active[a--] = ra->active[--ra->nactive];
            }
        }
        for (uint32_t a = 0; a < ra->ninactive; a++) {
            Interval *o = IV(ra, ra->inactive[a]);
            if (iv_end(o) <= pos) {
                ra->inactive[a--] = ra->inactive[--ra->ninactive];
            } else if (covers(o, pos)) {
                ra->active[ra->nactive++] = ra->inactive[a];
                ra->inactive[a--] = ra->inactive[--ra->ninactive];
            }
        }
        if (!try_alloc_free(ra, cur))
            alloc_blocked(ra, cur);
        if (IV(ra, cur)->reg != CG_NO_REG) {
            if (ra->nactive + ra->ninactive + 1 >= cap) {
                cap *= 2;
                ra->active = xrealloc(ra->active, cap * sizeof(uint32_t));
                ra->inactive = xrealloc(ra->inactive, cap * sizeof(uint32_t));
            }
            ra->active[ra->nactive++] = cur;
        }
    }
}

/* ---- resolution ----------------------------------------------------------- */

/* The chain member of vreg v covering pos (or, for a position in a hole,
 * nothing: returns 0). */
static uint32_t child_at(RA *ra, uint32_t vreg, uint32_t pos)
{
    for (uint32_t c = first_iv(vreg); c; c = IV(ra, c)->next)
        if (covers(IV(ra, c), pos))
            return c;
    return 0;
}

static uint32_t slot_of(RA *ra, uint32_t vreg)
{
    VregInfo *vi = &ra->vi[vreg - CG_FIRST_VREG];
    if (vi->slot == INF) {
        if (vreg == ra->mf->prestored_vreg)
            vi->slot = ra->mf->prestored_slot;
        else
            vi->slot = ra->out->nslots++;
        ra->out->nspilled_vregs++;
    }
    return vi->slot;
}

static CgLoc loc_of(RA *ra, uint32_t c)
{
    Interval *it = IV(ra, c);
    if (it->reg != CG_NO_REG)
        return (CgLoc){ 0, it->reg };
    return (CgLoc){ 1, slot_of(ra, it->vreg) };
}

static void add_move(RA *ra, uint8_t anchor, uint32_t block, uint32_t inst, CgLoc src, CgLoc dst, uint8_t cls)
{
    RegAllocResult *o = ra->out;
    if (cg_loc_eq(src, dst))
        return;
    CgMoveGroup *g = o->ngroups ? &o->groups[o->ngroups - 1] : NULL;
    if (!g || g->anchor != anchor || g->block != block || g->inst != inst || g->first + g->n != o->nmoves) {
        if (o->ngroups == o->cap_groups) {
            o->cap_groups = o->cap_groups ? o->cap_groups * 2 : 32;
            o->groups = xrealloc(o->groups, o->cap_groups * sizeof *o->groups);
        }
        g = &o->groups[o->ngroups++];
        *g = (CgMoveGroup){ anchor, block, inst, o->nmoves, 0 };
    }
    if (o->nmoves == o->cap_moves) {
        o->cap_moves = o->cap_moves ? o->cap_moves * 2 : 64;
        o->moves = xrealloc(o->moves, o->cap_moves * sizeof *o->moves);
    }
    o->moves[o->nmoves++] = (CgMove){ src, dst, cls };
    g->n++;
}

static int anchor_rank(uint8_t a)
{
    return a == CG_EDGE_IN_SUCC ? 0 : a == CG_AT_BLOCK_START ? 1 : a == CG_BEFORE_INST ? 2 : 3;
}

static int cmp_groups(const void *pa, const void *pb)
{
    const CgMoveGroup *a = pa, *b = pb;
    if (a->block != b->block)
        return a->block < b->block ? -1 : 1;
    if (anchor_rank(a->anchor) != anchor_rank(b->anchor))
        return anchor_rank(a->anchor) - anchor_rank(b->anchor);
    if (a->inst != b->inst)
        return a->inst < b->inst ? -1 : 1;
    return a->first < b->first ? -1 : a->first > b->first;
}

static void resolve(RA *ra)
{
    MachFunc *mf = ra->mf;
    /* Slots for every vreg with a stack part; stores right after defs. */
    for (uint32_t v = 0; v < ra->nv; v++) {
        uint32_t vreg = v + CG_FIRST_VREG;
        bool on_stack = false;
        for (uint32_t c = first_iv(vreg); c; c = IV(ra, c)->next)
            on_stack |= IV(ra, c)->spilled && IV(ra, c)->nr;
        if (!on_stack || vreg == mf->prestored_vreg)
            continue;
        VregInfo *vi = &ra->vi[v];
        uint8_t cls = (uint8_t)mach_vreg_class(mf, vreg);
        CgLoc slot = { 1, slot_of(ra, vreg) };
        if (vi->def_inst == INF) {
            uint32_t from = 2 * mf->blocks[vi->def_block].first;
            uint32_t c = child_at(ra, vreg, from);
            if (c && !IV(ra, c)->spilled)
                add_move(ra, CG_AT_BLOCK_START, vi->def_block, 0, loc_of(ra, c), slot, cls);
        } else {
            uint32_t c = child_at(ra, vreg, 2 * vi->def_inst + 1);
            if (c)
                add_move(ra, CG_BEFORE_INST, vi->def_block, vi->def_inst + 1, loc_of(ra, c), slot, cls);
        }
    }
    /* Moves between split children inside blocks. */
    for (uint32_t v = 0; v < ra->nv; v++) {
        uint32_t vreg = v + CG_FIRST_VREG;
        uint8_t cls = (uint8_t)mach_vreg_class(mf, vreg);
        for (uint32_t p = first_iv(vreg); p && IV(ra, p)->next; p = IV(ra, p)->next) {
            uint32_t c = IV(ra, p)->next;
            Interval *ch = IV(ra, c);
            if (!ch->nr || ch->spilled)
                continue;
            uint32_t pos = iv_start(ch);
            if ((pos & 1) || ra->is_block_start[pos / 2])
                continue; /* block starts: edge resolution */
            uint32_t src = child_at(ra, vreg, pos - 1);
            if (!src) {
                fail(ra, "split child without a live predecessor", pos);
                return;
            }
            add_move(ra, CG_BEFORE_INST, ra->block_of[pos / 2], pos / 2, loc_of(ra, src), loc_of(ra, c), cls);
        }
    }
    /* Edges. */
    for (uint32_t b = 0; b < mf->nblocks; b++) {
        MachBlock *mb = &mf->blocks[b];
        uint32_t endpos = 2 * (mb->first + mb->n) - 1;
        for (uint32_t k = 0; k < mb->nsuccs; k++) {
            MachSucc *sc = &mb->succs[k];
            MachBlock *sb = &mf->blocks[sc->block];
            uint32_t from = 2 * sb->first;
            uint8_t anchor;
            uint32_t ab;
            if (mb->nsuccs == 1) {
                anchor = CG_EDGE_IN_PRED;
                ab = b;
            } else if (sb->npreds == 1) {
                anchor = CG_EDGE_IN_SUCC;
                ab = sc->block;
            } else {
                fail(ra, "critical edge was not split", b);
                return;
            }
            for (uint32_t v = 0; v < ra->nv; v++) {
                if (!bit(ra->live_in[sc->block], v))
                    continue;
                uint32_t vreg = v + CG_FIRST_VREG;
                uint32_t s = child_at(ra, vreg, endpos), d = child_at(ra, vreg, from);
                if (!s || !d) {
                    fail(ra, "live value without a location", vreg);
                    return;
                }
                if (IV(ra, d)->spilled)
                    continue; /* the slot was written at the definition */
                add_move(ra, anchor, ab, 0, loc_of(ra, s), loc_of(ra, d), (uint8_t)mach_vreg_class(mf, vreg));
            }
            for (uint32_t a = 0; a < sc->nargs; a++) {
                MachEdgeArg *ea = &mf->edge_args[sc->first_arg + a];
                uint32_t d = child_at(ra, ea->dst, from);
                if (!d)
                    continue; /* dead parameter */
                uint32_t s = child_at(ra, ea->src, endpos);
                if (!s) {
                    fail(ra, "edge argument without a location", ea->src);
                    return;
                }
                add_move(ra, anchor, ab, 0, loc_of(ra, s), loc_of(ra, d), (uint8_t)mach_vreg_class(mf, ea->dst));
            }
        }
    }
    if (ra->out->ngroups)
        qsort(ra->out->groups, ra->out->ngroups, sizeof *ra->out->groups, cmp_groups);
}

static void rewrite(RA *ra)
{
    MachFunc *mf = ra->mf;
    for (uint32_t i = 0; i < mf->ninsts && !ra->failed; i++) {
        MachInst *mi = &mf->insts[i];
        for (uint32_t o = 0; o < mi->nopnds; o++) {
            CgOperand *op = &mi->opnd[o];
            if (!cg_is_vreg(op->reg))
                continue;
            uint32_t pos = (op->kind == CG_DEF || op->kind == CG_DEF_TIED) ? 2 * i + 1 : 2 * i;
            uint32_t c = child_at(ra, op->reg, pos);
            if (!c || IV(ra, c)->reg == CG_NO_REG) {
                fail(ra, "operand without a register", op->reg);
                return;
            }
            op->reg = IV(ra, c)->reg;
        }
    }
    for (uint32_t c = 1; c < ra->niv; c++)
        if (IV(ra, c)->reg != CG_NO_REG && IV(ra, c)->nr)
            ra->out->used_callee_saved |= (1ull << IV(ra, c)->reg) & ra->ri->callee_saved;
}

bool cg_regalloc(MachFunc *mf, const CgRegInfo *ri, RegAllocResult *out, char *err, size_t errlen)
{
    RA ra = { .mf = mf, .ri = ri, .out = out, .nv = mf->nvregs, .err = err, .errlen = errlen };
    memset(out, 0, sizeof *out);
    out->nslots = mf->prestored_vreg != CG_NO_REG ? mf->prestored_slot + 1 : 0;
    ra.words = (ra.nv + 63) / 64;
    ra.capiv = 2 * ra.nv + 16;
    ra.niv = ra.nv + 1;
    ra.iv = xcalloc(ra.capiv, sizeof *ra.iv);
    for (uint32_t v = 1; v <= ra.nv; v++) {
        ra.iv[v].vreg = v - 1 + CG_FIRST_VREG;
        ra.iv[v].reg = CG_NO_REG;
    }
    memset(ra.fixed, 0, sizeof ra.fixed);
    ra.vi = xcalloc(ra.nv ? ra.nv : 1, sizeof *ra.vi);
    for (uint32_t v = 0; v < ra.nv; v++)
        ra.vi[v] = (VregInfo){ CG_NO_REG, CG_NO_REG, INF, 0, INF };
    ra.block_of = xcalloc(mf->ninsts + 1, sizeof *ra.block_of);
    ra.is_block_start = xcalloc(mf->ninsts + 1, 1);
    mach_compute_preds(mf);
    for (uint32_t b = 0; b < mf->nblocks; b++) {
        if (mf->blocks[b].n == 0) {
            fail(&ra, "empty block", b);
            goto done;
        }
        ra.is_block_start[mf->blocks[b].first] = 1;
        for (uint32_t i = 0; i < mf->blocks[b].n; i++)
            ra.block_of[mf->blocks[b].first + i] = b;
    }
    compute_liveness(&ra);
    if (ra.nv && mf->nblocks && ra.words) {
        for (uint32_t v = 0; v < ra.nv; v++)
            if (bit(ra.live_in[0], v) && v + CG_FIRST_VREG != mf->prestored_vreg) {
                fail(&ra, "vreg used before definition", v + CG_FIRST_VREG);
                goto done;
            }
    }
    build_intervals(&ra);
    compute_hints(&ra);
    linear_scan(&ra);
    if (!ra.failed)
        resolve(&ra);
    if (!ra.failed)
        rewrite(&ra);
done:
    for (uint32_t c = 1; c < ra.niv; c++) {
        free(ra.iv[c].r);
        free(ra.iv[c].use);
    }
    for (uint32_t p = 0; p < 64; p++) {
        free(ra.fixed[p].r);
        free(ra.fixed[p].use);
    }
    if (ra.live_in)
        for (uint32_t b = 0; b < mf->nblocks; b++)
            free(ra.live_in[b]);
    free(ra.live_in);
    free(ra.iv);
    free(ra.vi);
    free(ra.block_of);
    free(ra.is_block_start);
    free(ra.heap);
    free(ra.active);
    free(ra.inactive);
    return !ra.failed;
}

void cg_regalloc_free(RegAllocResult *r)
{
    free(r->moves);
    free(r->groups);
    memset(r, 0, sizeof *r);
}
