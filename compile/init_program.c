/* The init program (codegen.h CgInitInsn; wasmc_rt.h WasmcInitFn): the
 * module's constant expressions, in the order the runtime expects:
 *   1. defined globals' initializers, in index order, each stored into the
 *      vmctx (a later initializer may read an earlier global);
 *   2. defined tables' initializer expressions -> out->table_inits[t];
 *   3. active data segment offsets -> out->data_offsets[d];
 *   4. per element segment: the active offset -> out->elem_offsets[e], and,
 *      for expression items that are not all plain ref.func / ref.null, each
 *      item -> out->elem_items[e][k]. Plain items become a func_indices array
 *      in the descriptor instead (c->elem_funcs), which the runtime resolves
 *      without running code.
 *
 * Expressions are walked with the frontend's instruction reader; the
 * validator has already checked them, so a decode failure here is a bug.
 * i32 offsets must reach the runtime zero-extended: i32.const and 32-bit
 * arithmetic guarantee it in init.c, and a bare global.get of an i32 global
 * (whose storage's upper bytes the host may have left dirty) gets a 32-bit
 * "+ 0" appended. */
#include <stdlib.h>
#include <string.h>

#include "../frontend/instr.h"
#include "compile_internal.h"

static bool put(CompileCtx *c, CgInitOp op, uint32_t index, uint32_t index2, uint64_t imm)
{
    if (c->ninit == c->cap_init) {
        uint32_t cap = c->cap_init ? c->cap_init * 2 : 64;
        CgInitInsn *p = realloc(c->init, cap * sizeof *p);
        if (!p)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        c->init = p;
        c->cap_init = cap;
    }
    c->init[c->ninit++] = (CgInitInsn){ (uint8_t)op, index, index2, imm };
    return true;
}

static Reader expr_reader(const CompileCtx *c, WasmConstExpr e, WasmcError *err)
{
    Reader r = { c->m->bytes, c->m->bytes + e.off, c->m->bytes + e.off + e.len, err };
    return r;
}

/* Appends the ops computing e (one value left on the init stack). */
static bool emit_expr(CompileCtx *c, WasmConstExpr e, bool zext_i32)
{
    const WasmModule *m = c->m;
    WasmcError derr = { 0 };
    Reader r = expr_reader(c, e, &derr);
    bool bare_i32_global = false; /* the last op pushed an i32 global as is */
    for (;;) {
        WasmInstr in;
        if (!wasm_read_instr(&r, &in))
            return wasmc_fail(c->err, e.off, "internal error: bad constant expression (%s)", derr.msg);
        bool ok = true;
        bool global = false;
        switch (in.op) {
        case WASM_OP_END:
            if (zext_i32 && bare_i32_global)
                return put(c, CG_INIT_I32_CONST, 0, 0, 0) && put(c, CG_INIT_I32_ADD, 0, 0, 0);
            return true;
        case WASM_OP_I32_CONST: ok = put(c, CG_INIT_I32_CONST, 0, 0, (uint32_t)in.u.i32); break;
        case WASM_OP_I64_CONST: ok = put(c, CG_INIT_I64_CONST, 0, 0, (uint64_t)in.u.i64); break;
        case WASM_OP_F32_CONST: ok = put(c, CG_INIT_F32_CONST, 0, 0, in.u.f32); break;
        case WASM_OP_F64_CONST: ok = put(c, CG_INIT_F64_CONST, 0, 0, in.u.f64); break;
        case WASM_OP_REF_NULL: ok = put(c, CG_INIT_REF_NULL, 0, 0, 0); break;
        case WASM_OP_REF_FUNC: ok = put(c, CG_INIT_REF_FUNC, in.idx, 0, 0); break;
        case WASM_OP_GLOBAL_GET:
            if (in.idx < m->nglobals && m->globals[in.idx].type.code == WT_V128)
                return wasmc_fail(c->err, in.off, "SIMD (a v128 global in a constant expression) is not "
                                                  "supported by the code generator yet");
            ok = put(c, CG_INIT_GLOBAL_GET, in.idx, 0, 0);
            global = in.idx < m->nglobals && m->globals[in.idx].type.code == WT_I32;
            break;
        case WASM_OP_I32_ADD: ok = put(c, CG_INIT_I32_ADD, 0, 0, 0); break;
        case WASM_OP_I32_SUB: ok = put(c, CG_INIT_I32_SUB, 0, 0, 0); break;
        case WASM_OP_I32_MUL: ok = put(c, CG_INIT_I32_MUL, 0, 0, 0); break;
        case WASM_OP_I64_ADD: ok = put(c, CG_INIT_I64_ADD, 0, 0, 0); break;
        case WASM_OP_I64_SUB: ok = put(c, CG_INIT_I64_SUB, 0, 0, 0); break;
        case WASM_OP_I64_MUL: ok = put(c, CG_INIT_I64_MUL, 0, 0, 0); break;
        case WASM_OP_V128_CONST:
            return wasmc_fail(c->err, in.off,
                              "SIMD (v128.const in a constant expression) is not supported by the code generator yet");
        default:
            return wasmc_fail(c->err, in.off,
                              "GC (%s in a constant expression) is not supported by the code generator yet",
                              wasm_op_info(in.op)->name);
        }
        if (!ok)
            return false;
        bare_i32_global = global;
    }
}

