/* Runs calls compiled by cg_compile_func: call_indirect through a
 * hand-built table (with out-of-bounds, null and signature traps),
 * multi-value results as caller and callee, tail calls (direct and
 * indirect, with stack arguments), import calls and runtime helpers. */
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

int main(void)
{
    Suite *s = suite_create("codegen_calls");
    TCase *tc = tcase_create("all");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, call_indirect_and_traps);
    tcase_add_test(tc, multi_value);
    tcase_add_test(tc, tail_calls);
    tcase_add_test(tc, imports_and_runtime);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
