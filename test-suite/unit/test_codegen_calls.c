/* Runs calls compiled by cg_compile_func: call_indirect through a
 * hand-built table (with out-of-bounds, null and signature traps),
 * multi-value results as caller and callee, tail calls (direct and
 * indirect, with stack arguments), import calls and runtime helpers,
 * functions with many stack-passed parameters (direct, indirect, tail,
 * results pointer on the stack) and call_ref / return_call_ref. */
#include "test_codegen_harness.h"

static const char *callee_src =
    "function %add1(i32) -> i32 {\nblock1(v1: i32):\n    v2 = iconst.i32 1\n    v3 = iadd.i32 v1, v2\n    return v3\n}\n\n"
    "function %pair(i64) -> i64, f64 {\nblock1(v1: i64):\n    v2 = iconst.i64 2\n    v3 = imul.i64 v1, v2\n"
    "    v4 = f64const 0x1.8p+0\n    return v3, v4\n}\n\n"
    "function %ind(i32, i32) -> i32 {\n    sig0 = (i32) -> i32\n    table0 = table funcref i32 min 3\n"
    "block1(v1: i32, v2: i32):\n    v3 = call_indirect sig0, table0, v1(v2)\n    v4 = iadd.i32 v3, v2\n    return v4\n}\n\n"
    "function %usepair(i64) -> f64 {\n    sig1 = (i64) -> i64, f64\n    fn1 = local %pair sig1\n"
    "block1(v1: i64):\n    v2, v3 = call fn1(v1)\n    v4 = fcvt_from_sint.f64 v2\n    v5 = fadd.f64 v4, v3\n    return v5\n}\n\n"
    "function %tail(i32, i32, i32, i32, i32, i32, i32) -> i32 {\n    sig0 = (i32) -> i32\n    fn0 = local %add1 sig0\n"
    "block1(v1: i32, v2: i32, v3: i32, v4: i32, v5: i32, v6: i32, v7: i32):\n    v8 = iadd.i32 v1, v7\n"
    "    return_call fn0(v8)\n}\n\n"
    "function %tailind(i32, i32) -> i32 {\n    sig0 = (i32) -> i32\n    table0 = table funcref i32 min 3\n"
    "block1(v1: i32, v2: i32):\n    return_call_indirect sig0, table0, v1(v2)\n}\n\n"
    "function %countdown(i64, i64, i64, i64, i64, i64, i64) -> i64 {\n"
    "    sig0 = (i64, i64, i64, i64, i64, i64, i64) -> i64\n    fn6 = local %countdown sig0\n"
    "block1(v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64):\n    brif v1, block2, block3\n"
    "block2:\n    v8 = iconst.i64 -1\n    v9 = iadd.i64 v1, v8\n    v10 = iadd.i64 v7, v1\n"
    "    return_call fn6(v9, v2, v3, v4, v5, v6, v10)\nblock3:\n    return v7\n}\n\n"
    "function %imp(i32) -> i64 {\n    sig0 = (i32) -> i32\n    sig2 = (i64) -> i64\n    fn0 = import %env.f sig0\n"
    "    fn1 = runtime %wasmc_rt_memory_grow sig2\n    mem0 = memory i32 min 1\nblock1(v1: i32):\n"
    "    v2 = call fn0(v1)\n    v3 = memory_grow.i32 mem0, v2\n    v4 = uextend.i64 v3\n    v5 = uextend.i64 v2\n"
    "    v6 = iadd.i64 v4, v5\n    return v6\n}\n";

static void *h_import_env;
static uint32_t host_f(void *env, void *caller, uint32_t x)
{
    ck_assert_ptr_eq(caller, (void *)h_vmctx);
    h_import_env = env;
    return x * 10;
}

static WasmcFuncRef refs[3];
static void *table_elems[3];

