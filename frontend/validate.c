/* Module-level validation (WebAssembly 3.0, 3.5 "Modules") and the
 * wasm_validate entry point.
 *
 * Order matters: types first (everything refers to them), then the entity
 * declarations, then constant expressions (which also collect C.refs, the
 * functions that ref.func may name inside code), and function bodies last. */
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

/* ---- diagnostics offsets ---- */

/* Records where each known section's contents start (or the end of the
 * header for absent ones) and where each imported entity was declared, so
 * that entries without an offset of their own (types, tables, memories,
 * tags) can be reported at their import entry or section. The decoder has
 * checked the section structure; the walk is still bounds-checked. */
static void index_offsets(Validator *v)
{
    const WasmModule *m = v->m;
    WasmcError ignored = { 0 };
    Reader r = reader_make(m->bytes, m->size, &ignored);
    const uint8_t *skip;
    size_t header = m->size < 8 ? m->size : 8;
    for (int i = 0; i < FE_NSECTIONS; i++)
        v->section_off[i] = header;
    if (rd_bytes(&r, 8, &skip)) {
        while (!rd_eof(&r)) {
            uint8_t sid;
            uint32_t len;
            if (!rd_u8(&r, &sid) || !rd_u32(&r, &len))
                break;
            if (sid < FE_NSECTIONS && sid != 0)
                v->section_off[sid] = rd_offset(&r);
            if (!rd_bytes(&r, len, &skip))
                break;
        }
    }
    uint32_t counts[5] = { m->nimported_funcs, m->nimported_tables, m->nimported_memories,
                           m->nimported_globals, m->nimported_tags };
    for (int k = 0; k < 5; k++)
        v->import_off[k] = arena_array(&v->m->arena, counts[k] ? counts[k] : 1, sizeof(uint32_t));
    for (uint32_t i = 0; i < m->nimports; i++) {
        const WasmImport *imp = &m->imports[i];
        if (imp->kind < 5 && imp->index < counts[imp->kind])
            v->import_off[imp->kind][imp->index] = imp->off;
    }
}

/* Where entity `idx` of an index space was declared: its import entry, or
 * its section. */
static size_t entity_offset(const Validator *v, uint8_t kind, uint32_t idx, uint8_t section)
{
    uint32_t nimported[5] = { v->m->nimported_funcs, v->m->nimported_tables,
                              v->m->nimported_memories, v->m->nimported_globals,
                              v->m->nimported_tags };
    if (idx < nimported[kind])
        return v->import_off[kind][idx];
    return v->section_off[section];
}

/* Memory size limits in pages: 65536 pages of 64 KiB for 32-bit memories
 * and 2^48 for memory64; with 1-byte pages (custom-page-sizes) the largest
 * size that the address type can index, 2^32-1 or 2^64-1. */
static uint64_t memory_max_pages(const WasmLimits *l)
{
    if (l->page_log2 == 0)
        return l->is64 ? UINT64_MAX : UINT32_MAX;
    return l->is64 ? (uint64_t)1 << 48 : (uint64_t)1 << 16;
}

static bool check_limits_order(Validator *v, const WasmLimits *l, size_t off)
{
    if (l->has_max && l->min > l->max)
        return wasmc_fail(v->err, off, "size minimum must not be greater than maximum");
    return true;
}

static bool check_memory(Validator *v, uint32_t idx)
{
    const WasmLimits *l = &v->m->memories[idx].limits;
    size_t off = entity_offset(v, EXTERN_MEMORY, idx, 5);
    if (l->page_log2 != 16 && l->page_log2 != 0)
        return wasmc_fail(v->err, off, "invalid custom page size");
    if (l->page_log2 != 16)
        v->features |= WASM_FEAT_CUSTOM_PAGES;
    if (l->is64)
        v->features |= WASM_FEAT_MEMORY64;
    uint64_t max = memory_max_pages(l);
    if (l->min > max || (l->has_max && l->max > max))
        return wasmc_fail(v->err, off, "memory size must be at most %llu pages",
                          (unsigned long long)max);
    if (!check_limits_order(v, l, off))
        return false;
    if (l->shared) {
        v->features |= WASM_FEAT_THREADS;
        if (!l->has_max)
            return wasmc_fail(v->err, off, "shared memory must have maximum");
    }
    return true;
}

static bool check_table(Validator *v, uint32_t idx)
{
    WasmModule *m = v->m;
    const WasmTable *t = &m->tables[idx];
    size_t off = entity_offset(v, EXTERN_TABLE, idx, 4);
    if (t->elem.code != WT_REF)
        return wasmc_fail(v->err, off, "malformed reference type");
    if (!fe_check_valtype(v, t->elem, m->ntypes, off))
        return false;
    if (t->limits.is64)
        v->features |= WASM_FEAT_MEMORY64;
    if (!t->limits.is64 && (t->limits.min > UINT32_MAX || t->limits.max > UINT32_MAX))
        return wasmc_fail(v->err, off, "table size must be at most 2^32-1");
    if (!check_limits_order(v, &t->limits, off))
        return false;
    if (idx < m->nimported_tables)
        return true;
    /* The table section precedes the globals: only imported ones are visible. */
    if (t->has_init)
        return fe_validate_const(v, t->init, t->elem, m->nimported_globals);
    if (!t->elem.nullable)
        return wasmc_fail(v->err, off,
                          "type mismatch: a table of non-nullable references needs an initializer");
    return true;
}

