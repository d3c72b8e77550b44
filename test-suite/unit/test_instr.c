/* Unit tests of the shared instruction reader (frontend/instr.c): opcode
 * lookup across prefixes, every tricky immediate format, and the errors for
 * malformed encodings. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../frontend/instr.h"

static bool read1(const uint8_t *b, size_t n, WasmInstr *in, WasmcError *err, size_t *used)
{
    Reader r = reader_make(b, n, err);
    bool ok = wasm_read_instr(&r, in);
    *used = rd_offset(&r);
    return ok;
}

#define READ_OK(in, ...)                                                              \
    do {                                                                              \
        static const uint8_t b_[] = { __VA_ARGS__ };                                  \
        WasmcError e_ = { 0 };                                                        \
        size_t used_;                                                                 \
        ck_assert_msg(read1(b_, sizeof b_, &(in), &e_, &used_), "error: %s", e_.msg); \
        ck_assert_uint_eq(used_, sizeof b_);                                          \
    } while (0)

#define READ_BAD(want, ...)                                                             \
    do {                                                                               \
        static const uint8_t b_[] = { __VA_ARGS__ };                                   \
        WasmcError e_ = { 0 };                                                         \
        WasmInstr in_;                                                                 \
        size_t used_;                                                                  \
        ck_assert(!read1(b_, sizeof b_, &in_, &e_, &used_));                           \
        ck_assert_msg(strstr(e_.msg, (want)) != NULL, "got '%s', want '%s'", e_.msg, (want)); \
    } while (0)

START_TEST(opcode_table)
{
    WasmInstr in;
    READ_OK(in, 0x6A);
    ck_assert_int_eq(in.op, WASM_OP_I32_ADD);
    ck_assert_str_eq(wasm_op_info(in.op)->name, "i32.add");
    ck_assert_str_eq(wasm_op_info(in.op)->sig, "ii:i");
    READ_OK(in, 0xFD, 0x93, 0x02); /* 275: i32x4.relaxed_dot_i8x16_i7x16_add_s */
    ck_assert_int_eq(in.op, WASM_OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S);
    READ_OK(in, 0xFC, 19);
    ck_assert_int_eq(in.op, WASM_OP_I64_ADD128);
    READ_OK(in, 0xFE, 3, 0);
    ck_assert_int_eq(in.op, WASM_OP_ATOMIC_FENCE);
    /* every row's (prefix, code) decodes back to itself */
    for (int op = 0; op < WASM_OP_COUNT_; op++) {
        const WasmOpInfo *info = wasm_op_info((WasmOpcode)op);
        uint8_t b[8];
        size_t n = 0;
        if (info->prefix) {
            b[n++] = info->prefix;
            uint32_t c = info->code;
            do {
                b[n] = c & 0x7F;
                c >>= 7;
                if (c)
                    b[n] |= 0x80;
                n++;
            } while (c);
        } else {
            b[n++] = (uint8_t)info->code;
        }
        Reader r = reader_make(b, n, NULL);
        WasmInstr got;
        /* immediates are missing, so only the opcode is checked */
        wasm_read_instr(&r, &got);
        ck_assert_msg(got.op == (WasmOpcode)op, "%s", info->name);
    }
}
END_TEST

START_TEST(memarg)
{
    WasmInstr in;
    READ_OK(in, 0x28, 0x02, 0x10); /* i32.load align=4 offset=16 */
    ck_assert_uint_eq(in.mem.align_log2, 2);
    ck_assert_uint_eq(in.mem.mem_idx, 0);
    ck_assert_uint_eq(in.mem.offset, 16);
    READ_OK(in, 0x28, 0x42, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10); /* memory 3, offset 2^32 */
    ck_assert_uint_eq(in.mem.align_log2, 2);
    ck_assert_uint_eq(in.mem.mem_idx, 3);
    ck_assert_uint_eq(in.mem.offset, (uint64_t)1 << 32);
    READ_BAD("malformed memop flags", 0x28, 0x80, 0x01, 0x00);
    READ_BAD("unexpected end", 0x28, 0x02);
    READ_OK(in, 0xFD, 0x54, 0x00, 0x00, 0x0F); /* v128.load8_lane lane 15 */
    ck_assert_uint_eq(in.lane, 15);
}
END_TEST

START_TEST(block_types)
{
    WasmInstr in;
    READ_OK(in, 0x02, 0x40);
    ck_assert_uint_eq(in.u.block.kind, BT_EMPTY);
    READ_OK(in, 0x02, 0x7E);
    ck_assert_uint_eq(in.u.block.kind, BT_VAL);
    ck_assert_uint_eq(in.u.block.val.code, WT_I64);
    READ_OK(in, 0x02, 0x63, 0x05); /* (ref null 5) */
    ck_assert_uint_eq(in.u.block.val.code, WT_REF);
    ck_assert(in.u.block.val.nullable);
    ck_assert_uint_eq(in.u.block.val.type_idx, 5);
    READ_OK(in, 0x02, 0x80, 0x01); /* type index 128 */
    ck_assert_uint_eq(in.u.block.kind, BT_TYPE);
    ck_assert_uint_eq(in.u.block.type_idx, 128);
    READ_BAD("malformed value type", 0x02, 0x7A);
}
END_TEST