static void setup_table(HProg *p)
{
    /* element 0: add1 (type id 7), element 1: null, element 2: pair (type id 9) */
    refs[0] = (WasmcFuncRef){ p->fn[0], NULL, (WasmcVmctx *)h_vmctx, 7, 0 };
    refs[2] = (WasmcFuncRef){ p->fn[1], NULL, (WasmcVmctx *)h_vmctx, 9, 0 };
    table_elems[0] = &refs[0];
    table_elems[1] = NULL;
    table_elems[2] = &refs[2];
    WasmcTableRecord rec = { table_elems, 3, 3 };
    memcpy(h_vmctx + H_TABLE_OFF, &rec, sizeof rec);
    uint32_t tid = 7;
    memcpy(h_vmctx + H_TYPE_IDS_OFF, &tid, 4); /* sig0 */
}

START_TEST(call_indirect_and_traps)
{
    h_reset_vmctx();
    HProg *p = h_build(callee_src);
    setup_table(p);
    typedef uint32_t (*F)(void *, void *, uint32_t, uint32_t);
    F f = (F)p->fn[2];
    ck_assert_uint_eq(f(H_VM, H_VM, 0, 41), 42 + 41);
    int code;
    H_RUN(code, f(H_VM, H_VM, 3, 1));
    ck_assert_int_eq(code, WASMC_TRAP_UNDEFINED_ELEMENT);
    H_RUN(code, f(H_VM, H_VM, 0xffffffffu, 1));
    ck_assert_int_eq(code, WASMC_TRAP_UNDEFINED_ELEMENT);
    H_RUN(code, f(H_VM, H_VM, 1, 1));
    ck_assert_int_eq(code, WASMC_TRAP_UNINITIALIZED_ELEMENT);
    H_RUN(code, f(H_VM, H_VM, 2, 1));
    ck_assert_int_eq(code, WASMC_TRAP_INDIRECT_CALL_TYPE);
    h_free(p);
}
END_TEST

START_TEST(multi_value)
{
    h_reset_vmctx();
    HProg *p = h_build(callee_src);
    /* as callee: results through the hidden pointer */
    WasmcVal res[2];
    memset(res, 0, sizeof res);
    ((void (*)(void *, void *, uint64_t, WasmcVal *))p->fn[1])(H_VM, H_VM, 21, res);
    ck_assert_int_eq(res[0].i64, 42);
    ck_assert(res[1].f64 == 1.5);
    /* as caller */
    double d = ((double (*)(void *, void *, uint64_t))p->fn[3])(H_VM, H_VM, 5);
    ck_assert(d == 11.5);
    h_free(p);
}
END_TEST

