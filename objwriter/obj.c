/* objwriter/obj.c — building the neutral object model, the checks shared by
 * every format, and obj_write(), which dispatches on the target's format.
 *
 * Builder calls never fail on input: a bad id or a non-power-of-two
 * alignment is a caller bug and asserts. Everything a wasm module could make
 * go wrong is found by obj_check() at write time and returned as an error. */
#include "obj_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- targets ----------------------------------------------------------- */

static const struct {
    const char *name;
    ObjFormat format;
    ObjArch arch;
} target_info[] = {
    [OBJ_TARGET_X86_64_LINUX] = { "x86_64-linux", OBJ_FORMAT_ELF, OBJ_ARCH_X86_64 },
    [OBJ_TARGET_AARCH64_LINUX] = { "aarch64-linux", OBJ_FORMAT_ELF, OBJ_ARCH_AARCH64 },
    [OBJ_TARGET_X86_64_MACOS] = { "x86_64-macos", OBJ_FORMAT_MACHO, OBJ_ARCH_X86_64 },
    [OBJ_TARGET_X86_64_WINDOWS] = { "x86_64-windows", OBJ_FORMAT_COFF, OBJ_ARCH_X86_64 },
};
enum { N_TARGETS = sizeof target_info / sizeof target_info[0] };

ObjFormat obj_target_format(ObjTarget t) { return target_info[t].format; }
ObjArch obj_target_arch(ObjTarget t) { return target_info[t].arch; }
const char *obj_target_name(ObjTarget t) { return target_info[t].name; }

bool obj_target_parse(const char *name, ObjTarget *out)
{
    for (unsigned i = 0; name && i < N_TARGETS; i++) {
        if (strcmp(name, target_info[i].name) == 0) {
            *out = (ObjTarget)i;
            return true;
        }
    }
    return false;
}

/* ---- lifetime ---------------------------------------------------------- */

Obj *obj_new(ObjTarget target)
{
    OBJ_ASSERT((unsigned)target < N_TARGETS);
    Obj *o = xcalloc(1, sizeof *o);
    o->target = target;
    arena_init(&o->arena);
    return o;
}

void obj_free(Obj *o)
{
    if (!o)
        return;
    for (uint32_t i = 0; i < o->nsecs; i++)
        free(o->secs[i].bytes);
    free(o->secs);
    free(o->syms);
    free(o->relocs);
    free(o->names);
    arena_free(&o->arena);
    free(o);
}

ObjTarget obj_target(const Obj *o) { return o->target; }

static bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

/* Grows a vector so it can hold one more element of size elem. */
static void *grow(void *v, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n < *cap)
        return v;
    OBJ_ASSERT(*cap < UINT32_MAX / 2);
    *cap = *cap ? *cap * 2 : 16;
    return xrealloc(v, (size_t)*cap * elem);
}

/* ---- sections ---------------------------------------------------------- */

static ObjSectionRec *sec_checked(const Obj *o, ObjSection s)
{
    OBJ_ASSERT(s.id >= 1 && s.id <= o->nsecs);
    return obj_sec(o, s);
}

ObjSection obj_add_section(Obj *o, const char *name, ObjSectionKind kind, uint32_t align)
{
    OBJ_ASSERT(name && is_pow2(align) && kind <= OBJ_SEC_DEBUG);
    o->secs = grow(o->secs, o->nsecs, &o->secs_cap, sizeof *o->secs);
    ObjSectionRec *r = &o->secs[o->nsecs++];
    memset(r, 0, sizeof *r);
    r->name = arena_strndup(&o->arena, name, strlen(name));
    r->kind = kind;
    r->align = align;
    return (ObjSection){ o->nsecs };
}

/* Makes room for n more bytes; the new bytes are zeroed. Returns NULL for
 * n == 0 (bytes may still be NULL, and memset/memcpy on NULL is undefined
 * even for zero lengths), so callers skip their copy then. */
static uint8_t *sec_extend(ObjSectionRec *r, size_t n)
{
    OBJ_ASSERT(r->kind != OBJ_SEC_BSS);
    if (n == 0)
        return NULL;
    OBJ_ASSERT(n <= SIZE_MAX - r->size);
    size_t need = (size_t)r->size + n;
    if (need > r->cap) {
        size_t cap = r->cap ? r->cap : 64;
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        r->bytes = xrealloc(r->bytes, cap);
        r->cap = cap;
    }
    uint8_t *p = r->bytes + r->size;
    memset(p, 0, n);
    r->size = need;
    return p;
}

