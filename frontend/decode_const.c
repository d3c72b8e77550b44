/* Constant expressions (WebAssembly 3.0, 3.3.10 "Constant Expressions" and
 * the binary encoding of their instructions, 5.4).
 *
 * The decoder must know where a global initializer, a segment offset or an
 * element expression ends, so it walks the instructions that may appear in
 * a constant expression and stops after the `end` (0x0B). Any other opcode
 * is rejected here with the validator's wording. Typing the expression (and
 * checking its indices) is left to the validator, which re-reads the range
 * recorded in WasmConstExpr. */
#include "decode_internal.h"

/* Immediates of the 0xFB (GC) instructions allowed in constant expressions. */
static bool read_gc_const(Reader *r, size_t at)
{
    uint32_t sub, x;
    if (!rd_u32(r, &sub))
        return false;
    switch (sub) {
    case 0:  /* struct.new x */
    case 1:  /* struct.new_default x */
    case 6:  /* array.new x */
    case 7:  /* array.new_default x */
        return rd_u32(r, &x);
    case 8:  /* array.new_fixed x n */
        return rd_u32(r, &x) && rd_u32(r, &x);
    case 26: /* any.convert_extern */
    case 27: /* extern.convert_any */
    case 28: /* ref.i31 */
        return true;
    default: return wasmc_fail(r->err, at, "constant expression required");
    }
}

/* Single-byte opcodes that no WebAssembly 3.0 instruction (legacy
 * exceptions included) starts with. */
static bool is_illegal_opcode(uint8_t op)
{
    return op == 0x0A || op == 0x16 || op == 0x17 || op == 0x1D || op == 0x1E || op == 0x27 ||
           (op >= 0xC5 && op <= 0xCF) || (op >= 0xD7 && op <= 0xFA) || op == 0xFF;
}

/* expr ::= (in:instr)* 0x0B, with every instr constant. */
bool wasm_read_const_expr(Reader *r, WasmConstExpr *out)
{
    size_t start = rd_offset(r);
    for (;;) {
        size_t at = rd_offset(r);
        uint8_t op;
        uint32_t u;
        int32_t s32;
        int64_t s64;
        uint8_t heap;
        const uint8_t *bytes;
        if (!rd_u8(r, &op))
            return false;
        bool ok;
        switch (op) {
        case 0x0B: /* end */
            out->off = (uint32_t)start;
            out->len = (uint32_t)(rd_offset(r) - start);
            return true;
        case 0x41: ok = rd_s32(r, &s32); break;         /* i32.const */
        case 0x42: ok = rd_s64(r, &s64); break;         /* i64.const */
        case 0x43: ok = rd_bytes(r, 4, &bytes); break;  /* f32.const */
        case 0x44: ok = rd_bytes(r, 8, &bytes); break;  /* f64.const */
        case 0x23:                                      /* global.get x */
        case 0xD2: ok = rd_u32(r, &u); break;           /* ref.func x */
        case 0xD0: ok = wasm_read_heaptype(r, &heap, &u); break; /* ref.null ht */
        case 0x6A: case 0x6B: case 0x6C:                /* i32.add/sub/mul */
        case 0x7C: case 0x7D: case 0x7E: ok = true; break; /* i64.add/sub/mul */
        case 0xFD:                                      /* v128.const (0xFD 12) */
            if (!rd_u32(r, &u))
                return false;
            if (u != 12)
                return wasmc_fail(r->err, at, "constant expression required");
            ok = rd_bytes(r, 16, &bytes);
            break;
        case 0xFB: ok = read_gc_const(r, at); break;
        default:
            if (is_illegal_opcode(op))
                return wasmc_fail(r->err, at, "illegal opcode %02x", op);
            return wasmc_fail(r->err, at, "constant expression required");
        }
        if (!ok)
            return false;
    }
}
