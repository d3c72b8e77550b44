/* Unit tests of CodeBuf (codegen/codebuf.h): byte emission and growth,
 * labels with rel8/rel32 fix-ups bound before and after use, several uses
 * of one label, out-of-range rel8 and unbound labels reported by
 * cb_finalize, relocations, the trap table (sorted, looked up by offset),
 * source locations, alignment and reuse after cb_reset. Target-neutral: no
 * instruction encoding here (test_x86_encode covers that). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "codebuf.h"

static int32_t rd32s(const CodeBuf *cb, uint32_t off) { return (int32_t)cb_read32(cb, off); }

START_TEST(emit_little_endian_and_grow)
{
    CodeBuf cb;
    cb_init(&cb);
    cb_emit8(&cb, 0x11);
    cb_emit16(&cb, 0x3322);
    cb_emit32(&cb, 0x77665544);
    cb_emit64(&cb, 0xffeeddccbbaa9988ull);
    static const uint8_t want[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
                                    0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    ck_assert_uint_eq(cb_offset(&cb), sizeof want);
    ck_assert_mem_eq(cb.data, want, sizeof want);
    for (int i = 0; i < 100000; i++)
        cb_emit8(&cb, (uint8_t)i);
    ck_assert_uint_eq(cb.len, sizeof want + 100000);
    ck_assert_uint_eq(cb.data[sizeof want + 99999], (uint8_t)99999);
    ck_assert_mem_eq(cb.data, want, sizeof want); /* survived reallocation */
    cb_patch32(&cb, 1, 0xdeadbeef);
    ck_assert_uint_eq(cb_read32(&cb, 1), 0xdeadbeef);
    cb_free(&cb);
}
END_TEST

START_TEST(label_backward_rel32)
{
    CodeBuf cb;
    cb_init(&cb);
    CgLabel l = cb_new_label(&cb);
    ck_assert_uint_ne(l.id, 0);
    cb_emit8(&cb, 0x90);
    cb_bind(&cb, l); /* at 1 */
    ck_assert(cb_is_bound(&cb, l));
    cb_emit_bytes(&cb, "\x90\x90\x90", 3);
    cb_emit8(&cb, 0xe9);                             /* at 4 */
    cb_use_label(&cb, l, CG_FIXUP_REL32, -4);        /* field at 5, end at 9 */
    ck_assert_int_eq(rd32s(&cb, 5), 1 - 9);          /* patched at once */
    ck_assert_uint_eq(cb.nfixups, 0);                /* nothing left pending */
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));
    cb_free(&cb);
}
END_TEST

START_TEST(label_forward_many_uses)
{
    CodeBuf cb;
    cb_init(&cb);
    CgLabel l = cb_new_label(&cb), other = cb_new_label(&cb);
    uint32_t fields[3];
    for (int i = 0; i < 3; i++) {
        cb_emit8(&cb, 0xe9);
        fields[i] = cb_offset(&cb);
        cb_use_label(&cb, l, CG_FIXUP_REL32, -4);
        cb_emit8(&cb, 0xeb);
        cb_use_label(&cb, other, CG_FIXUP_REL8, -1);
    }
    uint32_t rel8_field = cb_offset(&cb) - 1;
    ck_assert(!cb_is_bound(&cb, l));
    cb_emit_bytes(&cb, "\xcc\xcc", 2);
    cb_bind(&cb, other);
    uint32_t other_at = cb_offset(&cb);
    cb_emit8(&cb, 0xc3);
    cb_bind(&cb, l);
    uint32_t target = cb_offset(&cb);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(rd32s(&cb, fields[i]), (int32_t)target - (int32_t)(fields[i] + 4));
    ck_assert_int_eq((int8_t)cb.data[rel8_field], (int32_t)other_at - (int32_t)(rel8_field + 1));
    ck_assert_uint_eq(cb_label_offset(&cb, l), target);
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));
    cb_free(&cb);
}
END_TEST

