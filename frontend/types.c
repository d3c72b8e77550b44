/* Types of WebAssembly 3.0 (spec 3.2 "Types", 2.3 and the GC proposal's
 * type equivalence): validity of the type section, iso-recursive
 * equivalence, and the subtype relation.
 *
 * Equivalence. Types are compared as recursion groups: two types are equal
 * iff their groups have the same size and shape and they sit at the same
 * position, where a reference into the own group compares by position and a
 * reference to an earlier group compares by canonical id. Groups are visited
 * in order, so the canonical id (the least equivalent index) of every
 * earlier type is known when a group is hashed and compared; after that,
 * type equality anywhere is canon[a] == canon[b].
 *
 * Subtyping of concrete types follows the declared super type chain, which
 * only goes to lower indices (checked here), so the walk terminates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate_internal.h"

/* ---- small predicates ---- */

bool fe_is_defaultable(WasmValType t) { return t.code != WT_REF || t.nullable; }

static bool is_abstract(WasmValType t) { return t.heap != HT_NONE_IDX; }

uint8_t fe_heap_top(const WasmModule *m, WasmValType t)
{
    switch (t.heap) {
    case HT_FUNC:
    case HT_NOFUNC: return HT_FUNC;
    case HT_EXTERN:
    case HT_NOEXTERN: return HT_EXTERN;
    case HT_EXN:
    case HT_NOEXN: return HT_EXN;
    case HT_NONE_IDX:
        return t.type_idx < m->ntypes && m->types[t.type_idx].kind == COMP_FUNC ? HT_FUNC : HT_ANY;
    default: return HT_ANY;
    }
}

const char *fe_valtype_str(WasmValType t, char *buf, size_t size)
{
    static const char *const heap_names[] = {
        [HT_NOEXN] = "noexn", [HT_NOFUNC] = "nofunc", [HT_NOEXTERN] = "noextern",
        [HT_NONE] = "none",   [HT_FUNC] = "func",     [HT_EXTERN] = "extern",
        [HT_ANY] = "any",     [HT_EQ] = "eq",         [HT_I31] = "i31",
        [HT_STRUCT] = "struct", [HT_ARRAY] = "array", [HT_EXN] = "exn",
    };
    switch (t.code) {
    case WT_BOT: return "unknown";
    case WT_I32: return "i32";
    case WT_I64: return "i64";
    case WT_F32: return "f32";
    case WT_F64: return "f64";
    case WT_V128: return "v128";
    case WT_I8: return "i8";
    case WT_I16: return "i16";
    default: break;
    }
    if (t.heap == HT_NONE_IDX)
        snprintf(buf, size, "(ref %s%u)", t.nullable ? "null " : "", t.type_idx);
    else
        snprintf(buf, size, "(ref %s%s)", t.nullable ? "null " : "",
                 t.heap < sizeof heap_names / sizeof heap_names[0] && heap_names[t.heap]
                     ? heap_names[t.heap]
                     : "?");
    return buf;
}

bool fe_check_valtype(Validator *v, WasmValType t, uint32_t limit, size_t off)
{
    if (t.code == WT_REF && t.heap == HT_NONE_IDX && t.type_idx >= limit)
        return wasmc_fail(v->err, off, "unknown type %u", t.type_idx);
    if (t.code == WT_V128)
        v->features |= WASM_FEAT_SIMD;
    if (t.code == WT_REF) {
        if (t.heap == HT_NONE_IDX || !t.nullable)
            v->features |= WASM_FEAT_FUNC_REFS;
        else if (t.heap == HT_EXN || t.heap == HT_NOEXN)
            v->features |= WASM_FEAT_EXCEPTIONS;
        else if (t.heap != HT_FUNC && t.heap != HT_EXTERN)
            v->features |= WASM_FEAT_GC;
        else if (t.heap == HT_EXTERN) /* funcref alone is MVP (tables) */
            v->features |= WASM_FEAT_REF_TYPES;
    }
    return true;
}

/* ---- equivalence ---- */

static bool type_idx_eq(const Validator *v, uint32_t a, uint32_t b)
{
    return a == b || v->canon[a] == v->canon[b];
}

