/* The translation driver: reads a function body with the shared instruction
 * reader, keeps the wasm operand stack as IR values and the control stack as
 * Frames, and turns structured control into IR blocks.
 *
 * Control-flow invariants:
 * - Block results and loop parameters travel as block parameters: every
 *   branch passes the label's values as arguments (ssa.c appends the SSA
 *   arguments for locals after them).
 * - `if` parameters stay on the operand stack as the same SSA values in
 *   both arms (the head block dominates both); they are saved at `if` and
 *   re-pushed at `else`. Without `else`, the head's brif false edge is
 *   patched at `end` to jump straight to the end block with them.
 * - A Frame is pushed only in reachable code. In unreachable code (after
 *   br, br_table, return, unreachable, tail calls) instructions are skipped
 *   and nested block/loop/if only counted (skip_depth) until the `else` or
 *   `end` that belongs to the innermost live frame.
 * - An end block enters the layout only when something branches to it or
 *   falls through into it; otherwise the code after `end` is unreachable. */
#include "translate_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Operand stack -------------------------------------------------------------- */

void tr_push(Translator *t, IrValue v)
{
    assert(v.id);
    if (t->nstack == t->cap_stack) {
        t->cap_stack = t->cap_stack * 2 + 16;
        t->stack = xrealloc(t->stack, t->cap_stack * sizeof *t->stack);
    }
    t->stack[t->nstack++] = v;
}

IrValue tr_pop(Translator *t)
{
    assert(t->nstack > 0);
    return t->stack[--t->nstack];
}

IrValue *tr_top(Translator *t, uint32_t n)
{
    assert(n <= t->nstack);
    return t->stack ? t->stack + (t->nstack - n) : NULL; /* no arithmetic on NULL */
}

void tr_popn(Translator *t, uint32_t n)
{
    assert(n <= t->nstack);
    t->nstack -= n;
}

void tr_set_unreachable(Translator *t)
{
    t->reachable = false;
}

/* ---- Blocks ----------------------------------------------------------------------- */

static IrBlock new_block(Translator *t, const uint8_t *types, uint32_t n)
{
    IrBlock b = ir_block_new(t->f);
    for (uint32_t i = 0; i < n; i++)
        ir_block_append_param(t->f, b, (IrType)types[i]);
    ssa_block(t, b);
    return b;
}

static void switch_to(Translator *t, IrBlock b)
{
    uint32_t srcloc = t->b.srcloc;
    ir_layout_append_block(t->f, b);
    t->f->block_srclocs[b.id] = srcloc;
    ir_builder_at_end(&t->b, t->f, b);
    t->b.srcloc = srcloc;
    t->cur = b;
    t->reachable = true;
}

static void emit_jump(Translator *t, IrBlock to, const IrValue *args, uint32_t n)
{
    IrInst j = ir_ins_jump(&t->b, to, args, n);
    ssa_add_edge(t, to, j, 0);
}

static Frame *push_frame(Translator *t, FrameKind kind)
{
    if (t->nframes == t->cap_frames) {
        t->cap_frames = t->cap_frames * 2 + 8;
        t->frames = xrealloc(t->frames, t->cap_frames * sizeof *t->frames);
    }
    Frame *fr = &t->frames[t->nframes++];
    memset(fr, 0, sizeof *fr);
    fr->kind = (uint8_t)kind;
    return fr;
}

/* Parameter and result types of a block type. */
static bool block_types(Translator *t, const WasmInstr *in, const uint8_t **params, uint32_t *np,
                        const uint8_t **results, uint32_t *nr)
{
    const WasmBlockType *bt = &in->u.block;
    *np = *nr = 0;
    *params = *results = NULL;
    if (bt->kind == BT_EMPTY)
        return true;
    if (bt->kind == BT_VAL) {
        IrType ty;
        if (!tr_valtype(t, bt->val, in->off, &ty))
            return false;
        uint8_t *r = arena_alloc(&t->arena, 1);
        r[0] = (uint8_t)ty;
        *results = r;
        *nr = 1;
        return true;
    }
    const WasmSubType *st = &t->m->types[bt->type_idx];
    if (st->kind != COMP_FUNC)
        return tr_unsupported(t, in->off, "GC types");
    uint8_t *p = arena_alloc(&t->arena, st->nparams + 1);
    uint8_t *r = arena_alloc(&t->arena, st->nresults + 1);
    for (uint32_t i = 0; i < st->nparams; i++) {
        IrType ty;
        if (!tr_valtype(t, st->params[i], in->off, &ty))
            return false;
        p[i] = (uint8_t)ty;
    }
    for (uint32_t i = 0; i < st->nresults; i++) {
        IrType ty;
        if (!tr_valtype(t, st->results[i], in->off, &ty))
            return false;
        r[i] = (uint8_t)ty;
    }
    *params = p;
    *np = st->nparams;
    *results = r;
    *nr = st->nresults;
    return true;
}

