/* Function bodies and constant expressions: the operand and control stacks
 * of the spec's appendix "Validation Algorithm" and the control
 * instructions (blocks, branches, exceptions, legacy try/catch).
 *
 * Both stacks are heap arrays grown by doubling, never C recursion, so
 * nesting depth is limited only by the input size. A block's polymorphic
 * base (after unreachable, br, return, throw ...) is modelled as in the
 * spec: popping below the frame's height yields WT_BOT in dead code and a
 * "type mismatch" otherwise.
 *
 * Non-nullable locals: `inited` holds the current state; setting a local
 * that was not yet initialized appends it to `init_log`, and leaving a block
 * (or entering `else`/`catch`) rolls the log back to the frame's
 * init_height, exactly the spec's ctrl.init_height bookkeeping. */
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

/* Implementation limit on the operand stack (a call to a function type with
 * many results can push many values per instruction byte). */
enum { MAX_OPERANDS = 1u << 24 };

/* ---- growable arrays ---- */

void *fe_grow(void *p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    uint64_t ncap = *cap ? *cap : 64;
    while (ncap < need)
        ncap *= 2;
    *cap = (uint32_t)ncap;
    return xrealloc(p, (size_t)ncap * elem);
}

/* ---- the operand stack ---- */

bool fe_push(CodeCtx *c, WasmValType t)
{
    if (c->nvals >= MAX_OPERANDS)
        return FE_FAIL(c, "operand stack too deep");
    c->vals = fe_grow(c->vals, &c->cap_vals, c->nvals + 1, sizeof *c->vals);
    c->vals[c->nvals++] = t;
    return true;
}

bool fe_push_vals(CodeCtx *c, const WasmValType *ts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (!fe_push(c, ts[i]))
            return false;
    return true;
}

bool fe_pop_any(CodeCtx *c, WasmValType *out)
{
    Ctrl *f = &c->ctrls[c->nctrls - 1];
    if (c->nvals == f->height) {
        if (f->unreachable) {
            *out = wasm_valtype(WT_BOT);
            return true;
        }
        return FE_FAIL(c, "type mismatch: instruction requires more operands than the stack has");
    }
    *out = c->vals[--c->nvals];
    return true;
}

bool fe_pop(CodeCtx *c, WasmValType expect, WasmValType *out)
{
    WasmValType actual;
    if (!fe_pop_any(c, &actual))
        return false;
    if (!fe_valtype_sub(c->v, actual, expect)) {
        char a[48], b[48];
        return FE_FAIL(c, "type mismatch: expected %s, got %s", fe_valtype_str(expect, b, sizeof b),
                       fe_valtype_str(actual, a, sizeof a));
    }
    if (out)
        *out = actual;
    return true;
}

bool fe_pop_vals(CodeCtx *c, const WasmValType *ts, uint32_t n)
{
    for (uint32_t i = n; i-- > 0;)
        if (!fe_pop(c, ts[i], NULL))
            return false;
    return true;
}

bool fe_pop_ref(CodeCtx *c, WasmValType *out)
{
    if (!fe_pop_any(c, out))
        return false;
    if (out->code != WT_BOT && out->code != WT_REF)
        return FE_FAIL(c, "type mismatch: expected a reference");
    return true;
}

void fe_set_unreachable(CodeCtx *c)
{
    Ctrl *f = &c->ctrls[c->nctrls - 1];
    c->nvals = f->height;
    f->unreachable = true;
}

/* ---- block types and labels ---- */

static const WasmValType *bt_params(const WasmModule *m, const WasmBlockType *bt, uint32_t *n)
{
    if (bt->kind == BT_TYPE) {
        *n = m->types[bt->type_idx].nparams;
        return m->types[bt->type_idx].params;
    }
    *n = 0;
    return NULL;
}

