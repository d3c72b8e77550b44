/* Types, module-level declarations and feature checks for translation.
 *
 * Entities keep their wasm indices (sigN = type N, fnN = function N, ...),
 * so a function declares exactly the entities its body uses, on first use. */
#include "translate_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Types ----------------------------------------------------------------- */

/* The feature a reference heap type needs, or NULL when it is a function or
 * extern reference (both are iptr values; null is 0). */
static const char *ref_feature(const WasmModule *m, WasmValType vt)
{
    switch (vt.heap) {
    case HT_FUNC:
    case HT_NOFUNC:
    case HT_EXTERN:
    case HT_NOEXTERN:
        return NULL;
    case HT_EXN:
    case HT_NOEXN:
        return "exception handling";
    case HT_NONE_IDX:
        /* Typed function references are still funcrefs underneath. */
        if (vt.type_idx < m->ntypes && m->types[vt.type_idx].kind == COMP_FUNC)
            return NULL;
        return "GC types";
    default:
        return "GC types";
    }
}

static const char *valtype_feature(const WasmModule *m, WasmValType vt, IrType *out)
{
    switch (vt.code) {
    case WT_I32: *out = IR_TYPE_I32; return NULL;
    case WT_I64: *out = IR_TYPE_I64; return NULL;
    case WT_F32: *out = IR_TYPE_F32; return NULL;
    case WT_F64: *out = IR_TYPE_F64; return NULL;
    case WT_V128: *out = IR_TYPE_V128; return NULL;
    case WT_REF:
        *out = IR_TYPE_IPTR;
        return ref_feature(m, vt);
    default:
        return "GC types"; /* packed storage types never reach values */
    }
}

static const char *sig_feature(const WasmModule *m, uint32_t type_idx)
{
    const WasmSubType *st = &m->types[type_idx];
    if (st->kind != COMP_FUNC)
        return "GC types";
    IrType ty;
    for (uint32_t i = 0; i < st->nparams; i++) {
        const char *feat = valtype_feature(m, st->params[i], &ty);
        if (feat)
            return feat;
    }
    for (uint32_t i = 0; i < st->nresults; i++) {
        const char *feat = valtype_feature(m, st->results[i], &ty);
        if (feat)
            return feat;
    }
    return NULL;
}

static bool fail_feature(WasmcError *err, size_t off, const char *feature)
{
    return wasmc_fail(err, off, "%s is not supported by the code generator yet", feature);
}

/* ---- Module-level declarations (public) ------------------------------------ */

bool wasm_ir_declare_sig(IrFunc *f, const WasmModule *m, uint32_t type_idx, WasmcError *err)
{
    if (ir_func_sig_decl(f, type_idx))
        return true;
    const char *feat = sig_feature(m, type_idx);
    if (feat)
        return fail_feature(err, WASMC_NO_OFFSET, feat);
    const WasmSubType *st = &m->types[type_idx];
    IrType *params = xcalloc(st->nparams + 1, sizeof *params);
    IrType *results = xcalloc(st->nresults + 1, sizeof *results);
    for (uint32_t i = 0; i < st->nparams; i++)
        (void)valtype_feature(m, st->params[i], &params[i]);
    for (uint32_t i = 0; i < st->nresults; i++)
        (void)valtype_feature(m, st->results[i], &results[i]);
    ir_declare_sig(f, type_idx, params, st->nparams, results, st->nresults);
    free(params);
    free(results);
    return true;
}

const char *wasm_ir_func_name(const WasmModule *m, uint32_t func_idx, char *buf, size_t size)
{
    if (func_idx < m->nimported_funcs) {
        for (uint32_t i = 0; i < m->nimports; i++) {
            const WasmImport *im = &m->imports[i];
            if (im->kind == EXTERN_FUNC && im->index == func_idx) {
                snprintf(buf, size, "%.*s.%.*s", (int)im->module_len, im->module, (int)im->field_len, im->field);
                return buf;
            }
        }
    }
    const char *name = wasm_func_name(m, func_idx);
    if (name)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "f%u", func_idx);
    return buf;
}

bool wasm_ir_declare_fn(IrFunc *f, const WasmModule *m, uint32_t func_idx, WasmcError *err)
{
    if (ir_func_fn_decl(f, func_idx))
        return true;
    uint32_t type_idx = m->funcs[func_idx].type_idx;
    if (!wasm_ir_declare_sig(f, m, type_idx, err))
        return false;
    char buf[512];
    wasm_ir_func_name(m, func_idx, buf, sizeof buf);
    ir_declare_fn(f, func_idx, func_idx < m->nimported_funcs ? IR_FN_IMPORT : IR_FN_LOCAL, buf, strlen(buf),
                  type_idx);
    return true;
}

bool wasm_ir_declare_memory(IrFunc *f, const WasmModule *m, uint32_t mem_idx, WasmcError *err)
{
    (void)err;
    if (ir_func_mem_decl(f, mem_idx))
        return true;
    const WasmLimits *l = &m->memories[mem_idx].limits;
    IrMemoryDecl d = {
        .min = l->min,
        .max = l->max,
        .index_type = l->is64 ? IR_TYPE_I64 : IR_TYPE_I32,
        .page_log2 = l->page_log2,
        .has_max = l->has_max,
        .shared = l->shared,
    };
    ir_declare_memory(f, mem_idx, &d);
    return true;
}