/* The branch target of a label: a loop's header takes its parameters,
 * every other label's end block its results. */
static IrBlock label_target(Translator *t, uint32_t depth, uint32_t *n)
{
    assert(depth < t->nframes);
    Frame *fr = &t->frames[t->nframes - 1 - depth];
    if (fr->kind == FRAME_LOOP) {
        *n = fr->nparams;
        return fr->header;
    }
    *n = fr->nresults;
    return fr->end;
}

/* ---- Control instructions ------------------------------------------------------------ */

static bool do_block(Translator *t, const WasmInstr *in)
{
    const uint8_t *params, *results;
    uint32_t np, nr;
    if (!block_types(t, in, &params, &np, &results, &nr))
        return false;
    Frame *fr = push_frame(t, FRAME_BLOCK);
    fr->params = params, fr->nparams = np, fr->results = results, fr->nresults = nr;
    fr->height = t->nstack - np;
    fr->end = new_block(t, results, nr);
    return true;
}

static bool do_loop(Translator *t, const WasmInstr *in)
{
    const uint8_t *params, *results;
    uint32_t np, nr;
    if (!block_types(t, in, &params, &np, &results, &nr))
        return false;
    IrBlock header = new_block(t, params, np);
    emit_jump(t, header, tr_top(t, np), np);
    tr_popn(t, np);
    switch_to(t, header); /* unsealed until `end`: back edges are still to come */
    for (uint32_t i = 0; i < np; i++)
        tr_push(t, ir_block_param(t->f, header, i));
    Frame *fr = push_frame(t, FRAME_LOOP);
    fr->params = params, fr->nparams = np, fr->results = results, fr->nresults = nr;
    fr->height = t->nstack - np;
    fr->header = header;
    fr->end = new_block(t, results, nr);
    return true;
}

static bool do_if(Translator *t, const WasmInstr *in)
{
    const uint8_t *params, *results;
    uint32_t np, nr;
    if (!block_types(t, in, &params, &np, &results, &nr))
        return false;
    IrValue cond = tr_pop(t);
    IrBlock then_ = new_block(t, NULL, 0), else_ = new_block(t, NULL, 0);
    IrInst br = ir_ins_brif(&t->b, cond, (IrBlockCall){ then_, NULL, 0 }, (IrBlockCall){ else_, NULL, 0 });
    ssa_add_edge(t, then_, br, 0);
    ssa_add_edge(t, else_, br, 1);
    if (t->nsaved + np > t->cap_saved) {
        t->cap_saved = (t->nsaved + np) * 2 + 8;
        t->saved = xrealloc(t->saved, t->cap_saved * sizeof *t->saved);
    }
    Frame *fr = push_frame(t, FRAME_IF);
    fr->params = params, fr->nparams = np, fr->results = results, fr->nresults = nr;
    fr->height = t->nstack - np;
    fr->saved = t->nsaved;
    if (np) {
        memcpy(t->saved + t->nsaved, tr_top(t, np), np * sizeof *t->saved);
        t->nsaved += np;
    }
    fr->end = new_block(t, results, nr);
    fr->else_blk = else_;
    fr->brif = br;
    switch_to(t, then_);
    ssa_seal(t, then_);
    return true;
}

static void do_else(Translator *t)
{
    Frame *fr = &t->frames[t->nframes - 1];
    assert(fr->kind == FRAME_IF);
    if (t->reachable)
        emit_jump(t, fr->end, tr_top(t, fr->nresults), fr->nresults);
    t->nstack = fr->height;
    for (uint32_t i = 0; i < fr->nparams; i++)
        tr_push(t, t->saved[fr->saved + i]);
    fr->kind = FRAME_ELSE;
    switch_to(t, fr->else_blk);
    ssa_seal(t, fr->else_blk);
}

