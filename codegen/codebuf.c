/* CodeBuf implementation: see codebuf.h for the model.
 *
 * Invariants:
 *   - every fix-up of an unbound label is on that label's singly linked
 *     pending list (CgLabelInfo.first_fixup -> CgFixup.next); binding walks
 *     the list, patches each field and empties it, so after the last bind no
 *     list is non-empty unless a label was never bound;
 *   - a fix-up of an already bound label is patched when it is emitted and
 *     never recorded;
 *   - lengths fit in 32 bits: a function of 4 GiB of code is a compiler bug,
 *     so growth past that aborts rather than wrapping offsets. */
#include "codebuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/arena.h"

/* Grow *p (elements of size elem) so that index `need - 1` is valid. */
static void grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return;
    uint64_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    if (c > UINT32_MAX) {
        fputs("wasmc: fatal: code buffer exceeds 4 GiB\n", stderr);
        abort();
    }
    *p = xrealloc(*p, (size_t)c * elem);
    *cap = (uint32_t)c;
}

void cb_init(CodeBuf *cb)
{
    memset(cb, 0, sizeof *cb);
    cb->range_error_at = CG_UNBOUND;
    cb->nlabels = 1; /* id 0 is "no label" */
    grow((void **)&cb->labels, &cb->labels_cap, 1, sizeof *cb->labels);
    cb->labels[0].pos = CG_UNBOUND;
    cb->labels[0].first_fixup = 0;
}

void cb_free(CodeBuf *cb)
{
    free(cb->data);
    free(cb->labels);
    free(cb->fixups);
    free(cb->relocs);
    free(cb->traps);
    free(cb->srclocs);
    memset(cb, 0, sizeof *cb);
}

void cb_reset(CodeBuf *cb)
{
    cb->len = 0;
    cb->nlabels = 1;
    cb->nfixups = 0;
    cb->nrelocs = 0;
    cb->ntraps = 0;
    cb->nsrclocs = 0;
    cb->range_error_at = CG_UNBOUND;
}

static uint8_t *reserve(CodeBuf *cb, size_t n)
{
    if ((uint64_t)cb->len + n > UINT32_MAX) {
        fputs("wasmc: fatal: code buffer exceeds 4 GiB\n", stderr);
        abort();
    }
    grow((void **)&cb->data, &cb->cap, cb->len + (uint32_t)n, 1);
    uint8_t *p = cb->data + cb->len;
    cb->len += (uint32_t)n;
    return p;
}

void cb_emit8(CodeBuf *cb, uint8_t b) { *reserve(cb, 1) = b; }