START_TEST(tail_calls)
{
    h_reset_vmctx();
    HProg *p = h_build(callee_src);
    setup_table(p);
    typedef uint32_t (*T)(void *, void *, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
    ck_assert_uint_eq(((T)p->fn[4])(H_VM, H_VM, 1, 2, 3, 4, 5, 6, 7), 9);
    typedef uint32_t (*TI)(void *, void *, uint32_t, uint32_t);
    ck_assert_uint_eq(((TI)p->fn[5])(H_VM, H_VM, 0, 5), 6);
    int code;
    H_RUN(code, ((TI)p->fn[5])(H_VM, H_VM, 2, 5));
    ck_assert_int_eq(code, WASMC_TRAP_INDIRECT_CALL_TYPE);
    /* a million tail calls with a stack argument run in constant stack */
    uintptr_t limit = (uintptr_t)__builtin_frame_address(0) - 4096;
    memcpy(h_vmctx + H_STACK_LIMIT_OFF, &limit, 8);
    typedef uint64_t (*C)(void *, void *, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
    static volatile uint64_t r;
    H_RUN(code, r = ((C)p->fn[6])(H_VM, H_VM, 1000000, 0, 0, 0, 0, 0, 0));
    ck_assert_int_eq(code, 0);
    uint64_t got = r;
    ck_assert_uint_eq(got, 1000000ull * 1000001ull / 2);
    h_free(p);
}
END_TEST

START_TEST(imports_and_runtime)
{
    h_reset_vmctx();
    HProg *p = h_build(callee_src);
    WasmcImportSlot slot = { (void *)host_f, (WasmcVmctx *)(void *)&h_import_env };
    memcpy(h_vmctx + H_IMPORTS_OFF, &slot, sizeof slot);
    typedef uint64_t (*F)(void *, void *, uint32_t);
    /* host returns 0 -> memory_grow(0) = 1 (fake) -> 1 + 0 */
    ck_assert_uint_eq(((F)p->fn[7])(H_VM, H_VM, 0), 1);
    ck_assert_ptr_eq(h_import_env, (void *)&h_import_env);
    /* host returns 30 -> grow fails: -1 as i32 zero-extended */
    ck_assert_uint_eq(((F)p->fn[7])(H_VM, H_VM, 3), 0xffffffffull + 30);
    h_free(p);
}
END_TEST

/* ---- many parameters and results, call_ref --------------------------------- */

/* %many: params i32 i32 f64 repeated 10 times (20 i32, 10 f64: 16 i32 and
 * 2 f64 on the stack, interleaved); returns
 * sum(i32_k * (k+1)) + trunc(sum(f64_j * (j+1))).
 * %many2: the same params, results (i32 sum, f64 sum): the hidden results
 * pointer is itself a stack argument. Functions (by index):
 *   0 %many  1 %many2  2 %direct(i32 base) -> i32 calls many(base+k..)
 *   3 %indirect(i32 idx, i32 base) -> i32 via call_indirect
 *   4 %direct2(i32 base) -> f64: calls many2, returns i32 + f64
 *   5 %tailmany(same params) -> i32: return_call many with the i32s reversed
 *   6 %tailfew(i32 base) -> i32: return_call many (does not fit: call + ret)
 *   7 %pair(i64) -> i64, f64   8 %add1(i32) -> i32
 *   9 %cref(i64 ref, i64 x) -> f64: call_ref pair, returns i64 + f64
 *  10 %cref1(i64 ref, i32 x) -> i32: call_ref (i32) -> i32
 *  11 %tref(i64 ref, i32 x) -> i32: return_call_ref (i32) -> i32
 *  12 %tref2(i64 ref, i64 x) -> i64, f64: return_call_ref pair
 *  13 %trefmany(i64 ref, i32 base) -> i32: return_call_ref many (call + ret) */
static char many_src[32768];

static void params_decl(char **o, uint32_t first)
{
    for (uint32_t k = 0; k < 30; k++)
        *o += sprintf(*o, "%sv%u: %s", k ? ", " : "", first + k, k % 3 == 2 ? "f64" : "i32");
}

static void sig_params(char **o)
{
    for (uint32_t k = 0; k < 30; k++)
        *o += sprintf(*o, "%s%s", k ? ", " : "", k % 3 == 2 ? "f64" : "i32");
}

/* Values v<first>.. computed from v1 (base): i32 k-th = base + k, f64 j-th = base + 0.5 * j */
static uint32_t make_args(char **o, uint32_t base, uint32_t first, uint32_t *ids)
{
    uint32_t v = first, ni = 0, nf = 0;
    for (uint32_t k = 0; k < 30; k++) {
        if (k % 3 == 2) {
            *o += sprintf(*o, "    v%u = fcvt_from_sint.f64 v%u\n    v%u = f64const 0x%llxp-1\n    v%u = fadd.f64 v%u, v%u\n",
                          v, base, v + 1, (unsigned long long)nf, v + 2, v, v + 1);
            ids[k] = v + 2;
            v += 3;
            nf++;
        } else {
            *o += sprintf(*o, "    v%u = iconst.i32 %u\n    v%u = iadd.i32 v%u, v%u\n", v, ni, v + 1, base, v);
            ids[k] = v + 1;
            v += 2;
            ni++;
        }
    }
    return v;
}

static void arg_list(char **o, const uint32_t *ids)
{
    for (uint32_t k = 0; k < 30; k++)
        *o += sprintf(*o, "%sv%u", k ? ", " : "", ids[k]);
}

static void build_many_src(void)
{
    char *o = many_src;
    uint32_t ids[30];
    /* 0 %many and 1 %many2 */
    for (int two = 0; two < 2; two++) {
        o += sprintf(o, "function %%many%s(", two ? "2" : "");
        sig_params(&o);
        o += sprintf(o, ") -> %s {\nblock1(", two ? "i32, f64" : "i32");
        params_decl(&o, 1);
        o += sprintf(o, "):\n    v100 = iconst.i32 0\n    v101 = f64const 0x0p+0\n");
        uint32_t acc = 100, facc = 101, v = 102, ni = 0, nf = 0;
        for (uint32_t k = 0; k < 30; k++) {
            if (k % 3 == 2) {
                o += sprintf(o, "    v%u = f64const 0x%llxp+0\n    v%u = fmul.f64 v%u, v%u\n    v%u = fadd.f64 v%u, v%u\n", v,
                             (unsigned long long)(nf + 1), v + 1, k + 1, v, v + 2, facc, v + 1);
                facc = v + 2;
                v += 3;
                nf++;
            } else {
                o += sprintf(o, "    v%u = iconst.i32 %u\n    v%u = imul.i32 v%u, v%u\n    v%u = iadd.i32 v%u, v%u\n", v,
                             ni + 1, v + 1, k + 1, v, v + 2, acc, v + 1);
                acc = v + 2;
                v += 3;
                ni++;
            }
        }
        if (two)
            o += sprintf(o, "    return v%u, v%u\n}\n\n", acc, facc);
        else
            o += sprintf(o, "    v%u = fcvt_to_sint.i32 v%u\n    v%u = iadd.i32 v%u, v%u\n    return v%u\n}\n\n", v, facc,
                         v + 1, acc, v, v + 1);
    }
    /* 2 %direct */
    o += sprintf(o, "function %%direct(i32) -> i32 {\n    sig0 = (");
    sig_params(&o);
    o += sprintf(o, ") -> i32\n    fn0 = local %%many sig0\nblock1(v1: i32):\n");
    uint32_t v = make_args(&o, 1, 2, ids);
    o += sprintf(o, "    v%u = call fn0(", v);
    arg_list(&o, ids);
    o += sprintf(o, ")\n    return v%u\n}\n\n", v);
    /* 3 %indirect */
    o += sprintf(o, "function %%indirect(i32, i32) -> i32 {\n    sig0 = (");
    sig_params(&o);
    o += sprintf(o, ") -> i32\n    table0 = table funcref i32 min 1\nblock1(v1: i32, v2: i32):\n");
    v = make_args(&o, 2, 3, ids);
    o += sprintf(o, "    v%u = call_indirect sig0, table0, v1(", v);
    arg_list(&o, ids);
    o += sprintf(o, ")\n    return v%u\n}\n\n", v);
    /* 4 %direct2 */
    o += sprintf(o, "function %%direct2(i32) -> f64 {\n    sig0 = (");
    sig_params(&o);
    o += sprintf(o, ") -> i32, f64\n    fn1 = local %%many2 sig0\nblock1(v1: i32):\n");
    v = make_args(&o, 1, 2, ids);
    o += sprintf(o, "    v%u, v%u = call fn1(", v, v + 1);
    arg_list(&o, ids);
    o += sprintf(o, ")\n    v%u = fcvt_from_sint.f64 v%u\n    v%u = fadd.f64 v%u, v%u\n    return v%u\n}\n\n", v + 2, v, v + 3,
                 v + 2, v + 1, v + 3);
    /* 5 %tailmany: i32s reversed */
    o += sprintf(o, "function %%tailmany(");
    sig_params(&o);
    o += sprintf(o, ") -> i32 {\n    sig0 = (");
    sig_params(&o);
    o += sprintf(o, ") -> i32\n    fn0 = local %%many sig0\nblock1(");
    params_decl(&o, 1);
    o += sprintf(o, "):\n    return_call fn0(");
    uint32_t ints[20], n = 0;
    for (uint32_t k = 0; k < 30; k++)
        if (k % 3 != 2)
            ints[n++] = k + 1;
    for (uint32_t k = 0, j = 0; k < 30; k++)
        o += sprintf(o, "%sv%u", k ? ", " : "", k % 3 == 2 ? k + 1 : ints[19 - j++]);
    o += sprintf(o, ")\n}\n\n");
    /* 6 %tailfew */
    o += sprintf(o, "function %%tailfew(i32) -> i32 {\n    sig0 = (");
    sig_params(&o);
    o += sprintf(o, ") -> i32\n    fn0 = local %%many sig0\nblock1(v1: i32):\n");
    make_args(&o, 1, 2, ids);
    o += sprintf(o, "    return_call fn0(");
    arg_list(&o, ids);
    o += sprintf(o, ")\n}\n\n");
    /* 7 %pair, 8 %add1 */
    o += sprintf(o, "function %%pair(i64) -> i64, f64 {\nblock1(v1: i64):\n    v2 = iconst.i64 2\n    v3 = imul.i64 v1, v2\n"
                    "    v4 = f64const 0x1.8p+0\n    return v3, v4\n}\n\n"
                    "function %%add1(i32) -> i32 {\nblock1(v1: i32):\n    v2 = iconst.i32 1\n    v3 = iadd.i32 v1, v2\n"
                    "    return v3\n}\n\n");
    /* 9..12 call_ref, return_call_ref */
    o += sprintf(o, "function %%cref(i64, i64) -> f64 {\n    sig1 = (i64) -> i64, f64\nblock1(v1: i64, v2: i64):\n"
                    "    v3, v4 = call_ref sig1, v1(v2)\n    v5 = fcvt_from_sint.f64 v3\n    v6 = fadd.f64 v5, v4\n"
                    "    return v6\n}\n\n"
                    "function %%cref1(i64, i32) -> i32 {\n    sig0 = (i32) -> i32\nblock1(v1: i64, v2: i32):\n"
                    "    v3 = call_ref sig0, v1(v2)\n    v4 = iadd.i32 v3, v2\n    return v4\n}\n\n"
                    "function %%tref(i64, i32) -> i32 {\n    sig0 = (i32) -> i32\nblock1(v1: i64, v2: i32):\n"
                    "    return_call_ref sig0, v1(v2)\n}\n\n"
                    "function %%tref2(i64, i64) -> i64, f64 {\n    sig1 = (i64) -> i64, f64\nblock1(v1: i64, v2: i64):\n"
                    "    return_call_ref sig1, v1(v2)\n}\n\n");
    /* 13 %trefmany */
    o += sprintf(o, "function %%trefmany(i64, i32) -> i32 {\n    sig0 = (");
    sig_params(&o);
    o += sprintf(o, ") -> i32\nblock1(v1: i64, v2: i32):\n");
    make_args(&o, 2, 3, ids);
    o += sprintf(o, "    return_call_ref sig0, v1(");
    arg_list(&o, ids);
    o += sprintf(o, ")\n}\n");
    ck_assert_uint_lt((size_t)(o - many_src), sizeof many_src);
}

/* What %many returns for i32 args a[20] and f64 args d[10]. */
static int32_t many_expect(const int32_t *a, const double *d)
{
    uint32_t acc = 0;
    double f = 0;
    for (int k = 0; k < 20; k++)
        acc += (uint32_t)a[k] * (uint32_t)(k + 1);
    for (int j = 0; j < 10; j++)
        f += d[j] * (j + 1);
    return (int32_t)(acc + (uint32_t)(int32_t)f);
}

static int32_t many_expect_base(int32_t base)
{
    int32_t a[20];
    double d[10];
    for (int k = 0; k < 20; k++)
        a[k] = base + k;
    for (int j = 0; j < 10; j++)
        d[j] = base + 0.5 * j;
    return many_expect(a, d);
}

typedef int32_t (*ManyFn)(void *, void *, int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t, double,
                          int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t,
                          double, int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t, double);
typedef void (*Many2Fn)(void *, void *, int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t, double,
                        int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t,
                        double, int32_t, int32_t, double, int32_t, int32_t, double, int32_t, int32_t, double, WasmcVal *);
#define MANY_ARGS(a, d)                                                                                          \
    a[0], a[1], d[0], a[2], a[3], d[1], a[4], a[5], d[2], a[6], a[7], d[3], a[8], a[9], d[4], a[10], a[11], d[5], \
        a[12], a[13], d[6], a[14], a[15], d[7], a[16], a[17], d[8], a[18], a[19], d[9]

START_TEST(many_params)
{
    h_reset_vmctx();
    build_many_src();
    HProg *p = h_build(many_src);
    ck_assert_uint_eq(p->n, 14);
    int32_t a[20], ra[20];
    double d[10];
    for (int k = 0; k < 20; k++)
        a[k] = 1000 * k - 7 * k * k, ra[19 - k] = a[k];
    for (int j = 0; j < 10; j++)
        d[j] = 1.25 * j - 3;
    /* the incoming side, called from C */
    ck_assert_int_eq(((ManyFn)p->fn[0])(H_VM, H_VM, MANY_ARGS(a, d)), many_expect(a, d));
    WasmcVal res[2];
    memset(res, 0, sizeof res);
    ((Many2Fn)p->fn[1])(H_VM, H_VM, MANY_ARGS(a, d), res);
    int32_t isum = 0;
    double fsum = 0;
    for (int k = 0; k < 20; k++)
        isum += a[k] * (k + 1);
    for (int j = 0; j < 10; j++)
        fsum += d[j] * (j + 1);
    ck_assert_int_eq(res[0].i32, isum);
    ck_assert(res[1].f64 == fsum);
    /* direct call, indirect call, multi-value with the results pointer on the stack */
    typedef int32_t (*F1)(void *, void *, int32_t);
    typedef int32_t (*F2)(void *, void *, int32_t, int32_t);
    ck_assert_int_eq(((F1)p->fn[2])(H_VM, H_VM, 5), many_expect_base(5));
    ck_assert_int_eq(((F1)p->fn[2])(H_VM, H_VM, -123), many_expect_base(-123));
    refs[0] = (WasmcFuncRef){ p->fn[0], NULL, (WasmcVmctx *)h_vmctx, 7, 0 };
    table_elems[0] = &refs[0];
    WasmcTableRecord rec = { table_elems, 1, 1 };
    memcpy(h_vmctx + H_TABLE_OFF, &rec, sizeof rec);
    uint32_t tid = 7;
    memcpy(h_vmctx + H_TYPE_IDS_OFF, &tid, 4);
    ck_assert_int_eq(((F2)p->fn[3])(H_VM, H_VM, 0, 77), many_expect_base(77));
    int code;
    H_RUN(code, ((F2)p->fn[3])(H_VM, H_VM, 1, 77));
    ck_assert_int_eq(code, WASMC_TRAP_UNDEFINED_ELEMENT);
    double dd = ((double (*)(void *, void *, int32_t))p->fn[4])(H_VM, H_VM, 9);
    int32_t ii = 0;
    double ff = 0;
    for (int k = 0; k < 20; k++)
        ii += (9 + k) * (k + 1);
    for (int j = 0; j < 10; j++)
        ff += (9 + 0.5 * j) * (j + 1);
    ck_assert(dd == (double)ii + ff);
    /* tail calls: a real one with stack arguments permuted in place, and one that does not fit */
    ck_assert_int_eq(((ManyFn)p->fn[5])(H_VM, H_VM, MANY_ARGS(a, d)), many_expect(ra, d));
    ck_assert_int_eq(((F1)p->fn[6])(H_VM, H_VM, 11), many_expect_base(11));
    /* return_call_ref to a many-parameter function (call + return) */
    typedef int32_t (*FR)(void *, void *, void *, int32_t);
    ck_assert_int_eq(((FR)p->fn[13])(H_VM, H_VM, &refs[0], 3), many_expect_base(3));
    h_free(p);
}
END_TEST

START_TEST(call_ref)
{
    h_reset_vmctx();
    build_many_src();
    HProg *p = h_build(many_src);
    static WasmcFuncRef pair, add1, host;
    pair = (WasmcFuncRef){ p->fn[7], NULL, (WasmcVmctx *)h_vmctx, 0, 0 };
    add1 = (WasmcFuncRef){ p->fn[8], NULL, (WasmcVmctx *)h_vmctx, 0, 0 };
    /* callee_vmctx is the reference's, caller_vmctx ours (host_f checks it) */
    host = (WasmcFuncRef){ (void *)host_f, NULL, (WasmcVmctx *)(void *)&h_import_env, 0, 0 };
    typedef double (*CR)(void *, void *, void *, int64_t);
    typedef int32_t (*CR1)(void *, void *, void *, int32_t);
    ck_assert(((CR)p->fn[9])(H_VM, H_VM, &pair, 20) == 41.5);
    ck_assert_int_eq(((CR1)p->fn[10])(H_VM, H_VM, &add1, 20), 41);
    h_import_env = NULL;
    ck_assert_int_eq(((CR1)p->fn[10])(H_VM, H_VM, &host, 4), 44);
    ck_assert_ptr_eq(h_import_env, (void *)&h_import_env);
    int code;
    H_RUN(code, ((CR)p->fn[9])(H_VM, H_VM, NULL, 20));
    ck_assert_int_eq(code, WASMC_TRAP_NULL_FUNC_REF);
    H_RUN(code, ((CR1)p->fn[10])(H_VM, H_VM, NULL, 20));
    ck_assert_int_eq(code, WASMC_TRAP_NULL_FUNC_REF);
    /* return_call_ref */
    ck_assert_int_eq(((CR1)p->fn[11])(H_VM, H_VM, &add1, 99), 100);
    h_import_env = NULL;
    ck_assert_int_eq(((CR1)p->fn[11])(H_VM, H_VM, &host, 5), 50);
    ck_assert_ptr_eq(h_import_env, (void *)&h_import_env);
    H_RUN(code, ((CR1)p->fn[11])(H_VM, H_VM, NULL, 5));
    ck_assert_int_eq(code, WASMC_TRAP_NULL_FUNC_REF);
    WasmcVal res[2];
    memset(res, 0, sizeof res);
    ((void (*)(void *, void *, void *, int64_t, WasmcVal *))p->fn[12])(H_VM, H_VM, &pair, -8, res);
    ck_assert_int_eq(res[0].i64, -16);
    ck_assert(res[1].f64 == 1.5);
    H_RUN(code, ((void (*)(void *, void *, void *, int64_t, WasmcVal *))p->fn[12])(H_VM, H_VM, NULL, 1, res));
    ck_assert_int_eq(code, WASMC_TRAP_NULL_FUNC_REF);
    h_free(p);
}
END_TEST

/* 100 parameters (75 i64, 25 f32 beyond xmm7) with 3 results, called
 * directly: %big(p0..p99) -> i64, i64, f32 = (sum i64_k * (k+1), count, sum f32_j),
 * %callbig(i64 base) -> i64: i64_k = base + k, f32_j = j; returns r0 + r1 + trunc(r2),
 * %callbig1: the same through %tailbig(p0..p99) -> i64, i64, f32, which
 * tail-calls big with the same arguments. */
static char big_src[65536];

static void build_big_src(void)
{
    char *o = big_src;
    char sig[1024], *q = sig;
    for (uint32_t k = 0; k < 100; k++)
        q += sprintf(q, "%s%s", k ? ", " : "", k % 4 == 3 ? "f32" : "i64");
    o += sprintf(o, "function %%big(%s) -> i64, i64, f32 {\nblock1(", sig);
    for (uint32_t k = 0; k < 100; k++)
        o += sprintf(o, "%sv%u: %s", k ? ", " : "", k + 1, k % 4 == 3 ? "f32" : "i64");
    o += sprintf(o, "):\n    v200 = iconst.i64 0\n    v201 = f32const 0x0p+0\n");
    uint32_t acc = 200, facc = 201, v = 202;
    for (uint32_t k = 0; k < 100; k++) {
        if (k % 4 == 3) {
            o += sprintf(o, "    v%u = fadd.f32 v%u, v%u\n", v, facc, k + 1);
            facc = v++;
        } else {
            o += sprintf(o, "    v%u = iconst.i64 %u\n    v%u = imul.i64 v%u, v%u\n    v%u = iadd.i64 v%u, v%u\n", v, k + 1,
                         v + 1, k + 1, v, v + 2, acc, v + 1);
            acc = v + 2;
            v += 3;
        }
    }
    o += sprintf(o, "    v%u = iconst.i64 100\n    return v%u, v%u, v%u\n}\n\n", v, acc, v, facc);
    uint32_t ids[100];
    for (uint32_t tgt = 0; tgt < 2; tgt++) {
    o += sprintf(o, "function %%callbig%u(i64) -> i64 {\n    sig0 = (%s) -> i64, i64, f32\n    fn%u = local %%%s sig0\n"
                    "block1(v1: i64):\n", tgt, sig, tgt ? 3 : 0, tgt ? "tailbig" : "big");
    v = 2;
    for (uint32_t k = 0, j = 0; k < 100; k++) {
        if (k % 4 == 3) {
            o += sprintf(o, "    v%u = f32const 0x%xp+0\n", v, j++);
            ids[k] = v++;
        } else {
            o += sprintf(o, "    v%u = iconst.i64 %u\n    v%u = iadd.i64 v1, v%u\n", v, k, v + 1, v);
            ids[k] = v + 1;
            v += 2;
        }
    }
    o += sprintf(o, "    v%u, v%u, v%u = call fn%u(", v, v + 1, v + 2, tgt ? 3 : 0);
    for (uint32_t k = 0; k < 100; k++)
        o += sprintf(o, "%sv%u", k ? ", " : "", ids[k]);
    o += sprintf(o, ")\n    v%u = fcvt_to_sint.i64 v%u\n    v%u = iadd.i64 v%u, v%u\n    v%u = iadd.i64 v%u, v%u\n"
                    "    return v%u\n}\n\n", v + 3, v + 2, v + 4, v, v + 1, v + 5, v + 4, v + 3, v + 5);
    }
    o += sprintf(o, "function %%tailbig(%s) -> i64, i64, f32 {\n    sig0 = (%s) -> i64, i64, f32\n    fn0 = local %%big sig0\n"
                    "block1(", sig, sig);
    for (uint32_t k = 0; k < 100; k++)
        o += sprintf(o, "%sv%u: %s", k ? ", " : "", k + 1, k % 4 == 3 ? "f32" : "i64");
    o += sprintf(o, "):\n    return_call fn0(");
    for (uint32_t k = 0; k < 100; k++)
        o += sprintf(o, "%sv%u", k ? ", " : "", k + 1);
    o += sprintf(o, ")\n}\n");
    ck_assert_uint_lt((size_t)(o - big_src), sizeof big_src);
}

START_TEST(hundred_params)
{
    h_reset_vmctx();
    build_big_src();
    HProg *p = h_build(big_src);
    int64_t expect = 100 + 300; /* count + sum of f32 0..24 */
    for (int k = 0; k < 100; k++)
        if (k % 4 != 3)
            expect += (int64_t)(1000 + k) * (k + 1);
    ck_assert_int_eq(((int64_t (*)(void *, void *, int64_t))p->fn[1])(H_VM, H_VM, 1000), expect);
    /* through %tailbig: a real tail call passing 100 arguments on */
    ck_assert_int_eq(((int64_t (*)(void *, void *, int64_t))p->fn[2])(H_VM, H_VM, 1000), expect);
    h_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("codegen_calls");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, call_indirect_and_traps);
    tcase_add_test(tc, multi_value);
    tcase_add_test(tc, tail_calls);
    tcase_add_test(tc, imports_and_runtime);
    tcase_add_test(tc, many_params);
    tcase_add_test(tc, call_ref);
    tcase_add_test(tc, hundred_params);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
