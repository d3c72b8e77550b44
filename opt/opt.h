/* The mid-end: IR -> IR passes behind -O1 and -O2 (DESIGN.md 2, STYLE.md 3).
 *
 * Every pass is one file in opt/ with the signature
 *     bool opt_<name>(IrFunc *f, PassCtx *cx);
 * It returns whether it changed anything, keeps its state in a struct of its
 * own (no statics, so passes are reentrant), and leaves the verifier happy.
 * The pipelines per -O level are data (rows of {name, fn}) drawn at the top
 * of opt.c; the runner adds --print-after, --verify-each and --time-passes.
 *
 * Wasm semantics are the law: a pass never removes, hoists or reorders an
 * instruction that may trap as if it were pure (ir_inst_can_trap), never
 * changes NaN bits or the sign of a zero, and treats each linear memory as
 * one alias class that calls and any write clobber.
 *
 * How the driver uses it, per function, after translation (pipelines
 * without module passes; with them see "Running over a module" below):
 *     OptOptions o = { .level = 2, .verify_each = ..., .out = stderr };
 *     OptStats st = { 0 };                     // one per module run
 *     if (!opt_run(f, &o, &st, &err)) ...      // err: a pass broke the IR
 *     ...
 *     if (o.time_passes) opt_print_times(stderr, &st);
 * Nothing here prints unless --print-after/--time-passes ask for it, and
 * then only to OptOptions.out. */
#ifndef WASMC_OPT_OPT_H
#define WASMC_OPT_OPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../ir/ir.h"
#include "../support/diag.h"

/* ---- Options and statistics ------------------------------------------------ */

typedef struct OptOptions {
    int level;               /* 0, 1 or 2 (anything above 2 is 2) */
    const char *print_after; /* pass name, "all", or NULL: print the IR after it */
    bool verify_each;        /* run ir_verify after every pass */
    bool time_passes;        /* accumulate per-pass times into OptStats */
    FILE *out;               /* where --print-after writes; NULL = stderr */
    const char *disable;     /* comma-separated pass names to skip, or NULL; when NULL
                                the WASMC_OPT_DISABLE environment variable is used
                                (measuring what a pass buys) */
} OptOptions;

#define OPT_MAX_STATS 32

/* Per-pass totals over every function run with the same OptStats. */
typedef struct OptPassStat {
    const char *name;
    double seconds;
    uint32_t runs, changed;
} OptPassStat;

typedef struct OptStats {
    OptPassStat pass[OPT_MAX_STATS];
    uint32_t npass;
} OptStats;

/* The module a module pass (inlining) sees: every function's IR by
 * function index, and the direct call graph. The function index is the
 * number of the `fnN` entity that names the function in a caller's
 * declarations (compile/: the wasm function index; the opt filetests: the
 * position of the function in the file, from 0). funcs[k] is NULL where
 * there is no IR (imports, functions already code-generated and freed).
 * Callers fill funcs/nfuncs; opt_module_init computes the rest. */
typedef struct OptModule {
    IrFunc **funcs;
    uint32_t nfuncs;
    uint32_t current;     /* the function being optimised (or that failed) */
    uint32_t *ncallsites; /* by callee: direct call sites (call, return_call) in the module */
    uint32_t *scc;        /* by function: strongly connected component id (recursion) */
    uint32_t *order;      /* functions with IR, callees before callers (bottom-up) */
    uint32_t norder;
} OptModule;

/* What a pass receives besides the function. Analyses are cached here and
 * computed on demand; a pass that changes the CFG (adds, removes or
 * retargets edges, adds or removes blocks) calls opt_cfg_changed(). The
 * runner also drops the cache after any pass that reports a change. */
typedef struct PassCtx {
    const OptOptions *opts;
    FILE *out;               /* never NULL */
    OptModule *module;       /* NULL outside a module run; function passes ignore it */
    const char *pass_name;   /* the pass being run, for diagnostics */
    IrCfg *cfg;              /* cached analyses, NULL when stale */
    IrDomTree *dom;
    uint32_t *uses;
} PassCtx;

void opt_ctx_init(PassCtx *cx, const OptOptions *o);
IrCfg *opt_cfg(IrFunc *f, PassCtx *cx);
IrDomTree *opt_domtree(IrFunc *f, PassCtx *cx);
void opt_cfg_changed(PassCtx *cx);

/* ---- Passes ----------------------------------------------------------------- */

