/* Types in the binary format (WebAssembly 3.0, 5.3) and the type section
 * (5.5.4): value, reference, heap and storage types, limits, table, global
 * and tag types, and recursive groups of sub types.
 *
 * Only the encoding is checked here. Whether a type index is in range, a
 * sub type matches its super type, or limits are within bounds is the
 * validator's business. */
#include <string.h>

#include "decode_internal.h"

static bool is_abstract_heap(uint8_t b) { return b >= HT_EXN && b <= HT_NOEXN; }

/* heaptype ::= absheaptype (one byte, 0x69..0x74) | x:s33 (x >= 0) */
bool wasm_read_heaptype(Reader *r, uint8_t *heap, uint32_t *idx)
{
    size_t at = rd_offset(r);
    if (!rd_eof(r) && is_abstract_heap(*r->p)) {
        *heap = *r->p++;
        *idx = 0;
        return true;
    }
    int64_t x;
    if (!rd_s33(r, &x))
        return false;
    if (x < 0)
        return wasmc_fail(r->err, at, "malformed heap type");
    *heap = HT_NONE_IDX;
    *idx = (uint32_t)x; /* a non-negative s33 fits in 32 bits */
    return true;
}

/* Decodes a reference type whose first byte `b` was already consumed; false
 * (without an error) if `b` does not start one.
 * reftype ::= 0x64 ht (ref ht) | 0x63 ht (ref null ht) | absheaptype (ref null ht) */
static bool read_reftype_rest(Reader *r, uint8_t b, WasmValType *out, bool *is_ref)
{
    uint8_t heap;
    uint32_t idx;
    *is_ref = true;
    if (b == 0x63 || b == 0x64) {
        if (!wasm_read_heaptype(r, &heap, &idx))
            return false;
        *out = wasm_reftype(b == 0x63, heap, idx);
        return true;
    }
    if (is_abstract_heap(b)) {
        *out = wasm_reftype(true, b, 0);
        return true;
    }
    *is_ref = false;
    return false;
}

bool wasm_read_reftype(Reader *r, WasmValType *out)
{
    size_t at = rd_offset(r);
    uint8_t b;
    bool is_ref;
    if (!rd_u8(r, &b))
        return false;
    if (read_reftype_rest(r, b, out, &is_ref))
        return true;
    if (!is_ref)
        return wasmc_fail(r->err, at, "malformed reference type");
    return false;
}

/* valtype ::= numtype | vectype | reftype */
bool wasm_read_valtype(Reader *r, WasmValType *out)
{
    size_t at = rd_offset(r);
    uint8_t b;
    bool is_ref;
    if (!rd_u8(r, &b))
        return false;
    switch (b) {
    case WT_I32:
    case WT_I64:
    case WT_F32:
    case WT_F64:
    case WT_V128: *out = wasm_valtype(b); return true;
    default: break;
    }
    if (read_reftype_rest(r, b, out, &is_ref))
        return true;
    if (!is_ref)
        return wasmc_fail(r->err, at, "malformed value type");
    return false;
}

/* storagetype ::= valtype | packedtype   packedtype ::= 0x78 (i8) | 0x77 (i16) */
static bool read_storagetype(Reader *r, WasmValType *out)
{
    if (!rd_eof(r) && (*r->p == WT_I8 || *r->p == WT_I16)) {
        *out = wasm_valtype(*r->p++);
        return true;
    }
    return wasm_read_valtype(r, out);
}

/* mut ::= 0x00 (const) | 0x01 (var) */
bool wasm_read_mut(Reader *r, bool *mut)
{
    size_t at = rd_offset(r);
    uint8_t b;
    if (!rd_u8(r, &b))
        return false;
    if (b > 1)
        return wasmc_fail(r->err, at, "malformed mutability");
    *mut = b == 1;
    return true;
}