void cb_emit16(CodeBuf *cb, uint16_t v)
{
    uint8_t *p = reserve(cb, 2);
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void cb_emit32(CodeBuf *cb, uint32_t v)
{
    uint8_t *p = reserve(cb, 4);
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void cb_emit64(CodeBuf *cb, uint64_t v)
{
    uint8_t *p = reserve(cb, 8);
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void cb_emit_bytes(CodeBuf *cb, const void *src, size_t n)
{
    if (n)
        memcpy(reserve(cb, n), src, n);
}

void cb_patch8(CodeBuf *cb, uint32_t offset, uint8_t v)
{
    if (offset >= cb->len)
        abort();
    cb->data[offset] = v;
}

void cb_patch32(CodeBuf *cb, uint32_t offset, uint32_t v)
{
    if ((uint64_t)offset + 4 > cb->len)
        abort();
    for (int i = 0; i < 4; i++)
        cb->data[offset + i] = (uint8_t)(v >> (8 * i));
}

uint32_t cb_read32(const CodeBuf *cb, uint32_t offset)
{
    if ((uint64_t)offset + 4 > cb->len)
        abort();
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)cb->data[offset + i] << (8 * i);
    return v;
}

void cb_align(CodeBuf *cb, uint32_t align, uint8_t fill)
{
    while (cb->len & (align - 1))
        cb_emit8(cb, fill);
}

CgLabel cb_new_label(CodeBuf *cb)
{
    grow((void **)&cb->labels, &cb->labels_cap, cb->nlabels + 1, sizeof *cb->labels);
    CgLabel l = { cb->nlabels++ };
    cb->labels[l.id].pos = CG_UNBOUND;
    cb->labels[l.id].first_fixup = 0;
    return l;
}

static CgLabelInfo *label_info(const CodeBuf *cb, CgLabel l)
{
    if (l.id == 0 || l.id >= cb->nlabels)
        abort(); /* a label from another buffer or "no label": compiler bug */
    return &cb->labels[l.id];
}

/* Write target - offset + addend into the field. A rel8 that does not fit is
 * remembered (first one only) and reported by cb_finalize. */
static void patch_fixup(CodeBuf *cb, uint32_t offset, CgFixupKind kind, int32_t addend, uint32_t target)
{
    int64_t v = (int64_t)target - (int64_t)offset + addend;
    if (kind == CG_FIXUP_REL8) {
        if (v < INT8_MIN || v > INT8_MAX) {
            if (cb->range_error_at == CG_UNBOUND)
                cb->range_error_at = offset;
            v = 0;
        }
        cb_patch8(cb, offset, (uint8_t)(int8_t)v);
    } else {
        cb_patch32(cb, offset, (uint32_t)(int32_t)v);
    }
}

void cb_bind(CodeBuf *cb, CgLabel l)
{
    CgLabelInfo *li = label_info(cb, l);
    if (li->pos != CG_UNBOUND)
        abort(); /* bound twice: compiler bug */
    li->pos = cb->len;
    for (uint32_t i = li->first_fixup; i; i = cb->fixups[i - 1].next) {
        const CgFixup *f = &cb->fixups[i - 1];
        patch_fixup(cb, f->offset, f->kind, f->addend, li->pos);
    }
    li->first_fixup = 0;
}

uint32_t cb_label_offset(const CodeBuf *cb, CgLabel l)
{
    const CgLabelInfo *li = label_info(cb, l);
    if (li->pos == CG_UNBOUND)
        abort();
    return li->pos;
}

void cb_use_label(CodeBuf *cb, CgLabel l, CgFixupKind kind, int32_t addend)
{
    CgLabelInfo *li = label_info(cb, l);
    uint32_t off = cb->len;
    if (kind == CG_FIXUP_REL8)
        cb_emit8(cb, 0);
    else
        cb_emit32(cb, 0);
    if (li->pos != CG_UNBOUND) {
        patch_fixup(cb, off, kind, addend, li->pos);
        return;
    }
    grow((void **)&cb->fixups, &cb->fixups_cap, cb->nfixups + 1, sizeof *cb->fixups);
    cb->fixups[cb->nfixups] = (CgFixup){ off, addend, li->first_fixup, kind };
    li->first_fixup = ++cb->nfixups; /* 1-based so that 0 ends the list */
}

void cb_add_reloc(CodeBuf *cb, uint32_t offset, CgRelocKind kind, uint32_t symbol, int64_t addend)
{
    grow((void **)&cb->relocs, &cb->relocs_cap, cb->nrelocs + 1, sizeof *cb->relocs);
    cb->relocs[cb->nrelocs++] = (CgReloc){ offset, kind, symbol, addend };
}

void cb_emit_reloc(CodeBuf *cb, CgRelocKind kind, uint32_t symbol, int64_t addend)
{
    cb_add_reloc(cb, cb->len, kind, symbol, addend);
    if (kind == CG_RELOC_ABS64)
        cb_emit64(cb, 0);
    else
        cb_emit32(cb, 0);
}

void cb_add_trap(CodeBuf *cb, uint32_t offset, uint32_t code)
{
    grow((void **)&cb->traps, &cb->traps_cap, cb->ntraps + 1, sizeof *cb->traps);
    cb->traps[cb->ntraps++] = (CgTrapSite){ offset, code };
}

void cb_set_srcloc(CodeBuf *cb, uint32_t wasm_offset)
{
    if (cb->nsrclocs) {
        CgSrcLoc *last = &cb->srclocs[cb->nsrclocs - 1];
        if (last->wasm_offset == wasm_offset)
            return;
        if (last->offset == cb->len) { /* nothing emitted since: replace */
            last->wasm_offset = wasm_offset;
            return;
        }
    }
    grow((void **)&cb->srclocs, &cb->srclocs_cap, cb->nsrclocs + 1, sizeof *cb->srclocs);
    cb->srclocs[cb->nsrclocs++] = (CgSrcLoc){ cb->len, wasm_offset };
}

bool cb_finalize(CodeBuf *cb, WasmcError *err)
{
    for (uint32_t i = 1; i < cb->nlabels; i++) {
        if (cb->labels[i].first_fixup)
            return wasmc_fail(err, WASMC_NO_OFFSET, "internal error: label %u used but never bound", i);
    }
    if (cb->range_error_at != CG_UNBOUND)
        return wasmc_fail(err, WASMC_NO_OFFSET,
                          "internal error: rel8 branch at code offset 0x%x out of range",
                          cb->range_error_at);
    /* Insertion sort: sites are nearly always appended in order already,
     * and it keeps equal offsets in insertion order. */
    for (uint32_t i = 1; i < cb->ntraps; i++) {
        CgTrapSite t = cb->traps[i];
        uint32_t j = i;
        while (j > 0 && cb->traps[j - 1].offset > t.offset) {
            cb->traps[j] = cb->traps[j - 1];
            j--;
        }
        cb->traps[j] = t;
    }
    return true;
}

int64_t cb_find_trap(const CodeBuf *cb, uint32_t offset)
{
    uint32_t lo = 0, hi = cb->ntraps;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cb->traps[mid].offset < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < cb->ntraps && cb->traps[lo].offset == offset)
        return cb->traps[lo].code;
    return -1;
}
