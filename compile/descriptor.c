/* The runtime descriptor: `const WasmcModuleDesc <prefix>_module` and every
 * array and string it points to (wasmc_rt.h sections 2 and 4).
 *
 * The structs are built in host memory with the ABI's own C types (the
 * compiler runs on an LP64 little-endian host, as the target is), zero-filled
 * first so padding is deterministic, and appended to the object; every
 * pointer field stays 0 in the bytes and gets an ABS64 relocation:
 *   .rodata        strings, data segment bytes, and arrays without pointers
 *   .data.rel.ro   the descriptor and arrays holding pointers (the dynamic
 *                  linker may relocate them in a PIE, then they are read-only)
 * Pointers to empty arrays are NULL. Offsets come from c->layout (vmctx.c);
 * nothing here decides a layout. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"

static uint64_t put(CompileCtx *c, ObjSection s, const void *p, size_t n, uint32_t align)
{
    obj_align(c->obj, s, align);
    return obj_append(c->obj, s, p, n);
}

static uint64_t put_string(CompileCtx *c, const char *s)
{
    return put(c, c->rodata, s, strlen(s) + 1, 1);
}

/* A wasm name: len bytes (NULs allowed) and a terminating NUL. */
static uint64_t put_name(CompileCtx *c, const char *s, uint32_t len)
{
    uint64_t at = put(c, c->rodata, s, len, 1);
    obj_append(c->obj, c->rodata, "", 1);
    return at;
}

/* The 8-byte field at `field` of section `where` points to (sec + off). */
static void ptr_to(CompileCtx *c, ObjSection where, uint64_t field, ObjSection sec, uint64_t off)
{
    obj_add_reloc(c->obj, where, field, OBJ_RELOC_ABS64, obj_section_symbol(c->obj, sec), (int64_t)off);
}

static void ptr_sym(CompileCtx *c, ObjSection where, uint64_t field, ObjSymbol sym)
{
    obj_add_reloc(c->obj, where, field, OBJ_RELOC_ABS64, sym, 0);
}

/* A pointer field of the descriptor, relocated once the descriptor itself is
 * appended (it goes last, after everything it points to). */
typedef struct Fixup {
    size_t field;    /* offsetof in WasmcModuleDesc */
    ObjSection sec;
    uint64_t off;
    ObjSymbol sym;   /* or a symbol instead of sec + off */
} Fixup;

#define MAX_FIXUPS 32

typedef struct Builder {
    CompileCtx *c;
    Fixup fix[MAX_FIXUPS];
    unsigned nfix;
} Builder;

static void field_to(Builder *b, size_t field, ObjSection sec, uint64_t off)
{
    b->fix[b->nfix++] = (Fixup){ field, sec, off, OBJ_NO_SYMBOL };
}

static void field_sym(Builder *b, size_t field, ObjSymbol sym)
{
    b->fix[b->nfix++] = (Fixup){ field, OBJ_NO_SECTION, 0, sym };
}

/* A pointer-free array into .rodata; the descriptor field points to it. */
static void rodata_array(Builder *b, size_t field, const void *p, size_t n, uint32_t align)
{
    if (n)
        field_to(b, field, b->c->rodata, put(b->c, b->c->rodata, p, n, align));
}

static bool memories(Builder *b)
{
    CompileCtx *c = b->c;
    const WasmModule *m = c->m;
    uint32_t n = m->nmemories;
    WasmcMemoryDef *defs = calloc(n + 1, sizeof *defs);
    if (!defs)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        const WasmLimits *l = &m->memories[i].limits;
        defs[i].min = l->min;
        defs[i].max = l->has_max ? l->max : 0;
        defs[i].page_size_log2 = l->page_log2;
        defs[i].flags = (uint8_t)((l->has_max ? WASMC_MEM_HAS_MAX : 0) | (l->is64 ? WASMC_MEM_64 : 0) |
                                  (l->shared ? WASMC_MEM_SHARED : 0) |
                                  (c->layout.memories[i].strategy == CG_BOUNDS_GUARD ? WASMC_MEM_GUARDED : 0));
    }
    rodata_array(b, offsetof(WasmcModuleDesc, memories), defs, n * sizeof *defs, 8);
    rodata_array(b, offsetof(WasmcModuleDesc, memory_offsets), c->layout.memory_offsets, n * 4, 4);
    free(defs);
    return true;
}