static const WasmValType *bt_results(const WasmModule *m, const WasmBlockType *bt, uint32_t *n)
{
    if (bt->kind == BT_TYPE) {
        *n = m->types[bt->type_idx].nresults;
        return m->types[bt->type_idx].results;
    }
    *n = bt->kind == BT_VAL;
    return &bt->val;
}

bool fe_label_types(CodeCtx *c, uint32_t depth, const WasmValType **ts, uint32_t *n)
{
    if (depth >= c->nctrls)
        return FE_FAIL(c, "unknown label");
    const Ctrl *f = &c->ctrls[c->nctrls - 1 - depth];
    *ts = f->kind == CTRL_LOOP ? bt_params(c->m, &f->bt, n) : bt_results(c->m, &f->bt, n);
    return true;
}

bool fe_func_results(CodeCtx *c, const WasmValType **ts, uint32_t *n)
{
    if (c->is_const)
        return FE_FAIL(c, "constant expression required");
    *ts = bt_results(c->m, &c->ctrls[0].bt, n);
    return true;
}

static bool check_blocktype(CodeCtx *c, const WasmBlockType *bt)
{
    if (bt->kind == BT_TYPE) {
        if (bt->type_idx >= c->m->ntypes)
            return FE_FAIL(c, "unknown type %u", bt->type_idx);
        if (c->m->types[bt->type_idx].kind != COMP_FUNC)
            return FE_FAIL(c, "type mismatch: block type %u is not a function type", bt->type_idx);
        return true;
    }
    if (bt->kind == BT_VAL)
        return fe_check_valtype(c->v, bt->val, c->m->ntypes, c->off);
    return true;
}

/* ---- the control stack ---- */

/* Opens a frame. The block's params are popped from the enclosing frame
 * first unless they were already (else), then pushed inside the new one. */
static bool push_ctrl(CodeCtx *c, uint8_t kind, WasmBlockType bt, bool pop_params)
{
    uint32_t n;
    const WasmValType *params = bt_params(c->m, &bt, &n);
    if (pop_params && !fe_pop_vals(c, params, n))
        return false;
    c->ctrls = fe_grow(c->ctrls, &c->cap_ctrls, c->nctrls + 1, sizeof *c->ctrls);
    Ctrl *f = &c->ctrls[c->nctrls++];
    f->kind = kind;
    f->unreachable = false;
    f->bt = bt;
    f->height = c->nvals;
    f->init_height = c->ninit;
    f->off = (uint32_t)c->off;
    return fe_push_vals(c, params, n);
}

static void reset_inits(CodeCtx *c, uint32_t height)
{
    while (c->ninit > height)
        c->inited[c->init_log[--c->ninit]] = 0;
}

/* Pops the current frame after checking that exactly its results remain. */
static bool pop_ctrl(CodeCtx *c, Ctrl *out)
{
    *out = c->ctrls[c->nctrls - 1];
    uint32_t n;
    const WasmValType *results = bt_results(c->m, &out->bt, &n);
    if (!fe_pop_vals(c, results, n))
        return false;
    if (c->nvals != out->height)
        return FE_FAIL(c, "type mismatch: values remaining on the stack at the end of the block");
    c->nctrls--;
    reset_inits(c, out->init_height);
    return true;
}

/* ---- control instructions ---- */

static bool check_if(CodeCtx *c, const WasmInstr *in)
{
    WasmValType i32 = wasm_valtype(WT_I32);
    return check_blocktype(c, &in->u.block) && fe_pop(c, i32, NULL) &&
           push_ctrl(c, CTRL_IF, in->u.block, true);
}

static bool check_else(CodeCtx *c)
{
    Ctrl f;
    if (c->ctrls[c->nctrls - 1].kind != CTRL_IF)
        return FE_FAIL(c, "else without matching if");
    if (!pop_ctrl(c, &f))
        return false;
    return push_ctrl(c, CTRL_ELSE, f.bt, false);
}

