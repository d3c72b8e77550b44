/* The instruction reader (instr.h): opcode lookup in the opcodes.def table
 * and the binary encoding of every immediate format (WebAssembly 3.0, 5.4).
 *
 * Only encodings are checked here; an index that is well-formed but out of
 * range is the validator's "unknown ..." error, not ours. */
#include "instr.h"

#include "decode_internal.h"

#include <string.h>

static const WasmOpInfo op_infos[WASM_OP_COUNT_] = {
#define WASM_OP(name, prefix, code, text, imm, sig, arg) \
    [WASM_OP_##name] = { text, sig, code, prefix, imm, arg },
#include "opcodes.def"
#undef WASM_OP
};

const WasmOpInfo *wasm_op_info(WasmOpcode op) { return &op_infos[op]; }

/* (prefix, code) -> opcode; -1 when there is no such row. The switch is
 * generated from the table, so there is nothing to initialize at run time. */
static int lookup_opcode(uint8_t prefix, uint32_t code)
{
    if (code > 0xFFFF)
        return -1;
    switch ((uint32_t)prefix << 16 | code) {
#define WASM_OP(name, prefix, code, text, imm, sig, arg) \
    case (uint32_t)(prefix) << 16 | (code): return WASM_OP_##name;
#include "opcodes.def"
#undef WASM_OP
    default: return -1;
    }
}

/* A heap type (the decoder's reader) as a reference type of the given
 * nullability. */
static bool read_heaptype(Reader *r, bool nullable, WasmValType *out)
{
    uint8_t heap;
    uint32_t idx;
    if (!wasm_read_heaptype(r, &heap, &idx))
        return false;
    *out = wasm_reftype(nullable, heap, idx);
    return true;
}

/* blocktype ::= 0x40 | t:valtype | x:s33 (x >= 0) */
static bool read_blocktype(Reader *r, WasmBlockType *bt)
{
    memset(bt, 0, sizeof *bt);
    if (rd_eof(r))
        return wasmc_fail(r->err, rd_offset(r), "unexpected end");
    uint8_t b = *r->p;
    if (b == 0x40) {
        r->p++;
        bt->kind = BT_EMPTY;
        return true;
    }
    /* Single-byte negative s33 values are value types; anything else is a
     * type index (a non-negative s33). */
    if ((b >= 0x40 && b < 0x80) || b == 0x63 || b == 0x64) {
        bt->kind = BT_VAL;
        return wasm_read_valtype(r, &bt->val);
    }
    size_t at = rd_offset(r);
    int64_t x;
    if (!rd_s33(r, &x))
        return false;
    if (x < 0)
        return wasmc_fail(r->err, at, "malformed block type");
    bt->kind = BT_TYPE;
    bt->type_idx = (uint32_t)x;
    return true;
}

/* memarg ::= n:u32 o:u64            (n < 2^6)
 *          | n:u32 x:memidx o:u64   (2^6 <= n < 2^7: bit 6 selects a memory) */
static bool read_memarg(Reader *r, WasmMemArg *ma)
{
    size_t at = rd_offset(r);
    uint32_t flags;
    if (!rd_u32(r, &flags))
        return false;
    if (flags >= 128)
        return wasmc_fail(r->err, at, "malformed memop flags");
    ma->align_log2 = flags & 0x3F;
    ma->mem_idx = 0;
    if ((flags & 0x40) && !rd_u32(r, &ma->mem_idx))
        return false;
    return rd_u64(r, &ma->offset);
}

/* br_table l*:vec(labelidx) l_N:labelidx. The targets are only checked to
 * decode here; wasm_br_table_next re-reads them. */
static bool read_br_table(Reader *r, WasmInstr *in)
{
    uint32_t n, l;
    if (!rd_count(r, 1, &n))
        return false;
    in->u.br_table.count = n;
    in->u.br_table.targets_off = (uint32_t)rd_offset(r);
    for (uint32_t i = 0; i < n; i++)
        if (!rd_u32(r, &l))
            return false;
    return rd_u32(r, &in->u.br_table.default_label);
}

/* catch ::= 0x00 x l | 0x01 x l | 0x02 l | 0x03 l */
static bool read_catch(Reader *r, WasmCatch *c)
{
    size_t at = rd_offset(r);
    if (!rd_u8(r, &c->kind))
        return false;
    if (c->kind > CATCH_ALL_REF)
        return wasmc_fail(r->err, at, "malformed catch clause");
    c->tag = 0;
    if (c->kind <= CATCH_REF && !rd_u32(r, &c->tag))
        return false;
    return rd_u32(r, &c->label);
}

/* try_table bt:blocktype c*:vec(catch) */
static bool read_try_table(Reader *r, WasmInstr *in)
{
    uint32_t n;
    WasmCatch c;
    if (!read_blocktype(r, &in->u.block) || !rd_count(r, 2, &n))
        return false;
    in->try_table.count = n;
    in->try_table.catches_off = (uint32_t)rd_offset(r);
    for (uint32_t i = 0; i < n; i++)
        if (!read_catch(r, &c))
            return false;
    return true;
}

/* select t*:vec(valtype). Validation wants exactly one type; the reader
 * accepts any count and keeps the first. */
static bool read_select_types(Reader *r, WasmInstr *in)
{
    uint32_t n;
    WasmValType t;
    if (!rd_count(r, 1, &n))
        return false;
    in->u.select.count = n;
    for (uint32_t i = 0; i < n; i++) {
        if (!wasm_read_valtype(r, &t))
            return false;
        if (i == 0)
            in->u.select.type = t;
    }
    return true;
}

/* br_on_cast flags:u8 l:labelidx ht1:heaptype ht2:heaptype */
static bool read_br_on_cast(Reader *r, WasmInstr *in)
{
    size_t at = rd_offset(r);
    uint8_t flags;
    if (!rd_u8(r, &flags))
        return false;
    if (flags > 3)
        return wasmc_fail(r->err, at, "malformed cast flags");
    in->u.cast.flags = flags;
    return rd_u32(r, &in->u.cast.label) && read_heaptype(r, flags & 1, &in->u.cast.from) &&
           read_heaptype(r, (flags >> 1) & 1, &in->u.cast.to);
}

static bool read_bytes16(Reader *r, uint8_t out[16])
{
    const uint8_t *p;
    if (!rd_bytes(r, 16, &p))
        return false;
    memcpy(out, p, 16);
    return true;
}

static bool read_two(Reader *r, WasmInstr *in)
{
    return rd_u32(r, &in->idx) && rd_u32(r, &in->idx2);
}

static bool read_immediates(Reader *r, WasmInstr *in)
{
    switch ((WasmImmKind)op_infos[in->op].imm) {
    case IMM_NONE: return true;
    case IMM_BLOCK: return read_blocktype(r, &in->u.block);
    case IMM_LABEL:
    case IMM_FUNC:
    case IMM_TYPE:
    case IMM_LOCAL:
    case IMM_GLOBAL:
    case IMM_TABLE:
    case IMM_TAG:
    case IMM_MEMORY:
    case IMM_DATA:
    case IMM_ELEM: return rd_u32(r, &in->idx);
    case IMM_CALL_INDIRECT:
    case IMM_MEMORY_INIT:
    case IMM_MEMORY_COPY:
    case IMM_TABLE_INIT:
    case IMM_TABLE_COPY:
    case IMM_STRUCT_FIELD:
    case IMM_TYPE_COUNT:
    case IMM_TYPE_DATA:
    case IMM_TYPE_ELEM:
    case IMM_TYPE_TYPE: return read_two(r, in);
    case IMM_BR_TABLE: return read_br_table(r, in);
    case IMM_MEMARG: return read_memarg(r, &in->mem);
    case IMM_MEMARG_LANE: return read_memarg(r, &in->mem) && rd_u8(r, &in->lane);
    case IMM_LANE: return rd_u8(r, &in->lane);
    case IMM_I32: return rd_s32(r, &in->u.i32);
    case IMM_I64: return rd_s64(r, &in->u.i64);
    case IMM_F32: return rd_f32(r, &in->u.f32);
    case IMM_F64: return rd_f64(r, &in->u.f64);
    case IMM_V128:
    case IMM_SHUFFLE: return read_bytes16(r, in->u.v128);
    case IMM_SELECT_T: return read_select_types(r, in);
    case IMM_HEAPTYPE: {
        /* ref.null is nullable; ref.test/ref.cast encode nullability in the opcode. */
        bool nullable = in->op == WASM_OP_REF_NULL || in->op == WASM_OP_REF_TEST_NULL ||
                        in->op == WASM_OP_REF_CAST_NULL;
        return read_heaptype(r, nullable, &in->u.ref);
    }
    case IMM_BR_ON_CAST: return read_br_on_cast(r, in);
    case IMM_TRY_TABLE: return read_try_table(r, in);
    case IMM_ZERO_BYTE: {
        size_t at = rd_offset(r);
        uint8_t b;
        if (!rd_u8(r, &b))
            return false;
        return b == 0 || wasmc_fail(r->err, at, "zero byte expected");
    }
    }
    return wasmc_fail(r->err, in->off, "illegal opcode"); /* not reached */
}

bool wasm_read_instr(Reader *r, WasmInstr *out)
{
    memset(out, 0, sizeof *out);
    out->off = (uint32_t)rd_offset(r);
    uint8_t b;
    if (!rd_u8(r, &b))
        return false;
    uint32_t code = b;
    uint8_t prefix = 0;
    if (b >= 0xFB && b <= 0xFE) {
        prefix = b;
        if (!rd_u32(r, &code))
            return false;
    }
    int op = lookup_opcode(prefix, code);
    if (op < 0) {
        if (prefix)
            return wasmc_fail(r->err, out->off, "illegal opcode %02x %x", prefix, code);
        return wasmc_fail(r->err, out->off, "illegal opcode %02x", b);
    }
    out->op = (WasmOpcode)op;
    return read_immediates(r, out);
}

void wasm_br_table_begin(WasmBrTableIter *it, const uint8_t *bytes, size_t size, const WasmInstr *in)
{
    size_t off = in->u.br_table.targets_off;
    it->r = reader_make(bytes, size, NULL);
    it->r.p = bytes + (off <= size ? off : size);
    it->left = in->u.br_table.count;
    it->deflt = in->u.br_table.default_label;
    it->done = false;
}

bool wasm_br_table_next(WasmBrTableIter *it, uint32_t *label, bool *is_default)
{
    if (it->done)
        return false;
    if (it->left > 0) {
        it->left--;
        *is_default = false;
        *label = 0;
        (void)rd_u32(&it->r, label); /* decoded once already: cannot fail */
        return true;
    }
    it->done = true;
    *is_default = true;
    *label = it->deflt;
    return true;
}

void wasm_catch_begin(WasmCatchIter *it, const uint8_t *bytes, size_t size, const WasmInstr *in)
{
    size_t off = in->try_table.catches_off;
    it->r = reader_make(bytes, size, NULL);
    it->r.p = bytes + (off <= size ? off : size);
    it->left = in->try_table.count;
}

bool wasm_catch_next(WasmCatchIter *it, WasmCatch *out)
{
    if (it->left == 0)
        return false;
    it->left--;
    memset(out, 0, sizeof *out);
    (void)read_catch(&it->r, out); /* decoded once already: cannot fail */
    return true;
}
