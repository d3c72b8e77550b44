/* The module sections that declare entities (WebAssembly 3.0, 5.5.5-5.5.11
 * and the tag section of the exception-handling proposal): import, function,
 * table, memory, tag, global, export, start and data count.
 *
 * Index spaces: the import section comes first, so when it is decoded each
 * kind's imported entries are stored at the front of their index space
 * (m->funcs etc., with nX == nimported_X). A defining section reallocates
 * the space with room for its own entries after the imported ones.
 *
 * Imports also accept the two compact encodings of the compact-import-section
 * proposal (a module name shared by several imports), because WABT, which
 * produced the spec suite's binaries, writes them. */
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"

/* Reallocates an index space holding `nimported` imported entries so that
 * `ndefined` more follow; the new entries are zeroed. */
static void *grow_space(Decoder *d, void *old, uint32_t nimported, uint32_t ndefined,
                        size_t elsize)
{
    size_t total = (size_t)nimported + ndefined;
    void *space = total ? arena_array(&d->m->arena, total, elsize) : NULL;
    if (nimported)
        memcpy(space, old, nimported * elsize);
    return space;
}

/* Checks that nimported + n still fits the uint32_t counts. */
static bool space_fits(Decoder *d, Reader *r, uint32_t nimported, uint32_t n)
{
    if ((uint64_t)nimported + n > UINT32_MAX)
        return wasmc_fail(d->err, dec_off(r), "too many definitions");
    return true;
}

/* One decoded import description, kept until the per-kind counts are known. */
typedef union ImportDesc {
    WasmFunc func;
    WasmTable table;
    WasmMemory memory;
    WasmGlobal global;
    WasmTag tag;
} ImportDesc;

/* Imports decoded so far, in malloc'd scratch arrays: with the compact
 * encodings the number of imports is not known up front. */
typedef struct ImportList {
    uint32_t n, cap;
    WasmImport *imports;
    ImportDesc *descs;
} ImportList;

static void import_list_push(ImportList *l, const WasmImport *im, const ImportDesc *desc)
{
    if (l->n == l->cap) {
        /* Bounded: every import consumes at least one byte of the input. */
        l->cap = l->cap ? l->cap * 2 : 16;
        l->imports = xrealloc(l->imports, (size_t)l->cap * sizeof *l->imports);
        l->descs = xrealloc(l->descs, (size_t)l->cap * sizeof *l->descs);
    }
    l->imports[l->n] = *im;
    l->descs[l->n] = *desc;
    l->n++;
}

/* importdesc ::= 0x00 typeidx | 0x01 tabletype | 0x02 memtype
 *              | 0x03 globaltype | 0x04 tagtype */
static bool read_importdesc(Decoder *d, Reader *r, uint8_t *kind, ImportDesc *desc)
{
    size_t kind_at = rd_offset(r);
    if (!rd_u8(r, kind))
        return false;
    memset(desc, 0, sizeof *desc);
    switch (*kind) {
    case EXTERN_FUNC: desc->func.imported = true; return rd_u32(r, &desc->func.type_idx);
    case EXTERN_TABLE: return wasm_read_tabletype(r, &desc->table);
    case EXTERN_MEMORY: return wasm_read_limits(r, true, &desc->memory.limits);
    case EXTERN_GLOBAL: return wasm_read_globaltype(r, &desc->global);
    case EXTERN_TAG: return wasm_read_tagtype(r, &desc->tag);
    default: return wasmc_fail(d->err, kind_at, "malformed import kind");
    }
}

static bool read_import_name(Decoder *d, Reader *r, const char **name, uint32_t *len)
{
    const char *s;
    if (!rd_name(r, &s, len))
        return false;
    *name = arena_strndup(&d->m->arena, s, *len);
    return true;
}

/* imports ::= mod:name nm:name d:importdesc                   (one import)
 *           | mod:name 0x00 0x7F vec(nm:name d:importdesc)    (compact, per-item type)
 *           | mod:name 0x00 0x7E d:importdesc vec(nm:name)    (compact, shared type)
 * The two compact forms are the compact-import-section proposal's; WABT
 * emits them for the spec suite, so they are accepted. Returns the number
 * of imports read in *nread. */