static void do_end(Translator *t)
{
    Frame fr = t->frames[t->nframes - 1];
    IrFunc *f = t->f;
    if (t->reachable) {
        if (fr.kind == FRAME_FUNC)
            ir_ins_return(&t->b, tr_top(t, fr.nresults), fr.nresults);
        else
            emit_jump(t, fr.end, tr_top(t, fr.nresults), fr.nresults);
    }
    if (fr.kind == FRAME_IF) {
        /* No else: the false edge carries the if's parameters to the end. */
        ir_inst_set_dest(f, fr.brif, 1, fr.end, fr.nparams ? t->saved + fr.saved : NULL, fr.nparams);
        ssa_add_edge(t, fr.end, fr.brif, 1);
    }
    if (fr.kind == FRAME_LOOP)
        ssa_seal(t, fr.header);
    if (fr.kind == FRAME_IF || fr.kind == FRAME_ELSE)
        t->nsaved = fr.saved;
    t->nstack = fr.height;
    t->nframes--;
    if (ssa_block(t, fr.end)->nedges == 0) {
        t->reachable = false;
        return;
    }
    switch_to(t, fr.end);
    ssa_seal(t, fr.end);
    if (fr.kind == FRAME_FUNC) {
        /* Branches to the function's label (br_if, br_table) land here. */
        IrValue *vals = xcalloc(fr.nresults + 1, sizeof *vals);
        for (uint32_t i = 0; i < fr.nresults; i++)
            vals[i] = ir_block_param(f, fr.end, i);
        ir_ins_return(&t->b, vals, fr.nresults);
        free(vals);
        t->reachable = false;
        return;
    }
    for (uint32_t i = 0; i < fr.nresults; i++)
        tr_push(t, ir_block_param(f, fr.end, i));
}

static void do_return(Translator *t)
{
    const Frame *fr = &t->frames[0];
    ir_ins_return(&t->b, tr_top(t, fr->nresults), fr->nresults);
    tr_set_unreachable(t);
}

static void do_br(Translator *t, uint32_t depth)
{
    if (depth == t->nframes - 1) {
        do_return(t);
        return;
    }
    uint32_t n;
    IrBlock to = label_target(t, depth, &n);
    emit_jump(t, to, tr_top(t, n), n);
    tr_set_unreachable(t);
}

/* brif cond, label(args), cont; then continues in cont. */
static void branch_if(Translator *t, IrValue cond, uint32_t depth, const IrValue *args, uint32_t n)
{
    uint32_t want;
    IrBlock to = label_target(t, depth, &want);
    assert(want == n);
    IrBlock cont = new_block(t, NULL, 0);
    IrInst br = ir_ins_brif(&t->b, cond, (IrBlockCall){ to, args, n }, (IrBlockCall){ cont, NULL, 0 });
    ssa_add_edge(t, to, br, 0);
    ssa_add_edge(t, cont, br, 1);
    switch_to(t, cont);
    ssa_seal(t, cont);
}

static void do_br_if(Translator *t, uint32_t depth)
{
    IrValue cond = tr_pop(t);
    uint32_t n;
    label_target(t, depth, &n);
    branch_if(t, cond, depth, tr_top(t, n), n);
}

static void do_br_table(Translator *t, const WasmInstr *in)
{
    IrValue index = tr_pop(t);
    uint32_t ndests = in->u.br_table.count + 1, n = 0;
    IrBlockCall *dests = xcalloc(ndests, sizeof *dests);
    WasmBrTableIter it;
    wasm_br_table_begin(&it, t->m->bytes, t->m->size, in);
    uint32_t label, k = 1;
    bool is_default;
    while (wasm_br_table_next(&it, &label, &is_default)) {
        IrBlock to = label_target(t, label, &n);
        /* The IR lists the default destination first. */
        uint32_t slot = is_default ? 0 : k++;
        dests[slot] = (IrBlockCall){ to, tr_top(t, n), n };
    }
    IrInst br = ir_ins_br_table(&t->b, index, dests, ndests);
    for (uint32_t i = 0; i < ndests; i++)
        ssa_add_edge(t, dests[i].block, br, i);
    free(dests);
    tr_set_unreachable(t);
}