static bool tables(Builder *b)
{
    CompileCtx *c = b->c;
    const WasmModule *m = c->m;
    uint32_t n = m->ntables;
    WasmcTableDef *defs = calloc(n + 1, sizeof *defs);
    if (!defs)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    bool ok = true;
    for (uint32_t i = 0; ok && i < n; i++) {
        const WasmTable *t = &m->tables[i];
        char ch;
        ok = sig_valtype_char(&t->elem, &ch, c->err);
        defs[i].min = t->limits.min;
        defs[i].max = t->limits.has_max ? t->limits.max : 0;
        defs[i].elem_type = (uint8_t)ch;
        defs[i].ref = sig_reftype(&t->elem);
        defs[i].flags = (uint8_t)((t->limits.has_max ? WASMC_TABLE_HAS_MAX : 0) |
                                  (t->limits.is64 ? WASMC_TABLE_64 : 0));
    }
    if (ok) {
        rodata_array(b, offsetof(WasmcModuleDesc, tables), defs, n * sizeof *defs, 8);
        rodata_array(b, offsetof(WasmcModuleDesc, table_offsets), c->layout.table_offsets, n * 4, 4);
    }
    free(defs);
    return ok;
}

static bool globals(Builder *b)
{
    CompileCtx *c = b->c;
    const WasmModule *m = c->m;
    uint32_t n = m->nglobals;
    WasmcGlobalDef *defs = calloc(n + 1, sizeof *defs);
    if (!defs)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    bool ok = true;
    for (uint32_t i = 0; ok && i < n; i++) {
        char ch;
        ok = sig_valtype_char(&m->globals[i].type, &ch, c->err);
        defs[i].type = (uint8_t)ch;
        defs[i].mutable_ = m->globals[i].mut;
        defs[i].ref = sig_reftype(&m->globals[i].type);
    }
    if (ok) {
        rodata_array(b, offsetof(WasmcModuleDesc, globals), defs, n * sizeof *defs, 4);
        rodata_array(b, offsetof(WasmcModuleDesc, global_offsets), c->layout.global_offsets, n * 4, 4);
    }
    free(defs);
    return ok;
}

static bool types(Builder *b)
{
    CompileCtx *c = b->c;
    uint32_t n = c->m->ntypes;
    if (!n)
        return true;
    uint64_t *zeros = calloc(n, sizeof *zeros);
    if (!zeros)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    uint64_t names = put(c, c->relro, zeros, n * 8, 8);
    uint64_t tramps = put(c, c->relro, zeros, n * 8, 8);
    free(zeros);
    for (uint32_t t = 0; t < n; t++) {
        ptr_to(c, c->relro, names + 8 * t, c->rodata, put_string(c, c->type_sigs[t]));
        if (c->type_tramps[t].id)
            ptr_sym(c, c->relro, tramps + 8 * t, c->type_tramps[t]);
    }
    field_to(b, offsetof(WasmcModuleDesc, types), c->relro, names);
    field_to(b, offsetof(WasmcModuleDesc, type_tramps), c->relro, tramps);
    return true;
}

static bool functions(Builder *b)
{
    CompileCtx *c = b->c;
    const WasmModule *m = c->m;
    uint32_t *ft = calloc(m->nfuncs + 1, sizeof *ft);
    if (!ft)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    for (uint32_t f = 0; f < m->nfuncs; f++)
        ft[f] = m->funcs[f].type_idx;
    rodata_array(b, offsetof(WasmcModuleDesc, func_types), ft, m->nfuncs * 4, 4);
    free(ft);
    rodata_array(b, offsetof(WasmcModuleDesc, import_func_offsets), c->layout.import_func_offsets,
                 m->nimported_funcs * 4, 4);

    uint32_t ndef = m->nfuncs - m->nimported_funcs;
    if (!ndef)
        return true;
    WasmcFuncDesc *fd = calloc(ndef, sizeof *fd);
    if (!fd)
        return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
    for (uint32_t k = 0; k < ndef; k++)
        fd[k].code_size = c->func_size[m->nimported_funcs + k];
    uint64_t at = put(c, c->relro, fd, ndef * sizeof *fd, 8);
    free(fd);
    for (uint32_t k = 0; k < ndef; k++) {
        uint32_t f = m->nimported_funcs + k;
        uint64_t rec = at + k * sizeof(WasmcFuncDesc);
        ptr_sym(c, c->relro, rec + offsetof(WasmcFuncDesc, code), c->func_syms[f]);
        const char *name = wasm_func_name(m, f);
        if (name)
            ptr_to(c, c->relro, rec + offsetof(WasmcFuncDesc, name), c->rodata, put_string(c, name));
    }
    field_to(b, offsetof(WasmcModuleDesc, funcs), c->relro, at);
    return true;
}