typedef bool (*OptPassFn)(IrFunc *f, PassCtx *cx);

typedef struct OptPass {
    const char *name;
    OptPassFn fn;
    bool module;  /* a module pass: needs PassCtx.module, runs bottom-up over the
                     call graph; skipped (no change) when there is no module */
} OptPass;

bool opt_constfold(IrFunc *f, PassCtx *cx);   /* constfold.c: folding + algebraic simplification */
bool opt_dce(IrFunc *f, PassCtx *cx);         /* dce.c: dead instructions */
bool opt_simplifycfg(IrFunc *f, PassCtx *cx); /* simplifycfg.c: unreachable blocks, threading, merging, params */
bool opt_gvn(IrFunc *f, PassCtx *cx);         /* gvn.c: dominator-based value numbering of pure insts */
bool opt_licm(IrFunc *f, PassCtx *cx);        /* licm.c: hoist pure loop invariants */
bool opt_rle(IrFunc *f, PassCtx *cx);         /* rle.c: redundant loads/global reads in EBBs */
bool opt_dse(IrFunc *f, PassCtx *cx);         /* dse.c: stores overwritten later in the block */
bool opt_bce(IrFunc *f, PassCtx *cx);         /* bce.c: bounds checks implied by a dominating access */
bool opt_inline(IrFunc *f, PassCtx *cx);      /* inline.c: module pass, direct calls of small callees */

/* Every pass by name, for --print-after and the filetests; NULL if unknown. */
const OptPass *opt_find_pass(const char *name, size_t len);
/* The pipeline of an -O level: *n rows (0 for -O0). */
const OptPass *opt_pipeline(int level, uint32_t *n);

/* ---- Running ---------------------------------------------------------------- */

/* Runs the pipeline of o->level over f. stats may be NULL. Returns false
 * only when --verify-each finds a pass broke the IR (a compiler bug):
 * err says "after pass NAME: ...". */
bool opt_run(IrFunc *f, const OptOptions *o, OptStats *stats, WasmcError *err);
/* Runs the given passes in order, with the same options (verify_each,
 * print_after, timing). */
bool opt_run_passes(IrFunc *f, const OptPass *const *passes, uint32_t n, const OptOptions *o, OptStats *stats,
                    WasmcError *err);

/* ---- Running over a module ---------------------------------------------------
 * A pipeline with module passes runs in two parts (compile/ does this):
 *     OptModule m = { .funcs = fns, .nfuncs = n };   // every function translated
 *     opt_module_init(&m);
 *     opt_module_run(&m, &o, &st, &err);      // rows up to the last module pass
 *     for each function k: opt_module_finish(&m, k, &o, &st, &err); codegen; free
 *     opt_module_free(&m);
 * A function pass row runs over every function in index order; a module pass
 * row runs over every function bottom-up (m.order), so a callee is final
 * for that row before any caller looks at it. On failure m.current names
 * the function. All IR of the module stays alive until opt_module_finish
 * has run for it (the price of inlining). */

/* Does the o->level pipeline have a module pass (else opt_run per function
 * does the same work with bounded memory)? */
bool opt_pipeline_has_module_pass(const OptOptions *o);
/* Computes the call graph (direct calls to IR_FN_LOCAL functions with IR),
 * call-site counts, SCCs and the bottom-up order. False when out of memory. */
bool opt_module_init(OptModule *m);
void opt_module_free(OptModule *m);
/* The IR of function idx, or NULL. */
IrFunc *opt_module_func(const OptModule *m, uint32_t idx);
bool opt_module_run(OptModule *m, const OptOptions *o, OptStats *stats, WasmcError *err);
bool opt_module_finish(OptModule *m, uint32_t idx, const OptOptions *o, OptStats *stats, WasmcError *err);
/* Runs passes in order over function idx, with the module in PassCtx. */
bool opt_module_run_func(OptModule *m, uint32_t idx, const OptPass *const *passes, uint32_t n, const OptOptions *o,
                         OptStats *stats, WasmcError *err);
/* Runs the given rows over the module as described above. */
bool opt_module_run_passes(OptModule *m, const OptPass *const *passes, uint32_t n, const OptOptions *o,
                           OptStats *stats, WasmcError *err);

/* "pass  runs  changed  ms" lines, in first-run order. */
void opt_print_times(FILE *out, const OptStats *stats);

#endif