START_TEST(br_table_iteration)
{
    static const uint8_t b[] = { 0x0E, 0x03, 0x00, 0x81, 0x01, 0x02, 0x07 };
    WasmcError err = { 0 };
    WasmInstr in;
    size_t used;
    ck_assert(read1(b, sizeof b, &in, &err, &used));
    ck_assert_uint_eq(used, sizeof b);
    ck_assert_uint_eq(in.u.br_table.count, 3);
    WasmBrTableIter it;
    uint32_t l, want[] = { 0, 129, 2, 7 }, k = 0;
    bool is_default;
    wasm_br_table_begin(&it, b, sizeof b, &in);
    while (wasm_br_table_next(&it, &l, &is_default)) {
        ck_assert_uint_lt(k, 4);
        ck_assert_uint_eq(l, want[k]);
        ck_assert(is_default == (k == 3));
        k++;
    }
    ck_assert_uint_eq(k, 4);
}
END_TEST

START_TEST(try_table_catches)
{
    /* try_table (result i32) catch 1 0, catch_all_ref 2 */
    static const uint8_t b[] = { 0x1F, 0x7F, 0x02, 0x00, 0x01, 0x00, 0x03, 0x02 };
    WasmcError err = { 0 };
    WasmInstr in;
    size_t used;
    ck_assert(read1(b, sizeof b, &in, &err, &used));
    ck_assert_uint_eq(used, sizeof b);
    WasmCatchIter it;
    WasmCatch c;
    wasm_catch_begin(&it, b, sizeof b, &in);
    ck_assert(wasm_catch_next(&it, &c));
    ck_assert_uint_eq(c.kind, CATCH);
    ck_assert_uint_eq(c.tag, 1);
    ck_assert_uint_eq(c.label, 0);
    ck_assert(wasm_catch_next(&it, &c));
    ck_assert_uint_eq(c.kind, CATCH_ALL_REF);
    ck_assert_uint_eq(c.label, 2);
    ck_assert(!wasm_catch_next(&it, &c));
    READ_BAD("malformed catch clause", 0x1F, 0x40, 0x01, 0x04, 0x00);
}
END_TEST

START_TEST(gc_immediates)
{
    WasmInstr in;
    READ_OK(in, 0xFB, 0x18, 0x03, 0x02, 0x6E, 0x05); /* br_on_cast 2 anyref (ref null 5) */
    ck_assert_int_eq(in.op, WASM_OP_BR_ON_CAST);
    ck_assert_uint_eq(in.u.cast.label, 2);
    ck_assert(in.u.cast.from.nullable);
    ck_assert_uint_eq(in.u.cast.from.heap, HT_ANY);
    ck_assert(in.u.cast.to.nullable);
    ck_assert_uint_eq(in.u.cast.to.type_idx, 5);
    READ_OK(in, 0xFB, 0x16, 0x6C); /* ref.cast (ref i31) */
    ck_assert(!in.u.ref.nullable);
    READ_OK(in, 0xFB, 0x17, 0x6C); /* ref.cast (ref null i31) */
    ck_assert(in.u.ref.nullable);
    READ_OK(in, 0xFB, 0x02, 0x04, 0x01); /* struct.get 4 1 */
    ck_assert_uint_eq(in.idx, 4);
    ck_assert_uint_eq(in.idx2, 1);
    READ_OK(in, 0x1C, 0x01, 0x64, 0x70); /* select (result (ref func)) */
    ck_assert_uint_eq(in.u.select.count, 1);
    ck_assert(!in.u.select.type.nullable);
}
END_TEST

START_TEST(malformed)
{
    READ_BAD("illegal opcode", 0xFF);
    READ_BAD("illegal opcode", 0x27);
    READ_BAD("illegal opcode", 0xFD, 0x9A, 0x01); /* 154 is reserved */
    READ_BAD("illegal opcode", 0xFC, 0x12);       /* 18 */
    READ_BAD("zero byte expected", 0xFE, 0x03, 0x01);
    READ_BAD("unexpected end", 0x41);
    READ_BAD("unexpected end", 0xFD, 0x0C, 0x00, 0x01);
    READ_BAD("integer representation too long", 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("instr");
    TCase *tc = tcase_create("reader");
    tcase_add_test(tc, opcode_table);
    tcase_add_test(tc, memarg);
    tcase_add_test(tc, block_types);
    tcase_add_test(tc, br_table_iteration);
    tcase_add_test(tc, try_table_catches);
    tcase_add_test(tc, gc_immediates);
    tcase_add_test(tc, malformed);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
