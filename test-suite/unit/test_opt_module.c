/* Unit tests of the module side of the pass manager (opt/opt.h): the call
 * graph (bottom-up order, SCCs, call-site counts), disabling passes
 * (OptOptions.disable, WASMC_OPT_DISABLE) and a whole -O2 module run with
 * the verifier after every pass. Inlining and bounds-check elimination
 * themselves are tested by test-suite/filetests/opt/inline-*.ir, bce-*.ir. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"

/* f0 -> f1 -> f2 -> f1 (a cycle), f0 -> f3 (a leaf), f4 alone. */
static const char *const module_text =
    "function %f0(i32) -> i32 {\n"
    "    sig0 = (i32) -> i32\n"
    "    fn1 = local %f1 sig0\n"
    "    fn3 = local %f3 sig0\n"
    "block1(v1: i32):\n"
    "    v2 = call fn1(v1)\n"
    "    v3 = call fn3(v2)\n"
    "    v4 = call fn1(v3)\n"
    "    return v4\n"
    "}\n"
    "\n"
    "function %f1(i32) -> i32 {\n"
    "    sig0 = (i32) -> i32\n"
    "    fn2 = local %f2 sig0\n"
    "block1(v1: i32):\n"
    "    brif v1, block2, block3\n"
    "\n"
    "block2:\n"
    "    return_call fn2(v1)\n"
    "\n"
    "block3:\n"
    "    return v1\n"
    "}\n"
    "\n"
    "function %f2(i32) -> i32 {\n"
    "    sig0 = (i32) -> i32\n"
    "    fn1 = local %f1 sig0\n"
    "block1(v1: i32):\n"
    "    v2 = iconst.i32 1\n"
    "    v3 = isub.i32 v1, v2\n"
    "    v4 = call fn1(v3)\n"
    "    return v4\n"
    "}\n"
    "\n"
    "function %f3(i32) -> i32 {\n"
    "    sig0 = (i32) -> i32\n"
    "    fn3 = local %f3 sig0\n"
    "block1(v1: i32):\n"
    "    v2 = iconst.i32 3\n"
    "    v3 = iadd.i32 v1, v2\n"
    "    return v3\n"
    "}\n"
    "\n"
    "function %f4() {\n"
    "block1:\n"
    "    return\n"
    "}\n";

static uint32_t pos(const OptModule *m, uint32_t f)
{
    for (uint32_t k = 0; k < m->norder; k++)
        if (m->order[k] == f)
            return k;
    ck_abort_msg("function %u not in the order", f);
    return 0;
}

START_TEST(call_graph_bottom_up)
{
    IrFuncList l;
    WasmcError err = { 0 };
    ck_assert(ir_parse(module_text, strlen(module_text), &l, &err));
    OptModule m = { .funcs = l.funcs, .nfuncs = l.n };
    ck_assert(opt_module_init(&m));
    ck_assert_uint_eq(m.norder, 5);
    ck_assert_uint_lt(pos(&m, 1), pos(&m, 0));
    ck_assert_uint_lt(pos(&m, 2), pos(&m, 0));
    ck_assert_uint_lt(pos(&m, 3), pos(&m, 0));
    ck_assert_uint_eq(m.scc[1], m.scc[2]);
    ck_assert_uint_ne(m.scc[0], m.scc[1]);
    ck_assert_uint_ne(m.scc[3], m.scc[0]);
    ck_assert_uint_eq(m.ncallsites[1], 3); /* two calls in f0, one in f2 */
    ck_assert_uint_eq(m.ncallsites[2], 1);
    ck_assert_uint_eq(m.ncallsites[3], 1);
    ck_assert_uint_eq(m.ncallsites[4], 0);
    ck_assert_ptr_eq(opt_module_func(&m, 4), l.funcs[4]);
    ck_assert_ptr_null(opt_module_func(&m, 5));
    opt_module_free(&m);
    ir_func_list_free(&l);
}
END_TEST

START_TEST(disable_passes)
{
    OptOptions o2 = { .level = 2, .disable = "" }, o1 = { .level = 1, .disable = "" };
    ck_assert(opt_pipeline_has_module_pass(&o2));
    ck_assert(!opt_pipeline_has_module_pass(&o1));
    OptOptions no_inline = { .level = 2, .disable = "gvn,inline" };
    ck_assert(!opt_pipeline_has_module_pass(&no_inline));

    /* The environment variable applies when OptOptions.disable is NULL. */
    setenv("WASMC_OPT_DISABLE", "licm,constfold", 1);
    IrFuncList l;
    WasmcError err = { 0 };
    const char *text = "function %f(i32) -> i32 {\n"
                       "block1(v1: i32):\n"
                       "    v2 = iconst.i32 2\n"
                       "    v3 = iconst.i32 3\n"
                       "    v4 = iadd.i32 v2, v3\n"
                       "    v5 = iadd.i32 v1, v4\n"
                       "    return v5\n"
                       "}\n";
    ck_assert(ir_parse(text, strlen(text), &l, &err));
    OptOptions o = { .level = 1, .time_passes = true, .verify_each = true };
    OptStats st = { 0 };
    ck_assert(opt_run(l.funcs[0], &o, &st, &err));
    for (uint32_t k = 0; k < st.npass; k++)
        ck_assert_str_ne(st.pass[k].name, "constfold");
    char *s = ir_func_to_string(l.funcs[0]);
    ck_assert_ptr_nonnull(strstr(s, "iadd.i32 v2, v3")); /* not folded */
    free(s);
    unsetenv("WASMC_OPT_DISABLE");
    ir_func_list_free(&l);
}
END_TEST

START_TEST(module_run_o2)
{
    IrFuncList l;
    WasmcError err = { 0 };
    ck_assert(ir_parse(module_text, strlen(module_text), &l, &err));
    OptModule m = { .funcs = l.funcs, .nfuncs = l.n };
    ck_assert(opt_module_init(&m));
    OptOptions o = { .level = 2, .verify_each = true, .disable = "" };
    ck_assert_msg(opt_module_run(&m, &o, NULL, &err), "%s", err.msg);
    for (uint32_t k = 0; k < l.n; k++)
        ck_assert_msg(opt_module_finish(&m, k, &o, NULL, &err), "%s", err.msg);
    /* f3 (small, not recursive from f0's side) is inlined into f0; f1 and
     * f2 form a cycle: f2's call of f1 stays, f1's tail call of f2 stays. */
    char *s0 = ir_func_to_string(l.funcs[0]), *s2 = ir_func_to_string(l.funcs[2]);
    ck_assert_ptr_null(strstr(s0, "call fn3"));
    ck_assert_ptr_nonnull(strstr(s2, "call fn1"));
    free(s0);
    free(s2);
    opt_module_free(&m);
    ir_func_list_free(&l);
}
END_TEST

static Suite *opt_module_suite(void)
{
    Suite *s = suite_create("opt_module");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, call_graph_bottom_up);
    tcase_add_test(tc, disable_passes);
    tcase_add_test(tc, module_run_o2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(opt_module_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