/* A single ref.func i / ref.null item: its func_indices entry. */
static bool plain_item(const CompileCtx *c, WasmConstExpr e, uint32_t *out)
{
    WasmcError derr = { 0 };
    Reader r = expr_reader(c, e, &derr);
    WasmInstr a, b;
    if (!wasm_read_instr(&r, &a) || !wasm_read_instr(&r, &b) || b.op != WASM_OP_END)
        return false;
    if (a.op == WASM_OP_REF_FUNC)
        *out = a.idx;
    else if (a.op == WASM_OP_REF_NULL)
        *out = WASMC_ELEM_NULL;
    else
        return false;
    return true;
}

static bool elem_items(CompileCtx *c, uint32_t e)
{
    const WasmElemSeg *s = &c->m->elems[e];
    uint32_t *funcs = malloc(((size_t)s->count + 1) * sizeof *funcs);
    if (!funcs)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    bool plain = true;
    for (uint32_t k = 0; k < s->count; k++) {
        if (s->func_idxs)
            funcs[k] = s->func_idxs[k];
        else if (!plain_item(c, s->exprs[k], &funcs[k]))
            plain = false;
    }
    if (plain) {
        c->elem_funcs[e] = funcs;
        return true;
    }
    free(funcs);
    for (uint32_t k = 0; k < s->count; k++)
        if (!emit_expr(c, s->exprs[k], false) || !put(c, CG_INIT_STORE_ELEM_ITEM, e, k, 0))
            return false;
    return true;
}

bool init_program_build(CompileCtx *c)
{
    const WasmModule *m = c->m;
    for (uint32_t g = m->nimported_globals; g < m->nglobals; g++)
        if (!emit_expr(c, m->globals[g].init, false) || !put(c, CG_INIT_STORE_GLOBAL, g, 0, 0))
            return false;
    for (uint32_t t = m->nimported_tables; t < m->ntables; t++)
        if (m->tables[t].has_init &&
            (!emit_expr(c, m->tables[t].init, false) || !put(c, CG_INIT_STORE_TABLE_INIT, t, 0, 0)))
            return false;
    for (uint32_t d = 0; d < m->ndatas; d++)
        if (m->datas[d].mode == SEG_ACTIVE &&
            (!emit_expr(c, m->datas[d].offset, true) || !put(c, CG_INIT_STORE_DATA_OFFSET, d, 0, 0)))
            return false;
    c->elem_funcs = calloc(m->nelems + 1, sizeof *c->elem_funcs);
    if (!c->elem_funcs)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    for (uint32_t e = 0; e < m->nelems; e++) {
        const WasmElemSeg *s = &m->elems[e];
        if (s->mode == SEG_ACTIVE &&
            (!emit_expr(c, s->offset, true) || !put(c, CG_INIT_STORE_ELEM_OFFSET, e, 0, 0)))
            return false;
        if (!elem_items(c, e))
            return false;
    }
    return true;
}
