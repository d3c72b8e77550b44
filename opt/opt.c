/* The pass manager: pipelines as data, and the runner.
 *
 *   -O0   (nothing: the IR goes to codegen as translated)
 *
 *   -O1   constfold ─► simplifycfg ─► dce ─► bce
 *         cheap cleanups, each linear in the function size
 *
 *   -O2   early, per function:   constfold ─► simplifycfg ─► dce
 *         module, bottom-up:     inline
 *         late, per function:    constfold ─► simplifycfg ─► gvn ─► licm ─► constfold
 *                                ─► rle ─► dse ─► gvn ─► bce ─► dce ─► simplifycfg ─► dce
 *
 *         constfold     folds constants, simplifies algebra (exact wasm semantics)
 *         simplifycfg   constant branches, unreachable blocks, jump threading,
 *                       merging into a single predecessor, block parameters
 *         inline        direct calls of small / single-call-site local functions
 *                       (module pass: needs PassCtx.module; heuristics in inline.c)
 *         gvn           dominator-scoped value numbering of pure instructions
 *         licm          hoists pure loop invariants into preheaders (no loads)
 *         rle           redundant loads / global reads, store-to-load
 *                       forwarding, within extended basic blocks
 *         dse           stores overwritten later in the same block
 *         bce           heap_oob -> notrap when a dominating access checked the
 *                       same address with an end at least as large
 *         dce           instructions whose results are unused and that are
 *                       removable (ir_inst_is_removable: no trap, no write)
 *
 * The runner: after each pass, --verify-each runs ir_verify, --print-after
 * prints the function, --time-passes adds the pass's time to OptStats.
 * Cached analyses (PassCtx) are dropped after a pass reports a change.
 * A pass named in OptOptions.disable (or WASMC_OPT_DISABLE when that is
 * NULL) is skipped, to measure what it buys. With a module pass in the
 * pipeline, opt_module_run runs the rows up to the last module pass over
 * the whole module (function rows in index order, module rows bottom-up
 * over the call graph) and opt_module_finish the rest per function. */
#include "opt_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const OptPass all_passes[] = {
    { "constfold", opt_constfold, false },
    { "simplifycfg", opt_simplifycfg, false },
    { "dce", opt_dce, false },
    { "gvn", opt_gvn, false },
    { "licm", opt_licm, false },
    { "rle", opt_rle, false },
    { "dse", opt_dse, false },
    { "bce", opt_bce, false },
    { "inline", opt_inline, true },
};

static const OptPass pipeline_o1[] = {
    { "constfold", opt_constfold, false },
    { "simplifycfg", opt_simplifycfg, false },
    { "dce", opt_dce, false },
    { "bce", opt_bce, false },
};