/* limits ::= flags:byte min:u64 max:u64? pagelog2:u32?
 * flags: bit0 has max, bit1 shared (memories), bit2 64-bit addresses,
 * bit3 custom page size (memories). The flags are one byte, not a LEB128:
 * 0x81 0x00 is malformed. */
bool wasm_read_limits(Reader *r, bool is_memory, WasmLimits *out)
{
    size_t at = rd_offset(r);
    uint8_t flags;
    if (!rd_u8(r, &flags))
        return false;
    uint8_t allowed = is_memory ? 0x0F : 0x05;
    if (flags & ~allowed)
        return wasmc_fail(r->err, at, "malformed limits flags");
    memset(out, 0, sizeof *out);
    out->has_max = flags & 1;
    out->shared = (flags >> 1) & 1;
    out->is64 = (flags >> 2) & 1;
    out->page_log2 = is_memory ? 16 : 0;
    /* Wasm 3.0 encodes the bounds as u64 whatever the address type (the
     * spec suite's binary-leb128 tests depend on it); that a 32-bit memory
     * or table fits its address range is checked by the validator. */
    if (!rd_u64(r, &out->min) || (out->has_max && !rd_u64(r, &out->max)))
        return false;
    if (flags & 8) {
        size_t pat = rd_offset(r);
        uint32_t log2;
        if (!rd_u32(r, &log2))
            return false;
        /* Only 0 and 16 are valid (the validator checks); a page size that
         * does not even fit in a u64 is malformed. */
        if (log2 >= 64)
            return wasmc_fail(r->err, pat, "invalid custom page size");
        out->page_log2 = (uint8_t)log2;
    }
    return true;
}

/* tabletype ::= et:reftype lim:limits */
bool wasm_read_tabletype(Reader *r, WasmTable *out)
{
    return wasm_read_reftype(r, &out->elem) && wasm_read_limits(r, false, &out->limits);
}

/* globaltype ::= t:valtype m:mut */
bool wasm_read_globaltype(Reader *r, WasmGlobal *out)
{
    return wasm_read_valtype(r, &out->type) && wasm_read_mut(r, &out->mut);
}

/* tagtype ::= 0x00 x:typeidx */
bool wasm_read_tagtype(Reader *r, WasmTag *out)
{
    size_t at = rd_offset(r);
    uint8_t attr;
    if (!rd_u8(r, &attr))
        return false;
    if (attr != 0)
        return wasmc_fail(r->err, at, "malformed tag attribute");
    return rd_u32(r, &out->type_idx);
}

/* resulttype ::= vec(valtype) */
static bool read_resulttype(Decoder *d, Reader *r, uint32_t *n, WasmValType **types)
{
    if (!rd_count(r, 1, n))
        return false;
    *types = *n ? arena_array(&d->m->arena, *n, sizeof **types) : NULL;
    for (uint32_t i = 0; i < *n; i++)
        if (!wasm_read_valtype(r, &(*types)[i]))
            return false;
    return true;
}

/* fieldtype ::= st:storagetype m:mut */
static bool read_fieldtype(Reader *r, WasmFieldType *f)
{
    return read_storagetype(r, &f->type) && wasm_read_mut(r, &f->mut);
}

/* comptype ::= 0x5E ft:fieldtype           (array)
 *            | 0x5F ft*:vec(fieldtype)     (struct)
 *            | 0x60 rt1:resulttype rt2:resulttype (func) */