static bool check_end(CodeCtx *c)
{
    Ctrl f;
    if (!pop_ctrl(c, &f))
        return false;
    uint32_t np, nr;
    const WasmValType *ps = bt_params(c->m, &f.bt, &np);
    const WasmValType *rs = bt_results(c->m, &f.bt, &nr);
    /* An if without else behaves as if the else passed its params through. */
    if (f.kind == CTRL_IF) {
        if (np != nr)
            return FE_FAIL(c, "type mismatch: if without else must have matching params and results");
        for (uint32_t i = 0; i < np; i++)
            if (!fe_valtype_sub(c->v, ps[i], rs[i]))
                return FE_FAIL(c, "type mismatch: if without else must have matching params and results");
    }
    if (f.kind == CTRL_FUNC)
        return true;
    return fe_push_vals(c, rs, nr);
}

static bool check_br(CodeCtx *c, uint32_t depth)
{
    const WasmValType *ts;
    uint32_t n;
    if (!fe_label_types(c, depth, &ts, &n) || !fe_pop_vals(c, ts, n))
        return false;
    fe_set_unreachable(c);
    return true;
}

static bool check_br_if(CodeCtx *c, uint32_t depth)
{
    const WasmValType *ts;
    uint32_t n;
    return fe_pop(c, wasm_valtype(WT_I32), NULL) && fe_label_types(c, depth, &ts, &n) &&
           fe_pop_vals(c, ts, n) && fe_push_vals(c, ts, n);
}

/* Checks that the top n operands match ts without popping them (the spec
 * pops and pushes back the actual types: the same thing in place). */
static bool peek_vals(CodeCtx *c, const WasmValType *ts, uint32_t n)
{
    const Ctrl *f = &c->ctrls[c->nctrls - 1];
    uint32_t avail = c->nvals - f->height;
    for (uint32_t i = 0; i < n; i++) {
        if (i >= avail) {
            if (f->unreachable)
                break;
            return FE_FAIL(c, "type mismatch: branch requires more operands than the stack has");
        }
        WasmValType actual = c->vals[c->nvals - 1 - i];
        if (!fe_valtype_sub(c->v, actual, ts[n - 1 - i]))
            return FE_FAIL(c, "type mismatch in br_table target");
    }
    return true;
}

static bool check_br_table(CodeCtx *c, const WasmInstr *in)
{
    if (!fe_pop(c, wasm_valtype(WT_I32), NULL))
        return false;
    const WasmValType *dts;
    uint32_t arity;
    if (!fe_label_types(c, in->u.br_table.default_label, &dts, &arity))
        return false;
    WasmBrTableIter it;
    uint32_t l;
    bool is_default;
    wasm_br_table_begin(&it, c->m->bytes, c->m->size, in);
    while (wasm_br_table_next(&it, &l, &is_default)) {
        const WasmValType *ts;
        uint32_t n;
        if (!fe_label_types(c, l, &ts, &n))
            return false;
        if (n != arity)
            return FE_FAIL(c, "type mismatch: br_table targets have different arities");
        if (!peek_vals(c, ts, n))
            return false;
    }
    return check_br(c, in->u.br_table.default_label);
}

static bool check_return(CodeCtx *c)
{
    const WasmValType *ts;
    uint32_t n;
    if (!fe_func_results(c, &ts, &n) || !fe_pop_vals(c, ts, n))
        return false;
    fe_set_unreachable(c);
    return true;
}

/* br_on_null l: [t* (ref null ht)] -> [t* (ref ht)] */
static bool check_br_on_null(CodeCtx *c, uint32_t depth)
{
    WasmValType r;
    const WasmValType *ts;
    uint32_t n;
    if (!fe_pop_ref(c, &r) || !fe_label_types(c, depth, &ts, &n) || !fe_pop_vals(c, ts, n) ||
        !fe_push_vals(c, ts, n))
        return false;
    if (r.code == WT_REF)
        r.nullable = false;
    return fe_push(c, r);
}