bool fe_valtype_eq(const Validator *v, WasmValType a, WasmValType b)
{
    if (a.code != b.code)
        return false;
    if (a.code != WT_REF)
        return true;
    if (a.nullable != b.nullable || a.heap != b.heap)
        return false;
    return a.heap != HT_NONE_IDX || type_idx_eq(v, a.type_idx, b.type_idx);
}

/* A type reference as seen from inside recursion group [first, first+n):
 * either a position in the own group or the canonical id of an outer type.
 * Encoded in 64 bits so hashing and comparing are plain integer work. */
static uint64_t rel_ref(const Validator *v, uint32_t idx, uint32_t first, uint32_t n)
{
    if (idx >= first && idx - first < n)
        return (uint64_t)1 << 32 | (idx - first);
    return v->canon[idx];
}

static uint64_t valtype_key(const Validator *v, WasmValType t, uint32_t first, uint32_t n)
{
    uint64_t k = (uint64_t)t.code << 8 | (uint64_t)t.nullable << 16 | (uint64_t)t.heap << 24;
    if (t.code == WT_REF && t.heap == HT_NONE_IDX)
        k ^= rel_ref(v, t.type_idx, first, n) * 0x9E3779B97F4A7C15ull + 0x5bd1e995;
    return k;
}

static uint64_t mix(uint64_t h, uint64_t k)
{
    h ^= k + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h;
}

static uint64_t group_hash(const Validator *v, uint32_t first, uint32_t n)
{
    const WasmSubType *ts = v->m->types;
    uint64_t h = n;
    for (uint32_t i = first; i < first + n; i++) {
        const WasmSubType *t = &ts[i];
        h = mix(h, (uint64_t)t->kind << 1 | t->final | (uint64_t)t->has_super << 4);
        if (t->has_super)
            h = mix(h, rel_ref(v, t->super_idx, first, n));
        h = mix(h, (uint64_t)t->nparams << 32 | t->nresults);
        for (uint32_t j = 0; j < t->nparams; j++)
            h = mix(h, valtype_key(v, t->params[j], first, n));
        for (uint32_t j = 0; j < t->nresults; j++)
            h = mix(h, valtype_key(v, t->results[j], first, n));
        h = mix(h, t->nfields);
        for (uint32_t j = 0; j < t->nfields; j++)
            h = mix(h, valtype_key(v, t->fields[j].type, first, n) ^ t->fields[j].mut);
    }
    return h;
}

static bool vals_same(const Validator *v, const WasmValType *a, uint32_t af, const WasmValType *b,
                      uint32_t bf, uint32_t count, uint32_t n)
{
    for (uint32_t j = 0; j < count; j++)
        if (valtype_key(v, a[j], af, n) != valtype_key(v, b[j], bf, n))
            return false;
    return true;
}

/* Groups [af, af+n) and [bf, bf+n) have the same shape. valtype_key is
 * injective on (code, nullable, heap, reference) except for the xor mixing
 * of references, so references are compared exactly as well. */
static bool group_same(const Validator *v, uint32_t af, uint32_t bf, uint32_t n)
{
    const WasmSubType *ts = v->m->types;
    for (uint32_t i = 0; i < n; i++) {
        const WasmSubType *a = &ts[af + i], *b = &ts[bf + i];
        if (a->kind != b->kind || a->final != b->final || a->has_super != b->has_super ||
            a->nparams != b->nparams || a->nresults != b->nresults || a->nfields != b->nfields)
            return false;
        if (a->has_super && rel_ref(v, a->super_idx, af, n) != rel_ref(v, b->super_idx, bf, n))
            return false;
        if (!vals_same(v, a->params, af, b->params, bf, a->nparams, n) ||
            !vals_same(v, a->results, af, b->results, bf, a->nresults, n))
            return false;
        for (uint32_t j = 0; j < a->nfields; j++) {
            WasmValType x = a->fields[j].type, y = b->fields[j].type;
            if (a->fields[j].mut != b->fields[j].mut || x.code != y.code ||
                x.nullable != y.nullable || x.heap != y.heap)
                return false;
            if (x.code == WT_REF && x.heap == HT_NONE_IDX &&
                rel_ref(v, x.type_idx, af, n) != rel_ref(v, y.type_idx, bf, n))
                return false;
        }
        for (uint32_t j = 0; j < a->nparams; j++)
            if (a->params[j].code == WT_REF && a->params[j].heap == HT_NONE_IDX &&
                rel_ref(v, a->params[j].type_idx, af, n) != rel_ref(v, b->params[j].type_idx, bf, n))
                return false;
        for (uint32_t j = 0; j < a->nresults; j++)
            if (a->results[j].code == WT_REF && a->results[j].heap == HT_NONE_IDX &&
                rel_ref(v, a->results[j].type_idx, af, n) != rel_ref(v, b->results[j].type_idx, bf, n))
                return false;
    }
    return true;
}

