/* Runs x86-64 code from cg_compile_func: integer arithmetic with edge
 * cases, division traps, control flow (loops, block parameters, br_table),
 * calls (recursion, values live across calls), register pressure that
 * forces spills, loads/stores of every width, globals, explicit traps and
 * the stack-limit check. See test_codegen_harness.h for the fake instance. */
#include "test_codegen_harness.h"

typedef uint32_t (*FnII_I)(void *, void *, uint32_t, uint32_t);
typedef uint64_t (*FnLL_L)(void *, void *, uint64_t, uint64_t);
typedef uint32_t (*FnI_I)(void *, void *, uint32_t);
typedef uint64_t (*FnL_L)(void *, void *, uint64_t);

static HProg *binop(const char *op, const char *ty)
{
    char src[512];
    snprintf(src, sizeof src,
             "function %%f(%s, %s) -> %s {\nblock1(v1: %s, v2: %s):\n    v3 = %s.%s v1, v2\n    return v3\n}\n", ty,
             ty, ty, ty, ty, op, ty);
    return h_build(src);
}

/* Same with a constant right operand, so the immediate forms are used. */
static HProg *binop_k(const char *op, const char *ty, int64_t k)
{
    char src[512];
    snprintf(src, sizeof src,
             "function %%f(%s) -> %s {\nblock1(v1: %s):\n    v2 = iconst.%s %lld\n    v3 = %s.%s v1, v2\n    return v3\n}\n",
             ty, ty, ty, ty, (long long)k, op, ty);
    return h_build(src);
}

typedef struct Case32 { const char *op; uint32_t a, b, r; } Case32;
typedef struct Case64 { const char *op; uint64_t a, b, r; } Case64;

static const Case32 cases32[] = {
    { "iadd", 0xffffffffu, 1, 0 }, { "iadd", 5, 7, 12 }, { "isub", 0, 1, 0xffffffffu },
    { "imul", 0x10000, 0x10000, 0 }, { "imul", 0xffffffffu, 3, 0xfffffffdu }, { "band", 0xf0f0, 0xff00, 0xf000 },
    { "bor", 0xf0f0, 0x0f0f, 0xffff }, { "bxor", 0xff, 0x0f, 0xf0 }, { "ishl", 1, 33, 2 }, { "ishl", 1, 31, 0x80000000u },
    { "ushr", 0x80000000u, 31, 1 }, { "ushr", 0x80000000u, 32, 0x80000000u }, { "sshr", 0x80000000u, 31, 0xffffffffu },
    { "rotl", 0x80000001u, 1, 3 }, { "rotr", 1, 33, 0x80000000u }, { "sdiv", 0xfffffff9u, 2, 0xfffffffdu },
    { "udiv", 0xfffffff9u, 2, 0x7ffffffcu }, { "srem", 0xfffffff9u, 2, 0xffffffffu }, { "urem", 7, 3, 1 },
    { "srem", 0x80000000u, 0xffffffffu, 0 }, { "sdiv", 0x80000000u, 2, 0xc0000000u },
};

static const Case64 cases64[] = {
    { "iadd", ~0ull, 1, 0 }, { "isub", 0, 1, ~0ull }, { "imul", 1ull << 32, 1ull << 32, 0 },
    { "imul", 0x123456789ull, 0x10, 0x1234567890ull }, { "ishl", 1, 65, 2 }, { "ushr", 1ull << 63, 63, 1 },
    { "sshr", 1ull << 63, 64, 1ull << 63 }, { "rotl", 1ull << 63, 1, 1 }, { "rotr", 1, 1, 1ull << 63 },
    { "sdiv", (uint64_t)-9, 2, (uint64_t)-4 }, { "udiv", ~0ull, 2, ~0ull >> 1 }, { "srem", (uint64_t)-9, 2, (uint64_t)-1 },
    { "urem", ~0ull, 10, 5 }, { "srem", 1ull << 63, ~0ull, 0 }, { "bxor", ~0ull, 1, ~1ull },
};