/* br_on_null / br_on_non_null: typed function references over iptr values. */
static void do_br_on_null(Translator *t, const WasmInstr *in)
{
    IrValue ref = tr_pop(t);
    IrValue null = ir_ins_iconst(&t->b, IR_TYPE_IPTR, 0);
    uint32_t n;
    label_target(t, in->idx, &n);
    if (in->op == WASM_OP_BR_ON_NULL) {
        branch_if(t, ir_ins_icmp(&t->b, IR_ICC_EQ, ref, null), in->idx, tr_top(t, n), n);
        tr_push(t, ref);
    } else {
        IrValue cond = ir_ins_icmp(&t->b, IR_ICC_NE, ref, null);
        tr_push(t, ref); /* the label receives the reference last */
        branch_if(t, cond, in->idx, tr_top(t, n), n);
        tr_pop(t);
    }
}

static bool do_select(Translator *t, const WasmInstr *in)
{
    if (in->op == WASM_OP_SELECT_T) {
        IrType ty;
        if (!tr_valtype(t, in->u.select.type, in->off, &ty))
            return false;
    }
    IrValue c = tr_pop(t), y = tr_pop(t), x = tr_pop(t);
    tr_push(t, ir_ins_select(&t->b, c, x, y));
    return true;
}

/* ---- The driver loop ------------------------------------------------------------------ */

static bool translate_instr(Translator *t, const WasmInstr *in)
{
    switch (in->op) {
    case WASM_OP_NOP: return true;
    case WASM_OP_UNREACHABLE:
        ir_ins_trap(&t->b, IR_TRAP_UNREACHABLE);
        tr_set_unreachable(t);
        return true;
    case WASM_OP_BLOCK: return do_block(t, in);
    case WASM_OP_LOOP: return do_loop(t, in);
    case WASM_OP_IF: return do_if(t, in);
    case WASM_OP_ELSE: do_else(t); return true;
    case WASM_OP_END: do_end(t); return true;
    case WASM_OP_BR: do_br(t, in->idx); return true;
    case WASM_OP_BR_IF: do_br_if(t, in->idx); return true;
    case WASM_OP_BR_TABLE: do_br_table(t, in); return true;
    case WASM_OP_BR_ON_NULL:
    case WASM_OP_BR_ON_NON_NULL: do_br_on_null(t, in); return true;
    case WASM_OP_RETURN: do_return(t); return true;
    case WASM_OP_DROP: tr_pop(t); return true;
    case WASM_OP_SELECT:
    case WASM_OP_SELECT_T: return do_select(t, in);
    case WASM_OP_LOCAL_GET: tr_push(t, ssa_use(t, t->cur, in->idx)); return true;
    case WASM_OP_LOCAL_SET: ssa_def(t, t->cur, in->idx, tr_pop(t)); return true;
    case WASM_OP_LOCAL_TEE: ssa_def(t, t->cur, in->idx, *tr_top(t, 1)); return true;
    default: break;
    }
    /* Each group either handles the instruction (and may fail: a feature it
     * cannot lower) or passes it on with *handled false. */
    static bool (*const groups[])(Translator *, const WasmInstr *, bool *) = {
        tr_numeric, tr_memory, tr_call, tr_ref, tr_simd,
    };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        bool handled = false;
        if (!groups[g](t, in, &handled))
            return false;
        if (handled)
            return true;
    }
    t->unsupported = true;
    return wasmc_fail(t->err, in->off, "%s is not supported by the code generator yet (function %u)",
                      wasm_op_info(in->op)->name, t->func_idx);
}

/* In unreachable code only the structure matters. */
static void skip_instr(Translator *t, const WasmInstr *in)
{
    switch (in->op) {
    case WASM_OP_BLOCK:
    case WASM_OP_LOOP:
    case WASM_OP_IF:
        t->skip_depth++;
        break;
    case WASM_OP_ELSE:
        if (t->skip_depth == 0)
            do_else(t);
        break;
    case WASM_OP_END:
        if (t->skip_depth > 0)
            t->skip_depth--;
        else
            do_end(t);
        break;
    default:
        break;
    }
}