bool wasm_ir_declare_global(IrFunc *f, const WasmModule *m, uint32_t global_idx, WasmcError *err)
{
    if (ir_func_global_decl(f, global_idx))
        return true;
    const WasmGlobal *g = &m->globals[global_idx];
    IrType ty;
    const char *feat = valtype_feature(m, g->type, &ty);
    if (feat)
        return fail_feature(err, WASMC_NO_OFFSET, feat);
    IrGlobalDecl d = { .type = ty, .mutable_ = g->mut, .imported = global_idx < m->nimported_globals };
    ir_declare_global(f, global_idx, &d);
    return true;
}

bool wasm_ir_declare_table(IrFunc *f, const WasmModule *m, uint32_t table_idx, WasmcError *err)
{
    if (ir_func_table_decl(f, table_idx))
        return true;
    const WasmTable *tb = &m->tables[table_idx];
    const char *feat = ref_feature(m, tb->elem);
    if (feat)
        return fail_feature(err, WASMC_NO_OFFSET, feat);
    bool ext = tb->elem.heap == HT_EXTERN || tb->elem.heap == HT_NOEXTERN;
    IrTableDecl d = {
        .min = tb->limits.min,
        .max = tb->limits.max,
        .elem = ext ? IR_REF_EXTERN : IR_REF_FUNC,
        .index_type = tb->limits.is64 ? IR_TYPE_I64 : IR_TYPE_I32,
        .has_max = tb->limits.has_max,
    };
    ir_declare_table(f, table_idx, &d);
    return true;
}

bool wasm_ir_declare_all(IrFunc *f, const WasmModule *m, WasmcError *err)
{
    for (uint32_t i = 0; i < m->nmemories; i++)
        if (!wasm_ir_declare_memory(f, m, i, err))
            return false;
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (!wasm_ir_declare_global(f, m, i, err))
            return false;
    for (uint32_t i = 0; i < m->ntables; i++)
        if (!wasm_ir_declare_table(f, m, i, err))
            return false;
    for (uint32_t i = 0; i < m->ntypes; i++)
        if (m->types[i].kind == COMP_FUNC && !wasm_ir_declare_sig(f, m, i, err))
            return false;
    for (uint32_t i = 0; i < m->nfuncs; i++)
        if (!wasm_ir_declare_fn(f, m, i, err))
            return false;
    return true;
}

/* ---- Translator wrappers: errors name the function ------------------------- */

bool tr_unsupported(Translator *t, uint32_t off, const char *feature)
{
    t->unsupported = true;
    return wasmc_fail(t->err, off, "%s is not supported by the code generator yet (function %u)", feature,
                      t->func_idx);
}

bool tr_valtype(Translator *t, WasmValType vt, uint32_t off, IrType *out)
{
    const char *feat = valtype_feature(t->m, vt, out);
    return feat ? tr_unsupported(t, off, feat) : true;
}

bool tr_decl_sig(Translator *t, uint32_t type_idx, uint32_t off)
{
    const char *feat = ir_func_sig_decl(t->f, type_idx) ? NULL : sig_feature(t->m, type_idx);
    if (feat)
        return tr_unsupported(t, off, feat);
    return wasm_ir_declare_sig(t->f, t->m, type_idx, t->err);
}

bool tr_decl_fn(Translator *t, uint32_t func_idx, uint32_t off)
{
    return tr_decl_sig(t, t->m->funcs[func_idx].type_idx, off) && wasm_ir_declare_fn(t->f, t->m, func_idx, t->err);
}

bool tr_decl_mem(Translator *t, uint32_t mem_idx, uint32_t off)
{
    (void)off;
    return wasm_ir_declare_memory(t->f, t->m, mem_idx, t->err);
}

bool tr_decl_global(Translator *t, uint32_t global_idx, uint32_t off)
{
    IrType ty;
    if (!ir_func_global_decl(t->f, global_idx) && !tr_valtype(t, t->m->globals[global_idx].type, off, &ty))
        return false;
    return wasm_ir_declare_global(t->f, t->m, global_idx, t->err);
}

bool tr_decl_table(Translator *t, uint32_t table_idx, uint32_t off)
{
    const char *feat = ir_func_table_decl(t->f, table_idx) ? NULL : ref_feature(t->m, t->m->tables[table_idx].elem);
    if (feat)
        return tr_unsupported(t, off, feat);
    return wasm_ir_declare_table(t->f, t->m, table_idx, t->err);
}

IrType tr_mem_index_type(const Translator *t, uint32_t mem_idx)
{
    return t->m->memories[mem_idx].limits.is64 ? IR_TYPE_I64 : IR_TYPE_I32;
}

IrType tr_table_index_type(const Translator *t, uint32_t table_idx)
{
    return t->m->tables[table_idx].limits.is64 ? IR_TYPE_I64 : IR_TYPE_I32;
}

/* ---- Opcodes the code generator cannot lower yet ---------------------------- */

const char *tr_op_unsupported_feature(WasmOpcode op)
{
    const WasmOpInfo *oi = wasm_op_info(op);
    switch (oi->prefix) {
    case 0xFB: return "GC";
    case 0xFE: return "threads (atomics)";
    default: break;
    }
    switch (op) {
    case WASM_OP_TRY:
    case WASM_OP_CATCH:
    case WASM_OP_THROW:
    case WASM_OP_RETHROW:
    case WASM_OP_THROW_REF:
    case WASM_OP_DELEGATE:
    case WASM_OP_CATCH_ALL:
    case WASM_OP_TRY_TABLE:
        return "exception handling";
    case WASM_OP_REF_EQ:
        return "GC";
    default:
        return NULL;
    }
}