START_TEST(int_binops_i32)
{
    h_reset_vmctx();
    for (size_t k = 0; k < sizeof cases32 / sizeof *cases32; k++) {
        const Case32 *c = &cases32[k];
        HProg *p = binop(c->op, "i32");
        uint32_t r = ((FnII_I)p->fn[0])(H_VM, H_VM, c->a, c->b);
        ck_assert_msg(r == c->r, "%s %x %x = %x, want %x", c->op, c->a, c->b, r, c->r);
        h_free(p);
        if (c->b != 0 && !(c->b == 0xffffffffu && !strcmp(c->op, "sdiv"))) {
            p = binop_k(c->op, "i32", (int32_t)c->b);
            r = ((FnI_I)p->fn[0])(H_VM, H_VM, c->a);
            ck_assert_msg(r == c->r, "%s %x k%x = %x, want %x", c->op, c->a, c->b, r, c->r);
            h_free(p);
        }
    }
}
END_TEST

START_TEST(int_binops_i64)
{
    h_reset_vmctx();
    for (size_t k = 0; k < sizeof cases64 / sizeof *cases64; k++) {
        const Case64 *c = &cases64[k];
        HProg *p = binop(c->op, "i64");
        uint64_t r = ((FnLL_L)p->fn[0])(H_VM, H_VM, c->a, c->b);
        ck_assert_msg(r == c->r, "%s %llx %llx = %llx", c->op, (unsigned long long)c->a, (unsigned long long)c->b,
                      (unsigned long long)r);
        h_free(p);
        p = binop_k(c->op, "i64", (int64_t)c->b);
        r = ((FnL_L)p->fn[0])(H_VM, H_VM, c->a);
        ck_assert_msg(r == c->r, "%s k: %llx", c->op, (unsigned long long)r);
        h_free(p);
    }
}
END_TEST

START_TEST(int_div_traps)
{
    h_reset_vmctx();
    int code;
    HProg *p = binop("sdiv", "i32");
    H_RUN(code, ((FnII_I)p->fn[0])(H_VM, H_VM, 1, 0));
    ck_assert_int_eq(code, WASMC_TRAP_INT_DIV_ZERO);
    H_RUN(code, ((FnII_I)p->fn[0])(H_VM, H_VM, 0x80000000u, 0xffffffffu));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    h_free(p);
    p = binop("sdiv", "i64");
    H_RUN(code, ((FnLL_L)p->fn[0])(H_VM, H_VM, 1ull << 63, ~0ull));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    h_free(p);
    p = binop("urem", "i64");
    H_RUN(code, ((FnLL_L)p->fn[0])(H_VM, H_VM, 1, 0));
    ck_assert_int_eq(code, WASMC_TRAP_INT_DIV_ZERO);
    h_free(p);
}
END_TEST

START_TEST(int_unary)
{
    h_reset_vmctx();
    static const struct { const char *op, *ty; uint64_t a, r; } u[] = {
        { "clz", "i32", 0, 32 }, { "clz", "i32", 1, 31 }, { "ctz", "i32", 0, 32 }, { "ctz", "i32", 0x80000000u, 31 },
        { "popcnt", "i32", 0xffffffffu, 32 }, { "clz", "i64", 0, 64 }, { "ctz", "i64", 1ull << 40, 40 },
        { "popcnt", "i64", ~0ull, 64 }, { "ineg", "i32", 1, 0xffffffffu }, { "bnot", "i64", 0, ~0ull },
        { "sextend8", "i32", 0x80, 0xffffff80u }, { "sextend16", "i64", 0x8000, 0xffffffffffff8000ull },
        { "sextend32", "i64", 0x80000000u, 0xffffffff80000000ull },
    };
    for (size_t k = 0; k < sizeof u / sizeof *u; k++) {
        char src[300];
        snprintf(src, sizeof src, "function %%f(%s) -> %s {\nblock1(v1: %s):\n    v2 = %s.%s v1\n    return v2\n}\n",
                 u[k].ty, u[k].ty, u[k].ty, u[k].op, u[k].ty);
        HProg *p = h_build(src);
        uint64_t r = ((FnL_L)p->fn[0])(H_VM, H_VM, u[k].a);
        if (!strcmp(u[k].ty, "i32"))
            r = (uint32_t)r;
        ck_assert_msg(r == u[k].r, "%s.%s %llx = %llx", u[k].op, u[k].ty, (unsigned long long)u[k].a,
                      (unsigned long long)r);
        h_free(p);
    }
}
END_TEST