static bool imports_exports(Builder *b)
{
    CompileCtx *c = b->c;
    const WasmModule *m = c->m;
    if (m->nimports) {
        WasmcImport *v = calloc(m->nimports, sizeof *v);
        if (!v)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        for (uint32_t i = 0; i < m->nimports; i++) {
            v[i].kind = m->imports[i].kind; /* WasmExternKind and WasmcExternKind agree for 0..3 */
            v[i].index = m->imports[i].index;
        }
        uint64_t at = put(c, c->relro, v, m->nimports * sizeof *v, 8);
        free(v);
        for (uint32_t i = 0; i < m->nimports; i++) {
            uint64_t rec = at + i * sizeof(WasmcImport);
            const WasmImport *im = &m->imports[i];
            ptr_to(c, c->relro, rec + offsetof(WasmcImport, module), c->rodata, put_name(c, im->module, im->module_len));
            ptr_to(c, c->relro, rec + offsetof(WasmcImport, name), c->rodata, put_name(c, im->field, im->field_len));
            if (c->import_syms[i].id)
                ptr_sym(c, c->relro, rec + offsetof(WasmcImport, host_code), c->import_syms[i]);
        }
        field_to(b, offsetof(WasmcModuleDesc, imports), c->relro, at);
        uint32_t *lens = calloc(2 * (size_t)m->nimports, sizeof *lens);
        if (!lens)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        for (uint32_t i = 0; i < m->nimports; i++) {
            lens[2 * i] = m->imports[i].module_len;
            lens[2 * i + 1] = m->imports[i].field_len;
        }
        rodata_array(b, offsetof(WasmcModuleDesc, import_name_lens), lens, 8 * (size_t)m->nimports, 4);
        free(lens);
    }
    if (m->nexports) {
        WasmcExport *v = calloc(m->nexports, sizeof *v);
        if (!v)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        for (uint32_t i = 0; i < m->nexports; i++) {
            v[i].kind = m->exports[i].kind;
            v[i].index = m->exports[i].index;
        }
        uint64_t at = put(c, c->relro, v, m->nexports * sizeof *v, 8);
        free(v);
        for (uint32_t i = 0; i < m->nexports; i++)
            ptr_to(c, c->relro, at + i * sizeof(WasmcExport) + offsetof(WasmcExport, name), c->rodata,
                   put_name(c, m->exports[i].name, m->exports[i].name_len));
        field_to(b, offsetof(WasmcModuleDesc, exports), c->relro, at);
        uint32_t *lens = calloc(m->nexports, sizeof *lens);
        if (!lens)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        for (uint32_t i = 0; i < m->nexports; i++)
            lens[i] = m->exports[i].name_len;
        rodata_array(b, offsetof(WasmcModuleDesc, export_name_lens), lens, 4 * (size_t)m->nexports, 4);
        free(lens);
    }
    return true;
}

