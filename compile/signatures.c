/* Function types as the runtime sees them: canonical signature strings
 * (wasmc_rt.h: "params:results", one character per value type) and the IR
 * signatures the trampolines are emitted from.
 *
 * Reference types: anything in the function hierarchy (funcref, nofunc, a
 * concrete function type) is 'r'; extern/noextern is 'e'. Other heap types
 * (any, eq, i31, struct, array, exn) belong to GC / exception handling, which
 * the pipeline does not lower: they are an error naming the feature. */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

bool sig_valtype_char(const WasmValType *t, char *out, WasmcError *err)
{
    switch (t->code) {
    case WT_I32: *out = WASMC_TYPE_I32; return true;
    case WT_I64: *out = WASMC_TYPE_I64; return true;
    case WT_F32: *out = WASMC_TYPE_F32; return true;
    case WT_F64: *out = WASMC_TYPE_F64; return true;
    case WT_V128: *out = WASMC_TYPE_V128; return true;
    case WT_REF:
        switch (t->heap) {
        case HT_FUNC:
        case HT_NOFUNC:
        case HT_NONE_IDX: /* a concrete type: only function types get this far */
            *out = WASMC_TYPE_FUNCREF;
            return true;
        case HT_EXTERN:
        case HT_NOEXTERN:
            *out = WASMC_TYPE_EXTERNREF;
            return true;
        case HT_EXN:
        case HT_NOEXN:
            return wasmc_fail(err, WASMC_NO_OFFSET,
                              "exception handling (exnref values) is not supported by the code generator yet");
        default:
            return wasmc_fail(err, WASMC_NO_OFFSET,
                              "GC reference types are not supported by the code generator yet");
        }
    default:
        return wasmc_fail(err, WASMC_NO_OFFSET, "unexpected value type 0x%02x", t->code);
    }
}

WasmcRefType sig_reftype(const WasmValType *t)
{
    WasmcRefType r = { 0, 0, 0 };
    if (t->code != WT_REF)
        return r;
    r.non_null = !t->nullable;
    switch (t->heap) {
    case HT_NOFUNC:
    case HT_NOEXTERN:
        r.heap = WASMC_HEAP_BOTTOM;
        break;
    case HT_NONE_IDX:
        r.heap = WASMC_HEAP_TYPE;
        r.type = t->type_idx;
        break;
    default: /* func, extern; others are rejected by sig_valtype_char */
        r.heap = WASMC_HEAP_TOP;
        break;
    }
    return r;
}

IrType sig_valtype_ir(const WasmValType *t)
{
    switch (t->code) {
    case WT_I32: return IR_TYPE_I32;
    case WT_F32: return IR_TYPE_F32;
    case WT_F64: return IR_TYPE_F64;
    case WT_V128: return IR_TYPE_V128;
    default: return IR_TYPE_I64; /* i64 and references (iptr) */
    }
}

bool sig_is_v128_free(const WasmSubType *t)
{
    for (uint32_t i = 0; i < t->nparams; i++)
        if (t->params[i].code == WT_V128)
            return false;
    for (uint32_t i = 0; i < t->nresults; i++)
        if (t->results[i].code == WT_V128)
            return false;
    return true;
}

bool sig_build_all(CompileCtx *c)
{
    const WasmModule *m = c->m;
    c->type_sigs = calloc(m->ntypes + 1, sizeof *c->type_sigs);
    if (!c->type_sigs)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    for (uint32_t t = 0; t < m->ntypes; t++) {
        const WasmSubType *st = &m->types[t];
        if (st->kind != COMP_FUNC)
            return wasmc_fail(c->err, WASMC_NO_OFFSET,
                              "GC types (struct/array type %u) are not supported by the code generator yet", t);
        char *s = malloc((size_t)st->nparams + st->nresults + 2);
        if (!s)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        c->type_sigs[t] = s;
        size_t n = 0;
        for (uint32_t i = 0; i < st->nparams; i++)
            if (!sig_valtype_char(&st->params[i], &s[n++], c->err))
                return false;
        s[n++] = ':';
        for (uint32_t i = 0; i < st->nresults; i++)
            if (!sig_valtype_char(&st->results[i], &s[n++], c->err))
                return false;
        s[n] = '\0';
    }
    return true;
}
