/* Golden -S listings (CgOptions.asm_out): the loop below must stay in
 * registers with no moves (the allocator coalesces the block parameters
 * with their arguments), and the listing shows prologue, stack check,
 * fused compare-and-branch, the edge block and the trap stub. */
#include "test_codegen_harness.h"

static const char *sum_src = "function %sum(i32) -> i32 {\nblock1(v1: i32):\n    v2 = iconst.i32 0\n"
                             "    jump block2(v2, v1)\nblock2(v3: i32, v4: i32):\n    brif v4, block3, block4(v3)\n"
                             "block3:\n    v5 = iadd.i32 v3, v4\n    v6 = iconst.i32 1\n    v7 = isub.i32 v4, v6\n"
                             "    jump block2(v5, v7)\nblock4(v8: i32):\n    return v8\n}\n";

static const char *sum_golden =
    "sum:\n"
    "\tpushq\t%rbp\n"
    "\tmovq\t%rsp, %rbp\n"
    "\tsubq\t$16, %rsp\n"
    "\tmovq\t%rdi, -8(%rbp)\n"
    "\tcmpq\t40(%rdi), %rsp\n"
    "\tjb\t.L6\n"
    ".L1:\n"
    "\tmovl\t%edx, %edx\n"
    "\txorl\t%eax, %eax\n"
    ".L2:\n"
    "\ttestl\t%edx, %edx\n"
    "\tje\t.L5\n"
    ".L3:\n"
    "\taddl\t%edx, %eax\n"
    "\tsubl\t$1, %edx\n"
    "\tjmp\t.L2\n"
    ".L4:\n"
    "\tmovq\t%rbp, %rsp\n"
    "\tpopq\t%rbp\n"
    "\tretq\n"
    ".L5:\n"
    "\tjmp\t.L4\n"
    ".L6:\n"
    "\tmovq\t-8(%rbp), %rdi\n"
    "\tmovl\t$14, %esi\n"
    "\tcall\tsym100\n"
    "\tud2\n";

START_TEST(golden_sum_loop)
{
    h_reset_vmctx();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    char err[300] = "";
    HProg *p = h_build_opt(sum_src, f, err);
    fclose(f);
    ck_assert_msg(p, "%s", err);
    ck_assert_str_eq(buf, sum_golden);
    /* the listing describes the emitted bytes: 30 of them before the loop */
    ck_assert_uint_eq(p->cb[0].data[0], 0x55);
    h_free(p);
    free(buf);
}
END_TEST

START_TEST(unsupported_op_is_an_error)
{
    char err[300] = "";
    HProg *p = h_build_opt("function %v() -> v128 {\nblock1:\n    v1 = vconst 0x000102030405060708090a0b0c0d0e0f\n"
                           "    return v1\n}\n",
                           NULL, err);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(err, "vconst") != NULL, "%s", err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("codegen_asm");
    TCase *tc = tcase_create("all");
    tcase_add_test(tc, golden_sum_loop);
    tcase_add_test(tc, unsupported_op_is_an_error);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