static const OptPass pipeline_o2[] = {
    /* early: clean up so callee sizes are honest */
    { "constfold", opt_constfold, false },
    { "simplifycfg", opt_simplifycfg, false },
    { "dce", opt_dce, false },
    /* module: bottom-up over the call graph */
    { "inline", opt_inline, true },
    /* late: per function, right before code generation */
    { "constfold", opt_constfold, false },
    { "simplifycfg", opt_simplifycfg, false },
    { "gvn", opt_gvn, false },
    { "licm", opt_licm, false },
    { "constfold", opt_constfold, false },
    { "rle", opt_rle, false },
    { "dse", opt_dse, false },
    { "gvn", opt_gvn, false },
    { "bce", opt_bce, false },
    { "dce", opt_dce, false },
    { "simplifycfg", opt_simplifycfg, false },
    { "dce", opt_dce, false },
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

/* Is the pass switched off by OptOptions.disable / WASMC_OPT_DISABLE? */
static bool pass_disabled(const OptOptions *o, const char *name)
{
    const char *list = o->disable ? o->disable : getenv("WASMC_OPT_DISABLE");
    if (!list || !*list)
        return false;
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

/* Functions with more blocks than this run only the single-sweep passes
 * (constfold, dce). The CFG passes repeat rounds that each allocate scratch
 * per block from the function's arena, so on a pathological function (100000
 * nested if-merges) they cost seconds and gigabytes. No real program comes
 * near the limit; like gcc's --param limits, it trades optimisation for a
 * bounded compile. */
enum { OPT_MAX_BLOCKS_FOR_CFG_PASSES = 20000 };

static bool single_sweep(const OptPass *p)
{
    return strcmp(p->name, "constfold") == 0 || strcmp(p->name, "dce") == 0;
}

static bool run_one(IrFunc *f, const OptPass *p, PassCtx *cx, OptStats *stats, WasmcError *err)
{
    const OptOptions *o = cx->opts;
    if ((p->module && !cx->module) || pass_disabled(o, p->name))
        return true;
    if (f->nblocks > OPT_MAX_BLOCKS_FOR_CFG_PASSES && !single_sweep(p))
        return true;
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

/* ---- Running over a module ---------------------------------------------------------- */

bool opt_pipeline_has_module_pass(const OptOptions *o)
{
    uint32_t n;
    const OptPass *rows = opt_pipeline(o->level, &n);
    for (uint32_t k = 0; k < n; k++)
        if (rows[k].module && !pass_disabled(o, rows[k].name))
            return true;
    return false;
}

IrFunc *opt_module_func(const OptModule *m, uint32_t idx)
{
    return idx < m->nfuncs ? m->funcs[idx] : NULL;
}

/* Calls fn(ctx, callee) for every direct call of f to a function of m. */
static void each_callee(const OptModule *m, IrFunc *f, void (*fn)(void *, uint32_t), void *ctx)
{
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b))
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            IrOpcode op = ir_inst_op(f, i);
            if (op != IR_OP_CALL && op != IR_OP_RETURN_CALL)
                continue;
            uint32_t e = ir_inst_entity(f, i, 0);
            const IrFuncRef *r = ir_func_fn_decl(f, e);
            if (r && r->kind == IR_FN_LOCAL && opt_module_func(m, e))
                fn(ctx, e);
        }
}

/* The call graph as adjacency lists (CSR), built in two sweeps. */
typedef struct CallGraph {
    uint32_t *start; /* by function: first edge; start[n] = number of edges */
    uint32_t *edge;
    uint32_t fill;
    const OptModule *m;
} CallGraph;

static void count_edge(void *ctx, uint32_t callee)
{
    CallGraph *g = ctx;
    g->m->ncallsites[callee]++;
    g->fill++;
}

static void add_edge(void *ctx, uint32_t callee)
{
    CallGraph *g = ctx;
    g->edge[g->fill++] = callee;
}

/* Tarjan's strongly connected components, iteratively (call chains can be
 * deep). SCCs come out callees first, which is the bottom-up order. */