uint64_t obj_append(Obj *o, ObjSection s, const void *bytes, size_t n)
{
    ObjSectionRec *r = sec_checked(o, s);
    uint64_t at = r->size;
    if (n)
        memcpy(sec_extend(r, n), bytes, n);
    return at;
}

uint64_t obj_align(Obj *o, ObjSection s, uint32_t align)
{
    ObjSectionRec *r = sec_checked(o, s);
    OBJ_ASSERT(is_pow2(align));
    if (align > r->align)
        r->align = align;
    uint64_t pad = (align - (r->size & (align - 1))) & (align - 1);
    if (r->kind == OBJ_SEC_BSS) {
        r->size += pad;
        return r->size;
    }
    uint8_t *p = sec_extend(r, (size_t)pad);
    /* Padding in code that is ever reached should fault, not run on: int3 on
     * x86-64; on AArch64 the zero word is `udf #0`, which the memset gave. */
    if (p && r->kind == OBJ_SEC_TEXT && obj_target_arch(o->target) == OBJ_ARCH_X86_64)
        memset(p, 0xcc, (size_t)pad);
    return r->size;
}

uint64_t obj_reserve_bss(Obj *o, ObjSection s, uint64_t n, uint32_t align)
{
    ObjSectionRec *r = sec_checked(o, s);
    OBJ_ASSERT(r->kind == OBJ_SEC_BSS);
    uint64_t at = obj_align(o, s, align);
    OBJ_ASSERT(n <= UINT64_MAX - at);
    r->size = at + n;
    return at;
}

void obj_patch(Obj *o, ObjSection s, uint64_t offset, const void *bytes, size_t n)
{
    ObjSectionRec *r = sec_checked(o, s);
    OBJ_ASSERT(r->kind != OBJ_SEC_BSS && offset <= r->size && n <= r->size - offset);
    if (n)
        memcpy(r->bytes + offset, bytes, n);
}

