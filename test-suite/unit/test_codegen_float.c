/* Runs float code from cg_compile_func: arithmetic, wasm min/max (NaN and
 * signed zeros), nearest ties-to-even, comparisons with NaN, conversions at
 * their limits (trapping and saturating), select and bitcasts. */
#include <math.h>

#include "test_codegen_harness.h"

typedef double (*FnDD_D)(void *, void *, double, double);
typedef float (*FnFF_F)(void *, void *, float, float);

static HProg *fbin(const char *op, const char *ty)
{
    char src[400];
    snprintf(src, sizeof src,
             "function %%f(%s, %s) -> %s {\nblock1(v1: %s, v2: %s):\n    v3 = %s.%s v1, v2\n    return v3\n}\n", ty, ty,
             ty, ty, ty, op, ty);
    return h_build(src);
}

static uint64_t dbits(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static uint32_t fbits(float d) { uint32_t b; memcpy(&b, &d, 4); return b; }

START_TEST(float_arith_minmax)
{
    h_reset_vmctx();
    HProg *p = fbin("fadd", "f64");
    ck_assert(((FnDD_D)p->fn[0])(H_VM, H_VM, 1.5, 2.25) == 3.75);
    h_free(p);
    p = fbin("fdiv", "f32");
    ck_assert(((FnFF_F)p->fn[0])(H_VM, H_VM, 1.0f, 4.0f) == 0.25f);
    h_free(p);
    p = fbin("fmin", "f64");
    FnDD_D mn = (FnDD_D)p->fn[0];
    ck_assert(mn(H_VM, H_VM, 1.0, 2.0) == 1.0);
    ck_assert_uint_eq(dbits(mn(H_VM, H_VM, 0.0, -0.0)), dbits(-0.0));
    ck_assert_uint_eq(dbits(mn(H_VM, H_VM, -0.0, 0.0)), dbits(-0.0));
    ck_assert(isnan(mn(H_VM, H_VM, NAN, 1.0)));
    ck_assert(isnan(mn(H_VM, H_VM, 1.0, NAN)));
    h_free(p);
    p = fbin("fmax", "f32");
    FnFF_F mx = (FnFF_F)p->fn[0];
    ck_assert(mx(H_VM, H_VM, 1.0f, 2.0f) == 2.0f);
    ck_assert_uint_eq(fbits(mx(H_VM, H_VM, -0.0f, 0.0f)), fbits(0.0f));
    ck_assert_uint_eq(fbits(mx(H_VM, H_VM, 0.0f, -0.0f)), fbits(0.0f));
    ck_assert(isnan(mx(H_VM, H_VM, 3.0f, NAN)));
    h_free(p);
    p = fbin("fcopysign", "f64");
    ck_assert(((FnDD_D)p->fn[0])(H_VM, H_VM, 2.0, -0.0) == -2.0);
    ck_assert(((FnDD_D)p->fn[0])(H_VM, H_VM, -2.0, 1.0) == 2.0);
    h_free(p);
}
END_TEST

START_TEST(float_unary_round)
{
    h_reset_vmctx();
    static const struct { const char *op; double a, r; } u[] = {
        { "nearest", 2.5, 2.0 }, { "nearest", 3.5, 4.0 }, { "nearest", -0.5, -0.0 }, { "floor", -1.5, -2.0 },
        { "ceil", -1.5, -1.0 }, { "trunc", -1.7, -1.0 }, { "sqrt", 16.0, 4.0 }, { "fabs", -3.0, 3.0 },
        { "fneg", 3.0, -3.0 }, { "fneg", 0.0, -0.0 },
    };
    for (size_t k = 0; k < sizeof u / sizeof *u; k++) {
        for (int f32 = 0; f32 < 2; f32++) {
            const char *ty = f32 ? "f32" : "f64";
            char src[300];
            snprintf(src, sizeof src, "function %%f(%s) -> %s {\nblock1(v1: %s):\n    v2 = %s.%s v1\n    return v2\n}\n",
                     ty, ty, ty, u[k].op, ty);
            HProg *p = h_build(src);
            if (f32) {
                float r = ((float (*)(void *, void *, float))p->fn[0])(H_VM, H_VM, (float)u[k].a);
                ck_assert_msg(fbits(r) == fbits((float)u[k].r), "%s.f32 %g = %g", u[k].op, u[k].a, (double)r);
            } else {
                double r = ((double (*)(void *, void *, double))p->fn[0])(H_VM, H_VM, u[k].a);
                ck_assert_msg(dbits(r) == dbits(u[k].r), "%s.f64 %g = %g", u[k].op, u[k].a, r);
            }
            h_free(p);
        }
    }
}
END_TEST

START_TEST(float_compare)
{
    h_reset_vmctx();
    static const char *ccs[] = { "eq", "ne", "lt", "le", "gt", "ge", "uno", "ord" };
    static const double pairs[][2] = { { 1, 2 }, { 2, 1 }, { 1, 1 }, { NAN, 1 }, { 1, NAN } };
    for (size_t c = 0; c < 8; c++) {
        char src[600];
        /* as a value and as a branch condition */
        snprintf(src, sizeof src,
                 "function %%f(f64, f64) -> i32 {\nblock1(v1: f64, v2: f64):\n    v3 = fcmp.f64 %s v1, v2\n    return v3\n}\n\n"
                 "function %%g(f64, f64) -> i32 {\nblock1(v1: f64, v2: f64):\n    v3 = fcmp.f64 %s v1, v2\n"
                 "    brif v3, block2, block3\nblock2:\n    v4 = iconst.i32 1\n    return v4\nblock3:\n"
                 "    v5 = iconst.i32 0\n    return v5\n}\n",
                 ccs[c], ccs[c]);
        HProg *p = h_build(src);
        for (size_t k = 0; k < 5; k++) {
            double a = pairs[k][0], b = pairs[k][1];
            int want = c == 0 ? a == b : c == 1 ? a != b : c == 2 ? a < b : c == 3 ? a <= b : c == 4 ? a > b
                     : c == 5 ? a >= b : c == 6 ? (isnan(a) || isnan(b)) : !(isnan(a) || isnan(b));
            typedef uint32_t (*F)(void *, void *, double, double);
            ck_assert_msg(((F)p->fn[0])(H_VM, H_VM, a, b) == (uint32_t)want, "%s %g %g", ccs[c], a, b);
            ck_assert_msg(((F)p->fn[1])(H_VM, H_VM, a, b) == (uint32_t)want, "br %s %g %g", ccs[c], a, b);
        }
        h_free(p);
    }
}
END_TEST

static HProg *conv(const char *op, const char *rt, const char *at)
{
    char src[300];
    snprintf(src, sizeof src, "function %%f(%s) -> %s {\nblock1(v1: %s):\n    v2 = %s.%s v1\n    return v2\n}\n", at, rt,
             at, op, rt);
    return h_build(src);
}

START_TEST(float_to_int)
{
    h_reset_vmctx();
    typedef uint64_t (*FD)(void *, void *, double);
    typedef uint64_t (*FF)(void *, void *, float);
    int code;
    HProg *p = conv("fcvt_to_sint", "i32", "f64");
    ck_assert_uint_eq((uint32_t)((FD)p->fn[0])(H_VM, H_VM, -2147483648.9), 0x80000000u);
    ck_assert_uint_eq((uint32_t)((FD)p->fn[0])(H_VM, H_VM, 2147483647.9), 0x7fffffffu);
    H_RUN(code, ((FD)p->fn[0])(H_VM, H_VM, 2147483648.0));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    H_RUN(code, ((FD)p->fn[0])(H_VM, H_VM, -2147483649.0));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    H_RUN(code, ((FD)p->fn[0])(H_VM, H_VM, NAN));
    ck_assert_int_eq(code, WASMC_TRAP_BAD_CONVERSION);
    h_free(p);
    p = conv("fcvt_to_uint", "i64", "f32");
    ck_assert_uint_eq(((FF)p->fn[0])(H_VM, H_VM, 18446742974197923840.0f), 18446742974197923840ull);
    ck_assert_uint_eq(((FF)p->fn[0])(H_VM, H_VM, -0.9f), 0);
    H_RUN(code, ((FF)p->fn[0])(H_VM, H_VM, -1.0f));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    H_RUN(code, ((FF)p->fn[0])(H_VM, H_VM, 18446744073709551616.0f));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    h_free(p);
    p = conv("fcvt_to_uint", "i32", "f64");
    ck_assert_uint_eq(((FD)p->fn[0])(H_VM, H_VM, 4294967295.9), 0xffffffffu);
    H_RUN(code, ((FD)p->fn[0])(H_VM, H_VM, 4294967296.0));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    h_free(p);
    p = conv("fcvt_to_sint_sat", "i64", "f64");
    ck_assert_uint_eq(((FD)p->fn[0])(H_VM, H_VM, 1e300), (uint64_t)INT64_MAX);
    ck_assert_uint_eq(((FD)p->fn[0])(H_VM, H_VM, -1e300), (uint64_t)INT64_MIN);
    ck_assert_uint_eq(((FD)p->fn[0])(H_VM, H_VM, NAN), 0);
    ck_assert_uint_eq(((FD)p->fn[0])(H_VM, H_VM, -5.5), (uint64_t)-5);
    h_free(p);
    p = conv("fcvt_to_uint_sat", "i32", "f32");
    ck_assert_uint_eq((uint32_t)((FF)p->fn[0])(H_VM, H_VM, 1e20f), 0xffffffffu);
    ck_assert_uint_eq((uint32_t)((FF)p->fn[0])(H_VM, H_VM, -3.0f), 0);
    ck_assert_uint_eq((uint32_t)((FF)p->fn[0])(H_VM, H_VM, NAN), 0);
    ck_assert_uint_eq((uint32_t)((FF)p->fn[0])(H_VM, H_VM, 3e9f), 3000000000u);
    h_free(p);
    p = conv("fcvt_to_uint_sat", "i64", "f64");
    ck_assert_uint_eq(((FD)p->fn[0])(H_VM, H_VM, 1e30), ~0ull);
    ck_assert_uint_eq(((FD)p->fn[0])(H_VM, H_VM, 9223372036854775808.0 * 1.5), 13835058055282163712ull);
    h_free(p);
}
END_TEST

START_TEST(int_to_float_and_bits)
{
    h_reset_vmctx();
    HProg *p = conv("fcvt_from_uint", "f64", "i64");
    typedef double (*FL)(void *, void *, uint64_t);
    ck_assert(((FL)p->fn[0])(H_VM, H_VM, ~0ull) == 18446744073709551616.0);
    ck_assert(((FL)p->fn[0])(H_VM, H_VM, 7) == 7.0);
    h_free(p);
    p = conv("fcvt_from_uint", "f32", "i32");
    typedef float (*FI)(void *, void *, uint32_t);
    ck_assert(((FI)p->fn[0])(H_VM, H_VM, 0xffffffffu) == 4294967296.0f);
    h_free(p);
    p = conv("fcvt_from_sint", "f64", "i32");
    typedef double (*FI2)(void *, void *, uint32_t);
    ck_assert(((FI2)p->fn[0])(H_VM, H_VM, 0xffffffffu) == -1.0);
    h_free(p);
    p = conv("bitcast", "i64", "f64");
    typedef uint64_t (*FB)(void *, void *, double);
    ck_assert_uint_eq(((FB)p->fn[0])(H_VM, H_VM, -0.0), 1ull << 63);
    h_free(p);
    p = conv("fpromote", "f64", "f32");
    typedef double (*FP)(void *, void *, float);
    ck_assert(((FP)p->fn[0])(H_VM, H_VM, 0.5f) == 0.5);
    h_free(p);
    p = h_build("function %s(i32, f64, f64) -> f64 {\nblock1(v1: i32, v2: f64, v3: f64):\n"
                "    v4 = select.f64 v1, v2, v3\n    v5 = f64const 0x1.0p+0\n    v6 = fadd.f64 v4, v5\n    return v6\n}\n");
    typedef double (*FS)(void *, void *, uint32_t, double, double);
    ck_assert(((FS)p->fn[0])(H_VM, H_VM, 1, 2.0, 3.0) == 3.0);
    ck_assert(((FS)p->fn[0])(H_VM, H_VM, 0, 2.0, 3.0) == 4.0);
    h_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("codegen_float");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, float_arith_minmax);
    tcase_add_test(tc, float_unary_round);
    tcase_add_test(tc, float_compare);
    tcase_add_test(tc, float_to_int);
    tcase_add_test(tc, int_to_float_and_bits);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