START_TEST(int_compare_select_extend)
{
    h_reset_vmctx();
    HProg *p = h_build("function %f(i32, i32) -> i64 {\n"
                       "block1(v1: i32, v2: i32):\n"
                       "    v3 = icmp.i32 slt v1, v2\n"
                       "    v4 = icmp.i32 ult v1, v2\n"
                       "    v5 = ishl.i32 v3, v4\n" /* slt << ult */
                       "    v6 = uextend.i64 v1\n"
                       "    v7 = sextend.i64 v2\n"
                       "    v8 = iadd.i64 v6, v7\n"
                       "    v9 = icmp.i32 eq v1, v2\n"
                       "    v10 = select.i64 v9, v6, v8\n"
                       "    v11 = uextend.i64 v5\n"
                       "    v12 = ishl.i64 v11, v11\n"
                       "    v13 = bxor.i64 v10, v12\n"
                       "    return v13\n"
                       "}\n");
    typedef uint64_t (*F)(void *, void *, uint32_t, uint32_t);
    F f = (F)p->fn[0];
    /* -1 vs 1: slt=1, ult=0 -> v5 = 1, v12 = 2; v8 = 0xffffffff + 1 */
    ck_assert_uint_eq(f(H_VM, H_VM, 0xffffffffu, 1), 0x100000000ull ^ 2);
    /* equal: select v6 */
    ck_assert_uint_eq(f(H_VM, H_VM, 7, 7), 7);
    /* 1 vs -1: slt 0, ult 1 -> 0; v8 = 1 + -1 = 0 */
    ck_assert_uint_eq(f(H_VM, H_VM, 1, 0xffffffffu), 0);
    h_free(p);
}
END_TEST

/* sum of 1..n with a loop carrying block parameters */
static const char *loop_src = "function %sum(i32) -> i32 {\n"
                              "block1(v1: i32):\n"
                              "    v2 = iconst.i32 0\n"
                              "    jump block2(v2, v1)\n"
                              "block2(v3: i32, v4: i32):\n"
                              "    brif v4, block3, block4(v3)\n"
                              "block3:\n"
                              "    v5 = iadd.i32 v3, v4\n"
                              "    v6 = iconst.i32 1\n"
                              "    v7 = isub.i32 v4, v6\n"
                              "    jump block2(v5, v7)\n"
                              "block4(v8: i32):\n"
                              "    return v8\n"
                              "}\n";

START_TEST(control_loop)
{
    h_reset_vmctx();
    HProg *p = h_build(loop_src);
    ck_assert_uint_eq(((FnI_I)p->fn[0])(H_VM, H_VM, 0), 0);
    ck_assert_uint_eq(((FnI_I)p->fn[0])(H_VM, H_VM, 100), 5050);
    h_free(p);
}
END_TEST