/* ---- subtyping ---- */

static bool concrete_sub(const Validator *v, uint32_t a, uint32_t b)
{
    const WasmSubType *ts = v->m->types;
    /* The chain only descends to lower indices (fe_check_types), so this
     * loop runs at most a+1 times. */
    for (;;) {
        if (type_idx_eq(v, a, b))
            return true;
        if (!ts[a].has_super || ts[a].super_idx >= a)
            return false;
        a = ts[a].super_idx;
    }
}

/* Abstract heap type `a` below abstract heap type `b`. */
static bool abstract_sub(uint8_t a, uint8_t b)
{
    if (a == b)
        return true;
    switch (b) {
    case HT_ANY: return a == HT_EQ || a == HT_I31 || a == HT_STRUCT || a == HT_ARRAY || a == HT_NONE;
    case HT_EQ: return a == HT_I31 || a == HT_STRUCT || a == HT_ARRAY || a == HT_NONE;
    case HT_I31:
    case HT_STRUCT:
    case HT_ARRAY: return a == HT_NONE;
    case HT_FUNC: return a == HT_NOFUNC;
    case HT_EXTERN: return a == HT_NOEXTERN;
    case HT_EXN: return a == HT_NOEXN;
    default: return false;
    }
}

/* The abstract heap type directly above a concrete type. */
static uint8_t concrete_kind_heap(const WasmModule *m, uint32_t idx)
{
    switch (m->types[idx].kind) {
    case COMP_FUNC: return HT_FUNC;
    case COMP_STRUCT: return HT_STRUCT;
    default: return HT_ARRAY;
    }
}

bool fe_heap_sub(const Validator *v, WasmValType a, WasmValType b)
{
    const WasmModule *m = v->m;
    if (!is_abstract(a) && !is_abstract(b))
        return concrete_sub(v, a.type_idx, b.type_idx);
    if (is_abstract(a) && is_abstract(b))
        return abstract_sub(a.heap, b.heap);
    if (!is_abstract(a)) /* concrete below abstract: via its kind */
        return abstract_sub(concrete_kind_heap(m, a.type_idx), b.heap);
    /* abstract below concrete: only the bottom of b's hierarchy */
    return a.heap == (m->types[b.type_idx].kind == COMP_FUNC ? HT_NOFUNC : HT_NONE);
}

bool fe_valtype_sub(const Validator *v, WasmValType a, WasmValType b)
{
    if (a.code == WT_BOT)
        return true;
    if (a.code != WT_REF || b.code != WT_REF)
        return a.code == b.code;
    if (a.nullable && !b.nullable)
        return false;
    return fe_heap_sub(v, a, b);
}

/* Field subtyping: mutable fields are invariant, immutable covariant;
 * packed storage types only match themselves. */
static bool field_sub(const Validator *v, WasmFieldType a, WasmFieldType b)
{
    if (a.mut != b.mut)
        return false;
    if (a.mut)
        return fe_valtype_eq(v, a.type, b.type);
    return fe_valtype_sub(v, a.type, b.type);
}

static bool comp_sub(const Validator *v, const WasmSubType *a, const WasmSubType *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case COMP_FUNC:
        if (a->nparams != b->nparams || a->nresults != b->nresults)
            return false;
        for (uint32_t i = 0; i < a->nparams; i++)
            if (!fe_valtype_sub(v, b->params[i], a->params[i]))
                return false;
        for (uint32_t i = 0; i < a->nresults; i++)
            if (!fe_valtype_sub(v, a->results[i], b->results[i]))
                return false;
        return true;
    default: /* struct: width and depth; array: one field */
        if (a->nfields < b->nfields || (a->kind == COMP_ARRAY && a->nfields != b->nfields))
            return false;
        for (uint32_t i = 0; i < b->nfields; i++)
            if (!field_sub(v, a->fields[i], b->fields[i]))
                return false;
        return true;
    }
}