/* br_on_non_null l: [t* (ref null ht)] -> [t*], label types [t* (ref ht)] */
static bool check_br_on_non_null(CodeCtx *c, uint32_t depth)
{
    WasmValType r;
    const WasmValType *ts;
    uint32_t n;
    if (!fe_pop_ref(c, &r) || !fe_label_types(c, depth, &ts, &n))
        return false;
    if (n == 0 || ts[n - 1].code != WT_REF)
        return FE_FAIL(c, "type mismatch: br_on_non_null target must take a reference");
    if (r.code == WT_REF)
        r.nullable = false;
    if (!fe_valtype_sub(c->v, r, ts[n - 1]))
        return FE_FAIL(c, "type mismatch: br_on_non_null operand");
    return fe_pop_vals(c, ts, n - 1) && fe_push_vals(c, ts, n - 1);
}

/* br_on_cast(_fail) l rt1 rt2: rt2 <: rt1, operand rt1; the branch gets rt2
 * (or rt1 minus rt2 for _fail), the fall-through the other one. */
static bool check_br_on_cast(CodeCtx *c, const WasmInstr *in)
{
    WasmValType from = in->u.cast.from, to = in->u.cast.to;
    uint32_t nt = c->m->ntypes;
    if (!fe_check_valtype(c->v, from, nt, c->off) || !fe_check_valtype(c->v, to, nt, c->off))
        return false;
    if (!fe_valtype_sub(c->v, to, from))
        return FE_FAIL(c, "type mismatch: br_on_cast target type must be a subtype of the source");
    WasmValType diff = from;
    diff.nullable = from.nullable && !to.nullable;
    bool fail = in->op == WASM_OP_BR_ON_CAST_FAIL;
    WasmValType branch = fail ? diff : to, fall = fail ? to : diff;
    const WasmValType *ts;
    uint32_t n;
    if (!fe_pop(c, from, NULL) || !fe_label_types(c, in->u.cast.label, &ts, &n))
        return false;
    if (n == 0 || !fe_valtype_sub(c->v, branch, ts[n - 1]))
        return FE_FAIL(c, "type mismatch: br_on_cast label");
    return fe_pop_vals(c, ts, n - 1) && fe_push_vals(c, ts, n - 1) && fe_push(c, fall);
}

static const WasmSubType *tag_type(CodeCtx *c, uint32_t tag)
{
    if (tag >= c->m->ntags) {
        FE_FAIL(c, "unknown tag %u", tag);
        return NULL;
    }
    c->v->features |= WASM_FEAT_EXCEPTIONS;
    return &c->m->types[c->m->tags[tag].type_idx];
}

static bool check_throw(CodeCtx *c, uint32_t tag)
{
    const WasmSubType *t = tag_type(c, tag);
    if (!t || !fe_pop_vals(c, t->params, t->nparams))
        return false;
    fe_set_unreachable(c);
    return true;
}

static bool check_throw_ref(CodeCtx *c)
{
    if (!fe_pop(c, wasm_reftype(true, HT_EXN, 0), NULL))
        return false;
    fe_set_unreachable(c);
    return true;
}

/* The values a try_table catch clause hands to its label must match the
 * label's types (a subtype check, element-wise). */
static bool check_catch_clause(CodeCtx *c, const WasmCatch *k)
{
    const WasmValType *params = NULL, *ts;
    uint32_t np = 0, n;
    if (k->kind == CATCH || k->kind == CATCH_REF) {
        const WasmSubType *t = tag_type(c, k->tag);
        if (!t)
            return false;
        params = t->params;
        np = t->nparams;
    }
    bool with_ref = k->kind == CATCH_REF || k->kind == CATCH_ALL_REF;
    if (!fe_label_types(c, k->label, &ts, &n))
        return false;
    if (n != np + with_ref)
        return FE_FAIL(c, "type mismatch: catch label arity");
    for (uint32_t i = 0; i < np; i++)
        if (!fe_valtype_sub(c->v, params[i], ts[i]))
            return FE_FAIL(c, "type mismatch: catch label types");
    if (with_ref && !fe_valtype_sub(c->v, wasm_reftype(false, HT_EXN, 0), ts[np]))
        return FE_FAIL(c, "type mismatch: catch_ref label must take exnref");
    return true;
}

