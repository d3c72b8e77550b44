/* The register allocator and the parallel-move resolver on their own
 * (codegen/regalloc.h), on a toy target with 4 registers per class:
 * no spill without pressure, spills and splits under pressure with every
 * operand in a register, fixed-register and clobber constraints respected,
 * random acyclic CFGs under pressure (values with lifetime holes evicted
 * right before their next range), and parallel moves (chains, cycles,
 * slot-to-slot) checked by simulation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mach.h"
#include "regalloc.h"

static const uint8_t order_i[] = { 0, 1, 2, 3 };
static const uint8_t order_f[] = { 16, 17 };
static const CgRegInfo toy = {
    .allocatable = { 0xf, 0x3ull << 16 },
    .callee_saved = 0x8,
    .order = { order_i, order_f },
    .norder = { 4, 2 },
};

static MachInst *inst(MachFunc *mf, int n, const CgOperand *ops)
{
    MachInst *mi = mach_push(mf);
    for (int k = 0; k < n; k++)
        mi->opnd[k] = ops[k];
    mi->nopnds = (uint8_t)n;
    return mi;
}

/* n values defined, then all used by one chain of adds at the end. */
static void build_pressure(MachFunc *mf, int n, bool call_in_middle)
{
    mach_init(mf);
    uint32_t b = mach_new_block(mf);
    mf->blocks[b].first = 0;
    uint32_t v[64];
    for (int k = 0; k < n; k++) {
        v[k] = mach_new_vreg(mf, CG_CLASS_INT);
        CgOperand d = { v[k], CG_DEF };
        inst(mf, 1, &d);
    }
    if (call_in_middle)
        inst(mf, 0, NULL)->clobbers = 0x7; /* regs 0-2 die */
    uint32_t acc = v[0];
    for (int k = 1; k < n; k++) {
        uint32_t s = mach_new_vreg(mf, CG_CLASS_INT);
        CgOperand o[3] = { { s, CG_DEF_TIED }, { acc, CG_USE }, { v[k], CG_USE_LATE } };
        inst(mf, 3, o);
        acc = s;
    }
    CgOperand u = { acc, CG_USE };
    inst(mf, 1, &u)->flags = CG_MI_TERM;
    mf->blocks[b].n = mf->ninsts;
}

static void check_all_pregs(MachFunc *mf)
{
    for (uint32_t i = 0; i < mf->ninsts; i++)
        for (uint32_t k = 0; k < mf->insts[i].nopnds; k++)
            ck_assert_uint_lt(mf->insts[i].opnd[k].reg, 4);
}

START_TEST(no_pressure_no_spill)
{
    MachFunc mf;
    build_pressure(&mf, 4, false);
    RegAllocResult r;
    char err[200];
    ck_assert_msg(cg_regalloc(&mf, &toy, &r, err, sizeof err), "%s", err);
    check_all_pregs(&mf);
    ck_assert_uint_eq(r.nspilled_vregs, 0);
    ck_assert_uint_eq(r.nmoves, 0);
    cg_regalloc_free(&r);
    mach_free(&mf);
}
END_TEST

START_TEST(pressure_spills)
{
    MachFunc mf;
    build_pressure(&mf, 12, false);
    RegAllocResult r;
    char err[200];
    ck_assert_msg(cg_regalloc(&mf, &toy, &r, err, sizeof err), "%s", err);
    check_all_pregs(&mf);
    ck_assert_uint_gt(r.nspilled_vregs, 0);
    ck_assert_uint_gt(r.nsplits, 0);
    /* tied defs and their late uses never share a register */
    for (uint32_t i = 0; i < mf.ninsts; i++)
        if (mf.insts[i].nopnds == 3)
            ck_assert_uint_ne(mf.insts[i].opnd[0].reg, mf.insts[i].opnd[2].reg);
    cg_regalloc_free(&r);
    mach_free(&mf);
}
END_TEST

START_TEST(call_clobbers)
{
    MachFunc mf;
    build_pressure(&mf, 3, true);
    RegAllocResult r;
    char err[200];
    ck_assert_msg(cg_regalloc(&mf, &toy, &r, err, sizeof err), "%s", err);
    check_all_pregs(&mf);
    /* three values live across a call that kills regs 0-2: one goes to
     * the callee-saved reg 3, the others are spilled and reloaded */
    ck_assert_uint_eq(r.used_callee_saved, 0x8);
    ck_assert_uint_ge(r.nspilled_vregs, 2);
    cg_regalloc_free(&r);
    mach_free(&mf);
}
END_TEST

/* ---- random acyclic CFGs under pressure ---- */

static uint32_t rng_state;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 16) % n;
}

/* Blocks in layout order with forward edges only; "global" vregs defined in
 * the entry block and used anywhere (so they have holes over blocks that do
 * not lead to a use), local vregs used in their own block, 4 registers. */
