/* inline: replaces direct calls of small functions by their bodies (a
 * module pass: PassCtx.module gives the callees' IR, opt.h).
 *
 * The pass manager runs it over the functions bottom-up (callees first,
 * Tarjan's SCCs), so a callee has had its own calls inlined and its early
 * cleanups (constfold, simplifycfg, dce) before any caller looks at it.
 *
 * Heuristics, all in IR instructions of the callee as it is now:
 *   - the callee is IR_FN_LOCAL (same instance, so the implicit vmctx is the
 *     caller's own) and has IR in the module; imports, runtime helpers,
 *     call_indirect and call_ref are never inlined;
 *   - never across a recursive edge: caller and callee in the same SCC (this
 *     also covers self-recursion), so inlining terminates and never unrolls
 *     recursion;
 *   - callee size <= INLINE_SMALL: always (getters, wrappers);
 *     callee size <= INLINE_SINGLE and exactly one direct call site in the
 *     whole module: inlined too (the copy is most of the win; the original
 *     stays, since it may be exported or in a table);
 *   - per caller, the inlined instructions add up to at most INLINE_GROWTH,
 *     and nothing is inlined into a caller already larger than
 *     INLINE_MAX_CALLER (code generation time grows with function size);
 *   - whether a function's address is taken does not matter: only direct
 *     calls are inlined and the original function is kept.
 * Call sites are taken in layout order; calls that come from an inlined
 * body are not looked at again (they are the callee's calls it chose not to
 * inline).
 *
 * The rewrite of `v.. = call fnN(a..)` in block B:
 *   B is split after the call: what follows moves to a new block `cont`
 *   whose parameters stand for the results (multi-value: one per result);
 *   every callee block is copied with fresh parameters, the callee's entry
 *   parameters become the call arguments and B ends in `jump` to the copy
 *   of the entry. In the copies, `return x..` becomes `jump cont(x..)`, and
 *   a tail call `return_call* g(y..)` becomes `r.. = call* g(y..)` followed
 *   by `jump cont(r..)` (the callee's frame is gone, so the stack depth is
 *   that of the original call). Traps and trapping instructions are copied
 *   as they are: a trapping callee still traps.
 * For `return_call fnN(a..)` (a tail call site) there is no `cont`: the
 * callee's returns and tail calls stay returns and tail calls of the caller,
 * exactly as the original tail call would have behaved.
 *
 * Declarations: entity numbers are module index spaces, so the callee's
 * declarations are added to the caller's; a call site is skipped if a
 * number is declared differently in the two (cannot happen for translated
 * code, can in hand-written IR). */
#include "opt_internal.h"

#include <stdlib.h>
#include <string.h>

#define INLINE_SMALL 24u
#define INLINE_SINGLE 400u
#define INLINE_GROWTH 600u
#define INLINE_MAX_CALLER 6000u

typedef struct Inliner {
    IrFunc *f;
    OptModule *m;
    OptSubst subst;  /* call results -> cont parameters */
    uint32_t budget; /* instructions that may still be inlined */
} Inliner;

static uint32_t func_size(const IrFunc *f)
{
    uint32_t n = 0;
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b))
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i))
            n++;
    return n;
}

/* ---- Declarations ----------------------------------------------------------------- */

static bool sig_equal(const IrSig *a, const IrSig *b)
{
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (!a->nparams || memcmp(a->params, b->params, a->nparams) == 0) &&
           (!a->nresults || memcmp(a->results, b->results, a->nresults) == 0);
}

static bool mem_equal(const IrMemoryDecl *a, const IrMemoryDecl *b)
{
    return a->min == b->min && a->has_max == b->has_max && (!a->has_max || a->max == b->max) &&
           a->index_type == b->index_type && a->page_log2 == b->page_log2 && a->shared == b->shared;
}

static bool global_equal(const IrGlobalDecl *a, const IrGlobalDecl *b)
{
    return a->type == b->type && a->mutable_ == b->mutable_ && a->imported == b->imported;
}

static bool table_equal(const IrTableDecl *a, const IrTableDecl *b)
{
    return a->min == b->min && a->has_max == b->has_max && (!a->has_max || a->max == b->max) &&
           a->elem == b->elem && a->index_type == b->index_type;
}