static void put_u32le(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Note layout (ELF gABI "Note Section"; 4-byte words in ELF64 too, as every
 * toolchain writes them): namesz, descsz, type, name + NUL padded to 4,
 * desc padded to 4. */
uint64_t obj_append_note(Obj *o, ObjSection s, const char *owner, uint32_t type,
                         const void *desc, size_t desc_len)
{
    ObjSectionRec *r = sec_checked(o, s);
    OBJ_ASSERT(r->kind == OBJ_SEC_NOTE && desc_len <= UINT32_MAX - 3);
    size_t namesz = strlen(owner) + 1;
    size_t name_pad = (namesz + 3) & ~(size_t)3, desc_pad = (desc_len + 3) & ~(size_t)3;
    obj_align(o, s, 4);
    uint64_t at = r->size;
    uint8_t *p = sec_extend(r, 12 + name_pad + desc_pad);
    put_u32le(p, (uint32_t)namesz);
    put_u32le(p + 4, (uint32_t)desc_len);
    put_u32le(p + 8, type);
    memcpy(p + 12, owner, namesz);
    if (desc_len)
        memcpy(p + 12 + name_pad, desc, desc_len);
    return at;
}

uint64_t obj_section_size(const Obj *o, ObjSection s) { return sec_checked(o, s)->size; }

ObjSection obj_find_section(const Obj *o, const char *name)
{
    for (uint32_t i = 0; i < o->nsecs; i++)
        if (strcmp(o->secs[i].name, name) == 0)
            return (ObjSection){ i + 1 };
    return OBJ_NO_SECTION;
}

/* ---- symbols ----------------------------------------------------------- */

static uint32_t hash_name(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

/* The slot holding name, or the empty slot where it would go. */
static uint32_t *name_slot(const Obj *o, const char *name)
{
    uint32_t mask = o->names_cap - 1;
    for (uint32_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        uint32_t *slot = &o->names[i];
        if (!*slot || strcmp(o->syms[*slot - 1].name, name) == 0)
            return slot;
    }
}

static void names_insert(Obj *o, ObjSymbol sym)
{
    if (o->nsyms * 2 >= o->names_cap) {
        uint32_t *old = o->names, old_cap = o->names_cap;
        o->names_cap = old_cap ? old_cap * 2 : 64;
        o->names = xcalloc(o->names_cap, sizeof *o->names);
        for (uint32_t i = 0; i < old_cap; i++)
            if (old[i])
                *name_slot(o, o->syms[old[i] - 1].name) = old[i];
        free(old);
    }
    ObjSymbolRec *r = obj_sym(o, sym);
    uint32_t *slot = name_slot(o, r->name);
    if (!*slot) {
        *slot = sym.id;
        return;
    }
    /* Only the first symbol of a name is indexed; a second non-local one is
     * an error that obj_check() reports (the first such is remembered). */
    if (r->bind != OBJ_BIND_LOCAL && !o->dup.id) {
        for (uint32_t i = 0; i < sym.id - 1; i++) {
            if (o->syms[i].bind != OBJ_BIND_LOCAL && strcmp(o->syms[i].name, r->name) == 0) {
                o->dup = sym;
                break;
            }
        }
    }
}

static ObjSymbol push_symbol(Obj *o, const ObjSymbolRec *rec)
{
    o->syms = grow(o->syms, o->nsyms, &o->syms_cap, sizeof *o->syms);
    o->syms[o->nsyms++] = *rec;
    return (ObjSymbol){ o->nsyms };
}

ObjSymbol obj_add_symbol(Obj *o, const ObjSymbolDef *def)
{
    OBJ_ASSERT(def->name && def->type != OBJ_SYMT_SECTION && def->bind <= OBJ_BIND_WEAK);
    if (def->section.id)
        sec_checked(o, def->section);
    ObjSymbolRec rec = {
        .name = arena_strndup(&o->arena, def->name, strlen(def->name)),
        .section = def->section,
        .offset = def->offset,
        .size = def->size,
        .bind = def->bind,
        .type = def->type,
        .vis = def->vis,
    };
    ObjSymbol s = push_symbol(o, &rec);
    names_insert(o, s);
    return s;
}

ObjSymbol obj_add_undefined(Obj *o, const char *name)
{
    ObjSymbol s = obj_find_symbol(o, name);
    if (s.id)
        return s;
    ObjSymbolDef d = { .name = name, .bind = OBJ_BIND_GLOBAL };
    return obj_add_symbol(o, &d);
}

void obj_define_symbol(Obj *o, ObjSymbol sym, ObjSection s, uint64_t offset, uint64_t size)
{
    OBJ_ASSERT(sym.id >= 1 && sym.id <= o->nsyms);
    sec_checked(o, s);
    ObjSymbolRec *r = obj_sym(o, sym);
    OBJ_ASSERT(r->type != OBJ_SYMT_SECTION);
    r->section = s;
    r->offset = offset;
    r->size = size;
}

const char *obj_symbol_name(const Obj *o, ObjSymbol s)
{
    OBJ_ASSERT(s.id >= 1 && s.id <= o->nsyms);
    return obj_sym(o, s)->name;
}

ObjSymbol obj_find_symbol(const Obj *o, const char *name)
{
    if (!o->names_cap || !*name)
        return OBJ_NO_SYMBOL;
    return (ObjSymbol){ *name_slot(o, name) };
}

ObjSymbol obj_section_symbol(Obj *o, ObjSection s)
{
    ObjSectionRec *r = sec_checked(o, s);
    if (!r->secsym.id) {
        /* Unnamed and not indexed by name: it can never clash. */
        ObjSymbolRec rec = { .name = "", .section = s, .bind = OBJ_BIND_LOCAL,
                             .type = OBJ_SYMT_SECTION };
        r->secsym = push_symbol(o, &rec); /* grows syms only: r stays valid */
    }
    return r->secsym;
}

/* ---- relocations ------------------------------------------------------- */

unsigned obj_reloc_size(ObjRelocKind k)
{
    return k == OBJ_RELOC_ABS64 ? 8 : 4;
}

void obj_add_reloc(Obj *o, ObjSection s, uint64_t offset, ObjRelocKind kind, ObjSymbol sym,
                   int64_t addend)
{
    sec_checked(o, s);
    OBJ_ASSERT(sym.id >= 1 && sym.id <= o->nsyms && kind <= OBJ_RELOC_PC32);
    o->relocs = grow(o->relocs, o->nrelocs, &o->relocs_cap, sizeof *o->relocs);
    o->relocs[o->nrelocs++] = (ObjRelocRec){ s, offset, kind, sym, addend };
}

/* ---- checks ------------------------------------------------------------ */

typedef struct SortKey {
    uint32_t section;
    uint32_t index; /* into o->relocs; breaks ties so the order is stable */
    uint64_t offset;
} SortKey;

static int cmp_key(const void *pa, const void *pb)
{
    const SortKey *a = pa, *b = pb;
    if (a->section != b->section)
        return a->section < b->section ? -1 : 1;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

bool obj_check(const Obj *o, Arena *a, ObjRelocOrder *ord, WasmcError *err)
{
    for (uint32_t i = 0; i < o->nsecs; i++) {
        const ObjSectionRec *r = &o->secs[i];
        if (!*r->name)
            return wasmc_fail(err, WASMC_NO_OFFSET, "section %u has an empty name", i + 1);
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(o->secs[j].name, r->name) == 0)
                return wasmc_fail(err, WASMC_NO_OFFSET, "duplicate section '%s'", r->name);
    }
    if (o->dup.id)
        return wasmc_fail(err, WASMC_NO_OFFSET, "duplicate symbol '%s'", obj_sym(o, o->dup)->name);
    for (uint32_t i = 0; i < o->nsyms; i++) {
        const ObjSymbolRec *r = &o->syms[i];
        if (r->type == OBJ_SYMT_SECTION)
            continue;
        if (!*r->name)
            return wasmc_fail(err, WASMC_NO_OFFSET, "symbol %u has an empty name", i + 1);
        if (!r->section.id) {
            if (r->bind == OBJ_BIND_LOCAL)
                return wasmc_fail(err, WASMC_NO_OFFSET, "local symbol '%s' is never defined",
                                  r->name);
            continue;
        }
        const ObjSectionRec *s = obj_sec(o, r->section);
        if (r->offset > s->size || r->size > s->size - r->offset)
            return wasmc_fail(err, WASMC_NO_OFFSET,
                              "symbol '%s' (0x%llx + 0x%llx) lies outside section '%s' (0x%llx bytes)",
                              r->name, (unsigned long long)r->offset, (unsigned long long)r->size,
                              s->name, (unsigned long long)s->size);
    }

    SortKey *keys = arena_array(a, o->nrelocs, sizeof *keys);
    for (uint32_t i = 0; i < o->nrelocs; i++) {
        const ObjRelocRec *r = &o->relocs[i];
        const ObjSectionRec *s = obj_sec(o, r->section);
        unsigned n = obj_reloc_size(r->kind);
        if (s->kind == OBJ_SEC_BSS)
            return wasmc_fail(err, WASMC_NO_OFFSET, "relocation in zero-filled section '%s'",
                              s->name);
        if (r->offset > s->size || n > s->size - r->offset)
            return wasmc_fail(err, WASMC_NO_OFFSET,
                              "relocation at 0x%llx runs past the end of section '%s' (0x%llx bytes)",
                              (unsigned long long)r->offset, s->name,
                              (unsigned long long)s->size);
        keys[i] = (SortKey){ r->section.id, i, r->offset };
    }
    if (o->nrelocs)
        qsort(keys, o->nrelocs, sizeof *keys, cmp_key);

    ord->order = arena_array(a, o->nrelocs, sizeof *ord->order);
    ord->start = arena_array(a, (size_t)o->nsecs + 2, sizeof *ord->start);
    /* Counting pass: start[id + 1] first counts section id's relocations,
     * then the prefix sum turns counts into start positions. */
    for (uint32_t i = 0; i < o->nrelocs; i++) {
        ord->order[i] = keys[i].index;
        ord->start[keys[i].section + 1]++;
    }
    for (uint32_t id = 1; id <= o->nsecs + 1; id++)
        ord->start[id] += ord->start[id - 1];
    for (uint32_t i = 1; i < o->nrelocs; i++) {
        const ObjRelocRec *prev = &o->relocs[keys[i - 1].index];
        if (keys[i].section == keys[i - 1].section
            && keys[i].offset < prev->offset + obj_reloc_size(prev->kind))
            return wasmc_fail(err, WASMC_NO_OFFSET,
                              "overlapping relocations at 0x%llx in section '%s'",
                              (unsigned long long)keys[i].offset,
                              obj_sec(o, prev->section)->name);
    }
    return true;
}

/* ---- output ------------------------------------------------------------ */

bool obj_write(const Obj *o, const char *path, WasmcError *err)
{
    switch (obj_target_format(o->target)) {
    case OBJ_FORMAT_ELF:
        if (obj_target_arch(o->target) != OBJ_ARCH_X86_64)
            break;
        return elf_write(o, path, err);
    case OBJ_FORMAT_MACHO: /* macho.c goes here */
    case OBJ_FORMAT_COFF:  /* coff.c goes here */
        break;
    }
    return wasmc_fail(err, WASMC_NO_OFFSET, "object output for target %s is not implemented yet",
                      obj_target_name(o->target));
}