static bool check_try_table(CodeCtx *c, const WasmInstr *in)
{
    if (!check_blocktype(c, &in->u.block))
        return false;
    c->v->features |= WASM_FEAT_EXCEPTIONS;
    /* Catch labels are relative to the enclosing block, not the try_table. */
    WasmCatchIter it;
    WasmCatch k;
    wasm_catch_begin(&it, c->m->bytes, c->m->size, in);
    while (wasm_catch_next(&it, &k))
        if (!check_catch_clause(c, &k))
            return false;
    return push_ctrl(c, CTRL_TRY_TABLE, in->u.block, true);
}

/* Legacy `catch x` / `catch_all`: close the try (or previous catch) body
 * and open a handler whose operands are the tag's params. */
static bool check_legacy_catch(CodeCtx *c, const WasmInstr *in)
{
    uint8_t kind = c->ctrls[c->nctrls - 1].kind;
    if (kind != CTRL_TRY && kind != CTRL_CATCH)
        return FE_FAIL(c, "catch without matching try");
    const WasmSubType *t = NULL;
    if (in->op == WASM_OP_CATCH && !(t = tag_type(c, in->idx)))
        return false;
    Ctrl f;
    if (!pop_ctrl(c, &f))
        return false;
    /* The handler is a frame with the try's results and no params. */
    c->ctrls = fe_grow(c->ctrls, &c->cap_ctrls, c->nctrls + 1, sizeof *c->ctrls);
    Ctrl *h = &c->ctrls[c->nctrls++];
    *h = f;
    h->kind = in->op == WASM_OP_CATCH ? CTRL_CATCH : CTRL_CATCH_ALL;
    h->unreachable = false;
    h->height = c->nvals;
    h->init_height = c->ninit;
    return t ? fe_push_vals(c, t->params, t->nparams) : true;
}

static bool check_delegate(CodeCtx *c, uint32_t depth)
{
    if (c->ctrls[c->nctrls - 1].kind != CTRL_TRY)
        return FE_FAIL(c, "delegate without matching try");
    Ctrl f;
    if (!pop_ctrl(c, &f))
        return false;
    if (depth >= c->nctrls)
        return FE_FAIL(c, "unknown label");
    uint32_t n;
    const WasmValType *rs = bt_results(c->m, &f.bt, &n);
    return fe_push_vals(c, rs, n);
}

static bool check_rethrow(CodeCtx *c, uint32_t depth)
{
    if (depth >= c->nctrls)
        return FE_FAIL(c, "unknown label");
    uint8_t kind = c->ctrls[c->nctrls - 1 - depth].kind;
    if (kind != CTRL_CATCH && kind != CTRL_CATCH_ALL)
        return FE_FAIL(c, "invalid rethrow label");
    fe_set_unreachable(c);
    return true;
}

static bool check_block(CodeCtx *c, const WasmInstr *in, uint8_t kind)
{
    if (kind == CTRL_TRY)
        c->v->features |= WASM_FEAT_LEGACY_EXCEPTIONS;
    return check_blocktype(c, &in->u.block) && push_ctrl(c, kind, in->u.block, true);
}