static bool segments(Builder *b)
{
    CompileCtx *c = b->c;
    const WasmModule *m = c->m;
    if (m->ndatas) {
        WasmcDataSegment *v = calloc(m->ndatas, sizeof *v);
        if (!v)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        for (uint32_t i = 0; i < m->ndatas; i++) {
            v[i].size = m->datas[i].data_len;
            v[i].mode = m->datas[i].mode == SEG_ACTIVE ? WASMC_SEG_ACTIVE : WASMC_SEG_PASSIVE;
            v[i].memory = m->datas[i].mem_idx;
        }
        uint64_t at = put(c, c->relro, v, m->ndatas * sizeof *v, 8);
        free(v);
        for (uint32_t i = 0; i < m->ndatas; i++) {
            const WasmDataSeg *s = &m->datas[i];
            if (s->data_len)
                ptr_to(c, c->relro, at + i * sizeof(WasmcDataSegment) + offsetof(WasmcDataSegment, bytes),
                       c->rodata, put(c, c->rodata, m->bytes + s->data_off, s->data_len, 1));
        }
        field_to(b, offsetof(WasmcModuleDesc, data), c->relro, at);
    }
    if (m->nelems) {
        WasmcElemSegment *v = calloc(m->nelems, sizeof *v);
        if (!v)
            return wasmc_fail(c->err, WASMC_NO_OFFSET, "out of memory");
        bool ok = true;
        for (uint32_t i = 0; ok && i < m->nelems; i++) {
            const WasmElemSeg *s = &m->elems[i];
            char ch;
            ok = sig_valtype_char(&s->type, &ch, c->err);
            v[i].mode = s->mode == SEG_ACTIVE ? WASMC_SEG_ACTIVE
                        : s->mode == SEG_PASSIVE ? WASMC_SEG_PASSIVE : WASMC_SEG_DECLARATIVE;
            v[i].elem_type = (uint8_t)ch;
            v[i].table = s->table_idx;
            v[i].count = s->count;
        }
        uint64_t at = ok ? put(c, c->relro, v, m->nelems * sizeof *v, 8) : 0;
        free(v);
        if (!ok)
            return false;
        for (uint32_t i = 0; i < m->nelems; i++) {
            if (!c->elem_funcs[i] || !m->elems[i].count)
                continue; /* NULL: the init function fills the items */
            ptr_to(c, c->relro, at + i * sizeof(WasmcElemSegment) + offsetof(WasmcElemSegment, func_indices),
                   c->rodata, put(c, c->rodata, c->elem_funcs[i], m->elems[i].count * 4, 4));
        }
        field_to(b, offsetof(WasmcModuleDesc, elems), c->relro, at);
    }
    return true;
}

bool descriptor_emit(CompileCtx *c)
{
    const WasmModule *m = c->m;
    Builder b = { .c = c };
    WasmcModuleDesc d;
    memset(&d, 0, sizeof d);
    d.abi_version = WASMC_RT_ABI_VERSION;
    field_to(&b, offsetof(WasmcModuleDesc, name), c->rodata, put_string(c, c->prefix));
    d.vmctx_size = c->layout.size;
    d.stack_limit_offset = c->layout.cg.stack_limit_offset;
    d.funcrefs_offset = c->layout.cg.funcrefs_offset;
    d.type_ids_offset = c->layout.cg.type_ids_offset;
    d.num_types = m->ntypes;
    d.num_funcs = m->nfuncs;
    d.num_imported_funcs = m->nimported_funcs;
    d.num_memories = m->nmemories;
    d.num_imported_memories = m->nimported_memories;
    d.num_tables = m->ntables;
    d.num_imported_tables = m->nimported_tables;
    d.num_globals = m->nglobals;
    d.num_imported_globals = m->nimported_globals;
    d.num_imports = m->nimports;
    d.num_exports = m->nexports;
    d.num_data = m->ndatas;
    d.num_elems = m->nelems;
    d.start_func = m->has_start ? m->start_func : UINT32_MAX;
    d.code_size = c->code_size;
    d.num_trap_sites = c->ntraps;

    if (!types(&b) || !functions(&b) || !memories(&b) || !tables(&b) || !globals(&b) ||
        !imports_exports(&b) || !segments(&b))
        return false;
    if (c->init_sym.id)
        field_sym(&b, offsetof(WasmcModuleDesc, init), c->init_sym);
    if (c->code_size)
        field_to(&b, offsetof(WasmcModuleDesc, code_start), c->text, 0);
    rodata_array(&b, offsetof(WasmcModuleDesc, trap_sites), c->traps, c->ntraps * sizeof *c->traps, 4);

    uint64_t at = put(c, c->relro, &d, sizeof d, 16);
    for (unsigned i = 0; i < b.nfix; i++) {
        if (b.fix[i].sym.id)
            ptr_sym(c, c->relro, at + b.fix[i].field, b.fix[i].sym);
        else
            ptr_to(c, c->relro, at + b.fix[i].field, b.fix[i].sec, b.fix[i].off);
    }
    char name[160];
    snprintf(name, sizeof name, "%s_module", c->prefix);
    ObjSymbolDef def = { .name = name, .section = c->relro, .offset = at, .size = sizeof d,
                         .bind = OBJ_BIND_GLOBAL, .type = OBJ_SYMT_OBJECT };
    obj_add_symbol(c->obj, &def);
    return true;
}