static bool fn_equal(const IrFuncRef *a, const IrFuncRef *b)
{
    return a->kind == b->kind && a->sig == b->sig && a->name_len == b->name_len &&
           memcmp(a->name, b->name, a->name_len) == 0;
}

/* Every declaration of g is absent from f or equal there. */
static bool decls_compatible(const IrFunc *f, const IrFunc *g)
{
    for (uint32_t k = 0; k < g->nsigs; k++) {
        const IrSig *a = ir_func_sig_decl(g, k), *b = ir_func_sig_decl(f, k);
        if (a && b && !sig_equal(a, b))
            return false;
    }
    for (uint32_t k = 0; k < g->nfns; k++) {
        const IrFuncRef *a = ir_func_fn_decl(g, k), *b = ir_func_fn_decl(f, k);
        if (a && b && !fn_equal(a, b))
            return false;
    }
    for (uint32_t k = 0; k < g->nmems; k++) {
        const IrMemoryDecl *a = ir_func_mem_decl(g, k), *b = ir_func_mem_decl(f, k);
        if (a && b && !mem_equal(a, b))
            return false;
    }
    for (uint32_t k = 0; k < g->nglobals; k++) {
        const IrGlobalDecl *a = ir_func_global_decl(g, k), *b = ir_func_global_decl(f, k);
        if (a && b && !global_equal(a, b))
            return false;
    }
    for (uint32_t k = 0; k < g->ntables; k++) {
        const IrTableDecl *a = ir_func_table_decl(g, k), *b = ir_func_table_decl(f, k);
        if (a && b && !table_equal(a, b))
            return false;
    }
    return true;
}

static void declare_sig_copy(IrFunc *f, uint32_t k, const IrSig *s)
{
    IrType buf[64];
    IrType *t = s->nparams + s->nresults <= 64 ? buf : malloc((s->nparams + s->nresults) * sizeof *t);
    if (!t)
        abort(); /* out of memory, like the arena */
    for (uint32_t j = 0; j < s->nparams; j++)
        t[j] = (IrType)s->params[j];
    for (uint32_t j = 0; j < s->nresults; j++)
        t[s->nparams + j] = (IrType)s->results[j];
    ir_declare_sig(f, k, t, s->nparams, t + s->nparams, s->nresults);
    if (t != buf)
        free(t);
}

static void import_decls(IrFunc *f, const IrFunc *g)
{
    for (uint32_t k = 0; k < g->nsigs; k++) {
        const IrSig *a = ir_func_sig_decl(g, k);
        if (a && !ir_func_sig_decl(f, k))
            declare_sig_copy(f, k, a);
    }
    for (uint32_t k = 0; k < g->nfns; k++) {
        const IrFuncRef *a = ir_func_fn_decl(g, k);
        if (a && !ir_func_fn_decl(f, k))
            ir_declare_fn(f, k, (IrFuncKind)a->kind, a->name, a->name_len, a->sig);
    }
    for (uint32_t k = 0; k < g->nmems; k++) {
        const IrMemoryDecl *a = ir_func_mem_decl(g, k);
        if (a && !ir_func_mem_decl(f, k))
            ir_declare_memory(f, k, a);
    }
    for (uint32_t k = 0; k < g->nglobals; k++) {
        const IrGlobalDecl *a = ir_func_global_decl(g, k);
        if (a && !ir_func_global_decl(f, k))
            ir_declare_global(f, k, a);
    }
    for (uint32_t k = 0; k < g->ntables; k++) {
        const IrTableDecl *a = ir_func_table_decl(g, k);
        if (a && !ir_func_table_decl(f, k))
            ir_declare_table(f, k, a);
    }
}

/* ---- Choosing ---------------------------------------------------------------------- */

/* The callee of a direct call site worth inlining, or NULL. *size gets its
 * size. */