/* Instructions allowed in constant expressions (3.0 with extended-const and GC). */
static bool is_const_op(WasmOpcode op)
{
    switch (op) {
    case WASM_OP_I32_CONST:
    case WASM_OP_I64_CONST:
    case WASM_OP_F32_CONST:
    case WASM_OP_F64_CONST:
    case WASM_OP_V128_CONST:
    case WASM_OP_REF_NULL:
    case WASM_OP_REF_FUNC:
    case WASM_OP_GLOBAL_GET:
    case WASM_OP_I32_ADD:
    case WASM_OP_I32_SUB:
    case WASM_OP_I32_MUL:
    case WASM_OP_I64_ADD:
    case WASM_OP_I64_SUB:
    case WASM_OP_I64_MUL:
    case WASM_OP_REF_I31:
    case WASM_OP_STRUCT_NEW:
    case WASM_OP_STRUCT_NEW_DEFAULT:
    case WASM_OP_ARRAY_NEW:
    case WASM_OP_ARRAY_NEW_DEFAULT:
    case WASM_OP_ARRAY_NEW_FIXED:
    case WASM_OP_ANY_CONVERT_EXTERN:
    case WASM_OP_EXTERN_CONVERT_ANY:
    case WASM_OP_END: return true;
    default: return false;
    }
}

static bool check_instr(CodeCtx *c, const WasmInstr *in)
{
    c->off = in->off;
    if (c->is_const && !is_const_op(in->op))
        return FE_FAIL(c, "constant expression required");
    switch (in->op) {
    case WASM_OP_UNREACHABLE: fe_set_unreachable(c); return true;
    case WASM_OP_NOP: return true;
    case WASM_OP_BLOCK: return check_block(c, in, CTRL_BLOCK);
    case WASM_OP_LOOP: return check_block(c, in, CTRL_LOOP);
    case WASM_OP_TRY: return check_block(c, in, CTRL_TRY);
    case WASM_OP_IF: return check_if(c, in);
    case WASM_OP_ELSE: return check_else(c);
    case WASM_OP_END: return check_end(c);
    case WASM_OP_BR: return check_br(c, in->idx);
    case WASM_OP_BR_IF: return check_br_if(c, in->idx);
    case WASM_OP_BR_TABLE: return check_br_table(c, in);
    case WASM_OP_RETURN: return check_return(c);
    case WASM_OP_BR_ON_NULL:
        c->v->features |= WASM_FEAT_FUNC_REFS;
        return check_br_on_null(c, in->idx);
    case WASM_OP_BR_ON_NON_NULL:
        c->v->features |= WASM_FEAT_FUNC_REFS;
        return check_br_on_non_null(c, in->idx);
    case WASM_OP_BR_ON_CAST:
    case WASM_OP_BR_ON_CAST_FAIL: return check_br_on_cast(c, in);
    case WASM_OP_THROW: return check_throw(c, in->idx);
    case WASM_OP_THROW_REF: c->v->features |= WASM_FEAT_EXCEPTIONS; return check_throw_ref(c);
    case WASM_OP_TRY_TABLE: return check_try_table(c, in);
    case WASM_OP_CATCH:
    case WASM_OP_CATCH_ALL: return check_legacy_catch(c, in);
    case WASM_OP_DELEGATE: return check_delegate(c, in->idx);
    case WASM_OP_RETHROW: return check_rethrow(c, in->idx);
    default: return fe_check_op(c, in);
    }
}

/* Runs the instruction loop until the outermost frame is closed by its
 * `end`, which must be the last byte of the range. */
static bool run(CodeCtx *c, Reader *r)
{
    WasmInstr in;
    while (c->nctrls > 0) {
        if (rd_eof(r))
            return wasmc_fail(c->v->err, rd_offset(r), "unexpected end of section or function");
        if (!wasm_read_instr(r, &in) || !check_instr(c, &in))
            return false;
    }
    if (!rd_eof(r))
        return wasmc_fail(c->v->err, rd_offset(r), "END opcode expected: operators remaining after the end of the function");
    return true;
}

static CodeCtx *code_ctx(Validator *v)
{
    if (!v->code) {
        v->code = xcalloc(1, sizeof *v->code);
        v->code->v = v;
        v->code->m = v->m;
    }
    CodeCtx *c = v->code;
    c->nvals = c->nctrls = c->ninit = c->nlocals = 0;
    c->is_const = false;
    return c;
}