/* Swapping block parameters on the back edge: a parallel-move cycle. */
START_TEST(control_param_swap)
{
    h_reset_vmctx();
    HProg *p = h_build("function %fibi(i32) -> i64 {\n"
                       "block1(v1: i32):\n"
                       "    v2 = iconst.i64 0\n"
                       "    v3 = iconst.i64 1\n"
                       "    jump block2(v2, v3, v1)\n"
                       "block2(v4: i64, v5: i64, v6: i32):\n"
                       "    v10 = iconst.i32 0\n"
                       "    v7 = icmp.i32 eq v6, v10\n"
                       "    brif v7, block4, block3\n"
                       "block3:\n"
                       "    v8 = iadd.i64 v4, v5\n"
                       "    v9 = iconst.i32 -1\n"
                       "    v11 = iadd.i32 v6, v9\n"
                       "    jump block2(v5, v8, v11)\n"
                       "block4:\n"
                       "    return v4\n"
                       "}\n");
    typedef uint64_t (*F)(void *, void *, uint32_t);
    ck_assert_uint_eq(((F)p->fn[0])(H_VM, H_VM, 10), 55);
    ck_assert_uint_eq(((F)p->fn[0])(H_VM, H_VM, 90), 2880067194370816120ull);
    h_free(p);
}
END_TEST

START_TEST(control_br_table)
{
    h_reset_vmctx();
    HProg *p = h_build("function %sw(i32) -> i32 {\n"
                       "block1(v1: i32):\n"
                       "    v2 = iconst.i32 10\n"
                       "    v3 = iconst.i32 20\n"
                       "    br_table v1, block9(v1), [block2(v2), block2(v3), block3]\n"
                       "block2(v4: i32):\n"
                       "    return v4\n"
                       "block3:\n"
                       "    v5 = iconst.i32 30\n"
                       "    return v5\n"
                       "block9(v6: i32):\n"
                       "    v7 = iconst.i32 100\n"
                       "    v8 = iadd.i32 v6, v7\n"
                       "    return v8\n"
                       "}\n");
    FnI_I f = (FnI_I)p->fn[0];
    ck_assert_uint_eq(f(H_VM, H_VM, 0), 10);
    ck_assert_uint_eq(f(H_VM, H_VM, 1), 20);
    ck_assert_uint_eq(f(H_VM, H_VM, 2), 30);
    ck_assert_uint_eq(f(H_VM, H_VM, 3), 103);
    ck_assert_uint_eq(f(H_VM, H_VM, 0xffffffffu), 99);
    h_free(p);
}
END_TEST

static const char *fib_src = "function %fib(i32) -> i32 {\n"
                             "    sig0 = (i32) -> i32\n"
                             "    fn0 = local %fib sig0\n"
                             "block1(v1: i32):\n"
                             "    v2 = iconst.i32 2\n"
                             "    v3 = icmp.i32 ult v1, v2\n"
                             "    brif v3, block2, block3\n"
                             "block2:\n"
                             "    return v1\n"
                             "block3:\n"
                             "    v4 = iconst.i32 -1\n"
                             "    v5 = iadd.i32 v1, v4\n"
                             "    v6 = call fn0(v5)\n"
                             "    v7 = iconst.i32 -2\n"
                             "    v8 = iadd.i32 v1, v7\n"
                             "    v9 = call fn0(v8)\n"
                             "    v10 = iadd.i32 v6, v9\n"
                             "    return v10\n"
                             "}\n";

START_TEST(calls_fib)
{
    h_reset_vmctx();
    HProg *p = h_build(fib_src);
    ck_assert_uint_eq(((FnI_I)p->fn[0])(H_VM, H_VM, 20), 6765);
    h_free(p);
}
END_TEST