static IrFunc *pick(Inliner *in, IrInst call, uint32_t *size)
{
    IrFunc *f = in->f;
    OptModule *m = in->m;
    uint32_t e = ir_inst_entity(f, call, 0);
    const IrFuncRef *r = ir_func_fn_decl(f, e);
    IrFunc *g = opt_module_func(m, e);
    if (!r || r->kind != IR_FN_LOCAL || !g || g == f || !ir_func_entry(g).id)
        return NULL;
    if (m->current < m->nfuncs && m->scc && m->scc[e] == m->scc[m->current])
        return NULL; /* recursive edge */
    /* The function behind fnN must be the one the caller declared. */
    const IrSig *s = ir_func_sig_decl(f, r->sig);
    if (!s || !sig_equal(s, &g->sig) || r->name_len != g->name_len || memcmp(r->name, g->name, g->name_len) != 0)
        return NULL;
    uint32_t n = func_size(g);
    bool single = m->ncallsites && m->ncallsites[e] == 1;
    if (!(n <= INLINE_SMALL || (single && n <= INLINE_SINGLE)))
        return NULL;
    if (n > in->budget || !decls_compatible(f, g))
        return NULL;
    *size = n;
    return g;
}

/* ---- Copying ----------------------------------------------------------------------- */

typedef struct Copy {
    IrFunc *f, *g;
    uint32_t *vmap;    /* by callee value: caller value */
    uint32_t *bmap;    /* by callee block: caller block */
    uint32_t *imap;    /* by callee inst: caller inst whose operands mirror it */
    IrValue *scratch;  /* placeholder operands */
    uint32_t nscratch;
    IrBlock cont;      /* NO_BLOCK at a tail-call site */
} Copy;

static IrValue *scratch(Copy *c, uint32_t n)
{
    if (n > c->nscratch) {
        free(c->scratch);
        c->nscratch = n * 2;
        c->scratch = calloc(c->nscratch, sizeof *c->scratch);
        if (!c->scratch)
            abort();
    }
    return c->scratch;
}

static IrOpcode non_tail(IrOpcode op)
{
    switch (op) {
    case IR_OP_RETURN_CALL: return IR_OP_CALL;
    case IR_OP_RETURN_CALL_INDIRECT: return IR_OP_CALL_INDIRECT;
    case IR_OP_RETURN_CALL_REF: return IR_OP_CALL_REF;
    default: return IR_OP_INVALID;
    }
}

/* Phase 1: a copy of callee instruction i at the end of block b, with the
 * callee's operand ids as placeholders (phase 2 maps them). Results are
 * fresh and mapped here. */
