/* SIMD (v128) in cg_compile_func. The x86-64 backend does not lower v128
 * values yet: until it does, a function with a v128 parameter, result,
 * constant, memory access or lane operation must be refused with
 * "SIMD is not supported by the code generator yet (<op>)" -- the text the
 * spec runner counts as a skip -- and never compiled to wrong code. One
 * representative operation per family; scalar code next to it still runs. */
#include "test_codegen_harness.h"

static void expect_refused(const char *src, const char *what)
{
    char err[300] = "";
    HProg *p = h_build_opt(src, NULL, err);
    ck_assert_msg(p == NULL, "compiled: %s", src);
    ck_assert_msg(strstr(err, "SIMD is not supported by the code generator yet") != NULL, "message: %s", err);
    ck_assert_msg(strstr(err, what) != NULL, "message %s does not name %s", err, what);
}

/* A function computing `body` (which defines v9 from v1: v128, v2: i32). */
static void refused_op(const char *body, const char *what)
{
    char src[600];
    snprintf(src, sizeof src,
             "function %%f(i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v2: i32):\n"
             "    v1 = load.v128 notrap mem0[v2]\n%s    v10 = vop1.i32 v128.any_true v9\n    return v10\n}\n",
             body);
    expect_refused(src, what);
}

START_TEST(simd_signatures_refused)
{
    expect_refused("function %f(v128) -> i32 {\nblock1(v1: v128):\n    v2 = iconst.i32 0\n    return v2\n}\n",
                   "v128 parameters");
    expect_refused("function %f(v128) -> v128 {\nblock1(v1: v128):\n    return v1\n}\n", "return of v128");
    expect_refused("function %f() -> v128 {\nblock1:\n    v1 = vconst 0x000102030405060708090a0b0c0d0e0f\n"
                   "    return v1\n}\n",
                   "vconst");
    expect_refused("function %f() -> i32 {\nblock1:\n    v1 = vconst 0x000102030405060708090a0b0c0d0e0f\n"
                   "    v2 = vop1.i32 i8x16.bitmask v1\n    return v2\n}\n",
                   "vconst");
}
END_TEST

START_TEST(simd_families_refused)
{
    static const struct { const char *body, *what; } ops[] = {
        { "    v9 = vop2.v128 i32x4.add v1, v1\n", "i32x4.add" },
        { "    v9 = vop2.v128 i8x16.add_sat_u v1, v1\n", "i8x16.add_sat_u" },
        { "    v9 = vop2.v128 i16x8.mul v1, v1\n", "i16x8.mul" },
        { "    v9 = vop2.v128 i8x16.shl v1, v2\n", "i8x16.shl" },
        { "    v9 = vop2.v128 i64x2.lt_s v1, v1\n", "i64x2.lt_s" },
        { "    v9 = vop2.v128 f32x4.min v1, v1\n", "f32x4.min" },
        { "    v9 = vop2.v128 f64x2.pmax v1, v1\n", "f64x2.pmax" },
        { "    v9 = vop1.v128 i32x4.trunc_sat_f32x4_s v1\n", "i32x4.trunc_sat_f32x4_s" },
        { "    v9 = vop1.v128 i8x16.popcnt v1\n", "i8x16.popcnt" },
        { "    v9 = vop2.v128 i16x8.q15mulr_sat_s v1, v1\n", "i16x8.q15mulr_sat_s" },
        { "    v9 = vop2.v128 i8x16.swizzle v1, v1\n", "i8x16.swizzle" },
        { "    v9 = vop1.v128 i32x4.splat v2\n", "i32x4.splat" },
        { "    v3 = iconst.i32 1\n    v4 = vop2.i32 i16x8.extract_lane_s v1, v3\n"
          "    v9 = vop3.v128 i16x8.replace_lane v1, v3, v4\n", "i16x8.extract_lane_s" },
        { "    v9 = vop3.v128 v128.bitselect v1, v1, v1\n", "v128.bitselect" },
        { "    v9 = vop3.v128 f32x4.relaxed_madd v1, v1, v1\n", "f32x4.relaxed_madd" },
    };
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        refused_op(ops[k].body, "load of v128");
    /* Without the load, the first vector operation is named. */
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        char src[600];
        snprintf(src, sizeof src,
                 "function %%f(i32) -> i32 {\nblock1(v2: i32):\n"
                 "    v1 = vop1.v128 i32x4.splat v2\n%s    v10 = vop1.i32 v128.any_true v9\n    return v10\n}\n",
                 ops[k].body);
        expect_refused(src, "i32x4.splat");
    }
}
END_TEST

START_TEST(simd_scalar_code_unaffected)
{
    h_reset_vmctx();
    HProg *p = h_build("function %f(i32, i32) -> i32 {\nblock1(v1: i32, v2: i32):\n    v3 = iadd.i32 v1, v2\n"
                       "    return v3\n}\n");
    ck_assert_int_eq(((int32_t (*)(void *, void *, int32_t, int32_t))p->fn[0])(H_VM, H_VM, 40, 2), 42);
    h_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("codegen_simd");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, simd_signatures_refused);
    tcase_add_test(tc, simd_families_refused);
    tcase_add_test(tc, simd_scalar_code_unaffected);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int nf = srunner_ntests_failed(r);
    srunner_free(r);
    return nf ? 1 : 0;
}
