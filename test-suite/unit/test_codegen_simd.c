/* SIMD (v128) in cg_compile_func. Lowered operations (vconst, v128 loads
 * and stores, the lane ops of isel_simd.c) run with wasm's lane semantics;
 * everything not lowered yet -- v128 parameters and results, extract/
 * replace lane, shuffles, bitmasks, min/max with NaN rules, saturating
 * truncation, popcnt, q15mulr, relaxed ops ... -- must be refused with
 * "SIMD is not supported by the code generator yet (<op>)" (the text the
 * spec runner counts as a skip), never compiled to wrong code. */
#include <math.h>

#include "test_codegen_harness.h"

static void expect_refused(const char *src, const char *what)
{
    char err[300] = "";
    HProg *p = h_build_opt(src, NULL, err);
    ck_assert_msg(p == NULL, "compiled: %s", src);
    ck_assert_msg(strstr(err, "SIMD is not supported by the code generator yet") != NULL, "message: %s", err);
    ck_assert_msg(strstr(err, what) != NULL, "message %s does not name %s", err, what);
}

START_TEST(simd_signatures_refused)
{
    expect_refused("function %f(v128) -> i32 {\nblock1(v1: v128):\n    v2 = iconst.i32 0\n    return v2\n}\n",
                   "v128 parameters");
    expect_refused("function %f(v128) -> v128 {\nblock1(v1: v128):\n    return v1\n}\n", "return of v128");
    expect_refused("function %f() -> v128 {\nblock1:\n    v1 = vconst 0x000102030405060708090a0b0c0d0e0f\n"
                   "    return v1\n}\n",
                   "return of v128");
}
END_TEST