static void copy_inst(Copy *c, IrBlock b, IrInst i)
{
    IrFunc *f = c->f, *g = c->g;
    IrOpcode op = ir_inst_op(g, i);
    const IrFormatInfo *fi = ir_op_format(op);
    IrInstSpec s = { .op = op, .type = ir_inst_type(g, i), .code = ir_inst_code(g, i) };
    uint32_t nargs = opt_op_is_const(op) ? 0 : ir_inst_num_args(g, i);
    uint32_t nd = ir_inst_num_dests(g, i), maxna = 0;
    for (uint32_t k = 0; k < nd; k++) {
        uint32_t na = ir_inst_dest_num_args(g, i, k);
        maxna = na > maxna ? na : maxna;
    }
    /* Placeholders: operands are the callee's ids, dest arguments anything
     * (only their number matters); phase 2 writes the real values. */
    IrValue *args = scratch(c, nargs + maxna + 1);
    for (uint32_t k = 0; k < nargs; k++)
        args[k] = ir_inst_arg(g, i, k);
    s.args = args;
    s.nargs = nargs;
    for (uint32_t k = 0; k < 2; k++)
        if (fi->ent[k] != IR_ENT_NONE)
            s.ent[k] = ir_inst_entity(g, i, k);
    if (fi == &ir_format_info[IR_FMT_CONST])
        s.imm = ir_inst_imm64(g, i);
    else if (fi == &ir_format_info[IR_FMT_LOAD] || fi == &ir_format_info[IR_FMT_STORE])
        s.imm = ir_inst_offset(g, i);
    else if (fi == &ir_format_info[IR_FMT_VCONST])
        s.v128 = ir_inst_vconst(g, i);

    IrBlockCall dests[2], *dv = dests;
    if (nd) {
        if (nd > 2) {
            dv = calloc(nd, sizeof *dv);
            if (!dv)
                abort();
        }
        for (uint32_t k = 0; k < nd; k++)
            dv[k] = (IrBlockCall){ ir_block(c->bmap[ir_inst_dest(g, i, k).id]), args + nargs,
                                   ir_inst_dest_num_args(g, i, k) };
        s.dests = dv;
        s.ndests = nd;
    }

    bool to_cont = c->cont.id != 0;
    IrInst n;
    if (to_cont && op == IR_OP_RETURN) {
        /* return x.. -> jump cont(x..) */
        IrBlockCall d = { c->cont, s.args, nargs };
        IrInstSpec j = { .op = IR_OP_JUMP, .dests = &d, .ndests = 1 };
        n = ir_inst_create(f, &j);
    } else if (to_cont && non_tail(op) != IR_OP_INVALID) {
        /* return_call* g(y..) -> r.. = call* g(y..); jump cont(r..) */
        s.op = non_tail(op);
        n = ir_inst_create(f, &s);
        ir_inst_make_results(f, n);
        f->srclocs[n.id] = g->srclocs[i.id];
        ir_layout_append_inst(f, b, n);
        c->imap[i.id] = n.id;
        uint32_t nr = ir_inst_num_results(f, n);
        IrValue *r = malloc((nr + 1) * sizeof *r);
        if (!r)
            abort();
        for (uint32_t k = 0; k < nr; k++)
            r[k] = ir_inst_result(f, n, k);
        IrBlockCall d = { c->cont, r, nr };
        IrInstSpec j = { .op = IR_OP_JUMP, .dests = &d, .ndests = 1 };
        IrInst jmp = ir_inst_create(f, &j);
        free(r);
        f->srclocs[jmp.id] = g->srclocs[i.id];
        ir_layout_append_inst(f, b, jmp);
        if (dv != dests)
            free(dv);
        return;
    } else {
        n = ir_inst_create(f, &s);
        ir_inst_make_results(f, n);
        uint32_t nr = ir_inst_num_results(g, i);
        for (uint32_t k = 0; k < nr; k++)
            c->vmap[ir_inst_result(g, i, k).id] = ir_inst_result(f, n, k).id;
    }
    if (dv != dests)
        free(dv);
    f->srclocs[n.id] = g->srclocs[i.id];
    ir_layout_append_inst(f, b, n);
    c->imap[i.id] = n.id;
}

/* Phase 2: operands and branch arguments of the copy of i, mapped. A
 * `return` turned into `jump cont(..)` has its values as dest arguments. */
static void map_operands(Copy *c, IrInst i)
{
    IrFunc *f = c->f, *g = c->g;
    IrInst n = ir_inst(c->imap[i.id]);
    IrOpcode op = ir_inst_op(g, i);
    if (opt_op_is_const(op))
        return;
    uint32_t nargs = ir_inst_num_args(g, i);
    bool ret_to_jump = op == IR_OP_RETURN && ir_inst_op(f, n) == IR_OP_JUMP;
    for (uint32_t k = 0; k < nargs; k++) {
        IrValue v = ir_value(c->vmap[ir_inst_arg(g, i, k).id]);
        if (ret_to_jump)
            ir_inst_set_dest_arg(f, n, 0, k, v);
        else
            ir_inst_set_arg(f, n, k, v);
    }
    uint32_t nd = ir_inst_num_dests(g, i);
    for (uint32_t k = 0; k < nd; k++) {
        uint32_t na = ir_inst_dest_num_args(g, i, k);
        for (uint32_t j = 0; j < na; j++)
            ir_inst_set_dest_arg(f, n, k, j, ir_value(c->vmap[ir_inst_dest_arg(g, i, k, j).id]));
    }
}