static void build_random(MachFunc *mf, uint32_t seed)
{
    rng_state = seed;
    mach_init(mf);
    uint32_t nb = 3 + rnd(5), ng = 2 + rnd(6);
    for (uint32_t b = 0; b < nb; b++)
        mach_new_block(mf);
    uint32_t g[8];
    uint8_t npred[8] = { 0 }, closed[8] = { 0 };
    for (uint32_t b = 0; b < nb; b++) {
        mf->blocks[b].first = mf->ninsts;
        uint32_t loc[32], nl = 0;
        if (b == 0)
            for (uint32_t k = 0; k < ng; k++) {
                g[k] = mach_new_vreg(mf, CG_CLASS_INT);
                CgOperand d = { g[k], CG_DEF };
                inst(mf, 1, &d);
            }
        uint32_t n = 2 + rnd(8);
        for (uint32_t i = 0; i < n; i++) {
            CgOperand o[4];
            uint32_t no = 0, v = mach_new_vreg(mf, CG_CLASS_INT);
            o[no++] = (CgOperand){ v, CG_DEF };
            uint32_t nu = 1 + rnd(3);
            for (uint32_t u = 0; u < nu; u++) {
                uint32_t x = nl && rnd(2) ? loc[rnd(nl)] : g[rnd(ng)];
                bool dup = false;
                for (uint32_t k = 1; k < no; k++)
                    dup |= o[k].reg == x;
                if (!dup)
                    o[no++] = (CgOperand){ x, CG_USE };
            }
            inst(mf, (int)no, o);
            if (nl < 32)
                loc[nl++] = v;
        }
        /* terminator: uses a few globals */
        CgOperand t[3];
        uint32_t nt = 0;
        for (uint32_t u = rnd(3); u > 0; u--) {
            uint32_t x = g[rnd(ng)];
            bool dup = false;
            for (uint32_t k = 0; k < nt; k++)
                dup |= t[k].reg == x;
            if (!dup)
                t[nt++] = (CgOperand){ x, CG_USE };
        }
        inst(mf, (int)nt, t)->flags = CG_MI_TERM;
        mf->blocks[b].n = mf->ninsts - mf->blocks[b].first;
        if (b + 1 < nb) {
            /* no critical edges (isel splits them): a block with two
             * successors is their only predecessor */
            uint32_t fresh[8], nf = 0, open_[8], no = 0;
            for (uint32_t j = b + 1; j < nb; j++) {
                if (!npred[j])
                    fresh[nf++] = j;
                if (!closed[j])
                    open_[no++] = j;
            }
            if (nf >= 2 && rnd(2)) {
                uint32_t x = rnd(nf), y = (x + 1 + rnd(nf - 1)) % nf;
                mach_block_add_succ(mf, b, fresh[x], NULL, 0);
                mach_block_add_succ(mf, b, fresh[y], NULL, 0);
                npred[fresh[x]]++, npred[fresh[y]]++;
                closed[fresh[x]] = closed[fresh[y]] = 1;
            } else {
                /* keep every block reachable: the first one without a predecessor */
                if (!nf && !no)
                    continue; /* all later blocks closed: this one returns */
                uint32_t to = nf ? fresh[0] : open_[rnd(no)];
                mach_block_add_succ(mf, b, to, NULL, 0);
                npred[to]++;
            }
        }
    }
    mach_compute_preds(mf);
}

START_TEST(random_cfgs)
{
    for (uint32_t seed = 1; seed <= 3000; seed++) {
        MachFunc mf;
        build_random(&mf, seed);
        RegAllocResult r;
        char err[200];
        ck_assert_msg(cg_regalloc(&mf, &toy, &r, err, sizeof err), "seed %u: %s", seed, err);
        check_all_pregs(&mf);
        cg_regalloc_free(&r);
        mach_free(&mf);
    }
}
END_TEST

/* ---- parallel moves, checked by simulating the emitted sequence ---- */

static uint64_t sim[40];
static int nemitted;
static void sim_move(void *ctx, const CgMove *m)
{
    (void)ctx;
    sim[m->dst.is_slot ? 20 + m->dst.n : m->dst.n] = sim[m->src.is_slot ? 20 + m->src.n : m->src.n];
    nemitted++;
}

static void check_pmove(const CgMove *mv, uint32_t n)
{
    for (int k = 0; k < 40; k++)
        sim[k] = 1000 + (uint64_t)k;
    uint64_t want[40];
    memcpy(want, sim, sizeof want);
    for (uint32_t k = 0; k < n; k++)
        want[mv[k].dst.is_slot ? 20 + mv[k].dst.n : mv[k].dst.n] = 1000 + (mv[k].src.is_slot ? 20 + mv[k].src.n : mv[k].src.n);
    static const uint32_t scratch[2] = { 9, 19 };
    nemitted = 0;
    cg_parallel_move(mv, n, scratch, sim_move, NULL);
    for (int k = 0; k < 40; k++)
        if (k != 9 && k != 19)
            ck_assert_uint_eq(sim[k], want[k]);
}

#define R(n) { 0, n }
#define S(n) { 1, n }
START_TEST(parallel_moves)
{
    CgMove chain[] = { { R(1), R(2), 0 }, { R(2), R(3), 0 }, { R(3), S(0), 0 } };
    check_pmove(chain, 3);
    ck_assert_int_eq(nemitted, 3);
    CgMove swap[] = { { R(1), R(2), 0 }, { R(2), R(1), 0 } };
    check_pmove(swap, 2);
    CgMove cycle3[] = { { R(1), R(2), 0 }, { R(2), R(3), 0 }, { R(3), R(1), 0 }, { R(1), R(4), 0 } };
    check_pmove(cycle3, 4);
    CgMove slots[] = { { S(1), S(2), 0 }, { S(2), S(1), 0 }, { R(5), R(5), 0 } };
    check_pmove(slots, 3);
    CgMove two[] = { { R(1), R(2), 0 }, { R(2), R(1), 0 }, { R(11), R(12), 1 }, { R(12), R(11), 1 } };
    check_pmove(two, 4);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regalloc");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, no_pressure_no_spill);
    tcase_add_test(tc, pressure_spills);
    tcase_add_test(tc, call_clobbers);
    tcase_add_test(tc, random_cfgs);
    tcase_add_test(tc, parallel_moves);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