static void push_frame(CodeCtx *c, WasmBlockType bt, uint32_t off)
{
    c->ctrls = fe_grow(c->ctrls, &c->cap_ctrls, 1, sizeof *c->ctrls);
    Ctrl *f = &c->ctrls[0];
    memset(f, 0, sizeof *f);
    f->kind = CTRL_FUNC;
    f->bt = bt;
    f->off = off;
    c->nctrls = 1;
}

/* Lays out params then declared locals; declared non-defaultable locals
 * start uninitialized. */
static bool setup_locals(CodeCtx *c, const WasmFunc *fn, const WasmSubType *ft)
{
    uint64_t total = (uint64_t)ft->nparams + fn->nlocals, sum = 0;
    for (uint32_t i = 0; i < fn->nlocal_runs; i++)
        sum += fn->local_runs[i].count;
    /* The decoder bounds declared locals; params are bounded by the input. */
    if (sum != fn->nlocals || total > UINT32_MAX / 2)
        return wasmc_fail(c->v->err, fn->body_off, "too many locals");
    c->locals = fe_grow(c->locals, &c->cap_locals, (uint32_t)total, sizeof *c->locals);
    c->inited = xrealloc(c->inited, c->cap_locals ? c->cap_locals : 1);
    uint32_t k = 0;
    for (uint32_t i = 0; i < ft->nparams; i++, k++) {
        c->locals[k] = ft->params[i];
        c->inited[k] = 1;
    }
    for (uint32_t i = 0; i < fn->nlocal_runs; i++) {
        WasmValType t = fn->local_runs[i].type;
        if (!fe_check_valtype(c->v, t, c->m->ntypes, fn->body_off))
            return false;
        for (uint32_t j = 0; j < fn->local_runs[i].count; j++, k++) {
            c->locals[k] = t;
            c->inited[k] = fe_is_defaultable(t);
        }
    }
    c->nlocals = k;
    return true;
}

bool fe_validate_func(Validator *v, uint32_t func_idx)
{
    WasmModule *m = v->m;
    const WasmFunc *fn = &m->funcs[func_idx];
    CodeCtx *c = code_ctx(v);
    c->func_type = fn->type_idx;
    c->off = fn->code_off;
    if (!setup_locals(c, fn, &m->types[fn->type_idx]))
        return false;
    WasmBlockType bt = { BT_TYPE, { 0, 0, 0, 0, 0 }, fn->type_idx };
    push_frame(c, bt, fn->code_off);
    if ((uint64_t)fn->code_off + fn->code_len > m->size)
        return wasmc_fail(v->err, fn->code_off, "unexpected end");
    Reader r = reader_make(m->bytes, fn->code_off + fn->code_len, v->err);
    r.p = m->bytes + fn->code_off;
    return run(c, &r);
}

bool fe_validate_const(Validator *v, WasmConstExpr e, WasmValType expect, uint32_t nglobals)
{
    WasmModule *m = v->m;
    CodeCtx *c = code_ctx(v);
    c->is_const = true;
    c->nglobals = nglobals;
    c->off = e.off;
    if ((uint64_t)e.off + e.len > m->size || e.len == 0)
        return wasmc_fail(v->err, e.off, "unexpected end");
    WasmBlockType bt = { BT_VAL, expect, 0 };
    push_frame(c, bt, e.off);
    Reader r = reader_make(m->bytes, e.off + e.len, v->err);
    r.p = m->bytes + e.off;
    return run(c, &r);
}

void fe_code_free(Validator *v)
{
    CodeCtx *c = v->code;
    if (!c)
        return;
    free(c->vals);
    free(c->ctrls);
    free(c->locals);
    free(c->inited);
    free(c->init_log);
    free(c);
    v->code = NULL;
}