/* br_table: 32-bit entries relative to the table start. */
START_TEST(jump_table_entries)
{
    CodeBuf cb;
    cb_init(&cb);
    CgLabel t[3] = { cb_new_label(&cb), cb_new_label(&cb), cb_new_label(&cb) };
    cb_emit_bytes(&cb, "\x90\x90\x90\x90", 4);
    cb_bind(&cb, t[0]); /* a target before the table */
    uint32_t table = cb_offset(&cb);
    for (int i = 0; i < 3; i++)
        cb_use_label(&cb, t[i], CG_FIXUP_REL32, 4 * i);
    cb_bind(&cb, t[1]);
    cb_emit8(&cb, 0xc3);
    cb_bind(&cb, t[2]);
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(rd32s(&cb, table + 4 * i), (int32_t)cb_label_offset(&cb, t[i]) - (int32_t)table);
    cb_free(&cb);
}
END_TEST

START_TEST(rel8_boundaries)
{
    /* +127 fits, +128 does not. */
    CodeBuf cb;
    cb_init(&cb);
    CgLabel l = cb_new_label(&cb);
    cb_emit8(&cb, 0xeb);
    cb_use_label(&cb, l, CG_FIXUP_REL8, -1); /* field 1, end 2 */
    for (int i = 0; i < 127; i++)
        cb_emit8(&cb, 0x90);
    cb_bind(&cb, l); /* 129 - 2 = 127 */
    ck_assert_int_eq((int8_t)cb.data[1], 127);
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));

    /* Backward -128 fits. */
    CgLabel back = cb_new_label(&cb);
    cb_bind(&cb, back);
    for (int i = 0; i < 126; i++)
        cb_emit8(&cb, 0x90);
    cb_emit8(&cb, 0xeb);
    cb_use_label(&cb, back, CG_FIXUP_REL8, -1);
    ck_assert_int_eq((int8_t)cb.data[cb.len - 1], -128);
    ck_assert(cb_finalize(&cb, &err));
    cb_free(&cb);

    cb_init(&cb);
    l = cb_new_label(&cb);
    cb_emit8(&cb, 0xeb);
    cb_use_label(&cb, l, CG_FIXUP_REL8, -1);
    for (int i = 0; i < 128; i++)
        cb_emit8(&cb, 0x90);
    cb_bind(&cb, l);
    ck_assert(!cb_finalize(&cb, &err));
    ck_assert_msg(strstr(err.msg, "out of range") != NULL, "%s", err.msg);
    cb_free(&cb);
}
END_TEST

START_TEST(unbound_label_is_reported)
{
    CodeBuf cb;
    cb_init(&cb);
    CgLabel unused = cb_new_label(&cb), used = cb_new_label(&cb);
    (void)unused; /* never used: fine */
    cb_emit8(&cb, 0xe8);
    cb_use_label(&cb, used, CG_FIXUP_REL32, -4);
    WasmcError err = { 0 };
    ck_assert(!cb_finalize(&cb, &err));
    ck_assert_msg(strstr(err.msg, "never bound") != NULL, "%s", err.msg);
    cb_free(&cb);
}
END_TEST

START_TEST(relocations)
{
    CodeBuf cb;
    cb_init(&cb);
    cb_emit8(&cb, 0xe8);
    cb_emit_reloc(&cb, CG_RELOC_CALL_PC32, 5, -4);
    cb_emit_bytes(&cb, "\x48\xb8", 2);
    cb_emit_reloc(&cb, CG_RELOC_ABS64, 6, 16);
    cb_add_reloc(&cb, 0, CG_RELOC_PC32, 7, -8);
    ck_assert_uint_eq(cb.len, 1 + 4 + 2 + 8);
    ck_assert_uint_eq(cb.nrelocs, 3);
    ck_assert_uint_eq(cb.relocs[0].offset, 1);
    ck_assert_int_eq(cb.relocs[0].kind, CG_RELOC_CALL_PC32);
    ck_assert_uint_eq(cb.relocs[0].symbol, 5);
    ck_assert_int_eq(cb.relocs[0].addend, -4);
    ck_assert_uint_eq(cb.relocs[1].offset, 7);
    ck_assert_int_eq(cb.relocs[1].kind, CG_RELOC_ABS64);
    ck_assert_int_eq(cb.relocs[1].addend, 16);
    ck_assert_uint_eq(cb.relocs[2].symbol, 7);
    for (uint32_t i = 7; i < 15; i++)
        ck_assert_uint_eq(cb.data[i], 0); /* fields are zero until linked */
    cb_free(&cb);
}
END_TEST