/* Many values live across a call with many arguments (some on the stack). */
START_TEST(calls_live_across)
{
    h_reset_vmctx();
    HProg *p = h_build("function %g(i32, i64, i32, i64, i32, i64, i32, i64) -> i64 {\n"
                       "block1(v1: i32, v2: i64, v3: i32, v4: i64, v5: i32, v6: i64, v7: i32, v8: i64):\n"
                       "    v9 = uextend.i64 v1\n"
                       "    v10 = iadd.i64 v9, v2\n"
                       "    v11 = uextend.i64 v7\n"
                       "    v12 = imul.i64 v11, v8\n"
                       "    v13 = iadd.i64 v10, v12\n"
                       "    v14 = uextend.i64 v3\n"
                       "    v15 = iadd.i64 v13, v14\n"
                       "    v16 = iadd.i64 v15, v4\n"
                       "    v17 = iadd.i64 v16, v6\n"
                       "    v18 = uextend.i64 v5\n"
                       "    v19 = iadd.i64 v17, v18\n"
                       "    return v19\n"
                       "}\n"
                       "\n"
                       "function %f(i64) -> i64 {\n"
                       "    sig0 = (i32, i64, i32, i64, i32, i64, i32, i64) -> i64\n"
                       "    fn0 = local %g sig0\n"
                       "block1(v1: i64):\n"
                       "    v2 = iconst.i64 3\n"
                       "    v3 = imul.i64 v1, v2\n"
                       "    v4 = iadd.i64 v1, v2\n"
                       "    v5 = bxor.i64 v1, v2\n"
                       "    v6 = ireduce.i32 v1\n"
                       "    v7 = iconst.i32 1\n"
                       "    v8 = iadd.i32 v6, v7\n"
                       "    v9 = call fn0(v6, v3, v8, v4, v6, v5, v8, v1)\n"
                       "    v10 = iadd.i64 v9, v3\n"
                       "    v11 = iadd.i64 v10, v4\n"
                       "    v12 = iadd.i64 v11, v5\n"
                       "    v13 = uextend.i64 v8\n"
                       "    v14 = iadd.i64 v12, v13\n"
                       "    return v14\n"
                       "}\n");
    uint64_t x = 5, v3 = 15, v4 = 8, v5 = 6, v6 = 5, v8 = 6;
    uint64_t g = v6 + v3 + v8 * x + v8 + v4 + v5 + v6;
    ck_assert_uint_eq(((FnL_L)p->fn[1])(H_VM, H_VM, x), g + v3 + v4 + v5 + v8);
    h_free(p);
}
END_TEST

/* 40 values live across a loop: forces spills; checks the sum. */
START_TEST(pressure_spills)
{
    h_reset_vmctx();
    char src[16384];
    size_t n = 0;
    n += (size_t)snprintf(src + n, sizeof src - n, "function %%p(i64, i64) -> i64 {\nblock1(v1: i64, v2: i64):\n");
    for (int k = 0; k < 40; k++)
        n += (size_t)snprintf(src + n, sizeof src - n, "    v%d = iconst.i64 %d\n    v%d = imul.i64 v1, v%d\n",
                              10 + 2 * k, k + 1, 11 + 2 * k, 10 + 2 * k);
    n += (size_t)snprintf(src + n, sizeof src - n, "    v200 = iconst.i64 0\n    jump block2(v200, v2)\n");
    n += (size_t)snprintf(src + n, sizeof src - n, "block2(v201: i64, v202: i64):\n");
    int prev = 201;
    for (int k = 0; k < 40; k++) {
        n += (size_t)snprintf(src + n, sizeof src - n, "    v%d = iadd.i64 v%d, v%d\n", 300 + k, prev, 11 + 2 * k);
        prev = 300 + k;
    }
    n += (size_t)snprintf(src + n, sizeof src - n,
                          "    v400 = iconst.i64 -1\n    v401 = iadd.i64 v202, v400\n    brif v401, block2(v%d, v401), "
                          "block3\nblock3:\n",
                          prev);
    /* use every value once more after the loop */
    prev = 339;
    for (int k = 0; k < 40; k++) {
        n += (size_t)snprintf(src + n, sizeof src - n, "    v%d = bxor.i64 v%d, v%d\n", 500 + k, prev, 11 + 2 * k);
        prev = 500 + k;
    }
    n += (size_t)snprintf(src + n, sizeof src - n, "    return v%d\n}\n", prev);
    HProg *p = h_build(src);
    uint64_t x = 3, iters = 7, acc = 0;
    for (uint64_t it = 0; it < iters; it++)
        for (int k = 0; k < 40; k++)
            acc += x * (uint64_t)(k + 1);
    uint64_t r = acc;
    for (int k = 0; k < 40; k++)
        r ^= x * (uint64_t)(k + 1);
    ck_assert_uint_eq(((FnLL_L)p->fn[0])(H_VM, H_VM, x, iters), r);
    h_free(p);
}
END_TEST