/* Families not lowered yet: each is refused, naming the operation. */
START_TEST(simd_families_refused)
{
    static const struct { const char *body, *what; } ops[] = {
        { "    v9 = vop2.v128 f32x4.min v1, v1\n", "f32x4.min" },
        { "    v9 = vop2.v128 f64x2.pmax v1, v1\n", "f64x2.pmax" },
        { "    v9 = vop2.v128 i64x2.lt_s v1, v1\n", "i64x2.lt_s" },
        { "    v9 = vop1.v128 i32x4.trunc_sat_f32x4_s v1\n", "i32x4.trunc_sat_f32x4_s" },
        { "    v9 = vop1.v128 i8x16.popcnt v1\n", "i8x16.popcnt" },
        { "    v9 = vop2.v128 i16x8.q15mulr_sat_s v1, v1\n", "i16x8.q15mulr_sat_s" },
        { "    v9 = vop2.v128 i8x16.swizzle v1, v1\n", "i8x16.swizzle" },
        { "    v9 = vop2.v128 i8x16.shl v1, v2\n", "i8x16.shl" },
        { "    v9 = vop2.v128 i64x2.shr_s v1, v2\n", "i64x2.shr_s" },
        { "    v3 = iconst.i32 1\n    v4 = vop2.i32 i16x8.extract_lane_s v1, v3\n"
          "    v9 = vop3.v128 i16x8.replace_lane v1, v3, v4\n", "i16x8.extract_lane_s" },
        { "    v9 = vop3.v128 v128.bitselect v1, v1, v1\n", "v128.bitselect" },
        { "    v9 = vop3.v128 f32x4.relaxed_madd v1, v1, v1\n", "f32x4.relaxed_madd" },
        { "    v9 = select.v128 v2, v1, v1\n", "select of v128" },
    };
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        char src[600];
        snprintf(src, sizeof src,
                 "function %%f(i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v2: i32):\n"
                 "    v1 = load.v128 notrap mem0[v2]\n%s    store.v128 notrap v9, mem0[v2]\n    return v2\n}\n",
                 ops[k].body);
        expect_refused(src, ops[k].what);
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


/* ---- lowered operations, run ------------------------------------------------ */

typedef int32_t (*FnP)(void *, void *, int32_t);

/* out = op(a, b) through memory: loads at 0 and 16, the result stored at 32. */
static void run_vop(const char *line, const uint8_t a[16], const uint8_t b[16], uint8_t out[16])
{
    char src[700];
    snprintf(src, sizeof src,
             "function %%f(i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32):\n"
             "    v2 = load.v128 heap_oob mem0[v1]\n    v3 = load.v128 heap_oob mem0[v1+16]\n"
             "%s    store.v128 heap_oob v4, mem0[v1+32]\n    v5 = iconst.i32 0\n    return v5\n}\n",
             line);
    h_reset_vmctx();
    HProg *p = h_build(src);
    memcpy(h_memory + 1000, a, 16);
    memcpy(h_memory + 1016, b, 16);
    ck_assert_int_eq(((FnP)p->fn[0])(H_VM, H_VM, 1000), 0);
    memcpy(out, h_memory + 1032, 16);
    h_free(p);
}

static void bin_i32(const char *op, const int32_t a[4], const int32_t b[4], const int32_t want[4])
{
    char line[200];
    snprintf(line, sizeof line, "    v4 = vop2.v128 %s v2, v3\n", op);
    int32_t out[4];
    run_vop(line, (const uint8_t *)a, (const uint8_t *)b, (uint8_t *)out);
    for (int k = 0; k < 4; k++)
        ck_assert_msg(out[k] == want[k], "%s lane %d: %d, want %d", op, k, out[k], want[k]);
}

START_TEST(simd_int_lanes)
{
    static const int32_t a[4] = { 1, -2, INT32_MAX, INT32_MIN }, b[4] = { 10, 20, 1, -1 };
    bin_i32("i32x4.add", a, b, (const int32_t[4]){ 11, 18, INT32_MIN, INT32_MAX });
    bin_i32("i32x4.sub", a, b, (const int32_t[4]){ -9, -22, INT32_MAX - 1, INT32_MIN + 1 });
    bin_i32("i32x4.mul", a, b, (const int32_t[4]){ 10, -40, INT32_MAX, INT32_MIN });
    bin_i32("i32x4.min_s", a, b, (const int32_t[4]){ 1, -2, 1, INT32_MIN });
    bin_i32("i32x4.max_u", a, b, (const int32_t[4]){ 10, -2, INT32_MAX, -1 });
    bin_i32("i32x4.gt_s", a, b, (const int32_t[4]){ 0, 0, -1, 0 });
    bin_i32("i32x4.eq", a, a, (const int32_t[4]){ -1, -1, -1, -1 });
    bin_i32("v128.andnot", a, b, (const int32_t[4]){ 1 & ~10, -2 & ~20, INT32_MAX & ~1, INT32_MIN & ~-1 });
    bin_i32("v128.xor", a, b, (const int32_t[4]){ 1 ^ 10, -2 ^ 20, INT32_MAX ^ 1, INT32_MIN ^ -1 });
    /* saturating and narrowing byte lanes */
    uint8_t x[16], y[16], out[16];
    for (int k = 0; k < 16; k++)
        x[k] = (uint8_t)(k * 20), y[k] = (uint8_t)(200 - k);
    run_vop("    v4 = vop2.v128 i8x16.add_sat_u v2, v3\n", x, y, out);
    for (int k = 0; k < 16; k++)
        ck_assert_uint_eq(out[k], x[k] + y[k] > 255 ? 255 : x[k] + y[k]);
    run_vop("    v4 = vop2.v128 i8x16.sub_sat_s v2, v3\n", x, y, out);
    for (int k = 0; k < 16; k++) {
        int r = (int8_t)x[k] - (int8_t)y[k];
        ck_assert_int_eq((int8_t)out[k], r > 127 ? 127 : r < -128 ? -128 : r);
    }
    int16_t w[8] = { 300, -300, 100, -100, 32767, -32768, 0, 255 }, nw[8];
    run_vop("    v4 = vop2.v128 i8x16.narrow_i16x8_u v2, v3\n", (uint8_t *)w, (uint8_t *)w, out);
    for (int k = 0; k < 16; k++) {
        int v = w[k % 8];
        ck_assert_uint_eq(out[k], v < 0 ? 0 : v > 255 ? 255 : v);
    }
    run_vop("    v4 = vop1.v128 i16x8.extend_low_i8x16_s v2\n", x, y, (uint8_t *)nw);
    for (int k = 0; k < 8; k++)
        ck_assert_int_eq(nw[k], (int8_t)x[k]);
    run_vop("    v4 = vop1.v128 i8x16.abs v2\n", x, y, out);
    for (int k = 0; k < 16; k++)
        ck_assert_uint_eq(out[k], (uint8_t)abs((int8_t)x[k]));
}
END_TEST

/* Shifts take the count modulo the lane width. */
START_TEST(simd_shifts)
{
    static const struct { const char *op; int count; } sh[] = {
        { "i16x8.shl", 3 }, { "i16x8.shr_s", 17 }, { "i16x8.shr_u", -1 }, { "i32x4.shl", 33 },
        { "i32x4.shr_s", 31 }, { "i32x4.shr_u", 4 }, { "i64x2.shl", 64 }, { "i64x2.shr_u", 70 },
    };
    static const int16_t h[8] = { 1, -1, 0x4000, -0x8000, 0x1234, -3, 7, 0x7fff };
    static const int32_t w[4] = { 1, -1, 0x40000000, INT32_MIN };
    static const int64_t q[2] = { -5, 0x123456789abcdefLL };
    for (size_t k = 0; k < sizeof sh / sizeof *sh; k++) {
        char line[200];
        snprintf(line, sizeof line, "    v6 = iconst.i32 %d\n    v4 = vop2.v128 %s v2, v6\n", sh[k].count, sh[k].op);
        uint8_t in[16], out[16];
        int lanes = sh[k].op[1] == '1' ? 8 : sh[k].op[1] == '3' ? 4 : 2;
        memcpy(in, lanes == 8 ? (const void *)h : lanes == 4 ? (const void *)w : (const void *)q, 16);
        run_vop(line, in, in, out);
        int bits = 128 / lanes, c = sh[k].count & (bits - 1);
        bool sra = strstr(sh[k].op, "shr_s") != NULL, srl = strstr(sh[k].op, "shr_u") != NULL;
        for (int l = 0; l < lanes; l++) {
            int64_t v, r;
            uint64_t u;
            if (lanes == 8) {
                int16_t x, y;
                memcpy(&x, in + 2 * l, 2), memcpy(&y, out + 2 * l, 2);
                v = x, r = y, u = (uint16_t)x;
                int64_t want = sra ? v >> c : srl ? (int64_t)(u >> c) : (int64_t)(int16_t)(uint16_t)(u << c);
                ck_assert_msg((int16_t)r == (int16_t)want, "%s lane %d", sh[k].op, l);
            } else if (lanes == 4) {
                int32_t x, y;
                memcpy(&x, in + 4 * l, 4), memcpy(&y, out + 4 * l, 4);
                v = x, r = y, u = (uint32_t)x;
                int64_t want = sra ? v >> c : srl ? (int64_t)(u >> c) : (int64_t)(int32_t)(uint32_t)(u << c);
                ck_assert_msg((int32_t)r == (int32_t)want, "%s lane %d", sh[k].op, l);
            } else {
                memcpy(&v, in + 8 * l, 8), memcpy(&r, out + 8 * l, 8);
                u = (uint64_t)v;
                uint64_t want = srl ? u >> c : u << c;
                ck_assert_msg((uint64_t)r == want, "%s lane %d", sh[k].op, l);
            }
        }
    }
}
END_TEST

START_TEST(simd_float_lanes)
{
    float a[4] = { 1.5f, -2.0f, NAN, 4.0f }, b[4] = { 2.0f, -2.0f, 1.0f, NAN }, r[4];
    run_vop("    v4 = vop2.v128 f32x4.mul v2, v3\n", (uint8_t *)a, (uint8_t *)b, (uint8_t *)r);
    ck_assert(r[0] == 3.0f && r[1] == 4.0f && isnan(r[2]) && isnan(r[3]));
    int32_t m[4];
    run_vop("    v4 = vop2.v128 f32x4.ne v2, v3\n", (uint8_t *)a, (uint8_t *)b, (uint8_t *)m);
    ck_assert(m[0] == -1 && m[1] == 0 && m[2] == -1 && m[3] == -1);
    run_vop("    v4 = vop2.v128 f32x4.gt v2, v3\n", (uint8_t *)a, (uint8_t *)b, (uint8_t *)m);
    ck_assert(m[0] == 0 && m[1] == 0 && m[2] == 0 && m[3] == 0);
    run_vop("    v4 = vop2.v128 f32x4.ge v2, v3\n", (uint8_t *)a, (uint8_t *)b, (uint8_t *)m);
    ck_assert(m[0] == 0 && m[1] == -1 && m[2] == 0 && m[3] == 0);
    double d[2] = { 16.0, 2.25 }, dr[2];
    run_vop("    v4 = vop1.v128 f64x2.sqrt v2\n", (uint8_t *)d, (uint8_t *)d, (uint8_t *)dr);
    ck_assert(dr[0] == 4.0 && dr[1] == 1.5);
    int32_t iv[4] = { -3, 7, 1 << 24, -(1 << 30) };
    run_vop("    v4 = vop1.v128 f32x4.convert_i32x4_s v2\n", (uint8_t *)iv, (uint8_t *)iv, (uint8_t *)r);
    for (int k = 0; k < 4; k++)
        ck_assert(r[k] == (float)iv[k]);
}
END_TEST

START_TEST(simd_consts_and_splats)
{
    uint8_t z[16] = { 0 }, out[16];
    run_vop("    v6 = vconst 0x0f0e0d0c0b0a09080706050403020100\n    v4 = vop2.v128 i8x16.add v6, v2\n", z, z, out);
    for (int k = 0; k < 16; k++)
        ck_assert_uint_eq(out[k], k);
    run_vop("    v6 = iconst.i32 0x1234abcd\n    v4 = vop1.v128 i8x16.splat v6\n", z, z, out);
    for (int k = 0; k < 16; k++)
        ck_assert_uint_eq(out[k], 0xcd);
    uint16_t hw[8];
    run_vop("    v6 = iconst.i32 -2\n    v4 = vop1.v128 i16x8.splat v6\n", z, z, (uint8_t *)hw);
    for (int k = 0; k < 8; k++)
        ck_assert_uint_eq(hw[k], 0xfffe);
    int32_t w[4];
    run_vop("    v6 = iconst.i32 77\n    v4 = vop1.v128 i32x4.splat v6\n", z, z, (uint8_t *)w);
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(w[k], 77);
    int64_t q[2];
    run_vop("    v6 = iconst.i64 -5000000000\n    v4 = vop1.v128 i64x2.splat v6\n", z, z, (uint8_t *)q);
    ck_assert(q[0] == -5000000000LL && q[1] == -5000000000LL);
    double dd[2];
    run_vop("    v6 = f64const 0x1.8p+1\n    v4 = vop1.v128 f64x2.splat v6\n", z, z, (uint8_t *)dd);
    ck_assert(dd[0] == 3.0 && dd[1] == 3.0);
    float ff[4];
    run_vop("    v6 = f32const -0x1p-1\n    v4 = vop1.v128 f32x4.splat v6\n", z, z, (uint8_t *)ff);
    for (int k = 0; k < 4; k++)
        ck_assert(ff[k] == -0.5f);
}
END_TEST

START_TEST(simd_block_params_in_loop)
{
    h_reset_vmctx();
    HProg *p = h_build("function %f(i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32):\n"
                       "    v2 = load.v128 heap_oob mem0[v1]\n    v3 = iconst.i32 3\n    jump block2(v2, v3)\n"
                       "block2(v4: v128, v5: i32):\n    v6 = vop2.v128 i32x4.add v4, v2\n    v7 = iconst.i32 1\n"
                       "    v8 = isub.i32 v5, v7\n    brif v8, block2(v6, v8), block3\n"
                       "block3:\n    store.v128 heap_oob v6, mem0[v1+32]\n    v9 = iconst.i32 0\n    return v9\n}\n");
    int32_t a[4] = { 1, -7, 1 << 29, 5 }, r[4];
    memcpy(h_memory + 64, a, 16);
    ck_assert_int_eq(((FnP)p->fn[0])(H_VM, H_VM, 64), 0);
    memcpy(r, h_memory + 96, 16);
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(r[k], (int32_t)((uint32_t)a[k] * 4u));
    h_free(p);
}
END_TEST

/* v128 values have no 16-byte spill slots yet: a function that would
 * spill one is refused, not compiled with 8-byte slots. */
START_TEST(simd_spill_refused)
{
    char src[4000];
    int n = 0;
    n += snprintf(src + n, sizeof src - (size_t)n, "function %%f(i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32):\n");
    for (int k = 0; k < 20; k++) /* 20 live vectors > 15 allocatable XMM registers */
        n += snprintf(src + n, sizeof src - (size_t)n, "    v%d = load.v128 heap_oob mem0[v1+%d]\n", 2 + k, 16 * k);
    n += snprintf(src + n, sizeof src - (size_t)n, "    v100 = vop2.v128 i32x4.add v21, v20\n");
    for (int k = 18; k >= 2; k--)
        n += snprintf(src + n, sizeof src - (size_t)n, "    v%d = vop2.v128 i32x4.add v%d, v%d\n", 119 - k, 118 - k, k);
    n += snprintf(src + n, sizeof src - (size_t)n, "    store.v128 heap_oob v117, mem0[v1]\n    return v1\n}\n");
    expect_refused(src, "v128 values under register pressure");
}
END_TEST

START_TEST(simd_load_traps_out_of_bounds)
{
    h_reset_vmctx();
    HProg *p = h_build("function %f(i32) -> i32 {\n    mem0 = memory i32 min 1\nblock1(v1: i32):\n"
                       "    v2 = load.v128 heap_oob mem0[v1]\n    store.v128 heap_oob v2, mem0[v1+16]\n"
                       "    v3 = iconst.i32 0\n    return v3\n}\n");
    int code;
    H_RUN(code, ((FnP)p->fn[0])(H_VM, H_VM, H_MEM_SIZE - 16));
    ck_assert_int_ne(code, 0); /* the store's last byte is out of bounds */
    H_RUN(code, ((FnP)p->fn[0])(H_VM, H_VM, H_MEM_SIZE - 32));
    ck_assert_int_eq(code, 0);
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
    tcase_add_test(tc, simd_int_lanes);
    tcase_add_test(tc, simd_float_lanes);
    tcase_add_test(tc, simd_shifts);
    tcase_add_test(tc, simd_consts_and_splats);
    tcase_add_test(tc, simd_load_traps_out_of_bounds);
    tcase_add_test(tc, simd_block_params_in_loop);
    tcase_add_test(tc, simd_spill_refused);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int nf = srunner_ntests_failed(r);
    srunner_free(r);
    return nf ? 1 : 0;
}