static bool read_import_group(Decoder *d, Reader *r, ImportList *l, uint32_t *nread)
{
    WasmImport im = { 0 };
    ImportDesc desc;
    im.off = dec_off(r);
    if (!read_import_name(d, r, &im.module, &im.module_len))
        return false;
    if (!read_import_name(d, r, &im.field, &im.field_len))
        return false;
    uint8_t form = rd_eof(r) ? 0 : *r->p;
    if (im.field_len == 0 && (form == 0x7F || form == 0x7E)) {
        uint32_t n;
        r->p++;
        if (form == 0x7E) {
            if (!read_importdesc(d, r, &im.kind, &desc) || !rd_count(r, 1, &n))
                return false;
            for (uint32_t i = 0; i < n; i++) {
                im.off = dec_off(r);
                if (!read_import_name(d, r, &im.field, &im.field_len))
                    return false;
                import_list_push(l, &im, &desc);
            }
        } else {
            if (!rd_count(r, 1, &n))
                return false;
            for (uint32_t i = 0; i < n; i++) {
                im.off = dec_off(r);
                if (!read_import_name(d, r, &im.field, &im.field_len) ||
                    !read_importdesc(d, r, &im.kind, &desc))
                    return false;
                import_list_push(l, &im, &desc);
            }
        }
        *nread = n;
        return true;
    }
    if (!read_importdesc(d, r, &im.kind, &desc))
        return false;
    import_list_push(l, &im, &desc);
    *nread = 1;
    return true;
}

/* Moves the scratch list into m->imports and the front of each index space. */
static void commit_imports(WasmModule *m, const ImportList *l)
{
    uint32_t count[5] = { 0 };
    m->nimports = l->n;
    m->imports = l->n ? arena_array(&m->arena, l->n, sizeof *m->imports) : NULL;
    for (uint32_t i = 0; i < l->n; i++) {
        m->imports[i] = l->imports[i];
        m->imports[i].index = count[l->imports[i].kind]++;
    }
#define SPACE(field, kind) \
    (count[kind] ? arena_array(&m->arena, count[kind], sizeof *m->field) : NULL)
    m->funcs = SPACE(funcs, EXTERN_FUNC);
    m->tables = SPACE(tables, EXTERN_TABLE);
    m->memories = SPACE(memories, EXTERN_MEMORY);
    m->globals = SPACE(globals, EXTERN_GLOBAL);
    m->tags = SPACE(tags, EXTERN_TAG);
#undef SPACE
    for (uint32_t i = 0; i < l->n; i++) {
        const WasmImport *im = &m->imports[i];
        switch (im->kind) {
        case EXTERN_FUNC: m->funcs[im->index] = l->descs[i].func; break;
        case EXTERN_TABLE: m->tables[im->index] = l->descs[i].table; break;
        case EXTERN_MEMORY: m->memories[im->index] = l->descs[i].memory; break;
        case EXTERN_GLOBAL: m->globals[im->index] = l->descs[i].global; break;
        default: m->tags[im->index] = l->descs[i].tag; break;
        }
    }
    m->nfuncs = m->nimported_funcs = count[EXTERN_FUNC];
    m->ntables = m->nimported_tables = count[EXTERN_TABLE];
    m->nmemories = m->nimported_memories = count[EXTERN_MEMORY];
    m->nglobals = m->nimported_globals = count[EXTERN_GLOBAL];
    m->ntags = m->nimported_tags = count[EXTERN_TAG];
}

/* importsec ::= section_2(vec(imports)) */
bool wasm_decode_import_section(Decoder *d, Reader *r)
{
    ImportList l = { 0 };
    uint32_t ngroups, total = 0;
    bool ok = false;
    if (!rd_count(r, 1, &ngroups))
        return false;
    for (uint32_t g = 0; g < ngroups; g++) {
        uint32_t n;
        /* The proposal counts groups; WABT counts imports. Accept the
         * latter when the section ends exactly after `ngroups` imports. */
        if (g > 0 && rd_eof(r) && total == ngroups)
            break;
        if (!read_import_group(d, r, &l, &n))
            goto fail;
        total += n;
    }
    commit_imports(d->m, &l);
    ok = true;
fail:
    free(l.imports);
    free(l.descs);
    return ok;
}

/* funcsec ::= section_3(vec(typeidx)) */
bool wasm_decode_function_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n) || !space_fits(d, r, m->nimported_funcs, n))
        return false;
    m->funcs = grow_space(d, m->funcs, m->nimported_funcs, n, sizeof *m->funcs);
    m->nfuncs = m->nimported_funcs + n;
    for (uint32_t i = 0; i < n; i++)
        if (!rd_u32(r, &m->funcs[m->nimported_funcs + i].type_idx))
            return false;
    return true;
}