static bool translate_body(Translator *t)
{
    const WasmModule *m = t->m;
    const WasmFunc *fn = &m->funcs[t->func_idx];
    const WasmSubType *st = wasm_func_type(m, t->func_idx);
    if (st->kind != COMP_FUNC)
        return tr_unsupported(t, fn->body_off, "GC types");

    /* Variables: the parameters, then the declared locals. */
    t->nvars = st->nparams + fn->nlocals;
    t->var_types = arena_alloc(&t->arena, t->nvars + 1);
    for (uint32_t i = 0; i < st->nparams; i++) {
        IrType ty;
        if (!tr_valtype(t, st->params[i], fn->body_off, &ty))
            return false;
        t->var_types[i] = (uint8_t)ty;
    }
    uint32_t v = st->nparams;
    for (uint32_t r = 0; r < fn->nlocal_runs; r++) {
        IrType ty;
        if (!tr_valtype(t, fn->local_runs[r].type, fn->body_off, &ty))
            return false;
        for (uint32_t i = 0; i < fn->local_runs[r].count; i++)
            t->var_types[v++] = (uint8_t)ty;
    }
    uint8_t *results = arena_alloc(&t->arena, st->nresults + 1);
    for (uint32_t i = 0; i < st->nresults; i++) {
        IrType ty;
        if (!tr_valtype(t, st->results[i], fn->body_off, &ty))
            return false;
        results[i] = (uint8_t)ty;
    }
    {
        IrType *pt = xcalloc(st->nparams + 1, sizeof *pt), *rt = xcalloc(st->nresults + 1, sizeof *rt);
        for (uint32_t i = 0; i < st->nparams; i++)
            pt[i] = (IrType)t->var_types[i];
        for (uint32_t i = 0; i < st->nresults; i++)
            rt[i] = (IrType)results[i];
        ir_func_set_sig(t->f, pt, st->nparams, rt, st->nresults);
        free(pt);
        free(rt);
    }

    t->b.srcloc = fn->code_off;
    IrBlock entry = new_block(t, t->var_types, st->nparams);
    switch_to(t, entry);
    ssa_seal(t, entry);
    for (uint32_t i = 0; i < st->nparams; i++)
        ssa_def(t, entry, i, ir_block_param(t->f, entry, i));
    Frame *fr = push_frame(t, FRAME_FUNC);
    fr->results = results;
    fr->nresults = st->nresults;
    fr->height = 0;
    fr->end = new_block(t, results, st->nresults);

    Reader r = reader_make(m->bytes, m->size, t->err);
    r.p = m->bytes + fn->code_off;
    r.end = r.p + fn->code_len;
    while (t->nframes > 0) {
        WasmInstr in;
        if (!wasm_read_instr(&r, &in))
            return false; /* cannot happen after validation */
        const char *feat = tr_op_unsupported_feature(in.op);
        if (feat)
            return tr_unsupported(t, in.off, feat);
        if (!t->reachable) {
            skip_instr(t, &in);
            continue;
        }
        t->b.srcloc = in.off;
        if (!translate_instr(t, &in))
            return false;
    }
    ssa_finish(t);
    return true;
}

IrFunc *wasm_translate_func_status(const WasmModule *m, uint32_t func_idx, WasmTranslateStatus *status,
                                   WasmcError *err)
{
    WasmTranslateStatus dummy;
    if (!status)
        status = &dummy;
    assert(m->validated && func_idx >= m->nimported_funcs && func_idx < m->nfuncs);
    char name[512];
    const char *nm = wasm_func_name(m, func_idx);
    if (!nm) {
        snprintf(name, sizeof name, "f%u", func_idx);
        nm = name;
    }
    Translator t;
    memset(&t, 0, sizeof t);
    t.m = m;
    t.func_idx = func_idx;
    t.err = err;
    t.f = ir_func_new(nm, strlen(nm));
    t.f->srcloc = m->funcs[func_idx].body_off;
    arena_init(&t.arena);
    ssa_init(&t);
    bool ok = translate_body(&t);
    ssa_free(&t);
    free(t.stack);
    free(t.frames);
    free(t.saved);
    arena_free(&t.arena);
    if (!ok) {
        *status = t.unsupported ? WASM_TRANSLATE_UNSUPPORTED : WASM_TRANSLATE_FAILED;
        ir_func_free(t.f);
        return NULL;
    }
    WasmcError verr = { 0 };
    if (!ir_verify(t.f, &verr)) {
        *status = WASM_TRANSLATE_FAILED;
        wasmc_fail(err, verr.offset, "internal error: the IR of function %u does not verify: %s", func_idx, verr.msg);
        ir_func_free(t.f);
        return NULL;
    }
    *status = WASM_TRANSLATE_OK;
    return t.f;
}

IrFunc *wasm_translate_func(const WasmModule *m, uint32_t func_idx, WasmcError *err)
{
    return wasm_translate_func_status(m, func_idx, NULL, err);
}