static bool inline_site(Inliner *in, IrInst call, IrFunc *g)
{
    IrFunc *f = in->f;
    import_decls(f, g);
    Copy c = { .f = f, .g = g };
    c.vmap = calloc(g->nvalues + 1, sizeof *c.vmap);
    c.bmap = calloc(g->nblocks + 1, sizeof *c.bmap);
    c.imap = calloc(g->ninsts + 1, sizeof *c.imap);
    if (!c.vmap || !c.bmap || !c.imap)
        abort();
    IrBlock b = ir_inst_block(f, call);
    bool tail = ir_inst_op(f, call) == IR_OP_RETURN_CALL;

    /* Split B after a plain call; results become cont's parameters. */
    if (!tail) {
        c.cont = ir_block_new(f);
        uint32_t nr = ir_inst_num_results(f, call);
        for (uint32_t k = 0; k < nr; k++) {
            IrValue r = ir_inst_result(f, call, k);
            IrValue p = ir_block_append_param(f, c.cont, ir_value_type(f, r));
            opt_subst_set(&in->subst, r, p);
        }
        for (IrInst i = ir_inst_next(f, call), next; i.id; i = next) {
            next = ir_inst_next(f, i);
            ir_layout_remove_inst(f, i);
            ir_layout_append_inst(f, c.cont, i);
        }
    }

    /* Blocks: the entry's parameters are the arguments. */
    IrBlock gentry = ir_func_entry(g), after = b;
    uint32_t nargs = ir_inst_num_args(f, call);
    for (IrBlock gb = gentry; gb.id; gb = ir_block_next(g, gb)) {
        IrBlock nb = ir_block_new(f);
        c.bmap[gb.id] = nb.id;
        uint32_t np = ir_block_num_params(g, gb);
        for (uint32_t k = 0; k < np; k++) {
            IrValue gp = ir_block_param(g, gb, k);
            IrValue v = gb.id == gentry.id && k < nargs ? opt_subst_get(&in->subst, ir_inst_arg(f, call, k))
                                                        : ir_block_append_param(f, nb, ir_value_type(g, gp));
            c.vmap[gp.id] = v.id;
        }
        ir_layout_insert_block_after(f, nb, after);
        after = nb;
    }
    if (c.cont.id)
        ir_layout_insert_block_after(f, c.cont, after);

    for (IrBlock gb = gentry; gb.id; gb = ir_block_next(g, gb))
        for (IrInst i = ir_block_first_inst(g, gb); i.id; i = ir_inst_next(g, i))
            copy_inst(&c, ir_block(c.bmap[gb.id]), i);
    for (IrBlock gb = gentry; gb.id; gb = ir_block_next(g, gb))
        for (IrInst i = ir_block_first_inst(g, gb); i.id; i = ir_inst_next(g, i))
            map_operands(&c, i);

    /* The call becomes a jump into the copy of the entry. */
    uint32_t srcloc = f->srclocs[call.id];
    ir_layout_remove_inst(f, call);
    IrBuilder bld;
    ir_builder_at_end(&bld, f, b);
    bld.srcloc = srcloc;
    ir_ins_jump(&bld, ir_block(c.bmap[gentry.id]), NULL, 0);

    free(c.vmap);
    free(c.bmap);
    free(c.imap);
    free(c.scratch);
    return true;
}

bool opt_inline(IrFunc *f, PassCtx *cx)
{
    OptModule *m = cx->module;
    if (!m)
        return false;
    uint32_t size = func_size(f);
    if (size > INLINE_MAX_CALLER)
        return false;
    Inliner in = { .f = f, .m = m, .budget = INLINE_GROWTH };
    /* The candidate sites first: inlining adds blocks and calls we must not
     * revisit. */
    uint32_t nsites = 0, cap = 0;
    uint32_t *sites = NULL;
    for (IrBlock b = ir_func_entry(f); b.id; b = ir_block_next(f, b))
        for (IrInst i = ir_block_first_inst(f, b); i.id; i = ir_inst_next(f, i)) {
            IrOpcode op = ir_inst_op(f, i);
            if (op != IR_OP_CALL && op != IR_OP_RETURN_CALL)
                continue;
            if (nsites == cap) {
                cap = cap ? cap * 2 : 16;
                uint32_t *p = realloc(sites, cap * sizeof *p);
                if (!p)
                    abort();
                sites = p;
            }
            sites[nsites++] = i.id;
        }
    if (!nsites) {
        free(sites);
        return false;
    }
    opt_subst_init(f, &in.subst);
    bool changed = false;
    for (uint32_t k = 0; k < nsites; k++) {
        uint32_t n;
        IrFunc *g = pick(&in, ir_inst(sites[k]), &n);
        if (!g)
            continue;
        changed |= inline_site(&in, ir_inst(sites[k]), g);
        in.budget -= n;
    }
    free(sites);
    opt_subst_apply(f, &in.subst);
    if (changed)
        opt_cfg_changed(cx);
    return changed;
}