START_TEST(memory_loads_stores)
{
    h_reset_vmctx();
    HProg *p = h_build("function %m(i32) -> i64 {\n"
                       "    mem0 = memory i32 min 1\n"
                       "block1(v1: i32):\n"
                       "    v2 = iconst.i64 0x8182838485868788\n"
                       "    store.i64 heap_oob v2, mem0[v1]\n"
                       "    v3 = sload8.i32 heap_oob mem0[v1]\n"      /* 0x88 -> -120 */
                       "    v4 = uload8.i64 heap_oob mem0[v1+1]\n"    /* 0x87 */
                       "    v5 = sload16.i64 heap_oob mem0[v1+2]\n"   /* 0x8586 */
                       "    v6 = uload16.i32 heap_oob mem0[v1+2]\n"
                       "    v7 = sload32 heap_oob mem0[v1+4]\n"
                       "    v8 = uload32 heap_oob mem0[v1+4]\n"
                       "    istore8.i32 heap_oob v3, mem0[v1+16]\n"
                       "    istore16.i64 heap_oob v5, mem0[v1+24]\n"
                       "    istore32 heap_oob v7, mem0[v1+32]\n"
                       "    v9 = iconst.i32 77\n"
                       "    store.i32 heap_oob v9, mem0[v1+40]\n"
                       "    v10 = sextend.i64 v3\n"
                       "    v11 = iadd.i64 v10, v4\n"
                       "    v12 = iadd.i64 v11, v5\n"
                       "    v13 = uextend.i64 v6\n"
                       "    v14 = iadd.i64 v12, v13\n"
                       "    v15 = iadd.i64 v14, v7\n"
                       "    v16 = iadd.i64 v15, v8\n"
                       "    return v16\n"
                       "}\n");
    /* store's IR order is addr, value: check the harness reading */
    uint64_t r = ((FnL_L)p->fn[0])(H_VM, H_VM, 100);
    int64_t want = -120 + 0x87 + (int16_t)0x8586 + 0x8586 + (int32_t)0x81828384 + (int64_t)0x81828384u;
    ck_assert_int_eq((int64_t)r, want);
    uint64_t w;
    memcpy(&w, h_memory + 100, 8);
    ck_assert_uint_eq(w, 0x8182838485868788ull);
    ck_assert_uint_eq(h_memory[116], 0x88);
    ck_assert_uint_eq(h_memory[124] | h_memory[125] << 8, 0x8586);
    ck_assert_uint_eq(h_memory[132] | (uint32_t)h_memory[135] << 24, 0x84 | 0x81u << 24);
    ck_assert_uint_eq(h_memory[140], 77);
    int code;
    H_RUN(code, ((FnL_L)p->fn[0])(H_VM, H_VM, H_MEM_SIZE - 4));
    ck_assert_int_eq(code, WASMC_TRAP_MEMORY_OOB);
    H_RUN(code, ((FnL_L)p->fn[0])(H_VM, H_VM, 0xfffffff8u));
    ck_assert_int_eq(code, WASMC_TRAP_MEMORY_OOB);
    h_free(p);
}
END_TEST