static bool read_comptype(Decoder *d, Reader *r, uint8_t b, size_t at, WasmSubType *st)
{
    switch (b) {
    case 0x5E:
        st->kind = COMP_ARRAY;
        st->nfields = 1;
        st->fields = arena_alloc(&d->m->arena, sizeof *st->fields);
        return read_fieldtype(r, st->fields);
    case 0x5F:
        st->kind = COMP_STRUCT;
        if (!rd_count(r, 1, &st->nfields))
            return false;
        st->fields = st->nfields ? arena_array(&d->m->arena, st->nfields, sizeof *st->fields)
                                 : NULL;
        for (uint32_t i = 0; i < st->nfields; i++)
            if (!read_fieldtype(r, &st->fields[i]))
                return false;
        return true;
    case 0x60:
        st->kind = COMP_FUNC;
        return read_resulttype(d, r, &st->nparams, &st->params) &&
               read_resulttype(d, r, &st->nresults, &st->results);
    default:
        /* The reference interpreter reads this byte as a 7-bit signed LEB128. */
        if (b & 0x80)
            return wasmc_fail(d->err, at, "integer representation too long");
        return wasmc_fail(d->err, at, "malformed composite type");
    }
}

/* subtype ::= 0x50 x*:vec(typeidx) ct:comptype   (sub, not final)
 *           | 0x4F x*:vec(typeidx) ct:comptype   (sub final)
 *           | ct:comptype                        (final, no super type) */
static bool read_subtype(Decoder *d, Reader *r, WasmSubType *st)
{
    size_t at = rd_offset(r);
    uint8_t b;
    if (!rd_u8(r, &b))
        return false;
    memset(st, 0, sizeof *st);
    st->final = true;
    if (b == 0x50 || b == 0x4F) {
        uint32_t nsupers;
        st->final = b == 0x4F;
        if (!rd_count(r, 1, &nsupers))
            return false;
        /* WasmSubType holds one super type, which is all 3.0 allows; the
         * reference interpreter rejects more in validation with this text. */
        if (nsupers > 1)
            return wasmc_fail(d->err, at, "multiple supertypes");
        if (nsupers == 1) {
            st->has_super = true;
            if (!rd_u32(r, &st->super_idx))
                return false;
        }
        at = rd_offset(r);
        if (!rd_u8(r, &b))
            return false;
    }
    return read_comptype(d, r, b, at, st);
}

/* Appends n zeroed entries to m->types, growing it by doubling (amortized
 * waste is bounded by the number of types, itself bounded by the input). */
static WasmSubType *push_types(Decoder *d, uint32_t *cap, uint32_t n)
{
    WasmModule *m = d->m;
    uint64_t need = (uint64_t)m->ntypes + n;
    if (need > *cap) {
        uint64_t ncap = *cap ? *cap : 8;
        while (ncap < need)
            ncap *= 2;
        WasmSubType *grown = arena_array(&m->arena, (size_t)ncap, sizeof *grown);
        if (m->ntypes)
            memcpy(grown, m->types, m->ntypes * sizeof *grown);
        m->types = grown;
        *cap = (uint32_t)(ncap > UINT32_MAX ? UINT32_MAX : ncap);
    }
    if (n == 0)
        return NULL; /* an empty rec group: nothing to point at (m->types may be NULL) */
    WasmSubType *first = &m->types[m->ntypes];
    m->ntypes += n;
    return first;
}

/* typesec ::= section_1(vec(rectype))
 * rectype ::= 0x4E st*:vec(subtype) | st:subtype (a group of one) */
bool wasm_decode_type_section(Decoder *d, Reader *r)
{
    uint32_t ngroups, cap = 0;
    if (!rd_count(r, 1, &ngroups))
        return false;
    for (uint32_t g = 0; g < ngroups; g++) {
        uint32_t n = 1;
        if (!rd_eof(r) && *r->p == 0x4E) {
            r->p++;
            if (!rd_count(r, 1, &n))
                return false;
        }
        if ((uint64_t)d->m->ntypes + n > UINT32_MAX)
            return wasmc_fail(d->err, dec_off(r), "too many types");
        uint32_t first = d->m->ntypes;
        push_types(d, &cap, n);
        for (uint32_t i = 0; i < n; i++) {
            WasmSubType *st = &d->m->types[first + i];
            if (!read_subtype(d, r, st))
                return false;
            st->rec_first = first;
            st->rec_size = n;
        }
    }
    return true;
}