/* ---- the type section ---- */

static bool check_type_refs(Validator *v, const WasmSubType *t, uint32_t limit)
{
    size_t off = v->section_off[1];
    for (uint32_t j = 0; j < t->nparams; j++)
        if (!fe_check_valtype(v, t->params[j], limit, off))
            return false;
    for (uint32_t j = 0; j < t->nresults; j++)
        if (!fe_check_valtype(v, t->results[j], limit, off))
            return false;
    for (uint32_t j = 0; j < t->nfields; j++)
        if (!fe_check_valtype(v, t->fields[j].type, limit, off))
            return false;
    if (t->kind != COMP_FUNC)
        v->features |= WASM_FEAT_GC;
    if (t->has_super || !t->final || t->rec_size > 1)
        v->features |= WASM_FEAT_GC;
    return true;
}

/* Open-addressing table of first-seen groups keyed by group hash. */
typedef struct GroupTable {
    uint64_t *hash;
    uint32_t *first; /* UINT32_MAX = empty slot */
    size_t mask;
} GroupTable;

/* Finds an earlier group equal to [first, first+n), or inserts this one. */
static uint32_t intern_group(Validator *v, GroupTable *gt, uint32_t first, uint32_t n)
{
    uint64_t h = group_hash(v, first, n);
    for (size_t s = (size_t)h & gt->mask;; s = (s + 1) & gt->mask) {
        if (gt->first[s] == UINT32_MAX) {
            gt->first[s] = first;
            gt->hash[s] = h;
            return first;
        }
        uint32_t f = gt->first[s];
        if (gt->hash[s] == h && v->m->types[f].rec_size == n && group_same(v, f, first, n))
            return f;
    }
}

static bool check_sub_decl(Validator *v, uint32_t i)
{
    const WasmSubType *t = &v->m->types[i];
    if (!t->has_super)
        return true;
    /* A super type must come before the type itself. */
    if (t->super_idx >= i)
        return wasmc_fail(v->err, v->section_off[1], "unknown type %u: sub type must follow its super type",
                          t->super_idx);
    const WasmSubType *s = &v->m->types[t->super_idx];
    if (s->final)
        return wasmc_fail(v->err, v->section_off[1], "sub type %u of final type %u", i, t->super_idx);
    if (!comp_sub(v, t, s))
        return wasmc_fail(v->err, v->section_off[1], "sub type %u does not match super type %u", i,
                          t->super_idx);
    return true;
}

bool fe_check_types(Validator *v)
{
    WasmModule *m = v->m;
    uint32_t n = m->ntypes;
    v->canon = arena_array(&m->arena, n ? n : 1, sizeof *v->canon);
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap *= 2;
    GroupTable gt = { xcalloc(cap, sizeof *gt.hash), xmalloc(cap * sizeof *gt.first), cap - 1 };
    memset(gt.first, 0xFF, cap * sizeof *gt.first);
    bool ok = true;
    for (uint32_t g = 0; ok && g < n;) {
        uint32_t size = m->types[g].rec_size;
        if (size == 0 || m->types[g].rec_first != g || (uint64_t)g + size > n) {
            ok = wasmc_fail(v->err, v->section_off[1], "malformed recursion group at type %u", g);
            break;
        }
        for (uint32_t i = g; ok && i < g + size; i++) {
            ok = check_type_refs(v, &m->types[i], g + size);
            if (ok && m->types[i].has_super && m->types[i].super_idx >= g + size)
                ok = wasmc_fail(v->err, v->section_off[1], "unknown type %u", m->types[i].super_idx);
        }
        if (!ok)
            break;
        uint32_t rep = intern_group(v, &gt, g, size);
        for (uint32_t i = 0; i < size; i++)
            v->canon[g + i] = rep == g ? g + i : v->canon[rep + i];
        for (uint32_t i = g; ok && i < g + size; i++)
            ok = check_sub_decl(v, i);
        g += size;
    }
    free(gt.hash);
    free(gt.first);
    return ok;
}