START_TEST(globals_and_traps)
{
    h_reset_vmctx();
    HProg *p = h_build("function %g(i32) -> i64 {\n"
                       "    global0 = global i64 mut\n"
                       "    global3 = global i32 mut import\n"
                       "block1(v1: i32):\n"
                       "    v2 = global_get.i64 global0\n"
                       "    v3 = iconst.i64 1\n"
                       "    v4 = iadd.i64 v2, v3\n"
                       "    global_set.i64 global0, v4\n"
                       "    v5 = global_get.i32 global3\n"
                       "    v6 = iadd.i32 v5, v1\n"
                       "    global_set.i32 global3, v6\n"
                       "    v7 = iconst.i32 13\n"
                       "    v8 = icmp.i32 eq v1, v7\n"
                       "    trapnz v8, int_ovf\n"
                       "    trapz v1, unreachable\n"
                       "    return v4\n"
                       "}\n");
    typedef uint64_t (*F)(void *, void *, uint32_t);
    F f = (F)p->fn[0];
    h_imported_global.i32 = 5;
    ck_assert_uint_eq(f(H_VM, H_VM, 2), 1);
    ck_assert_uint_eq(f(H_VM, H_VM, 3), 2);
    ck_assert_int_eq(h_imported_global.i32, 10);
    int code;
    H_RUN(code, f(H_VM, H_VM, 13));
    ck_assert_int_eq(code, WASMC_TRAP_INT_OVERFLOW);
    H_RUN(code, f(H_VM, H_VM, 0));
    ck_assert_int_eq(code, WASMC_TRAP_UNREACHABLE);
    h_free(p);
}
END_TEST

START_TEST(stack_limit)
{
    h_reset_vmctx();
    HProg *p = h_build(fib_src);
    uintptr_t limit = (uintptr_t)__builtin_frame_address(0) + 4096; /* above us: any frame is too deep */
    memcpy(h_vmctx + H_STACK_LIMIT_OFF, &limit, 8);
    int code;
    H_RUN(code, ((FnI_I)p->fn[0])(H_VM, H_VM, 5));
    ck_assert_int_eq(code, WASMC_TRAP_STACK_OVERFLOW);
    limit = (uintptr_t)__builtin_frame_address(0) - 512; /* room for a few frames only */
    memcpy(h_vmctx + H_STACK_LIMIT_OFF, &limit, 8);
    H_RUN(code, ((FnI_I)p->fn[0])(H_VM, H_VM, 30));
    ck_assert_int_eq(code, WASMC_TRAP_STACK_OVERFLOW);
    h_free(p);
}
END_TEST

/* A leaf with a small frame has no stack check (emit.c, LEAF_FRAME_MAX): it
 * runs even with the limit above it; the runtime's reserve below the limit
 * covers it (wasmc_rt.h section 1). */
START_TEST(stack_limit_leaf)
{
    h_reset_vmctx();
    HProg *p = h_build("function %inc(i32) -> i32 {\nblock1(v1: i32):\n    v2 = iconst.i32 1\n"
                       "    v3 = iadd.i32 v1, v2\n    return v3\n}\n");
    uintptr_t limit = (uintptr_t)__builtin_frame_address(0) + 4096;
    memcpy(h_vmctx + H_STACK_LIMIT_OFF, &limit, 8);
    int code;
    volatile uint32_t r = 0;
    H_RUN(code, r = ((FnI_I)p->fn[0])(H_VM, H_VM, 41));
    ck_assert_int_eq(code, 0);
    ck_assert_uint_eq(r, 42);
    h_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("codegen_int");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, int_binops_i32);
    tcase_add_test(tc, int_binops_i64);
    tcase_add_test(tc, int_div_traps);
    tcase_add_test(tc, int_unary);
    tcase_add_test(tc, int_compare_select_extend);
    tcase_add_test(tc, control_loop);
    tcase_add_test(tc, control_param_swap);
    tcase_add_test(tc, control_br_table);
    tcase_add_test(tc, calls_fib);
    tcase_add_test(tc, calls_live_across);
    tcase_add_test(tc, pressure_spills);
    tcase_add_test(tc, memory_loads_stores);
    tcase_add_test(tc, globals_and_traps);
    tcase_add_test(tc, stack_limit);
    tcase_add_test(tc, stack_limit_leaf);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
