/* Element and data segments (WebAssembly 3.0, 5.5.12 and 5.5.14).
 *
 * Element segment flags (a u32, 0..7):
 *   bit0  passive or declarative (else active)
 *   bit1  active: an explicit table index follows; else declarative
 *   bit2  the items are expressions with an explicit reftype (else function
 *         indices with an elemkind byte, or implicitly funcref for form 0)
 * Data segment flags: 0 active memory 0, 1 passive, 2 active explicit memory. */
#include "decode_internal.h"

/* elemkind ::= 0x00 (funcref; its segments have type (ref func)) */
static bool read_elemkind(Reader *r, WasmValType *type)
{
    size_t at = rd_offset(r);
    uint8_t b;
    if (!rd_u8(r, &b))
        return false;
    if (b != 0x00)
        return wasmc_fail(r->err, at, "malformed element kind");
    *type = wasm_reftype(false, HT_FUNC, 0);
    return true;
}

/* The item vector: vec(funcidx) or vec(expr). */
static bool read_elem_items(Decoder *d, Reader *r, bool exprs, WasmElemSeg *seg)
{
    if (!rd_count(r, 1, &seg->count))
        return false;
    if (seg->count == 0)
        return true;
    if (!exprs) {
        seg->func_idxs = arena_array(&d->m->arena, seg->count, sizeof *seg->func_idxs);
        for (uint32_t i = 0; i < seg->count; i++)
            if (!rd_u32(r, &seg->func_idxs[i]))
                return false;
        return true;
    }
    seg->exprs = arena_array(&d->m->arena, seg->count, sizeof *seg->exprs);
    for (uint32_t i = 0; i < seg->count; i++)
        if (!wasm_read_const_expr(r, &seg->exprs[i]))
            return false;
    return true;
}

/* elem ::= 0:u32 e:expr y*:vec(funcidx)                     active table 0
 *        | 1:u32 et:elemkind y*:vec(funcidx)                passive
 *        | 2:u32 x:tableidx e:expr et:elemkind y*:vec(funcidx) active
 *        | 3:u32 et:elemkind y*:vec(funcidx)                declarative
 *        | 4:u32 e:expr el*:vec(expr)                       active table 0
 *        | 5:u32 et:reftype el*:vec(expr)                   passive
 *        | 6:u32 x:tableidx e:expr et:reftype el*:vec(expr) active
 *        | 7:u32 et:reftype el*:vec(expr)                   declarative */
static bool read_elem(Decoder *d, Reader *r, WasmElemSeg *seg)
{
    size_t at = rd_offset(r);
    uint32_t flags;
    seg->off = (uint32_t)at;
    if (!rd_u32(r, &flags))
        return false;
    if (flags > 7)
        return wasmc_fail(d->err, at, "malformed elements segment kind");
    bool exprs = flags & 4;
    if (flags & 1)
        seg->mode = (flags & 2) ? SEG_DECLARATIVE : SEG_PASSIVE;
    else
        seg->mode = SEG_ACTIVE;
    if (seg->mode == SEG_ACTIVE) {
        if ((flags & 2) && !rd_u32(r, &seg->table_idx))
            return false;
        if (!wasm_read_const_expr(r, &seg->offset))
            return false;
    }
    /* Forms 0 and 4 have no type byte: funcref, non-null for indices. */
    if (flags == 0)
        seg->type = wasm_reftype(false, HT_FUNC, 0);
    else if (flags == 4)
        seg->type = wasm_reftype(true, HT_FUNC, 0);
    else if (exprs ? !wasm_read_reftype(r, &seg->type) : !read_elemkind(r, &seg->type))
        return false;
    return read_elem_items(d, r, exprs, seg);
}

/* elemsec ::= section_9(vec(elem)) */
bool wasm_decode_element_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n))
        return false;
    m->nelems = n;
    m->elems = n ? arena_array(&m->arena, n, sizeof *m->elems) : NULL;
    for (uint32_t i = 0; i < n; i++)
        if (!read_elem(d, r, &m->elems[i]))
            return false;
    return true;
}

/* data ::= 0:u32 e:expr b*:vec(byte)              active memory 0
 *        | 1:u32 b*:vec(byte)                     passive
 *        | 2:u32 x:memidx e:expr b*:vec(byte)     active */
static bool read_data(Decoder *d, Reader *r, WasmDataSeg *seg)
{
    size_t at = rd_offset(r);
    uint32_t flags, len;
    const uint8_t *bytes;
    seg->off = (uint32_t)at;
    if (!rd_u32(r, &flags))
        return false;
    if (flags > 2)
        return wasmc_fail(d->err, at, "malformed data segment kind");
    seg->mode = flags == 1 ? SEG_PASSIVE : SEG_ACTIVE;
    if (flags == 2 && !rd_u32(r, &seg->mem_idx))
        return false;
    if (flags != 1 && !wasm_read_const_expr(r, &seg->offset))
        return false;
    if (!rd_count(r, 1, &len))
        return false;
    seg->data_off = dec_off(r);
    seg->data_len = len;
    return rd_bytes(r, len, &bytes);
}

/* datasec ::= section_11(vec(data)) */
bool wasm_decode_data_section(Decoder *d, Reader *r)
{
    WasmModule *m = d->m;
    uint32_t n;
    if (!rd_count(r, 1, &n))
        return false;
    d->has_data = true;
    m->ndatas = n;
    m->datas = n ? arena_array(&m->arena, n, sizeof *m->datas) : NULL;
    for (uint32_t i = 0; i < n; i++)
        if (!read_data(d, r, &m->datas[i]))
            return false;
    return true;
}