static bool check_tag_type(Validator *v, uint32_t idx)
{
    WasmModule *m = v->m;
    uint32_t type_idx = m->tags[idx].type_idx;
    size_t off = entity_offset(v, EXTERN_TAG, idx, 13);
    v->features |= WASM_FEAT_EXCEPTIONS;
    if (type_idx >= m->ntypes)
        return wasmc_fail(v->err, off, "unknown type %u", type_idx);
    if (m->types[type_idx].kind != COMP_FUNC)
        return wasmc_fail(v->err, off, "type mismatch: tag type %u is not a function type", type_idx);
    if (m->types[type_idx].nresults != 0)
        return wasmc_fail(v->err, off, "non-empty tag result type");
    return true;
}

static bool check_entities(Validator *v)
{
    WasmModule *m = v->m;
    for (uint32_t i = 0; i < m->nfuncs; i++) {
        uint32_t t = m->funcs[i].type_idx;
        size_t off = m->funcs[i].imported ? entity_offset(v, EXTERN_FUNC, i, 3) : m->funcs[i].body_off;
        if (t >= m->ntypes)
            return wasmc_fail(v->err, off, "unknown type %u", t);
        if (m->types[t].kind != COMP_FUNC)
            return wasmc_fail(v->err, off, "type mismatch: function type %u is not a function type", t);
    }
    for (uint32_t i = 0; i < m->ntags; i++)
        if (!check_tag_type(v, i))
            return false;
    if (m->nmemories > 1) {
        /* Before multi-memory (e.g. the threads proposal's profile), a second
         * memory is invalid. */
        if (v->disabled & WASM_FEAT_MULTI_MEMORY)
            return wasmc_fail(v->err, entity_offset(v, EXTERN_MEMORY, 1, 5), "multiple memories");
        v->features |= WASM_FEAT_MULTI_MEMORY;
    }
    /* Likewise a second table before reference types. */
    if (m->ntables > 1 && (v->disabled & WASM_FEAT_REF_TYPES))
        return wasmc_fail(v->err, entity_offset(v, EXTERN_TABLE, 1, 4), "multiple tables");
    for (uint32_t i = 0; i < m->nmemories; i++)
        if (!check_memory(v, i))
            return false;
    /* Globals: an initializer may read earlier immutable globals (3.0). */
    for (uint32_t i = 0; i < m->nglobals; i++) {
        const WasmGlobal *g = &m->globals[i];
        size_t off = i < m->nimported_globals ? entity_offset(v, EXTERN_GLOBAL, i, 6) : g->init.off;
        if (!fe_check_valtype(v, g->type, m->ntypes, off))
            return false;
        if (i >= m->nimported_globals && !fe_validate_const(v, g->init, g->type, i))
            return false;
    }
    for (uint32_t i = 0; i < m->ntables; i++)
        if (!check_table(v, i))
            return false;
    return true;
}

/* ---- exports ---- */

/* Orders exports by name (bytes, then length); names may contain NULs. */
static int cmp_export(const void *a, const void *b)
{
    const WasmExport *x = *(const WasmExport *const *)a;
    const WasmExport *y = *(const WasmExport *const *)b;
    uint32_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);
    if (c)
        return c;
    return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static bool check_export_index(Validator *v, const WasmExport *e)
{
    const WasmModule *m = v->m;
    static const char *const what[] = { "function", "table", "memory", "global", "tag" };
    uint32_t n;
    switch (e->kind) {
    case EXTERN_FUNC: n = m->nfuncs; break;
    case EXTERN_TABLE: n = m->ntables; break;
    case EXTERN_MEMORY: n = m->nmemories; break;
    case EXTERN_GLOBAL: n = m->nglobals; break;
    case EXTERN_TAG: n = m->ntags; break;
    default: return wasmc_fail(v->err, e->off, "malformed export kind");
    }
    if (e->index >= n)
        return wasmc_fail(v->err, e->off, "unknown %s %u", what[e->kind], e->index);
    if (e->kind == EXTERN_FUNC)
        v->func_refs[e->index] = 1;
    return true;
}