/* tablesec ::= section_4(vec(table))
 * table ::= tt:tabletype                       (init: ref.null of its heap type)
 *         | 0x40 0x00 tt:tabletype e:expr      (explicit initializer) */
bool wasm_decode_table_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n) || !space_fits(d, r, m->nimported_tables, n))
        return false;
    m->tables = grow_space(d, m->tables, m->nimported_tables, n, sizeof *m->tables);
    m->ntables = m->nimported_tables + n;
    for (uint32_t i = 0; i < n; i++) {
        WasmTable *t = &m->tables[m->nimported_tables + i];
        if (!rd_eof(r) && *r->p == 0x40) {
            size_t at = rd_offset(r) + 1;
            uint8_t zero;
            r->p++;
            if (!rd_u8(r, &zero))
                return false;
            if (zero != 0)
                return wasmc_fail(d->err, at, "malformed table");
            t->has_init = true;
            if (!wasm_read_tabletype(r, t) || !wasm_read_const_expr(r, &t->init))
                return false;
        } else if (!wasm_read_tabletype(r, t)) {
            return false;
        }
    }
    return true;
}

/* memsec ::= section_5(vec(memtype))   memtype ::= limits */
bool wasm_decode_memory_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n) || !space_fits(d, r, m->nimported_memories, n))
        return false;
    m->memories = grow_space(d, m->memories, m->nimported_memories, n, sizeof *m->memories);
    m->nmemories = m->nimported_memories + n;
    for (uint32_t i = 0; i < n; i++)
        if (!wasm_read_limits(r, true, &m->memories[m->nimported_memories + i].limits))
            return false;
    return true;
}

/* tagsec ::= section_13(vec(tagtype)) */
bool wasm_decode_tag_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n) || !space_fits(d, r, m->nimported_tags, n))
        return false;
    m->tags = grow_space(d, m->tags, m->nimported_tags, n, sizeof *m->tags);
    m->ntags = m->nimported_tags + n;
    for (uint32_t i = 0; i < n; i++)
        if (!wasm_read_tagtype(r, &m->tags[m->nimported_tags + i]))
            return false;
    return true;
}

/* globalsec ::= section_6(vec(global))   global ::= gt:globaltype e:expr */
bool wasm_decode_global_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n) || !space_fits(d, r, m->nimported_globals, n))
        return false;
    m->globals = grow_space(d, m->globals, m->nimported_globals, n, sizeof *m->globals);
    m->nglobals = m->nimported_globals + n;
    for (uint32_t i = 0; i < n; i++) {
        WasmGlobal *g = &m->globals[m->nimported_globals + i];
        if (!wasm_read_globaltype(r, g) || !wasm_read_const_expr(r, &g->init))
            return false;
    }
    return true;
}

/* exportsec ::= section_7(vec(export))
 * export ::= nm:name d:exportdesc   exportdesc ::= kind:byte idx:u32 */
bool wasm_decode_export_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n))
        return false;
    m->nexports = n;
    m->exports = n ? arena_array(&m->arena, n, sizeof *m->exports) : NULL;
    for (uint32_t i = 0; i < n; i++) {
        WasmExport *ex = &m->exports[i];
        const char *s;
        uint32_t len;
        ex->off = dec_off(r);
        if (!rd_name(r, &s, &len))
            return false;
        ex->name = arena_strndup(&m->arena, s, len);
        ex->name_len = len;
        size_t kind_at = rd_offset(r);
        if (!rd_u8(r, &ex->kind))
            return false;
        if (ex->kind > EXTERN_TAG)
            return wasmc_fail(d->err, kind_at, "malformed export kind");
        if (!rd_u32(r, &ex->index))
            return false;
    }
    return true;
}

/* startsec ::= section_8(funcidx) */
bool wasm_decode_start_section(Decoder *d, Reader *r)
{
    d->m->has_start = true;
    return rd_u32(r, &d->m->start_func);
}

/* datacountsec ::= section_12(u32) */
bool wasm_decode_datacount_section(Decoder *d, Reader *r)
{
    d->m->has_data_count = true;
    return rd_u32(r, &d->m->data_count);
}
