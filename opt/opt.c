/* The pass manager: pipelines as data, and the runner.
 *
 *   -O0   (nothing: the IR goes to codegen as translated)
 *
 *   -O1   constfold ─► simplifycfg ─► dce
 *         cheap cleanups, each linear in the function size
 *
 *   -O2   constfold ─► simplifycfg ─► gvn ─► licm ─► constfold ─► rle ─► dse
 *            ─► gvn ─► dce ─► simplifycfg ─► dce
 *
 *         constfold     folds constants, simplifies algebra (exact wasm semantics)
 *         simplifycfg   constant branches, unreachable blocks, jump threading,
 *                       merging into a single predecessor, block parameters
 *         gvn           dominator-scoped value numbering of pure instructions
 *         licm          hoists pure loop invariants into preheaders (no loads)
 *         rle           redundant loads / global reads, store-to-load
 *                       forwarding, within extended basic blocks
 *         dse           stores overwritten later in the same block
 *         dce           instructions whose results are unused and that are
 *                       removable (ir_inst_is_removable: no trap, no write)
 *
 * The runner: after each pass, --verify-each runs ir_verify, --print-after
 * prints the function, --time-passes adds the pass's time to OptStats.
 * Cached analyses (PassCtx) are dropped after a pass reports a change.
 * Later: inlining and bounds-check elimination are module-level; they will
 * get their facts from PassCtx.module (opt.h). */
#include "opt_internal.h"

#include <string.h>
#include <time.h>

static const OptPass all_passes[] = {
    { "constfold", opt_constfold },
    { "simplifycfg", opt_simplifycfg },
    { "dce", opt_dce },
    { "gvn", opt_gvn },
    { "licm", opt_licm },
    { "rle", opt_rle },
    { "dse", opt_dse },
};

static const OptPass pipeline_o1[] = {
    { "constfold", opt_constfold },
    { "simplifycfg", opt_simplifycfg },
    { "dce", opt_dce },
};

static const OptPass pipeline_o2[] = {
    { "constfold", opt_constfold },
    { "simplifycfg", opt_simplifycfg },
    { "gvn", opt_gvn },
    { "licm", opt_licm },
    { "constfold", opt_constfold },
    { "rle", opt_rle },
    { "dse", opt_dse },
    { "gvn", opt_gvn },
    { "dce", opt_dce },
    { "simplifycfg", opt_simplifycfg },
    { "dce", opt_dce },
};

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

const OptPass *opt_find_pass(const char *name, size_t len)
{
    for (uint32_t k = 0; k < COUNT(all_passes); k++)
        if (strlen(all_passes[k].name) == len && memcmp(all_passes[k].name, name, len) == 0)
            return &all_passes[k];
    return NULL;
}

const OptPass *opt_pipeline(int level, uint32_t *n)
{
    if (level <= 0) {
        *n = 0;
        return NULL;
    }
    if (level == 1) {
        *n = COUNT(pipeline_o1);
        return pipeline_o1;
    }
    *n = COUNT(pipeline_o2);
    return pipeline_o2;
}

/* ---- Analyses --------------------------------------------------------------------- */

void opt_ctx_init(PassCtx *cx, const OptOptions *o)
{
    memset(cx, 0, sizeof *cx);
    cx->opts = o;
    cx->out = o && o->out ? o->out : stderr;
}

IrCfg *opt_cfg(IrFunc *f, PassCtx *cx)
{
    if (!cx->cfg)
        cx->cfg = ir_compute_cfg(f);
    return cx->cfg;
}

IrDomTree *opt_domtree(IrFunc *f, PassCtx *cx)
{
    if (!cx->dom)
        cx->dom = ir_compute_domtree(f, opt_cfg(f, cx));
    return cx->dom;
}

void opt_cfg_changed(PassCtx *cx)
{
    cx->cfg = NULL;
    cx->dom = NULL;
}

/* ---- Running ------------------------------------------------------------------------ */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void add_stat(OptStats *st, const char *name, double secs, bool changed)
{
    uint32_t k = 0;
    while (k < st->npass && strcmp(st->pass[k].name, name) != 0)
        k++;
    if (k == st->npass) {
        if (st->npass == OPT_MAX_STATS)
            return;
        st->pass[st->npass++] = (OptPassStat){ .name = name };
    }
    st->pass[k].seconds += secs;
    st->pass[k].runs++;
    st->pass[k].changed += changed;
}

static bool run_one(IrFunc *f, const OptPass *p, PassCtx *cx, OptStats *stats, WasmcError *err)
{
    const OptOptions *o = cx->opts;
    cx->pass_name = p->name;
    double t0 = o->time_passes ? now_seconds() : 0;
    bool changed = p->fn(f, cx);
    if (o->time_passes && stats)
        add_stat(stats, p->name, now_seconds() - t0, changed);
    if (changed) {
        opt_cfg_changed(cx);
        cx->uses = NULL;
    }
    if (o->print_after && (strcmp(o->print_after, p->name) == 0 || strcmp(o->print_after, "all") == 0)) {
        fprintf(cx->out, "; after %s\n", p->name);
        ir_print_func(cx->out, f);
    }
    if (o->verify_each) {
        WasmcError verr = { 0 };
        if (!ir_verify(f, &verr))
            return wasmc_fail(err, verr.offset, "after pass %s: %s", p->name, verr.msg);
    }
    return true;
}

bool opt_run_passes(IrFunc *f, const OptPass *const *passes, uint32_t n, const OptOptions *o, OptStats *stats,
                    WasmcError *err)
{
    PassCtx cx;
    opt_ctx_init(&cx, o);
    for (uint32_t k = 0; k < n; k++)
        if (!run_one(f, passes[k], &cx, stats, err))
            return false;
    return true;
}

bool opt_run(IrFunc *f, const OptOptions *o, OptStats *stats, WasmcError *err)
{
    uint32_t n;
    const OptPass *rows = opt_pipeline(o->level, &n);
    PassCtx cx;
    opt_ctx_init(&cx, o);
    for (uint32_t k = 0; k < n; k++)
        if (!run_one(f, &rows[k], &cx, stats, err))
            return false;
    return true;
}

void opt_print_times(FILE *out, const OptStats *st)
{
    double total = 0;
    fprintf(out, "%-14s %8s %8s %10s\n", "pass", "runs", "changed", "ms");
    for (uint32_t k = 0; k < st->npass; k++) {
        const OptPassStat *p = &st->pass[k];
        fprintf(out, "%-14s %8u %8u %10.3f\n", p->name, p->runs, p->changed, p->seconds * 1e3);
        total += p->seconds;
    }
    fprintf(out, "%-14s %8s %8s %10.3f\n", "total", "", "", total * 1e3);
}