START_TEST(trap_table)
{
    CodeBuf cb;
    cb_init(&cb);
    cb_emit_bytes(&cb, "\x90\x90", 2);
    cb_trap_here(&cb, 3); /* at 2 */
    cb_emit_bytes(&cb, "\x0f\x0b", 2);
    cb_add_trap(&cb, 0, 1); /* out of order on purpose */
    cb_trap_here(&cb, 4);   /* at 4 */
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));
    ck_assert_uint_eq(cb.ntraps, 3);
    ck_assert_uint_eq(cb.traps[0].offset, 0);
    ck_assert_uint_eq(cb.traps[1].offset, 2);
    ck_assert_uint_eq(cb.traps[2].offset, 4);
    ck_assert_int_eq(cb_find_trap(&cb, 0), 1);
    ck_assert_int_eq(cb_find_trap(&cb, 2), 3);
    ck_assert_int_eq(cb_find_trap(&cb, 4), 4);
    ck_assert_int_eq(cb_find_trap(&cb, 1), -1);
    ck_assert_int_eq(cb_find_trap(&cb, 5), -1);
    cb_free(&cb);
}
END_TEST

START_TEST(srcloc_merge)
{
    CodeBuf cb;
    cb_init(&cb);
    cb_set_srcloc(&cb, 0x10);
    cb_emit8(&cb, 0x90);
    cb_set_srcloc(&cb, 0x10); /* same: merged */
    cb_emit8(&cb, 0x90);
    cb_set_srcloc(&cb, 0x12);
    cb_set_srcloc(&cb, 0x14); /* nothing emitted at 0x12: replaced */
    cb_emit8(&cb, 0x90);
    ck_assert_uint_eq(cb.nsrclocs, 2);
    ck_assert_uint_eq(cb.srclocs[0].offset, 0);
    ck_assert_uint_eq(cb.srclocs[0].wasm_offset, 0x10);
    ck_assert_uint_eq(cb.srclocs[1].offset, 2);
    ck_assert_uint_eq(cb.srclocs[1].wasm_offset, 0x14);
    cb_free(&cb);
}
END_TEST

START_TEST(align_and_reset)
{
    CodeBuf cb;
    cb_init(&cb);
    cb_emit8(&cb, 1);
    cb_align(&cb, 8, 0xcc);
    ck_assert_uint_eq(cb.len, 8);
    ck_assert_uint_eq(cb.data[7], 0xcc);
    cb_align(&cb, 8, 0xcc); /* already aligned: no-op */
    ck_assert_uint_eq(cb.len, 8);

    CgLabel l = cb_new_label(&cb);
    cb_emit8(&cb, 0xe9);
    cb_use_label(&cb, l, CG_FIXUP_REL32, -4);
    cb_trap_here(&cb, 2);
    cb_reset(&cb);
    ck_assert_uint_eq(cb.len, 0);
    ck_assert_uint_eq(cb.ntraps, 0);
    ck_assert_uint_eq(cb.nfixups, 0);
    /* Labels start over: the pending use above is forgotten. */
    CgLabel again = cb_new_label(&cb);
    ck_assert_uint_eq(again.id, 1);
    WasmcError err = { 0 };
    ck_assert(cb_finalize(&cb, &err));
    cb_free(&cb);
}
END_TEST

static Suite *codebuf_suite(void)
{
    Suite *s = suite_create("codebuf");
    TCase *tc = tcase_create("codebuf");
    tcase_add_test(tc, emit_little_endian_and_grow);
    tcase_add_test(tc, label_backward_rel32);
    tcase_add_test(tc, label_forward_many_uses);
    tcase_add_test(tc, jump_table_entries);
    tcase_add_test(tc, rel8_boundaries);
    tcase_add_test(tc, unbound_label_is_reported);
    tcase_add_test(tc, relocations);
    tcase_add_test(tc, trap_table);
    tcase_add_test(tc, srcloc_merge);
    tcase_add_test(tc, align_and_reset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(codebuf_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