static bool check_exports(Validator *v)
{
    WasmModule *m = v->m;
    if (m->nexports == 0)
        return true;
    for (uint32_t i = 0; i < m->nexports; i++)
        if (!check_export_index(v, &m->exports[i]))
            return false;
    const WasmExport **order = xmalloc((size_t)m->nexports * sizeof *order);
    for (uint32_t i = 0; i < m->nexports; i++)
        order[i] = &m->exports[i];
    qsort(order, m->nexports, sizeof *order, cmp_export);
    bool ok = true;
    for (uint32_t i = 1; ok && i < m->nexports; i++) {
        const WasmExport *a = order[i - 1], *b = order[i];
        if (a->name_len == b->name_len && memcmp(a->name, b->name, a->name_len) == 0)
            ok = wasmc_fail(v->err, (a->off > b->off ? a : b)->off, "duplicate export name");
    }
    free(order);
    return ok;
}

/* ---- segments ---- */

static WasmValType addr_type(bool is64) { return wasm_valtype(is64 ? WT_I64 : WT_I32); }

static bool check_elem(Validator *v, const WasmElemSeg *s)
{
    WasmModule *m = v->m;
    if (s->type.code != WT_REF)
        return wasmc_fail(v->err, s->off, "malformed reference type");
    if (!fe_check_valtype(v, s->type, m->ntypes, s->off))
        return false;
    if (s->mode == SEG_ACTIVE) {
        if (s->table_idx >= m->ntables)
            return wasmc_fail(v->err, s->off, "unknown table %u", s->table_idx);
        const WasmTable *t = &m->tables[s->table_idx];
        if (!fe_valtype_sub(v, s->type, t->elem))
            return wasmc_fail(v->err, s->off, "type mismatch: element segment does not fit the table");
        if (!fe_validate_const(v, s->offset, addr_type(t->limits.is64), m->nglobals))
            return false;
    }
    if (s->func_idxs) {
        for (uint32_t i = 0; i < s->count; i++) {
            uint32_t f = s->func_idxs[i];
            if (f >= m->nfuncs)
                return wasmc_fail(v->err, s->off, "unknown function %u", f);
            if (!fe_valtype_sub(v, wasm_reftype(false, HT_NONE_IDX, m->funcs[f].type_idx), s->type))
                return wasmc_fail(v->err, s->off, "type mismatch: element segment function type");
            v->func_refs[f] = 1;
        }
    } else if (s->exprs) {
        for (uint32_t i = 0; i < s->count; i++)
            if (!fe_validate_const(v, s->exprs[i], s->type, m->nglobals))
                return false;
    }
    return true;
}

static bool check_data(Validator *v, const WasmDataSeg *s)
{
    WasmModule *m = v->m;
    if (s->mode != SEG_ACTIVE)
        return true;
    if (s->mem_idx >= m->nmemories)
        return wasmc_fail(v->err, s->off, "unknown memory %u", s->mem_idx);
    return fe_validate_const(v, s->offset, addr_type(m->memories[s->mem_idx].limits.is64),
                             m->nglobals);
}

static bool check_segments(Validator *v)
{
    WasmModule *m = v->m;
    for (uint32_t i = 0; i < m->nelems; i++)
        if (!check_elem(v, &m->elems[i]))
            return false;
    if (m->has_data_count && m->data_count != m->ndatas)
        return wasmc_fail(v->err, v->section_off[12],
                          "data count and data section have inconsistent lengths");
    for (uint32_t i = 0; i < m->ndatas; i++)
        if (!check_data(v, &m->datas[i]))
            return false;
    return true;
}

static bool check_start(Validator *v)
{
    WasmModule *m = v->m;
    if (!m->has_start)
        return true;
    size_t off = v->section_off[8];
    if (m->start_func >= m->nfuncs)
        return wasmc_fail(v->err, off, "unknown function %u", m->start_func);
    const WasmSubType *t = wasm_func_type(m, m->start_func);
    if (t->nparams || t->nresults)
        return wasmc_fail(v->err, off, "start function must have type [] -> []");
    return true;
}

static bool check_module(Validator *v)
{
    WasmModule *m = v->m;
    if (!fe_check_types(v) || !check_entities(v) || !check_exports(v) || !check_start(v) ||
        !check_segments(v))
        return false;
    for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++)
        if (!fe_validate_func(v, i))
            return false;
    return true;
}

bool wasm_validate(WasmModule *m, WasmcError *err)
{
    return wasm_validate_features(m, 0, err);
}

bool wasm_validate_features(WasmModule *m, uint32_t disabled, WasmcError *err)
{
    Validator v;
    memset(&v, 0, sizeof v);
    v.m = m;
    v.err = err;
    v.disabled = disabled;
    v.func_refs = arena_alloc(&m->arena, m->nfuncs ? m->nfuncs : 1);
    index_offsets(&v);
    bool ok = check_module(&v);
    fe_code_free(&v);
    if (!ok) {
        if (err && !err->set)
            wasmc_fail(err, 0, "invalid module");
        return false;
    }
    if (v.features & disabled) {
        char names[256];
        return wasmc_fail(err, 0, "the module uses a disabled feature: %s",
                          wasm_feature_names(v.features & disabled, names, sizeof names));
    }
    m->features = v.features;
    m->validated = true;
    return true;
}