static bool tarjan(OptModule *m, const CallGraph *g)
{
    uint32_t n = m->nfuncs;
    uint32_t *index = calloc(n + 1, sizeof *index), *low = calloc(n + 1, sizeof *low);
    uint32_t *stack = calloc(n + 1, sizeof *stack), *call = calloc(n + 1, sizeof *call);
    uint32_t *next_edge = calloc(n + 1, sizeof *next_edge);
    bool *on = calloc(n + 1, sizeof *on);
    bool ok = index && low && stack && call && next_edge && on;
    uint32_t counter = 0, sp = 0, csp = 0, nscc = 0;
    for (uint32_t root = 0; ok && root < n; root++) {
        if (!m->funcs[root] || index[root])
            continue;
        call[csp++] = root;
        index[root] = low[root] = ++counter;
        stack[sp++] = root;
        on[root] = true;
        next_edge[root] = g->start[root];
        while (csp) {
            uint32_t v = call[csp - 1];
            if (next_edge[v] < g->start[v + 1]) {
                uint32_t w = g->edge[next_edge[v]++];
                if (!index[w]) {
                    index[w] = low[w] = ++counter;
                    stack[sp++] = w;
                    on[w] = true;
                    next_edge[w] = g->start[w];
                    call[csp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            csp--;
            if (csp && low[v] < low[call[csp - 1]])
                low[call[csp - 1]] = low[v];
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    m->scc[w] = nscc;
                    m->order[m->norder++] = w;
                } while (w != v);
                nscc++;
            }
        }
    }
    free(index);
    free(low);
    free(stack);
    free(call);
    free(next_edge);
    free(on);
    return ok;
}

bool opt_module_init(OptModule *m)
{
    uint32_t n = m->nfuncs;
    m->norder = 0;
    m->ncallsites = calloc(n + 1, sizeof *m->ncallsites);
    m->scc = calloc(n + 1, sizeof *m->scc);
    m->order = calloc(n + 1, sizeof *m->order);
    CallGraph g = { .start = calloc(n + 2, sizeof *g.start), .m = m };
    bool ok = m->ncallsites && m->scc && m->order && g.start;
    for (uint32_t k = 0; ok && k < n; k++) {
        g.start[k] = g.fill;
        if (m->funcs[k])
            each_callee(m, m->funcs[k], count_edge, &g);
    }
    if (ok) {
        g.start[n] = g.fill;
        g.edge = malloc((g.fill + 1) * sizeof *g.edge);
        ok = g.edge != NULL;
    }
    g.fill = 0;
    for (uint32_t k = 0; ok && k < n; k++)
        if (m->funcs[k])
            each_callee(m, m->funcs[k], add_edge, &g);
    ok = ok && tarjan(m, &g);
    free(g.start);
    free(g.edge);
    if (!ok)
        opt_module_free(m);
    return ok;
}

void opt_module_free(OptModule *m)
{
    free(m->ncallsites);
    free(m->scc);
    free(m->order);
    m->ncallsites = m->scc = m->order = NULL;
    m->norder = 0;
}

bool opt_module_run_func(OptModule *m, uint32_t idx, const OptPass *const *passes, uint32_t n, const OptOptions *o,
                         OptStats *stats, WasmcError *err)
{
    IrFunc *f = opt_module_func(m, idx);
    if (!f)
        return true;
    PassCtx cx;
    opt_ctx_init(&cx, o);
    cx.module = m;
    m->current = idx;
    for (uint32_t k = 0; k < n; k++)
        if (!run_one(f, passes[k], &cx, stats, err))
            return false;
    return true;
}

/* One row over the module: function passes in index order, module passes
 * bottom-up. */
static bool run_row(OptModule *m, const OptPass *p, const OptOptions *o, OptStats *stats, WasmcError *err)
{
    uint32_t n = p->module ? m->norder : m->nfuncs;
    for (uint32_t k = 0; k < n; k++)
        if (!opt_module_run_func(m, p->module ? m->order[k] : k, &p, 1, o, stats, err))
            return false;
    return true;
}

bool opt_module_run_passes(OptModule *m, const OptPass *const *passes, uint32_t n, const OptOptions *o,
                           OptStats *stats, WasmcError *err)
{
    for (uint32_t k = 0; k < n; k++)
        if (!run_row(m, passes[k], o, stats, err))
            return false;
    return true;
}

/* Rows [0, split) run over the module, [split, n) per function. */
static uint32_t module_split(const OptPass *rows, uint32_t n)
{
    uint32_t split = 0;
    for (uint32_t k = 0; k < n; k++)
        if (rows[k].module)
            split = k + 1;
    return split;
}

bool opt_module_run(OptModule *m, const OptOptions *o, OptStats *stats, WasmcError *err)
{
    uint32_t n;
    const OptPass *rows = opt_pipeline(o->level, &n);
    uint32_t split = module_split(rows, n);
    for (uint32_t k = 0; k < split; k++)
        if (!run_row(m, &rows[k], o, stats, err))
            return false;
    return true;
}

bool opt_module_finish(OptModule *m, uint32_t idx, const OptOptions *o, OptStats *stats, WasmcError *err)
{
    uint32_t n;
    const OptPass *rows = opt_pipeline(o->level, &n);
    const OptPass *rest[64];
    uint32_t nrest = 0;
    for (uint32_t k = module_split(rows, n); k < n && nrest < 64; k++)
        rest[nrest++] = &rows[k];
    return opt_module_run_func(m, idx, rest, nrest, o, stats, err);
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
